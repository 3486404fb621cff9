package io.pistack.operator.model;

import io.fabric8.kubernetes.api.model.gatewayapi.v1.BackendTLSPolicy;
import io.fabric8.kubernetes.api.model.gatewayapi.v1.BackendTLSPolicySpecBuilder;
import io.fabric8.kubernetes.api.model.gatewayapi.v1.BackendTLSPolicyValidationBuilder;
import io.pistack.operator.api.v1alpha1.HttpRouteSpec;
import java.util.Optional;

/**
 * The dashboard's BackendTLSPolicy (gateway.networking.k8s.io/v1), wanted while the HTTPRoute is and the dashboard
 * serves HTTPS (dashboard.https): the Gateway speaks TLS to the Service's HTTPS port and checks the certificate
 * for the name {@code <stack>-dashboard} (the name docs/https.md asks the certificate to carry), against the CA of
 * the ConfigMap named in httpRoute.backendTls, else the Gateway's system CAs. Fields the API server would default
 * are written out so a no-op reconcile writes nothing.
 */
public final class BackendTlsPolicyBuilder {
  /** The key of the CA in the ConfigMap (the Gateway API's convention for caCertificateRefs). */
  public static final String CA_KEY = "ca.crt";
  public static final String SYSTEM = "System";

  private BackendTlsPolicyBuilder() {}

  /** True when the stack has a route to a dashboard that serves HTTPS. */
  public static boolean wanted(ResolvedStack stack) {
    return stack.httpRouteEnabled() && stack.enabled(Component.DASHBOARD) && stack.tls(Component.main()).isPresent();
  }

  /** The ConfigMap holding the dashboard's CA, when the user named one. */
  public static Optional<String> caConfigMap(ResolvedStack stack) {
    HttpRouteSpec.BackendTls tls = stack.httpRoute().backendTls;
    return Optional.ofNullable(tls == null ? null : tls.caCertificateConfigMap);
  }

  public static BackendTLSPolicy build(ResolvedStack stack) {
    Component backend = Component.main();
    String service = stack.name(backend);
    var validation = new BackendTLSPolicyValidationBuilder().withHostname(service);
    caConfigMap(stack).ifPresentOrElse(
        cm -> validation.addNewCaCertificateRef().withGroup("").withKind("ConfigMap").withName(cm)
            .endCaCertificateRef(),
        () -> validation.withWellKnownCACertificates(SYSTEM));
    var spec = new BackendTLSPolicySpecBuilder()
        .addNewTargetRef().withGroup("").withKind("Service").withName(service)
        .withSectionName(backend.ports().get(0).name()).endTargetRef()
        .withValidation(validation.build());
    BackendTLSPolicy policy = new BackendTLSPolicy();
    policy.setMetadata(ChildMetadata.of(stack, stack.name(), backend.part()));
    policy.setSpec(spec.build());
    return policy;
  }
}
