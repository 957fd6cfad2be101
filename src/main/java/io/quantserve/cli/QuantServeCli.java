package io.quantserve.cli;

import io.quantserve.engine.QuantServeException;
import java.io.PrintWriter;
import java.io.UncheckedIOException;
import picocli.CommandLine;
import picocli.CommandLine.Command;

/**
 * {@code quantserve}: the offline command line over the engine. Exit codes: 0 success, 1 the input was refused or
 * quantization failed (the message names the file, layer or key), 2 wrong usage, 3 an I/O or internal failure.
 */
@Command(
        name = "quantserve",
        mixinStandardHelpOptions = true,
        versionProvider = VersionProvider.class,
        description = "Post-training INT8 quantization of ONNX models (AMCT-compatible).",
        subcommands = {
            InspectCommand.class,
            CreateConfigCommand.class,
            QuantizeCommand.class,
            AutoQuantizeCommand.class,
            SaveCommand.class,
            EvaluateCommand.class,
            TimeCommand.class,
            PrepareDataCommand.class,
            ServeCommand.class
        })
public final class QuantServeCli implements Runnable {
    public static final int EXIT_REFUSED = 1;
    public static final int EXIT_USAGE = 2;
    public static final int EXIT_FAILURE = 3;

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Override
    public void run() {
        spec.commandLine().usage(spec.commandLine().getOut());
    }

    public static void main(String[] args) {
        System.exit(execute(args, new PrintWriter(System.out, true), new PrintWriter(System.err, true)));
    }

    /** Runs the command line with the given streams; returns the exit code (used by tests). */
    public static int execute(String[] args, PrintWriter out, PrintWriter err) {
        CommandLine cli = new CommandLine(new QuantServeCli());
        cli.setOut(out);
        cli.setErr(err);
        cli.setExitCodeExceptionMapper(e -> switch (e) {
            case QuantServeException q -> EXIT_REFUSED;
            case CommandLine.ParameterException p -> EXIT_USAGE;
            default -> EXIT_FAILURE;
        });
        cli.setExecutionExceptionHandler((e, commandLine, parseResult) -> {
            switch (e) {
                case QuantServeException q -> err.println("error [" + q.code() + "]: " + q.getMessage());
                case UncheckedIOException io ->
                    err.println("error [io]: " + io.getMessage() + ": "
                            + io.getCause().getMessage());
                default -> {
                    err.println("error [internal]: " + e);
                    e.printStackTrace(err);
                }
            }
            err.flush();
            return commandLine.getExitCodeExceptionMapper().getExitCode(e);
        });
        return cli.execute(args);
    }
}
