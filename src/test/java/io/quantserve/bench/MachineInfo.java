package io.quantserve.bench;

import io.quantserve.engine.runtime.InferenceSession;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/**
 * The machine a benchmark ran on, read from {@code /proc} (fields are {@code "unknown"} or 0 where it is absent).
 *
 * @param cpuModel {@code model name} of the first processor in {@code /proc/cpuinfo}
 * @param cpuFlags the SIMD flags among {@code avx2}, {@code avx512f}, {@code avx512_vnni} that the CPU reports
 * @param processors processors in {@code /proc/cpuinfo}
 * @param availableProcessors what the JVM may use ({@link Runtime#availableProcessors()})
 * @param memoryMib {@code MemTotal} of {@code /proc/meminfo}
 * @param onnxRuntime ONNX Runtime version
 * @param java the JVM's version
 * @param os kernel name and release
 */
record MachineInfo(
        String cpuModel,
        String cpuFlags,
        int processors,
        int availableProcessors,
        long memoryMib,
        String onnxRuntime,
        String java,
        String os) {

    static MachineInfo current() {
        List<String> cpu = lines("/proc/cpuinfo");
        String model = cpu.stream()
                .filter(l -> l.startsWith("model name"))
                .map(l -> l.substring(l.indexOf(':') + 1).strip())
                .findFirst()
                .orElse("unknown");
        int processors =
                (int) cpu.stream().filter(l -> l.startsWith("processor")).count();
        List<String> flags = cpu.stream()
                .filter(l -> l.startsWith("flags"))
                .findFirst()
                .map(l -> List.of(l.substring(l.indexOf(':') + 1).strip().split("\\s+")))
                .orElse(List.of());
        String simd = String.join(
                " ",
                List.of("avx2", "avx512f", "avx512_vnni").stream()
                        .filter(flags::contains)
                        .toList());
        long memKib = ProcStatus.field(String.join("\n", lines("/proc/meminfo")), "MemTotal")
                .orElse(0);
        return new MachineInfo(
                model,
                simd.isEmpty() ? "none of avx2/avx512f/avx512_vnni" : simd,
                processors,
                Runtime.getRuntime().availableProcessors(),
                memKib / 1024,
                InferenceSession.runtimeVersion(),
                Runtime.version().toString(),
                System.getProperty("os.name") + " " + System.getProperty("os.version"));
    }

    /** The 1-minute load average of {@code /proc/loadavg}, or -1 where it cannot be read. */
    static double loadAverage() {
        List<String> l = lines("/proc/loadavg");
        return l.isEmpty() ? -1 : Double.parseDouble(l.getFirst().split("\\s+")[0]);
    }

    private static List<String> lines(String file) {
        try {
            return Files.readAllLines(Path.of(file), StandardCharsets.UTF_8);
        } catch (IOException e) {
            return List.of();
        }
    }
}
