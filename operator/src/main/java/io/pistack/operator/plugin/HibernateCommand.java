package io.pistack.operator.plugin;

import io.fabric8.kubernetes.api.model.Condition;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.dsl.base.PatchContext;
import io.fabric8.kubernetes.client.dsl.base.PatchType;
import io.pistack.operator.api.v1alpha1.PiStack;
import io.pistack.operator.model.Labels;
import java.io.PrintWriter;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/**
 * {@code kubectl pi hibernate on|off|status <stack>}: sets or clears spec.hibernation.enabled by a JSON merge patch
 * with the user's own credentials (the operator then stops or starts the stack in order), or prints where the stack
 * is: its Hibernated and Ready conditions and how many of its pods run.
 */
@Command(name = "hibernate", mixinStandardHelpOptions = true,
    description = {"Put a stack to sleep (on), wake it (off), or show where it is (status).",
        "on/off set spec.hibernation.enabled by a JSON merge patch; with Argo CD or another GitOps tool set the field"
            + " in Git instead, or the next sync reverts it."})
public class HibernateCommand implements Callable<Integer> {
  /** What the command does. */
  public enum Action { on, off, status }

  /** Annotations and labels GitOps tools put on what they sync: the patch would be reverted. */
  static final List<String> GITOPS_MARKS = List.of("argocd.argoproj.io/tracking-id",
      "kustomize.toolkit.fluxcd.io/name", "helm.toolkit.fluxcd.io/name");

  @Mixin
  Kube kube;

  @Parameters(index = "0", paramLabel = "on|off|status", description = "on: hibernate; off: wake; status: show.")
  Action action;

  @Parameters(index = "1", paramLabel = "STACK", description = "The PiStack's name.")
  String name;

  @Spec
  CommandSpec spec;

  @Override
  public Integer call() {
    PrintWriter out = spec.commandLine().getOut();
    try (KubernetesClient client = kube.client()) {
      PiStack stack = Kube.stack(client, name);
      if (action == Action.status) {
        status(stack, pods(client), out);
      } else {
        boolean on = action == Action.on;
        gitOpsManaged(stack).ifPresent(mark -> {
          PrintWriter err = spec.commandLine().getErr();
          err.println("warning: pistack.pistack.io/" + name + " is synced by a GitOps tool (" + mark + "): set"
              + " spec.hibernation.enabled: " + on + " in Git, or the next sync reverts this change");
          err.flush();
        });
        client.resources(PiStack.class).withName(name)
            .patch(PatchContext.of(PatchType.JSON_MERGE), patch(on));
        out.println("pistack.pistack.io/" + name + (on ? " hibernating" : " waking")
            + " (spec.hibernation.enabled: " + on + "); follow it with: kubectl pi hibernate status " + name);
      }
      out.flush();
      return 0;
    }
  }

  /** The JSON merge patch that sets spec.hibernation.enabled. */
  static String patch(boolean on) {
    return "{\"spec\":{\"hibernation\":{\"enabled\":" + on + "}}}";
  }

  /**
   * The stack's pods that have not ended (a finished Job's pod does not count), but the maintenance page's: the one
   * pod a sleeping stack keeps, so that its address says it is asleep (docs/maintenance-page.md).
   */
  List<Pod> pods(KubernetesClient client) {
    return client.pods().withLabel(Labels.INSTANCE, name).withLabel(Labels.MANAGED_BY, Labels.OPERATOR).list()
        .getItems().stream().filter(p -> p.getStatus() == null
            || !("Succeeded".equals(p.getStatus().getPhase()) || "Failed".equals(p.getStatus().getPhase())))
        .filter(p -> !io.pistack.operator.model.MaintenancePageBuilder.PART.equals(
            p.getMetadata().getLabels().get(Labels.COMPONENT)))
        .toList();
  }

  /** The mark of a GitOps tool on the stack, if any. */
  static java.util.Optional<String> gitOpsManaged(PiStack stack) {
    Map<String, String> annotations = stack.getMetadata().getAnnotations();
    Map<String, String> labels = stack.getMetadata().getLabels();
    return GITOPS_MARKS.stream().filter(k -> (annotations != null && annotations.containsKey(k))
        || (labels != null && labels.containsKey(k))).findFirst();
  }

  static void status(PiStack stack, List<Pod> pods, PrintWriter out) {
    var h = stack.getSpec().hibernation;
    boolean wanted = h != null && Boolean.TRUE.equals(h.enabled);
    List<Condition> conditions = stack.getStatus() == null ? null : stack.getStatus().conditions;
    out.println("stack:        " + stack.getMetadata().getName());
    out.println("hibernation:  " + (wanted ? "on" : "off") + " (spec.hibernation.enabled: " + wanted + ")");
    out.println("Hibernated:   " + line(find(conditions, "Hibernated")));
    out.println("Ready:        " + line(find(conditions, "Ready")));
    out.println("pods:         " + pods.size() + (pods.isEmpty() ? "" : " ("
        + String.join(", ", pods.stream().map(p -> p.getMetadata().getName()).sorted().toList()) + ")"));
  }

  private static String line(Condition c) {
    if (c == null) {
      return "-";
    }
    return c.getStatus() + " " + c.getReason() + (c.getMessage() == null || c.getMessage().isEmpty() ? ""
        : ": " + c.getMessage());
  }

  private static Condition find(List<Condition> conditions, String type) {
    return conditions == null ? null
        : conditions.stream().filter(c -> type.equals(c.getType())).findFirst().orElse(null);
  }
}
