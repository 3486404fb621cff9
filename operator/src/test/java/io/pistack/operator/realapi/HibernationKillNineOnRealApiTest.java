package io.pistack.operator.realapi;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.fabric8.kubernetes.api.model.NamespaceBuilder;
import io.fabric8.kubernetes.api.model.PersistentVolumeClaim;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.pistack.operator.api.v1alpha1.HibernationSpec;
import io.pistack.operator.api.v1alpha1.PiStack;
import io.pistack.operator.it.Stacks;
import io.pistack.operator.model.Labels;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.TreeMap;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * kill -9 in the middle of hibernating and of waking, with KillNineOnRealApiTest's harness: the real process
 * ({@code pi-operator run} in a child JVM) against the real control plane, SIGKILLed at a random moment after each
 * restart's first reconcile began, three times while the stack goes to sleep and three times while it wakes. The
 * step is derived from the cluster, never remembered: the stack still ends hibernated (no pod left but the
 * maintenance page's, which it runs by default) and then Ready, with the same claims and Secrets.
 *
 * <p>The seed is printed; {@code -Dpistack.kill9.seed=<n>} replays a run's kill moments.
 */
@Tag("slow")
class HibernationKillNineOnRealApiTest {
  static final Duration T = RealApiServer.timeout();
  static final int MAX_KILL_DELAY_MS = 2500;
  static final int KILLS_PER_PHASE = 3;

  KubernetesClient admin;
  String ns;
  Path dir;
  Path kubeconfig;
  final List<String> volumes = new ArrayList<>();
  OperatorProcess running;

  @BeforeEach
  void cluster() throws Exception {
    RealApiServer api = RealApiServer.get();
    admin = api.client();
    ns = "kill9-hib-" + System.nanoTime() % 100000;
    admin.resource(new NamespaceBuilder().withNewMetadata().withName(ns).endMetadata().build()).create();
    Stacks.licenceSecret(admin, ns);
    volumes.add(RealApiStack.volume(admin, ns, "pi-shared", "5Gi", "ReadWriteMany"));
    volumes.add(RealApiStack.volume(admin, ns, "data-pi-db-0", "10Gi", "ReadWriteOnce"));
    dir = Files.createDirectories(Path.of("target", "kill9", ns).toAbsolutePath());
    kubeconfig = dir.resolve("kubeconfig");
    Files.writeString(kubeconfig, api.kubeconfig());
  }

  @AfterEach
  void cleanup() throws Exception {
    if (running != null && running.alive()) {
      running.kill();
    }
    admin.namespaces().withName(ns).delete();
    volumes.forEach(v -> admin.persistentVolumes().withName(v).delete());
    admin.close();
  }

  @Test
  void hibernationAndWakingSurviveKillNineInTheMiddle() throws Exception {
    long seed = Long.getLong("pistack.kill9.seed", System.nanoTime());
    Random random = new Random(seed);
    System.out.println("kill -9 (hibernation): seed " + seed + " (-Dpistack.kill9.seed=" + seed
        + " replays the kill moments)");
    OperatorProcess first = start("create");
    admin.resource(RealApiStack.smallStack(ns, "pi")).create();
    await().atMost(T).until(() -> first.reportsReady(ns, "pi"));
    Map<String, String> claims = uids(PersistentVolumeClaim.class);
    Map<String, String> secrets = uids(Secret.class);
    assertThat(claims).containsKeys("pi-shared", "data-pi-db-0");
    assertThat(secrets).containsKeys("pi-db-credentials", "pi-db-root", "pi-db-backup");

    hibernation(true);
    int sleepKills = killDuring("hibernate", random, () -> List.of("Hibernating", "Hibernated").contains(reason("Hibernated")));
    OperatorProcess asleep = start("hibernate-converge");
    // The stack runs the maintenance page (spec.maintenancePage is on by default): its one pod is the only one a
    // hibernated stack keeps (HibernationPodsOnRealApiTest shows none without the page).
    await().atMost(Duration.ofSeconds(180)).until(() -> "True".equals(status("Hibernated")) && asleep.finished() > 0
        && onlyThePage(pods()));
    assertThat(admin.services().inNamespace(ns).withName("pi-dashboard").get().getSpec().getSelector())
        .as("the dashboard's Service selects the page while the stack sleeps").containsEntry(Labels.COMPONENT,
            "maintenance");
    assertThat(admin.apps().statefulSets().inNamespace(ns).withName("pi-db").get().getSpec().getReplicas()).isZero();
    assertThat(uids(PersistentVolumeClaim.class)).isEqualTo(claims);
    assertThat(uids(Secret.class)).isEqualTo(secrets);

    hibernation(false);
    int wakeKills = killDuring("wake", random, () -> List.of("Waking", "Awake").contains(reason("Hibernated")));
    OperatorProcess awake = start("wake-converge");
    await().atMost(Duration.ofSeconds(180)).until(() -> awake.reportsReady(ns, "pi"));
    assertThat(reason("Hibernated")).isEqualTo("Awake");
    assertThat(admin.apps().deployments().inNamespace(ns).withName("pi-dashboard").get().getStatus()
        .getReadyReplicas()).isEqualTo(2);
    assertThat(uids(PersistentVolumeClaim.class)).isEqualTo(claims);
    assertThat(uids(Secret.class)).isEqualTo(secrets);
    System.out.printf("kill -9 (hibernation) summary: seed %d, %d kills while hibernating, %d while waking%n", seed,
        sleepKills, wakeKills);
    assertThat(sleepKills).isEqualTo(KILLS_PER_PHASE);
    assertThat(wakeKills).isEqualTo(KILLS_PER_PHASE);
  }

  /**
   * Kills the running operator once the phase has visibly begun (its condition), then restarts and kills it again at
   * random moments after each restart's first reconcile began. Returns the number of kills.
   */
  private int killDuring(String phase, Random random, BooleanSupplier begun) throws Exception {
    await().atMost(T).until(begun::getAsBoolean);
    int kills = 0;
    for (int round = 1; round <= KILLS_PER_PHASE; round++) {
      OperatorProcess op = round == 1 ? running : start(phase + "-" + round);
      await().atMost(T).until(() -> op.started() > 0);
      int delay = random.nextInt(MAX_KILL_DELAY_MS + 1);
      Thread.sleep(delay);
      assertThat(op.alive()).as("operator alive before its kill, see %s", op.log).isTrue();
      op.kill();
      running = null;
      kills++;
      System.out.printf("%s round %d: SIGKILL %d ms after the first reconcile began; Hibernated %s/%s, %d pods%n",
          phase, round, delay, status("Hibernated"), reason("Hibernated"), pods().size());
    }
    return kills;
  }

  private OperatorProcess start(String label) throws Exception {
    running = OperatorProcess.startedAsAPod(() -> running = new OperatorProcess(dir, label, kubeconfig, ns, "kill9",
        Map.of()));
    return running;
  }

  private void hibernation(boolean on) {
    Stacks.edit(admin, ns, "pi", s -> {
      s.getSpec().hibernation = new HibernationSpec();
      s.getSpec().hibernation.enabled = on;
    });
  }

  /** Every pod of the stack, the maintenance page's included. */
  private List<io.fabric8.kubernetes.api.model.Pod> pods() {
    return admin.pods().inNamespace(ns).withLabel(Labels.INSTANCE, "pi").list().getItems();
  }

  /** Exactly one pod, the maintenance page's (label component=maintenance). */
  private static boolean onlyThePage(List<io.fabric8.kubernetes.api.model.Pod> pods) {
    return pods.size() == 1 && "maintenance".equals(pods.get(0).getMetadata().getLabels().get(Labels.COMPONENT));
  }

  private String status(String type) {
    return condition(type).map(io.fabric8.kubernetes.api.model.Condition::getStatus).orElse("");
  }

  private String reason(String type) {
    return condition(type).map(io.fabric8.kubernetes.api.model.Condition::getReason).orElse("");
  }

  private java.util.Optional<io.fabric8.kubernetes.api.model.Condition> condition(String type) {
    PiStack s = admin.resources(PiStack.class).inNamespace(ns).withName("pi").get();
    if (s == null || s.getStatus() == null || s.getStatus().conditions == null) {
      return java.util.Optional.empty();
    }
    return s.getStatus().conditions.stream().filter(c -> type.equals(c.getType())).findFirst();
  }

  private <T extends io.fabric8.kubernetes.api.model.HasMetadata> Map<String, String> uids(Class<T> kind) {
    Map<String, String> out = new TreeMap<>();
    admin.resources(kind).inNamespace(ns).list().getItems()
        .forEach(o -> out.put(o.getMetadata().getName(), o.getMetadata().getUid()));
    return out;
  }
}
