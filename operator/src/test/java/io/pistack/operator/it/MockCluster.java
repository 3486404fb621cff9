package io.pistack.operator.it;

import io.fabric8.kubernetes.api.model.apiextensions.v1.CustomResourceDefinition;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.server.mock.KubernetesMockServer;
import io.fabric8.kubernetes.client.server.mock.SsaCrudDispatcher;
import io.fabric8.kubernetes.client.utils.Serialization;
import io.fabric8.mockwebserver.Context;
import io.fabric8.mockwebserver.MockWebServer;
import io.javaoperatorsdk.operator.Operator;
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
  public final SsaCrudDispatcher dispatcher = new SsaCrudDispatcher();
  public final KubernetesMockServer server;
  public final KubernetesClient client;
  private Operator operator;

  public MockCluster() {
    server = new KubernetesMockServer(new Context(), new MockWebServer(), new HashMap<>(), dispatcher, false);
    server.init();
    client = server.createClient();
    // The CRD users apply (crds/), not a copy.
    try (InputStream in = java.nio.file.Files.newInputStream(
        Stacks.repoRoot().resolve("crds/pistacks.pistack.io-v1.yml"))) {
      client.resource(Serialization.unmarshal(in, CustomResourceDefinition.class)).create();
    } catch (java.io.IOException e) {
      throw new IllegalStateException(e);
    }
  }

  /**
   * Starts (or restarts) the operator with a client of its own. Active health probes are off: the
   * mock has no cluster DNS (tests of the probes use {@link #startOperator(RuntimeConfig)}).
   */
  public MockCluster startOperator() {
    return startOperator(RuntimeConfig.defaults().withHealth(HealthConfig.disabled()));
  }

  public MockCluster startOperator(RuntimeConfig config) {
    stopOperator();
    operator = OperatorRuntime.create(server.createClient(), config);
    operator.start();
    return this;
  }

  public void stopOperator() {
    if (operator != null) {
      operator.stop();
      operator = null;
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
