package dev.lethe.eval;

import dev.lethe.core.lm.LanguageModel;
import dev.lethe.core.text.ChatTemplate;
import dev.lethe.core.util.Provenance;
import dev.lethe.eval.metrics.engine.EvalLog;
import dev.lethe.eval.metrics.engine.MetricParams;
import dev.lethe.eval.metrics.tofu.TofuMetrics;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * Settings of one {@link TofuEvaluator} run, built DJL-style ({@code set*} required, {@code opt*} optional;
 * nothing is required here, every option has a default).
 *
 * <p>Defaults follow open-unlearning's TOFU evaluation: tag template {@code qa}, greedy decoding with 200 new
 * tokens, full sequences truncated at 512 ids, Min-K% k = 0.4, and {@link #TOFU_SUITE} as the metric list.
 */
public final class EvalOptions {

    /**
     * Lethe's default metric list: OU's {@code eval=tofu} suite ({@link TofuMetrics#DEFAULT_SUITE}) plus exact
     * memorisation and the four MIA attacks that need only teacher-forced scores. {@code mia_gradnorm} (one
     * backward pass per item) and {@code mia_reference} (a second model) must be asked for explicitly.
     */
    public static final List<String> TOFU_SUITE;

    static {
        List<String> s = new ArrayList<>(TofuMetrics.DEFAULT_SUITE);
        s.addAll(List.of("exact_memorization", "mia_loss", "mia_zlib", TofuMetrics.MIA_MIN_K, "mia_min_k_plus_plus"));
        TOFU_SUITE = List.copyOf(s);
    }

    private final ChatTemplate template;
    private final int batchSize;
    private final int generationBatchSize;
    private final int maxNewTokens;
    private final int maxLength;
    private final List<String> metrics;
    private final EvalLog retainLog;
    private final Path outDir;
    private final Provenance provenance;
    private final MetricParams metricParams;
    private final LanguageModel referenceModel;

    private EvalOptions(Builder b) {
        this.template = b.template;
        this.batchSize = b.batchSize;
        this.generationBatchSize = b.generationBatchSize > 0 ? b.generationBatchSize : b.batchSize;
        this.maxNewTokens = b.maxNewTokens;
        this.maxLength = b.maxLength;
        this.metrics = List.copyOf(b.metrics);
        this.retainLog = b.retainLog;
        this.outDir = b.outDir;
        this.provenance = b.provenance;
        this.metricParams = b.metricParams;
        this.referenceModel = b.referenceModel;
    }

    public static Builder builder() {
        return new Builder();
    }

    /** All defaults. */
    public static EvalOptions defaults() {
        return builder().build();
    }

    /** Prompt template of the model under test (qa, llama2, llama3, plain). */
    public ChatTemplate template() {
        return template;
    }

    /** Rows per teacher-forced scoring batch. */
    public int batchSize() {
        return batchSize;
    }

    /** Rows per generation batch (defaults to {@link #batchSize()}). */
    public int generationBatchSize() {
        return generationBatchSize;
    }

    /** Greedy new-token budget of the ROUGE generations (OU: 200). */
    public int maxNewTokens() {
        return maxNewTokens;
    }

    /** Full-sequence truncation before EOS is appended (OU: 512); further capped by the model's positions. */
    public int maxLength() {
        return maxLength;
    }

    /** Metrics to compute (their dependencies are computed and logged too). */
    public List<String> metrics() {
        return metrics;
    }

    /** The retain model's log (forget quality, privleak reference), or null. */
    public EvalLog retainLog() {
        return retainLog;
    }

    /** Where {@code TOFU_EVAL.json}, {@code SUMMARY.json} and {@code lethe.json} go, or null (nothing written). */
    public Path outDir() {
        return outDir;
    }

    /** Provenance written as {@code lethe.json} beside the logs (with the evaluation timings added), or null. */
    public Provenance provenance() {
        return provenance;
    }

    public MetricParams metricParams() {
        return metricParams;
    }

    /** Reference model of {@code mia_reference} (e.g. the retain model), or null. */
    public LanguageModel referenceModel() {
        return referenceModel;
    }

    /** Builder; every option has a default. */
    public static final class Builder {
        private ChatTemplate template = ChatTemplate.QA;
        private int batchSize = 32;
        private int generationBatchSize;
        private int maxNewTokens = 200;
        private int maxLength = 512;
        private List<String> metrics = TOFU_SUITE;
        private EvalLog retainLog;
        private Path outDir;
        private Provenance provenance;
        private MetricParams metricParams = MetricParams.defaults();
        private LanguageModel referenceModel;

        private Builder() {}

        public Builder optTemplate(ChatTemplate template) {
            this.template = Objects.requireNonNull(template, "template");
            return this;
        }

        /** Template by name: qa (default), llama2, llama3, plain. */
        public Builder optTemplate(String name) {
            return optTemplate(ChatTemplate.named(name));
        }

        public Builder optBatchSize(int n) {
            if (n < 1) {
                throw new IllegalArgumentException("batch size must be >= 1, got " + n);
            }
            this.batchSize = n;
            return this;
        }

        public Builder optGenerationBatchSize(int n) {
            if (n < 1) {
                throw new IllegalArgumentException("generation batch size must be >= 1, got " + n);
            }
            this.generationBatchSize = n;
            return this;
        }

        public Builder optMaxNewTokens(int n) {
            if (n < 1) {
                throw new IllegalArgumentException("max new tokens must be >= 1, got " + n);
            }
            this.maxNewTokens = n;
            return this;
        }

        public Builder optMaxLength(int n) {
            if (n < 2) {
                throw new IllegalArgumentException("max length must be >= 2, got " + n);
            }
            this.maxLength = n;
            return this;
        }

        /** Metric names of {@link TofuMetrics#registry()}; unknown names fail at evaluation, listing the known ones. */
        public Builder optMetrics(List<String> names) {
            if (names.isEmpty()) {
                throw new IllegalArgumentException("metric list is empty");
            }
            this.metrics = List.copyOf(names);
            return this;
        }

        public Builder optRetainLog(EvalLog log) {
            this.retainLog = log;
            return this;
        }

        /** A retain log file: OU {@code TOFU_EVAL.json} or a legacy TOFU log (see {@link ReferenceLogs#read}). */
        public Builder optRetainLog(Path file) {
            this.retainLog = file == null ? null : ReferenceLogs.read(file);
            return this;
        }

        public Builder optOutDir(Path dir) {
            this.outDir = dir;
            return this;
        }

        public Builder optProvenance(Provenance p) {
            this.provenance = p;
            return this;
        }

        public Builder optMetricParams(MetricParams p) {
            this.metricParams = Objects.requireNonNull(p, "metric params");
            return this;
        }

        public Builder optReferenceModel(LanguageModel model) {
            this.referenceModel = model;
            return this;
        }

        public EvalOptions build() {
            return new EvalOptions(this);
        }
    }
}
