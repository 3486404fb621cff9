package io.pistack.operator.realapi;

import static io.pistack.operator.realapi.RealApiStack.claim;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.fabric8.kubernetes.api.model.Condition;
import io.fabric8.kubernetes.api.model.Event;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.api.model.rbac.PolicyRule;
import io.fabric8.kubernetes.api.model.rbac.Role;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.pistack.operator.api.v1alpha1.PiStack;
import io.pistack.operator.api.v1alpha1.StorageSpec;
import io.pistack.operator.catalogue.Catalogue;
import io.pistack.operator.status.ConditionType;
import io.pistack.operator.status.Conditions;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * An error outside the managed workflow, on the real API server's RBAC: the operator runs with the
 * chart's Role, which then loses the Secret patch the credentials ownership sync needs (it runs
 * after the workflow, when storage.deleteWithStack is turned on). The stack must say so (Ready=False
 * ReconcileFailed, a Warning event, never a Secret value), write that status once however often it
 * retries, keep retrying with a back-off, and recover once the permission is back. Then a refused
 * apply during a drained upgrade: the back-off wins over the drain's 2 s recheck.
 */
class ErrorOutsideWorkflowOnRealApiTest {
  static final java.time.Duration T = RealApiStack.T;
  static final java.time.Duration BACKOFF_WINDOW = java.time.Duration.ofSeconds(16);

