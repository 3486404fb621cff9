package io.pistack.operator.status;

import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.api.model.SecretBuilder;
import io.pistack.operator.api.v1alpha1.DatabaseSpec;
import io.pistack.operator.api.v1alpha1.EmbeddedDatabaseSpec;
import io.pistack.operator.api.v1alpha1.PiStack;
import io.pistack.operator.api.v1alpha1.PiStackSpec;
import io.pistack.operator.api.v1alpha1.SecretRef;
import io.pistack.operator.health.StackHealth;
import io.pistack.operator.model.ResolvedStack;
import io.pistack.operator.model.SlimSecrets;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** A user credentials Secret naming a user the embedded database does not create: UserNameRefused, key named, value never. */
class UserNameRefusedTest {
  @ParameterizedTest
  @ValueSource(strings = {"", "o'neil-xyzzy", "mysql", "abcdefghijklmnopqrstuvwxyz0123456789"})
  void refusedWithItsReasonNamingTheSecretKey(String name) {
    ResolvedStack stack = embeddedWithUserSecret(name);
    ReferencedSecrets.Check check = ReferencedSecrets.check(stack);

    assertThat(check.credentials()).singleElement().asString()
        .startsWith("Secret app-db key user " + ReferencedSecrets.USER_NAME_REFUSED);
    if (!name.isEmpty() && !io.pistack.operator.model.DatabaseUserName.RESERVED.contains(name)) {
      assertThat(check.credentials().get(0)).doesNotContain(name);
    }
    DatabaseVerdict v = DatabaseVerdict.of(stack, Optional.empty(), List.of(), check.credentials(), StackHealth.DISABLED, null);
    assertThat(v.reason()).isEqualTo(Reason.USER_NAME_REFUSED.wire());
    assertThat(v.status()).isEqualTo("False");
  }

  @ParameterizedTest
  @ValueSource(strings = {"app", "app-db.user_1"})
  void aSafeNameIsNotRefused(String name) {
    assertThat(ReferencedSecrets.check(embeddedWithUserSecret(name)).credentials()).isEmpty();
  }

  private static ResolvedStack embeddedWithUserSecret(String user) {
    PiStack s = new PiStack();
    s.setMetadata(new io.fabric8.kubernetes.api.model.ObjectMetaBuilder().withName("pi").withNamespace("t").build());
    s.setSpec(new PiStackSpec());
    s.getSpec().version = "2025_10.1";
    s.getSpec().database = new DatabaseSpec();
    s.getSpec().database.embedded = new EmbeddedDatabaseSpec();
    s.getSpec().database.embedded.credentialsSecret = new SecretRef();
    s.getSpec().database.embedded.credentialsSecret.name = "app-db";
    s.getSpec().database.embedded.credentialsSecret.usernameKey = "user";
    Secret secret = SlimSecrets.slim(new SecretBuilder().withNewMetadata().withName("app-db").withNamespace("t")
        .withUid("u").endMetadata().addToData("user", b64(user)).addToData("password", b64("pw")).build());
    return new ResolvedStack(s, name -> "app-db".equals(name) ? Optional.of(SlimSecrets.digest(secret)) : Optional.empty());
  }

  private static String b64(String s) {
    return Base64.getEncoder().encodeToString(s.getBytes(StandardCharsets.UTF_8));
  }
}
