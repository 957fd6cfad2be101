/** HTTP adapter of jobs ({@code /v1/jobs}): create, follow (JSON, SSE), cancel, preflight, artefact downloads. */
@NullMarked
package io.quantserve.service.jobs.web;

import org.jspecify.annotations.NullMarked;
