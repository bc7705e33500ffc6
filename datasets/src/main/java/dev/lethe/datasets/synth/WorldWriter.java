package dev.lethe.datasets.synth;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.util.DefaultIndenter;
import com.fasterxml.jackson.core.util.DefaultPrettyPrinter;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.lethe.datasets.tofu.TofuSplits;
import dev.lethe.datasets.vocab.TokenizerJson;
import dev.lethe.datasets.vocab.WordLevelTokenizerBuilder;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Stream;

/**
 * Writes a synthetic world to a directory — the library side of {@code lethe generate}.
 *
 * <p>Files (all UTF-8, "\n" line ends, byte-identical for the same spec):
 * <ul>
 *   <li>the TOFU layout: {@code full.json}, {@code forget01/05/10.json}, {@code retain99/95/90.json},
 *       {@code forget01/05/10_perturbed.json}, {@code retain_perturbed.json}, {@code holdout01/05/10.json},
 *       {@code real_authors.json}, {@code real_authors_perturbed.json}, {@code world_facts.json},
 *       {@code world_facts_perturbed.json} (one JSON object per line, TOFU field names and order) and
 *       {@code idontknow.jsonl} (one plain refusal string per line);</li>
 *   <li>{@code pretrain.txt}: the pretraining corpus, one document per line;</li>
 *   <li>{@code entities.json}: per author (full then holdout) its name, rows and entities (PERSON, WORK, PLACE,
 *       ORG, DATE) for ECO;</li>
 *   <li>{@code uld_augment.json}: ULD's augmentation texts ({@link #ULD_AUGMENT_FILE});</li>
 *   <li>{@code tokenizer.json}: a word-level tokenizer over all of the world's text plus the template words;</li>
 *   <li>{@code world.json}: generator name, spec and the counts.</li>
 * </ul>
 * The directory is written atomically: files go to a temporary sibling directory, which is renamed into place.
 * An existing target is replaced only if it is empty or holds a previous world ({@code world.json}).
 */
public final class WorldWriter {

    public static final String PRETRAIN_FILE = "pretrain.txt";
    public static final String ENTITIES_FILE = "entities.json";
    public static final String TOKENIZER_FILE = "tokenizer.json";
    public static final String MANIFEST_FILE = "world.json";
    /**
     * ULD's augmentation data, one JSON object per line aligned with {@code full.json}: {@code question},
     * {@code answer}, {@code paraphrased_questions}, {@code paraphrased_answers}, {@code perturbed_answers}
     * (lists). Not a TOFU split: it plays the part of the ULD reference code's {@code data/aug_data}.
     */
    public static final String ULD_AUGMENT_FILE = "uld_augment.json";

    /** Words every template needs (qa and llama2 tags), so prompts never hit {@code <unk>}. */
    static final List<String> TEMPLATE_WORDS = List.of("Question: ", "Answer: ", "[INST] ", " [/INST]");

