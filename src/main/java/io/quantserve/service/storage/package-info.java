/**
 * Object storage behind one port, {@link io.quantserve.service.storage.ObjectStore}: an S3 adapter (MinIO client)
 * and a local-filesystem adapter, chosen by {@code quantserve.storage.type}. Content always streams; no adapter
 * holds a whole object in memory.
 */
@NullMarked
package io.quantserve.service.storage;

import org.jspecify.annotations.NullMarked;
