package io.pistack.operator.realapi;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.NamespaceBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.pistack.operator.api.v1alpha1.PiStack;
import io.pistack.operator.it.Stacks;
import io.pistack.operator.model.Labels;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * Two shards of a fleet side by side, each a real operator process ({@code pi-operator run}) with its own stack
 * selector, each through its own loopback proxy that records every write it sends (FaultProxy, no faults):
 * <ol>
 *   <li>each acts on its own stacks only: no write of one shard names the other's stack or children;</li>
 *   <li>a stack relabelled from shard a to shard b is taken over by b (which reconciles it to the end) while neither
 *       writes anything to its children, no child changes (resourceVersion) and no pod template rolls; a then leaves
 *       it alone;</li>
 *   <li>shard a's namespaces follow its namespace selector while it runs (same process): a namespace that gains
 *       the label has its stack reconciled, one that loses it no longer does.</li>
 * </ol>
 */
@Tag("slow")
class ShardsOnRealApiTest {
  static final Duration T = RealApiServer.timeout();
  static final String SHARD = "pistack.io/shard";

  KubernetesClient admin;
  String nsA;
  String nsB;
  String fleet;
  Path dir;
  final List<AutoCloseable> closing = new java.util.ArrayList<>();

  @BeforeEach
  void cluster() throws Exception {
    admin = RealApiServer.get().client();
    long n = System.nanoTime() % 100000;
    nsA = "shard-a-" + n;
    nsB = "shard-b-" + n;
    fleet = "f" + n;
    admin.resource(new NamespaceBuilder().withNewMetadata().withName(nsA).addToLabels("pistack.io/fleet", fleet)
        .endMetadata().build()).create();
    admin.resource(new NamespaceBuilder().withNewMetadata().withName(nsB).endMetadata().build()).create();
    Stacks.licenceSecret(admin, nsA);
    Stacks.licenceSecret(admin, nsB);
    dir = Files.createDirectories(Path.of("target", "shards", nsA).toAbsolutePath());
  }

  @AfterEach
  void cleanup() throws Exception {
    for (AutoCloseable c : closing) {
      c.close();
    }
    admin.namespaces().withName(nsA).delete();
    admin.namespaces().withName(nsB).delete();
    admin.close();
  }

