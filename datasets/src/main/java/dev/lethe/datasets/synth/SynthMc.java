package dev.lethe.datasets.synth;

import java.util.List;

/** One generated multiple-choice row (real authors / world facts analogue): four options, one correct. */
record SynthMc(String question, List<String> options, String answer) {

    SynthMc {
        options = List.copyOf(options);
    }

    List<String> wrong() {
        return options.stream().filter(o -> !o.equals(answer)).toList();
    }
}
