package io.quantserve.service.datasets;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.util.unit.DataSize;

/**
 * Settings of the dataset registry ({@code quantserve.datasets.*}).
 *
 * @param maxUnpackedSize the most bytes a zip of {@code .pb} files may expand to (guards against zip bombs)
 * @param maxEntries the most files such a zip may hold
 */
@ConfigurationProperties("quantserve.datasets")
public record DatasetProperties(
        @DefaultValue("8GB") DataSize maxUnpackedSize,
        @DefaultValue("100000") int maxEntries) {}
