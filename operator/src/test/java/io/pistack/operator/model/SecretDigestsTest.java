package io.pistack.operator.model;

import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.ObjectMetaBuilder;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.api.model.SecretBuilder;
import io.pistack.operator.api.v1alpha1.DatabaseSpec;
import io.pistack.operator.api.v1alpha1.ExternalDatabaseSpec;
import io.pistack.operator.api.v1alpha1.LicenceSpec;
import io.pistack.operator.api.v1alpha1.PiStack;
import io.pistack.operator.api.v1alpha1.PiStackSpec;
import io.pistack.operator.api.v1alpha1.SecretRef;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class SecretDigestsTest {
  final Map<String, Secret> cluster = new HashMap<>();

  @Test
  void aSlimSecretKeepsDigestsAndNoValue() {
    Secret full = secret("pi-licence", "u1", Map.of("licence", "c2VjcmV0LXZhbHVl"));
    Secret slim = SlimSecrets.slim(full);
    assertThat(slim.getData()).isNull();
    assertThat(slim.getStringData()).containsOnlyKeys("licence");
    assertThat(slim.getStringData().get("licence")).doesNotContain("c2VjcmV0LXZhbHVl").hasSize(64);
    assertThat(SlimSecrets.keys(slim)).isEqualTo(SlimSecrets.keys(full));
    assertThat(slim.getMetadata().getUid()).isEqualTo("u1");
  }

  @Test
  void onlyTheComponentsThatUseAChangedKeyChangeTheirTemplate() {
    cluster.put("pi-licence", secret("pi-licence", "u1", Map.of("licence", "YQ==", "other", "YQ==")));
    cluster.put("db", secret("db", "u2", Map.of("username", "YQ==", "password", "YQ==")));
    Map<Component, String> before = hashes();
    assertThat(before.get(Component.DASHBOARD)).isNotNull();
    assertThat(before.get(Component.SCHEDULER)).isNotNull();
    assertThat(before.get(Component.RENDERER)).isNull();

    // An unreferenced key, and metadata, change nothing.
    cluster.put("pi-licence", secret("pi-licence", "u1", Map.of("licence", "YQ==", "other", "Yg==")));
    assertThat(hashes()).isEqualTo(before);

    cluster.put("pi-licence", secret("pi-licence", "u1", Map.of("licence", "Yg==", "other", "Yg==")));
    Map<Component, String> licence = hashes();
    assertThat(licence.get(Component.DASHBOARD)).isNotEqualTo(before.get(Component.DASHBOARD));
    assertThat(licence.get(Component.SCHEDULER)).isEqualTo(before.get(Component.SCHEDULER));

    cluster.put("db", secret("db", "u2", Map.of("username", "YQ==", "password", "Yg==")));
    Map<Component, String> password = hashes();
    assertThat(password.get(Component.DASHBOARD)).isNotEqualTo(licence.get(Component.DASHBOARD));
    assertThat(password.get(Component.SCHEDULER)).isNotEqualTo(licence.get(Component.SCHEDULER));
  }

  @Test
  void theHashIsKeyedByTheSecretsUidNotJustItsValues() {
    cluster.put("pi-licence", secret("pi-licence", "u1", Map.of("licence", "YQ==")));
    cluster.put("db", secret("db", "u2", Map.of("username", "YQ==", "password", "YQ==")));
    String one = hashes().get(Component.DASHBOARD);
    cluster.put("pi-licence", secret("pi-licence", "u3", Map.of("licence", "YQ==")));
    assertThat(hashes().get(Component.DASHBOARD)).isNotEqualTo(one);
  }

  @Test
  void theGeneratedSecretsCountAsAMarkerNotByTheirData() {
    PiStack s = stack();
    s.getSpec().database = null;
    ResolvedStack r = new ResolvedStack(s, name -> Optional.ofNullable(cluster.get(name)).map(SlimSecrets::digest));
    String credentials = r.generatedCredentialsSecretName();
    String root = r.databaseRootSecretName();
    String backup = r.databaseBackupSecretName();
    // Before the generated Secrets exist (a new stack's first templates) ...
    String scheduler = DeploymentBuilder.podTemplate(r, Component.SCHEDULER).getMetadata().getAnnotations()
        .get(SecretDigests.ANNOTATION);
    String db = StatefulSetBuilder.mariadb(r).getSpec().getTemplate().getMetadata().getAnnotations()
        .get(SecretDigests.ANNOTATION);
    // ... the marker of the application user: stacks whose templates predate it roll once.
    assertThat(scheduler).isNotNull();
    assertThat(db).isNotNull();
    // Once they exist, and whatever they hold: the same templates (no second rollout of a new stack).
    cluster.put(credentials, secret(credentials, "u7", Map.of("username", "cGk=", "password", "YQ==")));
    cluster.put(root, secret(root, "u8", Map.of("password", "YQ==")));
    cluster.put(backup, secret(backup, "u9", Map.of("username", "cGlfYmFja3Vw", "password", "YQ==")));
    assertThat(DeploymentBuilder.podTemplate(r, Component.SCHEDULER).getMetadata().getAnnotations()
        .get(SecretDigests.ANNOTATION)).isEqualTo(scheduler);
    assertThat(StatefulSetBuilder.mariadb(r).getSpec().getTemplate().getMetadata().getAnnotations()
        .get(SecretDigests.ANNOTATION)).isEqualTo(db);
    cluster.put(credentials, secret(credentials, "u7", Map.of("username", "cGk=", "password", "Yg==")));
    cluster.put(root, secret(root, "u8", Map.of("password", "Yg==")));
    cluster.put(backup, secret(backup, "u9", Map.of("username", "cGlfYmFja3Vw", "password", "Yg==")));
    assertThat(DeploymentBuilder.podTemplate(r, Component.SCHEDULER).getMetadata().getAnnotations()
        .get(SecretDigests.ANNOTATION)).isEqualTo(scheduler);
    assertThat(StatefulSetBuilder.mariadb(r).getSpec().getTemplate().getMetadata().getAnnotations()
        .get(SecretDigests.ANNOTATION)).isEqualTo(db);
  }

  @Test
  void aChangedUserCredentialsSecretRollsTheEmbeddedDatabasePodToo() {
    PiStack s = stack();
    s.getSpec().database = new DatabaseSpec();
    s.getSpec().database.embedded = new io.pistack.operator.api.v1alpha1.EmbeddedDatabaseSpec();
    s.getSpec().database.embedded.credentialsSecret = new SecretRef();
    s.getSpec().database.embedded.credentialsSecret.name = "db";
    cluster.put("db", secret("db", "u2", Map.of("username", "YQ==", "password", "YQ==")));
    ResolvedStack r = new ResolvedStack(s, name -> Optional.ofNullable(cluster.get(name)).map(SlimSecrets::digest));
    String before = StatefulSetBuilder.mariadb(r).getSpec().getTemplate().getMetadata().getAnnotations()
        .get(SecretDigests.ANNOTATION);
    assertThat(before).isNotNull();
    cluster.put("db", secret("db", "u2", Map.of("username", "YQ==", "password", "Yg==")));
    assertThat(StatefulSetBuilder.mariadb(r).getSpec().getTemplate().getMetadata().getAnnotations()
        .get(SecretDigests.ANNOTATION)).isNotEqualTo(before);
  }

  @Test
  void aDeletedSecretKeepsTheLiveAnnotationSoRunningPodsAreNotRolledIntoAFailure() {
    cluster.put("pi-licence", secret("pi-licence", "u1", Map.of("licence", "YQ==")));
    cluster.put("db", secret("db", "u2", Map.of("username", "YQ==", "password", "YQ==")));
    ResolvedStack r = resolved();
    var live = DeploymentBuilder.build(r, Component.SCHEDULER);
    String liveHash = live.getSpec().getTemplate().getMetadata().getAnnotations().get(SecretDigests.ANNOTATION);

    // Complete: the desired annotation is its own, whatever the live one says.
    cluster.put("db", secret("db", "u2", Map.of("username", "YQ==", "password", "Yg==")));
    var rotated = DeploymentBuilder.build(resolved(), Component.SCHEDULER);
    SecretDigests.keepWhileMissing(resolved(), rotated, Optional.of(live));
    assertThat(rotated.getSpec().getTemplate().getMetadata().getAnnotations().get(SecretDigests.ANNOTATION))
        .isNotEqualTo(liveHash);

    // A key gone, then the whole Secret gone: the live annotation is kept.
    cluster.put("db", secret("db", "u2", Map.of("username", "YQ==")));
    var noKey = DeploymentBuilder.build(resolved(), Component.SCHEDULER);
    SecretDigests.keepWhileMissing(resolved(), noKey, Optional.of(live));
    assertThat(noKey.getSpec().getTemplate().getMetadata().getAnnotations()).containsEntry(SecretDigests.ANNOTATION, liveHash);
    cluster.remove("db");
    var gone = DeploymentBuilder.build(resolved(), Component.SCHEDULER);
    SecretDigests.keepWhileMissing(resolved(), gone, Optional.of(live));
    assertThat(gone.getSpec().getTemplate().getMetadata().getAnnotations()).containsEntry(SecretDigests.ANNOTATION, liveHash);
  }

  private ResolvedStack resolved() {
    return new ResolvedStack(stack(), name -> Optional.ofNullable(cluster.get(name)).map(SlimSecrets::digest));
  }

  private Map<Component, String> hashes() {
    ResolvedStack r = new ResolvedStack(stack(), name -> Optional.ofNullable(cluster.get(name)).map(SlimSecrets::slim)
        .map(SlimSecrets::digest));
    Map<Component, String> out = new java.util.EnumMap<>(Component.class);
    for (Component c : r.enabledComponents()) {
      String h = DeploymentBuilder.podTemplate(r, c).getMetadata().getAnnotations().get(SecretDigests.ANNOTATION);
      if (h != null) {
        out.put(c, h);
      }
    }
    return out;
  }

  private static PiStack stack() {
    PiStack s = new PiStack();
    s.setMetadata(new ObjectMetaBuilder().withName("pi").withNamespace("ns").build());
    s.setSpec(new PiStackSpec());
    s.getSpec().version = "2025_10.1";
    s.getSpec().licence = new LicenceSpec();
    s.getSpec().licence.secretName = "pi-licence";
    s.getSpec().database = new DatabaseSpec();
    s.getSpec().database.external = new ExternalDatabaseSpec();
    s.getSpec().database.external.host = "db.example.com";
    s.getSpec().database.external.credentialsSecret = new SecretRef();
    s.getSpec().database.external.credentialsSecret.name = "db";
    return s;
  }

  private static Secret secret(String name, String uid, Map<String, String> data) {
    return new SecretBuilder().withNewMetadata().withName(name).withUid(uid).endMetadata().withData(data).build();
  }
}
