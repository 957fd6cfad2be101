/**
 * The embedded default of {@code quantserve serve}: without {@code spring.datasource.url} the service starts its own
 * PostgreSQL, keeps it, the filesystem object store and the scratch space under one folder
 * ({@code quantserve.data-dir}), and generates a bootstrap admin key there on first start. Setting
 * {@code spring.datasource.url} (an external PostgreSQL) turns all of it off.
 */
@NullMarked
package io.quantserve.service.embedded;

import org.jspecify.annotations.NullMarked;
