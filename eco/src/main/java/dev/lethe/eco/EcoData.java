package dev.lethe.eco;

import dev.lethe.core.text.TextTokenizer;
import dev.lethe.core.util.Provenance;
import dev.lethe.datasets.tofu.MultipleChoiceItem;
import dev.lethe.datasets.tofu.PerturbedQaItem;
import dev.lethe.datasets.tofu.QaItem;
import dev.lethe.datasets.tofu.TofuBenchmark;
import dev.lethe.datasets.tofu.TofuSplits;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The prompts ECO learns its gate from, as plain questions (no template), and the tokenizer of the target.
 *
 * @param tokenizer the target's tokenizer (the classifier uses the same ids)
 * @param forget forget questions: classifier positives
 * @param retain retain questions: classifier negatives
 * @param paraphrasedForget paraphrases of the forget questions: held-out positives for calibration and TPR
 * @param realAuthors real-author questions: extra test negatives, never trained on
 * @param worldFacts world-fact questions: extra test negatives, never trained on
 * @param entities entity texts for the entity selector (a world's {@code entities.json}); empty when unknown
 * @param inputs input name → SHA-256, for provenance
 */
public record EcoData(TextTokenizer tokenizer, List<String> forget, List<String> retain, List<String> paraphrasedForget,
                      List<String> realAuthors, List<String> worldFacts, List<String> entities,
                      Map<String, String> inputs) {

    public EcoData {
        forget = List.copyOf(forget);
        retain = List.copyOf(retain);
        paraphrasedForget = List.copyOf(paraphrasedForget);
        realAuthors = List.copyOf(realAuthors);
        worldFacts = List.copyOf(worldFacts);
        entities = List.copyOf(entities);
        inputs = Map.copyOf(inputs);
    }

    /**
     * The splits of a TOFU-layout directory for {@code forgetXX}: forgetXX and retainYY questions, the
     * {@code paraphrased_question}s of forgetXX_perturbed, real_authors and world_facts questions, and
     * {@code entities.json} when the directory is a synthetic world.
     */
    public static EcoData fromTofu(Path dir, int forgetPercent, TextTokenizer tokenizer) throws IOException {
        TofuBenchmark b = TofuBenchmark.load(dir);
        Map<String, String> inputs = new LinkedHashMap<>();
        for (String split : List.of(TofuSplits.forget(forgetPercent), TofuSplits.retainForForget(forgetPercent),
                TofuSplits.forgetPerturbed(forgetPercent), TofuSplits.REAL_AUTHORS, TofuSplits.WORLD_FACTS)) {
            inputs.put(split, Provenance.sha256(dir.resolve(TofuSplits.fileName(split))));
        }
        List<String> entities = List.of();
        Path ent = dir.resolve("entities.json");
        if (Files.isRegularFile(ent)) {
            entities = EntityList.load(ent).entities();
            inputs.put("entities", Provenance.sha256(ent));
        }
        return new EcoData(tokenizer,
                b.forget(forgetPercent).stream().map(QaItem::question).toList(),
                b.retainForForget(forgetPercent).stream().map(QaItem::question).toList(),
                b.forgetPerturbed(forgetPercent).stream().map(PerturbedQaItem::paraphrasedQuestion).toList(),
                b.realAuthors().stream().map(MultipleChoiceItem::question).toList(),
                b.worldFacts().stream().map(MultipleChoiceItem::question).toList(),
                entities, inputs);
    }
}
