package io.pistack.operator.realapi;

import static io.pistack.operator.realapi.Judges.condition;
import static io.pistack.operator.realapi.Judges.judge;
import static io.pistack.operator.realapi.Judges.liveWhen;
import static io.pistack.operator.realapi.RealApiStack.claim;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.ObjectMetaBuilder;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.apiextensions.v1.CustomResourceDefinition;
import io.fabric8.kubernetes.api.model.apiextensions.v1.JSONSchemaProps;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.fabric8.kubernetes.client.utils.Serialization;
import io.pistack.operator.api.v1alpha1.StorageSpec;
import io.pistack.operator.it.Stacks;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * CRD upgrades the GitOps way (Argo CD and Flux apply a CRD like any object; Helm never upgrades a
 * chart's crds/), on the real API server: the previous release's CRD with stored PiStacks, then the
 * new CRD applied server-side. The stored objects stay valid and the restarted operator reconciles
 * them without a rollout. And a spec stored before a rule existed is reported, not hidden: Stalled,
 * which kstatus reads as Failed and Argo CD as Degraded.
 *
 * <p>The CRD is cluster-wide: each test puts the current CRD back before the next test runs.
 */
class CrdUpgradeOnRealApiTest {
  static final Duration T = RealApiStack.T;
  static final Path CURRENT = Stacks.repoRoot().resolve("crds/pistacks.pistack.io-v1.yml");
  static final Path PREVIOUS = Stacks.repoRoot().resolve("operator/src/test/resources/previous-release/pistacks.pistack.io-v1.yml");

  RealApiStack env;
  final KubernetesClient admin = RealApiServer.get().client();

  @AfterEach
  void restoreTheCurrentCrd() {
    try {
      if (env != null) {
        env.close();
      }
    } finally {
      apply(crd(CURRENT));
      await().atMost(T).until(this::servesBackup);
      admin.close();
    }
  }

  @Test
  void storedStacksSurviveTheNewCrdAndAnOperatorRestartWithoutARollout() {
    apply(crd(PREVIOUS));
    await().atMost(T).until(() -> !servesBackup());

    env = new RealApiStack("crd-upgrade", claim("pi-shared", "5Gi", "ReadWriteMany"), claim("data-pi-db-0", "10Gi", "ReadWriteOnce"));
    admin.resource(env.smallStack()).create();
    await().atMost(T).until(() -> "AllComponentsReady".equals(env.readyReason()));
    env.awaitConverged();
    Map<String, String> before = workloads(env.ns);
    env.stopOperator();

    apply(crd(CURRENT));
    await().atMost(T).until(this::servesBackup);

    // The stored object is valid under the new schema and rules: create it afresh (dry run; an update
    // would be ratcheted, i.e. unchanged invalid fields let through).
    GenericKubernetesResource stored = admin.genericKubernetesResources("pistack.io/v1alpha1", "PiStack")
        .inNamespace(env.ns).withName("pi").get();
    GenericKubernetesResource copy = new GenericKubernetesResource();
    copy.setApiVersion(stored.getApiVersion());
    copy.setKind(stored.getKind());
    copy.setMetadata(new ObjectMetaBuilder().withName("pi-revalidated").withNamespace(env.ns).build());
    copy.setAdditionalProperty("spec", stored.getAdditionalProperties().get("spec"));
    assertThat(admin.resource(copy).dryRun().create()).isNotNull();

    // The operator restarts on the new CRD and reconciles the stack to the end.
    int mark = env.operatorWrites.mark();
    env.startOperator();
    await().atMost(T).until(() -> env.reconciles().of(env.ns, "pi") >= 1);
    io.pistack.operator.it.Quiet.watch(Duration.ofSeconds(2), () -> env.operatorWrites.since(mark).stream()
        .allMatch(RealApiStack::statusOrEvent));

    assertThat(workloads(env.ns)).as("Deployments, StatefulSet and pods after the CRD upgrade and restart")
        .isEqualTo(before);
    assertThat(env.operatorWrites.since(mark)).as("the restarted operator's writes")
        .allMatch(w -> w.endsWith("/pistacks/pi/status") || w.contains("/events"));
    judge("after a CRD upgrade and an operator restart", liveWhen(admin, env.ns, "pi", Judges::readyAndObserved))
        .expectKstatus("Current").expectArgo("Healthy", "");
  }

  @Test
  void aSpecStoredBeforeATighterRuleIsStalledWhichKstatusReadsAsFailed() {
    // An older, looser CRD: the shared volume's 5Gi minimum is not a rule yet.
    CustomResourceDefinition loose = crd(CURRENT);
    sizeSchema(loose).setXKubernetesValidations(null);
    apply(loose);
    await().atMost(T).until(() -> accepts(tooSmall("probe")));

    env = new RealApiStack("crd-tighter", claim("pi-shared", "5Gi", "ReadWriteMany"), claim("data-pi-db-0", "10Gi", "ReadWriteOnce"));
    var stack = env.smallStack();
    stack.getSpec().storage = new StorageSpec();
    stack.getSpec().storage.size = "1Gi";
    admin.resource(stack).create();

    apply(crd(CURRENT));
    await().atMost(T).until(() -> !accepts(tooSmall("probe")));
    assertThatThrownBy(() -> admin.resource(tooSmall("pi-new")).dryRun().create())
        .isInstanceOf(KubernetesClientException.class).hasMessageContaining("the shared volume must be at least 5Gi");

    // The stored object is still there, and the operator's own validation reports it.
    String invalid = liveWhen(admin, env.ns, "pi", v -> "InvalidSpec".equals(condition(v, "Ready", "reason"))
        && "True".equals(condition(v, "Stalled", "status")));
    Judges.Verdict verdict = judge("invalid spec", invalid)
        .expectKstatus("Failed")
        .expectArgo("Degraded", "InvalidSpec: spec.storage.size: must be at least 5Gi, got 1Gi");
    assertThat(verdict.kstatus().message()).as("kstatus's message is the Stalled condition's")
        .isEqualTo(condition(invalid, "Stalled", "message"));
    assertThat(env.deployment("pi-dashboard")).as("nothing is applied for an invalid spec").isNull();

    // Validation ratchets: an update that leaves the invalid field as it is, is accepted.
    admin.genericKubernetesResources("pistack.io/v1alpha1", "PiStack").inNamespace(env.ns).withName("pi")
        .edit(r -> {
          r.getMetadata().setLabels(Map.of("team", "analytics"));
          return r;
        });

    // Fixing it is an ordinary update; the stack proceeds and is no longer Failed.
    Stacks.edit(admin, env.ns, "pi", s -> s.getSpec().storage.size = "5Gi");
    judge("invalid spec fixed", liveWhen(admin, env.ns, "pi", Judges::readyAndObserved))
        .expectKstatus("Current").expectArgo("Healthy", "");
  }

  /** What a rollout would change: per Deployment and StatefulSet its generation and pod template, and the pods. */
  private Map<String, String> workloads(String ns) {
    Map<String, String> m = new TreeMap<>();
    admin.apps().deployments().inNamespace(ns).list().getItems().forEach(d -> m.put("deployment/" + d.getMetadata().getName(),
        "generation " + d.getMetadata().getGeneration() + ", template " + Serialization.asJson(d.getSpec().getTemplate()).hashCode()));
    admin.apps().statefulSets().inNamespace(ns).list().getItems().forEach(s -> m.put("statefulset/" + s.getMetadata().getName(),
        "generation " + s.getMetadata().getGeneration() + ", revision " + s.getStatus().getUpdateRevision()));
    List<Pod> pods = admin.pods().inNamespace(ns).list().getItems();
    pods.forEach(p -> m.put("pod/" + p.getMetadata().getName(), p.getMetadata().getUid() + " "
        + p.getMetadata().getLabels().getOrDefault("pod-template-hash", p.getMetadata().getLabels().get("controller-revision-hash"))));
    assertThat(m.keySet()).as("workloads in %s", ns).anyMatch(k -> k.startsWith("pod/pi-dashboard-"));
    return m;
  }

  private static CustomResourceDefinition crd(Path file) {
    try {
      return Serialization.unmarshal(Files.readString(file), CustomResourceDefinition.class);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private static JSONSchemaProps sizeSchema(CustomResourceDefinition crd) {
    return crd.getSpec().getVersions().get(0).getSchema().getOpenAPIV3Schema().getProperties().get("spec")
        .getProperties().get("storage").getProperties().get("size");
  }

  /** Server-side apply, as `kubectl apply --server-side`, Argo CD (ServerSideApply=true) and Flux do. */
  private void apply(CustomResourceDefinition crd) {
    crd.getMetadata().setResourceVersion(null);
    admin.resource(crd).forceConflicts().serverSideApply();
    admin.apiextensions().v1().customResourceDefinitions().withName(crd.getMetadata().getName())
        .waitUntilCondition(d -> d != null && d.getStatus() != null && d.getStatus().getConditions() != null
            && d.getStatus().getConditions().stream()
            .anyMatch(c -> "Established".equals(c.getType()) && "True".equals(c.getStatus())), 60, TimeUnit.SECONDS);
  }

  /** True once the API server serves a schema with spec.backup (new); false while it prunes it (previous). */
  private boolean servesBackup() {
      GenericKubernetesResource probe = Serialization.unmarshal("apiVersion: pistack.io/v1alpha1\nkind: PiStack\n"
          + "metadata: {name: probe, namespace: default}\nspec: {version: v, backup: {enabled: false}}\n",
          GenericKubernetesResource.class);
      GenericKubernetesResource served = admin.resource(probe).dryRun().create();
      return served.getAdditionalProperties().get("spec") instanceof Map<?, ?> spec && spec.containsKey("backup");
  }

  private static GenericKubernetesResource tooSmall(String name) {
    return Serialization.unmarshal("apiVersion: pistack.io/v1alpha1\nkind: PiStack\n"
        + "metadata: {name: " + name + ", namespace: default}\nspec: {version: v, storage: {size: 1Gi}}\n",
        GenericKubernetesResource.class);
  }

  private boolean accepts(GenericKubernetesResource r) {
    try {
      admin.resource(r).dryRun().create();
      return true;
    } catch (KubernetesClientException e) {
      return false;
    }
  }
}
