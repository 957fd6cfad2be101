package io.quantserve.service.web;

import io.quantserve.engine.QuantServeException;
import io.quantserve.service.storage.ObjectNotFoundException;
import io.quantserve.service.storage.StorageException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.validation.ConstraintViolation;
import jakarta.validation.ConstraintViolationException;
import java.net.URI;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.context.MessageSourceResolvable;
import org.springframework.dao.DataIntegrityViolationException;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.http.HttpStatusCode;
import org.springframework.http.MediaType;
import org.springframework.http.ProblemDetail;
import org.springframework.http.ResponseEntity;
import org.springframework.validation.FieldError;
import org.springframework.web.bind.MethodArgumentNotValidException;
import org.springframework.web.bind.annotation.ExceptionHandler;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.RestControllerAdvice;
import org.springframework.web.context.request.NativeWebRequest;
import org.springframework.web.context.request.WebRequest;
import org.springframework.web.method.annotation.HandlerMethodValidationException;
import org.springframework.web.method.annotation.MethodArgumentTypeMismatchException;
import org.springframework.web.servlet.mvc.method.annotation.ResponseEntityExceptionHandler;

/**
 * The one place where exceptions become RFC 9457 problem details. Refused input never yields a 500: engine refusals
 * are 422 with the engine's code as the problem type, unknown ids (and malformed ones) are 404, oversize uploads 413,
 * framework errors keep their status with an API problem type. Unexpected failures are logged and answered with a
 * 500 whose detail holds no internals.
 */
@RestControllerAdvice
class ProblemAdvice extends ResponseEntityExceptionHandler {
    private static final Logger log = LoggerFactory.getLogger(ProblemAdvice.class);

    private final UploadSpool spool;

    ProblemAdvice(UploadSpool spool) {
        this.spool = spool;
    }

    @ExceptionHandler(QuantServeException.class)
    ResponseEntity<Object> refused(QuantServeException e, WebRequest request) {
        return respond(Problems.of(Problems.refusedContent(), e.code(), spool.redact(e.getMessage())), request);
    }

    @ExceptionHandler(ResourceNotFoundException.class)
    ResponseEntity<Object> notFound(ResourceNotFoundException e, WebRequest request) {
        return respond(Problems.of(HttpStatus.NOT_FOUND, Problems.NOT_FOUND, e.getMessage()), request);
    }

    @ExceptionHandler(BadRequestException.class)
    ResponseEntity<Object> badRequest(BadRequestException e, WebRequest request) {
        return respond(Problems.of(HttpStatus.BAD_REQUEST, Problems.INVALID_REQUEST, e.getMessage()), request);
    }

    @ExceptionHandler(ConstraintViolationException.class)
    ResponseEntity<Object> constraints(ConstraintViolationException e, WebRequest request) {
        List<Map<String, String>> errors = new ArrayList<>();
        for (ConstraintViolation<?> v : e.getConstraintViolations()) {
            errors.add(Map.of("field", v.getPropertyPath().toString(), "message", v.getMessage()));
        }
        return invalid(errors, new HttpHeaders(), request);
    }

    @ExceptionHandler(PayloadTooLargeException.class)
    ResponseEntity<Object> tooLarge(PayloadTooLargeException e, WebRequest request) {
        return respond(Problems.of(HttpStatus.CONTENT_TOO_LARGE, Problems.PAYLOAD_TOO_LARGE, e.getMessage()), request);
    }

    @ExceptionHandler(LimitExceededException.class)
    ResponseEntity<Object> overLimit(LimitExceededException e, WebRequest request) {
        return respond(Problems.of(e.status(), e.code(), spool.redact(e.getMessage())), request);
    }

    @ExceptionHandler(DataIntegrityViolationException.class)
    ResponseEntity<Object> conflict(DataIntegrityViolationException e, WebRequest request) {
        log.info(
                "conflict on {}: {}",
                describe(request),
                e.getMostSpecificCause().getMessage());
        return respond(
                Problems.of(
                        HttpStatus.CONFLICT,
                        Problems.CONFLICT,
                        "the request conflicts with the current state of the resource (it may still be in use)"),
                request);
    }

    @ExceptionHandler(StorageException.class)
    ResponseEntity<Object> storage(StorageException e, WebRequest request) {
        log.error("object store failure on {}", describe(request), e);
        return respond(
                Problems.of(
                        HttpStatus.SERVICE_UNAVAILABLE,
                        Problems.STORAGE_UNAVAILABLE,
                        "the object store failed; try again later"),
                request);
    }

    @ExceptionHandler(ObjectNotFoundException.class)
    ResponseEntity<Object> missingObject(ObjectNotFoundException e, WebRequest request) {
        log.error("stored object missing on {}: {}", describe(request), e.getMessage());
        return respond(
                Problems.of(
                        HttpStatus.INTERNAL_SERVER_ERROR,
                        Problems.INTERNAL_ERROR,
                        "the content of this resource is missing from the object store"),
                request);
    }

