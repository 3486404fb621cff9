package io.pistack.operator.dependent;

import io.fabric8.kubernetes.api.model.HasMetadata;
import io.javaoperatorsdk.operator.api.reconciler.Context;
import io.javaoperatorsdk.operator.api.reconciler.dependent.DependentResource;
import io.javaoperatorsdk.operator.processing.dependent.workflow.Condition;
import io.pistack.operator.api.v1alpha1.PiStack;
import io.pistack.operator.model.PodDisruptionBudgetBuilder;
import io.pistack.operator.model.ResolvedStack;

/** Reconcile preconditions of the optional dependents. When one turns false its object is deleted. */
public final class Preconditions {
  private Preconditions() {}

  public static final class IngressEnabled implements Condition<HasMetadata, PiStack> {
    @Override
    public boolean isMet(DependentResource<HasMetadata, PiStack> d, PiStack p, Context<PiStack> c) {
      return new ResolvedStack(p).ingressEnabled();
    }
  }

  public static final class DashboardCanScaleOut implements Condition<HasMetadata, PiStack> {
    @Override
    public boolean isMet(DependentResource<HasMetadata, PiStack> d, PiStack p, Context<PiStack> c) {
      return PodDisruptionBudgetBuilder.wanted(new ResolvedStack(p));
    }
  }

  public static final class EmbeddedDatabase implements Condition<HasMetadata, PiStack> {
    @Override
    public boolean isMet(DependentResource<HasMetadata, PiStack> d, PiStack p, Context<PiStack> c) {
      return new ResolvedStack(p).embeddedDatabase();
    }
  }

  public static final class GeneratesCredentials implements Condition<HasMetadata, PiStack> {
    @Override
    public boolean isMet(DependentResource<HasMetadata, PiStack> d, PiStack p, Context<PiStack> c) {
      return new ResolvedStack(p).generatesCredentials();
    }
  }
}
