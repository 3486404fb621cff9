package io.pistack.operator.status;

import io.pistack.operator.model.Component;
import io.pistack.operator.model.MaintenancePageBuilder;
import io.pistack.operator.model.MaintenancePageDecision;
import io.pistack.operator.model.MaintenancePageDecision.Why;
import io.pistack.operator.model.ResolvedStack;

/**
 * The MaintenancePage condition, present only while the page's objects exist (docs/status.md): True while the
 * dashboard's Service answers with the page, its reason saying why (MaintenanceUpgrade, MaintenanceRestore,
 * MaintenanceHibernation, MaintenanceDashboardStarting); False while the page's pod starts (MaintenancePageStarting)
 * and in the one pass that hands the Service back to a Ready dashboard (MaintenanceEnding). Pure.
 */
final class MaintenancePageCondition {
  private MaintenancePageCondition() {}

  static void set(ResolvedStack stack, MaintenancePageDecision page, Conditions conditions) {
    if (page == null || !page.objects()) {
      return;
    }
    String service = stack.name(Component.main());
    if (!page.selected()) {
      boolean ending = page.handingBack();
      conditions.set(ConditionType.MAINTENANCE_PAGE, false,
          ending ? Reason.MAINTENANCE_ENDING : Reason.MAINTENANCE_PAGE_STARTING, ending
              ? "the dashboard is Ready: Service " + service + " selects it again; the maintenance page is removed next"
              : "the maintenance page " + MaintenancePageBuilder.name(stack) + " is starting; Service " + service
                  + " selects it once its pod is ready (" + page.why().words() + ")");
      return;
    }
    conditions.set(ConditionType.MAINTENANCE_PAGE, true, reason(page.why()), "Service " + service
        + " answers with the maintenance page (HTTP 503, Retry-After " + MaintenancePageBuilder.retryAfterSeconds(stack)
        + " s) until the dashboard is Ready: " + page.why().words());
  }

  private static Reason reason(Why why) {
    return switch (why) {
      case UPGRADE -> Reason.MAINTENANCE_UPGRADE;
      case RESTORE -> Reason.MAINTENANCE_RESTORE;
      case HIBERNATION -> Reason.MAINTENANCE_HIBERNATION;
      case STARTING -> Reason.MAINTENANCE_DASHBOARD_STARTING;
    };
  }
}
