package io.pistack.operator.model;

import com.fasterxml.jackson.databind.JsonNode;
import io.fabric8.kubernetes.api.model.PodSecurityContext;
import io.fabric8.kubernetes.api.model.SecurityContext;
import io.pistack.operator.api.v1alpha1.ComponentSpec;
import io.pistack.operator.api.v1alpha1.PiStackSpec;
import io.pistack.operator.model.OperatorPolicy.Setting;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * The operator's policy decision for one stack (docs/security.md#the-operators-guards): what in the PiStack the
 * {@link OperatorPolicy} refuses, each refusal naming the field and the chart value that would allow it. Pure;
 * the reconciler applies nothing for a stack with a refusal (Ready=False, reason RefusedByPolicy). Only what the
 * operator would create is judged: the enabled components' user-supplied pod fields (serviceAccountName,
 * extraVolumes, initContainers, sidecars, podSecurityContext, securityContext), the embedded database's security
 * contexts, the backup pods' service account, the Ingress annotations, and the stack's namespace.
 */
public final class PolicyCheck {
  private PolicyCheck() {}

  /** One refusal: the field, what is refused, and the setting that would allow it. */
  public record Refusal(String path, String what, Setting allowedBy) {
    @Override
    public String toString() {
      return path + ": " + what + " is refused by the operator's policy (allowed by the chart value "
          + allowedBy.chartValue + ", " + allowedBy.env + ")";
    }
  }

  public static List<Refusal> check(ResolvedStack stack, OperatorPolicy policy) {
    List<Refusal> out = new ArrayList<>();
    if (!policy.operatorNamespace() && stack.operator().runsIn(stack.namespace())) {
      out.add(new Refusal("metadata.namespace", "a PiStack in the operator's own namespace ("
          + stack.namespace() + "), where its pods could run as the operator,", Setting.OPERATOR_NAMESPACE));
    }
    PiStackSpec s = stack.source().getSpec() == null ? new PiStackSpec() : stack.source().getSpec();
    for (Component c : stack.enabledComponents()) {
      ComponentSpec cs = c.spec(s);
      if (cs != null) {
        component(out, policy, "spec." + c.specField(), cs);
      }
    }
    if (s.database != null && s.database.embedded != null) {
      podSecurity(out, policy, "spec.database.embedded.podSecurityContext", s.database.embedded.podSecurityContext);
      security(out, policy, "spec.database.embedded.securityContext", s.database.embedded.securityContext);
    }
    if (s.backup != null && s.backup.storage != null && s.backup.storage.s3 != null) {
      serviceAccount(out, policy, "spec.backup.storage.s3.serviceAccountName", s.backup.storage.s3.serviceAccountName);
    }
    if (!policy.ingressSnippets() && stack.ingressEnabled() && s.ingress.annotations != null) {
      s.ingress.annotations.keySet().stream().filter(PolicyCheck::snippet).sorted().forEach(k -> out.add(
          new Refusal("spec.ingress.annotations[" + k + "]", "an Ingress snippet annotation", Setting.INGRESS_SNIPPETS)));
    }
    return out;
  }

  /** ingress-nginx's configuration-snippet, server-snippet, auth-snippet, stream-snippet, ...: raw proxy configuration. */
  static boolean snippet(String key) {
    String name = key.substring(key.indexOf('/') + 1).toLowerCase(Locale.ROOT);
    return name.endsWith("-snippet") || name.equals("snippet") || name.endsWith("-snippets");
  }

  private static void component(List<Refusal> out, OperatorPolicy policy, String path, ComponentSpec c) {
    serviceAccount(out, policy, path + ".serviceAccountName", c.serviceAccountName);
    podSecurity(out, policy, path + ".podSecurityContext", c.podSecurityContext);
    security(out, policy, path + ".securityContext", c.securityContext);
    each(c.extraVolumes, path + ".extraVolumes", (p, v) -> volume(out, policy, p, v));
    each(c.initContainers, path + ".initContainers", (p, v) -> container(out, policy, p, v));
    each(c.sidecars, path + ".sidecars", (p, v) -> container(out, policy, p, v));
  }

  private static void serviceAccount(List<Refusal> out, OperatorPolicy policy, String path, String name) {
    if (name != null && !name.isEmpty() && !policy.serviceAccounts().isEmpty()
        && !policy.serviceAccounts().contains(name)) {
      out.add(new Refusal(path, "service account '" + name + "' (not in the allowed list "
          + policy.serviceAccounts().stream().sorted().toList() + ")", Setting.SERVICE_ACCOUNTS));
    }
  }

