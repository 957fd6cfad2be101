package io.quantserve.service.security;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.HexFormat;

/**
 * Key material: new keys are {@code qs_} followed by 32 random bytes in unpadded base64url (256 bits of entropy, so
 * an unsalted SHA-256 is a sound way to store them); stored hashes are lower-case hex SHA-256 of the UTF-8 key.
 */
final class KeyDigest {
    static final String PREFIX = "qs_";
    private static final int VISIBLE = 10;
    private static final SecureRandom RANDOM = new SecureRandom();

    private KeyDigest() {}

    static String newKey() {
        byte[] bytes = new byte[32];
        RANDOM.nextBytes(bytes);
        return PREFIX + Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
    }

    static String hash(String key) {
        try {
            byte[] digest = MessageDigest.getInstance("SHA-256").digest(key.getBytes(StandardCharsets.UTF_8));
            return HexFormat.of().formatHex(digest);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    /** The first characters of a key, safe to show: they identify a key without revealing it. */
    static String visiblePrefix(String key) {
        return key.substring(0, Math.min(VISIBLE, key.length()));
    }

    /** Compares two hashes in time independent of where they differ. */
    static boolean sameHash(String a, String b) {
        return MessageDigest.isEqual(a.getBytes(StandardCharsets.US_ASCII), b.getBytes(StandardCharsets.US_ASCII));
    }
}
