package io.pistack.operator.it;

import io.fabric8.kubernetes.api.model.SecretBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.utils.Serialization;
import io.pistack.operator.api.v1alpha1.PiStack;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;

/** Test PiStacks: the repository's samples, loaded as a user would apply them. */
public final class Stacks {
  private Stacks() {}

  public static PiStack sample(String name, String namespace) {
    Path p = repoRoot().resolve("samples").resolve(name);
    try {
      PiStack stack = Serialization.unmarshal(Files.readString(p), PiStack.class);
      stack.getMetadata().setNamespace(namespace);
      return stack;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  public static void licenceSecret(KubernetesClient client, String namespace) {
    client.secrets().inNamespace(namespace).resource(new SecretBuilder().withNewMetadata()
        .withName("pi-licence").withNamespace(namespace).endMetadata()
        .addToStringData("licence", "test-licence-single-line").build()).create();
  }

  /** A user's edit of the spec, retried on 409 (the operator writes the status concurrently). */
  public static void edit(KubernetesClient client, String ns, String name, java.util.function.Consumer<PiStack> change) {
    for (int attempt = 0; ; attempt++) {
      PiStack s = client.resources(PiStack.class).inNamespace(ns).withName(name).get();
      change.accept(s);
      try {
        client.resource(s).update();
        return;
      } catch (io.fabric8.kubernetes.client.KubernetesClientException e) {
        if (e.getCode() != 409 || attempt > 20) {
          throw e;
        }
      }
    }
  }

  /** Every samples/*.yaml that is a PiStack (samples/pibackup.yaml is a PiBackup), for parameterized tests. */
  public static java.util.stream.Stream<Path> samples() throws IOException {
    try (var files = Files.list(repoRoot().resolve("samples"))) {
      return files.filter(f -> f.toString().endsWith(".yaml")).filter(Stacks::isPiStack).sorted().toList().stream();
    }
  }

  private static boolean isPiStack(Path sample) {
    try {
      return Files.readString(sample).lines().anyMatch(l -> l.strip().equals("kind: PiStack"));
    } catch (IOException e) {
      throw new java.io.UncheckedIOException(e);
    }
  }

  public static Path repoRoot() {
    Path p = Path.of(System.getProperty("user.dir")).toAbsolutePath();
    while (p != null && !Files.isDirectory(p.resolve("samples"))) {
      p = p.getParent();
    }
    if (p == null) {
      throw new IllegalStateException("cannot find the repository root (a folder with samples/)");
    }
    return p;
  }
}
