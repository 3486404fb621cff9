package io.pistack.operator.runtime;

import io.fabric8.kubernetes.client.KubernetesClient;
import io.javaoperatorsdk.operator.Operator;
import io.pistack.operator.health.HealthConfig;
import io.pistack.operator.health.HealthMonitor;
import io.pistack.operator.reconciler.PiStackReconciler;
import io.pistack.operator.reconciler.StackEvents;
import java.time.Clock;

/** Wires the operator: the client, the reconciler and its configuration. */
public final class OperatorRuntime {
  private OperatorRuntime() {}

  public static Operator create(KubernetesClient client, RuntimeConfig config) {
    Operator operator = new Operator(o -> o.withKubernetesClient(client)
        .withConcurrentReconciliationThreads(config.reconcileThreads())
        .withCloseClientOnStop(true));
    operator.register(reconciler(client, config.health()), c -> {
      if (!config.watchNamespaces().isEmpty()) {
        c.settingNamespaces(config.watchNamespaces());
      }
    });
    return operator;
  }

  public static PiStackReconciler reconciler(KubernetesClient client) {
    return reconciler(client, HealthConfig.defaults());
  }

  /** The reconciler with its active health probes (their own executor; see HealthMonitor). */
  public static PiStackReconciler reconciler(KubernetesClient client, HealthConfig health) {
    Clock clock = Clock.systemUTC();
    return new PiStackReconciler(new StackEvents(client, clock), clock, new HealthMonitor(health, clock));
  }
}
