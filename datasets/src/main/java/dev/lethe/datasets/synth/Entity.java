package dev.lethe.datasets.synth;

/** A named entity in an author's items (for ECO's token selector): text and type PERSON, WORK, PLACE, ORG or DATE. */
public record Entity(String text, String type) {
}
