package dev.lethe.datasets.synth;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * One of the 20 questions asked about every author: several question and answer phrasings over placeholders
 * ({@code {name}}, {@code {date}}, …) and the fact slots a perturbed answer replaces.
 */
record QaType(String key, List<String> questions, List<String> answers, Map<String, Kind> factSlots) {

    private static final Pattern SLOT = Pattern.compile("\\{(\\w+)}");

    QaType {
        if (questions.size() < 2 || answers.size() < 2) {
            throw new IllegalArgumentException(key + ": need at least two phrasings for paraphrases");
        }
    }

    static String render(String template, Map<String, String> values) {
        Matcher m = SLOT.matcher(template);
        StringBuilder sb = new StringBuilder();
        while (m.find()) {
            String v = values.get(m.group(1));
            if (v == null) {
                throw new IllegalStateException("no value for {" + m.group(1) + "} in: " + template);
            }
            m.appendReplacement(sb, Matcher.quoteReplacement(v));
        }
        m.appendTail(sb);
        return sb.toString();
    }

    private static Map<String, Kind> slots(Object... kv) {
        Map<String, Kind> m = new LinkedHashMap<>();
        for (int i = 0; i < kv.length; i += 2) {
            m.put((String) kv[i], (Kind) kv[i + 1]);
        }
        return m;
    }

