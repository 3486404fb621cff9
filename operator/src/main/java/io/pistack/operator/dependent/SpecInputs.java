package io.pistack.operator.dependent;

import io.fabric8.kubernetes.api.model.Secret;
import io.javaoperatorsdk.operator.api.reconciler.Context;
import io.javaoperatorsdk.operator.processing.event.source.informer.InformerEventSource;
import io.pistack.operator.access.ApiAccess;
import io.pistack.operator.api.v1alpha1.PiBackup;
import io.pistack.operator.api.v1alpha1.PiStack;
import io.pistack.operator.model.ResolvedStack;
import io.pistack.operator.model.RestoreCandidates;
import io.pistack.operator.model.SecretDigests;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * What the spec stage reads of the cluster, once, and only for a spec that passed its check (nothing is read for an
 * invalid or refused spec): from the operator's caches, no request, except the Gateway API's discovery, asked once
 * per process (GatewayApi). The spec stage then decides from these values alone: no callback reads more.
 *
 * @param gatewayApiMissing spec.httpRoute is on and the cluster does not serve HTTPRoutes (asked only then)
 * @param generated the Secrets found under the names the stack generates (ForeignNames: a foreign one takes the name)
 * @param secrets the digests of the Secrets the stack names (SecretWatch#digests: the resolved view keeps them)
 * @param restore the PiStacks and PiBackups of the namespace spec.restore chooses from (RestoreCandidates)
 */
@ApiAccess.PassesClient("hands context.getClient() to GatewayApi (API discovery only)")
public record SpecInputs(boolean gatewayApiMissing, Map<String, Secret> generated, SecretDigests.Lookup secrets,
    RestoreCandidates restore) {

  public static SpecInputs read(ResolvedStack stack, Context<PiStack> context) {
    boolean missing = stack.httpRouteEnabled() && !GatewayApi.available(context.getClient());
    Map<String, Secret> generated = new LinkedHashMap<>();
    ForeignNames.generatedSecrets(stack).forEach(name -> SecretWatch.find(stack.source(), context, name)
        .ifPresent(s -> generated.put(name, s)));
    RestoreCandidates restore = RestoreCandidates.sourceNamespace(stack)
        .map(ns -> new RestoreCandidates(context.getPrimaryCache().list(ns).toList(), backups(context, ns)))
        .orElse(RestoreCandidates.NONE);
    return new SpecInputs(missing, generated, SecretWatch.digests(stack, context), restore);
  }

  /** The PiBackups of a namespace the operator watches, from their informer (StackBackups); none without it. */
  @SuppressWarnings("unchecked")
  static List<PiBackup> backups(Context<PiStack> context, String namespace) {
    try {
      var source = (InformerEventSource<PiBackup, PiStack>) context.eventSourceRetriever()
          .getEventSourceFor(PiBackup.class, StackBackups.NAME);
      return source.list(namespace, b -> true).toList();
    } catch (RuntimeException noSuchSource) {
      return List.of();
    }
  }
}
