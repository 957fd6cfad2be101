/** HTTP adapter of the model registry ({@code /v1/models}); internal to the models capability. */
@NullMarked
package io.quantserve.service.models.web;

import org.jspecify.annotations.NullMarked;
