package io.pistack.operator;

import static org.assertj.core.api.Assertions.assertThat;

import io.pistack.operator.it.Stacks;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * The main packages' dependencies point one way (docs/architecture.md): api → model → dependent → reconciler,
 * health and status feed the reconciler, runtime and cli wire it all, metrics is a leaf. Read from the sources
 * (imports and fully qualified names, so a constant the compiler inlines counts too).
 */
class PackageDependenciesTest {
  private static final String ROOT = "io.pistack.operator";
  private static final Pattern REFERENCE = Pattern.compile("\\bio\\.pistack\\.operator\\.([a-z][a-z0-9]*(?:\\.[a-z][a-z0-9]*)*)");

  /**
   * Known edges that close a cycle, left for the work that removes them (issue 24): each is named with why.
   * An edge listed here is ignored by the cycle check; it is not required to exist.
   */
  private static final Set<String> KNOWN_CYCLE_EDGES = Set.of();

  @Test
  void thereIsNoImportCycleAmongTheMainPackages() throws IOException {
    Map<String, Set<String>> graph = dependencies();
    KNOWN_CYCLE_EDGES.forEach(e -> {
      String[] ends = e.split(" -> ");
      graph.getOrDefault(ends[0], new TreeSet<>()).remove(ends[1]);
    });
    List<List<String>> cycles = cycles(graph);
    assertThat(cycles).as("package cycles (dependencies: %s)", graph).isEmpty();
  }

  /**
   * The layers, lowest first (docs/architecture.md, "One reconcile, stop by stop"): a package may reference only
   * packages of a lower layer, so no call climbs back up through an import. A new package must be placed here.
   */
  static final List<Set<String>> LAYERS = List.of(
      Set.of("api", "api.v1alpha1", "metrics", "access"),
      Set.of("model"),
      Set.of("desired"),
      Set.of("dependent"),
      Set.of("health"),
      Set.of("status"),
      Set.of("observe"),
      Set.of("reconciler", "pibackup"), // the two controllers: neither imports the other
      Set.of("runtime"),
      Set.of("cli"),
      Set.of("plugin"));

  @Test
  void everyReferencePointsDownTheLayers() throws IOException {
    Map<String, Set<String>> graph = dependencies();
    assertThat(graph.keySet()).as("every main package has a layer").allMatch(p -> layer(p) >= 0);
    assertThat(upward(graph)).as("references from a package to one of its own or a higher layer").isEmpty();
  }

  @Test
  void theLayerCheckSeesAClimb() {
    Map<String, Set<String>> g = new TreeMap<>();
    g.put("model", new TreeSet<>(Set.of("api.v1alpha1", "status")));
    g.put("status", new TreeSet<>(Set.of("model")));
    assertThat(upward(g)).containsExactly("model -> status");
  }

  private static List<String> upward(Map<String, Set<String>> graph) {
    List<String> up = new ArrayList<>();
    graph.forEach((from, tos) -> tos.stream().filter(to -> layer(to) >= layer(from))
        .forEach(to -> up.add(from + " -> " + to)));
    return up;
  }

  private static int layer(String pkg) {
    for (int i = 0; i < LAYERS.size(); i++) {
      if (LAYERS.get(i).contains(pkg)) {
        return i;
      }
    }
    return -1;
  }

  @Test
  void metricsIsALeaf() throws IOException {
    assertThat(dependencies().get("metrics")).isEmpty();
  }

  @Test
  void theCheckSeesACycle() {
    Map<String, Set<String>> g = new TreeMap<>();
    g.put("a", new TreeSet<>(Set.of("b")));
    g.put("b", new TreeSet<>(Set.of("c")));
    g.put("c", new TreeSet<>(Set.of("a")));
    g.put("d", new TreeSet<>(Set.of("a")));
    assertThat(cycles(g)).containsExactly(List.of("a", "b", "c"));
  }

  /** Package (below io.pistack.operator, e.g. "api.v1alpha1") → the project packages it references. */
  static Map<String, Set<String>> dependencies() throws IOException {
    Path main = Stacks.repoRoot().resolve("operator/src/main/java");
    Path base = main.resolve(ROOT.replace('.', '/'));
    Set<String> packages = new TreeSet<>();
    try (Stream<Path> dirs = Files.walk(base)) {
      dirs.filter(Files::isDirectory).filter(d -> !d.equals(base))
          .forEach(d -> packages.add(base.relativize(d).toString().replace('/', '.')));
    }
    Map<String, Set<String>> graph = new TreeMap<>();
    packages.forEach(p -> graph.put(p, new TreeSet<>()));
    try (Stream<Path> files = Files.walk(base)) {
      for (Path f : files.filter(p -> p.toString().endsWith(".java")).toList()) {
        String from = base.relativize(f.getParent()).toString().replace('/', '.');
        Matcher m = REFERENCE.matcher(Files.readString(f));
        while (m.find()) {
          String to = longestPackage(m.group(1), packages);
          if (to != null && !to.equals(from)) {
            graph.get(from).add(to);
          }
        }
      }
    }
    return graph;
  }

  private static String longestPackage(String name, Set<String> packages) {
    for (String n = name; !n.isEmpty(); n = n.contains(".") ? n.substring(0, n.lastIndexOf('.')) : "") {
      if (packages.contains(n)) {
        return n;
      }
    }
    return null;
  }

  /** The strongly connected components with more than one package (Tarjan), each sorted. */
  static List<List<String>> cycles(Map<String, Set<String>> graph) {
    List<List<String>> out = new ArrayList<>();
    new Object() {
      final Map<String, Integer> index = new TreeMap<>();
      final Map<String, Integer> low = new TreeMap<>();
      final List<String> stack = new ArrayList<>();
      int next;

      void run() {
        graph.keySet().forEach(v -> {
          if (!index.containsKey(v)) {
            visit(v);
          }
        });
      }

      void visit(String v) {
        index.put(v, next);
        low.put(v, next++);
        stack.add(v);
        for (String w : graph.getOrDefault(v, Set.of())) {
          if (!index.containsKey(w)) {
            visit(w);
            low.put(v, Math.min(low.get(v), low.get(w)));
          } else if (stack.contains(w)) {
            low.put(v, Math.min(low.get(v), index.get(w)));
          }
        }
        if (low.get(v).equals(index.get(v))) {
          List<String> scc = new ArrayList<>();
          String w;
          do {
            w = stack.remove(stack.size() - 1);
            scc.add(w);
          } while (!w.equals(v));
          if (scc.size() > 1) {
            scc.sort(null);
            out.add(scc);
          }
        }
      }
    }.run();
    return out;
  }
}
