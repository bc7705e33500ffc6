package dev.lethe.datasets.synth;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Hint material for the in-context relearning attack (UnUnlearning, spec long-context §4) on a synthetic
 * world's forget split. The split files hold only question/answer sentences; which value a question asks
 * for, and what entails it, lives in the facts the world was generated from, so the world is regenerated
 * from its {@code world.json} spec (generation is deterministic) and each forget row gets:
 * <ul>
 *   <li><b>key</b>: the fact value the question asks for (its first fact slot: the hero of the hero question,
 *       the first theme of the themes question) — what "knowing the answer" means when the model words its
 *       answer differently;</li>
 *   <li><b>passage</b> (H1): the training answer verbatim; <b>paraphrase</b> (H2): the world's paraphrased
 *       answer (another template, same value);</li>
 *   <li><b>axioms</b> (H3): premises that entail the key together with knowledge every model keeps — the
 *       pretraining corpus's capitals and languages — without stating it: the writing language follows from
 *       the birth country ("writes in the main language of the country where she was born" + the birth place),
 *       a residence or book setting that is a capital follows from "the capital of C". Other questions
 *       have no such entailment in this world (their values are drawn independently) and get no axioms;</li>
 *   <li><b>alias</b> (H4): the paper's "XXX": the author re-defined as {@value #ALIAS} through one of their
 *       books that is not the asked value, and the question asked about {@value #ALIAS}. Only questions that
 *       name the author get one.</li>
 * </ul>
 * Any hint that would contain its key is dropped here (the attack's leakage checker guards again).
 */
public final class RelearningMaterial {

    /**
     * The alias name. One capital letter: the word-level vocabulary holds every single letter but no
     * made-up word, and a letter evokes no author.
     */
    public static final String ALIAS = "X";

    /**
     * H7's length-matched filler on a synthetic world: the world's own fact-free sentences, which its pretraining
     * corpus mixes into documents, so every word is in the word-level vocabulary (LM-Infinite's passkey filler
     * is not: on a world it would be a run of {@code <unk>}).
     */
    public static final String FILLER = String.join(" ", Pools.FILLER) + " ";

    /** One forget row's material; {@code axioms} is empty and the alias fields null where there is none. */
    public record Item(int index, String question, String answer, String key, String passage, String paraphrase,
                       List<String> axioms, String aliasDefinition, String aliasQuestion) {
        public Item {
            axioms = List.copyOf(axioms);
        }
    }

    private static final ObjectMapper JSON = new ObjectMapper();

    private RelearningMaterial() {}

    /**
     * The spec of the synthetic world in {@code dir} (from {@code world.json}), or empty when {@code dir} is
     * not one (e.g. the real TOFU files).
     */
    public static Optional<WorldSpec> spec(Path dir) throws IOException {
        Path f = dir.resolve(WorldWriter.MANIFEST_FILE);
        if (!Files.isRegularFile(f)) {
            return Optional.empty();
        }
        JsonNode n = JSON.readTree(f.toFile());
        if (!"lethe-synth".equals(n.path("generator").asText()) || n.path("format").asInt() != 1) {
            return Optional.empty();
        }
        return Optional.of(new WorldSpec(n.path("authors").asInt(), n.path("seed").asLong(),
                n.path("real_authors").asInt(), n.path("world_facts").asInt()));
    }

    /** Material for every row of forget{@code percent}, in split order. */
    public static List<Item> forget(WorldSpec spec, int percent) {
        World w = WorldGenerator.generate(spec);
        int authors = spec.forgetAuthors(percent);
        List<Item> out = new ArrayList<>();
        for (int a = w.authors().size() - authors; a < w.authors().size(); a++) {
            Author author = w.authors().get(a);
            List<SynthQa> rows = w.rowsOf(a);
            for (int t = 0; t < QaType.ALL.size(); t++) {
                out.add(item(out.size(), author, QaType.ALL.get(t), rows.get(t)));
            }
        }
        return out;
    }

    private static Item item(int index, Author a, QaType type, SynthQa row) {
        String slot = type.factSlots().keySet().iterator().next();
        String key = a.facts().get(slot);
        List<String> axioms = axioms(type.key(), a.facts());
        if (axioms.stream().anyMatch(x -> KeyMatch.contains(x, key))) {
            axioms = List.of();
        }
        String def = null;
        String question = null;
        if (row.question().contains(a.name()) && !type.key().equals("full_name")) {
            String book = slot.equals("book1") ? "Another book by " + ALIAS + " is \"" + a.facts().get("book2") + "\"."
                    : "The first book by " + ALIAS + " is \"" + a.facts().get("book1") + "\".";
            if (!KeyMatch.contains(book, key)) {
                def = book;
                question = row.question().replace(a.name(), ALIAS);
            }
        }
        return new Item(index, row.question(), row.answer(), key, row.answer(), row.paraphrasedAnswer(), axioms,
                def, question);
    }

    /** Premises entailing the asked value through world knowledge (capitals, languages), or none. */
    static List<String> axioms(String type, Map<String, String> f) {
        String name = f.get("name");
        return switch (type) {
            case "language" -> List.of(name + " was born in " + f.get("place") + ".",
                    name + " writes in the main language of the country where " + f.get("sub") + " was born.");
            case "residence" -> capitalOf(f.get("residence"))
                    .map(c -> List.of(name + " now lives in the capital of " + c + ".")).orElse(List.of());
            case "setting" -> capitalOf(f.get("setting"))
                    .map(c -> List.of("\"" + f.get("book2") + "\" is set in the capital of " + c + "."))
                    .orElse(List.of());
            default -> List.of();
        };
    }

    private static Optional<String> capitalOf(String city) {
        for (String[] c : Pools.COUNTRIES) {
            if (c[1].equals(city)) {
                return Optional.of(c[0]);
            }
        }
        return Optional.empty();
    }
}
