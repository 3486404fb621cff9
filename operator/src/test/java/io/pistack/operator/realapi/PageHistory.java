package io.pistack.operator.realapi;

import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.Condition;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.Watch;
import io.fabric8.kubernetes.client.Watcher;
import io.fabric8.kubernetes.client.WatcherException;
import io.pistack.operator.api.v1alpha1.PiStack;
import io.pistack.operator.model.Labels;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * What watches started before a test's change saw of one stack's maintenance page: every version of the dashboard's
 * Service (uid, ClusterIP, which part its selector names) and every version of the dashboard's Deployment (ready and
 * updated pods, generation observed); every uid the page's Deployment had; every reason of the MaintenancePage
 * condition. Ordered by resourceVersion (one etcd orders them all: on this tier a resourceVersion is its revision):
 * the dashboard's Deployment as it was when the Service left the page, when the page's Deployment began to be
 * deleted, and which versions of the stack's status carried the condition.
 */
final class PageHistory implements AutoCloseable {
  /** One version of the Service: its uid, ClusterIP and the part its selector names. */
  record ServiceState(String uid, String clusterIp, String selects) {}

  /** A version of the dashboard's Deployment: its resourceVersion, ready and updated pods, generation observed. */
  record DashboardState(long at, int ready, int updated, boolean observed) {
    static DashboardState of(Deployment d) {
      var st = d.getStatus();
      return new DashboardState(Long.parseLong(d.getMetadata().getResourceVersion()),
          st == null || st.getReadyReplicas() == null ? 0 : st.getReadyReplicas(),
          st == null || st.getUpdatedReplicas() == null ? 0 : st.getUpdatedReplicas(),
          st != null && st.getObservedGeneration() != null
              && st.getObservedGeneration() >= d.getMetadata().getGeneration());
    }
  }

  private final List<ServiceState> services = new ArrayList<>();
  /** The resourceVersions of the Service's versions that left the page. */
  private final List<Long> handBacks = new ArrayList<>();
  /** Every version of the dashboard's Deployment seen, in order. */
  private final List<DashboardState> dashboards = new ArrayList<>();
  private final Set<String> pageUids = new LinkedHashSet<>();
  private final Set<String> reasons = new LinkedHashSet<>();
  /** Each version of the stack seen: its resourceVersion and the MaintenancePage condition ("status reason"). */
  private final List<Map.Entry<Long, String>> stackVersions = new ArrayList<>();
  /** The resourceVersion at which the page's Deployment was first seen deleting or deleted; null before. */
  private Long pageDeletedAt;
  private final List<String> errors = new ArrayList<>();
  private final List<Watch> watches = new ArrayList<>();

  PageHistory(KubernetesClient admin, String ns, String stack) {
    watches.add(admin.apps().deployments().inNamespace(ns).withName(stack + "-dashboard").watch(watcher(
        (a, d) -> dashboards.add(DashboardState.of(d)))));
    watches.add(admin.services().inNamespace(ns).withName(stack + "-dashboard").watch(watcher(this::service)));
    watches.add(admin.apps().deployments().inNamespace(ns).withName(stack + "-maintenance").watch(watcher(
        (a, d) -> {
          pageUids.add(d.getMetadata().getUid());
          if (pageDeletedAt == null && (a == Watcher.Action.DELETED || d.getMetadata().getDeletionTimestamp() != null)) {
            pageDeletedAt = Long.parseLong(d.getMetadata().getResourceVersion());
          }
        })));
    watches.add(admin.resources(PiStack.class).inNamespace(ns).withName(stack).watch(watcher((a, s) -> {
      Condition c = condition(s);
      if (c != null) {
        reasons.add(c.getStatus() + " " + c.getReason());
      }
      stackVersions.add(Map.entry(Long.parseLong(s.getMetadata().getResourceVersion()),
          c == null ? "none" : c.getStatus() + " " + c.getReason()));
    })));
  }

  private void service(Watcher.Action action, Service s) {
    if (action == Watcher.Action.DELETED) {
      errors.add("the Service was deleted");
      return;
    }
    String selects = s.getSpec().getSelector() == null ? null : s.getSpec().getSelector().get(Labels.COMPONENT);
    ServiceState now = new ServiceState(s.getMetadata().getUid(), s.getSpec().getClusterIP(), selects);
    ServiceState last = services.isEmpty() ? null : services.get(services.size() - 1);
    if (now.equals(last)) {
      return;
    }
    services.add(now);
    if (last != null && "maintenance".equals(last.selects()) && !"maintenance".equals(selects)) {
      handBacks.add(Long.parseLong(s.getMetadata().getResourceVersion()));
    }
  }

