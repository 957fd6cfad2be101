package io.quantserve.bench;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * How the benchmark starts a {@code quantserve} command: the words before the command's own arguments and the
 * environment added for it.
 *
 * @param prefix e.g. {@code [bin/quantserve]} or {@code [java, --enable-native-access=ALL-UNNAMED, -jar, jar]}
 * @param environment variables set for the process on top of the benchmark's own
 * @param description how the README and the results name it
 * @param recordsCache whether the first run records a start-up cache that later runs use (so one untimed run should
 *     come first, as a user's first run does)
 */
record JobLauncher(List<String> prefix, Map<String, String> environment, String description, boolean recordsCache) {
    JobLauncher {
        prefix = List.copyOf(prefix);
        environment = Map.copyOf(environment);
    }

    /**
     * The checkout's launcher script, as the README tells users to run the command line: the extracted jar, ONNX
     * Runtime's libraries unpacked once, and the JDK AOT cache that its first {@code quantize} run records.
     *
     * @param script {@code bin/quantserve}
     * @param javaOptions extra JVM options, passed as {@code QUANTSERVE_JAVA_OPTS}
     */
    static JobLauncher script(Path script, List<String> javaOptions) {
        return new JobLauncher(
                List.of(script.toString()),
                javaOptions.isEmpty() ? Map.of() : Map.of("QUANTSERVE_JAVA_OPTS", String.join(" ", javaOptions)),
                "bin/quantserve (extracted jar, AOT cache of an earlier quantize run)",
                true);
    }

    /** {@code java --enable-native-access=ALL-UNNAMED [javaOptions] -jar jar}: the fat jar, nothing cached. */
    static JobLauncher jar(Path jar, List<String> javaOptions) {
        List<String> prefix = new ArrayList<>();
        prefix.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        prefix.add("--enable-native-access=ALL-UNNAMED");
        prefix.addAll(javaOptions);
        prefix.add("-jar");
        prefix.add(jar.toString());
        return new JobLauncher(prefix, Map.of(), "java -jar target/quantserve.jar (fat jar, no cache)", false);
    }
}
