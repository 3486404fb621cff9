package io.pistack.operator.model;

import com.fasterxml.jackson.databind.JavaType;
import io.pistack.operator.api.v1alpha1.KubernetesShape;
import io.pistack.operator.model.SpecValidator.Problem;
import io.pistack.operator.model.SpecValidator.Stage;
import java.util.List;
import java.util.Map;

/**
 * The parts of the spec the CRD keeps schemaless (x-kubernetes-preserve-unknown-fields: the
 * security contexts and the affinities, for the CRD's size budget), checked against the Kubernetes type they are copied into: every field must
 * be one of that type's fields (the fields are the fabric8 model class's own, not a list kept
 * here) and of its JSON type, at every depth. What does not fit was kept aside when the PiStack was
 * read ({@link KubernetesShape}); each is an {@link Stage#OPERATOR} problem with its path.
 */
final class SchemalessCheck {
  private SchemalessCheck() {}

  /** Problems of a Kubernetes model object (e.g. a SecurityContext) given at {@code path}; none when null. */
  static void check(List<Problem> p, String path, Object model) {
    if (model == null || !KubernetesShape.isModel(model.getClass())) {
      return;
    }
    Map<String, JavaType> fields = KubernetesShape.fields(model.getClass());
    KubernetesShape.additionalProperties(model).forEach((name, value) -> {
      JavaType type = fields.get(name);
      if (type != null) {
        String wanted = KubernetesShape.expected(type).orElse("of its Kubernetes type");
        String got = KubernetesShape.kind(value);
        p.add(new Problem(path + "." + name, "must be " + wanted + (wanted.startsWith(got) ? "" : ", not " + got),
            Stage.OPERATOR));
      } else {
        p.add(new Problem(path + "." + name, "unknown field" + Suggestions.closest(name, fields.keySet())
            .map(s -> "; did you mean " + s + "?").orElse(""), Stage.OPERATOR));
      }
    });
    fields.forEach((name, type) -> {
      Object value = KubernetesShape.get(model, name);
      if (value instanceof List<?> list) {
        for (int i = 0; i < list.size(); i++) {
          check(p, path + "." + name + "[" + i + "]", list.get(i));
        }
      } else if (value != null) {
        check(p, path + "." + name, value);
      }
    });
  }
}