  private <T> Watcher<T> watcher(java.util.function.BiConsumer<Watcher.Action, T> seen) {
    return new Watcher<>() {
      @Override
      public void eventReceived(Action action, T resource) {
        synchronized (PageHistory.this) {
          seen.accept(action, resource);
        }
      }

      @Override
      public void onClose(WatcherException cause) {
        synchronized (PageHistory.this) {
          errors.add("watch closed: " + cause);
        }
      }
    };
  }

  synchronized List<ServiceState> services() {
    return List.copyOf(services);
  }

  synchronized Set<String> pageUids() {
    return Set.copyOf(pageUids);
  }

  synchronized Set<String> reasons() {
    return Set.copyOf(reasons);
  }

  /**
   * The page was shown and taken down as promised: the Service went to the page and came back, always the same
   * object (one uid, one ClusterIP, never deleted), and it left the page only when the dashboard had a ready pod
   * of its current template; the page's Deployment was created once.
   */
  synchronized void assertShownOnTheSameServiceAndHandedBackToAReadyDashboard(Service before) {
    assertThat(errors).as("the watches saw everything, and the Service was never deleted").isEmpty();
    assertThat(services).as("versions of the Service").extracting(ServiceState::selects).contains("maintenance");
    assertThat(services).as("the Service kept its uid and ClusterIP").allSatisfy(s -> {
      assertThat(s.uid()).isEqualTo(before.getMetadata().getUid());
      assertThat(s.clusterIp()).isEqualTo(before.getSpec().getClusterIP());
    });
    assertThat(services.get(services.size() - 1).selects()).as("it selects the dashboard at the end")
        .isEqualTo("dashboard");
    assertThat(handBacks).as("hand-backs").isNotEmpty().allSatisfy(at -> {
      // The dashboard's Deployment as the API server had it when the Service's write landed (ordered by
      // resourceVersion: one etcd), not as a read afterwards finds it.
      DashboardState h = dashboards.stream().filter(d -> d.at() < at).reduce((a, b) -> b).orElse(null);
      assertThat(h).as("the dashboard's Deployment before the hand-back at %s; versions %s", at, dashboards)
          .isNotNull();
      assertThat(h.ready()).as("the dashboard's ready pods when the Service left the page (%s)", h).isPositive();
      assertThat(h.updated()).as("its updated pods then (%s)", h).isPositive();
      assertThat(h.observed()).as("its controller had seen its current spec then (%s); versions %s", h, dashboards)
          .isTrue();
    });
    assertThat(pageUids).as("the page's Deployment: created once").hasSize(1);
  }

  /** A version of the stack written after the page's Deployment began to be deleted has been seen. */
  synchronized boolean statusWrittenAfterThePageWent() {
    return pageDeletedAt != null && stackVersions.stream().anyMatch(v -> v.getKey() > pageDeletedAt);
  }

  /**
   * The condition went with the page: the reconcile that deletes the page's objects (its apply) drops the condition
   * in the status it writes next (its last stage), so no version of the stack written after the deletion began
   * carries it. The two are separate writes: between them the condition is still the one of the pass before.
   */
  synchronized void assertNoStatusAfterThePageWentCarriesTheCondition() {
    assertThat(pageDeletedAt).as("the page's Deployment was seen deleted").isNotNull();
    assertThat(stackVersions).as("versions of the stack (resourceVersion, MaintenancePage) after the page's deletion"
        + " began at %s", pageDeletedAt).filteredOn(v -> v.getKey() > pageDeletedAt).isNotEmpty()
        .allSatisfy(v -> assertThat(v.getValue()).isEqualTo("none"));
  }

  synchronized String timeline() {
    return "page deleted at " + pageDeletedAt + "; stack versions " + stackVersions;
  }

  /** The page never appeared: the Service only ever selected the dashboard, no page Deployment, no condition. */
  synchronized void assertNeverShown() {
    assertThat(errors).isEmpty();
    assertThat(services).isNotEmpty().extracting(ServiceState::selects).containsOnly("dashboard");
    assertThat(pageUids).as("page Deployments").isEmpty();
    assertThat(reasons).as("MaintenancePage conditions").isEmpty();
  }

  @Override
  public void close() {
    watches.forEach(Watch::close);
  }

  static String selects(Service s) {
    return s.getSpec().getSelector().get(Labels.COMPONENT);
  }

  static Condition condition(PiStack s) {
    return s.getStatus() == null || s.getStatus().conditions == null ? null : s.getStatus().conditions.stream()
        .filter(c -> "MaintenancePage".equals(c.getType())).findFirst().orElse(null);
  }
}
