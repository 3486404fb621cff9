package io.pistack.operator.model;

import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.OwnerReference;
import io.pistack.operator.api.v1alpha1.PiStack;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * The one place that decides whether an object is the operator's own, for one stack. The operator acts only on
 * objects it created: a name held by anything else is reported (NameTaken), never adopted, patched or mounted.
 *
 * <ul>
 *   <li>{@link #createdFor}: the operator's labels for this stack ({@code managed-by=pi-operator},
 *       {@code instance=<stack>}), and no owner reference to another PiStack. Data (the generated Secrets) carries
 *       an owner reference only with storage.deleteWithStack, and a PiStack re-created with the same name takes over
 *       its predecessor's data on purpose: for data the labels are the marker.
 *   <li>{@link #ownedBy}: an owner reference to the object with that uid. Jobs, their pods and everything read from
 *       them are matched this way (the operator's Jobs are owned by the PiStack, a scheduled run by the stack's
 *       CronJob, a pod by its Job), never by a label anyone can copy.
 * </ul>
 */
public final class Ownership {
  private Ownership() {}

  /** Labelled by the operator for this stack, and owned by no other PiStack. */
  public static boolean createdFor(HasMetadata object, PiStack stack) {
    Map<String, String> labels = object.getMetadata().getLabels();
    if (labels == null || !Labels.OPERATOR.equals(labels.get(Labels.MANAGED_BY))
        || !Objects.equals(stack.getMetadata().getName(), labels.get(Labels.INSTANCE))) {
      return false;
    }
    return refs(object).stream().filter(Ownership::isPiStack)
        .allMatch(r -> Objects.equals(r.getName(), stack.getMetadata().getName()));
  }

  /** An owner reference to the object with {@code uid} (controller or not). */
  public static boolean ownedBy(HasMetadata object, String uid) {
    return uid != null && refs(object).stream().anyMatch(r -> uid.equals(r.getUid()));
  }

  /** An owner reference to {@code owner} itself (by uid). */
  public static boolean ownedBy(HasMetadata object, HasMetadata owner) {
    return owner != null && ownedBy(object, owner.getMetadata().getUid());
  }

  static boolean isPiStack(OwnerReference r) {
    return PiStack.class.getSimpleName().equals(r.getKind())
        && r.getApiVersion() != null && r.getApiVersion().startsWith(PiStack.GROUP + "/");
  }

  private static List<OwnerReference> refs(HasMetadata object) {
    List<OwnerReference> refs = object.getMetadata().getOwnerReferences();
    return refs == null ? List.of() : refs;
  }
}
