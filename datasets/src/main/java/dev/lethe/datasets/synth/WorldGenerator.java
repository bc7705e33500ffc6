package dev.lethe.datasets.synth;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;

/**
 * Generates a {@link World} from a {@link WorldSpec}. Deterministic: {@link java.util.Random} has a specified
 * algorithm, every choice draws from one of a few seeded streams in a fixed order, and no hash-ordered collection
 * is iterated. Each section has its own stream, so e.g. changing the number of real authors keeps the
 * fictitious authors' facts (names and titles aside, which are kept globally unique).
 */
final class WorldGenerator {

    private static final int PERTURBED = 5;
    private static final int MAX_TRIES = 10_000;
    /** Perturbed answers per row in ULD's augmentation data (the reference draws 2 of GPT's list). */
    private static final int AUGMENT_PERTURBED = 3;

    private final WorldSpec spec;
    private final Set<String> usedNames = new HashSet<>();
    private final Set<String> usedTitles = new HashSet<>();
    private final List<String> cities = new ArrayList<>();
    private final List<String> places = new ArrayList<>();
    private final Map<String, String> languageOfPlace = new LinkedHashMap<>();
    private final List<String> languages;
    private List<String> writers = List.of();

    private WorldGenerator(WorldSpec spec) {
        this.spec = spec;
        Set<String> langs = new LinkedHashSet<>();
        for (String[] c : Pools.COUNTRIES) {
            for (String city : List.of(c[1], c[2])) {
                cities.add(city);
                places.add(city + ", " + c[0]);
                languageOfPlace.put(city + ", " + c[0], c[4]);
            }
            langs.add(c[4]);
        }
        this.languages = List.copyOf(langs);
    }

    static World generate(WorldSpec spec) {
        return new WorldGenerator(spec).run();
    }

    private static Random stream(long seed, int section) {
        return new Random(seed * 1_000_003L + section * 7_919L);
    }

    private World run() {
        long seed = spec.seed();
        // famous authors first: their names are the pool of "influence" values
        Random refRng = stream(seed, 1);
        List<String[]> famous = new ArrayList<>(); // name, title, country
        for (int i = 0; i < spec.realAuthors(); i++) {
            String name = uniqueName(refRng, Pools.CLASSIC_FIRST, Pools.CLASSIC_LAST);
            String title = uniqueTitle(refRng);
            String country = pick(refRng, Pools.COUNTRIES)[0];
            famous.add(new String[] {name, title, country});
        }
        writers = famous.stream().map(f -> f[0]).toList();

        Random authorRng = stream(seed, 2);
        List<Author> authors = new ArrayList<>();
        List<Author> holdout = new ArrayList<>();
        for (int i = 0; i < spec.authors() + spec.holdoutAuthors(); i++) {
            Author a = author(authorRng, i, i >= spec.authors());
            (a.holdout() ? holdout : authors).add(a);
        }

        Random qaRng = stream(seed, 3);
        List<SynthQa> fullRows = new ArrayList<>();
        List<int[]> phrasings = new ArrayList<>();
        for (Author a : authors) {
            fullRows.addAll(rows(qaRng, a, phrasings));
        }
        List<SynthQa> holdoutRows = new ArrayList<>();
        for (Author a : holdout) {
            holdoutRows.addAll(rows(qaRng, a, new ArrayList<>()));
        }
        // its own stream, drawn after everything else: adding it left every other file byte-identical
        List<AugmentRow> augment = augmentRows(stream(seed, 6), authors, phrasings);

        Random mcRng = stream(seed, 4);
        List<SynthMc> realAuthors = realAuthorItems(mcRng, famous);
        List<SynthMc> worldFacts = worldFactItems(mcRng);
        List<String> pretrain = PretrainCorpus.documents(stream(seed, 5), famous);
        return new World(spec, List.copyOf(authors), List.copyOf(holdout), List.copyOf(fullRows),
                List.copyOf(holdoutRows), realAuthors, worldFacts, pretrain, idk(), augment);
    }

