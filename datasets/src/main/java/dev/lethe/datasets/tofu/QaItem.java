package dev.lethe.datasets.tofu;

/** A plain question/answer row ({@code full}, {@code forgetXX}, {@code retainXX}, {@code holdoutXX}). */
public record QaItem(int index, String question, String answer) implements TofuRow {
}
