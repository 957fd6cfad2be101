package io.quantserve.service.web;

/** A request parameter or header is malformed; answered with 400 {@code invalid-request} and this message. */
public final class BadRequestException extends RuntimeException {
    public BadRequestException(String message) {
        super(message);
    }
}
