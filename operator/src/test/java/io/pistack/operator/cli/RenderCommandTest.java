package io.pistack.operator.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.client.utils.Serialization;
import io.pistack.operator.it.Stacks;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import picocli.CommandLine;

class RenderCommandTest {
  record Result(int code, String out, String err) {}

  @ParameterizedTest
  @MethodSource("io.pistack.operator.it.Stacks#samples")
  void everySampleRendersToValidObjects(Path sample) {
    Result r = render("-f", sample.toString());
    assertThat(r.code()).as(r.err()).isZero();
    List<HasMetadata> objects = parse(r.out());
    assertThat(objects).isNotEmpty();
    assertThat(objects).allSatisfy(o -> {
      assertThat(o.getMetadata().getName()).startsWith("pi");
      assertThat(o.getMetadata().getNamespace()).isNotBlank();
    });
    assertThat(objects).extracting(HasMetadata::getKind).contains("Deployment", "Service", "PersistentVolumeClaim");
  }

  @Test
  void productionSampleHasIngressAutoscalersAndABudget() throws IOException {
    Result r = render("-f", Stacks.repoRoot().resolve("samples/production.yaml").toString());
    List<HasMetadata> objects = parse(r.out());
    assertThat(objects).extracting(HasMetadata::getKind)
        .contains("Ingress", "HorizontalPodAutoscaler", "PodDisruptionBudget", "StatefulSet");
    assertThat(objects).filteredOn(o -> o.getKind().equals("HorizontalPodAutoscaler")).hasSize(2);
    assertThat(objects).filteredOn(o -> o.getKind().equals("Secret")).singleElement().satisfies(o ->
        assertThat(((io.fabric8.kubernetes.api.model.Secret) o).getStringData())
            .containsEntry("password", "<generated-by-the-operator>"));
  }

  @Test
  void aBrokenStackFailsWithEveryProblemAndItsFieldPath() throws IOException {
    Path bad = Files.createTempFile("bad", ".yaml");
    Files.writeString(bad, """
        apiVersion: pistack.io/v1alpha1
        kind: PiStack
        metadata: {name: bad}
        spec:
          storage: {size: 1Gi}
          scheduler: {replicas: 2}
          dashbaord: {}
          ingress: {tlsSecretName: x}
          database: {external: {host: "db.example.com:3306"}}
        """);
    Result r = render("-f", bad.toString());
    assertThat(r.code()).isEqualTo(RenderCommand.INVALID);
    assertThat(r.out()).isEmpty();
    assertThat(r.err()).contains("spec.version", "spec.storage.size", "spec.scheduler.replicas",
        "spec.dashbaord: unknown field; did you mean 'dashboard'?", "spec.ingress.tlsSecretName",
        "spec.database.external.host", "spec.database.external.credentialsSecret: required");
  }

  @Test
  void schemaTypeErrorsNameTheField() throws IOException {
    Path bad = Files.createTempFile("bad", ".yaml");
    Files.writeString(bad, """
        apiVersion: pistack.io/v1alpha1
        kind: PiStack
        metadata: {name: bad}
        spec:
          version: "2025_10.1"
          dashboard: {replicas: many}
          image: {pullPolicy: Sometimes}
        """);
    Result r = render("-f", bad.toString());
    assertThat(r.code()).isEqualTo(RenderCommand.INVALID);
    assertThat(r.err()).contains("spec.dashboard.replicas").contains("spec.image.pullPolicy");
  }

  @Test
  void notAPiStackIsRejected() throws IOException {
    Path bad = Files.createTempFile("bad", ".yaml");
    Files.writeString(bad, "apiVersion: v1\nkind: ConfigMap\nmetadata: {name: x}\n");
    Result r = render("-f", bad.toString());
    assertThat(r.code()).isEqualTo(RenderCommand.INVALID);
    assertThat(r.err()).contains("kind: expected PiStack");
  }

  /** The multi-document YAML that render prints, as typed objects. */
  static List<HasMetadata> parse(String yaml) {
    return java.util.Arrays.stream(yaml.split("(?m)^---\\s*$"))
        .filter(d -> !d.isBlank())
        .map(d -> (HasMetadata) Serialization.unmarshal(d))
        .toList();
  }

  static Result render(String... args) {
    StringWriter out = new StringWriter();
    StringWriter err = new StringWriter();
    CommandLine cmd = new CommandLine(new Main());
    cmd.setOut(new PrintWriter(out));
    cmd.setErr(new PrintWriter(err));
    String[] full = new String[args.length + 1];
    full[0] = "render";
    System.arraycopy(args, 0, full, 1, args.length);
    int code = cmd.execute(full);
    return new Result(code, out.toString(), err.toString());
  }
}
