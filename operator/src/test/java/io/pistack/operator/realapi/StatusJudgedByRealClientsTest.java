package io.pistack.operator.realapi;

import static io.pistack.operator.realapi.Judges.condition;
import static io.pistack.operator.realapi.Judges.judge;
import static io.pistack.operator.realapi.Judges.liveWhen;
import static io.pistack.operator.realapi.RealApiStack.claim;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodConditionBuilder;
import io.fabric8.kubernetes.api.model.ContainerStatusBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.Watch;
import io.fabric8.kubernetes.client.Watcher;
import io.fabric8.kubernetes.client.WatcherException;
import io.fabric8.kubernetes.client.utils.Serialization;
import io.pistack.operator.it.Kubelet;
import io.pistack.operator.it.Stacks;
import io.pistack.operator.model.Labels;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * A PiStack's status as the real clients read it, on the real API server: kstatus (cli-utils
 * v0.37.2, what Flux computes) and Argo CD's health check on gopher-lua, through the life of a
 * stack: applied, creating, Ready, a crash-looping component, paused, and a new generation the
 * operator has not observed yet. Each verdict must be the one docs/gitops.md promises. (An invalid
 * spec cannot be stored past the CRD's rules: CrdUpgradeOnRealApiTest stores one under an older,
 * looser CRD.)
 */
class StatusJudgedByRealClientsTest {
  static final java.time.Duration T = RealApiStack.T;
  RealApiStack env;
  KubernetesClient admin;
  String ns;

  @BeforeEach
  void start() {
    env = new RealApiStack("judged", claim("pi-shared", "5Gi", "ReadWriteMany"), claim("data-pi-db-0", "10Gi", "ReadWriteOnce"));
    admin = env.admin;
    ns = env.ns;
  }

  @AfterEach
  void stop() {
    try {
      cordon(false);
    } finally {
      env.close();
    }
  }

