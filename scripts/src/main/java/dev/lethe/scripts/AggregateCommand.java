package dev.lethe.scripts;

import dev.lethe.eval.logs.Aggregate;
import dev.lethe.eval.logs.AggregateResult;
import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

import java.nio.file.Path;
import java.util.concurrent.Callable;

/** {@code lethe aggregate}: recomputes forget quality and model utility from published eval logs. */
@Command(name = "aggregate", mixinStandardHelpOptions = true,
        description = "Recompute model utility and forget quality from a TOFU legacy log or an open-unlearning TOFU_EVAL.json; prints one JSON object.")
final class AggregateCommand implements Callable<Integer> {

    @ArgGroup(exclusive = true, multiplicity = "1")
    Source source;

    static final class Source {
        @Option(names = "--legacy-log", description = "TOFU eval_log_aggregated.json (or a per-split log)")
        Path legacy;
        @Option(names = "--eval-log", description = "open-unlearning TOFU_EVAL.json")
        Path evalLog;
    }

    @Option(names = "--retain-legacy-log", description = "the retain model's legacy log (for forget quality)")
    Path retainLegacy;

    @Option(names = "--retain-logs", description = "the retain model's TOFU_EVAL.json (for forget quality)")
    Path retainLogs;

    @Option(names = "--table", description = "print a text table instead of the JSON object")
    boolean table;

    @Override
    public Integer call() {
        AggregateResult r = source.legacy != null ? Aggregate.legacy(source.legacy, retainLegacy)
                : Aggregate.evalLog(source.evalLog, retainLogs);
        System.out.println(table ? r.table() : r.json());
        return 0;
    }
}
