package io.pistack.operator.gitops;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.UncheckedIOException;

/**
 * The table "How kstatus reads a PiStack" of docs/gitops.md, row by row (the first row that matches
 * wins), to compare kstatus's real verdicts with what the docs promise. Change it with the table.
 */
public final class DocsKstatusTable {
  private static final ObjectMapper JSON = new ObjectMapper();

  private DocsKstatusTable() {}

  /** What docs/gitops.md says kstatus makes of this PiStack (JSON): Terminating, InProgress, Failed or Current. */
  public static String expected(String objectJson) {
    JsonNode o = tree(objectJson);
    JsonNode status = o.path("status");
    if (!o.path("metadata").path("deletionTimestamp").asText().isEmpty()) {
      return "Terminating";
    }
    if (status.has("observedGeneration")
        && status.get("observedGeneration").asLong() != o.path("metadata").path("generation").asLong()) {
      return "InProgress";
    }
    for (JsonNode c : status.path("conditions")) {
      if ("Reconciling".equals(c.path("type").asText()) && "True".equals(c.path("status").asText())) {
        return "InProgress";
      }
      if ("Stalled".equals(c.path("type").asText()) && "True".equals(c.path("status").asText())) {
        return "Failed";
      }
    }
    for (JsonNode c : status.path("conditions")) {
      if ("Ready".equals(c.path("type").asText())) {
        switch (c.path("status").asText()) {
          case "True":
            return "Current";
          case "False", "Unknown":
            return "InProgress";
          default:
            break;
        }
      }
    }
    return "Current";
  }

  static JsonNode tree(String json) {
    try {
      return JSON.readTree(json);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
