/**
 * The HTTP edge shared by every capability: RFC 9457 problem details for every error (one advice, one error
 * controller, one writer for filters), streaming upload spooling with the size limit, and cursor pagination.
 */
@NullMarked
package io.quantserve.service.web;

import org.jspecify.annotations.NullMarked;
