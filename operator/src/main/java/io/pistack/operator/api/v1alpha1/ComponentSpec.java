package io.pistack.operator.api.v1alpha1;

import com.fasterxml.jackson.databind.annotation.JsonDeserialize;
import com.fasterxml.jackson.annotation.JsonInclude;
import io.fabric8.generator.annotation.Size;
import io.fabric8.generator.annotation.ValidationRule;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import com.fasterxml.jackson.databind.JsonNode;
import io.fabric8.generator.annotation.Max;
import io.fabric8.generator.annotation.Min;
import io.fabric8.crd.generator.annotation.PreserveUnknownFields;
import io.fabric8.crd.generator.annotation.SchemaFrom;
import io.fabric8.kubernetes.api.model.Affinity;
import io.fabric8.kubernetes.api.model.PodSecurityContext;
import io.fabric8.kubernetes.api.model.SecurityContext;
import io.fabric8.kubernetes.api.model.EnvVar;
import io.fabric8.kubernetes.api.model.ResourceRequirements;
import io.fabric8.kubernetes.api.model.Toleration;
import io.fabric8.kubernetes.api.model.TopologySpreadConstraint;
import io.fabric8.kubernetes.api.model.VolumeMount;
import java.util.List;
import java.util.Map;

/** Settings every Pi component shares. */
@JsonInclude(JsonInclude.Include.NON_NULL)
public class ComponentSpec {
  /** The most replicas (and autoscaling bounds) a component may ask for: far beyond any Pi installation, far below int32. */
  public static final int MAX_REPLICAS = 1000;
  public static final String RESERVED_LABEL_PREFIX = "app.kubernetes.io/";
  public static final String RESERVED_LABEL_MESSAGE =
      "app.kubernetes.io/* labels are the operator's: choose another prefix";
  public static final String ENV_NAME_MESSAGE = "every env entry needs a name";
  public static final String TOLERATION_OPERATOR_MESSAGE = "a toleration's operator is Exists or Equal";
  public static final String TOLERATION_EFFECT_MESSAGE = "a toleration's effect is NoSchedule, PreferNoSchedule or"
      + " NoExecute";

  @JsonPropertyDescription("Run this component. Default true (qdrant: false, it is optional). Turning it off"
      + " deletes its objects, but never its data volume.")
  public Boolean enabled;

  @Min(0)
  @Max(MAX_REPLICAS)
  @JsonPropertyDescription("Replicas when autoscaling is off. Defaults: dashboard 3, others 1 (scheduler and qdrant"
      + " at most 1).")
  public Integer replicas;

  @JsonPropertyDescription("Full image reference overriding <registry>/<image>:<version> for this component"
      + " (qdrant: overriding docker.io/qdrant/qdrant at the tag the operator pins).")
  public String image;

  // No CEL: a rule reading a quantity costs as much as a whole request (an int-or-string value has no bound the
  // API server's estimate honours), and seven such fields spent 71% of the CRD's cost budget. The operator checks
  // the same rules, with the same messages, before it applies anything (model.SpecValidator: InvalidSpec).
  @JsonPropertyDescription("Compute resources. Defaults follow the vendor's sizing table."
      + " cpu and memory are Kubernetes quantities (4Gi or 4096Mi, 500m or 2; not 4096MB, and a number without a unit is bytes); memory at least 32Mi; each limit at least its request."
      + " Kubernetes ResourceRequirements: kubectl explain pod.spec.containers.resources")
  public ResourceRequirements resources;

  @Size(max = 200)
  @ValidationRule(value = "self.all(e, has(e.name) && e.name.size() > 0)", message = ComponentSpec.ENV_NAME_MESSAGE)
  @JsonPropertyDescription("Extra environment variables; they win over the operator's own of the same name."
      + " Every entry needs a name. Never put a password here: use valueFrom.secretKeyRef."
      + " Kubernetes EnvVar: kubectl explain pod.spec.containers.env")
  public List<EnvVar> env;

  @JsonPropertyDescription("Annotations added to the component's pods. Keys are Kubernetes keys such as"
      + " example.com/name.")
  public Map<String, String> podAnnotations;

  @Size(max = Bounds.MAX_ENTRIES)
  @ValidationRule(value = "self.all(k, !k.startsWith('" + RESERVED_LABEL_PREFIX + "'))",
      message = ComponentSpec.RESERVED_LABEL_MESSAGE)
  @JsonPropertyDescription("Labels added to the component's pods (e.g. for a NetworkPolicy or a cost report)."
      + " The operator's app.kubernetes.io/* labels are reserved and refused.")
  public Map<String, String> podLabels;

