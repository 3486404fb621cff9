package io.pistack.operator.api.v1alpha1;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.databind.BeanDescription;
import com.fasterxml.jackson.databind.DeserializationContext;
import com.fasterxml.jackson.databind.JavaType;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.deser.std.StdDeserializer;
import com.fasterxml.jackson.databind.introspect.AnnotatedMember;
import com.fasterxml.jackson.databind.introspect.BeanPropertyDefinition;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.fabric8.kubernetes.api.model.PodSecurityContext;
import io.fabric8.kubernetes.api.model.SecurityContext;
import java.io.IOException;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The fields and types of a Kubernetes model class (a fabric8 class such as {@link SecurityContext}),
 * read from the class itself with Jackson's introspection, for the parts of the spec the CRD keeps
 * schemaless. Reading such a part never fails: a field of the wrong type is left out of the typed
 * object and kept, as written, among its additional properties (where an unknown field already
 * goes), so the operator refuses the stack with the field's path (SpecValidator) instead of failing
 * to read the PiStack at all (which stopped the operator's watch of every PiStack).
 */
public final class KubernetesShape {
  private static final ObjectMapper MAPPER = new ObjectMapper();
  private static final Map<Class<?>, Map<String, BeanPropertyDefinition>> PROPERTIES = new ConcurrentHashMap<>();

  private KubernetesShape() {}

  /** A Kubernetes model object: it keeps what it does not know in its additional properties. */
  public static boolean isModel(Class<?> c) {
    try {
      c.getMethod("getAdditionalProperties");
      c.getMethod("setAdditionalProperty", String.class, Object.class);
      return true;
    } catch (NoSuchMethodException e) {
      return false;
    }
  }

  /** The JSON fields of a model class and their Java types (additionalProperties left out). */
  public static Map<String, JavaType> fields(Class<?> c) {
    Map<String, JavaType> out = new LinkedHashMap<>();
    properties(c).forEach((name, p) -> out.put(name, p.getPrimaryType()));
    return out;
  }

  @SuppressWarnings("unchecked")
  public static Map<String, Object> additionalProperties(Object model) {
    try {
      Object m = model.getClass().getMethod("getAdditionalProperties").invoke(model);
      return m == null ? Map.of() : (Map<String, Object>) m;
    } catch (ReflectiveOperationException e) {
      return Map.of();
    }
  }

  /** The value of a field of a model object, or null. */
  public static Object get(Object model, String field) {
    BeanPropertyDefinition p = properties(model.getClass()).get(field);
    AnnotatedMember a = p == null ? null : p.getAccessor();
    if (a == null) {
      return null;
    }
    a.fixAccess(true);
    return a.getValue(model);
  }

  /**
   * What a field of this type takes, when {@code value} does not fit it ("an integer", "a list of
   * strings", ...); empty when it fits. Nested model objects are checked only as objects here: their
   * own fields are checked one by one.
   */
  public static Optional<String> misfit(JsonNode value, JavaType type) {
    if (value == null || value.isNull() || fits(value, type)) {
      return Optional.empty();
    }
    return expected(type);
  }

  /** What a field of this type takes, in words; empty for a type that takes anything. */
  public static Optional<String> expected(JavaType type) {
    Class<?> c = type.getRawClass();
    if (c == Boolean.class || c == boolean.class) {
      return Optional.of("true or false");
    } else if (c == Long.class || c == long.class || c == Integer.class || c == int.class) {
      return Optional.of("an integer");
    } else if (c == String.class) {
      return Optional.of("a string");
    } else if (type.isCollectionLikeType()) {
      return Optional.of("a list" + expected(type.getContentType()).map(e -> " of " + plural(e)).orElse(""));
    } else if (type.isMapLikeType()) {
      return Optional.of("an object" + expected(type.getContentType()).map(e -> " whose values are " + plural(e))
          .orElse(""));
    } else if (isModel(c)) {
      return Optional.of("an object");
    }
    return Optional.empty();
  }

  private static boolean fits(JsonNode value, JavaType type) {
    Class<?> c = type.getRawClass();
    if (c == Boolean.class || c == boolean.class) {
      return value.isBoolean();
    } else if (c == Long.class || c == long.class || c == Integer.class || c == int.class) {
      return value.isIntegralNumber() && value.canConvertToLong();
    } else if (c == String.class) {
      return value.isTextual();
    } else if (type.isCollectionLikeType() || type.isMapLikeType()) {
      if (type.isCollectionLikeType() ? !value.isArray() : !value.isObject()) {
        return false;
      }
      for (JsonNode element : value) {
        if (misfit(element, type.getContentType()).isPresent()) {
          return false;
        }
      }
      return true;
    } else if (isModel(c)) {
      return value.isObject();
    }
    return true;
  }

  private static String plural(String expected) {
    return switch (expected) {
      case "true or false" -> "true or false values";
      case "an integer" -> "integers";
      case "a string" -> "strings";
      case "an object" -> "objects";
      default -> expected.replaceFirst("^an? ", "") + "s";
    };
  }

  /** What a JSON value is, in the words of {@link #misfit}. */
  public static String kind(Object value) {
    if (value instanceof Boolean) {
      return "true or false";
    }
    if (value instanceof Number) {
      return "a number";
    }
    if (value instanceof String) {
      return "a string";
    }
    if (value instanceof List) {
      return "a list";
    }
    return value instanceof Map ? "an object" : "null";
  }

  /** A field of the wrong type: where (the path of its parent object, as fields and list indices) and what. */
  record Misfit(List<Object> parent, String field, JsonNode value) {}

  /**
   * Binds {@code tree} to {@code type}; fields whose value does not fit their type go, as written,
   * into the additional properties of the object that has them.
   */
  static <T> T bind(JsonNode tree, Class<T> type) throws IOException, ReflectiveOperationException {
    List<Misfit> misfits = new ArrayList<>();
    JsonNode clean = tree.deepCopy();
    strip(clean, type, new ArrayList<>(), misfits);
    T value = MAPPER.treeToValue(clean, type);
    for (Misfit m : misfits) {
      Object parent = value;
      for (Object step : m.parent()) {
        parent = parent == null ? null
            : step instanceof Integer i ? ((List<?>) parent).get(i) : get(parent, (String) step);
      }
      if (parent != null) {
        parent.getClass().getMethod("setAdditionalProperty", String.class, Object.class)
            .invoke(parent, m.field(), MAPPER.treeToValue(m.value(), Object.class));
      }
    }
    return value;
  }

  private static void strip(JsonNode node, Class<?> type, List<Object> path, List<Misfit> misfits) {
    if (!(node instanceof ObjectNode object)) {
      return;
    }
    Map<String, JavaType> fields = fields(type);
    Iterator<Map.Entry<String, JsonNode>> it = object.fields();
    while (it.hasNext()) {
      Map.Entry<String, JsonNode> e = it.next();
      JavaType t = fields.get(e.getKey());
      if (t == null) {
        continue; // unknown: the object's additional properties take it
      }
      if (misfit(e.getValue(), t).isPresent()) {
        misfits.add(new Misfit(List.copyOf(path), e.getKey(), e.getValue()));
        it.remove();
      } else if (isModel(t.getRawClass())) {
        List<Object> next = new ArrayList<>(path);
        next.add(e.getKey());
        strip(e.getValue(), t.getRawClass(), next, misfits);
      } else if (t.isCollectionLikeType() && isModel(t.getContentType().getRawClass())
          && e.getValue() instanceof ArrayNode list) {
        for (int i = 0; i < list.size(); i++) {
          List<Object> next = new ArrayList<>(path);
          next.add(e.getKey());
          next.add(i);
          strip(list.get(i), t.getContentType().getRawClass(), next, misfits);
        }
      }
    }
  }

  private static Map<String, BeanPropertyDefinition> properties(Class<?> c) {
    return PROPERTIES.computeIfAbsent(c, k -> {
      BeanDescription d = MAPPER.getDeserializationConfig().introspect(MAPPER.constructType(k));
      Map<String, BeanPropertyDefinition> m = new LinkedHashMap<>();
      for (BeanPropertyDefinition p : d.findProperties()) {
        if (!"additionalProperties".equals(p.getName())) {
          m.put(p.getName(), p);
        }
      }
      return m;
    });
  }

  /** Reads a part of the spec typed as {@code T} without ever failing on a field of the wrong type. */
  abstract static class Lenient<T> extends StdDeserializer<T> {
    private final Class<T> type;

    Lenient(Class<T> type) {
      super(type);
      this.type = type;
    }

    @Override
    public T deserialize(JsonParser p, DeserializationContext ctxt) throws IOException {
      JsonNode tree = ctxt.readTree(p);
      if (!tree.isObject()) {
        return ctxt.reportInputMismatch(type, "%s must be an object", type.getSimpleName());
      }
      try {
        return bind(tree, type);
      } catch (ReflectiveOperationException e) {
        throw new IOException("cannot read " + type.getSimpleName(), e);
      }
    }
  }

  /** A pod security context that reads whatever is written (see {@link KubernetesShape}). */
  public static final class LenientPodSecurityContext extends Lenient<PodSecurityContext> {
    public LenientPodSecurityContext() {
      super(PodSecurityContext.class);
    }
  }

  /** An affinity that reads whatever is written (see {@link KubernetesShape}). */
  public static final class LenientAffinity extends Lenient<io.fabric8.kubernetes.api.model.Affinity> {
    public LenientAffinity() {
      super(io.fabric8.kubernetes.api.model.Affinity.class);
    }
  }

  /** A container security context that reads whatever is written (see {@link KubernetesShape}). */
  public static final class LenientSecurityContext extends Lenient<SecurityContext> {
    public LenientSecurityContext() {
      super(SecurityContext.class);
    }
  }
}
