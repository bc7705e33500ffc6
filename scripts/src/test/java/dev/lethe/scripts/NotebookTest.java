package dev.lethe.scripts;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import jdk.jshell.DeclarationSnippet;
import jdk.jshell.JShell;
import jdk.jshell.Snippet;
import jdk.jshell.SnippetEvent;
import jdk.jshell.SourceCodeAnalysis;
import jdk.jshell.EvalException;
import jdk.jshell.UnresolvedReferenceException;
import dev.lethe.core.util.AtomicFiles;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.opentest4j.AssertionFailedError;
import org.junit.jupiter.params.provider.MethodSource;

import java.io.ByteArrayOutputStream;
import java.io.File;
import java.io.IOException;
import java.io.PrintStream;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.jar.JarFile;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

/**
 * Executes every code cell of every notebook in {@code notebooks/} through JShell on the test classpath, so a
 * notebook that no longer compiles or throws fails {@code mvn verify}. IJava magics are skipped: line magics
 * ({@code %maven}, {@code %jars}, …) and cell magics ({@code %%loadFromPOM}, …) only fetch Lethe, which the
 * classpath already holds. A snippet fails the test when it is rejected, stays unresolved, or throws.
 */
class NotebookTest {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Path NOTEBOOKS = Path.of(System.getProperty("user.dir")).resolve("../notebooks").normalize();

    static Stream<String> notebooks() throws IOException {
        try (Stream<Path> s = Files.list(NOTEBOOKS)) {
            return s.filter(p -> p.toString().endsWith(".ipynb")).map(p -> p.getFileName().toString()).sorted()
                    .toList().stream();
        }
    }

    /** Shared by the notebooks (eco reuses the quickstart's models), but fresh for every test run. */
    private static final Path RUNS = Path.of("target", "notebook-runs").toAbsolutePath();

