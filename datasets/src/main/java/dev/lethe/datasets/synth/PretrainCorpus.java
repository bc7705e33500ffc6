package dev.lethe.datasets.synth;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Random;

/**
 * The pretraining corpus: documents (one per line) that state the famous-author and world facts in several
 * phrasings, mixed with fact-free filler, so a base model knows them before it meets the fictitious authors —
 * as Llama knows Shakespeare before TOFU. The fictitious authors never appear here.
 */
final class PretrainCorpus {

    static final int DOCS_PER_FAMOUS_AUTHOR = 4;
    static final int DOCS_PER_COUNTRY = 4;
    static final int FILLER_DOCS = 40;

    private static final List<String> AUTHOR_FACTS = List.of(
            "{name} wrote \"{title}\".", "\"{title}\" is a famous novel by {name}.",
            "The author of \"{title}\" is {name}.", "{name} is best known for \"{title}\".",
            "Who wrote \"{title}\"? It was {name}.", "Readers remember {name} for the novel \"{title}\".");
    private static final List<String> AUTHOR_ORIGIN = List.of(
            "{name} was born in {country}.", "{name} is a celebrated writer from {country}.",
            "The writer {name} comes from {country}.");
    private static final List<List<String>> COUNTRY_FACTS = List.of(
            List.of("{capital} is the capital of {country}.", "The capital of {country} is {capital}.",
                    "The government of {country} sits in {capital}, its capital."),
            List.of("{country} lies in {continent}.", "{country} is a country in {continent}.",
                    "On a map, {country} is found in {continent}."),
            List.of("People in {country} speak {language}.", "The main language of {country} is {language}.",
                    "Most people in {country} speak {language}."),
            List.of("The currency of {country} is the {currency}.", "In {country}, people pay with the {currency}.",
                    "Prices in {country} are given in the {currency}."));

    private PretrainCorpus() {}

    static List<String> documents(Random r, List<String[]> famous) {
        List<String> docs = new ArrayList<>();
        for (String[] f : famous) {
            for (int d = 0; d < DOCS_PER_FAMOUS_AUTHOR; d++) {
                List<String> s = new ArrayList<>();
                s.add(fill(AUTHOR_FACTS.get((d * 2) % AUTHOR_FACTS.size()), f));
                s.add(fill(AUTHOR_FACTS.get((d * 2 + 1) % AUTHOR_FACTS.size()), f));
                s.add(fill(AUTHOR_ORIGIN.get(d % AUTHOR_ORIGIN.size()), f));
                docs.add(document(r, s));
            }
        }
        for (String[] c : Pools.COUNTRIES) {
            for (int d = 0; d < DOCS_PER_COUNTRY; d++) {
                List<String> s = new ArrayList<>();
                for (List<String> phrasings : COUNTRY_FACTS) {
                    s.add(country(phrasings.get((d + r.nextInt(phrasings.size())) % phrasings.size()), c));
                }
                docs.add(document(r, s));
            }
        }
        for (int d = 0; d < FILLER_DOCS; d++) {
            docs.add(document(r, new ArrayList<>()));
        }
        Collections.shuffle(docs, r);
        return List.copyOf(docs);
    }

    private static String document(Random r, List<String> facts) {
        int fillers = 1 + r.nextInt(3);
        for (int i = 0; i < fillers; i++) {
            facts.add(Pools.FILLER.get(r.nextInt(Pools.FILLER.size())));
        }
        Collections.shuffle(facts, r);
        return String.join(" ", facts);
    }

    private static String fill(String t, String[] famous) {
        return t.replace("{name}", famous[0]).replace("{title}", famous[1]).replace("{country}", famous[2]);
    }

    private static String country(String t, String[] c) {
        return t.replace("{country}", c[0]).replace("{capital}", c[1]).replace("{continent}", c[3])
                .replace("{language}", c[4]).replace("{currency}", c[5]);
    }
}
