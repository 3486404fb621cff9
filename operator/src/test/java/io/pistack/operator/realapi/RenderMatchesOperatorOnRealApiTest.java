package io.pistack.operator.realapi;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.ConfigMapBuilder;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.PersistentVolumeClaim;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.api.model.SecretBuilder;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.ServiceAccount;
import io.fabric8.kubernetes.api.model.ServiceAccountBuilder;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.apps.StatefulSet;
import io.fabric8.kubernetes.api.model.autoscaling.v2.HorizontalPodAutoscaler;
import io.fabric8.kubernetes.api.model.batch.v1.CronJob;
import io.fabric8.kubernetes.api.model.batch.v1.Job;
import io.fabric8.kubernetes.api.model.networking.v1.Ingress;
import io.fabric8.kubernetes.api.model.networking.v1.NetworkPolicy;
import io.fabric8.kubernetes.api.model.policy.v1.PodDisruptionBudget;
import io.fabric8.kubernetes.api.model.rbac.Role;
import io.fabric8.kubernetes.api.model.rbac.RoleBinding;
import io.fabric8.kubernetes.api.model.PodTemplateSpec;
import io.fabric8.kubernetes.client.utils.Serialization;
import io.pistack.operator.api.v1alpha1.PiStack;
import io.pistack.operator.cli.Main;
import io.pistack.operator.it.Quiet;
import io.pistack.operator.it.Stacks;
import io.pistack.operator.model.Labels;
import io.pistack.operator.model.SecretDigests;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import picocli.CommandLine;

/**
 * `render` is the operator's desired stage, not a copy of it (the golden test of issue 24): for every file in
 * samples/, applied to the real API server with the operator running,
 * <ol>
 *   <li>the kinds and names of what the operator created for the stack (owned by it, or labelled as its own:
 *       its Secrets and claims included, the database's data claim that the StatefulSet controller makes from the
 *       operator's template too) are exactly those `render` prints for that sample, as objects or, for what
 *       applying its output must not create (generated Secrets, that data claim), as comments naming them;</li>
 *   <li>every object `render` prints, applied with the operator's field manager as a server-side dry run
 *       (`dryRun=All`) over the live one, changes nothing: the same fields, the same values, the same field
 *       ownership. Two things `render` cannot know are taken from the live object first, as the operator's apply
 *       adds them: JOSDK's owner reference and bookkeeping annotations, and the pod templates'
 *       {@value SecretDigests#ANNOTATION} (a digest of Secret data, which `render` never reads).</li>
 * </ol>
 * Every sample runs (none is skipped), as it is but in a namespace of its own with an operator of its own. What the
 * samples name and a cluster would hold is created first: the licence, {@code pi-db} (external-database),
 * {@code pi-s3} (s3-backups), the TLS and pull Secrets, the trust ConfigMap and the scheduler's ServiceAccount
 * (enterprise). Their pods need not run: the comparison is of the objects the operator writes.
 */
class RenderMatchesOperatorOnRealApiTest {
  static final Duration T = RealApiStack.T;
  /** How `render` names an object it prints as a comment. */
  static final Pattern NAMED_IN_A_COMMENT = Pattern.compile("(?m)^# (\\w+) (\\S+) is created by ");
  /** Every kind the operator writes, or whose objects carry its labels. */
  static final List<Class<? extends HasMetadata>> KINDS = List.of(Secret.class, ConfigMap.class,
      PersistentVolumeClaim.class, Service.class, Deployment.class, StatefulSet.class, HorizontalPodAutoscaler.class,
      PodDisruptionBudget.class, NetworkPolicy.class, Ingress.class,
      io.fabric8.kubernetes.api.model.gatewayapi.v1.HTTPRoute.class,
      io.fabric8.kubernetes.api.model.gatewayapi.v1.BackendTLSPolicy.class, CronJob.class, Job.class,
      ServiceAccount.class, Role.class, RoleBinding.class);
  RealApiStack env;

  /** What the samples name and a cluster would hold (the licence is there already). */
  void prerequisites() {
    String ns = env.ns;
    for (String name : List.of("pi-db", "pi-s3")) {
      env.admin.resource(new SecretBuilder().withNewMetadata().withName(name).withNamespace(ns).endMetadata()
          .addToStringData(Map.of("username", "pi", "password", "not-a-real-one", "AWS_ACCESS_KEY_ID", "AKIDEXAMPLE",
              "AWS_SECRET_ACCESS_KEY", "not-a-real-one")).build()).create();
    }
    for (String name : List.of("pi-dashboard-tls", "pi-example-com-tls")) {
      env.admin.resource(new SecretBuilder().withNewMetadata().withName(name).withNamespace(ns).endMetadata()
          .withType("kubernetes.io/tls").addToStringData(Map.of("tls.crt", "not-a-cert", "tls.key", "not-a-key"))
          .build()).create();
    }
    for (String name : List.of("pi-registry", "ghcr")) {
      env.admin.resource(new SecretBuilder().withNewMetadata().withName(name).withNamespace(ns).endMetadata()
          .withType("kubernetes.io/dockerconfigjson").addToStringData(".dockerconfigjson", "{\"auths\":{}}")
          .build()).create();
    }
    env.admin.resource(new ConfigMapBuilder().withNewMetadata().withName("corporate-ca").withNamespace(ns)
        .endMetadata().addToData("ca.crt", "not-a-pem").build()).create();
    env.admin.resource(new ServiceAccountBuilder().withNewMetadata().withName("pi-reports").withNamespace(ns)
        .endMetadata().build()).create();
  }

  @AfterEach
  void stop() {
    if (env != null) {
      env.close();
    }
  }

