/**
 * Test fixtures: the shared read-only models and data, model-ready calibration and evaluation sets generated from
 * them ({@link io.quantserve.testing.ModelDatasets}), tiny in-code models, and task metrics (top-1, CTC line
 * accuracy, embedding cosine) for integration tests.
 */
@NullMarked
package io.quantserve.testing;

import org.jspecify.annotations.NullMarked;
