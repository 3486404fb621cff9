package io.pistack.operator.dependent;

import static org.assertj.core.api.Assertions.assertThat;

import io.javaoperatorsdk.operator.api.reconciler.Context;
import io.javaoperatorsdk.operator.api.reconciler.dependent.managed.DefaultManagedWorkflowAndDependentResourceContext;
import io.pistack.operator.api.v1alpha1.PiStack;
import io.pistack.operator.model.ResolvedStack;
import io.pistack.operator.it.Stacks;
import java.lang.reflect.Proxy;
import org.junit.jupiter.api.Test;

/** One reconcile resolves its PiStack once: every later caller gets that same view. */
class ResolvedTest {
  @SuppressWarnings("unchecked")
  static Context<PiStack> reconcileContext(PiStack primary) {
    var shared = new DefaultManagedWorkflowAndDependentResourceContext<>(null, primary, null);
    return (Context<PiStack>) Proxy.newProxyInstance(ResolvedTest.class.getClassLoader(),
        new Class<?>[] {Context.class}, (proxy, method, args) -> {
          if (method.getName().equals("managedWorkflowAndDependentResourceContext")) {
            return shared;
          }
          throw new UnsupportedOperationException(method.getName());
        });
  }

  @Test
  void theSameViewForTheWholeReconcile() {
    PiStack stack = Stacks.sample("minimal.yaml", "bi");
    Context<PiStack> context = reconcileContext(stack);
    ResolvedStack first = Resolved.of(stack, context);
    assertThat(first.source()).isSameAs(stack);
    assertThat(Resolved.of(stack, context)).isSameAs(first);
  }

  @Test
  void neverAViewOfAnotherObject() {
    PiStack stack = Stacks.sample("minimal.yaml", "bi");
    Context<PiStack> context = reconcileContext(stack);
    ResolvedStack first = Resolved.of(stack, context);
    PiStack other = Stacks.sample("minimal.yaml", "bi");
    assertThat(Resolved.of(other, context)).isNotSameAs(first).extracting(ResolvedStack::source).isSameAs(other);
  }
}
