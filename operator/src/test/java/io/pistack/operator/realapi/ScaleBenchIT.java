package io.pistack.operator.realapi;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.pistack.operator.it.Stacks;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * The scale benchmark (bench/run.sh) at {@value #N} stacks, on its own real control plane with the jar
 * {@code package} built, asserting the API-server request counts it reports from the audit log — never
 * the times, which depend on the machine. The bounds are what the bench measured (docs/sizing.md) with
 * a little room; the waste cuts of issue 14 will tighten them.
 */
@Tag("slow")
class ScaleBenchIT {
  static final int N = 20;
  /**
   * Objects of a minimal stack: PVC, StatefulSet, 7 Services (the dashboard's internal one too), 5 Deployments, PDB,
   * the credentials, root and backup user Secrets, 6 NetworkPolicies (one per component, the database's).
   */
  static final int OBJECTS_PER_STACK = 24;
  static JsonNode result;
  static String table;

  @BeforeAll
  static void runTheBench() throws Exception {
    Path root = Stacks.repoRoot();
    Path state = Files.createTempDirectory(Files.createDirectories(root.resolve("operator/target/bench")), "pi-bench");
    Path out = state.resolve("result.json");
    Path log = state.resolveSibling(state.getFileName() + ".log");
    ProcessBuilder pb = new ProcessBuilder("bash", root.resolve("bench/run.sh").toString(), String.valueOf(N))
        .redirectErrorStream(true).redirectOutput(log.toFile());
    pb.environment().put("BENCH_STATE", state.resolve("run").toString());
    pb.environment().put("BENCH_OUT", out.toString());
    pb.environment().put("BENCH_JAR", root.resolve("operator/target/pi-operator.jar").toString());
    // No warm-up stack: CI asserts counts, not the heap per stack it is there for.
    pb.environment().put("BENCH_WARMUP", "0");
    Process p = pb.start();
    boolean done = p.waitFor(15, TimeUnit.MINUTES);
    if (!done) {
      p.destroyForcibly();
    }
    String output = Files.readString(log);
    assertThat(done && p.exitValue() == 0).as("bench/run.sh %d finished; its output:%n%s", N, output).isTrue();
    result = new ObjectMapper().readTree(out.toFile());
    table = output;
    // The control plane's state and the audit log (about 10 MB); the bench's output stays in the log file.
    try (var files = Files.walk(state)) {
      files.sorted(java.util.Comparator.reverseOrder()).forEach(f -> f.toFile().delete());
    }
  }

  @Test
  void theBaselineAppliedEveryObjectOnceAndTheOperatorWritesNoMoreObjects() {
    JsonNode op = result.get("operator_converging");
    JsonNode base = result.get("baseline");
    // The baseline ran: every object applied once (so the comparison is against something).
    assertThat(base.get("object_writes").asInt()).as(table).isEqualTo(N * OBJECTS_PER_STACK);
    // The operator applies each object once as well.
    assertThat(op.get("object_writes").asInt()).as(table).isEqualTo(N * OBJECTS_PER_STACK);
  }

  @Test
  void theOperatorBoundFigureSeesEveryStacksCreationAndEveryChildWrite() {
    // Counts only: the figure's times (docs/sizing.md, "Threads and rate limits") rest on these matches.
    JsonNode bound = result.get("operator_bound");
    assertThat(bound.get("stacks_created").asInt()).as("PiStack creations found; " + table).isEqualTo(N);
    assertThat(bound.get("stacks_written").asInt()).as("stacks with a child write; " + table).isEqualTo(N);
    assertThat(bound.get("child_writes").asInt()).as("child writes; " + table)
        .isEqualTo(result.get("operator_converging").get("object_writes").asInt());
  }

  @Test
  void statusWritesEventsAndSecretReadsPerStackStayWithinWhatWasMeasured() {
    JsonNode op = result.get("operator_converging");
    int reconciles = result.get("reconciles_started_converging").asInt();
    assertThat(result.get("reconciles_converging").asInt()).as(table).isGreaterThanOrEqualTo(N);
    assertThat(op.get("status_writes").asInt()).as("status writes; " + table)
        .isBetween(N, Math.min(MAX_STATUS_WRITES_PER_STACK * N, reconciles));
    assertThat(op.get("event_writes").asInt()).as("events; " + table).isBetween(N, MAX_EVENTS_PER_STACK * N);
    // No reconcile GETs a Secret: the Secret watch (metadata and digests) answers (issue 14's goal).
    assertThat(op.get("secret_gets").asInt()).as("Secret GETs; " + table).isZero();
    assertThat(op.get("writes").asInt()).as("total writes; " + table)
        .isLessThanOrEqualTo((OBJECTS_PER_STACK + MAX_STATUS_WRITES_PER_STACK + MAX_EVENTS_PER_STACK) * N);
    assertThat(op.get("failed_writes").asInt()).as("failed writes; " + table).isZero();
  }

  @Test
  void aRestartReconcilesEveryStackWithoutAWrite() {
    JsonNode restart = result.get("operator_restart");
    // It did re-sync: every stack reconciled again, with requests to show for it.
    assertThat(result.get("reconciles_after_restart").asInt()).as(table).isGreaterThanOrEqualTo(N);
    assertThat(restart.get("requests").asInt()).as(table).isPositive();
    assertThat(restart.get("writes").asInt()).as("writes after a restart: %s; %s", restart.get("writes_by"), table)
        .isZero();
    assertThat(restart.get("secret_gets").asInt()).as("Secret GETs after a restart; " + table).isZero();
  }

  // Issue 14's goal: at most 3 status writes per creation (the first status, Ready, and at most one
  // refresh of the progress in between: CreationProgress); 4.8 to 6.8 per stack before it.
  static final int MAX_STATUS_WRITES_PER_STACK = 3;
  static final int MAX_EVENTS_PER_STACK = 3;
}
