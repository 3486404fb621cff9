package io.pistack.operator.api.v1alpha1;

import com.fasterxml.jackson.annotation.JsonIgnore;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationContext;
import com.fasterxml.jackson.databind.JsonMappingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.deser.std.StdDeserializer;
import java.io.IOException;

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
  static final int REASON_LENGTH = 200;

  @JsonIgnore
  private final String path;
  @JsonIgnore
  private final String reason;

  UnreadableSpec(String path, String reason) {
    this.path = path;
    this.reason = reason;
  }

  /** The field that could not be read, e.g. {@code spec.renderer.replicas}. */
  public String path() {
    return path;
  }

  public String message() {
    return "the operator cannot read this value (" + reason + "): correct or remove it";
  }

  /** The field path and a short reason from a failed conversion (the value itself is spec data, never a Secret). */
  static UnreadableSpec of(Exception e) {
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
    Throwable root = e;
    while (root.getCause() != null && root.getCause() != root) {
      root = root.getCause();
    }
    String text = root instanceof JsonProcessingException j ? j.getOriginalMessage() : root.getMessage();
    text = text == null ? root.getClass().getSimpleName() : text.replaceAll("\\s+", " ").strip();
    if (text.length() > REASON_LENGTH) {
      text = text.substring(0, REASON_LENGTH) + "...";
    }
    return new UnreadableSpec(at.toString(), text);
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
        return of(e);
      }
    }
  }
}