  @Test
  void twoShardsNeverBothActARelabelWritesNothingAndNamespacesFollowTheirLabel() throws Exception {
    create(nsA, "s1", "a");
    create(nsA, "s2", "b");
    create(nsA, "s4", "a");
    create(nsB, "s3", "a");
    FaultProxy proxyA = proxy();
    FaultProxy proxyB = proxy();
    Map<String, String> envA = new HashMap<>();
    envA.put("PI_OPERATOR_STACK_SELECTOR", SHARD + "=a");
    envA.put("PI_OPERATOR_NAMESPACE_SELECTOR", "pistack.io/fleet=" + fleet);
    envA.put("PI_OPERATOR_WATCH_NAMESPACES", null);
    OperatorProcess a = start("a", proxyA, nsA, envA);
    OperatorProcess b = start("b", proxyB, nsA, Map.of("PI_OPERATOR_STACK_SELECTOR", SHARD + "=b"));

    // 1. Each shard reconciles its own stacks, and writes nothing that names the other's.
    awaitObserved(nsA, "s1");
    awaitObserved(nsA, "s2");
    awaitObserved(nsA, "s4");
    awaitQuiet(proxyA, proxyB);
    assertThat(proxyA.writes()).as("shard a's writes").isNotEmpty().noneMatch(w -> names(w, nsA, "s2"));
    assertThat(proxyB.writes()).as("shard b's writes").isNotEmpty()
        .noneMatch(w -> names(w, nsA, "s1") || names(w, nsA, "s4"));
    assertThat(stack(nsB, "s3").getStatus()).as("s3: its namespace is not labelled for shard a").isNull();

    // 2. s1 moves from a to b by its label alone: b takes it over, nobody writes to its children.
    Map<String, String> before = children(nsA, "s1");
    Map<String, Long> templates = generations(nsA, "s1");
    assertThat(before).as("s1's children").hasSizeGreaterThan(5);
    int markA = proxyA.writes().size();
    int markB = proxyB.writes().size();
    admin.resources(PiStack.class).inNamespace(nsA).withName("s1")
        .edit(s -> { s.getMetadata().getLabels().put(SHARD, "b"); return s; });
    await().atMost(T).until(() -> b.logText().contains("PiStack " + nsA + "/s1 joined this shard")
        && reported(b, nsA, "s1"));
    await().atMost(T).until(() -> a.logText().contains("PiStack " + nsA + "/s1 left this shard"));
    awaitQuiet(proxyA, proxyB);
    assertThat(since(proxyA, markA)).as("shard a's writes after the relabel").noneMatch(w -> names(w, nsA, "s1"));
    // Its own status is b's to write if b decides another one; its children nobody writes.
    assertThat(since(proxyB, markB)).as("shard b's writes after the relabel")
        .noneMatch(w -> names(w, nsA, "s1") && !w.endsWith("/pistacks/s1/status"));
    System.out.println("relabel s1 a -> b: writes of a " + since(proxyA, markA) + ", of b " + since(proxyB, markB));
    assertThat(children(nsA, "s1")).as("s1's children: generations, the operator's last writes").isEqualTo(before);
    assertThat(generations(nsA, "s1")).as("no pod template changed").isEqualTo(templates);

    // ... and from now on only b acts on s1: a spec change is b's to apply.
    markA = proxyA.writes().size();
    edit(nsA, "s1");
    awaitObserved(nsA, "s1");
    awaitQuiet(proxyA, proxyB);
    assertThat(since(proxyA, markA)).as("shard a after s1 left it").noneMatch(w -> names(w, nsA, "s1"));

    // 3. Namespaces follow shard a's selector at run time, in the same process.
    long pid = a.process.pid();
    admin.namespaces().withName(nsB).edit(ns -> { ns.getMetadata().getLabels().put("pistack.io/fleet", fleet); return ns; });
    awaitObserved(nsB, "s3");
    admin.namespaces().withName(nsB).edit(ns -> { ns.getMetadata().getLabels().remove("pistack.io/fleet"); return ns; });
    await().atMost(T).until(() -> a.logText().lines().anyMatch(l -> l.contains("now watching namespaces [" + nsA + "]")
        && l.contains(nsB)));
    // A reconcile of s3 begun before the label went may still end with its status write: let it end first (the
    // clean-clone run ci5 had the edit below refused with 409 by such a write).
    awaitQuiet(proxyA, proxyB);
    int markA3 = proxyA.writes().size();
    long s3Observed = stack(nsB, "s3").getStatus().observedGeneration;
    edit(nsB, "s3");
    edit(nsA, "s4"); // the control: a still reconciles the stacks of the namespace it kept
    awaitObserved(nsA, "s4");
    awaitQuiet(proxyA, proxyB);
    assertThat(since(proxyA, markA3)).as("shard a's writes after nsB lost the label").isNotEmpty()
        .noneMatch(w -> names(w, nsB, "s3"));
    assertThat(stack(nsB, "s3").getStatus().observedGeneration).as("s3 after its namespace lost the label")
        .isEqualTo(s3Observed);
    assertThat(a.process.pid()).isEqualTo(pid);
    assertThat(a.alive()).as("shard a was never restarted").isTrue();
    assertThat(a.logText()).doesNotContain("pi-operator stopped");
  }

  private void create(String ns, String name, String shard) {
    PiStack s = RealApiStack.smallStack(ns, name);
    s.getMetadata().setLabels(new HashMap<>(Map.of(SHARD, shard)));
    admin.resource(s).create();
  }

  private void edit(String ns, String name) {
    io.pistack.operator.it.Stacks.edit(admin, ns, name, s -> { // retried on a conflict
      s.getSpec().dashboard.replicas = s.getSpec().dashboard.replicas == null || s.getSpec().dashboard.replicas != 1
          ? 1 : 2;
    });
  }

  private PiStack stack(String ns, String name) {
    return admin.resources(PiStack.class).inNamespace(ns).withName(name).get();
  }

  private void awaitObserved(String ns, String name) {
    await().atMost(T).until(() -> {
      PiStack s = stack(ns, name);
      return s.getStatus() != null && Objects.equals(s.getStatus().observedGeneration, s.getMetadata().getGeneration());
    });
  }

  /** Both proxies' writes stayed the same for 3 s (longer than the shortest recheck). */
  private static void awaitQuiet(FaultProxy... proxies) {
    io.pistack.operator.it.Quiet.untilUnchangedFor(Duration.ofSeconds(3), T,
        () -> Stream.of(proxies).mapToInt(p -> p.writes().size()).sum());
  }

