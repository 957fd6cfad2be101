/** HTTP adapter of the dataset registry ({@code /v1/datasets}); internal to the datasets capability. */
@NullMarked
package io.quantserve.service.datasets.web;

import org.jspecify.annotations.NullMarked;
