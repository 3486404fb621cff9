package io.pistack.operator.realapi;

import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.apiextensions.v1.CustomResourceDefinition;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.pistack.operator.it.Stacks;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/**
 * The Gateway API CRDs, standard channel, from the Go module sigs.k8s.io/gateway-api (realapi/gateway-api.sh pins
 * the version and prints the directory): every CustomResourceDefinition of config/crd/standard, applied and
 * Established. The shared control plane has them (a current cluster does); no Gateway controller runs, so a test
 * writes a route's status as a controller would.
 */
final class GatewayApiCrds {
  private GatewayApiCrds() {}

  static Path directory() throws IOException, InterruptedException {
    Process p = new ProcessBuilder("bash", Stacks.repoRoot().resolve("realapi/gateway-api.sh").toString())
        .redirectError(ProcessBuilder.Redirect.INHERIT).start();
    String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8).strip();
    if (!p.waitFor(5, TimeUnit.MINUTES) || p.exitValue() != 0) {
      throw new IllegalStateException("realapi/gateway-api.sh failed: " + out);
    }
    return Path.of(out);
  }

  static void install(KubernetesClient client) throws IOException, InterruptedException {
    List<Path> files;
    try (Stream<Path> s = Files.list(directory())) {
      files = s.filter(f -> f.toString().endsWith(".yaml")).sorted().toList();
    }
    for (Path f : files) {
      for (HasMetadata o : client.load(new ByteArrayInputStream(Files.readAllBytes(f))).items()) {
        if (o instanceof CustomResourceDefinition crd) {
          client.resource(crd).serverSideApply();
          RealApiServer.awaitEstablished(client, crd.getMetadata().getName());
          RealApiServer.awaitDiscovered(client, crd);
        }
      }
    }
  }
}
