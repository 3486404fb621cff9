package io.pistack.operator.realapi;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.NamespaceBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.fabric8.kubernetes.client.utils.Serialization;
import io.pistack.operator.it.Stacks;
import io.pistack.operator.realapi.HostileCase.Expect;
import io.pistack.operator.realapi.HostileCase.When;
import io.pistack.operator.realapi.HostileChecks.Applied;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;

/**
 * The hostile catalogue of issue 23 on the real API server (src/test/resources/hostile, README there): one
 * operator process watching every namespace serves three well-behaved stacks and every case, each case in its own
 * namespace, its objects created before the operator starts or while it runs, as the case says. Each case's outcome
 * is a dynamic test named after its file; the last test asserts that the well-behaved stacks kept converging
 * (Ready, and an edit made while the hostile objects were there reconciled). An operator process that exits on its
 * own is started again, as the kubelet would (a crash loop then shows as stacks that never converge); the exits are
 * printed, and the SIGTERM case (finding 7) asserts there were none.
 * Cases whose fix is not on main yet ({@code pending}) are skipped unless {@code -Dhostile.all=true}, or
 * {@code -Dhostile.pending=<branch>[,<branch>]} for those of some branches.
 */
class HostileCatalogueOnRealApiTest {
  static final Duration T = RealApiStack.T;
  static final boolean ALL = Boolean.getBoolean("hostile.all");
  /**
   * Branches whose pending cases run too, or file name prefixes of pending cases (comma-separated):
   * -Dhostile.pending=foreign-objects,policies,5-.
   */
  static final List<String> BRANCHES = List.of(System.getProperty("hostile.pending", "").split(","));
  static final List<String> GOOD = List.of("hostile-good-1", "hostile-good-2", "hostile-good-3");
  static final String OPERATOR_NS = "hostile-operator";
  static final String OTHER_NS = "hostile-other-tenant";

  static KubernetesClient admin;
  static HostileChecks checks;
  static volatile OperatorProcess operator;
  static final java.util.concurrent.atomic.AtomicInteger starts = new java.util.concurrent.atomic.AtomicInteger();
  static volatile boolean finished;
  static Path logDir;
  static final List<HostileCase> cases = HostileCase.all();
  static final Map<HostileCase, Applied> applied = new LinkedHashMap<>();
  static final Map<HostileCase, CompletableFuture<Void>> outcomes = new LinkedHashMap<>();
  static final List<String> volumes = new ArrayList<>();
  static final List<String> namespaces = new ArrayList<>();
  static final List<String> operatorExits = new ArrayList<>();
  /** The operator processes the test stopped on purpose. */
  static final java.util.Set<String> stopped = new java.util.HashSet<>();
  static ExecutorService pool;

  static boolean active(HostileCase c) {
    return c.pending() == null || ALL || BRANCHES.contains(c.pending())
        || BRANCHES.stream().anyMatch(b -> !b.isBlank() && c.file().startsWith(b));
  }

  static String namespace(HostileCase c) {
    if (c.inOperatorNamespace()) {
      return OPERATOR_NS;
    }
    String n = ("h" + c.name()).toLowerCase().replaceAll("[^a-z0-9-]", "-");
    return n.length() > 63 ? n.substring(0, 63).replaceAll("-+$", "") : n;
  }

