package io.quantserve.service.storage;

import io.minio.BucketExistsArgs;
import io.minio.GetObjectArgs;
import io.minio.GetPresignedObjectUrlArgs;
import io.minio.Http;
import io.minio.ListObjectsArgs;
import io.minio.MakeBucketArgs;
import io.minio.MinioClient;
import io.minio.PutObjectArgs;
import io.minio.RemoveObjectArgs;
import io.minio.Result;
import io.minio.StatObjectArgs;
import io.minio.StatObjectResponse;
import io.minio.errors.ErrorResponseException;
import io.minio.errors.MinioException;
import io.minio.messages.Item;
import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import org.jspecify.annotations.Nullable;

/**
 * Objects in one S3 bucket through the MinIO client. Puts stream in parts of {@code partSize} (a put of unknown
 * length buffers one part at a time); gets stream from the HTTP response and pin the entity tag they were opened
 * with, so a concurrent replace fails the read instead of mixing two objects. Presigned URLs are signed for the
 * public endpoint when one is configured.
 */
final class S3ObjectStore implements ObjectStore {
    private static final Set<String> MISSING = Set.of("NoSuchKey", "NoSuchObject", "NotFound");

    private final MinioClient client;
    private final MinioClient signer;
    private final String bucket;
    private final long partSize;
    private final Duration maxPresignValidity;

    S3ObjectStore(MinioClient client, MinioClient signer, String bucket, long partSize, Duration maxPresignValidity) {
        this.client = client;
        this.signer = signer;
        this.bucket = bucket;
        this.partSize = partSize;
        this.maxPresignValidity = maxPresignValidity;
    }

    /** Creates the bucket when it does not exist yet. */
    void ensureBucket() {
        try {
            if (!client.bucketExists(BucketExistsArgs.builder().bucket(bucket).build())) {
                client.makeBucket(MakeBucketArgs.builder().bucket(bucket).build());
            }
        } catch (ErrorResponseException e) {
            if (!"BucketAlreadyOwnedByYou".equals(e.errorResponse().code())) {
                throw new StorageException("cannot create bucket '" + bucket + "': " + describe(e), e);
            }
        } catch (MinioException e) {
            throw new StorageException("cannot reach bucket '" + bucket + "': " + describe(e), e);
        }
    }

    @Override
    public ObjectInfo put(String key, InputStream content, long size, String contentType) {
        ObjectKeys.check(key);
        try {
            client.putObject(
                    PutObjectArgs.builder().bucket(bucket).object(key).stream(content, size < 0 ? null : size, partSize)
                            .contentType(contentType)
                            .build());
        } catch (MinioException e) {
            throw new StorageException("put '" + key + "' failed: " + describe(e), e);
        }
        return stat(key).orElseThrow(() -> new StorageException("put '" + key + "' succeeded but the object is gone"));
    }

    @Override
    public ObjectContent get(String key, @Nullable ByteRange range) {
        ObjectInfo info = stat(key).orElseThrow(() -> new ObjectNotFoundException(key));
        ByteRange wanted = range == null ? ByteRange.from(0) : range;
        if (wanted.offset() > 0 && wanted.offset() >= info.size()) {
            throw new IllegalArgumentException(
                    "range starts at " + wanted.offset() + ", past the end of '" + key + "' (" + info.size() + ")");
        }
        long length = wanted.lengthWithin(info.size());
        GetObjectArgs.Builder args =
                GetObjectArgs.builder().bucket(bucket).object(key).matchETag(info.etag());
        if (wanted.offset() > 0 || length < info.size()) {
            args.offset(wanted.offset()).length(length);
        }
        try {
            InputStream stream = length == 0 ? InputStream.nullInputStream() : client.getObject(args.build());
            return new ObjectContent(info, wanted.offset(), length, new Translating(stream, key));
        } catch (ErrorResponseException e) {
            if (MISSING.contains(e.errorResponse().code())) throw new ObjectNotFoundException(key);
            throw new StorageException("get '" + key + "' failed: " + describe(e), e);
        } catch (MinioException e) {
            throw new StorageException("get '" + key + "' failed: " + describe(e), e);
        }
    }