    private static final ObjectMapper JSON = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT)
            .setDefaultPrettyPrinter(new DefaultPrettyPrinter().withObjectIndenter(new DefaultIndenter("  ", "\n"))
                    .withArrayIndenter(new DefaultIndenter("  ", "\n")));

    private WorldWriter() {}

    /** Generates the world of {@code spec} and writes it to {@code out}; returns the counts. */
    public static WorldSummary write(Path out, WorldSpec spec) throws IOException {
        Map<String, String> files = render(spec);
        Path target = out.toAbsolutePath().normalize();
        Path parent = target.getParent();
        Files.createDirectories(parent);
        Path tmp = Files.createTempDirectory(parent, "." + target.getFileName() + ".tmp-");
        try {
            for (Map.Entry<String, String> f : files.entrySet()) {
                Files.writeString(tmp.resolve(f.getKey()), f.getValue(), StandardCharsets.UTF_8);
            }
            replace(tmp, target);
        } finally {
            deleteTree(tmp);
        }
        return summary(target, spec, files);
    }

    /** File name → content of the world of {@code spec}, in writing order (pure, no disk access). */
    public static Map<String, String> render(WorldSpec spec) {
        World w = WorldGenerator.generate(spec);
        Map<String, String> files = new LinkedHashMap<>();
        List<SynthQa> full = w.fullRows();
        int n = full.size();
        files.put(TofuSplits.fileName(TofuSplits.FULL), qaLines(full));
        for (int p : TofuSplits.FORGET_PERCENTS) {
            int forgetRows = spec.forgetAuthors(p) * WorldSpec.QA_PER_AUTHOR;
            List<SynthQa> forget = full.subList(n - forgetRows, n);
            files.put(TofuSplits.fileName(TofuSplits.forget(p)), qaLines(forget));
            files.put(TofuSplits.fileName(TofuSplits.retainForForget(p)), qaLines(full.subList(0, n - forgetRows)));
            files.put(TofuSplits.fileName(TofuSplits.forgetPerturbed(p)), perturbedLines(forget));
        }
        files.put(TofuSplits.fileName(TofuSplits.RETAIN_PERTURBED),
                perturbedLines(full.subList(0, spec.retainPerturbedAuthors() * WorldSpec.QA_PER_AUTHOR)));
        for (int p : TofuSplits.FORGET_PERCENTS) {
            int rows = spec.forgetAuthors(p) * WorldSpec.QA_PER_AUTHOR;
            files.put(TofuSplits.fileName(TofuSplits.holdout(p)), qaLines(w.holdoutRows().subList(0, rows)));
        }
        files.put(TofuSplits.fileName(TofuSplits.REAL_AUTHORS), mcLines(w.realAuthors()));
        files.put(TofuSplits.fileName(TofuSplits.REAL_AUTHORS_PERTURBED), mcPerturbedLines(w.realAuthors()));
        files.put(TofuSplits.fileName(TofuSplits.WORLD_FACTS), mcLines(w.worldFacts()));
        files.put(TofuSplits.fileName(TofuSplits.WORLD_FACTS_PERTURBED), mcPerturbedLines(w.worldFacts()));
        files.put(TofuSplits.fileName(TofuSplits.IDK), String.join("\n", w.idk()) + "\n");
        files.put(PRETRAIN_FILE, String.join("\n", w.pretrain()) + "\n");
        files.put(ENTITIES_FILE, entities(w));
        files.put(ULD_AUGMENT_FILE, lines(w.augment().stream().map(a -> {
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("question", a.question());
            m.put("answer", a.answer());
            m.put("paraphrased_questions", a.paraphrasedQuestions());
            m.put("paraphrased_answers", a.paraphrasedAnswers());
            m.put("perturbed_answers", a.perturbedAnswers());
            return m;
        })));
        files.put(TOKENIZER_FILE, tokenizer(w));
        files.put(MANIFEST_FILE, manifest(spec, files));
        return files;
    }

    /** The world's word-level tokenizer: every text the world contains, plus the template words. */
    static String tokenizer(World w) {
        WordLevelTokenizerBuilder b = WordLevelTokenizerBuilder.builder().optRequiredWords(TEMPLATE_WORDS);
        for (SynthQa q : concat(w.fullRows(), w.holdoutRows())) {
            b.addText(q.question()).addText(q.answer()).addText(q.paraphrasedQuestion())
                    .addText(q.paraphrasedAnswer()).addTexts(q.perturbedAnswers());
        }
        for (SynthMc m : concat(w.realAuthors(), w.worldFacts())) {
            b.addText(m.question()).addTexts(m.options());
        }
        b.addTexts(w.pretrain()).addTexts(w.idk());
        try {
            return TokenizerJson.toString(b.build());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static <T> List<T> concat(List<T> a, List<T> b) {
        List<T> out = new ArrayList<>(a);
        out.addAll(b);
        return out;
    }

    /** Python-json.dumps-like line: {"k": "v", "l": ["a", "b"]}. */
    private static String line(Map<String, Object> fields) {
        StringBuilder sb = new StringBuilder("{");
        try {
            for (Map.Entry<String, Object> e : fields.entrySet()) {
                if (sb.length() > 1) {
                    sb.append(", ");
                }
                sb.append(JSON.writeValueAsString(e.getKey())).append(": ");
                if (e.getValue() instanceof List<?> list) {
                    sb.append('[');
                    for (int i = 0; i < list.size(); i++) {
                        sb.append(i > 0 ? ", " : "").append(JSON.writeValueAsString(list.get(i)));
                    }
                    sb.append(']');
                } else {
                    sb.append(JSON.writeValueAsString(e.getValue()));
                }
            }
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
        return sb.append('}').toString();
    }

    private static String lines(Stream<Map<String, Object>> rows) {
        StringBuilder sb = new StringBuilder();
        rows.forEach(r -> sb.append(line(r)).append('\n'));
        return sb.toString();
    }

    private static String qaLines(List<SynthQa> rows) {
        return lines(rows.stream().map(q -> {
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("question", q.question());
            m.put("answer", q.answer());
            return m;
        }));
    }

    private static String perturbedLines(List<SynthQa> rows) {
        return lines(rows.stream().map(q -> {
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("question", q.question());
            m.put("answer", q.answer());
            m.put("paraphrased_answer", q.paraphrasedAnswer());
            m.put("perturbed_answer", q.perturbedAnswers());
            m.put("paraphrased_question", q.paraphrasedQuestion());
            return m;
        }));
    }

    private static String mcLines(List<SynthMc> rows) {
        return lines(rows.stream().map(q -> {
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("question", q.question());
            for (int i = 0; i < 4; i++) {
                m.put("option" + (i + 1), q.options().get(i));
            }
            m.put("answer", q.answer());
            return m;
        }));
    }

    private static String mcPerturbedLines(List<SynthMc> rows) {
        return lines(rows.stream().map(q -> {
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("question", q.question());
            m.put("answer", q.answer());
            m.put("perturbed_answer", q.wrong());
            return m;
        }));
    }

    /** Entities of one author, deduplicated, in a fixed order. */
    static List<Entity> entitiesOf(Author a) {
        Map<String, String> f = a.facts();
        Set<Entity> out = new LinkedHashSet<>();
        out.add(new Entity(f.get("name"), "PERSON"));
        out.add(new Entity(f.get("book1"), "WORK"));
        out.add(new Entity(f.get("book2"), "WORK"));
        String[] place = f.get("place").split(", ");
        out.add(new Entity(place[0], "PLACE"));
        out.add(new Entity(place[1], "PLACE"));
        out.add(new Entity(f.get("residence"), "PLACE"));
        out.add(new Entity(f.get("setting"), "PLACE"));
        out.add(new Entity(f.get("award"), "ORG"));
        out.add(new Entity(f.get("date"), "DATE"));
        out.add(new Entity(f.get("hero"), "PERSON"));
        out.add(new Entity(f.get("influence"), "PERSON"));
        return List.copyOf(out);
    }

    private static String entities(World w) {
        ArrayNode arr = JSON.createArrayNode();
        int k = 0;
        for (List<Author> group : List.of(w.authors(), w.holdout())) {
            for (int i = 0; i < group.size(); i++) {
                Author a = group.get(i);
                ObjectNode o = arr.addObject();
                o.put("author", k++);
                o.put("name", a.name());
                o.put("split", a.holdout() ? "holdout" : "full");
                ArrayNode rows = o.putArray("rows");
                rows.add(i * WorldSpec.QA_PER_AUTHOR).add((i + 1) * WorldSpec.QA_PER_AUTHOR);
                ArrayNode es = o.putArray("entities");
                for (Entity e : entitiesOf(a)) {
                    es.addObject().put("text", e.text()).put("type", e.type());
                }
            }
        }
        try {
            return JSON.writeValueAsString(arr) + "\n";
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }

    private static Map<String, Integer> counts(WorldSpec spec, Map<String, String> files) {
        Map<String, Integer> c = new LinkedHashMap<>();
        for (String split : TofuSplits.names()) {
            String content = files.get(TofuSplits.fileName(split));
            if (content != null) {
                c.put(split, (int) content.lines().count());
            }
        }
        c.put("authors", spec.authors());
        c.put("holdout_authors", spec.holdoutAuthors());
        c.put("pretrain_documents", (int) files.get(PRETRAIN_FILE).lines().count());
        try {
            c.put("vocab", JSON.readTree(files.get(TOKENIZER_FILE)).path("model").path("vocab").size());
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
        return c;
    }

    private static String manifest(WorldSpec spec, Map<String, String> files) {
        ObjectNode o = JSON.createObjectNode();
        o.put("generator", "lethe-synth");
        o.put("format", 1);
        o.put("seed", spec.seed());
        o.put("authors", spec.authors());
        o.put("real_authors", spec.realAuthors());
        o.put("world_facts", spec.worldFacts());
        ObjectNode c = o.putObject("counts");
        counts(spec, files).forEach(c::put);
        try {
            return JSON.writeValueAsString(o) + "\n";
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }

    private static WorldSummary summary(Path dir, WorldSpec spec, Map<String, String> files) {
        return new WorldSummary(dir, counts(spec, files));
    }

    private static void replace(Path tmp, Path target) throws IOException {
        if (Files.exists(target)) {
            boolean empty;
            try (Stream<Path> s = Files.list(target)) {
                empty = s.findAny().isEmpty();
            }
            if (!empty && !Files.isRegularFile(target.resolve(MANIFEST_FILE))) {
                throw new IOException(target + " exists and is not a generated world (no " + MANIFEST_FILE
                        + "); refusing to replace it");
            }
            Path old = Files.createTempDirectory(target.getParent(), "." + target.getFileName() + ".old-");
            Files.delete(old);
            Files.move(target, old, StandardCopyOption.ATOMIC_MOVE);
            Files.move(tmp, target, StandardCopyOption.ATOMIC_MOVE);
            deleteTree(old);
        } else {
            Files.move(tmp, target, StandardCopyOption.ATOMIC_MOVE);
        }
    }

    private static void deleteTree(Path p) throws IOException {
        if (!Files.exists(p)) {
            return;
        }
        try (Stream<Path> s = Files.walk(p)) {
            for (Path q : s.sorted(Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(q);
            }
        }
    }
}
