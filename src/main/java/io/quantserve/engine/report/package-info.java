/**
 * The per-layer quality report written with every run ({@code report.json} + {@code report.html}): factors, clip
 * ratio, output SQNR and cosine against the float model, weight error per channel, INT32 bias headroom,
 * degenerate-range flags and a sensitivity ranking with suggested skip layers. {@link QualityReports} is the entry
 * point; the page is self-contained (inline CSS, JavaScript and SVG, no network access).
 */
@NullMarked
package io.quantserve.engine.report;

import org.jspecify.annotations.NullMarked;
