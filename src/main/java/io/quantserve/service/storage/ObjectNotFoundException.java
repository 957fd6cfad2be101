package io.quantserve.service.storage;

/** Nothing is stored under the key asked for. */
public final class ObjectNotFoundException extends RuntimeException {
    private final String key;

    public ObjectNotFoundException(String key) {
        super("no object stored under '" + key + "'");
        this.key = key;
    }

    public String key() {
        return key;
    }
}
