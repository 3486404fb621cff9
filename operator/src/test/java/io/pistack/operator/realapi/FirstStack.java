package io.pistack.operator.realapi;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.fabric8.kubernetes.api.model.Condition;
import io.fabric8.kubernetes.api.model.NamespaceBuilder;
import io.fabric8.kubernetes.api.model.SecretBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.pistack.operator.api.v1alpha1.PiStack;
import io.pistack.operator.it.Stacks;
import io.pistack.operator.status.ConditionType;
import io.pistack.operator.status.Conditions;
import io.pistack.operator.status.Reason;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.function.Supplier;

/**
 * The first stack of docs/getting-started.md, samples/small.yaml, in a namespace of its own, with what that page has
 * the user create first (the licence Secret and the GHCR pull Secret) and what a small cluster's default storage
 * would give it (a ReadWriteOnce volume bound in advance to each of its claims). {@link #close()} deletes the namespace and volumes.
 */
final class FirstStack implements AutoCloseable {
  final KubernetesClient admin;
  final String ns;
  private final List<String> volumes = new ArrayList<>();

  FirstStack(KubernetesClient admin, String prefix) {
    this.admin = admin;
    this.ns = prefix + "-" + System.nanoTime() % 100000;
    admin.resource(new NamespaceBuilder().withNewMetadata().withName(ns).endMetadata().build()).create();
    Stacks.licenceSecret(admin, ns);
    String auth = Base64.getEncoder().encodeToString("someone:not-a-token".getBytes(StandardCharsets.UTF_8));
    String dockerConfig = "{\"auths\":{\"ghcr.io\":{\"username\":\"someone\",\"password\":\"not-a-token\",\"auth\":\""
        + auth + "\"}}}";
    admin.resource(new SecretBuilder().withNewMetadata().withName("ghcr").withNamespace(ns).endMetadata()
        .withType("kubernetes.io/dockerconfigjson").addToStringData(".dockerconfigjson", dockerConfig).build())
        .create();
    volumes.add(RealApiStack.volume(admin, ns, "pi-shared", "5Gi", "ReadWriteOnce"));
    volumes.add(RealApiStack.volume(admin, ns, "data-pi-db-0", "5Gi", "ReadWriteOnce"));
  }

  /** {@code kubectl apply -f samples/small.yaml}. */
  void apply() {
    admin.resource(Stacks.sample("small.yaml", ns)).create();
  }

  /**
   * Waits until the stack is Ready with reason AllComponentsReady (every component's pods ready, as the Deployment
   * and StatefulSet controllers report them for the pods kwok runs); fails showing its conditions and
   * {@code operatorLog} when it is not within {@code limit}.
   */
  void assertReadyWithin(Duration limit, Supplier<String> operatorLog) {
    try {
      await().atMost(limit).pollInterval(Duration.ofMillis(500))
          .until(() -> Reason.ALL_COMPONENTS_READY.wire().equals(readyReason()));
    } catch (org.awaitility.core.ConditionTimeoutException e) {
      PiStack s = stack();
      assertThat(readyReason()).as("stack: %s%noperator log:%n%s", s == null || s.getStatus() == null ? "(no status)"
          : s.getStatus().conditions, operatorLog.get()).isEqualTo(Reason.ALL_COMPONENTS_READY.wire());
    }
  }

  String readyReason() {
    PiStack s = stack();
    if (s == null || s.getStatus() == null || s.getStatus().conditions == null) {
      return null;
    }
    Condition ready = Conditions.find(s.getStatus().conditions, ConditionType.READY);
    return ready == null ? null : ready.getReason();
  }

  PiStack stack() {
    return admin.resources(PiStack.class).inNamespace(ns).withName("pi").get();
  }

  @Override
  public void close() {
    admin.namespaces().withName(ns).delete();
    volumes.forEach(v -> admin.persistentVolumes().withName(v).delete());
  }
}
