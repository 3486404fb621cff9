package io.pistack.operator.model;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/** The command a Job's container runs a script with: its text from the jar, read here independently. */
public final class ScriptCommands {
  private ScriptCommands() {}

  public static List<String> of(String file, String... args) {
    List<String> command = new ArrayList<>(List.of("bash", "-c", jarText(file), "/opt/pi-operator/" + file));
    command.addAll(List.of(args));
    return command;
  }

  public static String jarText(String file) {
    try (InputStream in = ScriptCommands.class.getResourceAsStream("/io/pistack/operator/backup/" + file)) {
      return new String(in.readAllBytes(), StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
