package io.pistack.operator.api.v1alpha1;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;

/**
 * Puts the whole stack to sleep (docs/hibernation.md): every pod stops, in order, and every volume and Secret is
 * kept; turning it off wakes the stack in the reverse order. The condition Hibernated says where it is.
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public class HibernationSpec {
  @JsonPropertyDescription("True: the stack goes to zero pods, in order: the dashboard and scheduler first (their"
      + " autoscalers removed), then the other components, then the embedded database; scheduled backups are"
      + " suspended. Every volume and Secret is kept. False (default): the stack runs; turning it back to false"
      + " wakes the stack, database first, and it ends Ready with the same data. The condition Hibernated reports"
      + " the progress. With Argo CD or another GitOps tool, set this field in Git, or the sync reverts it.")
  public Boolean enabled;
}
