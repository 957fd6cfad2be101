package io.quantserve.service.storage;

/** The storage backend failed or refused an operation; the message names the operation and the key. */
public final class StorageException extends RuntimeException {
    public StorageException(String message, Throwable cause) {
        super(message, cause);
    }

    public StorageException(String message) {
        super(message);
    }
}