  @Test
  void kstatusAndArgoCdReadEveryStageOfALiveStackAsTheDocsSay() {
    // Applied, before the operator has written any status (the API server's own object, dry run).
    GenericKubernetesResource applied = admin.resource(
        Serialization.unmarshal(Serialization.asJson(env.smallStack()), GenericKubernetesResource.class)).dryRun().create();
    judge("applied, no status yet", Serialization.asJson(applied))
        .expectKstatus("Current") // the corner case the docs name: no observedGeneration, no Ready condition
        .expectArgo("Progressing", "Waiting for the operator to observe the PiStack");

    // Creating: the pods cannot start yet (the nodes are cordoned, as while images are pulled), and
    // every version of the PiStack the API server hands out until it is Ready is checked too.
    List<String> versions = new CopyOnWriteArrayList<>();
    try (Watch w = admin.genericKubernetesResources("pistack.io/v1alpha1", "PiStack").inNamespace(ns)
        .watch(recordInto(versions))) {
      cordon(true);
      admin.resource(env.smallStack()).create();
      String creating = liveWhen(admin, ns, "pi",
          v -> "False".equals(condition(v, "Ready", "status")) && Judges.observed(v));
      judge("creating", creating).expectKstatus("InProgress").expectArgo("Progressing", "");
      cordon(false);
      liveWhen(admin, ns, "pi", Judges::readyAndObserved);
    }
    versions.forEach(v -> judge("creating (any version)", v));

    String ready = liveWhen(admin, ns, "pi", Judges::readyAndObserved);
    judge("ready", ready).expectKstatus("Current")
        .expectArgo("Healthy", condition(ready, "Ready", "message"));

    // A dashboard container crash-loops: the kubelet (here the test, as kwok does not) reports it.
    Pod victim = admin.pods().inNamespace(ns).withLabel(Labels.COMPONENT, "dashboard").list().getItems().get(0);
    crashLoop(victim);
    String crashing = liveWhen(admin, ns, "pi", v -> "CrashLoopBackOff".equals(condition(v, "Degraded", "reason")));
    judge("crash-looping dashboard", crashing)
        .expectKstatus("InProgress") // Ready=False: it may recover, so not Failed (docs/gitops.md, Flux)
        .expectArgo("Degraded", "CrashLoopBackOff: ");
    assertThat(condition(crashing, "Ready", "status")).isEqualTo("False");
    admin.pods().inNamespace(ns).withName(victim.getMetadata().getName()).delete();
    liveWhen(admin, ns, "pi", Judges::readyAndObserved);

    // Paused: Argo CD shows Suspended; kstatus does not pass a paused stack.
    Stacks.edit(admin, ns, "pi", s -> s.getSpec().paused = true);
    String paused = liveWhen(admin, ns, "pi",
        v -> "Paused".equals(condition(v, "Ready", "reason")) && Judges.observed(v));
    judge("paused", paused).expectKstatus("InProgress")
        .expectArgo("Suspended", "Reconciliation is paused");
    Stacks.edit(admin, ns, "pi", s -> s.getSpec().paused = false);
    liveWhen(admin, ns, "pi", Judges::readyAndObserved);

    // A new generation the operator has not observed yet (the operator is down while it is applied).
    env.stopOperator();
    Stacks.edit(admin, ns, "pi", s -> s.getSpec().dashboard.podAnnotations = Map.of("example.com/rev", "2"));
    String unobserved = Judges.live(admin, ns, "pi");
    long generation = Judges.tree(unobserved).path("metadata").path("generation").asLong();
    assertThat(Judges.tree(unobserved).path("status").path("observedGeneration").asLong()).isLessThan(generation);
    assertThat(condition(unobserved, "Ready", "status")).as("the stale Ready condition").isEqualTo("True");
    judge("new generation not observed", unobserved).expectKstatus("InProgress")
        .expectArgo("Progressing", "Waiting for the operator to observe generation " + generation);

    // The operator comes back and rolls the dashboard out; the new pods cannot start yet (cordoned).
    // Observed but not rolled out is InProgress too: Ready=True comes only with the new pods.
    List<String> rollout = new CopyOnWriteArrayList<>();
    try (Watch w = admin.genericKubernetesResources("pistack.io/v1alpha1", "PiStack").inNamespace(ns)
        .watch(recordInto(rollout))) {
      cordon(true);
      env.startOperator();
      String rolling = liveWhen(admin, ns, "pi",
          v -> Judges.observed(v) && "RollingOut".equals(condition(v, "Progressing", "reason")));
      judge("new generation rolling out", rolling).expectKstatus("InProgress").expectArgo("Progressing", "");
      // Only that generation's versions: a watch opened without a resourceVersion may start from the API server's
      // watch cache a moment behind the edit, so its first event can be the previous generation (observed and
      // Ready, rightly). Seen once in CI under load.
      assertThat(rollout).as("versions of generation %d while its pods cannot start", generation)
          .filteredOn(v -> Judges.tree(v).path("metadata").path("generation").asLong() == generation)
          .isNotEmpty()
          .filteredOn(Judges::observed)
          .noneMatch(v -> "True".equals(condition(v, "Ready", "status")));
      cordon(false);
      judge("new generation rolled out", liveWhen(admin, ns, "pi", Judges::readyAndObserved))
          .expectKstatus("Current").expectArgo("Healthy", "");
    }
    rollout.forEach(v -> judge("new generation (any version)", v));
  }

  /** Cordons (or uncordons) every node: new pods stay Pending, running ones are left alone. */
  private void cordon(boolean unschedulable) {
    admin.nodes().list().getItems().forEach(n -> admin.nodes().withName(n.getMetadata().getName())
        .edit(node -> {
          node.getSpec().setUnschedulable(unschedulable ? true : null);
          return node;
        }));
  }

  private void crashLoop(Pod pod) {
    admin.pods().inNamespace(ns).withName(pod.getMetadata().getName()).editStatus(p -> {
      var cs = Kubelet.crashLooping(new ContainerStatusBuilder(p.getStatus().getContainerStatuses().get(0)), 1, "Error")
          .withRestartCount(6).build();
      p.getStatus().setContainerStatuses(List.of(cs));
      p.getStatus().setConditions(List.of(
          new PodConditionBuilder().withType("Ready").withStatus("False").withReason("ContainersNotReady").build(),
          new PodConditionBuilder().withType("ContainersReady").withStatus("False").withReason("ContainersNotReady").build(),
          new PodConditionBuilder().withType("Initialized").withStatus("True").build(),
          new PodConditionBuilder().withType("PodScheduled").withStatus("True").build()));
      return p;
    });
  }

  private static Watcher<GenericKubernetesResource> recordInto(List<String> versions) {
    return new Watcher<>() {
      @Override
      public void eventReceived(Action action, GenericKubernetesResource resource) {
        if (action == Action.ADDED || action == Action.MODIFIED) {
          versions.add(Serialization.asJson(resource));
        }
      }

      @Override
      public void onClose(WatcherException cause) {}
    };
  }
}
