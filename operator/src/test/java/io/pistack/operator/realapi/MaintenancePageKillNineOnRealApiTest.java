package io.pistack.operator.realapi;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.fabric8.kubernetes.api.model.NamespaceBuilder;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.pistack.operator.api.v1alpha1.PiStack;
import io.pistack.operator.api.v1alpha1.UpgradeSpec;
import io.pistack.operator.it.Stacks;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * The maintenance page under kill -9 (KillNineOnRealApiTest's harness: the real `pi-operator run` in a child JVM,
 * SIGKILLed at random moments after its first reconcile). A running stack is upgraded to a version whose dashboard
 * can never be scheduled (a node selector no node matches), so the drained upgrade holds the page up for as long as
 * the test wants; the operator is killed again and again: the page stays (one Deployment, never recreated), the
 * Service keeps selecting it. Then the node selector is removed, the kills go on while the dashboard migrates and
 * the Service is handed back; after the last restart the page is gone, and the Service (one uid, one ClusterIP
 * through the whole run) left the page only when the dashboard had a ready pod.
 *
 * <p>The seed is printed; {@code -Dpistack.kill9.seed=<n>} replays a run's kill moments.
 */
@Tag("slow")
class MaintenancePageKillNineOnRealApiTest {
  static final Duration T = RealApiServer.timeout();
  static final String OLD = "2025_10.1";
  static final String NEW = "2025_11.1";
  static final int MAX_KILL_DELAY_MS = KillNineOnRealApiTest.MAX_KILL_DELAY_MS;

  KubernetesClient admin;
  String ns;
  Path dir;
  Path kubeconfig;
  final List<String> volumes = new ArrayList<>();
  OperatorProcess running;
  PageHistory history;

  @BeforeEach
  void cluster() throws Exception {
    RealApiServer api = RealApiServer.get();
    admin = api.client();
    ns = "kill9page-" + System.nanoTime() % 100000;
    admin.resource(new NamespaceBuilder().withNewMetadata().withName(ns).endMetadata().build()).create();
    Stacks.licenceSecret(admin, ns);
    volumes.add(RealApiStack.volume(admin, ns, "pm-shared", "5Gi", "ReadWriteMany"));
    volumes.add(RealApiStack.volume(admin, ns, "data-pm-db-0", "10Gi", "ReadWriteOnce"));
    dir = Files.createDirectories(Path.of("target", "kill9page", ns).toAbsolutePath());
    kubeconfig = dir.resolve("kubeconfig");
    Files.writeString(kubeconfig, api.kubeconfig());
  }

  @AfterEach
  void cleanup() throws Exception {
    if (running != null && running.alive()) {
      running.kill();
    }
    if (history != null) {
      history.close();
    }
    admin.namespaces().withName(ns).delete();
    volumes.forEach(v -> admin.persistentVolumes().withName(v).delete());
    admin.close();
  }

  @Test
  void thePageSurvivesKillsAndIsTakenDownOnlyOnceTheDashboardIsReady() throws Exception {
    long seed = Long.getLong("pistack.kill9.seed", System.nanoTime());
    Random random = new Random(seed);
    System.out.println("kill -9 (maintenance page): seed " + seed);

    OperatorProcess first = start("create");
    PiStack s = RealApiStack.smallStack(ns, "pm");
    s.getSpec().version = OLD;
    admin.resource(s).create();
    await().atMost(T).until(() -> Judges.readyAndObserved(Judges.live(admin, ns, "pm")));
    Service before = admin.services().inNamespace(ns).withName("pm-dashboard").get();
    history = new PageHistory(admin, ns, "pm");

    // The upgrade whose dashboard can never start: the drain holds the page up.
    Stacks.edit(admin, ns, "pm", p -> {
      p.getSpec().version = NEW;
      p.getSpec().dashboard.nodeSelector = Map.of("example.com/no-such-node", "true");
      p.getSpec().upgrade = new UpgradeSpec();
      p.getSpec().upgrade.migrationTimeoutSeconds = 3600;
    });
    killSoon(first, random, "upgrade");
    int kills = 1;
    String pageUid = null;
    for (int round = 0; round < 5; round++) {
      OperatorProcess op = start("page-up-" + round);
      await().atMost(T).until(() -> "maintenance".equals(selects()) && page() != null);
      if (pageUid == null) {
        pageUid = page().getMetadata().getUid();
      }
      killSoon(op, random, "page up " + round);
      kills++;
      // Nobody runs: the page and the selector are as the killed operator left them.
      assertThat(selects()).as("after kill %d the Service still selects the page", kills).isEqualTo("maintenance");
      assertThat(page().getMetadata().getUid()).as("the page's Deployment after kill %d", kills).isEqualTo(pageUid);
    }

    // The way is clear: the dashboard migrates, becomes Ready, the Service is handed back; kills go on meanwhile.
    OperatorProcess op = start("unblock");
    Stacks.edit(admin, ns, "pm", p -> p.getSpec().dashboard.nodeSelector = null);
    killSoon(op, random, "unblock");
    kills++;
    for (int round = 0; round < 4; round++) {
      killSoon(start("hand-back-" + round), random, "hand back " + round);
      kills++;
    }
    OperatorProcess last = start("converge");
    await().atMost(Duration.ofSeconds(240)).until(() -> Judges.readyAndObserved(Judges.live(admin, ns, "pm"))
        && last.reportsReady(ns, "pm") && page() == null && "dashboard".equals(selects())
        && admin.configMaps().inNamespace(ns).withName("pm-maintenance").get() == null);

    history.assertShownOnTheSameServiceAndHandedBackToAReadyDashboard(before);
    assertThat(history.pageUids()).containsExactly(pageUid);
    assertThat(history.reasons()).contains("True MaintenanceUpgrade");
    System.out.printf("kill -9 (maintenance page): seed %d, %d kills, Service versions %s%n", seed, kills,
        history.services());
    assertThat(kills).isGreaterThanOrEqualTo(10);
  }

  /** Waits for the operator's first reconcile, then SIGKILLs it 0 to 2.5 s later. */
  private void killSoon(OperatorProcess op, Random random, String what) throws Exception {
    await().atMost(T).until(() -> op.started() > 0);
    int delay = random.nextInt(MAX_KILL_DELAY_MS + 1);
    Thread.sleep(delay);
    assertThat(op.alive()).as("operator alive before its kill (%s), see %s", what, op.log).isTrue();
    op.kill();
    running = null;
    System.out.printf("kill -9 (maintenance page): %s, SIGKILL %d ms after its first reconcile began%n", what, delay);
  }

  private OperatorProcess start(String label) throws Exception {
    running = OperatorProcess.startedAsAPod(() -> running = new OperatorProcess(dir, label, kubeconfig, ns, "kill9page",
        Map.of()));
    return running;
  }

  private String selects() {
    Service s = admin.services().inNamespace(ns).withName("pm-dashboard").get();
    return s == null ? null : PageHistory.selects(s);
  }

  private Deployment page() {
    return admin.apps().deployments().inNamespace(ns).withName("pm-maintenance").get();
  }
}
