package io.pistack.operator.api.v1alpha1;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.kubernetes.api.model.Condition;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;

@JsonInclude(JsonInclude.Include.NON_NULL)
public class PiStackStatus {
  @JsonPropertyDescription("The metadata.generation the status describes.")
  public Long observedGeneration;

  @JsonPropertyDescription("Ready, Progressing, Degraded, DatabaseReady, one <Component>Ready per enabled"
      + " component, and Stalled when the spec is invalid. See docs/status.md. Kubernetes Condition (meta/v1):"
      + " type, status (True, False, Unknown), reason (CamelCase), message, lastTransitionTime, observedGeneration.")
  public List<Condition> conditions = new ArrayList<>();

  @JsonPropertyDescription("Per component: replicas, image and the last health probe.")
  public Map<String, ComponentStatus> components = new TreeMap<>();

  @JsonPropertyDescription("The dashboard's public URL when an ingress is set.")
  public String url;

  @JsonPropertyDescription("Dashboard ready/desired replicas, for kubectl get.")
  public String dashboardReplicas;

  @JsonPropertyDescription("Settings that are legal but almost certainly wrong, as 'field.path: advice'"
      + " (see docs/status.md). Each also produced a Warning event when the spec generation was new.")
  public List<String> warnings;

  @JsonPropertyDescription("The last backup outcomes: scheduled, pre-upgrade and on-demand (PiBackup) backups.")
  public BackupStatus backup;

  @JsonPropertyDescription("Progress and outcome of spec.restore; absent without spec.restore.")
  public RestoreStatus restore;

  @Override
  public boolean equals(Object o) {
    if (!(o instanceof PiStackStatus s)) {
      return false;
    }
    return Objects.equals(observedGeneration, s.observedGeneration)
        && Objects.equals(conditions, s.conditions)
        && Objects.equals(components, s.components)
        && Objects.equals(url, s.url)
        && Objects.equals(dashboardReplicas, s.dashboardReplicas)
        && Objects.equals(backup, s.backup)
        && Objects.equals(restore, s.restore)
        && Objects.equals(warnings, s.warnings);
  }

  @Override
  public int hashCode() {
    return Objects.hash(observedGeneration, conditions, components, url, dashboardReplicas, backup, restore, warnings);
  }
}
