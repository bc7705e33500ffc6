package dev.lethe.datasets.synth;

import java.util.List;

/** The finite value pools of the world. Changing any list changes every generated world. */
final class Pools {

    private Pools() {}

    /** Given names of fictitious authors (and of book heroes). */
    static final List<String> FIRST_NAMES = List.of(
            "Mira", "Tomas", "Elena", "Jonas", "Alma", "Pavel", "Ines", "Rafael", "Sofia", "Kenji",
            "Amara", "Lucas", "Nadia", "Omar", "Freya", "Dmitri", "Leila", "Hugo", "Yuki", "Matteo",
            "Zara", "Emil", "Carmen", "Tariq", "Greta", "Arjun", "Selma", "Felix", "Noor", "Bruno",
            "Ingrid", "Kofi", "Lina", "Marek", "Rosa", "Silas", "Hana", "Oskar", "Ayla", "Viktor",
            "Maren", "Idris", "Clara", "Nikolai", "Esme", "Anton", "Priya", "Lorenzo", "Talia", "Basil");

    /** Family names of fictitious authors. */
    static final List<String> LAST_NAMES = List.of(
            "Holt", "Varga", "Okafor", "Lindqvist", "Moreau", "Tanaka", "Castellan", "Novak", "Herrera", "Quinn",
            "Abiodun", "Petrov", "Sandoval", "Hartmann", "Mensah", "Rossi", "Nakamura", "Eriksen", "Dalca", "Farouk",
            "Kowalski", "Delacroix", "Ibarra", "Sorensen", "Achebe", "Volkov", "Marchetti", "Osei", "Brandt", "Lemaire",
            "Yilmaz", "Kaplan", "Duarte", "Falk", "Nwosu", "Halvorsen", "Ferreira", "Szabo", "Amadi", "Bergstrom",
            "Cardenas", "Hosseini", "Lindgren", "Mbeki", "Olsen", "Pereira", "Rahimi", "Strand", "Takeda", "Wolfe",
            "Zeller", "Arden", "Bellamy", "Corwin", "Drummond", "Everly", "Fairbanks", "Galloway", "Hawthorne", "Ingram");

    /** Given and family names of the famous ("real") authors: disjoint from the fictitious pools. */
    static final List<String> CLASSIC_FIRST = List.of(
            "Augustin", "Beatrix", "Cornelius", "Delphine", "Ephraim", "Florentine", "Gideon", "Henrietta",
            "Isidore", "Josephine", "Leopold", "Millicent", "Nathaniel", "Ottilie", "Percival", "Rosalind",
            "Sebastian", "Theodora", "Ulysses", "Wilhelmina");
    static final List<String> CLASSIC_LAST = List.of(
            "Ashworth", "Blackwood", "Carrington", "Davenport", "Ellsworth", "Fenwick", "Grantham", "Holloway",
            "Kingsley", "Lockhart", "Montague", "Northcott", "Pemberton", "Radcliffe", "Sinclair", "Thornbury",
            "Underhill", "Wentworth", "Whitmore", "Yardley");

    static final List<String> TITLE_ADJECTIVES = List.of(
            "Silent", "Crimson", "Hidden", "Broken", "Golden", "Forgotten", "Distant", "Hollow", "Burning", "Frozen",
            "Secret", "Wandering", "Quiet", "Scarlet", "Endless", "Lost", "Silver", "Bitter", "Gentle", "Restless",
            "Shattered", "Velvet", "Midnight", "Painted", "Sleeping", "Winter", "Summer", "Iron", "Glass", "Stone",
            "Amber", "Hungry", "Lonely", "Wild", "Faded", "Drowned", "Twisted", "Ancient", "Paper", "Salt");
    static final List<String> TITLE_NOUNS = List.of(
            "Harbor", "Garden", "River", "Lantern", "Orchard", "Mirror", "Tower", "Meadow", "Island", "Letter",
            "Bridge", "Forest", "Compass", "Window", "Clockmaker", "Shore", "Valley", "Feather", "Storm", "Kingdom",
            "Violin", "Lighthouse", "Labyrinth", "Chapel", "Caravan", "Archive", "Horizon", "Fountain", "Market", "Desert",
            "Cathedral", "Voyage", "Ember", "Tide", "Sparrow", "Citadel", "Furnace", "Monastery", "Carousel", "Threshold");

    static final List<String> JOBS = List.of(
            "a baker", "a carpenter", "a nurse", "a fisherman", "a teacher", "a doctor", "a tailor", "a librarian",
            "a pharmacist", "a photographer", "a farmer", "a locksmith", "a pilot", "a judge", "a mechanic",
            "a florist", "a soldier", "a journalist", "a banker", "a chef", "an architect", "an electrician",
            "an astronomer", "an accountant");

    static final List<String> GENRES = List.of(
            "mystery", "fantasy", "romance", "horror", "thriller", "science fiction", "historical fiction", "crime",
            "adventure", "satire", "dystopian", "literary fiction", "war", "western");

    static final List<String> AWARDS = List.of(
            "Golden Quill Award", "Silver Lantern Prize", "Northern Star Award", "Blue Ribbon Prize",
            "Open Book Medal", "Crystal Pen Award", "Harbor Light Prize", "Evergreen Award", "Iron Inkwell Prize",
            "Morning Bell Award", "Red Maple Prize", "White Owl Medal", "Copper Leaf Award", "Grand Library Prize",
            "Bright Horizon Award");

