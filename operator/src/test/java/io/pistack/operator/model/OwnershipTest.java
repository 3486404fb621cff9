package io.pistack.operator.model;

import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.ObjectMetaBuilder;
import io.fabric8.kubernetes.api.model.OwnerReferenceBuilder;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.api.model.batch.v1.Job;
import io.pistack.operator.api.v1alpha1.PiStack;
import java.util.Map;
import org.junit.jupiter.api.Test;

class OwnershipTest {
  private static final PiStack STACK = stack("pi", "uid-1");

  static PiStack stack(String name, String uid) {
    PiStack s = new PiStack();
    s.setMetadata(new ObjectMetaBuilder().withName(name).withNamespace("bi").withUid(uid).build());
    return s;
  }

  static Secret secret(Map<String, String> labels, String ownerName, String ownerUid) {
    var meta = new ObjectMetaBuilder().withName("pi-db-credentials").withNamespace("bi").withLabels(labels);
    if (ownerName != null) {
      meta.withOwnerReferences(new OwnerReferenceBuilder().withApiVersion(PiStack.GROUP + "/v1alpha1")
          .withKind("PiStack").withName(ownerName).withUid(ownerUid).build());
    }
    Secret s = new Secret();
    s.setMetadata(meta.build());
    return s;
  }

  private static final Map<String, String> OURS = Map.of(Labels.MANAGED_BY, Labels.OPERATOR, Labels.INSTANCE, "pi");

  @Test
  void createdForNeedsTheOperatorsLabelsForThisStackAndNoOtherPiStackAsOwner() {
    assertThat(Ownership.createdFor(secret(OURS, null, null), STACK)).isTrue();
    assertThat(Ownership.createdFor(secret(OURS, "pi", "uid-1"), STACK)).isTrue();
    // A predecessor of the same name (data survives the PiStack on purpose).
    assertThat(Ownership.createdFor(secret(OURS, "pi", "uid-0"), STACK)).isTrue();
    assertThat(Ownership.createdFor(secret(null, null, null), STACK)).as("unlabelled").isFalse();
    assertThat(Ownership.createdFor(secret(Map.of(Labels.MANAGED_BY, Labels.OPERATOR), null, null), STACK))
        .as("no instance").isFalse();
    assertThat(Ownership.createdFor(secret(Map.of(Labels.MANAGED_BY, Labels.OPERATOR, Labels.INSTANCE, "other"),
        null, null), STACK)).as("another stack's").isFalse();
    assertThat(Ownership.createdFor(secret(OURS, "other", "uid-2"), STACK)).as("owned by another PiStack").isFalse();
  }

  @Test
  void ownedByMatchesTheUidNotTheName() {
    Job job = new Job();
    job.setMetadata(new ObjectMetaBuilder().withName("pi-restore-1").withOwnerReferences(
        new OwnerReferenceBuilder().withKind("PiStack").withName("pi").withUid("uid-0").build()).build());
    assertThat(Ownership.ownedBy(job, STACK)).isFalse();
    assertThat(Ownership.ownedBy(job, "uid-0")).isTrue();
    job.getMetadata().setOwnerReferences(null);
    assertThat(Ownership.ownedBy(job, STACK)).isFalse();
    assertThat(Ownership.ownedBy(job, (String) null)).isFalse();
  }
}
