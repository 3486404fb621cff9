package io.pistack.operator.cli;

import com.fasterxml.jackson.core.JsonProcessingException;

/** Error messages for people: no Java class names, no stack traces. */
public final class Messages {
  private Messages() {}

  public static String plain(Throwable e) {
    String m;
    if (e instanceof JsonProcessingException j) {
      m = j.getOriginalMessage() + (j.getLocation() == null ? ""
          : " (line " + j.getLocation().getLineNr() + ", column " + j.getLocation().getColumnNr() + ")");
    } else if (e instanceof java.nio.file.NoSuchFileException) {
      m = "no such file";
    } else {
      m = e.getMessage();
    }
    if (m == null || m.isBlank()) {
      m = "unexpected input";
    }
    // Drop quoted Java types ("`io.pistack...PiStack`", "java.lang.Integer") Jackson likes to name.
    return m.replaceAll("`?\\b(java|javax|com|io|org)\\.[A-Za-z0-9_.$]+`?", "a value")
        .replaceAll("\\s+", " ").trim();
  }
}