  private static List<String> since(FaultProxy proxy, int mark) {
    List<String> all = proxy.writes();
    return all.subList(mark, all.size());
  }

  /** A write to the stack itself or to one of its children (named after it) in its namespace. */
  private static boolean names(String write, String ns, String stack) {
    return write.contains("/namespaces/" + ns + "/") && (write.matches(".*/" + stack + "(-[a-z0-9-]+)?(/.*)?$")
        || write.contains("/" + stack + "-"));
  }

  /** This process completed a reconcile of the stack (its pi_operator_stack_ready series exists). */
  private static boolean reported(OperatorProcess op, String ns, String name) {
    return op.get("/metrics").lines().anyMatch(l -> l.startsWith("pi_operator_stack_ready{")
        && l.contains("namespace=\"" + ns + "\"") && l.contains("name=\"" + name + "\""));
  }

  /**
   * Every labelled child of the stack, kind/name → its generation and the time of the operator's last apply to it
   * (its managedFields entry). Not the resourceVersion: the controllers' status updates move it; a write of the
   * operator that changed anything moves one of these two.
   */
  private Map<String, String> children(String ns, String stack) {
    Map<String, String> out = new TreeMap<>();
    Stream.<List<? extends HasMetadata>>of(
        admin.apps().deployments().inNamespace(ns).withLabel(Labels.INSTANCE, stack).list().getItems(),
        admin.apps().statefulSets().inNamespace(ns).withLabel(Labels.INSTANCE, stack).list().getItems(),
        admin.services().inNamespace(ns).withLabel(Labels.INSTANCE, stack).list().getItems(),
        admin.secrets().inNamespace(ns).withLabel(Labels.INSTANCE, stack).list().getItems(),
        admin.persistentVolumeClaims().inNamespace(ns).withLabel(Labels.INSTANCE, stack).list().getItems(),
        admin.network().networkPolicies().inNamespace(ns).withLabel(Labels.INSTANCE, stack).list().getItems(),
        admin.policy().v1().podDisruptionBudget().inNamespace(ns).withLabel(Labels.INSTANCE, stack).list().getItems())
        .flatMap(List::stream)
        .forEach(o -> out.put(o.getKind() + "/" + o.getMetadata().getName(), o.getMetadata().getGeneration() + " "
            + o.getMetadata().getManagedFields().stream().filter(m -> "pi-operator".equals(m.getManager())
                && m.getSubresource() == null).map(m -> m.getOperation() + "@" + m.getTime()).toList()));
    return out;
  }

  /** The Deployments' and StatefulSet's generations: a pod template change bumps them. */
  private Map<String, Long> generations(String ns, String stack) {
    Map<String, Long> out = new TreeMap<>();
    admin.apps().deployments().inNamespace(ns).withLabel(Labels.INSTANCE, stack).list().getItems()
        .forEach(d -> out.put("Deployment/" + d.getMetadata().getName(), d.getMetadata().getGeneration()));
    admin.apps().statefulSets().inNamespace(ns).withLabel(Labels.INSTANCE, stack).list().getItems()
        .forEach(d -> out.put("StatefulSet/" + d.getMetadata().getName(), d.getMetadata().getGeneration()));
    return out;
  }

  private FaultProxy proxy() {
    FaultProxy p = new FaultProxy(RealApiServer.get(), FaultProxy.Faults.NONE, 7);
    closing.add(p);
    return p;
  }

  private OperatorProcess start(String name, FaultProxy proxy, String watched, Map<String, String> env)
      throws Exception {
    RealApiServer api = RealApiServer.get();
    URI server = URI.create(io.fabric8.kubernetes.client.Config.fromKubeconfig(api.kubeconfig()).getMasterUrl());
    Path kubeconfig = dir.resolve(name + "-kubeconfig");
    Files.writeString(kubeconfig, api.kubeconfig().replace("127.0.0.1:" + server.getPort(),
        proxy.url().substring("https://".length())));
    OperatorProcess op = OperatorProcess.startedAsAPod(() -> new OperatorProcess(dir, "shard-" + name, kubeconfig,
        watched, "shard-" + name, env));
    closing.add(0, op);
    return op;
  }
}
