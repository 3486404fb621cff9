package io.pistack.operator.plugin;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.zip.ZipEntry;
import java.util.zip.ZipInputStream;

/** Reads a report bundle and finds any of some secret values in it, as written or base64-encoded. */
public final class BundleScan {
  private BundleScan() {}

  /** Every entry of the zip, name to text. */
  public static Map<String, String> entries(Path zip) throws IOException {
    Map<String, String> all = new LinkedHashMap<>();
    try (InputStream in = Files.newInputStream(zip); ZipInputStream z = new ZipInputStream(in)) {
      for (ZipEntry e = z.getNextEntry(); e != null; e = z.getNextEntry()) {
        all.put(e.getName(), new String(z.readAllBytes(), StandardCharsets.UTF_8));
      }
    }
    return all;
  }

  /** "entry: what (plain|base64)" for each secret (by its label) found in any entry. */
  public static List<String> find(Map<String, String> entries, Map<String, String> secrets) {
    List<String> found = new ArrayList<>();
    entries.forEach((name, text) -> secrets.forEach((label, value) -> {
      if (text.contains(value)) {
        found.add(name + ": " + label + " (plain)");
      }
      if (text.contains(Base64.getEncoder().encodeToString(value.getBytes(StandardCharsets.UTF_8)))) {
        found.add(name + ": " + label + " (base64)");
      }
    }));
    return found;
  }
}