  @Test
  void aRefusedCredentialsOwnershipPatchIsReportedOnceAndRecoversWhenThePermissionIsBack() {
    List<HasMetadata> installed = new ArrayList<>();
    KubernetesClient[] operatorClient = new KubernetesClient[1];
    try (RealApiStack env = new RealApiStack("errors",
        NamespacedRbacOnRealApiTest.asChartInstallsIt(installed, operatorClient),
        claim("pi-shared", "5Gi", "ReadWriteMany"), claim("data-pi-db-0", "10Gi", "ReadWriteOnce"))) {
      KubernetesClient admin = env.admin;
      try {
        admin.resource(env.smallStack()).create();
        await().atMost(T).until(() -> "AllComponentsReady".equals(env.readyReason()));
        Secret credentials = admin.secrets().inNamespace(env.ns).withName("pi-db-credentials").get();
        assertThat(credentials.getMetadata().getOwnerReferences()).as("deleteWithStack is off").isNullOrEmpty();
        // The password (the user name, "pi", is no secret and is part of every object's name).
        List<String> values = List.of(new String(Base64.getDecoder().decode(credentials.getData().get("password")),
            StandardCharsets.UTF_8));

        Role role = installed.stream().filter(Role.class::isInstance).map(Role.class::cast).findFirst().orElseThrow();
        setSecretPatch(admin, role, false);
        int mark = env.operatorWrites.mark();
        io.pistack.operator.it.Stacks.edit(admin, env.ns, "pi", p -> { // retried on a conflict
          p.getSpec().storage = p.getSpec().storage == null ? new StorageSpec() : p.getSpec().storage;
          p.getSpec().storage.deleteWithStack = true;
        });

        await().atMost(T).ignoreExceptions().untilAsserted(() -> {
          PiStack s = env.stack();
          Condition ready = Conditions.find(s.getStatus().conditions, ConditionType.READY.wire());
          assertThat(ready.getReason()).isEqualTo("ReconcileFailed");
          assertThat(ready.getObservedGeneration()).isEqualTo(s.getMetadata().getGeneration());
          assertThat(ready.getMessage()).contains("403").contains("secrets pi-db-credentials")
              .doesNotContainPattern(Catalogue.JAVA_LEAK);
          values.forEach(v -> assertThat(ready.getMessage()).doesNotContain(v));
          assertThat(Conditions.find(s.getStatus().conditions, ConditionType.DEGRADED.wire()).getStatus()).isEqualTo("True");
        });
        List<Event> warnings = admin.v1().events().inNamespace(env.ns).list().getItems().stream()
            .filter(e -> "ReconcileFailed".equals(e.getReason())).toList();
        assertThat(warnings).singleElement().satisfies(e -> {
          assertThat(e.getType()).isEqualTo("Warning");
          values.forEach(v -> assertThat(e.getMessage()).doesNotContain(v));
        });

        // It keeps trying (each attempt is a refused patch of the Secret), with a growing delay,
        // and writes the unchanged failure only once.
        await().atMost(T).until(() -> ownershipPatches(env, mark) >= 3);
        assertThat(env.operatorWrites.since(mark).stream().filter(w -> w.endsWith("/pistacks/pi/status")))
            .as("one status write for the failure, however many attempts").hasSize(1);

        setSecretPatch(admin, role, true);
        await().atMost(T).until(() -> "AllComponentsReady".equals(env.readyReason()));
        assertThat(admin.secrets().inNamespace(env.ns).withName("pi-db-credentials").get().getMetadata()
            .getOwnerReferences()).singleElement().satisfies(r -> assertThat(r.getKind()).isEqualTo("PiStack"));

        // A refused apply during a drained upgrade (the Role loses patch on Deployments): the drain
        // looks again every 2 s, but while the apply fails the back-off wins (2, 4, 8 s...), and the
        // unchanged failure is written once.
        setPatch(admin, role, "deployments", false);
        io.pistack.operator.it.Stacks.edit(admin, env.ns, "pi", p -> p.getSpec().version = "2026_01.0");
        await().atMost(T).ignoreExceptions().untilAsserted(() -> {
          Condition ready = Conditions.find(env.stack().getStatus().conditions, ConditionType.READY.wire());
          assertThat(ready.getReason()).isEqualTo("ReconcileFailed");
          assertThat(ready.getMessage()).contains("403").contains("deployments");
        });
        // A drain is under way (spec.version is new, the dashboard still runs the old one): the phase
        // that rechecks every 2 s.
        assertThat(env.deployment("pi-dashboard").getMetadata().getLabels())
            .containsEntry("app.kubernetes.io/version", "2025_10.1");
        double before = env.completedReconciles();
        int failedMark = env.operatorWrites.mark();
        await().pollDelay(BACKOFF_WINDOW).atMost(BACKOFF_WINDOW.plusSeconds(5)).until(() -> true);
        double reconciles = env.completedReconciles() - before;
        System.out.printf("ErrorOutsideWorkflowOnRealApiTest: %.0f reconciles in %s of a refused apply during a"
            + " drain%n", reconciles, BACKOFF_WINDOW);
        // 2 s rechecks would make about 8; the back-off makes 2 or 3.
        assertThat(reconciles).as("reconciles in %s of a refused apply during a drain", BACKOFF_WINDOW)
            .isBetween(1.0, 5.0);
        assertThat(env.operatorWrites.since(failedMark)).as("the unchanged failure is not written again")
            .noneMatch(w -> w.endsWith("/pistacks/pi/status"));
      } finally {
        installed.forEach(o -> admin.resource(o).delete());
      }
    }
  }

  private static long ownershipPatches(RealApiStack env, int mark) {
    return env.operatorWrites.since(mark).stream()
        .filter(w -> w.equals("PATCH /api/v1/namespaces/" + env.ns + "/secrets/pi-db-credentials")).count();
  }

  /** Gives or takes the chart Role's patch on Secrets (the RBAC authoriser sees the change at once). */
  private static void setSecretPatch(KubernetesClient admin, Role role, boolean allowed) {
    setPatch(admin, role, "secrets", allowed);
  }

  /** Gives or takes the chart Role's patch on {@code resource} (and on what shares its rule). */
  private static void setPatch(KubernetesClient admin, Role role, String resource, boolean allowed) {
    admin.rbac().roles().inNamespace(role.getMetadata().getNamespace()).withName(role.getMetadata().getName())
        .edit(r -> {
          for (PolicyRule rule : r.getRules()) {
            if (rule.getResources().contains(resource)) {
              if (resource.equals("secrets")) {
                assertThat(rule.getResources()).containsExactly("secrets");
              }
              List<String> verbs = new ArrayList<>(rule.getVerbs());
              verbs.remove("patch");
              if (allowed) {
                verbs.add("patch");
              }
              rule.setVerbs(verbs);
            }
          }
          return r;
        });
  }
}
