package io.pistack.operator.status;

import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodBuilder;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.apps.DeploymentStatusBuilder;
import io.pistack.operator.health.StackHealth;
import io.pistack.operator.it.Stacks;
import io.pistack.operator.model.Component;
import io.pistack.operator.model.DeploymentBuilder;
import io.pistack.operator.model.ResolvedStack;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * A component scaled to zero (hibernated) is at rest whatever generation its controller has yet to observe: an edit
 * of the Deployment's annotations bumps its generation, and the verdict must not flip to RollingOut and back (two
 * status writes for a reconcile that changes nothing).
 */
class ComponentVerdictTest {
  static final Component C = Component.RENDERER;

  /** The renderer's Deployment asking {@code replicas}, at {@code generation}, as its controller last saw it. */
  static Deployment renderer(int replicas, long generation, long observed, int reportedReplicas) {
    ResolvedStack r = new ResolvedStack(Stacks.sample("minimal.yaml", "bi"));
    Deployment d = DeploymentBuilder.build(r, C);
    d.getSpec().setReplicas(replicas);
    d.getMetadata().setGeneration(generation);
    d.setStatus(new DeploymentStatusBuilder().withObservedGeneration(observed).withReplicas(reportedReplicas)
        .withReadyReplicas(reportedReplicas).withUpdatedReplicas(reportedReplicas)
        .withAvailableReplicas(reportedReplicas).build());
    return d;
  }

  static ComponentVerdict verdict(Deployment d, List<Pod> pods) {
    return ComponentVerdict.of(C, "pi-renderer", d, pods, StackHealth.NONE_YET);
  }

  static Pod pod() {
    return new PodBuilder().withNewMetadata().withName("pi-renderer-1").endMetadata().build();
  }

  @Test
  void aComponentAtZeroStaysAvailableWhenAnEditBumpsItsGenerationBeforeTheControllerSawIt() {
    ComponentVerdict observed = verdict(renderer(0, 2, 2, 0), List.of());
    ComponentVerdict bumped = verdict(renderer(0, 3, 2, 0), List.of());
    assertThat(observed.ready()).isTrue();
    assertThat(bumped).as("the same verdict, so the same status: nothing to write").isEqualTo(observed);
    assertThat(bumped.reason()).isEqualTo("Available");
    assertThat(bumped.message()).isEqualTo("renderer: 0/0 ready");
  }

  @Test
  void scalingToZeroIsStillARolloutUntilTheControllerSawItAndNoPodIsLeft() {
    assertThat(verdict(renderer(0, 3, 2, 1), List.of()).reason()).as("the controller still reports a pod")
        .isEqualTo("RollingOut");
    assertThat(verdict(renderer(0, 3, 2, 0), List.of(pod())).reason()).as("a pod of the component is left")
        .isEqualTo("RollingOut");
  }

  @Test
  void aComponentAskingPodsStillWaitsForItsControllerToSeeTheNewGeneration() {
    ComponentVerdict v = verdict(renderer(1, 3, 2, 1), List.of(pod()));
    assertThat(v.ready()).isFalse();
    assertThat(v.reason()).isEqualTo("RollingOut");
  }
}
