package io.pistack.operator.api.v1alpha1;

import com.fasterxml.jackson.annotation.JsonIgnore;
import com.fasterxml.jackson.annotation.JsonValue;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationContext;
import com.fasterxml.jackson.databind.JsonMappingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.deser.std.StdDeserializer;
import com.fasterxml.jackson.core.exc.InputCoercionException;
import com.fasterxml.jackson.databind.exc.MismatchedInputException;
import io.fabric8.kubernetes.api.model.Quantity;
import java.io.IOException;
import java.util.Arrays;

/**
 * A spec the typed model cannot read (a number out of range, a quantity that does not parse, a
 * value of the wrong type that the CRD let through): it names the field and why, and carries
 * nothing else, so that stack alone is refused (Ready=False, InvalidSpec) and nothing is applied for it.
 *
 * <p>Why here: the PiStack informer reads every stack with one deserializer. One stack it cannot
 * read used to fail the whole watch and the initial LIST, stopping the informer and the process
 * (a crash loop, no stack reconciled). The JOSDK maintainers leave this to the operator (their ADR
 * 002, issues #882 and #1170), and a LIST cannot skip one item, so the spec is read leniently here:
 * as a tree, then converted per stack ({@link Reader}, PiStack's spec property).
 */
public final class UnreadableSpec extends PiStackSpec {
  @JsonIgnore
  private final String path;
  @JsonIgnore
  private final String reason;
  @JsonIgnore
  private final JsonNode raw;

  UnreadableSpec(String path, String reason, JsonNode raw) {
    this.path = path;
    this.reason = reason;
    this.raw = raw;
  }

  /**
   * Written back as it was read: a copy of the stack (JOSDK clones through JSON) reads as unreadable again,
   * with the same field named, instead of as an empty spec.
   */
  @JsonValue
  public JsonNode raw() {
    return raw;
  }

  /** The field that could not be read, e.g. {@code spec.renderer.replicas}. */
  public String path() {
    return path;
  }

  public String message() {
    return "the operator cannot read this value: it expects " + reason;
  }

  /** The field path and a short reason from a failed conversion (the value itself is spec data, never a Secret). */
  static UnreadableSpec of(Exception e, JsonNode raw) {
    StringBuilder at = new StringBuilder("spec");
    if (e instanceof JsonMappingException m) {
      for (JsonMappingException.Reference r : m.getPath()) {
        if (r.getFieldName() != null) {
          at.append('.').append(r.getFieldName());
        } else if (r.getIndex() >= 0) {
          at.append('[').append(r.getIndex()).append(']');
        }
      }
    }
    return new UnreadableSpec(at.toString(), expected(e), raw);
  }

  /** What the field takes, in the user's words (no Java type names, no parser positions). */
  static String expected(Exception e) {
    Class<?> type = null;
    for (Throwable t = e; t != null && type == null; t = t.getCause() == t ? null : t.getCause()) {
      if (t instanceof MismatchedInputException m) {
        type = m.getTargetType();
      } else if (t instanceof InputCoercionException c) {
        type = c.getTargetType();
      } else if (t instanceof IllegalArgumentException && String.valueOf(t.getMessage()).contains("quantity")) {
        type = Quantity.class;
      }
    }
    if (type == null) {
      return "a value of another type";
    }
    if (type == Integer.class || type == int.class) {
      return "an integer from -2147483648 to 2147483647";
    }
    if (type == Long.class || type == long.class) {
      return "an integer";
    }
    if (type == Boolean.class || type == boolean.class) {
      return "true or false";
    }
    if (type == Quantity.class) {
      return "a Kubernetes quantity such as 500m, 2 or 4Gi";
    }
    if (type.isEnum()) {
      return "one of " + Arrays.toString(type.getEnumConstants());
    }
    if (type == String.class) {
      return "a string";
    }
    return "a value of another type";
  }

  /** PiStack's spec deserializer: the typed spec, or an UnreadableSpec naming what failed. */
  public static final class Reader extends StdDeserializer<PiStackSpec> {
    public Reader() {
      super(PiStackSpec.class);
    }

    @Override
    public PiStackSpec deserialize(JsonParser p, DeserializationContext ctxt) throws IOException {
      JsonNode tree = ctxt.readTree(p);
      try {
        return ctxt.readTreeAsValue(tree, PiStackSpec.class);
      } catch (JsonProcessingException | RuntimeException e) {
        return of(e, tree);
      }
    }
  }
}
