package dev.lethe.uld;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.lethe.datasets.tofu.PerturbedQaItem;
import dev.lethe.datasets.tofu.QaItem;
import dev.lethe.datasets.tofu.TofuBenchmark;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Random;

/**
 * ULD's TOFU data augmentation (uld.md §3) for the forget items of split {@code forgetXX} and the matching
 * {@code retainXX} rows.
 *
 * <ul>
 *   <li><b>D'_f</b> = every forget QA, followed by {@code expandQaNum} pairs drawn from the cross product
 *       {question, paraphrased questions} × {answer, paraphrased answers} minus the original pair;</li>
 *   <li><b>D'_r</b> = the last {@code min(regularRetainCap, |D_f|)} retain rows, then every forget question
 *       paired with up to {@code perturbedPerQuestion} perturbed (wrong) answers.</li>
 * </ul>
 *
 * <p>Where the paraphrases and wrong answers come from ({@link Texts}):
 * <ul>
 *   <li>a synthetic world ships them in {@code uld_augment.json}, the analogue of the reference code's GPT-3.5
 *       {@code paraphrase_res.csv} / {@code perturb_res.csv}: phrasings and wrong answers the TOFU evaluation
 *       never scores. This matters: training the assistant to remember the evaluated paraphrased answer and to
 *       be flat on the evaluated perturbed answers tunes the truth ratio directly, and forget quality then
 *       measures the augmentation rather than the forgetting;</li>
 *   <li>real TOFU has no such file offline, so its own {@code paraphrased_question} / {@code paraphrased_answer}
 *       and {@code perturbed_answer} fields are used (the choice), and the run records it. The reference
 *       takes the cross product of paraphrases only; TOFU has one paraphrase of each, so the originals join the
 *       product to give the same 2 extra pairs per item (and the paper's |D'_f| = 3·|D_f|, Table 5).</li>
 * </ul>
 *
 * <p>Determinism: the reference picks pairs through a Python {@code set}, so the choice changes with
 * {@code PYTHONHASHSEED} (pitfall 5). Here candidates are listed in a fixed order (duplicates dropped, first
 * occurrence kept) and the subset is drawn with a {@link Random} seeded by (seed, item index), keeping the
 * candidates' order — the same inputs and seed always give the same sets.
 */
public final class UldAugmentation {

    /** The synthetic world's augmentation file (see {@code WorldWriter.ULD_AUGMENT_FILE}). */
    public static final String WORLD_FILE = "uld_augment.json";

    /** {@link UldDataset#source()} values. */
    public static final String SOURCE_WORLD = "world " + WORLD_FILE;
    public static final String SOURCE_TOFU_FIELDS = "tofu paraphrased_*/perturbed_answer fields";

    private static final ObjectMapper JSON = new ObjectMapper();

    private UldAugmentation() {}

    /** One forget item and the texts its augmentation draws from. */
    public record Texts(String question, String answer, List<String> paraphrasedQuestions,
                        List<String> paraphrasedAnswers, List<String> wrongAnswers) {
        public Texts {
            paraphrasedQuestions = List.copyOf(paraphrasedQuestions);
            paraphrasedAnswers = List.copyOf(paraphrasedAnswers);
            wrongAnswers = List.copyOf(wrongAnswers);
        }

        /** The TOFU row's own paraphrase and perturbed answers. */
        static Texts of(PerturbedQaItem item) {
            List<String> pq = new ArrayList<>();
            List<String> pa = new ArrayList<>();
            addIfText(pq, item.paraphrasedQuestion());
            addIfText(pa, item.paraphrasedAnswer());
            return new Texts(item.question(), item.answer(), pq, pa, UldAugmentation.wrongAnswers(item));
        }
    }

    /**
     * D'_f and D'_r for TOFU split {@code forgetXX} of {@code bench}: from the world's {@value #WORLD_FILE} when
     * {@code bench}'s directory has one, else (real TOFU) from the TOFU rows' own paraphrase fields. A generated
     * world without the file is refused rather than silently trained on the texts the evaluation scores.
     */
    public static UldDataset fromBenchmark(TofuBenchmark bench, int forgetPercent, UldConfig config)
            throws IOException {
        List<PerturbedQaItem> forget = bench.forgetPerturbed(forgetPercent);
        List<QaItem> retain = bench.retainForForget(forgetPercent);
        Path file = bench.dir().resolve(WORLD_FILE);
        if (!Files.isRegularFile(file)) {
            if (Files.isRegularFile(bench.dir().resolve(dev.lethe.datasets.synth.WorldWriter.MANIFEST_FILE))) {
                // a generated world from before the file existed: falling back would train on the evaluated texts
                throw new IOException(bench.dir() + " is a generated world without " + WORLD_FILE
                        + " (written by an older Lethe); regenerate it (lethe generate, or tofu-mini --force)");
            }
            return augment(forget, retain, config);
        }
        Map<List<String>, Texts> byRow = readWorldFile(file);
        List<Texts> texts = new ArrayList<>(forget.size());
        for (PerturbedQaItem item : forget) {
            Texts t = byRow.get(List.of(item.question(), item.answer()));
            if (t == null) {
                throw new IOException(file + ": no row for forget item " + item.index() + " (question \""
                        + item.question() + "\"); expected one line per row of full.json");
            }
            texts.add(t);
        }
        return augmentTexts(texts, retain, config, SOURCE_WORLD);
    }

