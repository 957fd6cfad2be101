/**
 * Checks of the deployment files at the repository top level, which no Docker engine or Kubernetes cluster runs in
 * the tests: the {@code Dockerfile} (rules of {@link DockerfileLintTest}), {@code docker-compose.yml}
 * ({@code docker-compose config} and {@link ComposeFileTest}'s structure checks) and the Helm chart under
 * {@code helm/quantserve} (linted and rendered offline by embedded Helm, {@link HelmChartTest}). Environment variables
 * in these files are checked against the service's real configuration properties ({@link SpringProperties}).
 */
@NullMarked
package io.quantserve.deploy;

import org.jspecify.annotations.NullMarked;
