package io.pistack.operator.realapi;

import io.fabric8.kubernetes.api.model.ServiceAccountBuilder;
import io.fabric8.kubernetes.api.model.authentication.TokenRequestBuilder;
import io.fabric8.kubernetes.api.model.rbac.PolicyRule;
import io.fabric8.kubernetes.api.model.rbac.RoleBindingBuilder;
import io.fabric8.kubernetes.api.model.rbac.RoleBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/**
 * A user who holds exactly the given rules in the test's namespace, as a kubeconfig: a ServiceAccount {@code name},
 * a Role and RoleBinding of the same name, and a token for it. How a test proves a documented RBAC table is enough.
 */
final class ServiceAccountKubeconfig {
  private ServiceAccountKubeconfig() {}

  /** Writes the kubeconfig to {@code file} and returns it. */
  static Path write(RealApiStack env, String name, List<PolicyRule> rules, Path file) throws IOException {
    KubernetesClient admin = env.admin;
    admin.resource(new ServiceAccountBuilder().withNewMetadata().withName(name).withNamespace(env.ns)
        .endMetadata().build()).create();
    admin.resource(new RoleBuilder().withNewMetadata().withName(name).withNamespace(env.ns).endMetadata()
        .withRules(rules).build()).create();
    admin.resource(new RoleBindingBuilder().withNewMetadata().withName(name).withNamespace(env.ns)
        .endMetadata().withNewRoleRef("rbac.authorization.k8s.io", "Role", name)
        .addNewSubject().withKind("ServiceAccount").withName(name).withNamespace(env.ns).endSubject().build())
        .create();
    String token = admin.serviceAccounts().inNamespace(env.ns).withName(name)
        .tokenRequest(new TokenRequestBuilder().withNewSpec().withExpirationSeconds(3600L).endSpec().build())
        .getStatus().getToken();
    var c = admin.getConfiguration();
    Files.writeString(file, """
        apiVersion: v1
        kind: Config
        clusters:
        - name: real
          cluster: {server: "%s", certificate-authority-data: "%s"}
        users:
        - name: %s
          user: {token: "%s"}
        contexts:
        - name: %s
          context: {cluster: real, user: %s}
        current-context: %s
        """.formatted(c.getMasterUrl(), c.getCaCertData(), name, token, name, name, name));
    return file;
  }
}
