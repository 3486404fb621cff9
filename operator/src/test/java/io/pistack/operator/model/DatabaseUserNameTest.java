package io.pistack.operator.model;

import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.api.model.SecretBuilder;
import io.pistack.operator.model.DatabaseUserName.Problem;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

/** The user names the embedded database creates, and how the verdict is kept without the value. */
class DatabaseUserNameTest {
  @ParameterizedTest
  @ValueSource(strings = {"pi", "app", "app-db", "app_db", "app.db", "A1", "x", "0", "abcdefghijklmnopqrstuvwxyz012345"})
  void safeNamesPass(String name) {
    assertThat(DatabaseUserName.problem(name)).as(name).isEmpty();
  }

  @ParameterizedTest
  @CsvSource(delimiter = '|', value = {
      "''| EMPTY", "mariadb.sys | RESERVED", "mysql | RESERVED", "PUBLIC | RESERVED",
      "abcdefghijklmnopqrstuvwxyz0123456 | TOO_LONG", "app user | CHARACTERS", "app'; DROP USER x; -- | CHARACTERS",
      "app@% | CHARACTERS", "app\\ | CHARACTERS", "% | CHARACTERS", "naïve | CHARACTERS", "app` | CHARACTERS"})
  void unsafeNamesAreRefusedWithTheirReason(String name, Problem why) {
    assertThat(DatabaseUserName.problem(name)).as(name).contains(why);
  }

  @Test
  void aNewlineOrNulIsRefused() {
    assertThat(DatabaseUserName.problem("app\nroot")).contains(Problem.CHARACTERS);
    assertThat(DatabaseUserName.problem("app\0")).contains(Problem.CHARACTERS);
  }

  @Test
  void theSlimSecretKeepsTheVerdictPerKeyNeverTheValue() {
    Secret full = new SecretBuilder().withNewMetadata().withName("db").withNamespace("t").withUid("u1").endMetadata()
        .addToData("username", b64("")).addToData("password", b64("s3cr3t!pass word")).addToData("ok", b64("app"))
        .build();
    Secret slim = SlimSecrets.slim(full);

    assertThat(SlimSecrets.digest(slim).notUserNames())
        .isEqualTo(Map.of("username", Problem.EMPTY, "password", Problem.CHARACTERS))
        .isEqualTo(SlimSecrets.digest(full).notUserNames());
    assertThat(io.fabric8.kubernetes.client.utils.Serialization.asJson(slim)).doesNotContain("s3cr3t", b64("s3cr3t!pass word"));
  }

  private static String b64(String s) {
    return Base64.getEncoder().encodeToString(s.getBytes(StandardCharsets.UTF_8));
  }
}