    @BeforeAll
    static void freshRuns() throws IOException {
        AtomicFiles.deleteRecursively(RUNS);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("notebooks")
    void everyCodeCellRuns(String name) throws Exception {
        execute(NOTEBOOKS.resolve(name));
    }

    /** The test must be able to fail: a notebook that throws, and one that does not compile. */
    @Test
    void brokenNotebooksFail(@TempDir Path tmp) throws Exception {
        Path throwing = tmp.resolve("throwing.ipynb");
        Files.writeString(throwing, notebook("%maven dev.lethe:scripts:0.1.0-SNAPSHOT",
                "int x = 1;\nif (x == 1) throw new IllegalStateException(\"boom\");"));
        AssertionFailedError e = assertThrows(AssertionFailedError.class, () -> execute(throwing));
        assertTrue(e.getMessage().contains("java.lang.IllegalStateException: boom"), e.getMessage());

        Path rejected = tmp.resolve("rejected.ipynb");
        Files.writeString(rejected, notebook("String s = dev.lethe.eval.report.MeanCi.of(java.util.List.of(1.0)).nope();"));
        e = assertThrows(AssertionFailedError.class, () -> execute(rejected));
        assertTrue(e.getMessage().contains("REJECTED"), e.getMessage());
    }

    private static String notebook(String... cells) throws IOException {
        var root = JSON.createObjectNode();
        var arr = root.putArray("cells");
        for (String c : cells) {
            arr.addObject().put("cell_type", "code").put("source", c);
        }
        return JSON.writeValueAsString(root);
    }

    static void execute(Path notebook) throws Exception {
        String name = notebook.getFileName().toString();
        List<String> cells = codeCells(notebook);
        assertFalse(cells.isEmpty(), name + " has no code cells");
        String cp = classpath();
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        PrintStream print = new PrintStream(out, true, StandardCharsets.UTF_8);
        try (JShell shell = JShell.builder().out(print).err(print)
                .remoteVMOptions("-cp", cp, "-Dai.djl.offline=true", "-DOPT_OUT_TRACKING=true",
                        "-Dai.djl.pytorch.num_threads=1", "-Xss8m", "-Djava.awt.headless=true",
                        "-Dorg.slf4j.simpleLogger.defaultLogLevel=warn",
                        "-Dlethe.shared=" + System.getProperty("lethe.shared", "../../shared"),
                        "-Dlethe.notebook.runs=" + RUNS)
                .compilerOptions("-classpath", cp).build()) {
            SourceCodeAnalysis sca = shell.sourceCodeAnalysis();
            for (int c = 0; c < cells.size(); c++) {
                String remaining = cells.get(c);
                while (!remaining.isBlank()) {
                    SourceCodeAnalysis.CompletionInfo ci = sca.analyzeCompletion(remaining);
                    if (ci.completeness() == SourceCodeAnalysis.Completeness.DEFINITELY_INCOMPLETE) {
                        fail(name + " cell " + (c + 1) + ": incomplete code: " + remaining);
                    }
                    String src = ci.source() != null ? ci.source() : remaining;
                    remaining = ci.source() != null ? ci.remaining() : "";
                    for (SnippetEvent e : shell.eval(src)) {
                        check(shell, name, c + 1, src, e, out);
                    }
                }
            }
        }
    }

    private static void check(JShell shell, String nb, int cell, String src, SnippetEvent e, ByteArrayOutputStream out) {
        String where = nb + " cell " + cell + ":\n" + src.strip() + "\n";
        if (e.exception() != null) {
            Throwable t = e.exception();
            String what = t instanceof EvalException ee ? ee.getExceptionClassName() + ": " + ee.getMessage()
                    : t instanceof UnresolvedReferenceException ? "unresolved reference: " + t.getMessage() : t.toString();
            StringBuilder trace = new StringBuilder();
            for (StackTraceElement el : t.getStackTrace()) {
                trace.append("\n  at ").append(el);
            }
            fail(where + "threw " + what + trace + "\noutput so far:\n" + out.toString(StandardCharsets.UTF_8));
        }
        if (e.causeSnippet() != null) {
            return; // a consequence of another snippet's change, reported through that one
        }
        Snippet.Status s = e.status();
        if (s == Snippet.Status.REJECTED || s == Snippet.Status.RECOVERABLE_DEFINED
                || s == Snippet.Status.RECOVERABLE_NOT_DEFINED) {
            StringBuilder d = new StringBuilder();
            shell.diagnostics(e.snippet()).forEach(x -> d.append("\n  ").append(x.getMessage(null)));
            if (e.snippet() instanceof DeclarationSnippet ds) {
                shell.unresolvedDependencies(ds).forEach(u -> d.append("\n  unresolved: ").append(u));
            }
            fail(where + "is " + s + d);
        }
    }

    /** The source of every code cell, magics removed; cells that are wholly a cell magic are dropped. */
    static List<String> codeCells(Path notebook) throws IOException {
        JsonNode nb = JSON.readTree(notebook.toFile());
        List<String> cells = new ArrayList<>();
        for (JsonNode cell : nb.path("cells")) {
            if (!"code".equals(cell.path("cell_type").asText())) {
                continue;
            }
            StringBuilder src = new StringBuilder();
            JsonNode s = cell.path("source");
            if (s.isArray()) {
                s.forEach(l -> src.append(l.asText()));
            } else {
                src.append(s.asText());
            }
            String text = src.toString();
            if (text.stripLeading().startsWith("%%")) {
                continue;
            }
            StringBuilder kept = new StringBuilder();
            for (String line : text.split("\n", -1)) {
                kept.append(line.stripLeading().startsWith("%") ? "" : line).append('\n');
            }
            if (!kept.toString().isBlank()) {
                cells.add(kept.toString());
            }
        }
        return cells;
    }

    /** The test classpath, with surefire's manifest-only booter jar expanded into its entries. */
    static String classpath() throws IOException {
        List<String> entries = new ArrayList<>();
        for (String e : System.getProperty("java.class.path").split(File.pathSeparator)) {
            if (e.endsWith(".jar") && Path.of(e).getFileName().toString().startsWith("surefire")) {
                try (JarFile jar = new JarFile(e)) {
                    String cp = jar.getManifest() == null ? null
                            : jar.getManifest().getMainAttributes().getValue("Class-Path");
                    if (cp != null) {
                        for (String u : cp.trim().split("\\s+")) {
                            entries.add(Path.of(URI.create(u).isAbsolute() ? URI.create(u)
                                    : Path.of(e).getParent().toUri().resolve(u)).toString());
                        }
                        continue;
                    }
                }
            }
            entries.add(e);
        }
        return String.join(File.pathSeparator, entries);
    }
}