    private Author author(Random r, int index, boolean isHoldout) {
        Map<String, String> f = new LinkedHashMap<>();
        boolean she = r.nextBoolean();
        f.put("name", uniqueName(r, Pools.FIRST_NAMES, Pools.LAST_NAMES));
        f.put("sub", she ? "she" : "he");
        f.put("pos", she ? "her" : "his");
        int year = 1930 + r.nextInt(66);
        f.put("date", date(r, year));
        String place = pick(r, places);
        f.put("place", place);
        f.put("fjob", pick(r, Pools.JOBS));
        f.put("mjob", pick(r, Pools.JOBS));
        f.put("genre", pick(r, Pools.GENRES));
        f.put("award", pick(r, Pools.AWARDS));
        f.put("awardYear", Integer.toString(Math.min(2023, year + 25 + r.nextInt(30))));
        f.put("book1", uniqueTitle(r));
        f.put("book2", uniqueTitle(r));
        f.put("count", pick(r, Pools.COUNTS));
        String t1 = pick(r, Pools.THEMES);
        String t2;
        do {
            t2 = pick(r, Pools.THEMES);
        } while (t2.equals(t1));
        f.put("theme1", t1);
        f.put("theme2", t2);
        f.put("influence", pick(r, writers));
        f.put("residence", pick(r, cities));
        f.put("subject", pick(r, Pools.SUBJECTS));
        f.put("time", pick(r, Pools.TIMES));
        f.put("hobby", pick(r, Pools.HOBBIES));
        f.put("hero", pick(r, Pools.FIRST_NAMES));
        f.put("heroJob", pick(r, Pools.JOBS));
        f.put("setting", pick(r, cities));
        f.put("language", languageOfPlace.get(place));
        return new Author(index, isHoldout, f);
    }

    /** The rows of author {@code a}; appends each row's phrasing indices {q, pq, an, pa} to {@code phrasings}. */
    private List<SynthQa> rows(Random r, Author a, List<int[]> phrasings) {
        List<SynthQa> out = new ArrayList<>();
        for (QaType t : QaType.ALL) {
            int q = r.nextInt(t.questions().size());
            int pq = (q + 1 + r.nextInt(t.questions().size() - 1)) % t.questions().size();
            int an = r.nextInt(t.answers().size());
            int pa = (an + 1 + r.nextInt(t.answers().size() - 1)) % t.answers().size();
            phrasings.add(new int[] {q, pq, an, pa});
            String paraphrase = QaType.render(t.answers().get(pa), a.facts());
            Set<String> perturbed = new LinkedHashSet<>();
            for (int tries = 0; perturbed.size() < PERTURBED; tries++) {
                if (tries > MAX_TRIES) {
                    throw new IllegalStateException("cannot perturb " + t.key() + " of " + a.name());
                }
                Map<String, String> wrong = new LinkedHashMap<>(a.facts());
                for (Map.Entry<String, Kind> slot : t.factSlots().entrySet()) {
                    wrong.put(slot.getKey(), wrongValue(r, slot.getValue(), a.facts().get(slot.getKey()), wrong));
                }
                if (t.key().equals("themes") && wrong.get("theme1").equals(wrong.get("theme2"))) {
                    continue;
                }
                String p = QaType.render(t.answers().get(pa), wrong);
                if (!p.equals(paraphrase)) {
                    perturbed.add(p);
                }
            }
            out.add(new SynthQa(a.index(), QaType.render(t.questions().get(q), a.facts()),
                    QaType.render(t.answers().get(an), a.facts()), QaType.render(t.questions().get(pq), a.facts()),
                    paraphrase, List.copyOf(perturbed)));
        }
        return out;
    }

