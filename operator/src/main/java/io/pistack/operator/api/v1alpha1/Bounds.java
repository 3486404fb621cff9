package io.pistack.operator.api.v1alpha1;

/**
 * The bounds on every string, list and map of the spec. The operator enforces them on every field
 * (model.SpecBounds: InvalidSpec naming the field); the CRD declares them where a CEL rule reads the
 * value, because the API server estimates a rule's cost from the largest value the schema allows
 * (an unbounded string or map counts as big as a whole request). A bound the CRD declares is never
 * looser than these (SpecBoundsAgreeWithTheCrdTest), so the API server never admits what the
 * operator refuses. See docs/api-versioning.md, "Size and cost budgets".
 */
public final class Bounds {
  /** At most this many entries in any list or map of the spec. */
  public static final int MAX_ENTRIES = 256;
  /** At most this many characters in any string of the spec (a Kubernetes annotation value may be longer). */
  public static final int MAX_STRING = 4096;
  /** Names of Kubernetes objects the spec refers to: a DNS subdomain. */
  public static final int MAX_NAME = 253;

  private Bounds() {}
}
