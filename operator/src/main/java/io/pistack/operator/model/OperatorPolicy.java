package io.pistack.operator.model;

import java.util.Set;

/**
 * What the operator refuses to put into the pods and Ingress it creates for a PiStack, whoever wrote
 * the PiStack (docs/security.md#the-operators-guards). Writing a PiStack is as strong as creating
 * pods in its namespace: these guards keep the dangerous part of that out unless the platform team
 * allows it (chart values {@code stackPolicy.*}, env {@code PI_OPERATOR_ALLOW_*}). {@link PolicyCheck}
 * decides; every default refuses.
 *
 * @param serviceAccountTokens allow projected service-account tokens (a projected volume's
 *     serviceAccountToken source) in user-supplied volumes
 * @param hostPath allow hostPath volumes
 * @param hostNamespaces allow the node's namespaces: hostNetwork, hostPID, hostIPC and hostPort in
 *     user-supplied containers (a Windows hostProcess container too)
 * @param privileged allow privileged containers, allowPrivilegeEscalation and added capabilities
 * @param serviceAccounts the service accounts a stack's pods may run as; empty: any
 * @param ingressSnippets allow Ingress annotations whose key ends in "-snippet" (ingress-nginx's
 *     configuration-snippet, server-snippet, auth-snippet ...), which inject proxy configuration
 * @param operatorNamespace allow PiStacks in the operator's own namespace
 */
public record OperatorPolicy(boolean serviceAccountTokens, boolean hostPath, boolean hostNamespaces,
    boolean privileged, Set<String> serviceAccounts, boolean ingressSnippets, boolean operatorNamespace) {
  /** Everything refused, any service account. */
  public static final OperatorPolicy DEFAULT = new OperatorPolicy(false, false, false, false, Set.of(), false, false);
  /** Nothing refused (the behaviour before the guards). */
  public static final OperatorPolicy PERMISSIVE = new OperatorPolicy(true, true, true, true, Set.of(), true, true);

  public OperatorPolicy {
    serviceAccounts = Set.copyOf(serviceAccounts);
  }

  /** The chart value that allows each guarded thing (named in every refusal). */
  public enum Setting {
    SERVICE_ACCOUNT_TOKENS("stackPolicy.allowServiceAccountTokens", "PI_OPERATOR_ALLOW_SERVICE_ACCOUNT_TOKENS"),
    HOST_PATH("stackPolicy.allowHostPath", "PI_OPERATOR_ALLOW_HOST_PATH"),
    HOST_NAMESPACES("stackPolicy.allowHostNamespaces", "PI_OPERATOR_ALLOW_HOST_NAMESPACES"),
    PRIVILEGED("stackPolicy.allowPrivileged", "PI_OPERATOR_ALLOW_PRIVILEGED"),
    SERVICE_ACCOUNTS("stackPolicy.serviceAccounts", "PI_OPERATOR_SERVICE_ACCOUNTS"),
    INGRESS_SNIPPETS("stackPolicy.allowIngressSnippets", "PI_OPERATOR_ALLOW_INGRESS_SNIPPETS"),
    OPERATOR_NAMESPACE("stackPolicy.allowStacksInOperatorNamespace",
        "PI_OPERATOR_ALLOW_STACKS_IN_OPERATOR_NAMESPACE");

    public final String chartValue;
    public final String env;

    Setting(String chartValue, String env) {
      this.chartValue = chartValue;
      this.env = env;
    }
  }
}
