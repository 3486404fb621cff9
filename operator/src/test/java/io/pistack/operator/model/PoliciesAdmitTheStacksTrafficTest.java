package io.pistack.operator.model;

import io.pistack.operator.desired.DesiredStacks;
import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.EnvVar;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.PodTemplateSpec;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.apps.StatefulSet;
import io.fabric8.kubernetes.api.model.batch.v1.CronJob;
import io.fabric8.kubernetes.api.model.batch.v1.Job;
import io.fabric8.kubernetes.api.model.networking.v1.NetworkPolicy;
import io.pistack.operator.api.v1alpha1.PiStack;
import io.pistack.operator.health.ProbeTarget;
import io.pistack.operator.model.NetworkPolicyEvaluator.Pod;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * The rendered NetworkPolicies, evaluated as an enforcing network plugin would (NetworkPolicyEvaluator): the
 * test tiers have no such plugin, so this is where "who reaches whom" is proven. The legitimate flows are read
 * from the rendered objects themselves, not from the component table the policies are built from: every URL in
 * a container's environment (its caller is that container's component, but RENDERER_DASHBOARD_URL, which the
 * dashboard hands to the renderer), every pod given the database's host, the dashboard to the excel reader
 * (no URL variable is published for it) and to Qdrant's gRPC port, the operator's health checks
 * (ProbeTarget), and the ingress controller of spec.networkPolicy.dashboardFrom. Each is allowed; every other
 * pair of the stack's pods and ports is denied; so is every pod of another namespace, the operator's labels on a
 * pod outside the operator's namespace included.
 */
class PoliciesAdmitTheStacksTrafficTest {
  static final String NS = "team-a";
  static final OperatorIdentity OPERATOR = OperatorIdentity.in("pi-system",
      Map.of(Labels.NAME, "pi-operator", Labels.INSTANCE, "pi-operator"));
  static final Pod OPERATOR_POD = Pod.in("pi-system",
      Map.of(Labels.NAME, "pi-operator", Labels.INSTANCE, "pi-operator", "pod-template-hash", "abc"));
  static final Pod INGRESS_CONTROLLER = Pod.in("ingress-nginx", Map.of(Labels.NAME, "ingress-nginx"));
  private static final Pattern URL = Pattern.compile("^https?://([a-z0-9-]+):(\\d+)(/.*)?$");

  /** A connection the stack needs: from a pod to a port of the pods of a part. */
  record Flow(Pod from, String fromName, String toPart, int port) {
    @Override
    public String toString() {
      return fromName + " -> " + toPart + ":" + port;
    }
  }

  static ResolvedStack fullStack(String extraYaml) {
    PiStack s = TestStacks.of("""
          version: "2025_10.1"
          licence: {secretName: pi-licence}
          qdrant: {enabled: true}
          backup: {enabled: true}
          restore: {backup: latest}
          dashboard:
            podLabels: {team: a}
        """ + extraYaml);
    s.getMetadata().setNamespace(NS);
    return new ResolvedStack(s).withOperator(OPERATOR);
  }

  @Test
  void withDashboardFromEveryFlowOfTheStackIsAllowedAndNothingElse() {
    ResolvedStack stack = fullStack("""
          networkPolicy:
            dashboardFrom:
            - namespaceSelector: {matchLabels: {kubernetes.io/metadata.name: ingress-nginx}}
        """);
    List<HasMetadata> objects = rendered(stack);
    List<NetworkPolicy> policies = NetworkPolicyBuilder.build(stack);
    List<Flow> legit = legitimateFlows(stack, objects);
    legit.add(new Flow(INGRESS_CONTROLLER, "ingress controller", "dashboard", 8224));
    assertThat(legit).extracting(Flow::toString).as("the flows read from the rendered stack").contains(
        "dashboard -> renderer:9915", "dashboard -> scheduler:9917", "dashboard -> analytics:9918",
        "dashboard -> qdrant:6333", "renderer -> dashboard:28748", "scheduler -> dashboard:8224",
        "dashboard -> db:3306", "scheduler -> db:3306", "backup -> db:3306", "restore -> db:3306",
        "operator -> dashboard:8224", "operator -> qdrant:6333", "operator -> excel-reader:9916");

    for (Flow f : legit) {
      assertThat(NetworkPolicyEvaluator.allows(policies, f.from(), receiver(objects, f.toPart()), f.port()))
          .as("allowed: " + f).isTrue();
    }
    // Every other pair of the stack's own pods and ports is denied: every component is default-deny.
    Map<String, Pod> parts = podsByPart(objects);
    Set<String> allowed = new LinkedHashSet<>();
    legit.forEach(f -> allowed.add(f.fromName() + " -> " + f.toPart() + ":" + f.port()));
    for (var from : parts.entrySet()) {
      for (var to : ports(objects).entrySet()) {
        for (int port : to.getValue()) {
          String flow = from.getKey() + " -> " + to.getKey() + ":" + port;
          assertThat(NetworkPolicyEvaluator.allows(policies, from.getValue(), parts.get(to.getKey()), port))
              .as(flow).isEqualTo(allowed.contains(flow));
        }
      }
    }
    assertNoOtherNamespaceReachesAnything(policies, objects);
  }

