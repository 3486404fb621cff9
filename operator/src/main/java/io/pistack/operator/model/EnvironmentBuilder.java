package io.pistack.operator.model;

import io.fabric8.kubernetes.api.model.EnvVar;
import io.fabric8.kubernetes.api.model.EnvVarBuilder;
import io.pistack.operator.api.v1alpha1.DashboardSpec;
import io.pistack.operator.model.ResolvedStack.SecretKey;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The environment of each Pi container (pi-facts.md §3). Secrets are always referenced, never
 * copied into the pod spec. The user's extra env wins over the operator's variables of the same
 * name.
 */
public final class EnvironmentBuilder {
  private EnvironmentBuilder() {}

  public static List<EnvVar> build(ResolvedStack stack, Component c) {
    Map<String, EnvVar> env = new LinkedHashMap<>();
    put(env, "TZ", "UTC");
    switch (c) {
      case DASHBOARD -> dashboard(stack, env);
      case SCHEDULER -> scheduler(stack, env);
      default -> { }
    }
    List<EnvVar> extra = stack.component(c).env;
    if (extra != null) {
      extra.forEach(e -> env.put(e.getName(), e));
    }
    return new ArrayList<>(env.values());
  }

  private static void dashboard(ResolvedStack stack, Map<String, EnvVar> env) {
    database(stack, env);
    stack.licence().ifPresent(l -> secret(env, "PI_LICENCE", l));
    DashboardSpec d = stack.dashboard();
    put(env, "PI_TOMCAT_MAX_MEMORY", Long.toString(stack.tomcatMaxMemoryMb()));
    if (d.tomcatMaxThreads != null) {
      put(env, "PI_TOMCAT_MAX_THREADS", d.tomcatMaxThreads.toString());
    }
    if (d.maxDbConnections != null) {
      put(env, "PI_TOMCAT_MAX_TOTAL_DB_CONNECTIONS", d.maxDbConnections.toString());
    }
    if (d.cookieName != null) {
      put(env, "PI_TOMCAT_COOKIE_NAME", d.cookieName);
    }
    if (d.frameAncestors != null) {
      put(env, "PI_TOMCAT_FRAME_ANCESTORS", d.frameAncestors);
    }
    // The renderer calls back on the internal port (plain HTTP, never exposed).
    put(env, "RENDERER_DASHBOARD_URL",
        "http://" + stack.name(Component.DASHBOARD) + ":" + Component.DASHBOARD_INTERNAL_PORT + "/pi");
    if (stack.enabled(Component.RENDERER)) {
      put(env, "PI_VARIABLE_PAN_RENDERER_URL", stack.serviceUrl(Component.RENDERER));
      put(env, "PAN_RENDERER_URL", stack.serviceUrl(Component.RENDERER));
    }
    if (stack.enabled(Component.SCHEDULER)) {
      put(env, "PI_VARIABLE_PAN_SCHEDULER_URL", stack.serviceUrl(Component.SCHEDULER));
      put(env, "PAN_SCHEDULER_URL", stack.serviceUrl(Component.SCHEDULER));
    }
    if (stack.enabled(Component.ANALYTICS)) {
      put(env, "PI_VARIABLE_ANALYTICS_SERVER_URL", stack.serviceUrl(Component.ANALYTICS));
    }
    if (stack.ingressEnabled()) {
      boolean tls = stack.ingressTls();
      put(env, "PI_PROXY_ENABLED", "true");
      put(env, "PI_PROXY_SCHEME", tls ? "https" : "http");
      put(env, "PI_PROXY_HOST", stack.ingress().host);
      put(env, "PI_PROXY_PORT", tls ? "443" : "80");
      put(env, "PI_PROXY_IS_SECURE", Boolean.toString(tls));
      if (tls) {
        put(env, "PI_TOMCAT_COOKIE_SECURE", "true");
      }
    }
  }

  private static void scheduler(ResolvedStack stack, Map<String, EnvVar> env) {
    database(stack, env);
    put(env, "SCHEDULER_DASHBOARD_URL", stack.serviceUrl(Component.DASHBOARD) + "/pi");
  }

  /** Dashboard and scheduler only: renderer, analytics and excel-reader never see DB credentials. */
  private static void database(ResolvedStack stack, Map<String, EnvVar> env) {
    put(env, "PI_EXTERNAL_DB", "true");
    put(env, "PI_DB_HOST", stack.databaseHost());
    put(env, "PI_DB_PORT", Integer.toString(stack.databasePort()));
    put(env, "PI_DB_SCHEMA_NAME", stack.databaseSchema());
    secret(env, "PI_DB_USERNAME", stack.databaseUsername());
    secret(env, "PI_DB_PASSWORD", stack.databasePassword());
    if (stack.databaseIsMysql()) {
      put(env, "PI_DB_IS_MYSQL", "true");
    }
  }

  private static void put(Map<String, EnvVar> env, String name, String value) {
    env.put(name, new EnvVarBuilder().withName(name).withValue(value).build());
  }

  static void secret(Map<String, EnvVar> env, String name, SecretKey ref) {
    env.put(name, secretVar(name, ref));
  }

  /**
   * A variable read from a Secret. It also carries {@code value: ""}, which the API server drops
   * (omitempty): JOSDK 5.2.3's SSA matcher adds an empty value to every live env var without one
   * (its fix for empty variables, operator-framework/java-operator-sdk#2802), so a desired variable
   * without it would never match and every reconcile would re-apply the workload.
   */
  static EnvVar secretVar(String name, SecretKey ref) {
    return new EnvVarBuilder().withName(name).withValue("")
        .withNewValueFrom().withNewSecretKeyRef(ref.key(), ref.secret(), false).endValueFrom()
        .build();
  }
}
