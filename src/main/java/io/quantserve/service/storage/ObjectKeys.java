package io.quantserve.service.storage;

import java.util.regex.Pattern;

/**
 * The key syntax every store accepts: 1 to 1024 characters, {@code /}-separated segments of letters, digits,
 * {@code .}, {@code _} and {@code -}, no empty segment and no {@code .} or {@code ..} segment. Portable across S3
 * and file systems, and unable to leave a filesystem store's root. A prefix may end with {@code /}.
 */
public final class ObjectKeys {
    private static final Pattern SEGMENT = Pattern.compile("[A-Za-z0-9._-]+");
    private static final int MAX_LENGTH = 1024;

    private ObjectKeys() {}

    /** Returns {@code key} when it is valid, else throws naming the fault. */
    public static String check(String key) {
        if (key.isEmpty() || key.length() > MAX_LENGTH) {
            throw new IllegalArgumentException(
                    "object key must have 1 to " + MAX_LENGTH + " characters: '" + key + "'");
        }
        for (String segment : key.split("/", -1)) {
            if (!SEGMENT.matcher(segment).matches() || segment.equals(".") || segment.equals("..")) {
                throw new IllegalArgumentException("object key '" + key + "' has an invalid segment '" + segment + "'");
            }
        }
        return key;
    }

    /** Returns {@code prefix} when it is empty or a valid key with an optional trailing {@code /}. */
    public static String checkPrefix(String prefix) {
        if (prefix.isEmpty()) return prefix;
        check(prefix.endsWith("/") ? prefix.substring(0, prefix.length() - 1) : prefix);
        return prefix;
    }
}
