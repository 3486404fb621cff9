package io.pistack.operator.realapi;

import io.fabric8.kubernetes.api.model.NamespaceBuilder;
import io.fabric8.kubernetes.api.model.PersistentVolumeBuilder;
import io.fabric8.kubernetes.api.model.Quantity;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;
import io.pistack.operator.api.v1alpha1.PiStack;
import io.pistack.operator.health.HealthConfig;
import io.pistack.operator.it.ReconcileLog;
import io.pistack.operator.it.Stacks;
import io.pistack.operator.runtime.OperatorRuntime;
import io.pistack.operator.runtime.RuntimeConfig;
import io.pistack.operator.status.ConditionType;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * One test's namespace on the real API server: the licence Secret, static volumes for the claims
 * (there is no storage provisioner), and the operator watching only this namespace through a client
 * whose writes are counted. Active probes are off: kwok's pods serve nothing and the test host has
 * no cluster DNS, so health comes from what the real controllers and kwok report.
 */
final class RealApiStack implements AutoCloseable {
  static final Duration T = RealApiServer.timeout();
  private static final AtomicInteger SEQ = new AtomicInteger();

  final KubernetesClient admin;
  final String ns;
  final WriteCounter operatorWrites = new WriteCounter();
  final ReadLog operatorReads = new ReadLog();
  private OperatorRuntime operator;
  private ReconcileLog reconciles = new ReconcileLog();
  private final OperatorSetup setup;
  private final List<String> volumes = new ArrayList<>();

  /** How the operator is set up for a test's namespace: its identity and its settings. */
  interface OperatorSetup {
    /** The operator's client (with the test's {@code interceptors} added) and configuration for namespace {@code ns}. */
    java.util.Map.Entry<KubernetesClient, RuntimeConfig> create(KubernetesClient admin, String ns,
        java.util.function.Consumer<io.fabric8.kubernetes.client.http.HttpClient.Builder> interceptors);
  }

  /** The admin identity, watching only the test's namespace. */
  static final OperatorSetup ADMIN = (admin, ns, interceptors) -> java.util.Map.entry(
      RealApiServer.get().client(new KubernetesClientBuilder().withHttpClientBuilderConsumer(interceptors)),
      RuntimeConfig.defaults().withWatchNamespaces(Set.of(ns)));

  /** @param claims the claims to back with a volume, each as {name, size, access mode} */
  RealApiStack(String prefix, String[]... claims) {
    this(prefix, ADMIN, claims);
  }

  RealApiStack(String prefix, OperatorSetup setup, String[]... claims) {
    RealApiServer api = RealApiServer.get();
    admin = api.client();
    ns = prefix + "-" + SEQ.incrementAndGet() + "-" + System.nanoTime() % 100000;
    admin.resource(new NamespaceBuilder().withNewMetadata().withName(ns).endMetadata().build()).create();
    Stacks.licenceSecret(admin, ns);
    for (String[] c : claims) {
      volume(c[0], c[1], c[2]);
    }
    this.setup = setup;
    startOperator();
  }

  /**
   * Reconciles the running operator ran to completion (JOSDK's success, fresh for every start): the
   * evidence a test asserting "nothing happened" waits for first.
   */
  double completedReconciles() {
    return operator == null ? 0 : reconciles.total();
  }

  /** Which stacks' reconciles the running operator completed, and after what (fresh for every start). */
  ReconcileLog reconciles() {
    return reconciles;
  }

  /** Starts the operator (again): a new client and runtime, as a restarted operator pod would have. */
  void startOperator() {
    var operatorSetup = setup.create(admin, ns, b -> b.addOrReplaceInterceptor("count-writes", operatorWrites)
        .addOrReplaceInterceptor("log-reads", operatorReads));
    ReconcileLog log = new ReconcileLog();
    reconciles = log;
    operator = OperatorRuntime.builder(operatorSetup.getKey(), operatorSetup.getValue()
            .withHealth(HealthConfig.disabled())
            .withHttpPort(0))
        .metrics(log)
        .build().start();
  }

  /** The port of the running operator's /healthz, /readyz and /metrics (on every interface; use 127.0.0.1). */
  int httpPort() {
    return operator.httpPort();
  }

  /** The running operator (its controller's informers, its endpoints). */
  OperatorRuntime runtime() {
    return operator;
  }

  void stopOperator() {
    operator.stop();
  }

  static String[] claim(String name, String size, String accessMode) {
    return new String[] {name, size, accessMode};
  }

