package io.pistack.operator.runtime;

import java.util.Optional;

/**
 * Which part of the fleet this operator serves (docs/sizing.md): the PiStacks its stack selector matches, in the
 * namespaces its namespace selector matches now (followed at run time, no restart). Both empty: every PiStack of
 * the watched namespaces, as before.
 *
 * @param stacks {@code PI_OPERATOR_STACK_SELECTOR}: a label selector on PiStacks
 * @param namespaces {@code PI_OPERATOR_NAMESPACE_SELECTOR}: a label selector on namespaces
 */
public record ShardConfig(Optional<LabelSelector> stacks, Optional<LabelSelector> namespaces) {
  public static final ShardConfig NONE = new ShardConfig(Optional.empty(), Optional.empty());

  /** "stacks matching X in namespaces matching Y", for the start's log line. */
  public String describe() {
    return "PiStacks " + stacks.map(s -> "matching " + s).orElse("of any label") + " in namespaces "
        + namespaces.map(n -> "labelled " + n).orElse("as watched");
  }
}
