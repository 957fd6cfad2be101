/**
 * The QuantServe REST service: one package per capability ({@code models}, {@code datasets}, {@code storage},
 * {@code security}) with its web adapter in a {@code web} subpackage, plus the shared problem+json edge
 * ({@code web}). The engine stays a plain library the service calls.
 */
@NullMarked
package io.quantserve.service;

import org.jspecify.annotations.NullMarked;
