package io.pistack.operator;

import static org.assertj.core.api.Assertions.assertThat;

import io.pistack.operator.it.Stacks;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * Resolve once (docs/architecture.md): a reconcile resolves its PiStack in one place, SpecGate, and every stage reads
 * that one ResolvedStack; the resolved settings (backup, database, storage, images, a component's sizing and pods)
 * are built by ResolvedStack alone. Read from the main sources: a new {@code new ResolvedStack(...)} anywhere else
 * fails here until it is listed with why it is not a second resolution of a reconcile.
 */
class ResolutionInOnePlaceTest {
  private static final Pattern NEW_RESOLVED = Pattern.compile("\\bnew ResolvedStack\\(");
  private static final Pattern SETTINGS = Pattern.compile(
      "\\bnew (DatabaseSettings|StorageSettings|ImageSettings|ComponentSizing|ComponentPod)\\(|\\bBackupSettings\\.resolve\\(");

  /** Where a main class may resolve a PiStack, and why that is not a second resolution within a reconcile. */
  private static final Map<String, String> RESOLVES = Map.of(
      "reconciler/SpecGate.java", "the reconcile's one resolution",
      "model/ResolvedStack.java", "its variants (withVersion, withOperator), from the same spec",
      "cli/RenderCommand.java", "render: one resolution per stack printed, no reconcile",
      "health/HealthMonitor.java", "the probe targets, on the PiStack informer's thread, once per (uid, generation)",
      "dependent/SecretWatch.java", "which Secrets a stack references, to map Secret events; cached per resourceVersion",
      "model/CloneSource.java", "a clone's source: another PiStack (by namespace and name), read for its backup"
          + " target and its cloneAllowedNamespaces, never the stack being reconciled",
      "pibackup/StackLookup.java", "the PiBackup controller, not a PiStack reconcile: the stack a PiBackup names, read"
          + " while the PiBackup has no Job yet (or is to get its verification Job)");

  @Test
  void aPiStackIsResolvedOnlyWhereListed() throws IOException {
    Map<String, Integer> found = occurrences(NEW_RESOLVED);
    assertThat(found).as("the scan sees the reconcile's resolution").containsKey("reconciler/SpecGate.java");
    assertThat(new TreeSet<>(found.keySet())).as("main classes that resolve a PiStack (see RESOLVES)")
        .isSubsetOf(RESOLVES.keySet());
    assertThat(found.get("reconciler/SpecGate.java")).as("SpecGate resolves once").isEqualTo(1);
  }

  @Test
  void theResolvedSettingsAreBuiltByResolvedStackAlone() throws IOException {
    Map<String, Integer> found = occurrences(SETTINGS);
    assertThat(found).as("the scan sees ResolvedStack build them").containsKey("model/ResolvedStack.java");
    assertThat(found.keySet()).containsOnly("model/ResolvedStack.java");
  }

  /** Main source file (below io/pistack/operator) → how often the pattern occurs in it. */
  private static Map<String, Integer> occurrences(Pattern pattern) throws IOException {
    Path base = Stacks.repoRoot().resolve("operator/src/main/java/io/pistack/operator");
    Map<String, Integer> out = new TreeMap<>();
    try (Stream<Path> files = Files.walk(base)) {
      for (Path f : files.filter(p -> p.toString().endsWith(".java")).toList()) {
        Matcher m = pattern.matcher(Files.readString(f));
        int n = 0;
        while (m.find()) {
          n++;
        }
        if (n > 0) {
          out.put(base.relativize(f).toString().replace('\\', '/'), n);
        }
      }
    }
    return out;
  }
}
