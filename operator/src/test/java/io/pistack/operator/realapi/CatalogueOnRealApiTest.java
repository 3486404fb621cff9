package io.pistack.operator.realapi;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.fabric8.kubernetes.api.model.Condition;
import io.fabric8.kubernetes.api.model.Event;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.NamespaceBuilder;
import io.fabric8.kubernetes.api.model.StatusCause;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.fabric8.kubernetes.client.dsl.FieldValidateable.Validation;
import io.fabric8.kubernetes.client.utils.Serialization;
import io.pistack.operator.api.v1alpha1.PiStack;
import io.pistack.operator.catalogue.Catalogue;
import io.pistack.operator.catalogue.Catalogue.Case;
import io.pistack.operator.catalogue.Catalogue.Expect;
import io.pistack.operator.cli.CrdSchemaValidator;
import io.pistack.operator.model.SpecValidator;
import io.pistack.operator.model.SpecValidator.Problem;
import io.pistack.operator.model.SpecValidator.Stage;
import io.pistack.operator.status.ConditionType;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The catalogue of invalid PiStacks on a real kube-apiserver: every case through a server-side dry
 * run (with kubectl's default strict field validation) and through the Java validator, which must
 * agree with the CRD on every case; then the operator on the cases the API server admits.
 */
class CatalogueOnRealApiTest {
  static final ObjectMapper JSON = new ObjectMapper().configure(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES, false);
  static KubernetesClient client;
  static String dryRunNamespace = "catalogue-dry-run";

  @BeforeAll
  static void connect() {
    client = RealApiServer.get().client();
    if (client.namespaces().withName(dryRunNamespace).get() == null) {
      client.resource(new NamespaceBuilder().withNewMetadata().withName(dryRunNamespace).endMetadata().build()).create();
    }
  }

  @AfterAll
  static void close() {
    client.close();
  }

  /** What the API server said about one case in a dry run. */
  record ServerVerdict(boolean refused, int code, List<String> fields, String text) {}

  static ServerVerdict dryRun(Case c, String namespace) {
    GenericKubernetesResource r = Serialization.unmarshal(c.yaml(), GenericKubernetesResource.class);
    r.getMetadata().setNamespace(namespace);
    try {
      client.resource(r).dryRun().fieldValidation(Validation.STRICT).create();
      return new ServerVerdict(false, 201, List.of(), "");
    } catch (KubernetesClientException e) {
      List<String> fields = e.getStatus() == null || e.getStatus().getDetails() == null
          || e.getStatus().getDetails().getCauses() == null ? List.of()
          : e.getStatus().getDetails().getCauses().stream().map(StatusCause::getField).filter(Objects::nonNull).toList();
      return new ServerVerdict(true, e.getCode(), fields, e.getMessage());
    }
  }

  /** The Java side: the schema (as render checks it) and SpecValidator, split by stage. */
  static List<Problem> javaProblems(Case c) {
    List<Problem> p = new ArrayList<>();
    new CrdSchemaValidator().validate(c.document()).forEach(s -> p.add(new Problem(s.substring(0, s.indexOf(": ")),
        s.substring(s.indexOf(": ") + 2), Stage.ADMISSION)));
    try {
      p.addAll(SpecValidator.validate(JSON.treeToValue(c.document(), PiStack.class)));
    } catch (Exception e) {
      // the schema problems say why it does not map
    }
    return p;
  }

  @Test
  void theJavaValidatorAndTheCrdAgreeOnEveryCase() {
    List<String> disagreements = new ArrayList<>();
    for (Case c : Catalogue.all()) {
      ServerVerdict server = dryRun(c, dryRunNamespace);
      List<Problem> java = javaProblems(c);
      List<Problem> admission = java.stream().filter(p -> p.stage() == Stage.ADMISSION).toList();
      List<Problem> operator = java.stream().filter(p -> p.stage() == Stage.OPERATOR).toList();
      boolean expectRefused = c.expect() == Expect.admission;
      if (server.refused() != expectRefused) {
        disagreements.add(c + ": expected " + c.expect() + ", the API server " + (server.refused()
            ? "refused it: " + server.text() : "admitted it"));
      }
      if (server.refused() == admission.isEmpty()) {
        disagreements.add(c + ": the API server " + (server.refused() ? "refused" : "admitted")
            + " it, the Java mirror of the CRD " + (admission.isEmpty() ? "admits it" : "refuses it: " + admission));
      }
      if (server.refused() && !server.text().contains(c.field())) {
        disagreements.add(c + ": the API server's refusal does not name " + c.field() + ": " + server.text());
      }
      if (server.refused() && server.text().contains("evaluation error")) {
        disagreements.add(c + ": a CEL rule failed to evaluate: " + server.text());
      }
      if (c.expect() == Expect.admission && admission.stream().noneMatch(p -> p.path().startsWith(c.field()))) {
        disagreements.add(c + ": no Java problem at " + c.field() + ": " + admission);
      }
      if (c.expect() == Expect.invalid && operator.stream().noneMatch(p -> p.path().startsWith(c.field()))) {
        disagreements.add(c + ": the operator would not refuse it at " + c.field() + ": " + java);
      }
      if (c.expect() == Expect.warning && !java.isEmpty()) {
        disagreements.add(c + ": expected only a warning, Java refuses it: " + java);
      }
    }
    assertThat(disagreements).as("cases where the catalogue, the CRD and the Java validator disagree").isEmpty();
  }

  @Test
  void theOperatorRefusesEveryAdmittedInvalidCaseWithoutCreatingAChild() {
    List<Case> cases = Catalogue.expecting(Expect.invalid);
    try (RealApiStack env = new RealApiStack("catalogue")) {
      cases.forEach(c -> env.admin.resource(stack(c, env.ns)).create());
      for (Case c : cases) {
        await().atMost(RealApiStack.T).untilAsserted(() -> {
          Condition ready = ready(env, c.stackName());
          assertThat(ready).as(c + ": Ready").isNotNull();
          assertThat(ready.getStatus()).isEqualTo("False");
          assertThat(ready.getReason()).isEqualTo("InvalidSpec");
          assertThat(ready.getMessage()).as(c.name()).contains(c.field()).doesNotContainPattern(Catalogue.JAVA_LEAK);
        });
        await().atMost(RealApiStack.T).untilAsserted(() -> assertThat(warnings(env, c.stackName()))
            .as(c + ": a Warning event").extracting(Event::getReason).contains("InvalidSpec"));
      }
      // Every stack has been refused (above): nothing was created for any of them.
      List<HasMetadata> children = new ArrayList<>();
      var a = env.admin;
      String ns = env.ns;
      Stream.of(a.apps().deployments().inNamespace(ns).list().getItems(),
              a.apps().statefulSets().inNamespace(ns).list().getItems(),
              a.services().inNamespace(ns).list().getItems(),
              a.persistentVolumeClaims().inNamespace(ns).list().getItems(),
              a.batch().v1().cronjobs().inNamespace(ns).list().getItems(),
              a.batch().v1().jobs().inNamespace(ns).list().getItems(),
              a.network().v1().ingresses().inNamespace(ns).list().getItems(),
              a.autoscaling().v2().horizontalPodAutoscalers().inNamespace(ns).list().getItems(),
              a.policy().v1().podDisruptionBudget().inNamespace(ns).list().getItems(),
              a.configMaps().inNamespace(ns).list().getItems().stream()
                  .filter(m -> !m.getMetadata().getName().equals("kube-root-ca.crt")).toList(),
              a.secrets().inNamespace(ns).list().getItems().stream()
                  .filter(s -> !s.getMetadata().getName().equals("pi-licence")).toList())
          .forEach(children::addAll);
      assertThat(children).extracting(o -> o.getKind() + " " + o.getMetadata().getName()).isEmpty();
    }
  }

  @Test
  void everyWarningCaseIsAppliedAndReportedInTheStatusAndAsAnEvent() {
    List<Case> cases = Catalogue.expecting(Expect.warning);
    try (RealApiStack env = new RealApiStack("catalogue-warn")) {
      cases.forEach(c -> env.admin.resource(stack(c, env.ns)).create());
      for (Case c : cases) {
        await().atMost(RealApiStack.T).untilAsserted(() -> {
          PiStack s = env.admin.resources(PiStack.class).inNamespace(env.ns).withName(c.stackName()).get();
          assertThat(s.getStatus()).as(c.name()).isNotNull();
          assertThat(s.getStatus().warnings).as(c.name()).isNotNull()
              .anySatisfy(w -> assertThat(w).startsWith(c.field()));
          assertThat(env.deployment(c.stackName() + "-renderer")).as(c + ": applied").isNotNull();
        });
        await().atMost(RealApiStack.T).untilAsserted(() -> assertThat(warnings(env, c.stackName()))
            .as(c + ": a Warning event").anySatisfy(e -> assertThat(e.getMessage()).contains(c.field())));
      }
    }
  }

  private static GenericKubernetesResource stack(Case c, String ns) {
    GenericKubernetesResource r = Serialization.unmarshal(c.yaml(), GenericKubernetesResource.class);
    r.getMetadata().setNamespace(ns);
    return r;
  }

  private static Condition ready(RealApiStack env, String name) {
    PiStack s = env.admin.resources(PiStack.class).inNamespace(env.ns).withName(name).get();
    return s == null || s.getStatus() == null ? null
        : s.getStatus().conditions.stream().filter(c -> ConditionType.READY.wire().equals(c.getType())).findFirst().orElse(null);
  }

  private static List<Event> warnings(RealApiStack env, String name) {
    return env.admin.v1().events().inNamespace(env.ns).list().getItems().stream()
        .filter(e -> name.equals(e.getInvolvedObject().getName()) && "Warning".equals(e.getType())).toList();
  }
}
