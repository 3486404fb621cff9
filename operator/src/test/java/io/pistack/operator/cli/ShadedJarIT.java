package io.pistack.operator.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.pistack.operator.it.Stacks;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.jar.JarEntry;
import java.util.jar.JarFile;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * What `mvn package` ships, read back from target/: the shaded jar holds one version of each
 * library family (the enforcer's dependencyConvergence guards the build; this guards the artifact),
 * and the CycloneDX SBOM lists every library in it at the version it holds.
 */
class ShadedJarIT {
  static final Path TARGET = Stacks.repoRoot().resolve("operator/target");
  /** groupId:artifactId -> version, from each bundled library's META-INF/maven/.../pom.properties. */
  static Map<String, String> bundled;
  static final String JACKSON_ANNOTATIONS = "com.fasterxml.jackson.core:jackson-annotations";
  /**
   * Libraries another library carries inside its own jar (relocated), so that the SBOM, made from
   * the dependency graph, lists the carrier only: library -> carrier.
   */
  static final Map<String, String> EMBEDDED = Map.of("org.jctools:jctools-core", "io.netty:netty-common");

  @BeforeAll
  static void read() throws IOException {
    bundled = new TreeMap<>();
    try (JarFile jar = new JarFile(TARGET.resolve("pi-operator.jar").toFile())) {
      for (JarEntry e : jar.stream().filter(e -> e.getName().startsWith("META-INF/maven/")
          && e.getName().endsWith("/pom.properties")).toList()) {
        Properties p = new Properties();
        try (InputStream in = jar.getInputStream(e)) {
          p.load(in);
        }
        bundled.put(p.getProperty("groupId") + ":" + p.getProperty("artifactId"), p.getProperty("version"));
      }
    }
    assertThat(bundled).containsKeys("com.fasterxml.jackson.core:jackson-databind", "io.fabric8:kubernetes-client",
        "io.javaoperatorsdk:operator-framework-core", "io.netty:netty-common", "io.vertx:vertx-core");
  }

  @Test
  void everyLibraryFamilyIsBundledAtOneVersion() {
    Map<String, Set<String>> versions = new TreeMap<>();
    Map<String, Set<String>> annotations = new TreeMap<>();
    bundled.forEach((ga, version) -> (ga.equals(JACKSON_ANNOTATIONS) ? annotations : versions)
        .computeIfAbsent(family(ga), k -> new TreeSet<>()).add(version));
    Map<String, Set<String>> skewed = new TreeMap<>();
    versions.forEach((family, vs) -> {
      // jackson-annotations is versioned major.minor only: 2.21 goes with 2.21.8.
      boolean annotationsMatch = annotations.getOrDefault(family, Set.of()).stream()
          .allMatch(a -> vs.stream().allMatch(v -> v.startsWith(a + ".")));
      if (vs.size() > 1 || !annotationsMatch) {
        skewed.put(family, vs);
      }
    });
    assertThat(skewed).as("library families bundled at more than one version").isEmpty();
    assertThat(versions.get("com.fasterxml.jackson")).as("Jackson").containsExactly("2.21.8");
  }

  @Test
  void theSbomListsEveryBundledLibraryAtItsVersion() throws IOException {
    Assumptions.assumeFalse("offline=true".equals(System.getProperty("pi.build.offline")),
        "CycloneDX makes no SBOM in offline mode (-o)");
    JsonNode sbom = new ObjectMapper().readTree(TARGET.resolve("pi-operator-sbom.json").toFile());
    assertThat(sbom.path("bomFormat").asText()).isEqualTo("CycloneDX");
    Map<String, String> listed = new TreeMap<>();
    sbom.path("components").forEach(c -> listed.put(c.path("group").asText() + ":" + c.path("name").asText(),
        c.path("version").asText()));
    List<String> missing = new ArrayList<>();
    bundled.forEach((ga, version) -> {
      if (EMBEDDED.containsKey(ga)) {
        assertThat(listed).as("the carrier of " + ga).containsKey(EMBEDDED.get(ga));
      } else if (!ga.startsWith("io.pistack:") && !version.equals(listed.get(ga))) {
        missing.add(ga + ":" + version + " (SBOM: " + listed.get(ga) + ")");
      }
    });
    assertThat(missing).as("bundled but not in the SBOM at that version").isEmpty();
    assertThat(listed).as("no test library in the SBOM").doesNotContainKeys(
        "org.junit.jupiter:junit-jupiter-api", "io.fabric8:kubernetes-server-mock");
  }

  /** The Jackson groups are one family (core, dataformat, datatype, module); others by groupId. */
  private static String family(String groupArtifact) {
    String group = groupArtifact.substring(0, groupArtifact.indexOf(':'));
    return group.startsWith("com.fasterxml.jackson") ? "com.fasterxml.jackson" : group;
  }
}
