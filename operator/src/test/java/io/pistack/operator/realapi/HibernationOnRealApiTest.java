package io.pistack.operator.realapi;

import static io.pistack.operator.realapi.RealApiStack.claim;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.fabric8.kubernetes.api.model.PersistentVolumeClaim;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.api.model.rbac.PolicyRule;
import io.fabric8.kubernetes.api.model.rbac.PolicyRuleBuilder;
import io.fabric8.kubernetes.client.Watch;
import io.fabric8.kubernetes.client.Watcher;
import io.fabric8.kubernetes.client.WatcherException;
import io.pistack.operator.api.v1alpha1.PiStack;
import io.pistack.operator.model.Labels;
import io.pistack.operator.plugin.PluginMain;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Hibernation on the real control plane (real Deployment, ReplicaSet, StatefulSet, HPA and garbage collection
 * controllers, kwok as the kubelet), driven by {@code kubectl pi hibernate} as a user with only the permissions
 * docs/kubectl-pi.md lists: every pod event of the namespace is recorded, and the order is checked on it (going to
 * sleep: no component pod stops before the last dashboard and scheduler pod is gone, the database's last; waking:
 * the database Ready before any component pod exists, the components Ready before a dashboard or scheduler pod
 * exists). Asleep: no pod of the stack, the claims and Secrets the same objects with the same data, the CronJob
 * suspended, no autoscaler, Argo CD's check says Suspended, and a reconcile writes nothing, also while the Deployment
 * controller has yet to see an edit (the controller-manager paused).
 */
@Tag("slow")
class HibernationOnRealApiTest {
  static final Set<String> APPS = Set.of("dashboard", "scheduler");
  static final Set<String> OTHERS = Set.of("analytics", "renderer", "excel-reader");
  @TempDir
  Path dir;

  record Run(int code, String out, String err) {}

  static Run pi(Path kubeconfig, String ns, String... args) {
    StringWriter out = new StringWriter();
    StringWriter err = new StringWriter();
    var cl = PluginMain.commandLine();
    cl.setOut(new PrintWriter(out, true));
    cl.setErr(new PrintWriter(err, true));
    List<String> all = new ArrayList<>(List.of(args));
    all.addAll(List.of("--kubeconfig", kubeconfig.toString(), "-n", ns));
    return new Run(cl.execute(all.toArray(String[]::new)), out.toString(), err.toString());
  }

  static PolicyRule rule(String group, List<String> resources, String... verbs) {
    return new PolicyRuleBuilder().withApiGroups(group).withResources(resources).withVerbs(verbs).build();
  }

  /** A kubeconfig for a ServiceAccount holding exactly docs/kubectl-pi.md's rules for hibernate. */
  static Path documentedUser(RealApiStack env, Path kubeconfig) throws Exception {
    return ServiceAccountKubeconfig.write(env, "sleeper", List.of(rule("pistack.io", List.of("pistacks"), "get",
        "patch"), rule("", List.of("pods"), "list")), kubeconfig);
  }

