package dev.lethe.scripts.tofu;

import dev.lethe.core.util.AtomicFiles;
import dev.lethe.core.util.Provenance;
import dev.lethe.datasets.synth.WorldWriter;
import dev.lethe.datasets.tofu.MultipleChoiceItem;
import dev.lethe.datasets.tofu.PerturbedQaItem;
import dev.lethe.datasets.tofu.QaItem;
import dev.lethe.datasets.tofu.TofuBenchmark;
import dev.lethe.datasets.tofu.TofuRow;
import dev.lethe.datasets.tofu.TofuSplits;
import dev.lethe.datasets.vocab.BpeTokenizerBuilder;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * The data-source step for an existing TOFU-layout directory (the real TOFU files): copies its split files
 * into the run's {@code world/} and adds what the pipeline expects beside them and real TOFU lacks —
 * {@code tokenizer.json}, a byte-level BPE trained on every text of the data (questions, answers,
 * paraphrases, perturbed answers, options, refusals), and {@code pretrain.txt}, the base model's corpus.
 *
 * <p>The corpus holds only world knowledge (the real_authors and world_facts questions with their answers):
 * the fictitious authors must be met first in finetuning, so that the oracle never sees the forget set.
 * No {@code entities.json} is written; ECO then selects capitalised spans instead of a gold entity list.
 */
public final class TofuData {

    /** BPE vocabulary size of the tokenizer built from the data (specials + 256 bytes + merges). */
    public static final int VOCAB_SIZE = 3000;

    private TofuData() {}

    /**
     * Prepares {@code dir} from {@code data}, or keeps it when it was prepared from the same files before.
     *
     * @return {@code dir}
     */
    public static Path prepare(Path data, Path dir, int vocabSize, boolean force) throws IOException {
        if (!Files.isRegularFile(data.resolve(TofuSplits.fileName(TofuSplits.FULL)))) {
            throw new NoSuchFileException(data.resolve(TofuSplits.fileName(TofuSplits.FULL)).toString(), null,
                    "--data must be a TOFU-layout directory");
        }
        Provenance prov = Provenance.of("tofu-data", Map.of("vocab_size", Integer.toString(vocabSize),
                "tokenizer", "byte-level BPE", "pretrain", "real_authors+world_facts QA"), 0,
                Map.of("data", Provenance.sha256(data)));
        if (Stage.upToDate(dir, prov, force)) {
            return dir;
        }
        Stage.log("preparing " + data + " (copying the splits, training a " + vocabSize + "-token BPE)");
        AtomicFiles.deleteRecursively(dir);
        Files.createDirectories(dir);
        for (String name : TofuSplits.names()) {
            Path src = data.resolve(TofuSplits.fileName(name));
            if (Files.isRegularFile(src)) {
                Files.copy(src, dir.resolve(src.getFileName()), StandardCopyOption.REPLACE_EXISTING);
            }
        }
        TofuBenchmark bench = TofuBenchmark.load(dir);
        BpeTokenizerBuilder.builder().addTexts(texts(bench)).optVocabSize(vocabSize)
                .writeTo(dir.resolve(WorldWriter.TOKENIZER_FILE));
        List<String> corpus = new ArrayList<>();
        for (QaItem q : Recipes.worldKnowledge(bench)) {
            corpus.add(q.question() + " " + q.answer());
        }
        AtomicFiles.writeString(dir.resolve(WorldWriter.PRETRAIN_FILE), String.join("\n", corpus) + "\n");
        prov.write(dir);
        return dir;
    }

    /** Every text of every split present: what the tokenizer must encode compactly. */
    static List<String> texts(TofuBenchmark bench) {
        List<String> out = new ArrayList<>();
        for (String name : bench.splitNames()) {
            if (TofuSplits.IDK.equals(name)) {
                out.addAll(bench.idk());
                continue;
            }
            for (TofuRow r : bench.split(name)) {
                if (r instanceof QaItem q) {
                    out.add(q.question());
                    out.add(q.answer());
                } else if (r instanceof PerturbedQaItem p) {
                    out.add(p.question());
                    out.add(p.answer());
                    out.add(p.paraphrasedQuestion());
                    out.add(p.paraphrasedAnswer());
                    out.addAll(p.perturbedAnswers());
                } else if (r instanceof MultipleChoiceItem m) {
                    out.add(m.question());
                    out.addAll(m.options());
                }
            }
        }
        out.removeIf(s -> s == null || s.isBlank());
        return out;
    }
}
