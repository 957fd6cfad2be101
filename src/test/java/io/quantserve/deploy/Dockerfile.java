package io.quantserve.deploy;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import org.jspecify.annotations.Nullable;

/**
 * A Dockerfile split into build stages of instructions, the way the builder reads it: comment lines dropped (also
 * inside a continued instruction), lines ending in the escape character {@code \} joined, keywords upper-cased.
 * Parser directives and heredocs are not interpreted.
 */
record Dockerfile(List<Stage> stages) {
    /** One instruction: {@code keyword} upper-case, {@code arguments} as written, {@code line} where it starts. */
    record Instruction(String keyword, String arguments, int line) {
        /** The {@code --name=value} flags before the arguments proper. */
        List<String> flags() {
            List<String> flags = new ArrayList<>();
            for (String word : arguments.split("\\s+")) {
                if (!word.startsWith("--")) break;
                flags.add(word);
            }
            return flags;
        }

        /** The value of flag {@code --name=value}, if present. */
        Optional<String> flag(String name) {
            return flags().stream()
                    .filter(f -> f.startsWith("--" + name + "="))
                    .map(f -> f.substring(name.length() + 3))
                    .findFirst();
        }

        /** The arguments after the flags. */
        String operands() {
            String rest = arguments.strip();
            while (rest.startsWith("--")) {
                int space = rest.indexOf(' ');
                rest = space < 0 ? "" : rest.substring(space + 1).strip();
            }
            return rest;
        }

        @Override
        public String toString() {
            return "line " + line + ": " + keyword + " " + arguments;
        }
    }

    /** The instructions from one {@code FROM} to the next. */
    record Stage(Instruction from, List<Instruction> instructions) {
        /** The image of {@code FROM [--platform=…] image [AS name]}. */
        String image() {
            return from.operands().split("\\s+")[0];
        }

        /** The name after {@code AS}, if any. */
        @Nullable
        String name() {
            String[] words = from.operands().split("\\s+");
            return words.length == 3 && words[1].equalsIgnoreCase("as") ? words[2] : null;
        }

        List<Instruction> all(String keyword) {
            return instructions.stream().filter(i -> i.keyword.equals(keyword)).toList();
        }

        Optional<Instruction> last(String keyword) {
            List<Instruction> all = all(keyword);
            return all.isEmpty() ? Optional.empty() : Optional.of(all.getLast());
        }
    }

    static Dockerfile read(Path file) {
        try {
            return parse(Files.readAllLines(file));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static Dockerfile parse(List<String> lines) {
        List<Instruction> instructions = new ArrayList<>();
        StringBuilder pending = new StringBuilder();
        int start = 0;
        for (int n = 0; n < lines.size(); n++) {
            String line = lines.get(n);
            String trimmed = line.strip();
            if (trimmed.startsWith("#") || (trimmed.isEmpty() && pending.isEmpty())) continue;
            if (pending.isEmpty()) start = n + 1;
            boolean continued = trimmed.endsWith("\\");
            pending.append(continued ? trimmed.substring(0, trimmed.length() - 1) : trimmed)
                    .append(' ');
            if (!continued) {
                instructions.add(instruction(pending.toString().strip(), start));
                pending.setLength(0);
            }
        }
        if (!pending.isEmpty()) instructions.add(instruction(pending.toString().strip(), start));

        List<Stage> stages = new ArrayList<>();
        for (Instruction instruction : instructions) {
            if (instruction.keyword.equals("FROM")) {
                stages.add(new Stage(instruction, new ArrayList<>()));
            } else if (stages.isEmpty()) {
                if (!instruction.keyword.equals("ARG")) {
                    throw new IllegalArgumentException("instruction before the first FROM: " + instruction);
                }
            } else {
                stages.getLast().instructions().add(instruction);
            }
        }
        return new Dockerfile(List.copyOf(stages));
    }

    private static Instruction instruction(String text, int line) {
        int space = text.indexOf(' ');
        String keyword = space < 0 ? text : text.substring(0, space);
        String arguments = space < 0 ? "" : text.substring(space + 1).strip();
        return new Instruction(keyword.toUpperCase(Locale.ROOT), arguments, line);
    }

    Stage runtime() {
        return stages.getLast();
    }
}
