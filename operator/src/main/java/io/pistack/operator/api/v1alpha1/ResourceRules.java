package io.pistack.operator.api.v1alpha1;

/**
 * The CEL rules every {@code resources} field carries (components, the embedded database, the
 * backup Jobs), with their messages; model.SpecValidator checks the same in Java with the same
 * messages. An int-or-string value is turned into a string before it is read as a quantity.
 */
public final class ResourceRules {
  /** The least memory a request or limit may name: anything below is a forgotten unit. */
  public static final String MIN_MEMORY = "32Mi";

/** cpu and memory only: a rule iterating a map of unbounded size exceeds the CEL cost budget. */
  public static final String QUANTITIES = "(!has(self.limits) || ['cpu', 'memory'].all(n, !(n in self.limits)"
      + " || isQuantity(string(self.limits[n]))))"
      + " && (!has(self.requests) || ['cpu', 'memory'].all(n, !(n in self.requests)"
      + " || isQuantity(string(self.requests[n]))))";
  public static final String QUANTITIES_MESSAGE = "cpu and memory must be Kubernetes quantities such as"
      + " 500m, 2, 4Gi or 4096Mi (MB and GB are not Kubernetes units: write Mi or Gi)";

  public static final String MEMORY = "(!has(self.limits) || !('memory' in self.limits) || !isQuantity(string(self.limits['memory']))"
      + " || quantity(string(self.limits['memory'])).compareTo(quantity('" + MIN_MEMORY + "')) >= 0)"
      + " && "
      + "(!has(self.requests) || !('memory' in self.requests) || !isQuantity(string(self.requests['memory']))"
      + " || quantity(string(self.requests['memory'])).compareTo(quantity('" + MIN_MEMORY + "')) >= 0)";
  public static final String MEMORY_MESSAGE = "memory must be at least " + MIN_MEMORY + ": a number without a unit"
      + " is bytes, so write 4Gi or 4096Mi, not 4096";

  public static final String LIMITS_COVER_REQUESTS = "!has(self.limits) || !has(self.requests) || ['cpu', 'memory'].all(n,"
      + " !(n in self.limits) || !(n in self.requests) || !isQuantity(string(self.limits[n]))"
      + " || !isQuantity(string(self.requests[n]))"
      + " || quantity(string(self.limits[n])).compareTo(quantity(string(self.requests[n]))) >= 0)";
  public static final String LIMITS_COVER_REQUESTS_MESSAGE = "the cpu and memory limits must be at least the"
      + " requests";

  private ResourceRules() {}

}
