package io.pistack.operator.model;

import io.pistack.operator.desired.DesiredStacks;
import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.apps.StatefulSet;
import io.fabric8.kubernetes.api.model.batch.v1.CronJob;
import io.fabric8.kubernetes.api.model.batch.v1.Job;
import io.fabric8.kubernetes.api.model.ObjectMetaBuilder;
import io.fabric8.kubernetes.client.utils.Serialization;
import io.pistack.operator.api.v1alpha1.PiStack;
import io.pistack.operator.api.v1alpha1.StackName;
import io.pistack.operator.cli.CrdSchemaValidator;
import java.io.IOException;
import java.io.InputStream;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/**
 * The longest PiStack name, computed in StackName from the children the operator names, checked
 * against every child kind the operator actually builds, and against the CRD's rule.
 */
class StackNameTest {
  /** What Kubernetes accepts (or keeps working with) for each kind's name. */
  static final Map<String, Integer> LIMITS = Map.ofEntries(
      Map.entry("Service", 63), Map.entry("CronJob", 52), Map.entry("StatefulSet", 52), Map.entry("Job", 63),
      Map.entry("Deployment", 253), Map.entry("ConfigMap", 253), Map.entry("Secret", 253),
      Map.entry("PersistentVolumeClaim", 253), Map.entry("HorizontalPodAutoscaler", 253),
      Map.entry("PodDisruptionBudget", 253), Map.entry("Ingress", 253), Map.entry("NetworkPolicy", 253));

  @Test
  void theCrdConstantIsTheComputedLimit() {
    assertThat(StackName.MAX_LENGTH).isEqualTo(StackName.longestAllowed()).isEqualTo(45);
  }

  @Test
  void theCrdRuleCarriesTheComputedLimit() throws IOException {
    try (InputStream in = CrdSchemaValidator.class.getResourceAsStream(CrdSchemaValidator.CRD_RESOURCE)) {
      String crd = new String(in.readAllBytes(), java.nio.charset.StandardCharsets.UTF_8);
      assertThat(crd).contains("self.metadata.name.size() <= " + StackName.longestAllowed());
    }
  }

  @Test
  void everyChildOfTheLongestNameFitsItsKind() {
    List<String> tooLong = violations(everything("a".repeat(StackName.MAX_LENGTH)));
    assertThat(tooLong).isEmpty();
  }

  @Test
  void oneMoreCharacterBreaksAChild() {
    assertThat(violations(everything("a".repeat(StackName.MAX_LENGTH + 1)))).isNotEmpty();
  }

  @Test
  void everyKindTheOperatorBuildsIsInTheTable() {
    Set<String> built = everything("pi").stream().map(HasMetadata::getKind).collect(Collectors.toSet());
    Set<String> table = StackName.CHILDREN.stream().map(StackName.Child::kind).collect(Collectors.toSet());
    assertThat(table).containsAll(built);
    assertThat(LIMITS.keySet()).containsAll(built);
  }

  @Test
  void theNameFormIsRefusedWithASentence() {
    assertThat(StackName.problem("pi.prod")).contains("no dots");
    assertThat(StackName.problem("1pi")).contains("lower-case letter");
    assertThat(StackName.problem("a".repeat(46))).contains("at most 45");
    assertThat(StackName.problem("pi-prod-2")).isNull();
  }

  /**
   * Every object a stack can have: all components (the optional Qdrant and its volume too), autoscaling, a trust
   * store, ingress, backups, a restore, a pre-upgrade Job.
   */
  static List<HasMetadata> everything(String name) {
    PiStack s = Serialization.unmarshal("""
        apiVersion: pistack.io/v1alpha1
        kind: PiStack
        metadata: {name: NAME, namespace: bi}
        spec:
          version: "2025_10.1"
          licence: {secretName: pi-licence}
          dashboard: {autoscaling: {enabled: true}}
          renderer: {autoscaling: {enabled: true}}
          analytics: {autoscaling: {enabled: true}}
          qdrant: {enabled: true}
          trust: {configMapName: corporate-ca}
          ingress: {enabled: true, host: pi.example.com}
          backup: {enabled: true}
          restore: {backup: latest}
        """.replace("NAME", name), PiStack.class);
    s.getMetadata().setGeneration(1L);
    ResolvedStack r = new ResolvedStack(s);
    List<HasMetadata> all = new ArrayList<>(DesiredStacks.fresh(r).objects());
    all.addAll(DesiredStacks.fresh(r).later());
    all.add(BackupJobBuilder.preUpgrade(r, "2025_09." + "9".repeat(50), "2025_10.1"));
    return all;
  }

  static List<String> violations(List<HasMetadata> objects) {
    List<String> v = new ArrayList<>();
    for (HasMetadata o : objects) {
      String n = o.getMetadata().getName();
      if (n.length() > LIMITS.get(o.getKind())) {
        v.add(o.getKind() + " " + n + " (" + n.length() + " > " + LIMITS.get(o.getKind()) + ")");
      }
      labels(v, o.getKind() + " " + n, o.getMetadata().getLabels());
      if (o instanceof StatefulSet st) {
        // The controller names pods <name>-0 and labels them controller-revision-hash=<name>-<hash>.
        if ((n + "-0").length() > 63 || (n + "-" + "h".repeat(10)).length() > 63) {
          v.add("the pods of StatefulSet " + n);
        }
        labels(v, "pods of " + n, st.getSpec().getTemplate().getMetadata().getLabels());
      }
      if (o instanceof CronJob cj && (n + "-" + "1".repeat(8)).length() > 63) {
        v.add("the Jobs of CronJob " + n);
      }
      if (o instanceof Job j) {
        labels(v, "pods of " + n, j.getSpec().getTemplate().getMetadata().getLabels());
      }
    }
    return v;
  }

  private static void labels(List<String> v, String where, Map<String, String> labels) {
    if (labels != null) {
      labels.forEach((k, value) -> {
        if (value.length() > 63) {
          v.add(where + ": label " + k + " is " + value.length() + " characters");
        }
      });
    }
  }
}
