package io.pistack.operator.model;

import io.fabric8.kubernetes.api.model.Quantity;
import io.fabric8.kubernetes.api.model.ResourceRequirements;
import io.pistack.operator.api.v1alpha1.DashboardSpec;
import io.pistack.operator.api.v1alpha1.ResourceRules;
import io.pistack.operator.model.SpecValidator.Problem;
import io.pistack.operator.model.SpecValidator.Stage;
import java.math.BigDecimal;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The rules of the resources a spec gives its containers (quantities, a memory floor, limits that
 * cover requests) and of the dashboard's Tomcat heap below its memory limit: part of
 * {@link SpecValidator}, each problem with its path.
 */
final class ResourcesCheck {
  private static final BigDecimal MIB = BigDecimal.valueOf(1024L * 1024L);

  private ResourcesCheck() {}

  /**
   * The three resources rules (quantities, at least 32Mi of memory, limits cover requests: ResourceRules), the
   * operator's alone since the CRD cannot afford them in CEL.
   */
  static void check(List<Problem> p, String path, ResourceRequirements r) {
    check(p, path, r, Stage.OPERATOR);
  }

  /**
   * The three resources rules; {@code cpuAndMemory} says where they are enforced for cpu and memory
   * (other resource names are the operator's alone).
   */
  static void check(List<Problem> p, String path, ResourceRequirements r, Stage cpuAndMemory) {
    if (r == null) {
      return;
    }
    Map<String, Map<String, Quantity>> sections = new LinkedHashMap<>();
    sections.put("limits", r.getLimits() == null ? Map.of() : r.getLimits());
    sections.put("requests", r.getRequests() == null ? Map.of() : r.getRequests());
    BigDecimal minMemory = QuantityCheck.amount(ResourceRules.MIN_MEMORY).orElseThrow();
    sections.forEach((section, values) -> values.forEach((k, q) -> {
      String at = path + "." + section + "." + k;
      Optional<BigDecimal> amount = QuantityCheck.amount(q);
      if (amount.isEmpty()) {
        // The CRD checks cpu and memory; other resources are refused by the operator.
        p.add(new Problem(at, ResourceRules.QUANTITIES_MESSAGE + "; got '" + text(q) + "'",
            k.equals("cpu") || k.equals("memory") ? cpuAndMemory : Stage.OPERATOR));
      } else if (k.equals("memory") && amount.get().compareTo(minMemory) < 0) {
        p.add(new Problem(at, ResourceRules.MEMORY_MESSAGE + "; got '" + text(q) + "'", cpuAndMemory));
      }
    }));
    sections.get("limits").forEach((k, limit) -> {
      Quantity request = sections.get("requests").get(k);
      Optional<BigDecimal> l = QuantityCheck.amount(limit);
      Optional<BigDecimal> q = QuantityCheck.amount(request);
      if (l.isPresent() && q.isPresent() && l.get().compareTo(q.get()) < 0) {
        p.add(new Problem(path + ".limits." + k, ResourceRules.LIMITS_COVER_REQUESTS_MESSAGE
            + "; the " + k + " limit " + text(limit) + " is below the request " + text(request),
            k.equals("cpu") || k.equals("memory") ? cpuAndMemory : Stage.OPERATOR));
      }
    });
  }

  /**
   * The Tomcat heap below the memory limit: against the default limit (no resources given) DashboardSpec's CEL rule
   * checks it too; against a limit that is given only the operator does (a CEL rule reading it costs too much).
   */
  static void dashboardHeap(List<Problem> p, DashboardSpec d) {
    if (d == null) {
      return;
    }
    Optional<BigDecimal> limit = d.resources == null || d.resources.getLimits() == null ? Optional.empty()
        : QuantityCheck.amount(d.resources.getLimits().get("memory"));
    if (d.tomcatMaxMemoryMb != null) {
      BigDecimal heap = MIB.multiply(BigDecimal.valueOf(d.tomcatMaxMemoryMb));
      boolean below = d.resources == null ? d.tomcatMaxMemoryMb < 4096
          : limit.isEmpty() || heap.compareTo(limit.get()) < 0;
      if (!below) {
        p.add(new Problem("spec.dashboard.tomcatMaxMemoryMb", DashboardSpec.HEAP_MESSAGE,
            d.resources == null ? Stage.ADMISSION : Stage.OPERATOR));
      }
    } else if (limit.isPresent() && limit.get().compareTo(MIB.multiply(BigDecimal.valueOf(512))) <= 0) {
      p.add(new Problem("spec.dashboard.resources", DashboardSpec.DERIVED_HEAP_MESSAGE, Stage.OPERATOR));
    }
  }

  static String text(Quantity q) {
    return q == null ? "" : q.getFormat() == null ? q.getAmount() : q.getAmount() + q.getFormat();
  }
}
