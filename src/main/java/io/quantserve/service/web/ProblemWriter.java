package io.quantserve.service.web;

import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.util.LinkedHashMap;
import java.util.Map;
import org.springframework.http.MediaType;
import org.springframework.http.ProblemDetail;
import org.springframework.stereotype.Component;
import tools.jackson.databind.json.JsonMapper;

/**
 * Writes a problem detail straight to a servlet response, for code that runs before Spring MVC (filters) and so
 * cannot rely on the advice. Members as the advice writes them: {@code type}, {@code title}, {@code status},
 * {@code detail}, {@code instance}, then the extension members.
 */
@Component
public final class ProblemWriter {
    private final JsonMapper json;

    ProblemWriter(JsonMapper json) {
        this.json = json;
    }

    /** Writes {@code problem} with its status and {@code application/problem+json}; commits the response. */
    public void write(HttpServletResponse response, ProblemDetail problem) throws IOException {
        response.setStatus(problem.getStatus());
        response.setContentType(MediaType.APPLICATION_PROBLEM_JSON_VALUE);
        response.setCharacterEncoding("UTF-8");
        json.writeValue(response.getOutputStream(), members(problem));
        response.flushBuffer();
    }

    /** The JSON members of {@code problem} in the API's order. */
    public static Map<String, Object> members(ProblemDetail problem) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("type", problem.getType().toString());
        if (problem.getTitle() != null) m.put("title", problem.getTitle());
        m.put("status", problem.getStatus());
        if (problem.getDetail() != null) m.put("detail", problem.getDetail());
        if (problem.getInstance() != null)
            m.put("instance", problem.getInstance().toString());
        if (problem.getProperties() != null) m.putAll(problem.getProperties());
        return m;
    }
}
