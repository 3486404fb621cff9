package io.pistack.operator.health;

/**
 * Sees every probe, including the latency that status deliberately leaves out (status records only
 * changes, so that it is not rewritten every interval). The metrics endpoint implements this to
 * publish live probe latency and results.
 */
@FunctionalInterface
public interface ProbeListener {
  ProbeListener NONE = (stack, target, result) -> { };

  /**
   * Called on the probe executor after each probe; must be quick and must not throw.
   *
   * @param stack the PiStack's name (its namespace is {@code target.namespace()})
   */
  void probed(String stack, ProbeTarget target, ProbeResult result);
}
