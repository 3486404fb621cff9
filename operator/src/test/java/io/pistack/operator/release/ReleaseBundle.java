package io.pistack.operator.release;

import com.marcnuri.helm.Helm;
import io.pistack.operator.it.Stacks;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * The chart's part of a release (release/release.sh): the packaged chart and the single-file install manifest, made
 * with the Helm that the chart tests use (helm-java embeds Helm's Go library, so no helm CLI is needed).
 *
 * <p>Usage: {@code ReleaseBundle <version> <output dir>}; the version must be the chart's.
 */
public final class ReleaseBundle {
  public static final String NAMESPACE = "pi-system";
  public static final String RELEASE = "pi-operator";
  /** Helm template pretends Kubernetes 1.20 unless told; the Kubernetes version the project tests on. */
  public static final String KUBE_VERSION = "v1.33.0";

  private ReleaseBundle() {}

  public static void main(String[] args) throws IOException {
    if (args.length != 2) {
      throw new IllegalArgumentException("usage: ReleaseBundle <version> <output dir>");
    }
    String version = args[0];
    Path out = Path.of(args[1]);
    Versions v = Versions.ofRepo();
    if (!version.equals(v.chart()) || !version.equals(v.appVersion())) {
      throw new IllegalStateException("Chart.yaml has version " + v.chart() + " and appVersion " + v.appVersion()
          + "; the release is " + version);
    }
    Files.createDirectories(out);
    Path chart = Stacks.repoRoot().resolve("helm").resolve(RELEASE);
    new Helm(chart).packageIt().withDestination(out).call();
    Files.writeString(out.resolve(RELEASE + "-" + version + "-install.yaml"), installManifest(chart));
  }

  /**
   * The chart rendered with its defaults into pi-system, preceded by that Namespace: what {@code kubectl apply
   * --server-side -f} needs to run the operator for every namespace (the chart's CRDs, which helm template leaves out,
   * the Namespace, RBAC, Deployment, Service).
   */
  public static String installManifest(Path chart) throws IOException {
    StringBuilder crds = new StringBuilder();
    try (var files = Files.list(chart.resolve("crds"))) {
      for (Path crd : files.filter(f -> f.toString().endsWith(".yml") || f.toString().endsWith(".yaml")).sorted()
          .toList()) {
        String text = Files.readString(crd);
        crds.append(text.startsWith("---") ? "" : "---\n").append(text).append(text.endsWith("\n") ? "" : "\n");
      }
    }
    String rendered = new Helm(chart).template().withName(RELEASE).withNamespace(NAMESPACE)
        .withKubeVersion(KUBE_VERSION).call();
    return "# pi-operator install manifest: the chart rendered with its default values into the namespace "
        + NAMESPACE + ".\n"
        + "# kubectl apply --server-side -f <this file>; for other settings install the chart instead.\n"
        + crds
        + "---\napiVersion: v1\nkind: Namespace\nmetadata:\n  name: " + NAMESPACE + "\n"
        + "  labels:\n    app.kubernetes.io/name: pi-operator\n"
        + (rendered.startsWith("---") ? "" : "---\n") + rendered;
  }
}
