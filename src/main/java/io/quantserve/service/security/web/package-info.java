/** HTTP adapter of key administration ({@code /v1/admin/api-keys}); internal to the security capability. */
@NullMarked
package io.quantserve.service.security.web;

import org.jspecify.annotations.NullMarked;
