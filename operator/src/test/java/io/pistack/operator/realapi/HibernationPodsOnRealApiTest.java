package io.pistack.operator.realapi;

import static io.pistack.operator.realapi.RealApiStack.claim;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.fabric8.kubernetes.api.model.Pod;
import io.pistack.operator.api.v1alpha1.HibernationSpec;
import io.pistack.operator.api.v1alpha1.MaintenancePageSpec;
import io.pistack.operator.api.v1alpha1.PiStack;
import io.pistack.operator.it.Stacks;
import io.pistack.operator.model.Labels;
import java.util.List;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * Which pods a hibernated stack keeps, on the real control plane (real Deployment, ReplicaSet and StatefulSet
 * controllers, kwok as the kubelet): with {@code spec.maintenancePage.enabled: false} none at all (issue 27: "hibernate
 * on, no pod left"); with the page on (the default) exactly one, the page's, which the dashboard's Service selects
 * (docs/hibernation.md, docs/maintenance-page.md). Both wake Ready again, the page gone.
 */
@Tag("slow")
class HibernationPodsOnRealApiTest {

  @Test
  void withoutTheMaintenancePageAHibernatedStackKeepsNoPod() {
    try (RealApiStack env = stack("hib-nopage")) {
      PiStack s = env.smallStack();
      s.getSpec().maintenancePage = new MaintenancePageSpec();
      s.getSpec().maintenancePage.enabled = false;
      env.admin.resource(s).create();
      awaitReady(env);

      hibernation(env, true);
      await().atMost(RealApiStack.T).until(() -> "True".equals(hibernated(env)) && pods(env).isEmpty());
      assertThat(env.deployment("pi-maintenance")).as("no page Deployment").isNull();
      assertThat(selects(env)).isEqualTo("dashboard");
      env.awaitConverged();
      assertThat(pods(env)).as("pods of the stack once it converged asleep").isEmpty();

      hibernation(env, false);
      awaitReady(env);
      assertThat(env.deployment("pi-maintenance")).isNull();
    }
  }

  @Test
  void withTheMaintenancePageAHibernatedStackKeepsExactlyThePagesPod() {
    try (RealApiStack env = stack("hib-page")) {
      env.admin.resource(env.smallStack()).create();
      awaitReady(env);

      hibernation(env, true);
      await().atMost(RealApiStack.T).until(() -> "True".equals(hibernated(env))
          && pods(env).stream().allMatch(HibernationPodsOnRealApiTest::page) && !pods(env).isEmpty()
          && "maintenance".equals(selects(env)));
      env.awaitConverged();
      List<Pod> asleep = pods(env);
      assertThat(asleep).as("pods of the stack once it converged asleep").hasSize(1)
          .allMatch(HibernationPodsOnRealApiTest::page);
      assertThat(asleep.get(0).getMetadata().getName()).startsWith("pi-maintenance-");

      hibernation(env, false);
      awaitReady(env);
      await().atMost(RealApiStack.T).until(() -> env.deployment("pi-maintenance") == null
          && "dashboard".equals(selects(env)) && pods(env).stream().noneMatch(HibernationPodsOnRealApiTest::page));
    }
  }

  static RealApiStack stack(String prefix) {
    return new RealApiStack(prefix, claim("pi-shared", "5Gi", "ReadWriteMany"),
        claim("data-pi-db-0", "10Gi", "ReadWriteOnce"), claim("pi-backups", "10Gi", "ReadWriteOnce"));
  }

  static void awaitReady(RealApiStack env) {
    await().atMost(RealApiStack.T).until(() -> "AllComponentsReady".equals(env.readyReason()));
  }

  static void hibernation(RealApiStack env, boolean on) {
    Stacks.edit(env.admin, env.ns, "pi", s -> {
      s.getSpec().hibernation = new HibernationSpec();
      s.getSpec().hibernation.enabled = on;
    });
  }

  /** Every pod of the stack (its instance label), the maintenance page's included; a finished Job's too. */
  static List<Pod> pods(RealApiStack env) {
    return env.admin.pods().inNamespace(env.ns).withLabel(Labels.INSTANCE, "pi").list().getItems();
  }

  static boolean page(Pod p) {
    return "maintenance".equals(p.getMetadata().getLabels().get(Labels.COMPONENT));
  }

  static String hibernated(RealApiStack env) {
    PiStack s = env.stack();
    return s.getStatus() == null || s.getStatus().conditions == null ? null : s.getStatus().conditions.stream()
        .filter(c -> "Hibernated".equals(c.getType())).map(c -> c.getStatus()).findFirst().orElse(null);
  }

  static String selects(RealApiStack env) {
    return PageHistory.selects(env.admin.services().inNamespace(env.ns).withName("pi-dashboard").get());
  }
}
