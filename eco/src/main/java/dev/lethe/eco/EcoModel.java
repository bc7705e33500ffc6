package dev.lethe.eco;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import dev.lethe.core.lm.DecodingSession;
import dev.lethe.core.lm.LanguageModel;
import dev.lethe.core.lm.TokenBatch;
import dev.lethe.core.model.Decoder;
import dev.lethe.core.model.DecoderConfig;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * The ECO-unlearned model: the target's weights untouched, its prompts gated (eco.md §1).
 * <ol>
 *   <li>The classifier scores each row's prompt, template stripped; the {@link Threshold} decides.</li>
 *   <li>No row flagged: the call is handed to the target as is, so the logits are exactly the target's.</li>
 *   <li>Otherwise the input embeddings are looked up, the {@link TokenSelector}'s positions of flagged rows are
 *       corrupted, and the decoder runs from the embeddings. Unflagged rows of a mixed batch keep their
 *       embeddings and so their logits.</li>
 * </ol>
 * Generation corrupts the prefill only; decode steps run on token ids with the KV cache (the reference's hook
 * fires only for sequence length &gt; 1). Teacher-forced {@link #logits} runs the selector on the whole row,
 * prompt + answer, so answer entity tokens are corrupted too (§4, pitfall 4).
 *
 * <p>Prompts: in {@link #logits} the first {@code promptLengths[b]} real tokens of row b when the batch carries
 * prompt lengths, else the whole row; in {@link #startDecoding} the whole row. The noise of a row is seeded by its
 * prompt, so a prompt is corrupted identically in generation, scoring and any batch.
 *
 * <p>The model owns its classifier; the target belongs to the caller and is not closed here.
 */
public final class EcoModel implements LanguageModel {

    private final Decoder target;
    private final PromptClassifier classifier;
    private final Threshold threshold;
    private final TokenSelector selector;
    private final Corruption corruption;
    private final TemplateStripper stripper;
    private final boolean ownsClassifier;
    private final List<AutoCloseable> resources = new ArrayList<>();

    public EcoModel(Decoder target, PromptClassifier classifier, Threshold threshold, TokenSelector selector,
                    Corruption corruption, TemplateStripper stripper) {
        this(target, classifier, threshold, selector, corruption, stripper, true);
    }

    private EcoModel(Decoder target, PromptClassifier classifier, Threshold threshold, TokenSelector selector,
                     Corruption corruption, TemplateStripper stripper, boolean ownsClassifier) {
        this.target = target;
        this.classifier = classifier;
        this.threshold = threshold;
        this.selector = selector;
        this.corruption = corruption;
        this.stripper = stripper;
        this.ownsClassifier = ownsClassifier;
    }

    /** A model that uses but does not own {@code classifier} (closing it leaves the classifier open). */
    static EcoModel view(Decoder target, PromptClassifier classifier, Threshold threshold, TokenSelector selector,
                         Corruption corruption, TemplateStripper stripper) {
        return new EcoModel(target, classifier, threshold, selector, corruption, stripper, false);
    }

    /** Closes {@code resource} (e.g. a tokenizer loaded with the model) when the model is closed. */
    EcoModel closing(AutoCloseable resource) {
        resources.add(resource);
        return this;
    }

    /** The same gate with another corruption; shares the classifier (closing the view leaves it open). */
    public EcoModel withCorruption(Corruption c) {
        return new EcoModel(target, classifier, threshold, selector, c, stripper, false);
    }

    /** The same model with another decision rule; shares the classifier. */
    public EcoModel withThreshold(Threshold t) {
        return new EcoModel(target, classifier, t, selector, corruption, stripper, false);
    }

    public Decoder target() {
        return target;
    }

    public PromptClassifier classifier() {
        return classifier;
    }

    public Threshold threshold() {
        return threshold;
    }

    public TokenSelector selector() {
        return selector;
    }

    public Corruption corruption() {
        return corruption;
    }

    public TemplateStripper stripper() {
        return stripper;
    }

    /** Classifier margins of templated prompts (ids as given to the model, BOS included). */
    public double[] margins(List<int[]> prompts) {
        List<int[]> bare = new ArrayList<>(prompts.size());
        for (int[] p : prompts) {
            bare.add(stripper.strip(p));
        }
        return classifier.margins(bare);
    }

    /** Which templated prompts the gate flags. */
    public boolean[] flags(List<int[]> prompts) {
        double[] m = margins(prompts);
        boolean[] f = new boolean[m.length];
        for (int i = 0; i < m.length; i++) {
            f[i] = threshold.flags(m[i]);
        }
        return f;
    }

    @Override
    public DecoderConfig config() {
        return target.config();
    }

    @Override
    public NDManager manager() {
        return target.manager();
    }

    @Override
    public NDArray logits(TokenBatch batch) {
        return target.forward(input(batch)).logits();
    }

    /** As {@link #logits}, with the target's LM head run on the asked-for positions only. */
    @Override
    public NDArray logitsAt(TokenBatch batch, NDArray positions) {
        return target.logitsAt(target.forward(input(batch).optLogits(false)).lastHidden(), positions);
    }

    /** The target's input for a teacher-forced batch: its ids, or corrupted embeddings when a row is flagged. */
    private Decoder.Input input(TokenBatch batch) {
        Rows rows = Rows.of(batch, batch.promptLengths());
        boolean[] flagged = flags(rows.prompts);
        Decoder.Input in = any(flagged) ? Decoder.Input.embeddings(corrupt(batch.ids(), rows, flagged))
                : Decoder.Input.ids(batch.ids());
        return in.optAttentionMask(batch.attentionMask());
    }

    @Override
    public DecodingSession startDecoding(TokenBatch prompt) {
        Rows rows = Rows.of(prompt, null);
        boolean[] flagged = flags(rows.prompts);
        if (!any(flagged)) {
            return target.startDecoding(prompt);
        }
        // the decoder's own session, prefilled from the corrupted embeddings; later steps decode normally
        try (NDManager step = prompt.ids().getManager().newSubManager()) {
            NDArray ids = prompt.ids().toType(DataType.INT64, false).duplicate();
            ids.attach(step);
            return target.startDecoding(prompt, corrupt(ids, rows, flagged));
        }
    }

    /** Corrupted embeddings {@code [B, T, d]} of the batch; selection of flagged rows only. */
    private NDArray corrupt(NDArray ids, Rows rows, boolean[] flagged) {
        int b = rows.real.size();
        int t = (int) ids.getShape().get(1);
        boolean[][] selected = new boolean[b][t];
        long[] seeds = new long[b];
        for (int i = 0; i < b; i++) {
            seeds[i] = Arrays.hashCode(rows.prompts.get(i));
            if (!flagged[i]) {
                continue;
            }
            boolean[] s = selector.select(rows.real.get(i));
            int[] pos = rows.positions.get(i);
            for (int j = 0; j < pos.length; j++) {
                selected[i][pos[j]] = s[j];
            }
        }
        NDArray emb = target.embed(ids);
        return corruption.apply(emb, selected, seeds);
    }

    private static boolean any(boolean[] f) {
        for (boolean v : f) {
            if (v) {
                return true;
            }
        }
        return false;
    }

    /** Per row: the real (unpadded) tokens, their column positions, and the prompt part. */
    private record Rows(List<int[]> real, List<int[]> positions, List<int[]> prompts) {
        static Rows of(TokenBatch batch, int[] promptLengths) {
            int b = batch.batchSize();
            int t = batch.length();
            long[] ids = batch.ids().toType(DataType.INT64, false).toLongArray();
            long[] mask = batch.attentionMask().toType(DataType.INT64, false).toLongArray();
            List<int[]> real = new ArrayList<>(b);
            List<int[]> positions = new ArrayList<>(b);
            List<int[]> prompts = new ArrayList<>(b);
            for (int i = 0; i < b; i++) {
                int n = 0;
                for (int j = 0; j < t; j++) {
                    n += mask[i * t + j] != 0 ? 1 : 0;
                }
                int[] r = new int[n];
                int[] p = new int[n];
                int k = 0;
                for (int j = 0; j < t; j++) {
                    if (mask[i * t + j] != 0) {
                        r[k] = Math.toIntExact(ids[i * t + j]);
                        p[k++] = j;
                    }
                }
                real.add(r);
                positions.add(p);
                int pl = promptLengths == null ? n : Math.min(n, Math.max(0, promptLengths[i]));
                prompts.add(Arrays.copyOf(r, pl));
            }
            return new Rows(real, positions, prompts);
        }
    }

    @Override
    public void close() {
        if (ownsClassifier) {
            classifier.close();
        }
        for (AutoCloseable r : resources) {
            try {
                r.close();
            } catch (Exception e) {
                throw new IllegalStateException("closing " + r, e);
            }
        }
    }
}
