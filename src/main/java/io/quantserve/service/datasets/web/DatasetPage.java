package io.quantserve.service.datasets.web;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
import io.swagger.v3.oas.annotations.media.Schema;
import java.util.List;
import org.jspecify.annotations.Nullable;

/**
 * A page of {@code GET /v1/datasets}.
 *
 * @param nextCursor pass as {@code ?cursor=} for the next page; {@code null} on the last page
 */
@Schema(name = "DatasetPage")
record DatasetPage(
        List<DatasetView> items,

        @JsonProperty("next_cursor") @JsonInclude(JsonInclude.Include.ALWAYS) @Nullable
        String nextCursor) {}
