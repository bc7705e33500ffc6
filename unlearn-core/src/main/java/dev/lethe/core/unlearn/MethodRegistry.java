package dev.lethe.core.unlearn;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** Unlearning methods by name. The eight TOFU baselines are registered at start-up; others may be added. */
public final class MethodRegistry {

    private static final Map<String, UnlearningMethod> METHODS = new LinkedHashMap<>();

    static {
        register(new GradAscent());
        register(GradDiff.gradDiff());
        register(GradDiff.klMinimization());
        register(new IdkDpo());
        register(new Npo());
        register(new SimNpo());
        register(new Rmu());
        register(new Undial());
    }

    private MethodRegistry() {}

    /** Adds a method; its name must be new. */
    public static synchronized void register(UnlearningMethod method) {
        if (METHODS.containsKey(method.name())) {
            throw new IllegalArgumentException("an unlearning method named '" + method.name()
                    + "' is already registered");
        }
        METHODS.put(method.name(), method);
    }

    /** Registered names, in registration order. */
    public static synchronized List<String> names() {
        return List.copyOf(new ArrayList<>(METHODS.keySet()));
    }

    /** The method called {@code name}; an unknown name is an error that lists the valid ones. */
    public static synchronized UnlearningMethod get(String name) {
        UnlearningMethod m = METHODS.get(name);
        if (m == null) {
            throw new IllegalArgumentException("Unknown unlearning method '" + name + "'; valid methods: "
                    + String.join(", ", METHODS.keySet()));
        }
        return m;
    }
}