    /**
     * @param forget the forget items with their paraphrases and perturbations ({@code forgetXX_perturbed})
     * @param retain the matching retain split, in file order ({@code retainXX})
     */
    public static UldDataset augment(List<PerturbedQaItem> forget, List<QaItem> retain, UldConfig config) {
        return augmentTexts(forget.stream().map(Texts::of).toList(), retain, config, SOURCE_TOFU_FIELDS);
    }

    /** D'_f and D'_r from explicit augmentation texts; {@code source} is recorded with the run. */
    public static UldDataset augmentTexts(List<Texts> forget, List<QaItem> retain, UldConfig config,
                                          String source) {
        List<UldExample> f = new ArrayList<>();
        List<UldExample> r = new ArrayList<>();
        for (int i = 0; i < forget.size(); i++) {
            Texts item = forget.get(i);
            f.add(new UldExample(item.question(), item.answer(), UldExample.Source.FORGET, i));
            for (String[] qa : pick(paraphrasePairs(item), config.expandQaNum(), config.seed(), 2L * i)) {
                f.add(new UldExample(qa[0], qa[1], UldExample.Source.FORGET_PARAPHRASE, i));
            }
        }
        int regular = Math.min(Math.min(config.regularRetainCap(), forget.size()), retain.size());
        for (int i = retain.size() - regular; i < retain.size(); i++) {
            QaItem q = retain.get(i);
            r.add(new UldExample(q.question(), q.answer(), UldExample.Source.RETAIN, i));
        }
        for (int i = 0; i < forget.size(); i++) {
            Texts item = forget.get(i);
            for (String wrong : pick(item.wrongAnswers(), config.perturbedPerQuestion(), config.seed(), 2L * i + 1)) {
                r.add(new UldExample(item.question(), wrong, UldExample.Source.FORGET_PERTURBED, i));
            }
        }
        return new UldDataset(f, r, source);
    }

    /** Rows of a {@value #WORLD_FILE}, keyed by (question, answer); a malformed line fails with file:line. */
    static Map<List<String>, Texts> readWorldFile(Path file) throws IOException {
        Map<List<String>, Texts> out = new HashMap<>();
        List<String> lines = Files.readAllLines(file, StandardCharsets.UTF_8);
        for (int n = 0; n < lines.size(); n++) {
            if (lines.get(n).isBlank()) {
                continue;
            }
            String where = file + ":" + (n + 1);
            JsonNode row;
            try {
                row = JSON.readTree(lines.get(n));
            } catch (IOException e) {
                throw new IOException(where + ": not a JSON object: " + e.getMessage(), e);
            }
            Texts t = new Texts(text(row, "question", where), text(row, "answer", where),
                    list(row, "paraphrased_questions", where), list(row, "paraphrased_answers", where),
                    list(row, "perturbed_answers", where));
            out.putIfAbsent(List.of(t.question(), t.answer()), t);
        }
        return out;
    }

    private static String text(JsonNode row, String field, String where) throws IOException {
        JsonNode v = row.get(field);
        if (v == null || !v.isTextual()) {
            throw new IOException(where + ": expected a string field \"" + field + "\"");
        }
        return v.asText();
    }

    private static List<String> list(JsonNode row, String field, String where) throws IOException {
        JsonNode v = row.get(field);
        if (v == null || !v.isArray()) {
            throw new IOException(where + ": expected a list of strings in \"" + field + "\"");
        }
        List<String> out = new ArrayList<>();
        for (JsonNode e : v) {
            if (!e.isTextual()) {
                throw new IOException(where + ": expected a list of strings in \"" + field + "\"");
            }
            out.add(e.asText());
        }
        return out;
    }

    /** {q', q} × {a', a} without (q, a), paraphrases first; empty when the row has no paraphrases. */
    static List<String[]> paraphrasePairs(Texts item) {
        LinkedHashSet<String> qs = new LinkedHashSet<>();
        LinkedHashSet<String> as = new LinkedHashSet<>();
        item.paraphrasedQuestions().forEach(q -> addIfText(qs, q));
        qs.add(item.question());
        item.paraphrasedAnswers().forEach(a -> addIfText(as, a));
        as.add(item.answer());
        List<String[]> out = new ArrayList<>();
        for (String q : qs) {
            for (String a : as) {
                if (!(q.equals(item.question()) && a.equals(item.answer()))) {
                    out.add(new String[] {q, a});
                }
            }
        }
        return out;
    }

    /** Distinct perturbed answers that differ from the true and the paraphrased answer, in file order. */
    static List<String> wrongAnswers(PerturbedQaItem item) {
        LinkedHashSet<String> out = new LinkedHashSet<>();
        for (String w : item.perturbedAnswers()) {
            if (w != null && !w.isBlank() && !w.equals(item.answer())
                    && !Objects.equals(w, item.paraphrasedAnswer())) {
                out.add(w);
            }
        }
        return new ArrayList<>(out);
    }

    private static void addIfText(java.util.Collection<String> set, String s) {
        if (s != null && !s.isBlank()) {
            set.add(s);
        }
    }

    /** {@code n} of {@code candidates} (all when there are no more), drawn by a seeded shuffle, in list order. */
    static <T> List<T> pick(List<T> candidates, int n, long seed, long stream) {
        return dev.lethe.core.util.Subsample.inOrder(candidates, n, seed * 0x9E3779B97F4A7C15L + stream);
    }
}