  @BeforeAll
  static void setUp() throws Exception {
    admin = RealApiServer.get().client();
    checks = new HostileChecks(admin);
    logDir = Files.createDirectories(Stacks.repoRoot().resolve("operator/target/hostile-catalogue"));
    List<HostileCase> active = cases.stream().filter(HostileCatalogueOnRealApiTest::active).toList();
    Stream.concat(Stream.concat(GOOD.stream(), Stream.of(OPERATOR_NS, OTHER_NS)),
        active.stream().map(HostileCatalogueOnRealApiTest::namespace)).distinct().forEach(ns -> {
          namespaces.add(ns);
          admin.resource(new NamespaceBuilder().withNewMetadata().withName(ns).endMetadata().build()).create();
          Stacks.licenceSecret(admin, ns);
        });
    for (String ns : GOOD) {
      volumesFor(ns, "pi");
      admin.resource(RealApiStack.smallStack(ns, "pi")).create();
    }
    apply(active.stream().filter(c -> c.when() == When.before).toList());
    operator = startOperator();
    apply(active.stream().filter(c -> c.when() == When.after).toList());
    // A well-behaved tenant's edit while every hostile object is there.
    Stacks.edit(admin, GOOD.get(0), "pi", s -> s.getSpec().renderer.replicas = 2);
    if (active.stream().anyMatch(c -> c.expects(Expect.restart))) {
      restartOperator();
    }
    // The outcomes are judged once an operator is ready (informers synced): on a loaded machine a start can take
    // minutes, or fail and be restarted. One that never gets ready (a crash loop) leaves every case to its timeout.
    try {
      await().atMost(Duration.ofMinutes(4)).until(() -> operator.ready());
    } catch (org.awaitility.core.ConditionTimeoutException e) {
      System.out.println("hostile catalogue: no operator got ready in 4 minutes; exits " + operatorExits);
    }
    pool = Executors.newCachedThreadPool(); // the checks mostly wait: one thread each
    applied.forEach((c, a) -> outcomes.put(c, CompletableFuture.runAsync(() -> checks.check(a), pool)));
  }

  /** Creates the cases' objects in file order; the loosened ones through the CRD without bounds. */
  static void apply(List<HostileCase> batch) {
    List<HostileCase> loose = batch.stream().filter(HostileCase::loosened).toList();
    if (!loose.isEmpty()) {
      LooseCrd.during(admin, OTHER_NS, () -> loose.forEach(HostileCatalogueOnRealApiTest::apply));
    }
    batch.stream().filter(c -> !c.loosened()).forEach(HostileCatalogueOnRealApiTest::apply);
  }

  static void apply(HostileCase c) {
    String ns = namespace(c);
    Map<String, String> vars = Map.of("$operatorNs", OPERATOR_NS, "$other", OTHER_NS, "$ns", ns);
    Map<String, String> refusals = new LinkedHashMap<>();
    Map<String, GenericKubernetesResource> created = new LinkedHashMap<>();
    for (JsonNode doc : c.objects(vars)) {
      GenericKubernetesResource r = Serialization.unmarshal(Serialization.asJson(doc), GenericKubernetesResource.class);
      if (r.getMetadata().getNamespace() == null) {
        r.getMetadata().setNamespace(ns);
      }
      String key = r.getKind() + "/" + r.getMetadata().getName();
      if ("PiStack".equals(r.getKind())) {
        volumesFor(r.getMetadata().getNamespace(), r.getMetadata().getName());
      }
      try {
        GenericKubernetesResource stored = admin.resource(r).create();
        for (int attempt = 0; doc.has("status"); attempt++) { // the status a kubelet would write
          r.getMetadata().setResourceVersion(stored.getMetadata().getResourceVersion());
          try {
            stored = admin.resource(r).updateStatus();
            break;
          } catch (KubernetesClientException e) {
            if (e.getCode() != 409 || attempt == 5) {
              throw e;
            }
            stored = admin.resource(r).get(); // the scheduler wrote its condition meanwhile
          }
        }
        created.put(key, stored);
      } catch (KubernetesClientException e) {
        refusals.put(key, HostileChecks.refusal(e)); // judged by the case: a refusal must name its field
      }
    }
    applied.put(c, new Applied(c, ns, vars, refusals, created));
  }

  /** Static volumes for the stack's claims (no provisioner): shared, database, backups. */
  static void volumesFor(String ns, String stack) {
    for (String[] claim : List.of(new String[] {stack + "-shared", "5Gi", "ReadWriteMany"},
        new String[] {"data-" + stack + "-db-0", "10Gi", "ReadWriteOnce"},
        new String[] {stack + "-backups", "10Gi", "ReadWriteOnce"})) {
      volumes.add(RealApiStack.volume(admin, ns, claim[0], claim[1], claim[2]));
    }
  }

