package io.pistack.operator.chart;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import com.marcnuri.helm.Helm;
import com.marcnuri.helm.LintResult;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.client.utils.Serialization;
import io.pistack.operator.it.Stacks;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

/**
 * The chart helm/pi-operator through a real Helm (helm-java embeds Helm's Go library): template
 * output parsed into typed fabric8 objects, and `helm lint --strict` with a given value set.
 */
public final class Chart {
  public static final String RELEASE = "pi-operator";
  public static final String NAMESPACE = "pi-system";
  /** Helm template pretends Kubernetes 1.20 unless told; the chart needs 1.30+ (its kubeVersion). */
  public static final String KUBE_VERSION = "v1.33.0";
  private static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory());

  private Chart() {}

  public static Path dir() {
    return Stacks.repoRoot().resolve("helm").resolve("pi-operator");
  }

  /** `helm template pi-operator helm/pi-operator -n pi-system -f <values>` as YAML text. */
  public static String template(Map<String, Object> values) {
    Path file = valuesFile(values);
    try {
      return new Helm(dir()).template().withName(RELEASE).withNamespace(NAMESPACE).withKubeVersion(KUBE_VERSION)
          .withValuesFile(file).call();
    } finally {
      delete(file);
    }
  }

  /** The rendered objects, typed (unknown kinds such as ServiceMonitor as GenericKubernetesResource). */
  public static Rendered render(Map<String, Object> values) {
    return new Rendered(parse(template(values)));
  }

  public static List<HasMetadata> parse(String yaml) {
    List<HasMetadata> out = new ArrayList<>();
    for (String doc : yaml.split("(?m)^---\\s*$")) {
      String body = doc.lines().filter(l -> !l.startsWith("#")).reduce("", (a, b) -> a + b + "\n");
      if (!body.isBlank()) {
        out.add(Serialization.unmarshal(doc, HasMetadata.class));
      }
    }
    return out;
  }

  /** `helm lint --strict` on a copy of the chart whose values.yaml has the overrides merged in. */
  public static LintResult lint(Map<String, Object> overrides) {
    Path copy = null;
    try {
      copy = Files.createTempDirectory("pi-operator-chart");
      Path target = copy.resolve("pi-operator");
      try (Stream<Path> files = Files.walk(dir())) {
        for (Path p : files.toList()) {
          Path to = target.resolve(dir().relativize(p).toString());
          if (Files.isDirectory(p)) {
            Files.createDirectories(to);
          } else {
            Files.copy(p, to);
          }
        }
      }
      @SuppressWarnings("unchecked")
      Map<String, Object> defaults = YAML.readValue(dir().resolve("values.yaml").toFile(), Map.class);
      YAML.writeValue(target.resolve("values.yaml").toFile(), merge(defaults, overrides));
      return new Helm(target).lint().strict().call();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    } finally {
      delete(copy);
    }
  }

  @SuppressWarnings("unchecked")
  static Map<String, Object> merge(Map<String, Object> base, Map<String, Object> over) {
    Map<String, Object> out = new LinkedHashMap<>(base);
    over.forEach((k, v) -> {
      if (v instanceof Map<?, ?> m && out.get(k) instanceof Map<?, ?> b) {
        out.put(k, merge((Map<String, Object>) b, (Map<String, Object>) m));
      } else {
        out.put(k, v);
      }
    });
    return out;
  }

  private static Path valuesFile(Map<String, Object> values) {
    try {
      Path f = Files.createTempFile("pi-operator-values", ".yaml");
      YAML.writeValue(f.toFile(), values);
      return f;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private static void delete(Path p) {
    if (p == null) {
      return;
    }
    try (Stream<Path> files = Files.walk(p)) {
      files.sorted(Comparator.reverseOrder()).forEach(f -> f.toFile().delete());
    } catch (IOException e) {
      // a temp file left behind is harmless
    }
  }

  /** Rendered objects with typed look-ups. */
  public record Rendered(List<HasMetadata> objects) {
    public <T extends HasMetadata> List<T> all(Class<T> type) {
      return objects.stream().filter(type::isInstance).map(type::cast).toList();
    }

    public <T extends HasMetadata> T one(Class<T> type) {
      List<T> found = all(type);
      if (found.size() != 1) {
        throw new AssertionError("expected one " + type.getSimpleName() + ", found " + found.size());
      }
      return found.get(0);
    }

    public List<HasMetadata> ofKind(String kind) {
      return objects.stream().filter(o -> kind.equals(o.getKind())).toList();
    }
  }
}