  @ParameterizedTest
  @MethodSource("io.pistack.operator.it.Stacks#samples")
  void theOperatorCreatesWhatRenderPrintsAndRendersObjectsChangeNothing(Path sample) throws Exception {
    env = new RealApiStack("golden");
    prerequisites();
    String yaml = inTheTestsNamespace(sample);
    String name = Serialization.unmarshal(yaml, PiStack.class).getMetadata().getName();
    String rendered = render(yaml);
    List<HasMetadata> printed = objects(rendered);
    Set<String> named = new TreeSet<>();
    printed.forEach(o -> named.add(key(o)));
    Matcher m = NAMED_IN_A_COMMENT.matcher(rendered);
    while (m.find()) {
      named.add(m.group(1) + "/" + m.group(2));
    }

    PiStack created = env.admin.resource(Serialization.unmarshal(yaml, PiStack.class)).create();
    await().atMost(T).untilAsserted(() -> assertThat(children(created)).as("children of %s", name)
        .containsAll(named));
    awaitConverged(name);

    assertThat(children(created)).as("the kinds and names the operator created for %s, against `render`", name)
        .containsExactlyElementsOf(named);
    assertThat(printed).as("objects render printed for %s", name).hasSizeGreaterThan(10);
    List<String> differences = new ArrayList<>();
    for (HasMetadata o : printed) {
      HasMetadata live = env.admin.resource(o).get();
      assertThat(live).as("%s of %s exists", key(o), name).isNotNull();
      withLiveSecretsDigest(o, live);
      List<String> changed = DryRunApply.changes(env.admin, o, created, live);
      if (!changed.isEmpty()) {
        differences.add(key(o) + " " + changed);
      }
    }
    assertThat(differences).as("what a dry-run apply of render's objects for %s would change", name).isEmpty();
  }

  /** The sample as it is, in the test's namespace. */
  String inTheTestsNamespace(Path sample) throws Exception {
    ObjectMapper yaml = new ObjectMapper(new YAMLFactory());
    ObjectNode doc = (ObjectNode) yaml.readTree(Files.readString(sample));
    ((ObjectNode) doc.path("metadata")).put("namespace", env.ns);
    return yaml.writeValueAsString(doc);
  }

  /** What `pi-operator render -f` prints for that YAML. */
  static String render(String yaml) throws Exception {
    Path f = Files.createTempFile("golden", ".yaml");
    Files.writeString(f, yaml);
    StringWriter out = new StringWriter();
    StringWriter err = new StringWriter();
    CommandLine cmd = new CommandLine(new Main());
    cmd.setOut(new PrintWriter(out));
    cmd.setErr(new PrintWriter(err));
    int code = cmd.execute("render", "-f", f.toString());
    Files.delete(f);
    assertThat(code).as("render: %s", err).isZero();
    return out.toString();
  }

  static List<HasMetadata> objects(String rendered) {
    return Arrays.stream(rendered.split("(?m)^---\\s*$")).filter(d -> !d.isBlank())
        .map(d -> (HasMetadata) Serialization.unmarshal(d)).filter(Objects::nonNull).toList();
  }

  /**
   * Kind/name of every object of the namespace that is the stack's: owned by it, or carrying its instance label and
   * the operator's managed-by label (its data: claims and generated Secrets have no owner unless
   * storage.deleteWithStack). The pods, ReplicaSets and revisions the controllers make are of no kind listed here.
   */
  Set<String> children(PiStack stack) {
    Set<String> found = new TreeSet<>();
    for (Class<? extends HasMetadata> kind : KINDS) {
      for (HasMetadata o : env.admin.resources(kind).inNamespace(env.ns).list().getItems()) {
        Map<String, String> labels = o.getMetadata().getLabels() == null ? Map.of() : o.getMetadata().getLabels();
        boolean owned = o.getMetadata().getOwnerReferences().stream()
            .anyMatch(r -> stack.getMetadata().getUid().equals(r.getUid()));
        boolean labelled = stack.getMetadata().getName().equals(labels.get(Labels.INSTANCE))
            && Labels.OPERATOR.equals(labels.get(Labels.MANAGED_BY));
        if (owned || labelled) {
          found.add(key(o));
        }
      }
    }
    return found;
  }

  /** A reconcile of the stack's generation completed, and then the operator wrote nothing for 3 s. */
  void awaitConverged(String name) {
    await().atMost(T).until(() -> {
      PiStack s = env.admin.resources(PiStack.class).inNamespace(env.ns).withName(name).get();
      return s.getStatus() != null && Objects.equals(s.getStatus().observedGeneration, s.getMetadata().getGeneration())
          && env.reconciles().completedAtGeneration(env.ns, name, s.getMetadata().getGeneration());
    });
    Quiet.untilUnchangedFor(Duration.ofSeconds(3), T, env.operatorWrites::mark);
  }

  /** The pod template's Secrets digest as it is live: computed from Secret data, which `render` never reads. */
  static void withLiveSecretsDigest(HasMetadata desired, HasMetadata live) {
    PodTemplateSpec want = template(desired);
    PodTemplateSpec have = template(live);
    if (want == null || have == null || have.getMetadata().getAnnotations() == null) {
      return;
    }
    String digest = have.getMetadata().getAnnotations().get(SecretDigests.ANNOTATION);
    if (digest != null && want.getMetadata().getAnnotations() != null
        && want.getMetadata().getAnnotations().containsKey(SecretDigests.ANNOTATION)) {
      want.getMetadata().getAnnotations().put(SecretDigests.ANNOTATION, digest);
    }
  }

  private static PodTemplateSpec template(HasMetadata o) {
    if (o instanceof Deployment d) {
      return d.getSpec().getTemplate();
    }
    return o instanceof StatefulSet s ? s.getSpec().getTemplate() : null;
  }

  static String key(HasMetadata o) {
    return o.getKind() + "/" + o.getMetadata().getName();
  }
}
