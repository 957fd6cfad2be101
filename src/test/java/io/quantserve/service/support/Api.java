package io.quantserve.service.support;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpHeaders;
import java.net.http.HttpRequest;
import java.net.http.HttpRequest.BodyPublisher;
import java.net.http.HttpRequest.BodyPublishers;
import java.net.http.HttpResponse.BodyHandlers;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/** A small HTTP client of the service for tests: raw, multipart and JSON requests, with or without a key. */
public final class Api {
    private static final HttpClient HTTP =
            HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    private static final JsonMapper JSON = JsonMapper.builder().build();

    private final int port;

    Api(int port) {
        this.port = port;
    }

    /** Requests authenticated with {@code Authorization: Bearer <key>}. */
    public As as(String key) {
        return new As(this, "Authorization", "Bearer " + key);
    }

    /** Requests authenticated with {@code X-API-Key: <key>}. */
    public As withHeaderKey(String key) {
        return new As(this, "X-API-Key", key);
    }

    /** Requests without any key. */
    public As anonymous() {
        return new As(this, null, null);
    }

    public URI uri(String path) {
        return URI.create("http://127.0.0.1:" + port + path);
    }

    /** An answer: status, headers, body as text. */
    public record Response(int status, HttpHeaders headers, String body) {
        public JsonNode json() {
            return JSON.readTree(body);
        }

        /** The problem {@code type} of a problem answer. */
        public String problemType() {
            return json().path("type").asString();
        }

        public String contentType() {
            return headers.firstValue("Content-Type").orElse("");
        }

        @Override
        public String toString() {
            return status + " " + body;
        }
    }

    /** A file part of a multipart request: part name, announced file name, content. */
    public record FilePart(String part, String fileName, Path file) {}

    /** A binary answer. */
    public record BytesResponse(int status, HttpHeaders headers, byte[] body) {
        public String header(String name) {
            return headers.firstValue(name).orElse("");
        }
    }

    /** Requests with one fixed authentication (or none). */
    public static final class As {
        private final Api api;
        private final String header;
        private final String value;

        private As(Api api, String header, String value) {
            this.api = api;
            this.header = header;
            this.value = value;
        }

        public Response get(String path) {
            return send(request(path).GET());
        }

        /** GET with extra headers given as name, value, name, value, … */
        public Response get(String path, String... headers) {
            return send(request(path).headers(headers).GET());
        }

        /** GET of a binary body, with extra headers given as name, value, … */
        public BytesResponse getBytes(String path, String... headers) {
            HttpRequest.Builder b = request(path).GET();
            if (headers.length > 0) b.headers(headers);
            try {
                var r = HTTP.send(b.build(), BodyHandlers.ofByteArray());
                return new BytesResponse(r.statusCode(), r.headers(), r.body());
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException(e);
            }
        }

        /** POST of a JSON body with extra headers given as name, value, … */
        public Response postJson(String path, String json, String... headers) {
            HttpRequest.Builder b =
                    request(path).header("Content-Type", "application/json").POST(BodyPublishers.ofString(json));
            if (headers.length > 0) b.headers(headers);
            return send(b);
        }

        /** A POST without a body. */
        public Response post(String path) {
            return send(request(path).POST(BodyPublishers.noBody()));
        }

        /** The request builder of this client's authentication, for requests the methods here do not cover. */
        public HttpRequest.Builder request(String path) {
            HttpRequest.Builder b = HttpRequest.newBuilder(api.uri(path)).timeout(Duration.ofSeconds(60));
            if (header != null) b.header(header, value);
            return b;
        }

        public Response delete(String path) {
            return send(request(path).DELETE());
        }

        public Response postJson(String path, String json) {
            return send(request(path).header("Content-Type", "application/json").POST(BodyPublishers.ofString(json)));
        }

        /** POST of a file as the raw body with the given content type. */
        public Response postFile(String path, Path file, String contentType) {
            try {
                return send(request(path).header("Content-Type", contentType).POST(BodyPublishers.ofFile(file)));
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }

        /** POST of raw bytes with the given content type. */
        public Response postBytes(String path, byte[] body, String contentType) {
            return send(request(path).header("Content-Type", contentType).POST(BodyPublishers.ofByteArray(body)));
        }

        /** POST of a {@code multipart/form-data} body with the file as part {@code file}. */
        public Response postMultipart(String path, Path file, String fileName) {
            return postMultipart(path, file, fileName, "file");
        }

        /** POST of a {@code multipart/form-data} body with the file as part {@code part}. */
        public Response postMultipart(String path, Path file, String fileName, String part) {
            String boundary = "----quantserve-" + UUID.randomUUID();
            String head = "--" + boundary + "\r\n"
                    + "Content-Disposition: form-data; name=\"" + part + "\"; filename=\"" + fileName + "\"\r\n"
                    + "Content-Type: application/octet-stream\r\n\r\n";
            String tail = "\r\n--" + boundary + "--\r\n";
            try {
                BodyPublisher body = BodyPublishers.concat(
                        BodyPublishers.ofString(head), BodyPublishers.ofFile(file), BodyPublishers.ofString(tail));
                return send(request(path)
                        .header("Content-Type", "multipart/form-data; boundary=" + boundary)
                        .POST(body));
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }

        /**
         * POST of a {@code multipart/form-data} body of several file parts, in order.
         *
         * @param parts each a part name, the file name the part announces, and the file to send
         */
        public Response postMultipart(String path, List<FilePart> parts) {
            String boundary = "----quantserve-" + UUID.randomUUID();
            List<BodyPublisher> body = new ArrayList<>();
            try {
                for (FilePart p : parts) {
                    body.add(BodyPublishers.ofString("--" + boundary + "\r\n"
                            + "Content-Disposition: form-data; name=\"" + p.part() + "\"; filename=\"" + p.fileName()
                            + "\"\r\nContent-Type: application/octet-stream\r\n\r\n"));
                    body.add(BodyPublishers.ofFile(p.file()));
                    body.add(BodyPublishers.ofString("\r\n"));
                }
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
            body.add(BodyPublishers.ofString("--" + boundary + "--\r\n"));
            return send(request(path)
                    .header("Content-Type", "multipart/form-data; boundary=" + boundary)
                    .POST(BodyPublishers.concat(body.toArray(BodyPublisher[]::new))));
        }

        private static Response send(HttpRequest.Builder request) {
            try {
                var r = HTTP.send(request.build(), BodyHandlers.ofString());
                return new Response(r.statusCode(), r.headers(), r.body());
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException(e);
            }
        }
    }
}
