package io.pistack.operator.model;

import com.fasterxml.jackson.databind.JsonNode;
import io.fabric8.kubernetes.client.utils.Serialization;
import io.pistack.operator.api.v1alpha1.Bounds;
import io.pistack.operator.api.v1alpha1.PiStackSpec;
import io.pistack.operator.model.SpecValidator.Problem;
import io.pistack.operator.model.SpecValidator.Stage;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;

/**
 * The {@link Bounds} on every string, list and map of the spec, where the CRD cannot afford them (its size and CEL
 * cost budgets: docs/api-versioning.md); the CRD declares them only where a CEL rule reads the value. A PiStack is a tenant's input that becomes pods: a 10,000-character name
 * or 3,000 sidecars is refused here, naming the field, before anything is applied, rather than copied into
 * children the API server (or etcd's object size limit) refuses half-way.
 */
final class SpecBounds {
  static final int MAX_ENTRIES = Bounds.MAX_ENTRIES;
  static final int MAX_STRING = Bounds.MAX_STRING;
  static final int MAX_NAME = Bounds.MAX_NAME;

  /** The fields that name a Kubernetes object: {@link #MAX_NAME} characters. */
  static final java.util.Set<String> NAMES = java.util.Set.of("serviceAccountName", "secretName",
      "configMapName", "storageClassName", "priorityClassName", "ingressClassName", "claimName");

  private SpecBounds() {}

  static List<Problem> validate(PiStackSpec s) {
    List<Problem> p = new ArrayList<>();
    walk(p, "spec", Serialization.jsonMapper().valueToTree(s));
    return p;
  }

  /** The most characters a string field of this name may have. */
  static int maxLength(String field) {
    return NAMES.contains(field) ? MAX_NAME : MAX_STRING;
  }

  private static void walk(List<Problem> p, String path, JsonNode node) {
    if (node.isTextual()) {
      int max = maxLength(path.substring(path.lastIndexOf('.') + 1));
      if (node.textValue().length() > max) {
        p.add(new Problem(path, "at most " + max + " characters (this has " + node.textValue().length() + ")",
            Stage.OPERATOR));
      }
    } else if (node.isArray() || node.isObject()) {
      boolean map = node.isObject();
      if (node.size() > MAX_ENTRIES && (node.isArray() || !path.equals("spec"))) {
        p.add(new Problem(path, "at most " + MAX_ENTRIES + (map ? " entries" : " items") + " (this has "
            + node.size() + ")", Stage.OPERATOR));
        return; // one problem for the whole list, not one per item
      }
      if (map) {
        for (Iterator<Map.Entry<String, JsonNode>> it = node.fields(); it.hasNext(); ) {
          Map.Entry<String, JsonNode> e = it.next();
          if (e.getKey().length() > MAX_STRING) {
            p.add(new Problem(path, "a key of at most " + MAX_STRING + " characters", Stage.OPERATOR));
          } else {
            walk(p, path + "." + e.getKey(), e.getValue());
          }
        }
      } else {
        for (int i = 0; i < node.size(); i++) {
          walk(p, path + "[" + i + "]", node.get(i));
        }
      }
    }
  }
}
