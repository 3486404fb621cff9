package io.pistack.operator.it;

import io.fabric8.kubernetes.api.model.apiextensions.v1.CustomResourceDefinition;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.server.mock.KubernetesMockServer;
import io.fabric8.kubernetes.client.server.mock.SsaCrudDispatcher;
import io.fabric8.kubernetes.client.utils.Serialization;
import io.fabric8.mockwebserver.Context;
import io.fabric8.mockwebserver.MockWebServer;
import io.pistack.operator.health.HealthConfig;
import io.pistack.operator.runtime.OperatorRuntime;
import io.pistack.operator.runtime.RuntimeConfig;
import java.io.InputStream;
import java.util.HashMap;

/**
 * A fabric8 mock API server (CRUD mode, with the test-only SSA shim) holding the generated CRD,
 * and the operator as production wires it ({@link OperatorRuntime}), in JOSDK's default SSA mode.
 */
public final class MockCluster implements AutoCloseable {
  /** The User-Agent of the operator's own client (the test's client keeps fabric8's default). */
  public static final String OPERATOR_USER_AGENT = "pi-operator-under-test";
  public final SsaCrudDispatcher dispatcher;
  public final KubernetesMockServer server;
  public final KubernetesClient client;
  private OperatorRuntime runtime;
  private ReconcileLog reconciles = new ReconcileLog();

  public MockCluster() {
    this(new SsaCrudDispatcher());
  }

  /** With a dispatcher of the test's own (e.g. one that also answers SelfSubjectRulesReviews). */
  public MockCluster(SsaCrudDispatcher dispatcher) {
    this.dispatcher = dispatcher;
    server = new KubernetesMockServer(new Context(), new MockWebServer(), new HashMap<>(), dispatcher, false);
    server.init();
    client = server.createClient();
    // The CRDs users apply (crds/), not copies: the operator's start asks the API discovery for both kinds.
    for (String crd : java.util.List.of("crds/pistacks.pistack.io-v1.yml", "crds/pibackups.pistack.io-v1.yml")) {
      try (InputStream in = java.nio.file.Files.newInputStream(Stacks.repoRoot().resolve(crd))) {
        client.resource(Serialization.unmarshal(in, CustomResourceDefinition.class)).create();
      } catch (java.io.IOException e) {
        throw new IllegalStateException(e);
      }
    }
  }

  /**
   * Starts (or restarts) the operator with a client of its own; endpoints on a free port. Active
   * health probes are off: the mock has no cluster DNS (probe tests use {@link #startOperator(RuntimeConfig)}).
   */
  public MockCluster startOperator() {
    return startOperator(RuntimeConfig.defaults().withHealth(HealthConfig.disabled()));
  }

  public MockCluster startOperator(RuntimeConfig config) {
    stopOperator();
    ReconcileLog log = new ReconcileLog();
    reconciles = log;
    runtime = newRuntime(config, b -> b.metrics(log)).start();
    return this;
  }

  /** A runtime (not started) with a client of its own; several may run against one mock. */
  public OperatorRuntime newRuntime(RuntimeConfig config,
      java.util.function.UnaryOperator<OperatorRuntime.Builder> customise) {
    return customise.apply(OperatorRuntime.builder(operatorClient(), config.withHttpPort(0))).build();
  }

  /** A client whose requests carry {@link #OPERATOR_USER_AGENT}, so a dispatcher can tell them apart. */
  public KubernetesClient operatorClient() {
    io.fabric8.kubernetes.client.Config base;
    try (KubernetesClient c = server.createClient()) {
      base = c.getConfiguration();
    }
    return new io.fabric8.kubernetes.client.KubernetesClientBuilder().withConfig(
        new io.fabric8.kubernetes.client.ConfigBuilder(base).withUserAgent(OPERATOR_USER_AGENT).build()).build();
  }

  /**
   * Reconciles the running operator ran to completion (JOSDK's success, fresh for every start):
   * what a test asserting "nothing happened" first waits for, so it cannot pass because nothing ran.
   */
  public double completedReconciles() {
    return runtime == null ? 0 : reconciles.total();
  }

  /** Which stacks' reconciles the running operator completed, and after what (fresh for every start). */
  public ReconcileLog reconciles() {
    return reconciles;
  }

  /**
   * The stack has converged: a reconcile of its current generation ran to completion (its status
   * observed that generation) and the dispatcher's writes then stayed unchanged for 1 s. What a test
   * waits for before it marks the writes, instead of a fixed pause.
   */
  public void awaitConverged(String namespace, String name) {
    org.awaitility.Awaitility.await().atMost(java.time.Duration.ofSeconds(30)).until(() -> {
      var s = client.resources(io.pistack.operator.api.v1alpha1.PiStack.class).inNamespace(namespace)
          .withName(name).get();
      return s != null && s.getStatus() != null
          && java.util.Objects.equals(s.getStatus().observedGeneration, s.getMetadata().getGeneration())
          && reconciles.completedAtGeneration(namespace, name, s.getMetadata().getGeneration());
    });
    // Quiet for longer than the operator's shortest recheck (2 s, a kept Job recorded and then deleted, a
    // pending verification Job): a shorter window could end before work the operator has already scheduled.
    Quiet.untilUnchangedFor(java.time.Duration.ofSeconds(3), java.time.Duration.ofSeconds(30),
        () -> dispatcher.writes().size());
  }

  /**
   * Restarts the operator and returns the writes it made until its reconcile of the stack ran to
   * completion, and while none followed for 2 s more: the proof a "restart writes nothing" test
   * asserts on.
   */
  public java.util.List<String> writesOfARestart(String namespace, String name) {
    stopOperator();
    int before = dispatcher.writes().size();
    startOperator();
    org.awaitility.Awaitility.await().atMost(java.time.Duration.ofSeconds(30))
        .until(() -> reconciles.of(namespace, name) >= 1);
    Quiet.watch(java.time.Duration.ofSeconds(2), () -> dispatcher.writes().size() == before);
    java.util.List<String> writes = dispatcher.writes();
    return java.util.List.copyOf(writes.subList(before, writes.size()));
  }

  /** The running operator (endpoints, metrics, controller), or null when stopped. */
  public OperatorRuntime runtime() {
    return runtime;
  }

  public void stopOperator() {
    if (runtime != null) {
      runtime.stop();
      runtime = null;
    }
  }

  /** Requests served for "METHOD /path". */
  public long dispatcherRequests(String methodAndPath) {
    return dispatcher.count(methodAndPath, true);
  }

  @Override
  public void close() {
    stopOperator();
    client.close();
    server.destroy();
  }
}
