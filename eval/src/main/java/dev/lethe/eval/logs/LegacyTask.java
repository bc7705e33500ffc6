package dev.lethe.eval.logs;

/** The four eval files of a legacy TOFU run, with the display names TF's aggregator prints. */
public enum LegacyTask {
    REAL_AUTHORS("eval_real_author_wo_options.json", "Real Authors", "ra"),
    WORLD_FACTS("eval_real_world_wo_options.json", "Real World", "wf"),
    RETAIN("eval_log.json", "Retain", "retain"),
    FORGET("eval_log_forget.json", "Forget", "forget");

    private final String fileName;
    private final String displayName;
    private final String splitKey;

    LegacyTask(String fileName, String displayName, String splitKey) {
        this.fileName = fileName;
        this.displayName = displayName;
        this.splitKey = splitKey;
    }

    /** Key in {@code eval_log_aggregated.json} and name of the per-split file. */
    public String fileName() {
        return fileName;
    }

    /** TF's {@code eval_task_dict} name. */
    public String displayName() {
        return displayName;
    }

    /** Lethe/OU split key ({@code forget}, {@code retain}, {@code ra}, {@code wf}). */
    public String splitKey() {
        return splitKey;
    }

    /** Retain and forget are scored by raw probability; the multiple-choice sets are normalised. */
    public boolean isQaLog() {
        return this == RETAIN || this == FORGET;
    }

    public static LegacyTask byFileName(String name) {
        for (LegacyTask t : values()) {
            if (t.fileName.equals(name)) {
                return t;
            }
        }
        return null;
    }
}
