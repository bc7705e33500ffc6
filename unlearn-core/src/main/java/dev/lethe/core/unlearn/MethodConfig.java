package dev.lethe.core.unlearn;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.stream.Collectors;

/**
 * The hyper-parameters of one unlearning run: the training schedule shared by every method plus the
 * method's own keys, each with open-unlearning's TOFU default (tofu-eval.md §3). A method declares exactly
 * the keys it reads, so an override of a key the method does not have fails instead of being ignored.
 *
 * <p>Start from {@link #defaults(String)} or {@link #builder(String)}; the CLI's {@code --set key=value}
 * pairs go through {@link #withOverrides(Map)}. {@link #toMap()} is the effective configuration, for
 * provenance. Instances are immutable.
 */
public final class MethodConfig {

    /** Every configuration key, with its type and meaning (OU's name in parentheses where it differs). */
    public enum Key {
        LR("lr", Type.POSITIVE_DOUBLE, "peak learning rate (learning_rate)"),
        EPOCHS("epochs", Type.POSITIVE_INT, "passes over the forget set, fixed in advance (num_train_epochs)"),
        BATCH_SIZE("batch_size", Type.POSITIVE_INT, "forget rows per micro-batch (per_device_train_batch_size)"),
        GRAD_ACCUM("grad_accum", Type.POSITIVE_INT, "micro-batches per optimizer step (gradient_accumulation_steps)"),
        WARMUP_EPOCHS("warmup_epochs", Type.NON_NEGATIVE_DOUBLE,
                "linear warm-up length in epochs: ⌊warmup_epochs·|forget| / (batch_size·grad_accum)⌋ steps"),
        WEIGHT_DECAY("weight_decay", Type.NON_NEGATIVE_DOUBLE, "AdamW decoupled weight decay (matrices only)"),
        MAX_GRAD_NORM("max_grad_norm", Type.NON_NEGATIVE_DOUBLE, "global gradient-norm clip; 0 disables"),
        SEED("seed", Type.LONG, "seeds the pairing, the random vectors and dropout"),
        GAMMA("gamma", Type.NON_NEGATIVE_DOUBLE, "weight of the forget term"),
        ALPHA("alpha", Type.NON_NEGATIVE_DOUBLE, "weight of the retain term"),
        BETA("beta", Type.POSITIVE_DOUBLE, "inverse temperature (NPO, SimNPO, DPO) or UNDIAL's logit penalty"),
        DELTA("delta", Type.DOUBLE, "SimNPO reward margin"),
        RETAIN_LOSS("retain_loss_type", Type.RETAIN_LOSS, "retain term: NLL or KL"),
        STEERING_COEFF("steering_coeff", Type.POSITIVE_DOUBLE, "RMU: norm c of the target activation c·u"),
        RMU_LAYER("rmu_layer", Type.LAYER, "RMU: decoder layer whose output is steered; -1 = min(7, (L-1)/2)"),
        UNDIAL_IGNORED("undial_ignored", Type.UNDIAL_IGNORED,
                "UNDIAL at label −100: 'wrap' penalises id V−100 like OU's indexing, 'skip' penalises nothing");

        private final String id;
        private final Type type;
        private final String doc;

        Key(String id, Type type, String doc) {
            this.id = id;
            this.type = type;
            this.doc = doc;
        }

        /** The name used in override maps and provenance. */
        public String id() {
            return id;
        }

        public String doc() {
            return doc;
        }

        static Key byId(String id) {
            for (Key k : values()) {
                if (k.id.equals(id)) {
                    return k;
                }
            }
            return null;
        }

        Object parse(String text) {
            String s = text.trim();
            Object v;
            try {
                v = switch (type) {
                    case POSITIVE_INT, LAYER -> Integer.parseInt(s);
                    case LONG -> Long.parseLong(s);
                    case RETAIN_LOSS -> RetainLoss.valueOf(s.toUpperCase(Locale.ROOT));
                    case UNDIAL_IGNORED -> UndialIgnored.valueOf(s.toUpperCase(Locale.ROOT));
                    default -> Double.parseDouble(s);
                };
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException("'" + id + "' = '" + text + "' is not " + type.what, e);
            }
            return check(v);
        }

        Object check(Object v) {
            Objects.requireNonNull(v, id);
            boolean ok = switch (type) {
                case POSITIVE_DOUBLE -> v instanceof Double d && d > 0 && Double.isFinite(d);
                case NON_NEGATIVE_DOUBLE -> v instanceof Double d && d >= 0 && Double.isFinite(d);
                case DOUBLE -> v instanceof Double d && Double.isFinite(d);
                case POSITIVE_INT -> v instanceof Integer i && i > 0;
                case LAYER -> v instanceof Integer i && i >= -1;
                case LONG -> v instanceof Long;
                case RETAIN_LOSS -> v instanceof RetainLoss;
                case UNDIAL_IGNORED -> v instanceof UndialIgnored;
            };
            if (!ok) {
                throw new IllegalArgumentException("'" + id + "' = " + v + " is not " + type.what);
            }
            return v;
        }
    }