  @Test
  void byDefaultTheDashboardsPublicPortIsOpenAndEverythingElseAsTight() {
    ResolvedStack stack = fullStack("");
    List<HasMetadata> objects = rendered(stack);
    List<NetworkPolicy> policies = NetworkPolicyBuilder.build(stack);
    assertThat(policies).extracting(p -> p.getMetadata().getName()).as("a policy for every component").containsExactly(
        "pi-dashboard", "pi-scheduler", "pi-analytics", "pi-renderer", "pi-excel-reader", "pi-qdrant", "pi-db");
    for (Flow f : legitimateFlows(stack, objects)) {
      assertThat(NetworkPolicyEvaluator.allows(policies, f.from(), receiver(objects, f.toPart()), f.port()))
          .as("allowed: " + f).isTrue();
    }
    Pod anywhere = Pod.in("elsewhere", Map.of("app", "curl"));
    assertThat(NetworkPolicyEvaluator.allows(policies, anywhere, receiver(objects, "dashboard"), 8224))
        .as("the public port: anyone").isTrue();
    assertNoOtherNamespaceReachesAnything(policies, objects);
  }

  @Test
  void outsideTheClusterTheOperatorIsAdmittedNowhere() {
    PiStack s = TestStacks.of("  version: \"2025_10.1\"\n  qdrant: {enabled: true}\n");
    s.getMetadata().setNamespace(NS);
    ResolvedStack stack = new ResolvedStack(s);
    List<NetworkPolicy> policies = NetworkPolicyBuilder.build(stack);
    List<HasMetadata> objects = rendered(stack);
    for (String part : List.of("qdrant", "scheduler", "renderer", "db")) {
      for (int port : ports(objects).get(part)) {
        assertThat(NetworkPolicyEvaluator.allows(policies, OPERATOR_POD, receiver(objects, part), port))
            .as(part + ":" + port).isFalse();
      }
    }
  }

  /**
   * Pods of other namespaces reach nothing but the public port's admitted peers: a pod labelled as the
   * operator (name and release) in a tenant's namespace, a pod labelled as this stack's dashboard, anyone.
   */
  private static void assertNoOtherNamespaceReachesAnything(List<NetworkPolicy> policies, List<HasMetadata> objects) {
    List<Pod> foreign = new ArrayList<>();
    foreign.add(Pod.in("team-b", OPERATOR_POD.labels()));
    foreign.add(Pod.in("team-b", Map.of(Labels.NAME, "pi-operator")));
    foreign.add(Pod.in("team-b", podsByPart(objects).get("dashboard").labels()));
    foreign.add(Pod.in("team-b", podsByPart(objects).get("scheduler").labels()));
    foreign.add(Pod.in(NS, Map.of(Labels.NAME, "pi-operator"))); // the operator's labels in the stack's namespace
    for (Pod p : foreign) {
      for (var to : ports(objects).entrySet()) {
        for (int port : to.getValue()) {
          if (to.getKey().equals("dashboard") && port == 8224 && NetworkPolicyEvaluator.allows(policies,
              Pod.in("elsewhere", Map.of()), receiver(objects, "dashboard"), 8224)) {
            continue; // the public port is open to anyone
          }
          assertThat(NetworkPolicyEvaluator.allows(policies, p, receiver(objects, to.getKey()), port))
              .as(p + " -> " + to.getKey() + ":" + port).isFalse();
        }
      }
    }
  }

