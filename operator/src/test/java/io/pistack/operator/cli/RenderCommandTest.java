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
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import picocli.CommandLine;

class RenderCommandTest {
  /** The YAML files given to render: JUnit deletes them after each test. */
  @TempDir
  Path tmp;

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
    // The generated credentials are the operator's to create, with a random password: applying
    // render's output must not create them with a known placeholder.
    assertThat(objects).extracting(HasMetadata::getKind).doesNotContain("Secret");
    assertThat(r.out()).contains("# Secret pi-db-credentials is created by the operator, not by this output")
        .contains("#   kind: \"Secret\"");
    assertThat(r.out().lines().filter(l -> !l.startsWith("#"))).noneMatch(l -> l.contains("generated-by-the-operator"));
  }

  @Test
  void everyPiStackOfAMultiDocumentFileIsRendered() throws IOException {
    Path f = Files.createTempFile(tmp, "two", ".yaml");
    Files.writeString(f, STACK.replace("NAME", "one") + "---\n" + STACK.replace("NAME", "two"));
    Result r = render("-f", f.toString());
    assertThat(r.code()).as(r.err()).isZero();
    assertThat(parse(r.out())).filteredOn(o -> o.getKind().equals("Deployment"))
        .extracting(o -> o.getMetadata().getName()).contains("one-dashboard", "two-dashboard");
  }

  @Test
  void everyItemOfAListIsRendered() throws IOException {
    Path f = Files.createTempFile(tmp, "list", ".yaml");
    // As `kubectl get pis -o yaml` prints it: server-set metadata and a status.
    String live = STACK.replace("metadata: {name: NAME}", """
        metadata:
          name: NAME
          namespace: bi
          uid: 0b8a3c1e-0000-4000-8000-000000000001
          resourceVersion: "4711"
          generation: 2
          creationTimestamp: "2026-11-26T10:00:00Z"
          managedFields:
          - {manager: kubectl, operation: Apply, apiVersion: pistack.io/v1alpha1, fieldsType: FieldsV1}
        """.stripTrailing()) + """
        status:
          observedGeneration: 2
          conditions:
          - {type: Ready, status: "True", reason: AllComponentsReady, message: all enabled components are available,
             lastTransitionTime: "2026-11-26T10:05:00Z", observedGeneration: 2}
          dashboardReplicas: 3/3
          warnings: ["spec.version: 'latest' is not pinned"]
        """;
    Files.writeString(f, "apiVersion: v1\nkind: List\nmetadata: {resourceVersion: \"\"}\nitems:\n"
        + ("- " + live.replace("NAME", "one").replace("\n", "\n  ")).stripTrailing() + "\n"
        + ("- " + live.replace("NAME", "two").replace("\n", "\n  ")).stripTrailing() + "\n");
    Result r = render("-f", f.toString());
    assertThat(r.code()).as(r.err()).isZero();
    assertThat(parse(r.out())).filteredOn(o -> o.getKind().equals("Service"))
        .extracting(o -> o.getMetadata().getName()).contains("one-dashboard", "two-excel-reader");
  }

  @Test
  void oneInvalidStackInAFileStopsTheWholeRenderAndIsNamed() throws IOException {
    Path f = Files.createTempFile(tmp, "two", ".yaml");
    Files.writeString(f, STACK.replace("NAME", "one") + "---\n" + STACK.replace("NAME", "two")
        .replace("version: \"2025_10.1\"", "version: \"2025_10.1\"\n  dashboard: {resources: {limits: {memory: 4096MB}}}"));
    Result r = render("-f", f.toString());
    assertThat(r.code()).isEqualTo(RenderCommand.INVALID);
    assertThat(r.out()).isEmpty();
    assertThat(r.err()).contains("the PiStack two (document 2) is invalid", "spec.dashboard.resources.limits.memory",
        "4096MB", "write Mi or Gi").doesNotContain("Exception").doesNotContain("\tat ");
  }

  @Test
  void unreadableYamlIsASentenceNotAStackTrace() throws IOException {
    Path f = Files.createTempFile(tmp, "broken", ".yaml");
    Files.writeString(f, "apiVersion: pistack.io/v1alpha1\nkind: PiStack\nspec: [unclosed\n");
    Result r = render("-f", f.toString());
    assertThat(r.code()).isEqualTo(RenderCommand.INVALID);
    assertThat(r.err()).startsWith("error: cannot read").contains("line").doesNotContain("Exception")
        .doesNotContain("com.fasterxml");
  }

  @Test
  void anUnknownFieldNamesTheClosestKnownOne() throws IOException {
    Path f = Files.createTempFile(tmp, "typo", ".yaml");
    Files.writeString(f, STACK.replace("NAME", "pi").replace("licence:", "license:"));
    Result r = render("-f", f.toString());
    assertThat(r.code()).isEqualTo(RenderCommand.INVALID);
    assertThat(r.err()).contains("spec.license: unknown field; did you mean 'licence'?");
  }

  @Test
  void aPendingRestoreHoldsTheDashboardAndSchedulerAtZeroWithoutAnAutoscaler() throws IOException {
    Path f = Files.createTempFile(tmp, "restore", ".yaml");
    Files.writeString(f, STACK.replace("NAME", "pi") + "  restore: {backup: latest}\n"
        + "  backup: {enabled: true}\n  dashboard: {autoscaling: {enabled: true}}\n  renderer: {autoscaling: {enabled: true}}\n");
    Result r = render("-f", f.toString());
    assertThat(r.code()).as(r.err()).isZero();
    List<HasMetadata> objects = parse(r.out());
    assertThat(objects).filteredOn(o -> o instanceof io.fabric8.kubernetes.api.model.apps.Deployment)
        .allSatisfy(o -> {
          Integer replicas = ((io.fabric8.kubernetes.api.model.apps.Deployment) o).getSpec().getReplicas();
          String name = o.getMetadata().getName();
          if (name.equals("pi-dashboard") || name.equals("pi-scheduler")) {
            assertThat(replicas).as(name).isZero();
          } else if (!name.equals("pi-renderer")) {
            assertThat(replicas).as(name).isEqualTo(1);
          }
        });
    assertThat(objects).filteredOn(o -> o.getKind().equals("HorizontalPodAutoscaler"))
        .extracting(o -> o.getMetadata().getName()).containsExactly("pi-renderer");
    // The restore Job is not applied by the first pass (it waits for the database): render names it in a comment,
    // so applying the output cannot start a restore early.
    assertThat(objects).filteredOn(o -> o.getKind().equals("Job")).isEmpty();
    assertThat(r.out()).containsPattern("(?m)^# Job pi-restore-\\S+ is created by the operator later");
  }

  static final String STACK = """
      apiVersion: pistack.io/v1alpha1
      kind: PiStack
      metadata: {name: NAME}
      spec:
        version: "2025_10.1"
        licence: {secretName: pi-licence}
      """;

  @Test
  void aBrokenStackFailsWithEveryProblemAndItsFieldPath() throws IOException {
    Path bad = Files.createTempFile(tmp, "bad", ".yaml");
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
    Path bad = Files.createTempFile(tmp, "bad", ".yaml");
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
    Path bad = Files.createTempFile(tmp, "bad", ".yaml");
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
        .filter(java.util.Objects::nonNull) // a document of comments only (the generated Secret)
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
