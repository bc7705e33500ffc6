package dev.lethe.scripts;

import picocli.CommandLine;
import picocli.CommandLine.Command;

/** The {@code lethe} command line. */
@Command(name = "lethe", mixinStandardHelpOptions = true, version = "lethe 0.1.0",
        description = "Machine unlearning toolkit: make a language model forget, and measure it TOFU-style.",
        subcommands = {TofuMiniCommand.class, TofuCommand.class, GenerateCommand.class, TrainCommand.class,
                UnlearnCommand.class, EvalCommand.class, AttackCommand.class, ProbeCommand.class, AggregateCommand.class,
                RegressCommand.class, BenchCommand.class})
public final class Lethe implements Runnable {

    @Override
    public void run() {
        CommandLine.usage(this, System.out);
    }

    public static void main(String[] args) {
        System.setProperty("java.awt.headless", "true");
        System.exit(commandLine().execute(args));
    }

    /** The configured command line (also used by tests). */
    static CommandLine commandLine() {
        CommandLine cl = new CommandLine(new Lethe());
        // Bad input is reported as one clear line, not a stack trace (set -Dlethe.debug=true for the trace).
        cl.setExecutionExceptionHandler((e, cmd, parsed) -> {
            if (Boolean.getBoolean("lethe.debug")) {
                e.printStackTrace();
            }
            cmd.getErr().println("lethe " + cmd.getCommandName() + ": " + describe(e));
            return 1;
        });
        return cl;
    }

    static String describe(Throwable e) {
        Throwable t = e;
        while ((t instanceof java.io.UncheckedIOException || t instanceof java.util.concurrent.ExecutionException)
                && t.getCause() != null) {
            t = t.getCause();
        }
        String m = t.getMessage();
        if (t instanceof java.nio.file.NoSuchFileException) {
            return "no such file: " + m + (((java.nio.file.NoSuchFileException) t).getReason() != null
                    ? " (" + ((java.nio.file.NoSuchFileException) t).getReason() + ")" : "");
        }
        return m == null ? t.getClass().getSimpleName() : m;
    }
}
