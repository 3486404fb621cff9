package io.pistack.operator.model;

import static org.assertj.core.api.Assertions.assertThat;

import io.pistack.operator.model.OperatorPolicy.Setting;
import io.pistack.operator.model.PolicyCheck.Refusal;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** One test per guard of the operator's policy: refused by default, allowed by its setting, the path named. */
class PolicyCheckTest {
  static final String V = "  version: \"2025_10.1\"\n";

  static List<Refusal> check(String yaml, OperatorPolicy policy) {
    return PolicyCheck.check(TestStacks.resolved(V + yaml), policy);
  }

  static void refusedThenAllowed(String yaml, String path, Setting setting, OperatorPolicy allowing) {
    List<Refusal> refused = check(yaml, OperatorPolicy.DEFAULT);
    assertThat(refused).extracting(Refusal::path).containsExactly(path);
    assertThat(refused.get(0).allowedBy()).isEqualTo(setting);
    assertThat(refused.get(0).toString()).startsWith(path + ": ").contains(setting.chartValue).contains(setting.env);
    assertThat(check(yaml, allowing)).isEmpty();
  }

  static OperatorPolicy allow(Setting s) {
    OperatorPolicy d = OperatorPolicy.DEFAULT;
    return new OperatorPolicy(s == Setting.SERVICE_ACCOUNT_TOKENS, s == Setting.HOST_PATH,
        s == Setting.HOST_NAMESPACES, s == Setting.PRIVILEGED, d.serviceAccounts(), s == Setting.INGRESS_SNIPPETS,
        s == Setting.OPERATOR_NAMESPACE);
  }

  @Test
  void aPlainStackPassesTheDefaults() {
    assertThat(check("""
          dashboard:
            serviceAccountName: pi-reader
            extraVolumes: [{name: fonts, configMap: {name: fonts}}]
            sidecars: [{name: logs, image: busybox, securityContext: {allowPrivilegeEscalation: false}}]
            securityContext: {allowPrivilegeEscalation: false, capabilities: {drop: [ALL]}}
          ingress:
            enabled: true
            host: pi.example.com
            annotations: {nginx.ingress.kubernetes.io/proxy-body-size: 50m}
        """, OperatorPolicy.DEFAULT)).isEmpty();
  }

  @Test
  void projectedServiceAccountTokens() {
    refusedThenAllowed("""
          renderer:
            extraVolumes:
            - name: token
              projected:
                sources:
                - configMap: {name: ca}
                - serviceAccountToken: {path: token, audience: vault}
        """, "spec.renderer.extraVolumes[0].projected.sources[1].serviceAccountToken", Setting.SERVICE_ACCOUNT_TOKENS,
        allow(Setting.SERVICE_ACCOUNT_TOKENS));
  }

  @Test
  void hostPathVolumes() {
    refusedThenAllowed("""
          dashboard:
            extraVolumes: [{name: fonts, configMap: {name: f}}, {name: root, hostPath: {path: /}}]
        """, "spec.dashboard.extraVolumes[1].hostPath", Setting.HOST_PATH, allow(Setting.HOST_PATH));
  }

  @Test
  void hostPortsAndHostProcessContainers() {
    refusedThenAllowed("""
          analytics:
            initContainers: [{name: init, image: busybox, ports: [{containerPort: 80, hostPort: 80}]}]
        """, "spec.analytics.initContainers[0].ports[0].hostPort", Setting.HOST_NAMESPACES,
        allow(Setting.HOST_NAMESPACES));
    refusedThenAllowed("""
          scheduler:
            podSecurityContext: {windowsOptions: {hostProcess: true}}
        """, "spec.scheduler.podSecurityContext.windowsOptions.hostProcess", Setting.HOST_NAMESPACES,
        allow(Setting.HOST_NAMESPACES));
  }

  @Test
  void privilegedContainersEscalationAndCapabilities() {
    refusedThenAllowed("""
          dashboard:
            sidecars: [{name: s, image: busybox, securityContext: {privileged: true}}]
        """, "spec.dashboard.sidecars[0].securityContext.privileged", Setting.PRIVILEGED, allow(Setting.PRIVILEGED));
    refusedThenAllowed("""
          renderer:
            securityContext: {allowPrivilegeEscalation: true}
        """, "spec.renderer.securityContext.allowPrivilegeEscalation", Setting.PRIVILEGED, allow(Setting.PRIVILEGED));
    refusedThenAllowed("""
          database:
            embedded:
              securityContext: {capabilities: {add: [NET_ADMIN]}}
        """, "spec.database.embedded.securityContext.capabilities.add", Setting.PRIVILEGED, allow(Setting.PRIVILEGED));
    refusedThenAllowed("""
          excelReader:
            initContainers: [{name: i, image: busybox, securityContext: {capabilities: {add: [SYS_ADMIN]}}}]
        """, "spec.excelReader.initContainers[0].securityContext.capabilities.add", Setting.PRIVILEGED,
        allow(Setting.PRIVILEGED));
  }

