package io.quantserve.service.security;

import jakarta.persistence.AttributeConverter;
import jakarta.persistence.Converter;

/** Stores {@link Role} as its lower-case wire name, as the {@code api_keys.role} check constraint expects. */
@Converter(autoApply = true)
class RoleColumn implements AttributeConverter<Role, String> {
    @Override
    public String convertToDatabaseColumn(Role role) {
        return role.wireName();
    }

    @Override
    public Role convertToEntityAttribute(String value) {
        return Role.fromWire(value);
    }
}