  private static void volume(List<Refusal> out, OperatorPolicy policy, String path, JsonNode v) {
    if (!policy.hostPath() && v.hasNonNull("hostPath")) {
      out.add(new Refusal(path + ".hostPath", "a hostPath volume", Setting.HOST_PATH));
    }
    if (!policy.serviceAccountTokens()) {
      each(list(v.path("projected").path("sources")), path + ".projected.sources", (p, source) -> {
        if (source.hasNonNull("serviceAccountToken")) {
          out.add(new Refusal(p + ".serviceAccountToken", "a projected service-account token",
              Setting.SERVICE_ACCOUNT_TOKENS));
        }
      });
    }
  }

  private static void container(List<Refusal> out, OperatorPolicy policy, String path, JsonNode c) {
    JsonNode sc = c.path("securityContext");
    if (!policy.privileged()) {
      if (sc.path("privileged").asBoolean(false)) {
        out.add(new Refusal(path + ".securityContext.privileged", "a privileged container", Setting.PRIVILEGED));
      }
      if (sc.path("allowPrivilegeEscalation").asBoolean(false)) {
        out.add(new Refusal(path + ".securityContext.allowPrivilegeEscalation", "privilege escalation",
            Setting.PRIVILEGED));
      }
      if (!list(sc.path("capabilities").path("add")).isEmpty()) {
        out.add(new Refusal(path + ".securityContext.capabilities.add", "added capabilities", Setting.PRIVILEGED));
      }
    }
    if (!policy.hostNamespaces()) {
      if (sc.path("windowsOptions").path("hostProcess").asBoolean(false)) {
        out.add(new Refusal(path + ".securityContext.windowsOptions.hostProcess", "a host process container",
            Setting.HOST_NAMESPACES));
      }
      each(list(c.path("ports")), path + ".ports", (p, port) -> {
        if (port.path("hostPort").asInt(0) != 0) {
          out.add(new Refusal(p + ".hostPort", "a port on the node's network (hostPort)", Setting.HOST_NAMESPACES));
        }
      });
    }
  }

  private static void security(List<Refusal> out, OperatorPolicy policy, String path, SecurityContext sc) {
    if (sc == null) {
      return;
    }
    if (!policy.privileged()) {
      if (Boolean.TRUE.equals(sc.getPrivileged())) {
        out.add(new Refusal(path + ".privileged", "a privileged container", Setting.PRIVILEGED));
      }
      if (Boolean.TRUE.equals(sc.getAllowPrivilegeEscalation())) {
        out.add(new Refusal(path + ".allowPrivilegeEscalation", "privilege escalation", Setting.PRIVILEGED));
      }
      if (sc.getCapabilities() != null && sc.getCapabilities().getAdd() != null
          && !sc.getCapabilities().getAdd().isEmpty()) {
        out.add(new Refusal(path + ".capabilities.add", "added capabilities", Setting.PRIVILEGED));
      }
    }
    if (!policy.hostNamespaces() && sc.getWindowsOptions() != null
        && Boolean.TRUE.equals(sc.getWindowsOptions().getHostProcess())) {
      out.add(new Refusal(path + ".windowsOptions.hostProcess", "a host process container", Setting.HOST_NAMESPACES));
    }
  }

  private static void podSecurity(List<Refusal> out, OperatorPolicy policy, String path, PodSecurityContext sc) {
    if (sc != null && !policy.hostNamespaces() && sc.getWindowsOptions() != null
        && Boolean.TRUE.equals(sc.getWindowsOptions().getHostProcess())) {
      out.add(new Refusal(path + ".windowsOptions.hostProcess", "a host process pod", Setting.HOST_NAMESPACES));
    }
  }

  private static List<JsonNode> list(JsonNode array) {
    List<JsonNode> l = new ArrayList<>();
    if (array != null && array.isArray()) {
      array.forEach(l::add);
    }
    return l;
  }

  private static void each(List<JsonNode> items, String path, java.util.function.BiConsumer<String, JsonNode> f) {
    if (items == null) {
      return;
    }
    for (int i = 0; i < items.size(); i++) {
      if (items.get(i) != null && items.get(i).isObject()) {
        f.accept(path + "[" + i + "]", items.get(i));
      }
    }
  }

  /** Refusals as the status and event lines (field path first). */
  public static List<String> messages(List<Refusal> refusals) {
    return refusals.stream().map(Refusal::toString).toList();
  }
}
