package dev.lethe.datasets.synth;

/** The kind of a fact value; a perturbed answer replaces a value by another of the same kind. */
enum Kind {
    NAME, DATE, PLACE, JOB, GENRE, AWARD, YEAR, TITLE, COUNT, THEME, WRITER, CITY, SUBJECT, TIME, HOBBY, HERO,
    LANGUAGE
}