  @Test
  void kubectlPiHibernatePutsTheStackToSleepInOrderKeepsItsDataAndWakesItReady() throws Exception {
    try (RealApiStack env = new RealApiStack("hibernate", claim("pi-shared", "5Gi", "ReadWriteMany"),
        claim("data-pi-db-0", "10Gi", "ReadWriteOnce"), claim("pi-backups", "10Gi", "ReadWriteOnce"))) {
      PiStack s = io.pistack.operator.scenario.HibernationTest.stack();
      s.getMetadata().setNamespace(env.ns);
      env.admin.resource(s).create();
      await().atMost(RealApiStack.T).until(() -> "AllComponentsReady".equals(env.readyReason())
          && Integer.valueOf(2).equals(env.deployment("pi-dashboard").getStatus().getReadyReplicas()));
      Map<String, String> claims = uids(env, PersistentVolumeClaim.class);
      Map<String, String> secrets = secretData(env);
      assertThat(claims).containsKeys("pi-shared", "data-pi-db-0", "pi-backups");
      assertThat(secrets).containsKeys("pi-db-credentials", "pi-db-root", "pi-db-backup");
      Path user = documentedUser(env, dir.resolve("kubeconfig"));

      try (PodEvents sleeping = new PodEvents(env)) {
        Run on = pi(user, env.ns, "hibernate", "on", "pi");
        assertThat(on.code()).as(on.err()).isZero();
        assertThat(on.out()).startsWith("pistack.pistack.io/pi hibernating (spec.hibernation.enabled: true)");
        await().atMost(RealApiStack.T).until(() -> "True".equals(condition(env, "Hibernated", "status")));
        assertThat(pods(env)).as("pods of the stack while hibernated").isEmpty();
        sleeping.assertStoppedInOrder();
      }
      assertThat(env.admin.apps().deployments().inNamespace(env.ns).list().getItems())
          .filteredOn(d -> !d.getMetadata().getName().equals("pi-maintenance"))
          .allSatisfy(d -> assertThat(d.getSpec().getReplicas()).isZero());
      assertThat(env.admin.services().inNamespace(env.ns).withName("pi-dashboard").get().getSpec().getSelector())
          .as("the dashboard's Service answers with the maintenance page while the stack sleeps")
          .containsEntry(Labels.COMPONENT, "maintenance");
      assertThat(env.admin.apps().statefulSets().inNamespace(env.ns).withName("pi-db").get().getSpec().getReplicas())
          .isZero();
      assertThat(env.admin.autoscaling().v2().horizontalPodAutoscalers().inNamespace(env.ns).list().getItems())
          .as("autoscalers while hibernated").isEmpty();
      assertThat(env.admin.batch().v1().cronjobs().inNamespace(env.ns).withName("pi-backup").get().getSpec()
          .getSuspend()).isTrue();
      assertThat(uids(env, PersistentVolumeClaim.class)).isEqualTo(claims);
      assertThat(secretData(env)).isEqualTo(secrets);

      Run status = pi(user, env.ns, "hibernate", "status", "pi");
      assertThat(status.code()).as(status.err()).isZero();
      assertThat(status.out()).contains("hibernation:  on (spec.hibernation.enabled: true)",
          "Hibernated:   True Hibernated: hibernated: no pod of the stack runs", "Ready:        False Hibernated",
          "pods:         0\n");
      Judges.judge("hibernated", Judges.live(env.admin, env.ns, "pi")).expectKstatus("InProgress")
          .expectArgo("Suspended", "Hibernated: hibernated");

      // Asleep, a reconcile writes nothing (proven to have run: an unrelated edit of a child triggers it). The edit
      // raises the Deployment's generation (an annotation does): with the controller-manager paused, the operator
      // reconciles before the Deployment controller records it, as on a loaded machine. Then, once the controller
      // has caught up and a reconcile begun after the resume has run, still nothing for 3 s.
      env.awaitConverged();
      String before = statusYaml(env.stack());
      int mark = env.operatorWrites.mark();
      long resumed;
      RealApiServer.get().pauseControllers(true);
      try {
        env.writesAfter(() -> env.admin.apps().deployments().inNamespace(env.ns).withName("pi-renderer").edit(d -> {
          d.getMetadata().getAnnotations().put("example.com/touched", "yes");
          return d;
        }), w -> false);
        assertThat(env.deployment("pi-renderer").getStatus().getObservedGeneration())
            .as("the controller has not seen the edit yet").isLessThan(env.deployment("pi-renderer").getMetadata()
                .getGeneration());
      } finally {
        resumed = System.nanoTime();
        RealApiServer.get().pauseControllers(false);
      }
      long sinceResume = resumed;
      await().atMost(RealApiStack.T).until(() -> {
        var d = env.deployment("pi-renderer");
        return d.getMetadata().getGeneration().equals(d.getStatus().getObservedGeneration())
            && env.reconciles().completedSince(env.ns, "pi", sinceResume);
      });
      io.pistack.operator.it.Quiet.watch(java.time.Duration.ofSeconds(3),
          () -> env.operatorWrites.since(mark).isEmpty());
      List<String> writes = env.operatorWrites.since(mark);
      assertThat(writes).as(() -> "operator writes while hibernated; the stack before them:\n" + before
          + "\nafter them:\n" + statusYaml(env.stack()) + "\nthe writes with their bodies:\n"
          + String.join("\n", env.operatorWrites.withBodiesSince(mark))).isEmpty();

      try (PodEvents waking = new PodEvents(env)) {
        Run off = pi(user, env.ns, "hibernate", "off", "pi");
        assertThat(off.code()).as(off.err()).isZero();
        await().atMost(RealApiStack.T).until(() -> "AllComponentsReady".equals(env.readyReason())
            && Integer.valueOf(2).equals(env.deployment("pi-dashboard").getStatus().getReadyReplicas()));
        waking.assertStartedInOrder();
      }
      assertThat(condition(env, "Hibernated", "reason")).isEqualTo("Awake");
      assertThat(env.admin.autoscaling().v2().horizontalPodAutoscalers().inNamespace(env.ns).withName("pi-dashboard")
          .get()).as("the dashboard's autoscaler is back").isNotNull();
      assertThat(env.deployment("pi-dashboard").getSpec().getReplicas()).as("at the autoscaler's minimum").isEqualTo(2);
      assertThat(env.admin.batch().v1().cronjobs().inNamespace(env.ns).withName("pi-backup").get().getSpec()
          .getSuspend()).isNotEqualTo(Boolean.TRUE);
      assertThat(uids(env, PersistentVolumeClaim.class)).isEqualTo(claims);
      assertThat(secretData(env)).isEqualTo(secrets);
      assertThat(eventReasons(env)).contains("Hibernating", "Hibernated", "Waking");
    }
  }

