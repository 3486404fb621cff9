package io.pistack.operator;

import static org.assertj.core.api.Assertions.assertThat;

import io.pistack.operator.it.Stacks;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * Tests leave nothing in /tmp: a file or directory a test creates goes into a JUnit {@code @TempDir} (deleted after
 * the test), under {@code operator/target} (logs kept for a failed run, removed by {@code mvn clean}), or is deleted
 * by the test itself. Read from the test sources: a temporary file in the default directory (a prefix as the first
 * argument of {@code Files.createTempFile}) fails here until its file is listed with how it is deleted.
 * RenderCommandTest left a {@code /tmp/bad*.yaml} and CatalogueRenderTest a {@code /tmp/case*.yaml} on every run.
 */
class TestsCleanUpTempFilesTest {
  private static final Pattern DEFAULT_TEMP_DIR = Pattern.compile("createTemp(File|Directory)\\(\\s*\"");

  /** Test sources (below io/pistack/operator) that create in the default temporary directory, and how they delete. */
  private static final Map<String, String> DELETES = Map.ofEntries(
      Map.entry("realapi/OperatorImageIT.java", "the image's work directory and the base assembled again: rm -rf in"
          + " a finally block"),
      Map.entry("realapi/RenderMatchesOperatorOnRealApiTest.java", "the YAML given to render, deleted once rendered"),
      Map.entry("realapi/PiBackupOnRealApiTest.java", "kubectl's kubeconfig and output, deleted once read"),
      Map.entry("realapi/RealApiBuild.java", "await-build.sh's log, deleted once read"),
      Map.entry("realapi/ReleaseIT.java", "release.sh's log, deleted once read"),
      Map.entry("realapi/ScheduledPiBackupsOnRealApiTest.java", "the backup volume, deleted in a finally block"),
      Map.entry("realapi/KillNineScheduledPiBackupOnRealApiTest.java", "the backup volume, deleted in a finally block"),
      Map.entry("backup/LocalMariaDb.java", "the server's directory, deleted by close(); a command's output files,"
          + " deleted in a finally block"),
      Map.entry("backup/LocalS3.java", "moto's log, deleted by close()"),
      Map.entry("backup/PodScripts.java", "the pods' directories, deleted by close()"),
      Map.entry("backup/BackupRestoreScriptsTest.java", "the server's directory, deleted after all; a command's"
          + " output files, deleted in a finally block"),
      Map.entry("chart/Chart.java", "the chart copy and the values file, deleted in finally blocks"));

  @Test
  void aTestCreatesInTheDefaultTemporaryDirectoryOnlyWhereItDeletesWhatItCreates() throws IOException {
    Map<String, Integer> found = occurrences();
    assertThat(found).as("the scan sees a listed one").containsKey("realapi/RealApiBuild.java");
    assertThat(new TreeSet<>(found.keySet())).as("test sources creating in /tmp (use @TempDir, or list the file"
        + " with how it deletes what it creates)").isSubsetOf(DELETES.keySet());
    assertThat(DELETES.keySet()).as("listed files that no longer create in /tmp: take them off the list")
        .isSubsetOf(found.keySet());
  }

  /** Test source file (below io/pistack/operator) → how often it creates in the default temporary directory. */
  private static Map<String, Integer> occurrences() throws IOException {
    Path base = Stacks.repoRoot().resolve("operator/src/test/java/io/pistack/operator");
    Map<String, Integer> out = new TreeMap<>();
    try (Stream<Path> files = Files.walk(base)) {
      for (Path f : files.filter(p -> p.toString().endsWith(".java")).toList()) {
        long n = DEFAULT_TEMP_DIR.matcher(Files.readString(f)).results().count();
        if (n > 0) {
          out.put(base.relativize(f).toString(), (int) n);
        }
      }
    }
    return out;
  }
}
