package io.pistack.operator.dependent;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.javaoperatorsdk.operator.api.reconciler.Context;
import io.javaoperatorsdk.operator.api.reconciler.dependent.managed.DefaultManagedWorkflowAndDependentResourceContext;
import io.pistack.operator.api.v1alpha1.PiStack;
import io.pistack.operator.desired.DesiredStacks;
import io.pistack.operator.it.Stacks;
import io.pistack.operator.model.LifecyclePlan;
import io.pistack.operator.model.ResolvedStack;
import java.lang.reflect.Proxy;
import java.util.List;
import org.junit.jupiter.api.Test;

/** One reconcile keeps one Pass: every dependent reads that same value, and none computes it itself. */
class PassTest {
  @SuppressWarnings("unchecked")
  static Context<PiStack> reconcileContext(PiStack primary) {
    var shared = new DefaultManagedWorkflowAndDependentResourceContext<>(null, primary, null);
    return (Context<PiStack>) Proxy.newProxyInstance(PassTest.class.getClassLoader(),
        new Class<?>[] {Context.class}, (proxy, method, args) -> {
          if (method.getName().equals("managedWorkflowAndDependentResourceContext")) {
            return shared;
          }
          throw new UnsupportedOperationException(method.getName());
        });
  }

  @Test
  void theSameValueForTheWholeReconcile() {
    PiStack stack = Stacks.sample("minimal.yaml", "bi");
    Context<PiStack> context = reconcileContext(stack);
    ResolvedStack resolved = new ResolvedStack(stack);
    LifecyclePlan plan = LifecyclePlan.open(resolved);
    Pass pass = new Pass(resolved, plan, List.of(), DesiredStacks.of(resolved, plan,
        io.pistack.operator.desired.LiveChildren.none()));
    pass.keep(context);
    assertThat(Pass.of(context)).isSameAs(pass);
    assertThat(Pass.of(context).stack().source()).isSameAs(stack);
  }

  @Test
  void aDependentReachedWithoutOneFailsInsteadOfComputingIt() {
    Context<PiStack> context = reconcileContext(Stacks.sample("minimal.yaml", "bi"));
    assertThatThrownBy(() -> Pass.of(context)).isInstanceOf(IllegalStateException.class)
        .hasMessageContaining("the reconciler keeps one");
  }
}
