package io.quantserve.service.security;

import io.quantserve.service.web.ProblemWriter;
import io.quantserve.service.web.Problems;
import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.net.URI;
import java.util.Optional;
import org.jspecify.annotations.Nullable;
import org.springframework.core.Ordered;
import org.springframework.core.annotation.Order;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.http.ProblemDetail;
import org.springframework.stereotype.Component;
import org.springframework.web.filter.OncePerRequestFilter;

/**
 * Authenticates every request except the health endpoints: the key comes from {@code Authorization: Bearer <key>} or
 * {@code X-API-Key: <key>}. A missing or unknown key is answered 401 {@code unauthorized} (with
 * {@code WWW-Authenticate}); a user key on {@code /v1/admin/**} or on an actuator endpoint other than health, 403
 * {@code forbidden}. The caller is left in a request attribute for {@link CallerArgument}.
 */
@Component
@Order(Ordered.HIGHEST_PRECEDENCE + 100)
class ApiKeyFilter extends OncePerRequestFilter {
    static final String CALLER_ATTRIBUTE = ApiKeyFilter.class.getName() + ".caller";
    static final String KEY_HEADER = "X-API-Key";
    private static final String BEARER = "Bearer ";

    private final ApiKeyAuthenticator authenticator;
    private final ProblemWriter problems;

    ApiKeyFilter(ApiKeyAuthenticator authenticator, ProblemWriter problems) {
        this.authenticator = authenticator;
        this.problems = problems;
    }

    @Override
    protected boolean shouldNotFilter(HttpServletRequest request) {
        String path = pathOf(request);
        return path.equals("/actuator/health") || path.startsWith("/actuator/health/");
    }

    @Override
    protected void doFilterInternal(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
            throws ServletException, IOException {
        String key = presentedKey(request);
        if (key == null) {
            reject(request, response, "no API key: send 'Authorization: Bearer <key>' or 'X-API-Key: <key>'");
            return;
        }
        Optional<Caller> caller = authenticator.authenticate(key);
        if (caller.isEmpty()) {
            reject(request, response, "the API key is unknown, revoked or expired");
            return;
        }
        if (!caller.get().isAdmin() && needsAdmin(pathOf(request))) {
            ProblemDetail p = Problems.of(HttpStatus.FORBIDDEN, Problems.FORBIDDEN, "this endpoint needs an admin key");
            p.setInstance(URI.create(request.getRequestURI()));
            problems.write(response, p);
            return;
        }
        request.setAttribute(CALLER_ATTRIBUTE, caller.get());
        chain.doFilter(request, response);
    }

    private void reject(HttpServletRequest request, HttpServletResponse response, String detail) throws IOException {
        ProblemDetail p = Problems.of(HttpStatus.UNAUTHORIZED, Problems.UNAUTHORIZED, detail);
        p.setInstance(URI.create(request.getRequestURI()));
        response.setHeader(HttpHeaders.WWW_AUTHENTICATE, "Bearer realm=\"quantserve\"");
        problems.write(response, p);
    }

    private static @Nullable String presentedKey(HttpServletRequest request) {
        String authorization = request.getHeader(HttpHeaders.AUTHORIZATION);
        if (authorization != null && authorization.regionMatches(true, 0, BEARER, 0, BEARER.length())) {
            String key = authorization.substring(BEARER.length()).strip();
            if (!key.isEmpty()) return key;
        }
        String header = request.getHeader(KEY_HEADER);
        return header == null || header.isBlank() ? null : header.strip();
    }

    private static boolean needsAdmin(String path) {
        return path.equals("/v1/admin") || path.startsWith("/v1/admin/") || path.startsWith("/actuator");
    }

    private static String pathOf(HttpServletRequest request) {
        String uri = request.getRequestURI();
        String context = request.getContextPath();
        return context.isEmpty() ? uri : uri.substring(context.length());
    }
}
