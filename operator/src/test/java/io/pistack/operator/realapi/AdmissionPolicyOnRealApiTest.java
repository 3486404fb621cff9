package io.pistack.operator.realapi;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.LabelSelectorBuilder;
import io.fabric8.kubernetes.api.model.NamespaceBuilder;
import io.fabric8.kubernetes.api.model.admissionregistration.v1.MatchResourcesBuilder;
import io.fabric8.kubernetes.api.model.admissionregistration.v1.ValidatingAdmissionPolicy;
import io.fabric8.kubernetes.api.model.admissionregistration.v1.ValidatingAdmissionPolicyBinding;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.fabric8.kubernetes.client.dsl.FieldValidateable.Validation;
import io.fabric8.kubernetes.client.utils.Serialization;
import io.pistack.operator.api.v1alpha1.DashboardSpec;
import io.pistack.operator.api.v1alpha1.PiStack;
import io.pistack.operator.api.v1alpha1.ResourceRules;
import io.pistack.operator.catalogue.Catalogue;
import io.pistack.operator.catalogue.Catalogue.Case;
import io.pistack.operator.catalogue.Catalogue.Expect;
import io.pistack.operator.chart.Chart;
import io.pistack.operator.it.Stacks;
import io.pistack.operator.model.SpecValidator;
import io.pistack.operator.model.SpecValidator.Problem;
import io.pistack.operator.model.SpecValidator.Stage;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The chart's ValidatingAdmissionPolicy (templates/admissionpolicy.yaml) on a real API server: the rules the CRD
 * cannot afford in CEL (a component's or the database's resources, the dashboard's heap against a memory limit) are
 * refused at admission, on exactly the catalogue's cases the operator refuses for them, naming the same field with
 * the operator's message; every other case and every sample is admitted by it; and, like the CRD's rules, a stack
 * stored before the policy can still be edited while its invalid value stays as it was. The binding is narrowed to
 * this test's namespace, so other tests on the same server see the CRD alone.
 */
class AdmissionPolicyOnRealApiTest {
  static final String NS = "admission-policy";
  static final ObjectMapper JSON = new ObjectMapper().configure(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES, false);
  /** The sections whose rules moved from the CRD to the operator and the policy. */
  static final List<String> SECTIONS = List.of("spec.dashboard.resources", "spec.scheduler.resources",
      "spec.analytics.resources", "spec.renderer.resources", "spec.excelReader.resources", "spec.qdrant.resources",
      "spec.database.embedded.resources");
  static final List<String> RESOURCES_MESSAGES = List.of(ResourceRules.QUANTITIES_MESSAGE,
      ResourceRules.MEMORY_MESSAGE, ResourceRules.LIMITS_COVER_REQUESTS_MESSAGE);
  static KubernetesClient client;
  static ValidatingAdmissionPolicy policy;
  static ValidatingAdmissionPolicyBinding binding;

  @BeforeAll
  static void install() {
    client = RealApiServer.get().client();
    if (client.namespaces().withName(NS).get() == null) {
      client.resource(new NamespaceBuilder().withNewMetadata().withName(NS).endMetadata().build()).create();
    }
    // Stored before the policy exists (as a stack made before the chart shipped it): memory 4096MB.
    client.resource(stack("stored", "{memory: 4096MB}")).create();
    Chart.Rendered chart = Chart.render(Map.of());
    policy = chart.one(ValidatingAdmissionPolicy.class);
    binding = chart.one(ValidatingAdmissionPolicyBinding.class);
    binding.getSpec().setMatchResources(new MatchResourcesBuilder().withNamespaceSelector(new LabelSelectorBuilder()
        .addToMatchLabels("kubernetes.io/metadata.name", NS).build()).build());
    client.resource(policy).serverSideApply();
    client.resource(binding).serverSideApply();
    // The API server compiles the policy and picks up the binding asynchronously.
    await().atMost(RealApiStack.T).until(() -> refusal(stack("probe", "{memory: 4096MB}")).isPresent());
  }

  @AfterAll
  static void uninstall() {
    if (client != null) {
      client.resource(binding).delete();
      client.resource(policy).delete();
      client.close();
    }
  }

  @Test
  void itRefusesExactlyTheCataloguesCasesTheOperatorRefusesForTheMovedRules() {
    List<String> wrong = new ArrayList<>();
    int refused = 0;
    for (Case c : Catalogue.all()) {
      if (c.expect() == Expect.admission) {
        continue; // the CRD refuses it, before any policy runs
      }
      Optional<Problem> moved = javaProblems(c).stream().filter(AdmissionPolicyOnRealApiTest::moved).findFirst();
      GenericKubernetesResource r = Serialization.unmarshal(c.yaml(), GenericKubernetesResource.class);
      r.getMetadata().setNamespace(NS);
      Optional<String> verdict = refusal(r);
      if (moved.isPresent()) {
        refused++;
        String field = moved.get().path().startsWith("spec.dashboard.tomcatMaxMemoryMb")
            ? "spec.dashboard.tomcatMaxMemoryMb" : SECTIONS.stream().filter(s -> moved.get().path().startsWith(s))
            .findFirst().orElseThrow();
        String message = moved.get().message().split("; got |; the ")[0];
        if (verdict.isEmpty()) {
          wrong.add(c + ": admitted, the operator refuses it: " + moved.get());
        } else if (!verdict.get().contains(field + ": " + message) || !verdict.get().contains(c.field())) {
          wrong.add(c + ": refused without '" + field + ": " + message + "': " + verdict.get());
        }
      } else if (verdict.isPresent()) {
        wrong.add(c + ": refused by the policy, not by the operator for a moved rule: " + verdict.get());
      }
    }
    assertThat(refused).as("catalogue cases of the moved rules").isGreaterThanOrEqualTo(17);
    assertThat(wrong).as("cases where the policy and the operator disagree").isEmpty();
  }

  @Test
  void everySampleIsAdmitted() throws Exception {
    List<String> refused = new ArrayList<>();
    List<String> checked = new ArrayList<>();
    try (Stream<Path> samples = Stacks.samples()) {
      for (Path p : samples.toList()) {
        for (HasMetadata o : Chart.parse(Files.readString(p))) {
          if (!"PiStack".equals(o.getKind())) {
            continue;
          }
          o.getMetadata().setNamespace(NS);
          checked.add(p.getFileName() + "/" + o.getMetadata().getName());
          refusal(o).ifPresent(v -> refused.add(p.getFileName() + ": " + v));
        }
      }
    }
    assertThat(checked).as("the samples' PiStacks").hasSizeGreaterThanOrEqualTo(7);
    assertThat(refused).as("samples the policy refuses").isEmpty();
  }

  @Test
  void aStackStoredBeforeThePolicyCanBeEditedButItsInvalidValueNotChangedToAnother() {
    var stored = client.resources(PiStack.class).inNamespace(NS).withName("stored");
    stored.edit(s -> {
      s.getSpec().paused = true;
      return s;
    });
    assertThat(stored.get().getSpec().paused).as("an edit of another field, the invalid memory unchanged").isTrue();
    KubernetesClientException e = org.junit.jupiter.api.Assertions.assertThrows(KubernetesClientException.class,
        () -> stored.edit(s -> {
          s.getSpec().dashboard.resources.getLimits().put("memory", new io.fabric8.kubernetes.api.model.Quantity("4GB"));
          return s;
        }));
    assertThat(e.getMessage()).contains("spec.dashboard.resources: " + ResourceRules.QUANTITIES_MESSAGE);
    stored.edit(s -> {
      s.getSpec().dashboard.resources.getLimits().put("memory", new io.fabric8.kubernetes.api.model.Quantity("4Gi"));
      return s;
    });
    assertThat(stored.get().getSpec().dashboard.resources.getLimits().get("memory").toString()).isEqualTo("4Gi");
  }

  /** The operator's problem for a rule that moved from the CRD to the operator and this policy. */
  static boolean moved(Problem p) {
    if (p.stage() != Stage.OPERATOR) {
      return false;
    }
    if (p.path().equals("spec.dashboard.tomcatMaxMemoryMb")) {
      return p.message().startsWith(DashboardSpec.HEAP_MESSAGE);
    }
    if (p.path().equals("spec.dashboard.resources") && p.message().startsWith(DashboardSpec.DERIVED_HEAP_MESSAGE)) {
      return true;
    }
    return SECTIONS.stream().anyMatch(s -> p.path().equals(s + ".limits.cpu") || p.path().equals(s + ".limits.memory")
        || p.path().equals(s + ".requests.cpu") || p.path().equals(s + ".requests.memory"))
        && RESOURCES_MESSAGES.stream().anyMatch(m -> p.message().startsWith(m));
  }

  static List<Problem> javaProblems(Case c) {
    try {
      return SpecValidator.validate(JSON.treeToValue(c.document(), PiStack.class));
    } catch (Exception e) {
      return List.of();
    }
  }

  static GenericKubernetesResource stack(String name, String dashboardLimits) {
    GenericKubernetesResource r = Serialization.unmarshal("apiVersion: pistack.io/v1alpha1\nkind: PiStack\n"
        + "metadata: {name: " + name + ", namespace: " + NS + "}\n"
        + "spec: {version: '2025_10.1', licence: {secretName: pi-licence}, dashboard: {resources: {limits: "
        + dashboardLimits + "}}}\n", GenericKubernetesResource.class);
    return r;
  }

  /** The API server's refusal of a server-side dry-run create, if it refused. */
  static Optional<String> refusal(HasMetadata o) {
    try {
      client.resource(o).dryRun().fieldValidation(Validation.STRICT).create();
      return Optional.empty();
    } catch (KubernetesClientException e) {
      return Optional.of(e.getMessage());
    }
  }
}
