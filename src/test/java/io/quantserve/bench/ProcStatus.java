package io.quantserve.bench;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.OptionalLong;

/** Memory figures of a live Linux process from {@code /proc/<pid>/status}. */
final class ProcStatus {
    private ProcStatus() {}

    /**
     * The process's peak resident set size so far ({@code VmHWM}, the kernel's high-water mark), in KiB; empty when
     * the process is gone, is a zombie (no memory lines any more) or {@code /proc} is unavailable.
     */
    static OptionalLong peakRssKib(long pid) {
        try {
            return field(
                    Files.readString(Path.of("/proc", Long.toString(pid), "status"), StandardCharsets.UTF_8), "VmHWM");
        } catch (IOException e) {
            return OptionalLong.empty();
        }
    }

    /** The value in kB of the line {@code <name>:  <value> kB} of a status text, empty when absent. */
    static OptionalLong field(String status, String name) {
        for (String line : status.split("\n")) {
            if (line.startsWith(name + ":")) {
                String value = line.substring(name.length() + 1).trim();
                int space = value.indexOf(' ');
                return OptionalLong.of(Long.parseLong(space < 0 ? value : value.substring(0, space)));
            }
        }
        return OptionalLong.empty();
    }
}
