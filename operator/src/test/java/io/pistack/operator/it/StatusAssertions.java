package io.pistack.operator.it;

import io.fabric8.kubernetes.api.model.Condition;
import io.fabric8.kubernetes.api.model.Event;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.pistack.operator.api.v1alpha1.PiStack;
import io.pistack.operator.status.Conditions;
import java.util.List;

/** Reads a PiStack's conditions and Events the way kubectl describe shows them. */
public final class StatusAssertions {
  private final KubernetesClient client;
  private final String ns;
  private final String name;

  public StatusAssertions(KubernetesClient client, String ns, String name) {
    this.client = client;
    this.ns = ns;
    this.name = name;
  }

  public PiStack stack() {
    return client.resources(PiStack.class).inNamespace(ns).withName(name).get();
  }

  public Condition condition(String type) {
    PiStack s = stack();
    return s == null || s.getStatus() == null ? null : Conditions.find(s.getStatus().conditions, type);
  }

  /** "status/reason" of the condition, e.g. "False/CrashLoopBackOff"; "none" when absent. */
  public String state(String type) {
    Condition c = condition(type);
    return c == null ? "none" : c.getStatus() + "/" + c.getReason();
  }

  public String message(String type) {
    Condition c = condition(type);
    return c == null ? "" : c.getMessage();
  }

  /** "Type Reason: message" of every Event on the stack, oldest first. */
  public List<String> events() {
    return client.v1().events().inNamespace(ns).list().getItems().stream()
        .filter(e -> name.equals(e.getInvolvedObject().getName()))
        .sorted(java.util.Comparator.comparing(Event::getLastTimestamp).thenComparing(e -> e.getMetadata().getName()))
        .map(e -> e.getType() + " " + e.getReason() + ": " + e.getMessage())
        .toList();
  }
}
