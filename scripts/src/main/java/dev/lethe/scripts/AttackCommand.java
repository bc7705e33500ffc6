package dev.lethe.scripts;

import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

/** {@code lethe attack …}: attacks that try to bring forgotten knowledge back. */
@Command(name = "attack", mixinStandardHelpOptions = true, subcommands = {AttackIclCommand.class},
        description = "Attacks on an unlearned model: icl (in-context relearning).")
final class AttackCommand implements Runnable {

    @Spec
    CommandSpec spec;

    @Override
    public void run() {
        throw new CommandLine.ParameterException(spec.commandLine(), "name an attack: icl");
    }
}
