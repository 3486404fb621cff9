package io.pistack.operator.reconciler;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.api.model.SecretBuilder;
import io.fabric8.kubernetes.client.utils.Serialization;
import io.pistack.operator.api.v1alpha1.PiStack;
import io.pistack.operator.dependent.ForeignNames;
import io.pistack.operator.dependent.GatewayApi;
import io.pistack.operator.dependent.SpecInputs;
import io.pistack.operator.model.OperatorPolicy;
import io.pistack.operator.model.ResolvedStack;
import io.pistack.operator.model.RestoreCandidates;
import io.pistack.operator.model.SecretDigests;
import io.pistack.operator.model.SpecCheck;
import io.pistack.operator.model.SpecWarnings;
import io.pistack.operator.status.Observation;
import io.pistack.operator.status.Reason;
import io.pistack.operator.status.Recheck;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/**
 * The spec stage's one decision, from values only (SpecInputs as read): the gates in their order (invalid, refused
 * by policy, Gateway API missing, a name taken, a restore refused), which of them still give the advice as Events,
 * and what a stack that goes on carries (the Secrets read into its view, their check, its restore and advice).
 */
class SpecDecisionTest {
  /** Valid, unpinned (advice), naming a licence Secret and a PiBackup to restore. */
  static final String SPEC = "  version: latest\n  licence: {secretName: pi-licence}\n"
      + "  restore: {piBackup: nightly}\n";

  static PiStack stack(String specYaml) {
    return Serialization.unmarshal("apiVersion: pistack.io/v1alpha1\nkind: PiStack\nmetadata:\n  name: pi\n"
        + "  namespace: ns\n  generation: 1\nspec:\n" + specYaml, PiStack.class);
  }

  final ResolvedStack resolved = new ResolvedStack(stack(SPEC));
  final SpecCheck check = SpecCheck.of(resolved, OperatorPolicy.PERMISSIVE);
  final SecretDigests.Lookup secrets = name -> Optional.empty();

  /** A Secret under a name the stack generates that the operator did not create. */
  Map<String, Secret> foreign() {
    String name = ForeignNames.generatedSecrets(resolved).get(0);
    return Map.of(name, new SecretBuilder().withNewMetadata().withName(name).withNamespace("ns").endMetadata()
        .build());
  }

  SpecInputs inputs(boolean gatewayMissing, Map<String, Secret> generated) {
    return new SpecInputs(gatewayMissing, generated, secrets, RestoreCandidates.NONE);
  }

  @Test
  void anInvalidOrRefusedSpecIsStoppedWithoutAnythingReadAndGetsNoAdvice() {
    SpecCheck invalid = new SpecCheck(List.of("spec.version: bad"), List.of(), List.of());
    SpecCheck refused = new SpecCheck(List.of(), List.of("spec.x: refused"), List.of());
    assertThat(SpecDecision.readsInputs(invalid)).isFalse();
    assertThat(SpecDecision.readsInputs(refused)).isFalse();
    assertThat(SpecDecision.readsInputs(check)).isTrue();

    SpecDecision d = SpecDecision.of(resolved, invalid, Optional.empty());
    assertThat(d.verdict().stopped().orElseThrow().invalidSpec()).containsExactly("spec.version: bad");
    assertThat(d.verdict().stopped().get().invalidReason()).isEqualTo(Reason.INVALID_SPEC.wire());
    assertThat(d.advise()).isFalse();
    assertThat(d.verdict().recheck()).isEmpty();
    d = SpecDecision.of(resolved, refused, Optional.empty());
    assertThat(d.verdict().stopped().orElseThrow().invalidReason()).isEqualTo(Reason.REFUSED_BY_POLICY.wire());
    assertThat(d.advise()).isFalse();
    // A spec that passed is decided from what was read for it, never without.
    assertThatThrownBy(() -> SpecDecision.of(resolved, check, Optional.empty()))
        .isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void theGatewayApiMissingComesBeforeATakenNameAndGivesNoAdvice() {
    SpecDecision d = SpecDecision.of(resolved, check, Optional.of(inputs(true, foreign())));
    Observation why = d.verdict().stopped().orElseThrow();
    assertThat(why.invalidReason()).isEqualTo(Reason.GATEWAY_API_MISSING.wire());
    assertThat(why.invalidSpec()).containsExactly(GatewayApi.MISSING);
    assertThat(why.namesTaken()).isEmpty();
    assertThat(d.advise()).isFalse();
  }

  @Test
  void aTakenNameComesBeforeARefusedRestoreAndTheAdviceIsStillGiven() {
    SpecDecision d = SpecDecision.of(resolved, check, Optional.of(inputs(false, foreign())));
    Observation why = d.verdict().stopped().orElseThrow();
    assertThat(why.namesTaken()).singleElement().asString().contains("was not created by this operator");
    assertThat(why.invalidSpec()).isEmpty();
    assertThat(d.verdict().recheck()).isEmpty();
    assertThat(d.advise()).isTrue();
    assertThat(d.verdict().advice()).as("a stopped stack carries no advice to its status").isEmpty();
    assertThat(d.verdict().resolved().secrets()).as("nothing read is kept for a stopped stack")
        .isNotSameAs(secrets);
  }

  @Test
  void aRefusedRestoreIsLookedAtAgainAndTheAdviceIsStillGiven() {
    SpecDecision d = SpecDecision.of(resolved, check, Optional.of(inputs(false, Map.of())));
    Observation why = d.verdict().stopped().orElseThrow();
    assertThat(why.invalidReason()).isEqualTo(Reason.RESTORE_SOURCE_REFUSED.wire());
    assertThat(why.invalidSpec())
        .containsExactly("spec.restore.piBackup: there is no PiBackup nightly in namespace ns");
    assertThat(d.verdict().recheck()).contains(Recheck.RECHECK_RESTORE_SOURCE);
    assertThat(d.verdict().restore()).isEmpty();
    assertThat(d.advise()).isTrue();
  }

  @Test
  void aStackThatGoesOnCarriesTheSecretsReadTheirCheckItsRestoreAndItsAdvice() {
    ResolvedStack plain = new ResolvedStack(stack("  version: latest\n  licence: {secretName: pi-licence}\n"
        + "  restore: {backup: latest}\n"));
    SpecCheck passed = SpecCheck.of(plain, OperatorPolicy.PERMISSIVE);
    SpecDecision d = SpecDecision.of(plain, passed, Optional.of(new SpecInputs(false, Map.of(), secrets,
        RestoreCandidates.NONE)));
    assertThat(d.verdict().stopped()).isEmpty();
    assertThat(d.verdict().recheck()).isEmpty();
    assertThat(d.advise()).isTrue();
    assertThat(d.verdict().advice()).extracting(SpecWarnings.Warning::reason)
        .contains(SpecWarnings.UNPINNED_VERSION);
    assertThat(d.verdict().resolved().secrets()).isSameAs(secrets);
    assertThat(d.verdict().secrets().other()).contains("Secret pi-licence not found");
    assertThat(d.verdict().restore().orElseThrow().backup()).isEqualTo("latest");
  }
}
