package io.pistack.operator.status;

import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.ObjectMetaBuilder;
import io.fabric8.kubernetes.api.model.SecretBuilder;
import io.pistack.operator.api.v1alpha1.DatabaseSpec;
import io.pistack.operator.api.v1alpha1.EmbeddedDatabaseSpec;
import io.pistack.operator.api.v1alpha1.PiStack;
import io.pistack.operator.api.v1alpha1.PiStackSpec;
import io.pistack.operator.api.v1alpha1.SecretRef;
import io.pistack.operator.it.MockCluster;
import io.pistack.operator.model.ResolvedStack;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class StackEventsAndSecretsTest {
  static final String NS = "ev";
  final MockCluster cluster = new MockCluster();

  @AfterEach
  void close() {
    cluster.close();
  }

  @Test
  void theSameEventIsNotRepeatedWithinTheWindowButIsAfterIt() {
    MutableClock clock = new MutableClock();
    StackEvents events = new StackEvents(cluster.client, clock);
    PiStack stack = stack("a");
    events.warning(stack, "Degraded", "dashboard: CrashLoopBackOff");
    events.warning(stack, "Degraded", "dashboard: CrashLoopBackOff");
    assertThat(eventCount()).isEqualTo(1);
    events.warning(stack, "Degraded", "renderer: CrashLoopBackOff");
    assertThat(eventCount()).isEqualTo(2);
    clock.now = clock.now.plus(StackEvents.REPEAT_AFTER).plusSeconds(1);
    events.warning(stack, "Degraded", "renderer: CrashLoopBackOff");
    assertThat(eventCount()).isEqualTo(3);
  }

  @Test
  void anEmbeddedDatabaseWithTheUsersSecretNeedsBothKeys() {
    PiStack stack = stack("b");
    stack.getSpec().database = new DatabaseSpec();
    stack.getSpec().database.embedded = new EmbeddedDatabaseSpec();
    stack.getSpec().database.embedded.credentialsSecret = new SecretRef();
    stack.getSpec().database.embedded.credentialsSecret.name = "mine";
    var mine = new SecretBuilder().withNewMetadata().withName("mine").withUid("u1")
        .endMetadata().addToData("password", "eA==").build();
    io.pistack.operator.model.SecretDigests.Lookup cache = name -> "mine".equals(name)
        ? java.util.Optional.of(io.pistack.operator.model.SlimSecrets.digest(
            io.pistack.operator.model.SlimSecrets.slim(mine)))
        : java.util.Optional.empty();
    assertThat(ReferencedSecrets.check(new ResolvedStack(stack, cache)).all())
        .containsExactly("Secret mine has no key username");
    assertThat(ReferencedSecrets.check(new ResolvedStack(stack)).all())
        .containsExactly("Secret mine not found");
  }

  private int eventCount() {
    return cluster.client.v1().events().inNamespace(NS).list().getItems().size();
  }

  private static PiStack stack(String name) {
    PiStack s = new PiStack();
    s.setMetadata(new ObjectMetaBuilder().withName(name).withNamespace(NS).withUid("uid-" + name).build());
    s.setSpec(new PiStackSpec());
    s.getSpec().version = "2025_10.1";
    return s;
  }

  static final class MutableClock extends Clock {
    Instant now = Instant.parse("2026-01-01T00:00:00Z");

    @Override
    public java.time.ZoneId getZone() {
      return ZoneOffset.UTC;
    }

    @Override
    public Clock withZone(java.time.ZoneId zone) {
      return this;
    }

    @Override
    public Instant instant() {
      return now;
    }
  }
}