  @Test
  void serviceAccountsOnlyFromTheAllowListWhenOneIsGiven() {
    String yaml = """
          dashboard: {serviceAccountName: pi-operator}
        """;
    assertThat(check(yaml, OperatorPolicy.DEFAULT)).as("no list: any").isEmpty();
    OperatorPolicy listed = new OperatorPolicy(false, false, false, false, Set.of("pi-reader"), false, false);
    assertThat(check(yaml, listed)).singleElement().satisfies(r -> {
      assertThat(r.path()).isEqualTo("spec.dashboard.serviceAccountName");
      assertThat(r.toString()).contains("'pi-operator'").contains("[pi-reader]").contains("stackPolicy.serviceAccounts");
    });
    assertThat(check("  dashboard: {serviceAccountName: pi-reader}\n", listed)).isEmpty();
    assertThat(check("""
          backup:
            enabled: true
            storage:
              s3: {bucket: b, region: eu-west-1, serviceAccountName: admin}
        """, listed)).extracting(Refusal::path).containsExactly("spec.backup.storage.s3.serviceAccountName");
  }

  @Test
  void ingressSnippetAnnotations() {
    String yaml = """
          ingress:
            enabled: true
            host: pi.example.com
            annotations:
              nginx.ingress.kubernetes.io/configuration-snippet: "more_set_headers x;"
              nginx.ingress.kubernetes.io/server-snippet: "location /x {}"
              nginx.ingress.kubernetes.io/auth-snippet: "x"
              nginx.ingress.kubernetes.io/proxy-read-timeout: "90"
        """;
    assertThat(check(yaml, OperatorPolicy.DEFAULT)).extracting(Refusal::path).containsExactly(
        "spec.ingress.annotations[nginx.ingress.kubernetes.io/auth-snippet]",
        "spec.ingress.annotations[nginx.ingress.kubernetes.io/configuration-snippet]",
        "spec.ingress.annotations[nginx.ingress.kubernetes.io/server-snippet]");
    assertThat(check(yaml, allow(Setting.INGRESS_SNIPPETS))).isEmpty();
  }

  @Test
  void stacksInTheOperatorsNamespace() {
    ResolvedStack inOperators = TestStacks.resolved(V).withOperator(OperatorIdentity.in("ns", Map.of()));
    assertThat(PolicyCheck.check(inOperators, OperatorPolicy.DEFAULT)).singleElement().satisfies(r -> {
      assertThat(r.path()).isEqualTo("metadata.namespace");
      assertThat(r.allowedBy()).isEqualTo(Setting.OPERATOR_NAMESPACE);
    });
    assertThat(PolicyCheck.check(inOperators, allow(Setting.OPERATOR_NAMESPACE))).isEmpty();
    assertThat(PolicyCheck.check(TestStacks.resolved(V).withOperator(OperatorIdentity.in("pi-system", Map.of())),
        OperatorPolicy.DEFAULT)).as("another namespace").isEmpty();
    assertThat(PolicyCheck.check(TestStacks.resolved(V), OperatorPolicy.DEFAULT)).as("outside the cluster").isEmpty();
  }

  @Test
  void onlyWhatTheOperatorWouldCreateIsJudged() {
    assertThat(check("""
          qdrant:
            enabled: false
            extraVolumes: [{name: root, hostPath: {path: /}}]
        """, OperatorPolicy.DEFAULT)).as("a disabled component's pods are not created").isEmpty();
    assertThat(check("""
          ingress:
            enabled: false
            annotations: {nginx.ingress.kubernetes.io/server-snippet: x}
        """, OperatorPolicy.DEFAULT)).as("no Ingress").isEmpty();
    assertThat(PolicyCheck.check(TestStacks.resolved(V + """
          dashboard:
            extraVolumes: [{name: root, hostPath: {path: /}}]
        """), OperatorPolicy.PERMISSIVE)).isEmpty();
  }
}