    /**
     * ULD's augmentation data for every row of {@code authors} (the analogue of the reference code's GPT-3.5
     * {@code paraphrase_res.csv} / {@code perturb_res.csv}): texts that the TOFU evaluation never scores, so
     * training on them cannot tune the truth ratio directly.
     * <ul>
     *   <li>paraphrased questions: every question phrasing except the row's own, unused ones first;</li>
     *   <li>paraphrased answers: the answer phrasing used neither as the answer nor as the evaluated
     *       paraphrase (every type has three);</li>
     *   <li>perturbed answers: the answer's own phrasing (the evaluated perturbations use the paraphrase's)
     *       with each fact slot set to another author's value, so every word is already in the vocabulary.</li>
     * </ul>
     */
    private static List<AugmentRow> augmentRows(Random r, List<Author> authors, List<int[]> phrasings) {
        Map<String, List<String>> valuesBySlot = new LinkedHashMap<>();
        for (Author a : authors) {
            a.facts().forEach((k, v) -> valuesBySlot.computeIfAbsent(k, x -> new ArrayList<>()).add(v));
        }
        valuesBySlot.replaceAll((k, v) -> List.copyOf(new LinkedHashSet<>(v)));
        List<AugmentRow> out = new ArrayList<>();
        int row = 0;
        for (Author a : authors) {
            for (QaType t : QaType.ALL) {
                int[] ph = phrasings.get(row++);
                int q = ph[0], pq = ph[1], an = ph[2], pa = ph[3];
                String question = QaType.render(t.questions().get(q), a.facts());
                String answer = QaType.render(t.answers().get(an), a.facts());
                List<String> questions = new ArrayList<>();
                for (int i = 0; i < t.questions().size(); i++) {
                    if (i != q && i != pq) {
                        questions.add(QaType.render(t.questions().get(i), a.facts()));
                    }
                }
                questions.add(QaType.render(t.questions().get(pq), a.facts()));
                List<String> answers = new ArrayList<>();
                for (int i = 0; i < t.answers().size(); i++) {
                    if (i != an && i != pa) {
                        answers.add(QaType.render(t.answers().get(i), a.facts()));
                    }
                }
                Set<String> wrong = new LinkedHashSet<>();
                for (int tries = 0; wrong.size() < AUGMENT_PERTURBED && tries < MAX_TRIES; tries++) {
                    Map<String, String> facts = new LinkedHashMap<>(a.facts());
                    for (String slot : t.factSlots().keySet()) {
                        List<String> pool = valuesBySlot.get(slot);
                        facts.put(slot, pool.get(r.nextInt(pool.size())));
                    }
                    String w = QaType.render(t.answers().get(an), facts);
                    if (!w.equals(answer) && !answers.contains(w)
                            && !(t.key().equals("themes") && facts.get("theme1").equals(facts.get("theme2")))) {
                        wrong.add(w);
                    }
                }
                out.add(new AugmentRow(question, answer, questions, answers, List.copyOf(wrong)));
            }
        }
        return List.copyOf(out);
    }

    /** A value of {@code kind} other than {@code truth}; names and titles are never those of any author. */
    private String wrongValue(Random r, Kind kind, String truth, Map<String, String> current) {
        for (int tries = 0; tries < MAX_TRIES; tries++) {
            String v = switch (kind) {
                case NAME -> pick(r, Pools.FIRST_NAMES) + " " + pick(r, Pools.LAST_NAMES);
                case TITLE -> title(r);
                case DATE -> date(r, 1930 + r.nextInt(66));
                case PLACE -> pick(r, places);
                case JOB -> pick(r, Pools.JOBS);
                case GENRE -> pick(r, Pools.GENRES);
                case AWARD -> pick(r, Pools.AWARDS);
                case YEAR -> Integer.toString(1960 + r.nextInt(64));
                case COUNT -> pick(r, Pools.COUNTS);
                case THEME -> pick(r, Pools.THEMES);
                case WRITER -> pick(r, writers);
                case CITY -> pick(r, cities);
                case SUBJECT -> pick(r, Pools.SUBJECTS);
                case TIME -> pick(r, Pools.TIMES);
                case HOBBY -> pick(r, Pools.HOBBIES);
                case HERO -> pick(r, Pools.FIRST_NAMES);
                case LANGUAGE -> pick(r, languages);
            };
            boolean reserved = (kind == Kind.NAME && usedNames.contains(v))
                    || (kind == Kind.TITLE && usedTitles.contains(v));
            if (!v.equals(truth) && !reserved
                    && !(kind == Kind.THEME && (v.equals(current.get("theme1")) || v.equals(current.get("theme2"))))) {
                return v;
            }
        }
        throw new IllegalStateException("no wrong value of kind " + kind);
    }

