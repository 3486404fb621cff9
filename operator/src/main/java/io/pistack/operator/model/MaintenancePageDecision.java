package io.pistack.operator.model;

import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.pistack.operator.api.v1alpha1.ComponentStatus;
import io.pistack.operator.api.v1alpha1.PiStackStatus;
import java.util.Collection;
import java.util.Map;
import java.util.Optional;

/**
 * When the maintenance page shows (docs/maintenance-page.md). Pure, and derived from the cluster only, never
 * remembered, so an operator killed at any moment decides the same after its restart:
 *
 * <ul>
 *   <li>a <b>trigger</b> holds the dashboard down: a drained upgrade (any step), a restore that stops the dashboard,
 *       or hibernation;
 *   <li>the page is <b>never</b> shown to a stack that never served: its first install (a stack created with
 *       spec.restore included). A stack has served when its last status counted a ready dashboard, or when the page
 *       already exists (the page is only ever made for a stack that served, so its presence is the evidence that
 *       survives the status turning not-ready);
 *   <li>the page's objects exist while a trigger holds, and after it until the dashboard is Ready again;
 *   <li>the Service <b>selects</b> the page once a page pod is ready (or the dashboard has none ready anyway), and
 *       keeps it until the dashboard is Ready; then one pass hands the selector back with the page still running, and
 *       the next one (the Service's change wakes it) removes the page.
 * </ul>
 *
 * Off with spec.maintenancePage.enabled false, without a dashboard, and while the dashboard serves HTTPS (the
 * page serves plain HTTP on the dashboard's port; a client expecting TLS would get a protocol error instead).
 *
 * @param objects the page's ConfigMap, Deployment and NetworkPolicy exist
 * @param selected the dashboard's Service selects the page's pods
 * @param why what the page says (null when there is no page)
 * @param handingBack the dashboard is Ready again: this pass gives the Service back, the page still running
 */
public record MaintenancePageDecision(boolean objects, boolean selected, Why why, boolean handingBack) {

  /** Why the page shows, which the page and the MaintenancePage condition say. */
  public enum Why {
    UPGRADE("the dashboard is being upgraded to a new version"),
    RESTORE("the dashboard's data is being restored from a backup"),
    HIBERNATION("this Panintelligence installation is hibernating"),
    STARTING("the dashboard is starting again after maintenance");

    private final String words;

    Why(String words) {
      this.words = words;
    }

    /** In a sentence: "the dashboard is being upgraded ...". */
    public String words() {
      return words;
    }
  }

  /**
   * What the decision reads of the cluster (Observed reads it from the caches).
   *
   * @param dashboardReady the dashboard's Deployment is at rest on its current template with a ready pod
   *     ({@link #serves})
   * @param pageExists the page's Deployment exists
   * @param pageReady the page's Deployment has a ready pod
   * @param serviceOnPage the dashboard's Service selects the page's pods now
   * @param hibernating spec.hibernation.enabled is true
   */
  public record Seen(boolean dashboardReady, boolean pageExists, boolean pageReady, boolean serviceOnPage,
      boolean hibernating) {
    public static Seen nothing() {
      return new Seen(false, false, false, false, false);
    }

    /** From the live Deployments (by name), the dashboard's Service and spec.hibernation. */
    public static Seen of(ResolvedStack stack, Map<String, Deployment> deployments, Optional<Service> dashboard) {
      Deployment d = deployments.get(stack.name(Component.main()));
      Deployment page = deployments.get(MaintenancePageBuilder.name(stack));
      boolean onPage = dashboard.map(s -> s.getSpec() == null ? null : s.getSpec().getSelector())
          .map(sel -> MaintenancePageBuilder.PART.equals(sel.get(Labels.COMPONENT))).orElse(false);
      return new Seen(d != null && serves(d, deployments.values()), page != null,
          page != null && readyPods(page) > 0, onPage, hibernationAsked(stack));
    }
  }

  /**
   * The dashboard can take the Service back: its controller saw its current spec, every pod it has runs that spec
   * and one is ready, and this pass leaves it as it is. The pass that releases a drained upgrade (another
   * component still on the old version: DrainDecision#lagging) scales the dashboard from its one migrating pod to
   * its count: a new generation, so the hand-back waits for the controller to have seen that one.
   */
  static boolean serves(Deployment dashboard, Collection<Deployment> deployments) {
    var s = dashboard.getStatus();
    return DrainDecision.migrated(dashboard) && s.getReplicas() != null
        && s.getReplicas().equals(s.getUpdatedReplicas()) && !DrainDecision.lagging(dashboard, deployments);
  }

  /** spec.hibernation.enabled: the stack is asked to sleep (or sleeps). */
  static boolean hibernationAsked(ResolvedStack stack) {
    var h = stack.source().getSpec().hibernation;
    return h != null && Boolean.TRUE.equals(h.enabled);
  }

  public static MaintenancePageDecision none() {
    return new MaintenancePageDecision(false, false, null, false);
  }

  public static MaintenancePageDecision decide(ResolvedStack stack, LifecyclePlan plan, Seen seen) {
    if (!MaintenancePageBuilder.enabled(stack)) {
      return none();
    }
    Optional<Why> trigger = trigger(plan, seen);
    boolean served = servedBefore(stack.source().getStatus()) || seen.pageExists() || seen.serviceOnPage();
    if (trigger.isPresent() && served) {
      return new MaintenancePageDecision(true, seen.serviceOnPage() || seen.pageReady() || !seen.dashboardReady(),
          trigger.get(), false);
    }
    if (trigger.isEmpty() && (seen.pageExists() || seen.serviceOnPage())) {
      if (!seen.dashboardReady()) {
        return new MaintenancePageDecision(true, seen.serviceOnPage() || seen.pageReady(), Why.STARTING, false);
      }
      if (seen.serviceOnPage()) {
        // The dashboard is Ready: hand the selector back, the page still running while the endpoints change.
        return new MaintenancePageDecision(true, false, Why.STARTING, true);
      }
    }
    return none();
  }

  /** What holds the dashboard down now, if anything: hibernation first, then a restore, then a drained upgrade. */
  static Optional<Why> trigger(LifecyclePlan plan, Seen seen) {
    if (seen.hibernating()) {
      return Optional.of(Why.HIBERNATION);
    }
    if (plan.stopped(Component.main())) {
      return Optional.of(Why.RESTORE);
    }
    if (plan.drain().active()) {
      return Optional.of(Why.UPGRADE);
    }
    return Optional.empty();
  }

  /** The last status counted a ready dashboard: the stack served before (not its first install). */
  static boolean servedBefore(PiStackStatus status) {
    if (status == null || status.components == null) {
      return false;
    }
    ComponentStatus dashboard = status.components.get(Component.main().part());
    return dashboard != null && dashboard.readyReplicas != null && dashboard.readyReplicas > 0;
  }

  private static int readyPods(Deployment d) {
    return d.getStatus() == null || d.getStatus().getReadyReplicas() == null ? 0 : d.getStatus().getReadyReplicas();
  }
}
