package io.pistack.operator.api.v1alpha1;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import com.fasterxml.jackson.databind.JsonNode;
import io.fabric8.generator.annotation.Size;
import java.util.List;

/** The NetworkPolicies the operator makes for the stack (docs/network.md). */
@JsonInclude(JsonInclude.Include.NON_NULL)
public class NetworkPolicySpec {
  @JsonPropertyDescription("Make the stack's NetworkPolicies (default true): the database reachable only from"
      + " the dashboard, the scheduler and the backup and restore pods; the dashboard's internal port only from"
      + " the renderer; Qdrant only from the dashboard; the operator's health checks from pods labelled"
      + " app.kubernetes.io/name=pi-operator in any namespace. false makes none and deletes the operator's.")
  public Boolean enabled;

  @Size(max = 20)
  @JsonPropertyDescription("Who may reach the dashboard's public port 8224, as NetworkPolicy peers (podSelector,"
      + " namespaceSelector, ipBlock). Default: anyone, so an ingress controller in any namespace works."
      + " Schemaless here (the CRD's size); the API server checks them when the operator applies the policy.")
  public List<JsonNode> dashboardFrom;
}