  /** The stack's generation, resourceVersion and status as YAML: what a failure message shows. */
  static String statusYaml(PiStack s) {
    return s == null ? "(no stack)" : "generation " + s.getMetadata().getGeneration() + ", resourceVersion "
        + s.getMetadata().getResourceVersion() + "\n" + io.fabric8.kubernetes.client.utils.Serialization.asYaml(
        s.getStatus());
  }

  static List<Pod> pods(RealApiStack env) {
    // The maintenance page's pod is the one the stack keeps while it sleeps (docs/maintenance-page.md).
    return env.admin.pods().inNamespace(env.ns).withLabel(Labels.INSTANCE, "pi").list().getItems().stream()
        .filter(p -> !"maintenance".equals(p.getMetadata().getLabels().get(Labels.COMPONENT))).toList();
  }

  static <T extends io.fabric8.kubernetes.api.model.HasMetadata> Map<String, String> uids(RealApiStack env,
      Class<T> kind) {
    Map<String, String> out = new TreeMap<>();
    env.admin.resources(kind).inNamespace(env.ns).list().getItems()
        .forEach(o -> out.put(o.getMetadata().getName(), o.getMetadata().getUid()));
    return out;
  }

  /** Every Secret of the namespace: its uid and its data (the same object with the same passwords). */
  static Map<String, String> secretData(RealApiStack env) {
    Map<String, String> out = new TreeMap<>();
    for (Secret s : env.admin.secrets().inNamespace(env.ns).list().getItems()) {
      out.put(s.getMetadata().getName(), s.getMetadata().getUid() + " " + new TreeMap<>(
          s.getData() == null ? Map.of() : s.getData()).hashCode());
    }
    return out;
  }

  static String condition(RealApiStack env, String type, String field) {
    PiStack s = env.stack();
    if (s == null || s.getStatus() == null || s.getStatus().conditions == null) {
      return "";
    }
    return s.getStatus().conditions.stream().filter(c -> type.equals(c.getType())).findFirst()
        .map(c -> "status".equals(field) ? c.getStatus() : c.getReason()).orElse("");
  }

  static List<String> eventReasons(RealApiStack env) {
    return env.admin.v1().events().inNamespace(env.ns).list().getItems().stream()
        .map(io.fabric8.kubernetes.api.model.Event::getReason).toList();
  }

  /** Every pod event of the namespace, in order: what stopped (or started) before what. */
  static final class PodEvents implements AutoCloseable {
    /** A pod's event; or a workload's ({@code scale} non-null: its spec.replicas then). */
    record Seen(String part, String name, boolean gone, boolean terminating, boolean ready, Integer scale) {
      boolean pod() {
        return scale == null;
      }
    }

    private final List<Seen> events = new ArrayList<>();
    private final List<Seen> initial = new ArrayList<>();
    private final Watch watch;
    private final Watch deployments;
    private final Watch databases;

    PodEvents(RealApiStack env) {
      var list = env.admin.pods().inNamespace(env.ns).list();
      list.getItems().stream().filter(p -> p.getMetadata().getLabels() == null
          || !"maintenance".equals(p.getMetadata().getLabels().get(Labels.COMPONENT)))
          .forEach(p -> initial.add(seen(p, false)));
      watch = env.admin.pods().inNamespace(env.ns).withResourceVersion(list.getMetadata().getResourceVersion())
          .watch(new Watcher<>() {
            @Override
            public void eventReceived(Action action, Pod pod) {
              synchronized (PodEvents.this) {
                events.add(seen(pod, action == Action.DELETED));
              }
            }

            @Override
            public void onClose(WatcherException cause) {
            }
          });
      deployments = env.admin.apps().deployments().inNamespace(env.ns).watch(onEach(
          d -> workload(d.getMetadata(), d.getSpec().getReplicas())));
      databases = env.admin.apps().statefulSets().inNamespace(env.ns).watch(onEach(
          set -> workload(set.getMetadata(), set.getSpec().getReplicas())));
    }

