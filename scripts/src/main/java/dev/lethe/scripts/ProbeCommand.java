package dev.lethe.scripts;

import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

/** {@code lethe probe …}: representation probes that fingerprint unlearning without generating. */
@Command(name = "probe", mixinStandardHelpOptions = true, subcommands = {ProbeEntropyCommand.class},
        description = "Representation probes: entropy (UNComp matrix entropy, target vs unlearned models).")
final class ProbeCommand implements Runnable {

    @Spec
    CommandSpec spec;

    @Override
    public void run() {
        throw new CommandLine.ParameterException(spec.commandLine(), "name a probe: entropy");
    }
}
