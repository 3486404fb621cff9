package io.pistack.operator.dependent;

import io.fabric8.kubernetes.api.model.Secret;
import io.javaoperatorsdk.operator.api.config.informer.InformerEventSourceConfiguration;
import io.javaoperatorsdk.operator.api.reconciler.Context;
import io.javaoperatorsdk.operator.api.reconciler.EventSourceContext;
import io.javaoperatorsdk.operator.processing.event.ResourceID;
import io.javaoperatorsdk.operator.processing.event.source.informer.InformerEventSource;
import io.pistack.operator.api.v1alpha1.PiStack;
import io.pistack.operator.model.DeploymentBuilder;
import io.pistack.operator.model.ResolvedStack;
import io.pistack.operator.model.SecretDigests;
import io.pistack.operator.model.SlimSecrets;
import java.util.HashSet;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * The Secrets of the watched namespaces, kept as {@link SlimSecrets#slim slim} copies: metadata
 * and one digest per key, never a value (measured in docs/day-two.md: 1000 unrelated Secrets cost
 * about what their metadata costs). Replaces a GET of each named Secret on every reconcile: the
 * reconcile reads existence, keys and digests from here. A Secret whose data (or uid) changed
 * triggers a reconcile of the stacks that reference it; a change to its metadata alone triggers
 * nothing.
 */
public final class SecretWatch {
  public static final String NAME = "referenced-secrets";

  private SecretWatch() {}

  public static InformerEventSource<Secret, PiStack> create(EventSourceContext<PiStack> context) {
    SecretReferenceCache cache = new SecretReferenceCache(SecretWatch::references);
    var config = InformerEventSourceConfiguration.from(Secret.class, PiStack.class)
        .withName(NAME)
        .withNamespacesInheritedFromController()
        .withSecondaryToPrimaryMapper(s -> referencing(context, cache, s))
        .withOnUpdateFilter((now, before) -> !SlimSecrets.keys(now).equals(SlimSecrets.keys(before))
            || !Objects.equals(now.getMetadata().getUid(), before.getMetadata().getUid()))
        .withItemStore(new SlimCache.Named<>(s -> SlimCache.compact(SlimSecrets.slim(s))))
        .build();
    return new InformerEventSource<>(config, context);
  }

  /**
   * The digests of the Secrets the stack's pods and checks name ({@link #names}, the names its Secret events are
   * mapped with), read once from this reconcile's cache: the value the resolved view keeps, so every stage sees the
   * same Secrets. SecretCoverageTest proves these names cover every Secret a pod template or check looks up.
   */
  public static SecretDigests.Lookup digests(ResolvedStack stack, Context<PiStack> context) {
    java.util.Map<String, SecretDigests.Digest> read = new java.util.HashMap<>();
    names(stack).forEach(name -> find(stack.source(), context, name)
        .ifPresent(s -> read.put(name, SlimSecrets.digest(s))));
    return SecretDigests.Lookup.of(read);
  }

  /** A Secret of the stack's namespace, slim (metadata and digests), from the cache. */
  @SuppressWarnings("unchecked")
  static Optional<Secret> find(PiStack primary, Context<PiStack> context, String name) {
    InformerEventSource<Secret, PiStack> source;
    try {
      source = (InformerEventSource<Secret, PiStack>) context.eventSourceRetriever()
          .getEventSourceFor(Secret.class, NAME);
    } catch (RuntimeException noSuchSource) {
      return Optional.empty();
    }
    return source.get(new ResourceID(name, primary.getMetadata().getNamespace()));
  }

  /** The stacks of the Secret's namespace whose pods or checks name it. */
  static Set<ResourceID> referencing(EventSourceContext<PiStack> context, SecretReferenceCache cache, Secret secret) {
    String name = secret.getMetadata().getName();
    String namespace = secret.getMetadata().getNamespace();
    List<PiStack> stacks = context.getPrimaryCache().list(namespace).toList();
    cache.retainOnly(namespace, stacks.stream().map(ResourceID::fromResource).collect(Collectors.toSet()));
    return stacks.stream()
        .filter(stack -> {
          SecretReferenceCache.References refs = cache.of(stack);
          return refs.names().contains(name) || holdsGeneratedName(stack, refs.generated(), secret);
        })
        .map(ResourceID::fromResource)
        .collect(Collectors.toSet());
  }

  /** What a Secret event is mapped with, for one stack (computed once per stack resourceVersion by the cache). */
  static SecretReferenceCache.References references(PiStack stack) {
    return new SecretReferenceCache.References(names(stack), generatedNames(stack));
  }

  /** The Secret names the stack generates; none for an invalid spec (its reconcile reports it). */
  static List<String> generatedNames(PiStack stack) {
    try {
      return ForeignNames.generatedSecrets(new ResolvedStack(stack));
    } catch (RuntimeException invalidSpec) {
      return List.of();
    }
  }

  /**
   * A Secret the operator did not create under a name the stack generates: its creation, change or deletion is the
   * stack's NameTaken starting or ending (ForeignNames). The operator's own are reported by the credentials informer.
   */
  static boolean holdsGeneratedName(PiStack stack, List<String> generated, Secret secret) {
    try {
      return generated.contains(secret.getMetadata().getName())
          && !io.pistack.operator.model.Ownership.createdFor(secret, stack);
    } catch (RuntimeException invalidSpec) {
      return false;
    }
  }

  /** Every Secret a stack's Deployments reference, plus the licence and user credentials it checks. */
  static Set<String> names(PiStack primary) {
    try {
      return names(new ResolvedStack(primary));
    } catch (RuntimeException invalidSpec) {
      return Set.of();
    }
  }

  /** The same, of a resolved view (its Secrets are not read: only the names its pod templates reference). */
  static Set<String> names(ResolvedStack stack) {
    Set<String> names = new HashSet<>();
    try {
      stack.licence().ifPresent(k -> names.add(k.secret()));
      stack.database().userCredentialsSecret().ifPresent(r -> names.add(r.name));
      stack.enabledComponents().forEach(c -> names.addAll(
          SecretDigests.references(DeploymentBuilder.build(stack, c).getSpec().getTemplate().getSpec()).keySet()));
      // The generated credentials are the credentials dependent's: its informer reports them (and
      // ignores the operator's own create); counted in no pod template either.
      if (stack.database().generatesCredentials()) {
        names.remove(stack.generatedCredentialsSecretName());
      }
    } catch (RuntimeException invalidSpec) {
      // An invalid spec is reported by its reconcile; the names found so far are still mapped.
    }
    return names;
  }
}
