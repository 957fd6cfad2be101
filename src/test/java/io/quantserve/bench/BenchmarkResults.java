package io.quantserve.bench;

import java.util.List;

/**
 * Everything one benchmark run measured ({@code results.json}).
 *
 * @param startedAt when the run started (ISO-8601, UTC)
 * @param machine the machine and runtime versions
 * @param loadAtStart 1-minute load average when the run started
 * @param loadAtEnd 1-minute load average when it ended
 * @param launcher how the quantize jobs were started ({@link JobLauncher#description()})
 * @param javaOptions extra JVM options given to the quantize jobs (empty: the user's default JVM)
 * @param quantizeOptions extra {@code quantize} options given to the jobs (empty: the default configuration)
 * @param table the model table
 * @param scaling the 1× / 8× calibration-data pairs
 * @param targets the goals checked against the figures
 */
record BenchmarkResults(
        String startedAt,
        MachineInfo machine,
        double loadAtStart,
        double loadAtEnd,
        String launcher,
        List<String> javaOptions,
        List<String> quantizeOptions,
        List<CaseResult> table,
        List<CaseResult> scaling,
        List<TargetCheck> targets) {}