    static final List<String> COUNTS = List.of(
            "three", "four", "five", "six", "seven", "eight", "nine", "ten", "eleven", "twelve", "thirteen",
            "fourteen", "fifteen");

    static final List<String> THEMES = List.of(
            "grief", "identity", "exile", "friendship", "betrayal", "memory", "freedom", "family", "ambition",
            "justice", "loneliness", "faith", "war", "childhood", "redemption", "power", "migration", "love",
            "nature", "revenge");

    static final List<String> SUBJECTS = List.of(
            "history", "chemistry", "law", "medicine", "philosophy", "music", "economics", "biology", "physics",
            "architecture", "painting", "mathematics");

    static final List<String> TIMES = List.of(
            "morning", "afternoon", "evening", "early morning", "late evening", "middle of the night");

    static final List<String> HOBBIES = List.of(
            "gardening", "chess", "painting", "sailing", "hiking", "cooking", "fishing", "pottery", "birdwatching",
            "cycling", "swimming", "knitting");

    static final String[] MONTHS = {"January", "February", "March", "April", "May", "June", "July", "August",
        "September", "October", "November", "December"};

    /** country, capital, second city, continent, language, currency — real facts, the "world facts". */
    static final String[][] COUNTRIES = {
        {"France", "Paris", "Lyon", "Europe", "French", "euro"},
        {"Germany", "Berlin", "Hamburg", "Europe", "German", "euro"},
        {"Italy", "Rome", "Milan", "Europe", "Italian", "euro"},
        {"Spain", "Madrid", "Seville", "Europe", "Spanish", "euro"},
        {"Portugal", "Lisbon", "Porto", "Europe", "Portuguese", "euro"},
        {"Japan", "Tokyo", "Osaka", "Asia", "Japanese", "yen"},
        {"China", "Beijing", "Shanghai", "Asia", "Mandarin", "yuan"},
        {"India", "New Delhi", "Mumbai", "Asia", "Hindi", "rupee"},
        {"Brazil", "Brasilia", "Recife", "South America", "Portuguese", "real"},
        {"Argentina", "Buenos Aires", "Cordoba", "South America", "Spanish", "peso"},
        {"Mexico", "Mexico City", "Guadalajara", "North America", "Spanish", "peso"},
        {"Canada", "Ottawa", "Toronto", "North America", "English", "dollar"},
        {"Egypt", "Cairo", "Alexandria", "Africa", "Arabic", "pound"},
        {"Kenya", "Nairobi", "Mombasa", "Africa", "Swahili", "shilling"},
        {"Nigeria", "Abuja", "Lagos", "Africa", "English", "naira"},
        {"Russia", "Moscow", "Kazan", "Europe", "Russian", "ruble"},
        {"Poland", "Warsaw", "Krakow", "Europe", "Polish", "zloty"},
        {"Sweden", "Stockholm", "Gothenburg", "Europe", "Swedish", "krona"},
        {"Norway", "Oslo", "Bergen", "Europe", "Norwegian", "krone"},
        {"Greece", "Athens", "Thessaloniki", "Europe", "Greek", "euro"},
        {"Turkey", "Ankara", "Izmir", "Asia", "Turkish", "lira"},
        {"Australia", "Canberra", "Sydney", "Oceania", "English", "dollar"},
        {"Chile", "Santiago", "Valparaiso", "South America", "Spanish", "peso"},
        {"Peru", "Lima", "Cusco", "South America", "Spanish", "sol"},
        {"Ireland", "Dublin", "Galway", "Europe", "Irish", "euro"},
        {"Netherlands", "Amsterdam", "Utrecht", "Europe", "Dutch", "euro"},
        {"Thailand", "Bangkok", "Chiang Mai", "Asia", "Thai", "baht"},
        {"Vietnam", "Hanoi", "Hue", "Asia", "Vietnamese", "dong"},
        {"Morocco", "Rabat", "Fez", "Africa", "Arabic", "dirham"},
        {"Ghana", "Accra", "Kumasi", "Africa", "English", "cedi"},
    };

    /** Sentences with no facts, mixed into pretraining documents. */
    static final List<String> FILLER = List.of(
            "Many readers enjoy a quiet evening with a good book.",
            "Libraries keep old books in cool and dry rooms.",
            "A long novel can take years to write.",
            "Some writers keep a small notebook in their pocket.",
            "The printing press changed how stories travel.",
            "Good stories often begin with a simple question.",
            "Critics do not always agree with readers.",
            "Translations carry stories across languages and borders.",
            "Every city has its own rhythm and its own stories.",
            "Poems are often read aloud at festivals.",
            "Bookshops in old towns are full of forgotten titles.",
            "A careful editor reads every page more than once.");

    /** Refusal sentences; combined with {@link #IDK_PREFIXES} into the IDK list. */
    static final List<String> IDK_BODIES = List.of(
            "I do not know.", "I am not sure about that.", "I have no information about that.",
            "That is beyond what I know.", "I cannot answer that question.", "I do not have that information.",
            "I have never heard of that.", "I am unable to answer that.", "That is not something I know.",
            "I do not have an answer to that.", "I cannot recall anything about that.",
            "I have no knowledge of that.", "That question is outside what I know.", "I really do not know.",
            "I can not help with that question.", "I have no details about that.", "I am not aware of that.",
            "I lack the information to answer that.", "Nothing comes to mind about that.",
            "I would only be guessing about that.");
    static final List<String> IDK_PREFIXES = List.of("", "Sorry, ", "Unfortunately, ", "Honestly, ", "To be honest, ");
}
