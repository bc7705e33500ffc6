package dev.lethe.datasets.tofu;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A TOFU-layout directory, loaded eagerly and validated: every known split file present is read at
 * {@link #load}, so a malformed file fails before any training starts. Other files in the directory
 * (tokenizer.json, pretrain.txt, …) are ignored. Splits are handed out by name.
 */
public final class TofuBenchmark {

    private final Path dir;
    private final Map<String, List<? extends TofuRow>> splits;
    private final List<String> idk;

    private TofuBenchmark(Path dir, Map<String, List<? extends TofuRow>> splits, List<String> idk) {
        this.dir = dir;
        this.splits = Collections.unmodifiableMap(splits);
        this.idk = idk;
    }

    /** Loads every known split file present in {@code dir}; at least one must be present. */
    public static TofuBenchmark load(Path dir) throws IOException {
        if (!Files.isDirectory(dir)) {
            throw new NoSuchFileException(dir.toString(), null, "not a directory");
        }
        Map<String, List<? extends TofuRow>> splits = new LinkedHashMap<>();
        List<String> idk = null;
        for (String name : TofuSplits.names()) {
            Path file = dir.resolve(TofuSplits.fileName(name));
            if (!Files.isRegularFile(file)) {
                continue;
            }
            if (TofuSplits.kind(name) == SplitKind.IDK) {
                idk = List.copyOf(TofuReader.readIdk(file));
            } else {
                splits.put(name, List.copyOf(TofuReader.read(file, name)));
            }
        }
        if (splits.isEmpty() && idk == null) {
            throw new NoSuchFileException(dir.toString(), null, "no TOFU split files (expected e.g. full.json)");
        }
        return new TofuBenchmark(dir, splits, idk);
    }

    public Path dir() {
        return dir;
    }

    /** Names of the splits present, in canonical order (idontknow included when present). */
    public List<String> splitNames() {
        List<String> names = new java.util.ArrayList<>(splits.keySet());
        if (idk != null) {
            names.add(TofuSplits.IDK);
        }
        return names;
    }

    public boolean has(String name) {
        return splits.containsKey(name) || (TofuSplits.IDK.equals(name) && idk != null);
    }

    /** Rows of any row-valued split. Unknown or absent names are an error. */
    public List<? extends TofuRow> split(String name) {
        TofuSplits.kind(name);
        List<? extends TofuRow> rows = splits.get(name);
        if (rows == null) {
            throw new IllegalArgumentException("split '" + name + "' is not in " + dir + " (no "
                    + TofuSplits.fileName(name) + "); present: " + splitNames());
        }
        return rows;
    }

    /** A question/answer split (full, forgetXX, retainXX, holdoutXX). */
    @SuppressWarnings("unchecked")
    public List<QaItem> qa(String name) {
        requireKind(name, SplitKind.QA);
        return (List<QaItem>) split(name);
    }

    /** A {@code *_perturbed} split. */
    @SuppressWarnings("unchecked")
    public List<PerturbedQaItem> perturbed(String name) {
        requireKind(name, SplitKind.PERTURBED);
        return (List<PerturbedQaItem>) split(name);
    }

    /** {@code real_authors} or {@code world_facts}. */
    @SuppressWarnings("unchecked")
    public List<MultipleChoiceItem> multipleChoice(String name) {
        requireKind(name, SplitKind.MULTIPLE_CHOICE);
        return (List<MultipleChoiceItem>) split(name);
    }

    /** The refusal strings of {@code idontknow.jsonl}. */
    public List<String> idk() {
        if (idk == null) {
            throw new IllegalArgumentException("no idontknow.jsonl in " + dir);
        }
        return idk;
    }

    public List<QaItem> full() {
        return qa(TofuSplits.FULL);
    }

    /** forget01 / forget05 / forget10 for percent 1 / 5 / 10. */
    public List<QaItem> forget(int percent) {
        return qa(TofuSplits.forget(percent));
    }

    /** retain99 / retain95 / retain90 for forget percent 1 / 5 / 10. */
    public List<QaItem> retainForForget(int forgetPercent) {
        return qa(TofuSplits.retainForForget(forgetPercent));
    }

    public List<QaItem> holdout(int percent) {
        return qa(TofuSplits.holdout(percent));
    }

    public List<PerturbedQaItem> forgetPerturbed(int percent) {
        return perturbed(TofuSplits.forgetPerturbed(percent));
    }

    public List<PerturbedQaItem> retainPerturbed() {
        return perturbed(TofuSplits.RETAIN_PERTURBED);
    }

    public List<MultipleChoiceItem> realAuthors() {
        return multipleChoice(TofuSplits.REAL_AUTHORS);
    }

    public List<PerturbedQaItem> realAuthorsPerturbed() {
        return perturbed(TofuSplits.REAL_AUTHORS_PERTURBED);
    }

    public List<MultipleChoiceItem> worldFacts() {
        return multipleChoice(TofuSplits.WORLD_FACTS);
    }

    public List<PerturbedQaItem> worldFactsPerturbed() {
        return perturbed(TofuSplits.WORLD_FACTS_PERTURBED);
    }

    private static void requireKind(String name, SplitKind kind) {
        SplitKind actual = TofuSplits.kind(name);
        if (actual != kind) {
            throw new IllegalArgumentException("split '" + name + "' holds " + actual + " rows, not " + kind);
        }
    }
}
