package io.pistack.operator.dependent;

import io.fabric8.kubernetes.api.model.HasMetadata;
import io.javaoperatorsdk.operator.api.reconciler.Context;
import io.javaoperatorsdk.operator.api.reconciler.dependent.DependentResource;
import io.javaoperatorsdk.operator.processing.dependent.workflow.Condition;
import io.pistack.operator.api.v1alpha1.PiStack;

/** Reconcile preconditions of the optional dependents. When one turns false its object is deleted. */
public final class Preconditions {
  private Preconditions() {}

  public static final class IngressEnabled implements Condition<HasMetadata, PiStack> {
    @Override
    public boolean isMet(DependentResource<HasMetadata, PiStack> d, PiStack p, Context<PiStack> c) {
      return Pass.of(c).stack().ingressEnabled();
    }
  }

  public static final class HttpRouteEnabled implements Condition<HasMetadata, PiStack> {
    @Override
    public boolean isMet(DependentResource<HasMetadata, PiStack> d, PiStack p, Context<PiStack> c) {
      return Pass.of(c).stack().httpRouteEnabled();
    }
  }

  public static final class BackendTlsWanted implements Condition<HasMetadata, PiStack> {
    @Override
    public boolean isMet(DependentResource<HasMetadata, PiStack> d, PiStack p, Context<PiStack> c) {
      return io.pistack.operator.model.BackendTlsPolicyBuilder.wanted(Pass.of(c).stack());
    }
  }

  public static final class EmbeddedDatabase implements Condition<HasMetadata, PiStack> {
    @Override
    public boolean isMet(DependentResource<HasMetadata, PiStack> d, PiStack p, Context<PiStack> c) {
      return Pass.of(c).stack().database().embedded();
    }
  }

  public static final class GeneratesCredentials implements Condition<HasMetadata, PiStack> {
    @Override
    public boolean isMet(DependentResource<HasMetadata, PiStack> d, PiStack p, Context<PiStack> c) {
      return Pass.of(c).stack().database().generatesCredentials();
    }
  }

  public static final class QdrantEnabled implements Condition<HasMetadata, PiStack> {
    @Override
    public boolean isMet(DependentResource<HasMetadata, PiStack> d, PiStack p, Context<PiStack> c) {
      return Pass.of(c).stack().enabled(io.pistack.operator.model.Component.QDRANT);
    }
  }
}