    private enum Type {
        POSITIVE_DOUBLE("a positive finite number"),
        NON_NEGATIVE_DOUBLE("a finite number ≥ 0"),
        DOUBLE("a finite number"),
        POSITIVE_INT("a positive integer"),
        LAYER("a layer index ≥ 0, or -1 for the default"),
        LONG("an integer"),
        RETAIN_LOSS("one of NLL, KL"),
        UNDIAL_IGNORED("one of wrap, skip");

        final String what;

        Type(String what) {
            this.what = what;
        }
    }

    /** What UNDIAL does at positions whose label is −100 (tofu-eval.md §3.3). */
    public enum UndialIgnored {
        /** Like OU: the index −100 selects vocabulary id V−100 (Python modulo when V < 100). */
        WRAP,
        /** Leave the teacher distribution unchanged there. */
        SKIP;

        @Override
        public String toString() {
            return name().toLowerCase(Locale.ROOT);
        }
    }

    private final String method;
    private final Map<Key, Object> values;

    private MethodConfig(String method, Map<Key, Object> values) {
        this.method = method;
        this.values = Collections.unmodifiableMap(new LinkedHashMap<>(values));
    }

    /**
     * The schedule every method shares: OU's TOFU unlearning trainer (lr 1e-5, 10 epochs, AdamW with weight
     * decay 0.01, warm-up 1 epoch then linear decay, clip 1.0, seed 0). OU's effective batch is 32 (4 per
     * device × 4 accumulation × 2 GPUs); here one micro-batch of 32 with no accumulation, which is the same
     * optimisation — raise {@code grad_accum} and lower {@code batch_size} to save memory.
     */
    static MethodConfig schedule(String method) {
        Map<Key, Object> v = new LinkedHashMap<>();
        v.put(Key.LR, 1e-5);
        v.put(Key.EPOCHS, 10);
        v.put(Key.BATCH_SIZE, 32);
        v.put(Key.GRAD_ACCUM, 1);
        v.put(Key.WARMUP_EPOCHS, 1.0);
        v.put(Key.WEIGHT_DECAY, 0.01);
        v.put(Key.MAX_GRAD_NORM, 1.0);
        v.put(Key.SEED, 0L);
        return new MethodConfig(method, v);
    }

    /** Declares a method key with its default (used by the methods to build their defaults). */
    MethodConfig declare(Key key, Object defaultValue) {
        Map<Key, Object> v = new LinkedHashMap<>(values);
        v.put(key, key.check(defaultValue));
        return new MethodConfig(method, v);
    }

    /** The defaults of a registered method. */
    public static MethodConfig defaults(String method) {
        return MethodRegistry.get(method).defaults();
    }

    public static Builder builder(String method) {
        return new Builder(defaults(method));
    }

    public String method() {
        return method;
    }

    public boolean has(Key key) {
        return values.containsKey(key);
    }

    /** A copy with one key changed; the key must belong to this method. */
    public MethodConfig with(Key key, Object value) {
        require(key);
        Object v = value instanceof Float f ? Double.valueOf(f) : value;
        if (key.type == Type.LONG && v instanceof Integer i) {
            v = Long.valueOf(i);
        }
        if ((key.type == Type.POSITIVE_DOUBLE || key.type == Type.NON_NEGATIVE_DOUBLE || key.type == Type.DOUBLE)
                && v instanceof Integer i) {
            v = Double.valueOf(i);
        }
        Map<Key, Object> copy = new LinkedHashMap<>(values);
        copy.put(key, key.check(v));
        return new MethodConfig(method, copy);
    }

    /**
     * Applies {@code key=value} overrides (e.g. the CLI's {@code --set}). Every key must belong to this method
     * and every value must parse; otherwise nothing is applied and the error lists the valid keys.
     */
    public MethodConfig withOverrides(Map<String, String> overrides) {
        MethodConfig c = this;
        for (Map.Entry<String, String> e : overrides.entrySet()) {
            String id = e.getKey().trim();
            Key key = Key.byId(id);
            if (key == null || !values.containsKey(key)) {
                throw new IllegalArgumentException((key == null ? "Unknown key '" : "Key '") + id + "'"
                        + (key == null ? "" : " does not apply to method " + method) + "; valid keys for "
                        + method + ": " + String.join(", ", keyIds()));
            }
            if (e.getValue() == null) {
                throw new IllegalArgumentException("'" + id + "' has no value");
            }
            c = c.with(key, key.parse(e.getValue()));
        }
        return c;
    }

    /** The keys this method accepts, in declaration order. */
    public java.util.List<String> keyIds() {
        return values.keySet().stream().map(Key::id).toList();
    }