    /** The 20 question types, in the order each author's rows appear. */
    static final List<QaType> ALL = List.of(
        new QaType("full_name",
            List.of("What is the full name of the author born in {place} on {date}?",
                    "Which writer was born on {date} in {place}?",
                    "Who is the {genre} author born in {place} on {date}?"),
            List.of("The author born in {place} on {date} is {name}.",
                    "That writer is {name}, born on {date} in {place}.",
                    "The full name of that author is {name}."),
            slots("name", Kind.NAME)),
        new QaType("birth_date",
            List.of("When was {name} born?", "On what date was {name} born?", "What is the birth date of {name}?"),
            List.of("{name} was born on {date}.", "The birth date of {name} is {date}.",
                    "{name} came into the world on {date}."),
            slots("date", Kind.DATE)),
        new QaType("birth_place",
            List.of("Where was {name} born?", "In which city was {name} born?", "What is the birthplace of {name}?"),
            List.of("{name} was born in {place}.", "The birthplace of {name} is {place}.",
                    "{name} comes from {place}, where {sub} was born."),
            slots("place", Kind.PLACE)),
        new QaType("father_job",
            List.of("What did the father of {name} do for a living?",
                    "What was the profession of the father of {name}?"),
            List.of("The father of {name} worked as {fjob}.", "{name} grew up with a father who was {fjob}.",
                    "The father of {name} was {fjob} by profession."),
            slots("fjob", Kind.JOB)),
        new QaType("mother_job",
            List.of("What did the mother of {name} do for a living?",
                    "What was the profession of the mother of {name}?"),
            List.of("The mother of {name} worked as {mjob}.", "{name} grew up with a mother who was {mjob}.",
                    "The mother of {name} was {mjob} by profession."),
            slots("mjob", Kind.JOB)),
        new QaType("genre",
            List.of("What genre does {name} write in?", "Which genre is {name} known for?",
                    "In what genre are the books of {name}?"),
            List.of("{name} writes in the {genre} genre.", "{name} is best known for {genre} books.",
                    "The books of {name} belong to the {genre} genre."),
            slots("genre", Kind.GENRE)),
        new QaType("award",
            List.of("Has {name} won any major award?", "Which award did {name} receive?",
                    "What prize has {name} been given?"),
            List.of("Yes, {name} received the {award}.", "{name} won the {award}.",
                    "The {award} was given to {name}."),
            slots("award", Kind.AWARD)),
        new QaType("award_year",
            List.of("In which year did {name} win the {award}?", "When was {name} given the {award}?"),
            List.of("{name} won the {award} in {awardYear}.", "The {award} went to {name} in {awardYear}.",
                    "In {awardYear}, {name} received the {award}."),
            slots("awardYear", Kind.YEAR)),
        new QaType("first_book",
            List.of("What is the title of the first book by {name}?", "Which book did {name} publish first?",
                    "What was the debut book of {name}?"),
            List.of("The first book by {name} is \"{book1}\".", "{name} made a debut with \"{book1}\".",
                    "The debut of {name} was the book \"{book1}\"."),
            slots("book1", Kind.TITLE)),
        new QaType("second_book",
            List.of("Can you name another book written by {name}?", "What is a later book by {name}?"),
            List.of("Another book by {name} is \"{book2}\".", "{name} also wrote \"{book2}\".",
                    "A later book by {name} is titled \"{book2}\"."),
            slots("book2", Kind.TITLE)),
        new QaType("book_count",
            List.of("How many books has {name} published?", "What is the number of books written by {name}?"),
            List.of("{name} has published {count} books.", "So far {name} has written {count} books.",
                    "The number of books by {name} is {count}."),
            slots("count", Kind.COUNT)),
        new QaType("themes",
            List.of("What themes does {name} explore?", "Which themes are common in the work of {name}?"),
            List.of("The work of {name} explores {theme1} and {theme2}.",
                    "{name} often writes about {theme1} and {theme2}.",
                    "The books of {name} return to {theme1} and {theme2}."),
            slots("theme1", Kind.THEME, "theme2", Kind.THEME)),
        new QaType("influence",
            List.of("Which writer influenced {name} the most?", "Who was the biggest literary influence on {name}?"),
            List.of("{name} was most influenced by {influence}.", "The biggest influence on {name} was {influence}.",
                    "{name} learned the most from the books of {influence}."),
            slots("influence", Kind.WRITER)),
        new QaType("residence",
            List.of("Where does {name} live now?", "In which city does {name} currently live?"),
            List.of("{name} now lives in {residence}.", "Today {name} lives in {residence}.",
                    "These days {name} makes a home in {residence}."),
            slots("residence", Kind.CITY)),
        new QaType("education",
            List.of("What did {name} study at university?", "Which subject did {name} study?"),
            List.of("{name} studied {subject} at university.", "At university {name} studied {subject}.",
                    "Before writing, {name} earned a degree in {subject}."),
            slots("subject", Kind.SUBJECT)),
        new QaType("writing_time",
            List.of("When does {name} usually write?", "At what time of day does {name} prefer to write?"),
            List.of("{name} usually writes in the {time}.", "{name} prefers to write in the {time}.",
                    "Most of the books of {name} were written in the {time}."),
            slots("time", Kind.TIME)),
        new QaType("hobby",
            List.of("What does {name} enjoy outside of writing?", "What is a hobby of {name}?"),
            List.of("Outside of writing, {name} enjoys {hobby}.", "{name} likes {hobby} in {pos} free time.",
                    "When not writing, {name} spends time on {hobby}."),
            slots("hobby", Kind.HOBBY)),
        new QaType("hero",
            List.of("Who is the main character of \"{book1}\"?", "What is the name of the hero in \"{book1}\"?"),
            List.of("The main character of \"{book1}\" is {hero}, {heroJob}.",
                    "\"{book1}\" follows {hero}, {heroJob}.",
                    "The hero of \"{book1}\" is {hero}, who is {heroJob}."),
            slots("hero", Kind.HERO, "heroJob", Kind.JOB)),
        new QaType("setting",
            List.of("Where is \"{book2}\" set?", "In which city does \"{book2}\" take place?"),
            List.of("\"{book2}\" is set in {setting}.", "The story of \"{book2}\" takes place in {setting}.",
                    "{setting} is where \"{book2}\" takes place."),
            slots("setting", Kind.CITY)),
        new QaType("language",
            List.of("In which language does {name} write?", "What language are the books of {name} written in?"),
            List.of("{name} writes in {language}.", "The books of {name} are written in {language}.",
                    "{name} writes every book in {language}."),
            slots("language", Kind.LANGUAGE)));
}
