package io.quantserve.service.models;

import jakarta.validation.constraints.Min;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.util.unit.DataSize;
import org.springframework.validation.annotation.Validated;

/**
 * Settings of the model registry ({@code quantserve.models.*}).
 *
 * @param maxUnpackedSize the most bytes a model zip (model plus external data) may expand to; more is answered 413
 * @param maxEntries the most entries such a zip may hold
 */
@Validated
@ConfigurationProperties("quantserve.models")
public record ModelProperties(
        @DefaultValue("8GB") DataSize maxUnpackedSize,
        @DefaultValue("1000") @Min(1) int maxEntries) {}
