package dev.lethe.scripts;

import picocli.CommandLine;
import picocli.CommandLine.Command;

/** The {@code lethe} command line. */
@Command(name = "lethe", mixinStandardHelpOptions = true, version = "lethe 0.1.0",
        description = "Machine unlearning toolkit: make a language model forget, and measure it TOFU-style.",
        subcommands = {BenchCommand.class})
public final class Lethe implements Runnable {

    @Override
    public void run() {
        CommandLine.usage(this, System.out);
    }

    public static void main(String[] args) {
        System.exit(new CommandLine(new Lethe()).execute(args));
    }
}