    static <T> Watcher<T> onEach(java.util.function.Consumer<T> seen) {
      return new Watcher<>() {
        @Override
        public void eventReceived(Action action, T object) {
          seen.accept(object);
        }

        @Override
        public void onClose(WatcherException cause) {
        }
      };
    }

    private synchronized void workload(io.fabric8.kubernetes.api.model.ObjectMeta m, Integer replicas) {
      String part = m.getLabels() == null ? "" : m.getLabels().getOrDefault(Labels.COMPONENT, "");
      events.add(new Seen(part, m.getName(), false, false, false, replicas == null ? -1 : replicas));
    }

    static Seen seen(Pod p, boolean gone) {
      String part = p.getMetadata().getLabels() == null ? "" : p.getMetadata().getLabels()
          .getOrDefault(Labels.COMPONENT, "");
      boolean ready = p.getStatus() != null && p.getStatus().getConditions() != null && p.getStatus().getConditions()
          .stream().anyMatch(c -> "Ready".equals(c.getType()) && "True".equals(c.getStatus()));
      return new Seen(part, p.getMetadata().getName(), gone, p.getMetadata().getDeletionTimestamp() != null, ready,
          null);
    }

    /** The index of the first event where a pod of these parts began to stop (or went), else the end. */
    private int firstStopping(Set<String> parts) {
      for (int i = 0; i < events.size(); i++) {
        Seen e = events.get(i);
        if (e.pod() && parts.contains(e.part()) && (e.gone() || e.terminating())) {
          return i;
        }
      }
      return events.size();
    }

    /** The index of the event where the last pod of these parts went. */
    private int lastGone(Set<String> parts) {
      int last = -1;
      for (int i = 0; i < events.size(); i++) {
        if (events.get(i).pod() && parts.contains(events.get(i).part()) && events.get(i).gone()) {
          last = i;
        }
      }
      return last;
    }

    synchronized void assertStoppedInOrder() {
      assertThat(initial).as("pods before").anyMatch(p -> APPS.contains(p.part()))
          .anyMatch(p -> OTHERS.contains(p.part())).anyMatch(p -> "db".equals(p.part()));
      int appsGone = lastGone(APPS);
      int othersStop = firstStopping(OTHERS);
      int othersGone = lastGone(OTHERS);
      int dbStops = firstStopping(Set.of("db"));
      assertThat(appsGone).as("the last dashboard/scheduler pod went; events %s", events).isGreaterThanOrEqualTo(0);
      assertThat(othersStop).as("no other component stops before the last dashboard/scheduler pod is gone; events %s",
          events).isGreaterThan(appsGone);
      assertThat(dbStops).as("the database stops after the last component pod is gone; events %s", events)
          .isGreaterThan(othersGone).isLessThan(events.size());
      // What the operator asked, not only what the controllers did: the replicas it wrote, in order.
      assertThat(first(e -> !e.pod() && OTHERS.contains(e.part()) && e.scale() == 0))
          .as("no other component is scaled to zero before the last dashboard/scheduler pod is gone; events %s",
              events).isGreaterThan(appsGone);
      assertThat(first(e -> !e.pod() && "db".equals(e.part()) && e.scale() == 0))
          .as("the database is scaled to zero after the last component pod is gone; events %s", events)
          .isGreaterThan(othersGone);
    }

    synchronized void assertStartedInOrder() {
      assertThat(initial).as("no pod while asleep").isEmpty();
      // A watch begins with the objects as they are (ADDED): the workloads at zero, as asleep.
      int dbReady = first(e -> e.pod() && "db".equals(e.part()) && e.ready());
      int firstOther = first(e -> OTHERS.contains(e.part()) && (e.pod() || e.scale() != 0));
      int firstApp = first(e -> APPS.contains(e.part()) && (e.pod() || e.scale() != 0));
      assertThat(dbReady).as("the database Ready before any component pod exists; events %s", events)
          .isLessThan(firstOther).isLessThan(firstApp);
      for (String part : OTHERS) {
        assertThat(first(e -> e.pod() && part.equals(e.part()) && e.ready())).as("%s Ready before the first dashboard or"
            + " scheduler pod; events %s", part, events).isLessThan(firstApp);
      }
      assertThat(firstApp).as("a dashboard pod started").isLessThan(events.size());
    }

    private int first(java.util.function.Predicate<Seen> p) {
      for (int i = 0; i < events.size(); i++) {
        if (p.test(events.get(i))) {
          return i;
        }
      }
      return events.size();
    }

    @Override
    public void close() {
      watch.close();
      deployments.close();
      databases.close();
    }
  }
}