  @JsonPropertyDescription("Service account the component's pods run as (e.g. one bound to a cloud IAM role)."
      + " Default: the namespace's default account. The API token is not mounted"
      + " (automountServiceAccountToken: false); identity webhooks inject their own token volume.")
  public String serviceAccountName;

  @JsonPropertyDescription("PriorityClass of the component's pods. It must exist, or the pods are not created."
      + " Default: none (the cluster's default priority).")
  public String priorityClassName;

  @JsonPropertyDescription("Node selector of the component's pods. Keys are Kubernetes keys, values label values"
      + " (at most 63 letters, digits, '-', '_', '.').")
  public Map<String, String> nodeSelector;

  @Size(max = 50)
  @ValidationRule(value = "self.all(t, !has(t.operator) || t.operator in ['', 'Exists', 'Equal'])",
      message = ComponentSpec.TOLERATION_OPERATOR_MESSAGE)
  @ValidationRule(value = "self.all(t, !has(t.effect) || t.effect in ['', 'NoSchedule', 'PreferNoSchedule', 'NoExecute'])",
      message = ComponentSpec.TOLERATION_EFFECT_MESSAGE)
  @JsonPropertyDescription("Tolerations of the component's pods: operator Exists or Equal, effect NoSchedule,"
      + " PreferNoSchedule or NoExecute. Kubernetes Toleration: kubectl explain pod.spec.tolerations")
  public List<Toleration> tolerations;

  @SchemaFrom(type = Object.class)
  @PreserveUnknownFields
  @JsonPropertyDescription("Affinity of the component's pods. Schemaless, checked by the operator. Kubernetes Affinity:"
      + " kubectl explain pod.spec.affinity")
  @JsonDeserialize(using = KubernetesShape.LenientAffinity.class)
  public Affinity affinity;

  @JsonPropertyDescription("Extra volumes of the component's pods, as in a Pod spec (e.g. a ConfigMap of fonts, an"
      + " emptyDir for JDBC drivers an init container copies). Names 'shared', 'storage' and 'pi-*' are the"
      + " operator's. Checked by the API server when the operator applies the Deployment (a refusal shows as"
      + " ReconcileFailed); kept schemaless here so the CRD stays small enough for kubectl apply."
      + " Kubernetes Volume: kubectl explain pod.spec.volumes")
  public List<JsonNode> extraVolumes;

  @JsonPropertyDescription("Extra volume mounts of the component's container (of extraVolumes, usually)."
      + " Kubernetes VolumeMount: kubectl explain pod.spec.containers.volumeMounts")
  public List<VolumeMount> extraVolumeMounts;

  @JsonPropertyDescription("Init containers run before the component's container, as in a Pod spec (e.g. copy"
      + " custom JDBC drivers from an image into an extra volume). Checked by the API server, as extraVolumes."
      + " Kubernetes Container: kubectl explain pod.spec.initContainers")
  public List<JsonNode> initContainers;

  @JsonPropertyDescription("Extra containers running beside the component's container, as in a Pod spec (e.g. a"
      + " log shipper). Their names must differ from the component's. Checked by the API server, as extraVolumes."
      + " Kubernetes Container: kubectl explain pod.spec.containers")
  public List<JsonNode> sidecars;

  @JsonPropertyDescription("Topology spread constraints of the component's pods. Default for dashboard, renderer"
      + " and analytics: spread softly (whenUnsatisfiable: ScheduleAnyway, maxSkew 1) across zones"
      + " (topology.kubernetes.io/zone), then across nodes (kubernetes.io/hostname); none for the others."
      + " A list given here replaces the default; an empty list turns spreading off."
      + " Kubernetes TopologySpreadConstraint: kubectl explain pod.spec.topologySpreadConstraints")
  public List<TopologySpreadConstraint> topologySpreadConstraints;

  @SchemaFrom(type = Object.class)
  @PreserveUnknownFields
  @JsonPropertyDescription("Pod securityContext; each field given replaces the default's (docs/pods.md). Schemaless."
      + " Kubernetes PodSecurityContext: kubectl explain pod.spec.securityContext")
  @JsonDeserialize(using = KubernetesShape.LenientPodSecurityContext.class)
  public PodSecurityContext podSecurityContext;

  @SchemaFrom(type = Object.class)
  @PreserveUnknownFields
  @JsonPropertyDescription("Container securityContext; each field given replaces the default's (docs/pods.md). Schemaless."
      + " Kubernetes SecurityContext: kubectl explain pod.spec.containers.securityContext")
  @JsonDeserialize(using = KubernetesShape.LenientSecurityContext.class)
  public SecurityContext securityContext;
}
