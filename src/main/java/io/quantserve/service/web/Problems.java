package io.quantserve.service.web;

import java.net.URI;
import java.util.Locale;
import java.util.Map;
import org.springframework.http.HttpStatus;
import org.springframework.http.HttpStatusCode;
import org.springframework.http.ProblemDetail;

/**
 * The problem types of the API. A problem's {@code type} is {@code https://quantserve.dev/problems/<code>}, where
 * {@code <code>} is a stable kebab-case identifier: the engine's {@code QuantServeException.code()} for refused input
 * ({@code invalid-model}, {@code invalid-data}, {@code invalid-config}, …) or one of the constants here. The same code
 * is repeated in the {@code code} member so that clients can switch on it without parsing URIs.
 */
public final class Problems {
    /** Prefix of every problem type URI. */
    public static final String TYPE_BASE = "https://quantserve.dev/problems/";

    public static final String INVALID_REQUEST = "invalid-request";
    public static final String UNAUTHORIZED = "unauthorized";
    public static final String FORBIDDEN = "forbidden";
    public static final String NOT_FOUND = "not-found";
    public static final String METHOD_NOT_ALLOWED = "method-not-allowed";
    public static final String NOT_ACCEPTABLE = "not-acceptable";
    public static final String CONFLICT = "conflict";
    public static final String PAYLOAD_TOO_LARGE = "payload-too-large";
    public static final String UNSUPPORTED_MEDIA_TYPE = "unsupported-media-type";
    public static final String RANGE_NOT_SATISFIABLE = "range-not-satisfiable";
    public static final String STORAGE_UNAVAILABLE = "storage-unavailable";
    public static final String INTERNAL_ERROR = "internal-error";

    private static final Map<Integer, String> CODE_BY_STATUS = Map.ofEntries(
            Map.entry(400, INVALID_REQUEST),
            Map.entry(401, UNAUTHORIZED),
            Map.entry(403, FORBIDDEN),
            Map.entry(404, NOT_FOUND),
            Map.entry(405, METHOD_NOT_ALLOWED),
            Map.entry(406, NOT_ACCEPTABLE),
            Map.entry(409, CONFLICT),
            Map.entry(413, PAYLOAD_TOO_LARGE),
            Map.entry(415, UNSUPPORTED_MEDIA_TYPE),
            Map.entry(416, RANGE_NOT_SATISFIABLE),
            Map.entry(503, STORAGE_UNAVAILABLE));

    private Problems() {}

    /** The type URI of {@code code}. */
    public static URI type(String code) {
        return URI.create(TYPE_BASE + code);
    }

    /** The code the API uses for a bare HTTP status (e.g. 404 → {@code not-found}); 5xx without one is internal. */
    public static String codeFor(HttpStatusCode status) {
        String code = CODE_BY_STATUS.get(status.value());
        if (code != null) return code;
        return status.is5xxServerError() ? INTERNAL_ERROR : INVALID_REQUEST;
    }

    /**
     * A problem with every member set: {@code type} and {@code code} from {@code code}, {@code title} from the code
     * (e.g. {@code invalid-model} → "Invalid model"), {@code status} and {@code detail}.
     */
    public static ProblemDetail of(HttpStatusCode status, String code, String detail) {
        ProblemDetail p = ProblemDetail.forStatusAndDetail(status, detail);
        return retype(p, code);
    }

    /** Gives {@code problem} the type, title and {@code code} member of {@code code}. */
    public static ProblemDetail retype(ProblemDetail problem, String code) {
        problem.setType(type(code));
        problem.setTitle(title(code));
        problem.setProperty("code", code);
        return problem;
    }

    static String title(String code) {
        String words = code.replace('-', ' ');
        return words.isEmpty() ? "Problem" : words.substring(0, 1).toUpperCase(Locale.ROOT) + words.substring(1);
    }

    /** The status of a problem that is not tied to one (e.g. an engine refusal): 422 for refused content. */
    public static HttpStatus refusedContent() {
        return HttpStatus.UNPROCESSABLE_CONTENT;
    }
}
