package io.pistack.operator.api.v1alpha1;

/**
 * The CEL rules every {@code resources} field carries (components, the embedded database, the
 * backup Jobs), with their messages; model.SpecValidator checks the same in Java with the same
 * messages. An int-or-string value is turned into a string before it is read as a quantity.
 */
public final class ResourceRules {
  /** The least memory a request or limit may name: anything below is a forgotten unit. */
  public static final String MIN_MEMORY = "32Mi";

  public static final String QUANTITIES = "(!has(self.limits) || self.limits.all(k, isQuantity(string(self.limits[k]))))"
      + " && (!has(self.requests) || self.requests.all(k, isQuantity(string(self.requests[k]))))";
  public static final String QUANTITIES_MESSAGE = "every request and limit must be a Kubernetes quantity such as"
      + " 500m, 2, 4Gi or 4096Mi (MB and GB are not Kubernetes units: write Mi or Gi)";

  public static final String MEMORY = "(!has(self.limits) || !('memory' in self.limits) || !isQuantity(string(self.limits['memory']))"
      + " || quantity(string(self.limits['memory'])).compareTo(quantity('" + MIN_MEMORY + "')) >= 0)"
      + " && "
      + "(!has(self.requests) || !('memory' in self.requests) || !isQuantity(string(self.requests['memory']))"
      + " || quantity(string(self.requests['memory'])).compareTo(quantity('" + MIN_MEMORY + "')) >= 0)";
  public static final String MEMORY_MESSAGE = "memory must be at least " + MIN_MEMORY + ": a number without a unit"
      + " is bytes, so write 4Gi or 4096Mi, not 4096";

  public static final String LIMITS_COVER_REQUESTS = "!has(self.limits) || !has(self.requests)"
      + " || self.limits.all(k, !(k in self.requests) || !isQuantity(string(self.limits[k]))"
      + " || !isQuantity(string(self.requests[k]))"
      + " || quantity(string(self.limits[k])).compareTo(quantity(string(self.requests[k]))) >= 0)";
  public static final String LIMITS_COVER_REQUESTS_MESSAGE = "every limit must be at least the request of the"
      + " same resource";

  private ResourceRules() {}

}
