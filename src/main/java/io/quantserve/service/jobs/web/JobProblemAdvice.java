package io.quantserve.service.jobs.web;

import io.quantserve.service.jobs.IdempotencyConflictException;
import io.quantserve.service.jobs.IllegalJobTransitionException;
import io.quantserve.service.jobs.JobNotReadyException;
import io.quantserve.service.jobs.PreflightFailedException;
import io.quantserve.service.jobs.UnknownReferenceException;
import io.quantserve.service.web.Problems;
import jakarta.servlet.http.HttpServletRequest;
import java.net.URI;
import java.util.List;
import java.util.Map;
import org.springframework.core.Ordered;
import org.springframework.core.annotation.Order;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.http.ProblemDetail;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.ExceptionHandler;
import org.springframework.web.bind.annotation.RestControllerAdvice;

/**
 * Problem details of the jobs API's own refusals; everything else goes to the shared advice. Ordered first, since
 * the shared advice also handles {@code Exception}.
 */
@RestControllerAdvice(basePackageClasses = JobProblemAdvice.class)
@Order(Ordered.HIGHEST_PRECEDENCE)
class JobProblemAdvice {
    /** Code of a state change the job's state does not allow. */
    static final String ILLEGAL_TRANSITION = "illegal-state-transition";

    @ExceptionHandler(IllegalJobTransitionException.class)
    ResponseEntity<ProblemDetail> illegal(IllegalJobTransitionException e, HttpServletRequest request) {
        return respond(Problems.of(HttpStatus.CONFLICT, ILLEGAL_TRANSITION, e.getMessage()), request);
    }

    @ExceptionHandler(IdempotencyConflictException.class)
    ResponseEntity<ProblemDetail> idempotency(IdempotencyConflictException e, HttpServletRequest request) {
        return respond(Problems.of(HttpStatus.CONFLICT, IdempotencyConflictException.CODE, e.getMessage()), request);
    }

    @ExceptionHandler(JobNotReadyException.class)
    ResponseEntity<ProblemDetail> notReady(JobNotReadyException e, HttpServletRequest request) {
        return respond(Problems.of(HttpStatus.CONFLICT, JobNotReadyException.CODE, e.getMessage()), request);
    }

    @ExceptionHandler(UnknownReferenceException.class)
    ResponseEntity<ProblemDetail> unknown(UnknownReferenceException e, HttpServletRequest request) {
        ProblemDetail p = Problems.of(Problems.refusedContent(), UnknownReferenceException.CODE, e.getMessage());
        p.setProperty("errors", List.of(Map.of("field", e.field(), "message", e.getMessage())));
        return respond(p, request);
    }

    @ExceptionHandler(PreflightFailedException.class)
    ResponseEntity<ProblemDetail> preflight(PreflightFailedException e, HttpServletRequest request) {
        ProblemDetail p =
                Problems.of(Problems.refusedContent(), e.violations().getFirst().code(), e.getMessage());
        p.setProperty(
                "errors",
                e.violations().stream()
                        .map(v -> Map.of("field", v.field(), "message", v.message()))
                        .toList());
        return respond(p, request);
    }

    @ExceptionHandler(RangeNotSatisfiableException.class)
    ResponseEntity<ProblemDetail> range(RangeNotSatisfiableException e, HttpServletRequest request) {
        ProblemDetail p =
                Problems.of(HttpStatus.REQUESTED_RANGE_NOT_SATISFIABLE, Problems.RANGE_NOT_SATISFIABLE, e.getMessage());
        p.setInstance(URI.create(request.getRequestURI()));
        return ResponseEntity.status(HttpStatus.REQUESTED_RANGE_NOT_SATISFIABLE)
                .header(HttpHeaders.CONTENT_RANGE, "bytes */" + e.size())
                .contentType(MediaType.APPLICATION_PROBLEM_JSON)
                .body(p);
    }

    private static ResponseEntity<ProblemDetail> respond(ProblemDetail p, HttpServletRequest request) {
        p.setInstance(URI.create(request.getRequestURI()));
        return ResponseEntity.status(p.getStatus())
                .contentType(MediaType.APPLICATION_PROBLEM_JSON)
                .body(p);
    }
}