  /**
   * Starts an operator process, and starts another when it exits on its own (as the kubelet restarts a pod, after
   * 2 s, at most 10 times): every such exit is recorded for the cases and the final verdict.
   */
  static OperatorProcess startOperator() throws Exception {
    String label = "run-" + starts.incrementAndGet();
    Path kubeconfig = logDir.resolve("kubeconfig");
    Files.writeString(kubeconfig, RealApiServer.get().kubeconfig());
    // Every namespace (the cluster mode a platform team runs); the operator's own namespace is OPERATOR_NS.
    OperatorProcess p = new OperatorProcess(logDir, label, kubeconfig, "", "pi-operator-hostile",
        Map.of("POD_NAMESPACE", OPERATOR_NS, "PI_OPERATOR_NAMESPACE", OPERATOR_NS));
    p.process.onExit().thenAccept(h -> {
      synchronized (operatorExits) {
        if (stopped.contains(label) || finished) {
          return;
        }
        operatorExits.add(label + " exited with " + h.exitValue() + " (log " + p.log + ")");
      }
      if (starts.get() <= 10) {
        HostileChecks.sleep(2000);
        try {
          operator = startOperator();
        } catch (Exception e) {
          operatorExits.add("the restart after " + label + " failed: " + e);
        }
      }
    });
    // Started, not necessarily ready: a hostile object may keep it from ever being ready (judged at the end).
    await().atMost(T).until(() -> p.starting() || !p.alive());
    return p;
  }

  /** Finding 7, as far as a case can: SIGTERM while every stack is being reconciled, then a new process. */
  static void restartOperator() throws Exception {
    // Ready first (informers synced), so that the SIGTERM lands with the cases' reconciles in flight.
    await().atMost(T).until(() -> operator.ready() || !operator.alive());
    OperatorProcess old = operator;
    synchronized (operatorExits) {
      stopped.add(old.log.getFileName().toString().replaceFirst("^\\d+-", "").replaceFirst("\\.log$", ""));
    }
    restartExit = old.terminate(Duration.ofSeconds(60));
    operator = startOperator();
  }

  static int restartExit = Integer.MIN_VALUE;

  @TestFactory
  Stream<DynamicTest> everyCase() {
    Stream<DynamicTest> each = cases.stream().map(c -> DynamicTest.dynamicTest(c.file(), () -> {
      assumeTrue(active(c), c.file() + " waits for branch " + c.pending() + " (-Dhostile.all=true or -Dhostile.pending=" + c.pending()
          + " runs it)");
      if (c.expects(Expect.restart)) {
        synchronized (operatorExits) {
          assertThat(operatorExits).as("%s: the operator exited on its own (a start under load, a stop)", c).isEmpty();
        }
        assertThat(restartExit).as("%s: the SIGTERM'd operator's exit code within 60 s (143 as SigtermOnRealApiTest; -1: still running)", c).isEqualTo(143);
      }
      try {
        outcomes.get(c).join();
      } catch (java.util.concurrent.CompletionException e) {
        throw e.getCause();
      }
    }));
    return Stream.concat(each, Stream.of(DynamicTest.dynamicTest("the well-behaved stacks kept converging",
        HostileCatalogueOnRealApiTest::wellBehavedStacksConverged)));
  }

  static void wellBehavedStacksConverged() {
    for (String ns : GOOD) {
      Judges.liveWhen(admin, ns, "pi", Judges::readyAndObserved);
    }
    await().atMost(T).untilAsserted(() -> assertThat(admin.apps().deployments().inNamespace(GOOD.get(0))
        .withName("pi-renderer").get().getSpec().getReplicas()).as("the edit made during the run").isEqualTo(2));
    Judges.liveWhen(admin, GOOD.get(0), "pi", Judges::readyAndObserved);
    synchronized (operatorExits) {
      System.out.println("hostile catalogue: operator exits " + operatorExits);
    }
    assertThat(operator.ready()).as("the operator is ready: %s", operator.readyz()).isTrue();
  }

  @AfterAll
  static void tearDown() {
    finished = true;
    if (pool != null) {
      pool.shutdownNow();
    }
    if (operator != null) {
      operator.close();
    }
    if (admin != null) {
      namespaces.forEach(ns -> admin.namespaces().withName(ns).delete());
      volumes.forEach(v -> admin.persistentVolumes().withName(v).delete());
      admin.close();
    }
  }
}
