package io.pistack.operator.realapi;

import static io.pistack.operator.realapi.RealApiStack.claim;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.fabric8.kubernetes.api.model.NamespaceBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;
import io.pistack.operator.api.v1alpha1.PiStack;
import io.pistack.operator.runtime.RuntimeConfig;
import io.pistack.operator.status.ConditionType;
import io.pistack.operator.it.Stacks;
import java.time.Duration;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * One operator watching a list of two namespaces (PI_OPERATOR_WATCH_NAMESPACES=a,b), on a real API server. JOSDK
 * builds one informer per namespace and gave them one item store: the second namespace's first LIST dropped the
 * first namespace's objects, so a licence Secret that existed before the operator started was "not found" in one of
 * the two namespaces, and stayed so (nothing changes the Secret to bring it back). A restart repeats the LISTs with
 * both stacks and all their Secrets present: both stacks stay ready.
 */
class TwoNamespacesOnRealApiTest {
  static final Duration T = RealApiStack.T;

  RealApiStack env;
  KubernetesClient admin;
  String other;
  String[] otherVolumes;

  @BeforeEach
  void start() {
    KubernetesClient setup = RealApiServer.get().client();
    other = "twons-b-" + System.nanoTime() % 100000;
    setup.resource(new NamespaceBuilder().withNewMetadata().withName(other).endMetadata().build()).create();
    Stacks.licenceSecret(setup, other);
    otherVolumes = new String[] {RealApiStack.volume(setup, other, "pi-shared", "5Gi", "ReadWriteMany"),
        RealApiStack.volume(setup, other, "data-pi-db-0", "10Gi", "ReadWriteOnce")};
    setup.close();
    String b = other;
    env = new RealApiStack("twons-a", (a, ns, interceptors) -> Map.entry(
        RealApiServer.get().client(new KubernetesClientBuilder().withHttpClientBuilderConsumer(interceptors)),
        RuntimeConfig.defaults().withWatchNamespaces(Set.of(ns, b))),
        claim("pi-shared", "5Gi", "ReadWriteMany"), claim("data-pi-db-0", "10Gi", "ReadWriteOnce"));
    admin = env.admin;
  }

  @AfterEach
  void stop() {
    admin.namespaces().withName(other).delete();
    for (String v : otherVolumes) {
      admin.persistentVolumes().withName(v).delete();
    }
    env.close();
  }

  @Test
  void theSecretsOfBothNamespacesAreFoundAtTheStartAndAfterARestart() {
    admin.resource(env.smallStack()).create();
    admin.resource(RealApiStack.smallStack(other, "pi")).create();
    await().atMost(T).untilAsserted(() -> assertThat(readyReasons()).containsExactly(
        "AllComponentsReady", "AllComponentsReady"));

    env.stopOperator();
    long restarted = System.nanoTime();
    env.startOperator();
    // Both stacks were reconciled by the new operator, from the caches its LISTs filled.
    await().atMost(T).until(() -> env.reconciles().completedSince(env.ns, "pi", restarted)
        && env.reconciles().completedSince(other, "pi", restarted));
    assertThat(readyReasons()).as("neither namespace lost its licence Secret from the operator's cache")
        .containsExactly("AllComponentsReady", "AllComponentsReady");
  }

  private java.util.List<String> readyReasons() {
    return java.util.stream.Stream.of(env.ns, other).map(ns -> {
      PiStack s = admin.resources(PiStack.class).inNamespace(ns).withName("pi").get();
      return s == null || s.getStatus() == null ? "no status" : s.getStatus().conditions.stream()
          .filter(c -> ConditionType.READY.wire().equals(c.getType())).map(c -> c.getReason())
          .findFirst().orElse("no Ready");
    }).toList();
  }
}
