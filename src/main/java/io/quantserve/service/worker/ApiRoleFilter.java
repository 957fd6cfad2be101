package io.quantserve.service.worker;

import io.quantserve.service.web.ProblemWriter;
import io.quantserve.service.web.Problems;
import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.net.URI;
import org.springframework.core.Ordered;
import org.springframework.core.annotation.Order;
import org.springframework.http.HttpStatus;
import org.springframework.http.ProblemDetail;
import org.springframework.stereotype.Component;
import org.springframework.web.filter.OncePerRequestFilter;

/**
 * In a process with {@code quantserve.role=worker}, answers every {@code /v1} request 404 {@code not-found} before
 * authentication: worker processes serve health probes only.
 */
@Component
@Order(Ordered.HIGHEST_PRECEDENCE + 50)
class ApiRoleFilter extends OncePerRequestFilter {
    private final WorkerProperties properties;
    private final ProblemWriter problems;

    ApiRoleFilter(WorkerProperties properties, ProblemWriter problems) {
        this.properties = properties;
        this.problems = problems;
    }

    @Override
    protected boolean shouldNotFilter(HttpServletRequest request) {
        String path = request.getRequestURI().substring(request.getContextPath().length());
        return properties.role().servesApi() || !(path.equals("/v1") || path.startsWith("/v1/"));
    }

    @Override
    protected void doFilterInternal(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
            throws ServletException, IOException {
        ProblemDetail p = Problems.of(
                HttpStatus.NOT_FOUND,
                Problems.NOT_FOUND,
                "this process runs with quantserve.role=worker and serves no API; send requests to an api process");
        p.setInstance(URI.create(request.getRequestURI()));
        problems.write(response, p);
    }
}
