package io.pistack.operator.release;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import io.pistack.operator.it.Stacks;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The version numbers a release must keep in step, read from the files that carry them: the parent pom's project
 * version (X.Y.Z-SNAPSHOT between releases, X.Y.Z in a release commit), the chart's version and appVersion.
 */
public record Versions(String pom, String chart, String appVersion) {
  /** X.Y.Z with an optional pre-release (-rc.1), as SemVer and Helm accept it. */
  public static final Pattern SEMVER = Pattern.compile("(0|[1-9]\\d*)\\.(0|[1-9]\\d*)\\.(0|[1-9]\\d*)(-[0-9A-Za-z.-]+)?");
  private static final Pattern PROJECT_VERSION = Pattern.compile("(?m)^  <version>([^<]+)</version>");

  public static Versions read(Path repoRoot) {
    try {
      Matcher m = PROJECT_VERSION.matcher(Files.readString(repoRoot.resolve("pom.xml")));
      if (!m.find()) {
        throw new IllegalStateException("pom.xml: no project <version>");
      }
      JsonNode chart = new ObjectMapper(new YAMLFactory())
          .readTree(repoRoot.resolve("helm/pi-operator/Chart.yaml").toFile());
      return new Versions(m.group(1), chart.path("version").asText(), chart.path("appVersion").asText());
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  public static Versions ofRepo() {
    return read(Stacks.repoRoot());
  }

  /** The release this tree builds or prepares: the pom version without -SNAPSHOT. */
  public String release() {
    return pom.endsWith("-SNAPSHOT") ? pom.substring(0, pom.length() - "-SNAPSHOT".length()) : pom;
  }
}
