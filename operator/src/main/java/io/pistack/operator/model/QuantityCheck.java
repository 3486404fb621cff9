package io.pistack.operator.model;

import io.fabric8.kubernetes.api.model.Quantity;
import java.math.BigDecimal;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * Kubernetes quantities, read the way the API server reads them: a number with an optional binary
 * (Ki, Mi, Gi...), decimal (m, k, M, G...) or exponent suffix. "4096MB" is not one. Never throws.
 */
public final class QuantityCheck {
  private static final Pattern FORM =
      Pattern.compile("^[+-]?(\\d+(\\.\\d*)?|\\.\\d+)(Ki|Mi|Gi|Ti|Pi|Ei|n|u|m|k|M|G|T|P|E|[eE][+-]?\\d+)?$");

  private QuantityCheck() {}

  /** The amount in base units (bytes, cores), or empty when the text is not a quantity. */
  public static Optional<BigDecimal> amount(Quantity q) {
    if (q == null) {
      return Optional.empty();
    }
    String text = q.getFormat() == null ? q.getAmount() : q.getAmount() + q.getFormat();
    return amount(text);
  }

  public static Optional<BigDecimal> amount(String text) {
    if (text == null || !FORM.matcher(text.trim()).matches()) {
      return Optional.empty();
    }
    try {
      return Optional.of(Quantity.getAmountInBytes(new Quantity(text.trim())));
    } catch (RuntimeException e) {
      return Optional.empty();
    }
  }
}
