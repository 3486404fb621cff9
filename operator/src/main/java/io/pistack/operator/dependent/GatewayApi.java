package io.pistack.operator.dependent;

import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.gatewayapi.v1.HTTPRoute;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.javaoperatorsdk.operator.api.reconciler.Context;
import io.javaoperatorsdk.operator.api.reconciler.dependent.DependentResource;
import io.javaoperatorsdk.operator.processing.dependent.workflow.Condition;
import io.pistack.operator.access.ApiAccess;
import io.pistack.operator.api.v1alpha1.PiStack;
import java.util.Map;
import java.util.WeakHashMap;

/**
 * Whether the cluster serves HTTPRoutes (gateway.networking.k8s.io/v1), asked once per client (so once per operator
 * process: the API discovery, which every authenticated user may read) and remembered: installing the Gateway API
 * CRDs later needs a restart of the operator (docs/exposure.md). The HTTPRoute dependent is active only when it does.
 */
@ApiAccess.PassesClient("reads the API discovery only (/apis/gateway.networking.k8s.io/v1), no resource")
public final class GatewayApi implements Condition<HasMetadata, PiStack> {
  public static final String MISSING = "spec.httpRoute: the cluster did not serve the Gateway API"
      + " (gateway.networking.k8s.io/v1 HTTPRoute) when the operator started: install the Gateway API CRDs"
      + " (standard channel) and restart the operator, or expose the dashboard with spec.ingress instead";
  private static final Map<KubernetesClient, Map<Class<?>, Boolean>> SEEN = new WeakHashMap<>();

  /** Asked once per client; a failed discovery call is not remembered (the next reconcile asks again). */
  public static boolean available(KubernetesClient client) {
    return serves(client, HTTPRoute.class);
  }

  /** Whether the cluster serves that kind, asked once per client and kind like {@link #available}. */
  static boolean serves(KubernetesClient client, Class<? extends HasMetadata> kind) {
    synchronized (SEEN) {
      Boolean known = SEEN.computeIfAbsent(client, k -> new java.util.HashMap<>()).get(kind);
      if (known != null) {
        return known;
      }
      try {
        boolean served = client.supports(kind);
        SEEN.get(client).put(kind, served);
        return served;
      } catch (RuntimeException e) {
        return false;
      }
    }
  }

  /** The activation condition of the HTTPRoute dependent. */
  @Override
  public boolean isMet(DependentResource<HasMetadata, PiStack> d, PiStack p, Context<PiStack> c) {
    return available(c.getClient());
  }

  /**
   * The activation condition of the BackendTLSPolicy dependent: the cluster serves BackendTLSPolicies
   * (gateway.networking.k8s.io/v1, standard channel since Gateway API v1.4), asked once like HTTPRoutes.
   */
  public static final class BackendTls implements Condition<HasMetadata, PiStack> {
    @Override
    public boolean isMet(DependentResource<HasMetadata, PiStack> d, PiStack p, Context<PiStack> c) {
      return serves(c.getClient(), io.fabric8.kubernetes.api.model.gatewayapi.v1.BackendTLSPolicy.class);
    }
  }
}