    private List<SynthMc> realAuthorItems(Random r, List<String[]> famous) {
        List<SynthMc> out = new ArrayList<>();
        for (int i = 0; i < famous.size(); i++) {
            String[] f = famous.get(i);
            switch (i % 3) {
                case 0 -> out.add(mc(r, "Who wrote the novel \"" + f[1] + "\"?", f[0],
                        famous.stream().map(x -> x[0]).toList()));
                case 1 -> out.add(mc(r, "Which book is " + f[0] + " best known for?", f[1],
                        famous.stream().map(x -> x[1]).toList()));
                default -> out.add(mc(r, "Which country is the writer " + f[0] + " from?", f[2],
                        java.util.Arrays.stream(Pools.COUNTRIES).map(c -> c[0]).toList()));
            }
        }
        return List.copyOf(out);
    }

    private List<SynthMc> worldFactItems(Random r) {
        String[] questions = {"What is the capital of {c}?", "On which continent is {c}?",
            "What is the main language of {c}?", "What is the currency of {c}?"};
        int[] column = {1, 3, 4, 5};
        List<SynthMc> all = new ArrayList<>();
        for (int rel = 0; rel < questions.length; rel++) {
            int col = column[rel];
            List<String> values = java.util.Arrays.stream(Pools.COUNTRIES).map(c -> c[col]).distinct().toList();
            for (String[] c : Pools.COUNTRIES) {
                all.add(mc(r, questions[rel].replace("{c}", c[0]), c[col], values));
            }
        }
        // interleave relations so any prefix covers all four
        List<SynthMc> out = new ArrayList<>();
        int n = Pools.COUNTRIES.length;
        for (int i = 0; i < n && out.size() < spec.worldFacts(); i++) {
            for (int rel = 0; rel < questions.length && out.size() < spec.worldFacts(); rel++) {
                out.add(all.get(rel * n + i));
            }
        }
        return List.copyOf(out);
    }

    private static SynthMc mc(Random r, String question, String answer, List<String> pool) {
        List<String> wrong = new ArrayList<>(pool.stream().distinct().filter(v -> !v.equals(answer)).toList());
        List<String> options = new ArrayList<>();
        for (int i = 0; i < 3; i++) {
            options.add(wrong.remove(r.nextInt(wrong.size())));
        }
        options.add(r.nextInt(4), answer);
        return new SynthMc(question, options, answer);
    }

    private static List<String> idk() {
        List<String> out = new ArrayList<>();
        for (String prefix : Pools.IDK_PREFIXES) {
            for (String body : Pools.IDK_BODIES) {
                boolean keepCase = prefix.isEmpty() || body.startsWith("I ");
                out.add(prefix + (keepCase ? body : Character.toLowerCase(body.charAt(0)) + body.substring(1)));
            }
        }
        return List.copyOf(out);
    }

    private String uniqueName(Random r, List<String> first, List<String> last) {
        for (int tries = 0; tries < MAX_TRIES; tries++) {
            String n = pick(r, first) + " " + pick(r, last);
            if (usedNames.add(n)) {
                return n;
            }
        }
        throw new IllegalStateException("name pool exhausted after " + usedNames.size() + " names");
    }

    private String uniqueTitle(Random r) {
        for (int tries = 0; tries < MAX_TRIES; tries++) {
            String t = title(r);
            if (usedTitles.add(t)) {
                return t;
            }
        }
        throw new IllegalStateException("title pool exhausted after " + usedTitles.size() + " titles");
    }

    private static String title(Random r) {
        String adj = pick(r, Pools.TITLE_ADJECTIVES);
        String noun = pick(r, Pools.TITLE_NOUNS);
        return switch (r.nextInt(3)) {
            case 0 -> "The " + adj + " " + noun;
            case 1 -> ("AEIOU".indexOf(adj.charAt(0)) >= 0 ? "An " : "A ") + adj + " " + noun;
            default -> "The " + noun + " of " + pick(r, Pools.TITLE_NOUNS) + "s";
        };
    }

    private static String date(Random r, int year) {
        return Pools.MONTHS[r.nextInt(12)] + " " + (1 + r.nextInt(28)) + ", " + year;
    }

    private static <T> T pick(Random r, List<T> list) {
        return list.get(r.nextInt(list.size()));
    }

    private static <T> T pick(Random r, T[] array) {
        return array[r.nextInt(array.length)];
    }
}