  /** The minimal sample, sized to fit a fake node, with 2 dashboards. */
  PiStack smallStack() {
    return smallStack(ns, "pi");
  }

  /** The minimal sample named {@code name} in {@code ns}, sized to fit a fake node, with 2 dashboards. */
  static PiStack smallStack(String ns, String name) {
    PiStack s = io.pistack.operator.scenario.Fixtures.SMALL.stack(ns);
    s.getMetadata().setName(name);
    return s;
  }

  Deployment deployment(String name) {
    return admin.apps().deployments().inNamespace(ns).withName(name).get();
  }

  String image(String name) {
    Deployment d = deployment(name);
    return d == null ? "" : d.getSpec().getTemplate().getSpec().getContainers().get(0).getImage();
  }

  PiStack stack() {
    return admin.resources(PiStack.class).inNamespace(ns).withName("pi").get();
  }

  /** A write the operator may make after a change that leaves nothing to fix: its status, an Event. */
  static boolean statusOrEvent(String write) {
    return write.endsWith("/pistacks/pi/status") || write.contains("/events");
  }

  /**
   * The stack "pi" has converged: a reconcile of its current generation ran to completion (its
   * status observed that generation) and the operator's writes then stayed unchanged for 2 s. What a
   * test waits for before it marks the writes, instead of a fixed pause.
   */
  void awaitConverged() {
    org.awaitility.Awaitility.await().atMost(T).until(() -> {
      PiStack s = stack();
      return s != null && s.getStatus() != null
          && java.util.Objects.equals(s.getStatus().observedGeneration, s.getMetadata().getGeneration())
          && reconciles.completedAtGeneration(ns, "pi", s.getMetadata().getGeneration());
    });
    // Longer than the operator's shortest recheck (2 s): see MockCluster.awaitConverged.
    io.pistack.operator.it.Quiet.untilUnchangedFor(Duration.ofSeconds(3), T, operatorWrites::mark);
  }

  /**
   * The operator's writes from {@code change} (one that leaves nothing to fix, e.g. an unrelated
   * edit of a child) until a reconcile of "pi" that started after it ran to completion, then while
   * every write stays {@code allowed} for 2 s more. Proves the reconcile ran before anyone asserts
   * that it wrote nothing.
   */
  List<String> writesAfter(Runnable change, java.util.function.Predicate<String> allowed) {
    int mark = operatorWrites.mark();
    long started = System.nanoTime();
    change.run();
    org.awaitility.Awaitility.await().atMost(T).until(() -> reconciles.completedSince(ns, "pi", started));
    io.pistack.operator.it.Quiet.watch(Duration.ofSeconds(2), () -> operatorWrites.since(mark).stream()
        .allMatch(allowed));
    return operatorWrites.since(mark);
  }

  String readyReason() {
    PiStack s = stack();
    if (s == null || s.getStatus() == null) {
      return null;
    }
    return s.getStatus().conditions.stream().filter(c -> ConditionType.READY.wire().equals(c.getType()))
        .map(c -> c.getReason()).findFirst().orElse(null);
  }

  private void volume(String claim, String size, String mode) {
    volumes.add(volume(admin, ns, claim, size, mode));
  }

  /**
   * A static volume bound in advance to claim {@code ns/claim} (there is no storage provisioner);
   * returns its name, {@code <ns>-<claim>}, for the caller to delete.
   */
  static String volume(KubernetesClient admin, String ns, String claim, String size, String mode) {
    return volume(admin, ns, claim, size, mode, "");
  }

  /** As {@link #volume(KubernetesClient, String, String, String, String)}, of a storage class the claim names. */
  static String volume(KubernetesClient admin, String ns, String claim, String size, String mode, String storageClass) {
    String name = ns + "-" + claim;
    admin.persistentVolumes().resource(new PersistentVolumeBuilder().withNewMetadata().withName(name).endMetadata()
        .withNewSpec().addToCapacity("storage", new Quantity(size)).withAccessModes(mode)
        .withStorageClassName(storageClass).withPersistentVolumeReclaimPolicy("Retain")
        .withNewHostPath().withPath("/tmp/" + name).endHostPath()
        .withNewClaimRef().withNamespace(ns).withName(claim).endClaimRef()
        .endSpec().build()).create();
    return name;
  }

  @Override
  public void close() {
    operator.stop();
    admin.namespaces().withName(ns).delete();
    volumes.forEach(v -> admin.persistentVolumes().withName(v).delete());
    admin.close();
  }
}
