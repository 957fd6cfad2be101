package io.quantserve.service.jobs.web;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
import io.swagger.v3.oas.annotations.media.Schema;
import java.util.List;
import org.jspecify.annotations.Nullable;

/**
 * A page of {@code GET /v1/jobs}.
 *
 * @param nextCursor pass as {@code ?cursor=} for the next page; {@code null} on the last page
 */
@Schema(name = "JobPage")
record JobPage(
        List<JobView> items,

        @JsonProperty("next_cursor") @JsonInclude(JsonInclude.Include.ALWAYS) @Nullable
        String nextCursor) {}