  /** The flows read from the rendered objects (see the class comment). */
  static List<Flow> legitimateFlows(ResolvedStack stack, List<HasMetadata> objects) {
    Map<String, Pod> parts = podsByPart(objects);
    List<Flow> flows = new ArrayList<>();
    for (var e : templates(objects).entrySet()) {
      String part = e.getKey();
      for (Container c : containers(e.getValue())) {
        for (EnvVar v : c.getEnv() == null ? List.<EnvVar>of() : c.getEnv()) {
          if (v.getValue() == null) {
            continue;
          }
          String caller = v.getName().equals("RENDERER_DASHBOARD_URL") ? "renderer" : part;
          Matcher m = URL.matcher(v.getValue());
          if (m.matches()) {
            Service svc = service(objects, m.group(1));
            int port = Integer.parseInt(m.group(2));
            int target = svc.getSpec().getPorts().stream().filter(p -> p.getPort() == port).findFirst().orElseThrow()
                .getTargetPort().getIntVal();
            flows.add(new Flow(parts.get(caller), caller, svc.getSpec().getSelector().get(Labels.COMPONENT), target));
          } else if (v.getValue().equals(stack.databaseName())) {
            flows.add(new Flow(parts.get(part), part, "db", ServiceBuilder.DB_PORT));
          }
        }
      }
    }
    // The excel reader stages Excel files for the dashboard (pi-facts.md §1): no URL variable is published for it.
    flows.add(new Flow(parts.get("dashboard"), "dashboard", "excel-reader", 9916));
    // Qdrant's clients choose HTTP (the URL the dashboard gets) or gRPC: its client may use both ports.
    flows.add(new Flow(parts.get("dashboard"), "dashboard", "qdrant", 6334));
    for (ProbeTarget t : ProbeTarget.of(stack)) {
      Service svc = service(objects, t.host());
      flows.add(new Flow(OPERATOR_POD, "operator", svc.getSpec().getSelector().get(Labels.COMPONENT), t.port()));
    }
    return flows;
  }

  private static Service service(List<HasMetadata> objects, String name) {
    return objects.stream().filter(o -> o instanceof Service && o.getMetadata().getName().equals(name))
        .map(Service.class::cast).findFirst().orElseThrow(() -> new AssertionError("no Service " + name));
  }

  /** The pod template of each part: Deployments, the database StatefulSet, the backup CronJob and Jobs. */
  private static Map<String, PodTemplateSpec> templates(List<HasMetadata> objects) {
    Map<String, PodTemplateSpec> t = new LinkedHashMap<>();
    for (HasMetadata o : objects) {
      PodTemplateSpec spec = o instanceof Deployment d ? d.getSpec().getTemplate()
          : o instanceof StatefulSet s ? s.getSpec().getTemplate()
          : o instanceof CronJob cj ? cj.getSpec().getJobTemplate().getSpec().getTemplate()
          : o instanceof Job j ? j.getSpec().getTemplate() : null;
      if (spec != null) {
        t.put(spec.getMetadata().getLabels().get(Labels.COMPONENT), spec);
      }
    }
    return t;
  }

  static Map<String, Pod> podsByPart(List<HasMetadata> objects) {
    Map<String, Pod> pods = new LinkedHashMap<>();
    templates(objects).forEach((part, t) -> pods.put(part, Pod.in(NS, t.getMetadata().getLabels())));
    return pods;
  }

  private static Pod receiver(List<HasMetadata> objects, String part) {
    return podsByPart(objects).get(part);
  }

  /** Every container port of each part's pods. */
  static Map<String, List<Integer>> ports(List<HasMetadata> objects) {
    Map<String, List<Integer>> ports = new LinkedHashMap<>();
    templates(objects).forEach((part, t) -> {
      List<Integer> numbers = new ArrayList<>();
      containers(t).forEach(c -> {
        if (c.getPorts() != null) {
          c.getPorts().forEach(p -> numbers.add(p.getContainerPort()));
        }
      });
      if (!numbers.isEmpty()) {
        ports.put(part, numbers);
      }
    });
    return ports;
  }

  private static List<Container> containers(PodTemplateSpec t) {
    return Stream.concat(
        t.getSpec().getInitContainers() == null ? Stream.empty() : t.getSpec().getInitContainers().stream(),
        t.getSpec().getContainers().stream()).toList();
  }

  /** What `render` names for the stack: the objects of the first pass and those the plan creates later (a restore). */
  private static List<HasMetadata> rendered(ResolvedStack stack) {
    var desired = DesiredStacks.fresh(stack);
    List<HasMetadata> all = new java.util.ArrayList<>(desired.objects());
    all.addAll(desired.later());
    return all;
  }
}