    @Override
    public Optional<ObjectInfo> stat(String key) {
        ObjectKeys.check(key);
        try {
            StatObjectResponse r = client.statObject(
                    StatObjectArgs.builder().bucket(bucket).object(key).build());
            return Optional.of(new ObjectInfo(
                    key, r.size(), unquote(r.etag()), r.lastModified().toInstant()));
        } catch (ErrorResponseException e) {
            if (MISSING.contains(e.errorResponse().code())) return Optional.empty();
            throw new StorageException("stat '" + key + "' failed: " + describe(e), e);
        } catch (MinioException e) {
            throw new StorageException("stat '" + key + "' failed: " + describe(e), e);
        }
    }

    @Override
    public void delete(String key) {
        ObjectKeys.check(key);
        try {
            client.removeObject(
                    RemoveObjectArgs.builder().bucket(bucket).object(key).build());
        } catch (MinioException e) {
            throw new StorageException("delete '" + key + "' failed: " + describe(e), e);
        }
    }

    @Override
    public List<ObjectInfo> list(String prefix) {
        ObjectKeys.checkPrefix(prefix);
        List<ObjectInfo> out = new ArrayList<>();
        Iterable<Result<Item>> items = client.listObjects(ListObjectsArgs.builder()
                .bucket(bucket)
                .prefix(prefix)
                .recursive(true)
                .build());
        try {
            for (Result<Item> result : items) {
                Item item = result.get();
                if (item.isDir()) continue;
                out.add(new ObjectInfo(
                        item.objectName(),
                        item.size(),
                        unquote(item.etag()),
                        item.lastModified().toInstant()));
            }
        } catch (MinioException e) {
            throw new StorageException("list '" + prefix + "' failed: " + describe(e), e);
        }
        return out;
    }

    @Override
    public Optional<URI> presignedGet(String key, Duration validity) {
        ObjectKeys.check(key);
        if (validity.isNegative() || validity.isZero() || validity.compareTo(maxPresignValidity) > 0) {
            throw new IllegalArgumentException(
                    "presigned URL validity must be between 1 s and " + maxPresignValidity + ": " + validity);
        }
        try {
            String url = signer.getPresignedObjectUrl(GetPresignedObjectUrlArgs.builder()
                    .method(Http.Method.GET)
                    .bucket(bucket)
                    .object(key)
                    .expiry((int) validity.toSeconds(), TimeUnit.SECONDS)
                    .build());
            return Optional.of(URI.create(url));
        } catch (MinioException e) {
            throw new StorageException("presign '" + key + "' failed: " + describe(e), e);
        }
    }

    private static String unquote(@Nullable String etag) {
        if (etag == null) return "";
        String e = etag.startsWith("W/") ? etag.substring(2) : etag;
        return e.length() >= 2 && e.startsWith("\"") && e.endsWith("\"") ? e.substring(1, e.length() - 1) : e;
    }

    private static String describe(MinioException e) {
        if (e instanceof ErrorResponseException r) {
            return r.errorResponse().code() + " " + r.errorResponse().message();
        }
        return e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
    }

    /** Names the object in read failures, which would otherwise surface as a bare socket error. */
    private static final class Translating extends FilterInputStream {
        private final String key;

        Translating(InputStream in, String key) {
            super(in);
            this.key = key;
        }

        @Override
        public int read() throws IOException {
            try {
                return super.read();
            } catch (IOException e) {
                throw new IOException("reading object '" + key + "': " + e.getMessage(), e);
            }
        }

        @Override
        public int read(byte[] b, int off, int len) throws IOException {
            try {
                return super.read(b, off, len);
            } catch (IOException e) {
                throw new IOException("reading object '" + key + "': " + e.getMessage(), e);
            }
        }
    }
}
