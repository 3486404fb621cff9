package io.pistack.operator.api.v1alpha1;

/**
 * The rules every {@code resources} field must pass (components, the embedded database, the backup
 * Jobs), with their messages. The operator checks them (model.SpecValidator: InvalidSpec naming the
 * field) before it applies anything; the CRD does not: a CEL rule reading a quantity (an
 * int-or-string value) is estimated as if the value were as big as a whole request, and the seven
 * resources fields spent 71% of the CRD's CEL cost budget (docs/api-versioning.md).
 */
public final class ResourceRules {
  /** The least memory a request or limit may name: anything below is a forgotten unit. */
  public static final String MIN_MEMORY = "32Mi";

  public static final String QUANTITIES_MESSAGE = "cpu and memory must be Kubernetes quantities such as"
      + " 500m, 2, 4Gi or 4096Mi (MB and GB are not Kubernetes units: write Mi or Gi)";

  public static final String MEMORY_MESSAGE = "memory must be at least " + MIN_MEMORY + ": a number without a unit"
      + " is bytes, so write 4Gi or 4096Mi, not 4096";

  public static final String LIMITS_COVER_REQUESTS_MESSAGE = "the cpu and memory limits must be at least the"
      + " requests";

  private ResourceRules() {}
}
