package io.pistack.operator.realapi;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.fabric8.kubernetes.api.model.Condition;
import io.fabric8.kubernetes.api.model.NamespaceBuilder;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.pistack.operator.api.v1alpha1.MaintenanceWindowSpec;
import io.pistack.operator.api.v1alpha1.PiStack;
import io.pistack.operator.it.Stacks;
import io.pistack.operator.model.Labels;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * A version change outside the stack's maintenance window waits, across a kill -9 of the operator, and starts inside
 * the window (the real operator process, {@code pi-operator run}, killed as KillNineOnRealApiTest kills it). The
 * window is computed from this test's clock: it opens on the first whole minute at least {@link #LEAD} away and lasts
 * {@link #LENGTH}, shorter than the time the change waited; the operator looks again when it opens.
 */
@Tag("slow")
class MaintenanceWindowKillNineOnRealApiTest {
  static final Duration T = RealApiServer.timeout();
  static final Duration LEAD = Duration.ofSeconds(100);
  static final Duration LENGTH = Duration.ofMinutes(2);
  static final String OLD = KillNineOnRealApiTest.OLD;
  static final String NEW = KillNineOnRealApiTest.NEW;

  KubernetesClient admin;
  String ns;
  Path dir;
  Path kubeconfig;
  OperatorProcess running;

  @BeforeEach
  void cluster() throws Exception {
    RealApiServer api = RealApiServer.get();
    admin = api.client();
    ns = "window-" + System.nanoTime() % 100000;
    admin.resource(new NamespaceBuilder().withNewMetadata().withName(ns).endMetadata().build()).create();
    Stacks.licenceSecret(admin, ns);
    dir = Files.createDirectories(Path.of("target", "window", ns).toAbsolutePath());
    kubeconfig = dir.resolve("kubeconfig");
    Files.writeString(kubeconfig, api.kubeconfig());
  }

  @AfterEach
  void cleanup() throws Exception {
    if (running != null && running.alive()) {
      running.kill();
    }
    admin.namespaces().withName(ns).delete();
    admin.close();
  }

  @Test
  void aVersionChangeOutsideTheWindowWaitsThroughAKillNineAndStartsInsideIt() throws Exception {
    PiStack s = RealApiStack.smallStack(ns, "pw");
    s.getSpec().version = OLD;
    admin.resource(s).create();
    start("first");
    await().atMost(T).until(() -> observed() && OLD.equals(version()) && replicas() > 0);

    // The change and its window in one edit: the window opens on a whole minute at least LEAD from now.
    Instant opens = Instant.now().plus(LEAD).truncatedTo(ChronoUnit.MINUTES).plus(Duration.ofMinutes(1));
    MaintenanceWindowSpec w = new MaintenanceWindowSpec();
    w.days = List.of("daily");
    w.start = DateTimeFormatter.ofPattern("HH:mm").withZone(ZoneOffset.UTC).format(opens);
    w.duration = LENGTH.toMinutes() + "m";
    w.timeZone = "UTC";
    Stacks.edit(admin, ns, "pw", x -> {
      x.getSpec().version = NEW;
      x.getSpec().maintenanceWindows = List.of(w);
    });
    await().atMost(T).until(() -> observed() && waiting().isPresent());
    assertThat(waiting().get().getMessage()).as("names the window").contains(opens.toString(), "daily " + w.start);
    assertThat(version()).isEqualTo(OLD);
    int before = replicas();

    // kill -9, and a new process: it decides the same from the clock and the cluster.
    running.kill();
    start("after-kill");
    await().atMost(T).until(() -> reported(running, "pw"));
    assertThat(Instant.now()).as("still before the window (raise LEAD on a slower machine)").isBefore(opens);
    assertThat(waiting()).as("still waiting after the restart").isPresent();
    assertThat(version()).isEqualTo(OLD);
    assertThat(replicas()).as("nothing drained before the window").isEqualTo(before);

    // Inside the window the drained upgrade starts (the dashboard drained, or already at the new version).
    await().atMost(LEAD.plus(LENGTH).plus(T)).pollInterval(Duration.ofMillis(250))
        .until(() -> replicas() == 0 || NEW.equals(version()));
    Instant started = Instant.now();
    System.out.println("window opened at " + opens + "; the change was seen starting at " + started);
    assertThat(started).as("the change starts inside the window").isAfterOrEqualTo(opens)
        .isBefore(opens.plus(LENGTH));
    await().atMost(T).until(() -> observed() && waiting().isEmpty());
  }

  private void start(String label) throws Exception {
    running = OperatorProcess.startedAsAPod(() -> running = new OperatorProcess(dir, label, kubeconfig, ns, "window",
        Map.of()));
  }

  private PiStack stack() {
    return admin.resources(PiStack.class).inNamespace(ns).withName("pw").get();
  }

  private boolean observed() {
    PiStack s = stack();
    return s.getStatus() != null && Objects.equals(s.getStatus().observedGeneration, s.getMetadata().getGeneration());
  }

  private Optional<Condition> waiting() {
    PiStack s = stack();
    return s.getStatus() == null ? Optional.empty() : s.getStatus().conditions.stream()
        .filter(c -> "Progressing".equals(c.getType()) && "WaitingForMaintenanceWindow".equals(c.getReason()))
        .findFirst();
  }

  private Deployment dashboard() {
    return admin.apps().deployments().inNamespace(ns).withName("pw-dashboard").get();
  }

  private String version() {
    Deployment d = dashboard();
    return d == null ? "" : String.valueOf(d.getMetadata().getLabels().get(Labels.VERSION));
  }

  private int replicas() {
    Deployment d = dashboard();
    return d == null || d.getSpec().getReplicas() == null ? -1 : d.getSpec().getReplicas();
  }

  private static boolean reported(OperatorProcess op, String name) {
    return op.get("/metrics").lines().anyMatch(l -> l.startsWith("pi_operator_stack_ready{")
        && l.contains("name=\"" + name + "\""));
  }
}