    /** The effective configuration as strings, {@code method} first: what a run records for provenance. */
    public Map<String, String> toMap() {
        Map<String, String> out = new LinkedHashMap<>();
        out.put("method", method);
        values.forEach((k, v) -> out.put(k.id, String.valueOf(v)));
        return Collections.unmodifiableMap(out);
    }

    private void require(Key key) {
        if (!values.containsKey(key)) {
            throw new IllegalArgumentException("Method " + method + " has no '" + key.id + "'; its keys: "
                    + String.join(", ", keyIds()));
        }
    }

    private double d(Key k) {
        require(k);
        return (Double) values.get(k);
    }

    private int i(Key k) {
        require(k);
        return (Integer) values.get(k);
    }

    public double learningRate() {
        return d(Key.LR);
    }

    public int epochs() {
        return i(Key.EPOCHS);
    }

    public int batchSize() {
        return i(Key.BATCH_SIZE);
    }

    public int gradAccum() {
        return i(Key.GRAD_ACCUM);
    }

    public double warmupEpochs() {
        return d(Key.WARMUP_EPOCHS);
    }

    public double weightDecay() {
        return d(Key.WEIGHT_DECAY);
    }

    public double maxGradNorm() {
        return d(Key.MAX_GRAD_NORM);
    }

    public long seed() {
        require(Key.SEED);
        return (Long) values.get(Key.SEED);
    }

    public double gamma() {
        return d(Key.GAMMA);
    }

    public double alpha() {
        return d(Key.ALPHA);
    }

    public double beta() {
        return d(Key.BETA);
    }

    public double delta() {
        return d(Key.DELTA);
    }

    public RetainLoss retainLoss() {
        require(Key.RETAIN_LOSS);
        return (RetainLoss) values.get(Key.RETAIN_LOSS);
    }

    public double steeringCoeff() {
        return d(Key.STEERING_COEFF);
    }

    /** The configured RMU layer, −1 meaning "the default for the model". */
    public int rmuLayer() {
        return i(Key.RMU_LAYER);
    }

    public UndialIgnored undialIgnored() {
        require(Key.UNDIAL_IGNORED);
        return (UndialIgnored) values.get(Key.UNDIAL_IGNORED);
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof MethodConfig c && c.method.equals(method) && c.values.equals(values);
    }

    @Override
    public int hashCode() {
        return Objects.hash(method, values);
    }

    @Override
    public String toString() {
        return toMap().entrySet().stream().map(e -> e.getKey() + "=" + e.getValue())
                .collect(Collectors.joining(", ", "MethodConfig{", "}"));
    }

    /** DJL-style builder over a method's defaults: {@code opt*} for every key, each checked as it is set. */
    public static final class Builder {
        private MethodConfig config;

        private Builder(MethodConfig defaults) {
            this.config = defaults;
        }

        public Builder optLearningRate(double lr) {
            config = config.with(Key.LR, lr);
            return this;
        }

        public Builder optEpochs(int epochs) {
            config = config.with(Key.EPOCHS, epochs);
            return this;
        }

        public Builder optBatchSize(int batchSize) {
            config = config.with(Key.BATCH_SIZE, batchSize);
            return this;
        }

        public Builder optGradAccum(int micro) {
            config = config.with(Key.GRAD_ACCUM, micro);
            return this;
        }

        public Builder optWarmupEpochs(double epochs) {
            config = config.with(Key.WARMUP_EPOCHS, epochs);
            return this;
        }

        public Builder optWeightDecay(double wd) {
            config = config.with(Key.WEIGHT_DECAY, wd);
            return this;
        }

        public Builder optMaxGradNorm(double norm) {
            config = config.with(Key.MAX_GRAD_NORM, norm);
            return this;
        }

        public Builder optSeed(long seed) {
            config = config.with(Key.SEED, seed);
            return this;
        }

        public Builder optGamma(double gamma) {
            config = config.with(Key.GAMMA, gamma);
            return this;
        }

        public Builder optAlpha(double alpha) {
            config = config.with(Key.ALPHA, alpha);
            return this;
        }

        public Builder optBeta(double beta) {
            config = config.with(Key.BETA, beta);
            return this;
        }

        public Builder optDelta(double delta) {
            config = config.with(Key.DELTA, delta);
            return this;
        }

        public Builder optRetainLoss(RetainLoss type) {
            config = config.with(Key.RETAIN_LOSS, type);
            return this;
        }

        public Builder optSteeringCoeff(double c) {
            config = config.with(Key.STEERING_COEFF, c);
            return this;
        }

        public Builder optRmuLayer(int layer) {
            config = config.with(Key.RMU_LAYER, layer);
            return this;
        }

        public Builder optUndialIgnored(UndialIgnored mode) {
            config = config.with(Key.UNDIAL_IGNORED, mode);
            return this;
        }

        /** String overrides, as {@link MethodConfig#withOverrides}. */
        public Builder optOverrides(Map<String, String> overrides) {
            config = config.withOverrides(overrides);
            return this;
        }

        public MethodConfig build() {
            return config;
        }
    }
}
