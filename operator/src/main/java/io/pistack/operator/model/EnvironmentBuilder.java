package io.pistack.operator.model;

import io.fabric8.kubernetes.api.model.EnvVar;
import io.fabric8.kubernetes.api.model.EnvVarBuilder;
import io.pistack.operator.api.v1alpha1.DashboardSpec;
import io.pistack.operator.model.ComponentDefinition.EnvGroup;
import io.pistack.operator.model.ComponentDefinition.EnvSource;
import io.pistack.operator.model.ComponentDefinition.Link;
import io.pistack.operator.model.ResolvedStack.SecretKey;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The environment of each Pi container (pi-facts.md §3): TZ, then the component's {@link
 * Component#env()} in order, then the user's extra env, which wins over the operator's variables of
 * the same name. Secrets are always referenced, never copied into the pod spec.
 */
public final class EnvironmentBuilder {
  /** Qdrant's own setting of its API key (qdrant.tech/documentation/guides/security). */
  public static final String QDRANT_SERVER_KEY_VAR = "QDRANT__SERVICE__API_KEY";
  /** The dashboard's: the operator's name (docs/qdrant.md#api-key), as PI_VECTOR_DB_URL is. */
  public static final String QDRANT_CLIENT_KEY_VAR = "PI_VECTOR_DB_API_KEY";
  private EnvironmentBuilder() {}

  public static List<EnvVar> build(ResolvedStack stack, Component c) {
    Map<String, EnvVar> env = new LinkedHashMap<>();
    put(env, "TZ", "UTC");
    for (EnvSource source : c.env()) {
      if (source instanceof Link link) {
        link(stack, link, env);
      } else {
        switch ((EnvGroup) source) {
          case DATABASE -> database(stack, env);
          case LICENCE -> stack.licence().ifPresent(l -> secret(env, "PI_LICENCE", l));
          case TOMCAT -> tomcat(stack, c, env);
          case PROXY -> proxy(stack, env);
          case VECTOR_DB_CLIENT -> {
            if (stack.enabled(Component.QDRANT)) {
              secret(env, QDRANT_CLIENT_KEY_VAR, stack.qdrantApiKey());
            }
          }
          case VECTOR_DB_SERVER -> secret(env, QDRANT_SERVER_KEY_VAR, stack.qdrantApiKey());
          case JAVA_TRUST -> {
            if (stack.trust().isPresent()) {
              put(env, "JAVA_TOOL_OPTIONS", TrustStoreBuilder.JAVA_TOOL_OPTIONS);
            }
          }
        }
      }
    }
    stack.tls(c).ifPresent(t -> {
      put(env, t.enableVar(), "true");
      put(env, t.certVar(), t.certPath());
      put(env, t.keyVar(), t.keyPath());
      if (t.secureCookieVar() != null) {
        put(env, t.secureCookieVar(), "true");
      }
    });
    List<EnvVar> extra = stack.component(c).env;
    if (extra != null) {
      extra.forEach(e -> env.put(e.getName(), e));
    }
    return new ArrayList<>(env.values());
  }

  /**
   * Another component's URL, https when that port serves HTTPS; {@link Link#onlyIfEnabled()} ones
   * only while it runs.
   */
  private static void link(ResolvedStack stack, Link link, Map<String, EnvVar> env) {
    Component target = Component.fromPart(link.target());
    if (link.onlyIfEnabled() && !stack.enabled(target)) {
      return;
    }
    ComponentDefinition.NamedPort port = target.namedPort(link.port());
    String scheme = stack.servesTls(target, link.port()) ? "https://" : "http://";
    String url = scheme + stack.serviceName(target, port) + ":" + port.number() + link.path();
    link.names().forEach(name -> put(env, name, url));
  }

  private static void tomcat(ResolvedStack stack, Component c, Map<String, EnvVar> env) {
    DashboardSpec d = stack.dashboard();
    put(env, "PI_TOMCAT_MAX_MEMORY", Long.toString(stack.sizing(c).tomcatMaxMemoryMb()));
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
  }

  /** The public address the dashboard builds its links with (PublicAddress), when it has one. */
  private static void proxy(ResolvedStack stack, Map<String, EnvVar> env) {
    stack.publicAddress().ifPresent(a -> {
      put(env, "PI_PROXY_ENABLED", "true");
      put(env, "PI_PROXY_SCHEME", a.scheme());
      put(env, "PI_PROXY_HOST", a.host());
      put(env, "PI_PROXY_PORT", Integer.toString(a.port()));
      put(env, "PI_PROXY_IS_SECURE", Boolean.toString(a.secure()));
      if (a.secure()) {
        put(env, "PI_TOMCAT_COOKIE_SECURE", "true");
      }
    });
  }

  /** Only components with {@link EnvGroup#DATABASE} see the database credentials. */
  private static void database(ResolvedStack stack, Map<String, EnvVar> env) {
    put(env, "PI_EXTERNAL_DB", "true");
    put(env, "PI_DB_HOST", stack.database().host());
    put(env, "PI_DB_PORT", Integer.toString(stack.database().port()));
    put(env, "PI_DB_SCHEMA_NAME", stack.database().schema());
    secret(env, "PI_DB_USERNAME", stack.database().username());
    secret(env, "PI_DB_PASSWORD", stack.database().password());
    if (stack.database().mysql()) {
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