    @ExceptionHandler(Exception.class)
    ResponseEntity<Object> unexpected(Exception e, WebRequest request) {
        log.error("unexpected failure on {}", describe(request), e);
        return respond(
                Problems.of(
                        HttpStatus.INTERNAL_SERVER_ERROR,
                        Problems.INTERNAL_ERROR,
                        "an unexpected error occurred; it has been logged"),
                request);
    }

    @Override
    protected @Nullable ResponseEntity<Object> handleTypeMismatch(
            org.springframework.beans.TypeMismatchException ex,
            HttpHeaders headers,
            HttpStatusCode status,
            WebRequest request) {
        if (ex instanceof MethodArgumentTypeMismatchException m
                && m.getParameter().hasParameterAnnotation(PathVariable.class)) {
            String detail =
                    "no resource at " + path(request) + " ('" + m.getValue() + "' is not a valid " + m.getName() + ")";
            return respond(Problems.of(HttpStatus.NOT_FOUND, Problems.NOT_FOUND, detail), request);
        }
        return super.handleTypeMismatch(ex, headers, status, request);
    }

    @Override
    protected @Nullable ResponseEntity<Object> handleMethodArgumentNotValid(
            MethodArgumentNotValidException ex, HttpHeaders headers, HttpStatusCode status, WebRequest request) {
        List<Map<String, String>> errors = new ArrayList<>();
        for (FieldError f : ex.getBindingResult().getFieldErrors()) {
            errors.add(Map.of("field", f.getField(), "message", String.valueOf(f.getDefaultMessage())));
        }
        ex.getBindingResult()
                .getGlobalErrors()
                .forEach(g -> errors.add(
                        Map.of("field", g.getObjectName(), "message", String.valueOf(g.getDefaultMessage()))));
        return invalid(errors, headers, request);
    }

    @Override
    protected @Nullable ResponseEntity<Object> handleHandlerMethodValidationException(
            HandlerMethodValidationException ex, HttpHeaders headers, HttpStatusCode status, WebRequest request) {
        List<Map<String, String>> errors = new ArrayList<>();
        ex.getParameterValidationResults().forEach(r -> {
            String name = r.getMethodParameter().getParameterName();
            for (MessageSourceResolvable e : r.getResolvableErrors()) {
                errors.add(
                        Map.of("field", name == null ? "?" : name, "message", String.valueOf(e.getDefaultMessage())));
            }
        });
        return invalid(errors, headers, request);
    }

    private ResponseEntity<Object> invalid(List<Map<String, String>> errors, HttpHeaders headers, WebRequest request) {
        String detail = errors.isEmpty()
                ? "the request is invalid"
                : String.join(
                        "; ",
                        errors.stream()
                                .map(e -> e.get("field") + ": " + e.get("message"))
                                .toList());
        ProblemDetail p = Problems.of(HttpStatus.BAD_REQUEST, Problems.INVALID_REQUEST, detail);
        p.setProperty("errors", errors);
        p.setInstance(URI.create(path(request)));
        return ResponseEntity.badRequest()
                .headers(headers)
                .contentType(MediaType.APPLICATION_PROBLEM_JSON)
                .body(p);
    }

    /** Gives every framework problem (405, 406, 415, 400, …) the API's type for its status. */
    @Override
    protected ResponseEntity<Object> handleExceptionInternal(
            Exception ex, @Nullable Object body, HttpHeaders headers, HttpStatusCode statusCode, WebRequest request) {
        ProblemDetail problem = body instanceof ProblemDetail p
                ? p
                : ProblemDetail.forStatusAndDetail(statusCode, String.valueOf(ex.getMessage()));
        if (problem.getType() == null
                || problem.getType().toString().equals("about:blank")
                || !problem.getType().toString().startsWith(Problems.TYPE_BASE)) {
            Problems.retype(problem, Problems.codeFor(statusCode));
        }
        problem.setInstance(URI.create(path(request)));
        if (statusCode.is5xxServerError()) {
            log.error("failure on {}", describe(request), ex);
        }
        ResponseEntity<Object> response = super.handleExceptionInternal(ex, problem, headers, statusCode, request);
        return response == null
                ? ResponseEntity.status(statusCode).headers(headers).body(problem)
                : response;
    }

    private static ResponseEntity<Object> respond(ProblemDetail problem, WebRequest request) {
        problem.setInstance(URI.create(path(request)));
        return ResponseEntity.status(problem.getStatus())
                .contentType(MediaType.APPLICATION_PROBLEM_JSON)
                .body(problem);
    }

    private static String path(WebRequest request) {
        if (request instanceof NativeWebRequest n && n.getNativeRequest() instanceof HttpServletRequest http) {
            return http.getRequestURI();
        }
        return "/";
    }

    private static String describe(WebRequest request) {
        if (request instanceof NativeWebRequest n && n.getNativeRequest() instanceof HttpServletRequest http) {
            return http.getMethod() + " " + http.getRequestURI();
        }
        return request.getDescription(false);
    }
}
