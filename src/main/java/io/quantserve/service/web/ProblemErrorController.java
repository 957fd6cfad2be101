package io.quantserve.service.web;

import io.swagger.v3.oas.annotations.Hidden;
import jakarta.servlet.RequestDispatcher;
import jakarta.servlet.http.HttpServletRequest;
import java.net.URI;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.boot.webmvc.error.ErrorController;
import org.springframework.http.HttpStatus;
import org.springframework.http.HttpStatusCode;
import org.springframework.http.MediaType;
import org.springframework.http.ProblemDetail;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RestController;

/**
 * Replaces Spring Boot's error page: errors the servlet container handles itself (a malformed request, an exception
 * escaping a filter, a multipart body over the container's limits) are answered with a problem detail too.
 */
@Hidden
@RestController
class ProblemErrorController implements ErrorController {
    private static final Logger log = LoggerFactory.getLogger(ProblemErrorController.class);

    @RequestMapping("${server.error.path:/error}")
    ResponseEntity<ProblemDetail> error(HttpServletRequest request) {
        Object code = request.getAttribute(RequestDispatcher.ERROR_STATUS_CODE);
        if (code == null) {
            // asked for directly rather than forwarded by the container: there is no error to describe
            ProblemDetail none =
                    Problems.of(HttpStatus.NOT_FOUND, Problems.NOT_FOUND, "no resource at " + request.getRequestURI());
            return ResponseEntity.status(HttpStatus.NOT_FOUND)
                    .contentType(MediaType.APPLICATION_PROBLEM_JSON)
                    .body(none);
        }
        HttpStatusCode status = HttpStatusCode.valueOf(code instanceof Integer i ? i : 500);
        Object uri = request.getAttribute(RequestDispatcher.ERROR_REQUEST_URI);
        Object failure = request.getAttribute(RequestDispatcher.ERROR_EXCEPTION);
        String detail;
        if (status.is5xxServerError()) {
            log.error("failure on {}", uri, failure instanceof Throwable t ? t : null);
            detail = "an unexpected error occurred; it has been logged";
        } else {
            HttpStatus known = HttpStatus.resolve(status.value());
            detail = known == null ? "the request failed" : known.getReasonPhrase();
        }
        ProblemDetail problem = Problems.of(status, Problems.codeFor(status), detail);
        if (uri != null) problem.setInstance(URI.create(uri.toString()));
        return ResponseEntity.status(status)
                .contentType(MediaType.APPLICATION_PROBLEM_JSON)
                .body(problem);
    }
}
