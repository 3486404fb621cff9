package io.pistack.operator.realapi;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.PersistentVolumeClaim;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.utils.Serialization;
import io.pistack.operator.api.v1alpha1.PiStack;
import io.pistack.operator.model.StorageSettings;
import io.pistack.operator.reconciler.PiStackReconciler;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * A desired object applied with the operator's field manager as a server-side dry run (`dryRun=All`), compared with
 * the live object: an empty difference means the operator's next apply of it would change nothing.
 */
final class DryRunApply {
  private DryRunApply() {}

  /** Where the dry-run answer differs from the live object (JSON paths with both values); empty when it does not. */
  static List<String> changes(KubernetesClient admin, HasMetadata desired, PiStack primary, HasMetadata live) {
    asJosdkApplies(desired, primary, live);
    HasMetadata answer = admin.resource(desired).dryRun().fieldManager(PiStackReconciler.NAME)
        .forceConflicts().serverSideApply();
    List<String> changed = new ArrayList<>();
    diff(comparable(live), comparable(answer), "", changed);
    return changed;
  }

  /**
   * The metadata JOSDK adds to a desired object when it applies it: an owner reference to the
   * PiStack (garbage-collected kinds; a data claim only with storage.deleteWithStack), and its own
   * bookkeeping annotations (the primary's name on claims, the event-filtering marker), taken from
   * the live object.
   */
  static void asJosdkApplies(HasMetadata desired, PiStack primary, HasMetadata live) {
    boolean data = desired instanceof PersistentVolumeClaim;
    if (!data || StorageSettings.deleteDataWithStack(primary.getSpec())) {
      desired.addOwnerReference(primary);
    }
    Map<String, String> liveAnnotations = live.getMetadata().getAnnotations();
    if (liveAnnotations != null) {
      liveAnnotations.forEach((k, v) -> {
        if (k.startsWith("javaoperatorsdk.io/") || k.startsWith("io.javaoperatorsdk/")) {
          if (desired.getMetadata().getAnnotations() == null) {
            desired.getMetadata().setAnnotations(new LinkedHashMap<>());
          }
          desired.getMetadata().getAnnotations().put(k, v);
        }
      });
    }
  }

  /**
   * The object without what every write changes by itself: resourceVersion, managedFields' times;
   * and without its status, which an apply of the object never changes (the controllers and kwok
   * may, at any moment). A ConfigMap's managedFields are left out too: JOSDK writes ConfigMaps (and Secrets) with an
   * update, not an apply (its default non-SSA kinds), so an apply always adds an entry of its own;
   * the content is still compared.
   */
  static JsonNode comparable(HasMetadata o) {
    ObjectNode n = (ObjectNode) Serialization.jsonMapper().valueToTree(o);
    n.remove("status");
    ObjectNode md = (ObjectNode) n.path("metadata");
    md.remove("resourceVersion");
    if (o instanceof io.fabric8.kubernetes.api.model.ConfigMap) {
      md.remove("managedFields");
    }
    for (JsonNode m : md.path("managedFields")) {
      ((ObjectNode) m).remove("time");
    }
    return n;
  }

  /** The JSON paths where {@code a} and {@code b} differ, with both values (shortened). */
  static void diff(JsonNode a, JsonNode b, String path, List<String> out) {
    if (a.equals(b)) {
      return;
    }
    if (a.isObject() && b.isObject()) {
      Set<String> keys = new java.util.TreeSet<>();
      a.fieldNames().forEachRemaining(keys::add);
      b.fieldNames().forEachRemaining(keys::add);
      keys.forEach(k -> diff(a.path(k), b.path(k), path + "/" + k, out));
    } else if (a.isArray() && b.isArray() && a.size() == b.size()) {
      for (int i = 0; i < a.size(); i++) {
        diff(a.get(i), b.get(i), path + "[" + i + "]", out);
      }
    } else {
      out.add(path + ": " + shorten(a) + " -> " + shorten(b));
    }
  }

  private static String shorten(JsonNode n) {
    String s = n.isMissingNode() ? "(absent)" : n.toString();
    return s.length() > 200 ? s.substring(0, 200) + "..." : s;
  }
}
