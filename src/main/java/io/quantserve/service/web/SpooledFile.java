package io.quantserve.service.web;

import java.nio.file.Path;

/**
 * An upload copied to a scratch file, with what was learnt while copying. Closing deletes the file and the folder
 * made for it.
 *
 * @param path the scratch file, alone in its folder
 * @param size its length in bytes
 * @param sha256 lower-case hex SHA-256 of its content
 */
public record SpooledFile(Path path, long size, String sha256) implements AutoCloseable {
    @Override
    public void close() {
        UploadSpool.deleteTree(path.getParent());
    }
}
