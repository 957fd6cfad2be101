package io.quantserve.service.security;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonValue;
import java.util.Locale;

/** What a key may do: {@code admin} keys also manage keys; {@code user} keys work with their tenant's resources. */
public enum Role {
    ADMIN,
    USER;

    /** The lower-case spelling used in JSON and in the database. */
    @JsonValue
    public String wireName() {
        return name().toLowerCase(Locale.ROOT);
    }

    /** Parses {@code admin} or {@code user}, in any case. */
    @JsonCreator
    public static Role fromWire(String value) {
        for (Role r : values()) {
            if (r.wireName().equalsIgnoreCase(value)) return r;
        }
        throw new IllegalArgumentException("role must be 'admin' or 'user', not '" + value + "'");
    }
}
