package io.pistack.operator.realapi;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.fabric8.kubernetes.api.model.Condition;
import io.fabric8.kubernetes.api.model.PodSpec;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.api.model.SecretBuilder;
import io.fabric8.kubernetes.api.model.apps.StatefulSet;
import io.pistack.operator.api.v1alpha1.DatabaseSpec;
import io.pistack.operator.api.v1alpha1.EmbeddedDatabaseSpec;
import io.pistack.operator.api.v1alpha1.PiStack;
import io.pistack.operator.api.v1alpha1.SecretRef;
import io.pistack.operator.health.UnplacedPods;
import io.pistack.operator.it.Stacks;
import io.pistack.operator.model.SecretDigests;
import io.pistack.operator.status.ConditionType;
import io.pistack.operator.status.Reason;
import io.pistack.operator.status.ReferencedSecrets;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * The embedded database's non-root user on the real API server (issue 11 part 2), one namespace, four stacks: a new
 * stack gets the application user's credentials and root's own Secret, which only the database StatefulSet
 * references; a user Secret naming any other user is used as is; one naming root is refused with its reason; a
 * stack created before (credentials saying root) moves to the application user, keeping root's password in the root
 * Secret; every embedded stack, the old one included, gets the read-only backup user's Secret, referenced by the
 * database StatefulSet and the backup CronJob only (never by a Pi pod); and a restarted operator then writes
 * nothing. MariaDB does not run here (kwok): the SQL the database pod
 * runs is proven by DatabaseUserStepSqlTest.
 */
class DatabaseUserOnRealApiTest {
  static final Duration T = RealApiStack.T;
  RealApiStack env;

  @AfterEach
  void stop() {
    if (env != null) {
      env.close();
    }
  }

  @Test
  void newUserSuppliedRefusedAndMigratedStacksThenARestartWritesNothing() {
    long t0 = System.nanoTime();
    env = new RealApiStack("dbuser");
    phase(t0, "server and operator up");
    userSecret("app-db", "analytics", "app-pw");
    userSecret("root-db", "root", "root-pw-given");
    env.admin.resource(Stacks.sample("with-backups.yaml", env.ns)).create();
    env.admin.resource(embeddedWith("userok", "app-db")).create();
    env.admin.resource(embeddedWith("userroot", "root-db")).create();

    // A new stack: the application user, and root's password in its own Secret.
    await().atMost(T).until(() -> secret("pi-db-credentials") != null && secret("pi-db-root") != null
        && secret("pi-db-backup") != null);
    assertThat(value(secret("pi-db-credentials"), "username")).isEqualTo("pi");
    assertThat(value(secret("pi-db-root"), "password")).hasSize(32)
        .isNotEqualTo(value(secret("pi-db-credentials"), "password"));
    // The read-only backup user's: its own name and password.
    assertThat(value(secret("pi-db-backup"), "username")).isEqualTo("pi_backup");
    assertThat(value(secret("pi-db-backup"), "password")).hasSize(32)
        .isNotEqualTo(value(secret("pi-db-credentials"), "password")).isNotEqualTo(value(secret("pi-db-root"), "password"));
    // Any user name the user's Secret gives: used as is, and the database pod creates that user.
    await().atMost(T).until(() -> secret("userok-db-root") != null && secret("userok-db-backup") != null
        && statefulSet("userok-db") != null);
    assertThat(env.admin.secrets().inNamespace(env.ns).withName("userok-db-credentials").get()).isNull();
    assertThat(secretRefs(statefulSet("userok-db"), "users"))
        .contains("PI_DB_USER=app-db/username", "PI_DB_PASSWORD=app-db/password", "MARIADB_ROOT_PASSWORD=userok-db-root/password",
            "PI_DB_BACKUP_USER=userok-db-backup/username", "PI_DB_BACKUP_PASSWORD=userok-db-backup/password");
    await().atMost(T).until(() -> databaseReady("userok") != null);
    assertThat(databaseReady("userok").getReason()).isNotIn(Reason.ROOT_USER_REFUSED.wire(), Reason.CREDENTIALS_MISSING.wire());
    // root in a user Secret: refused with its reason, no value in it.
    await().atMost(T).until(() -> databaseReady("userroot") != null
        && Reason.ROOT_USER_REFUSED.wire().equals(databaseReady("userroot").getReason()));
    assertThat(databaseReady("userroot").getMessage()).contains("root-db", ReferencedSecrets.ROOT_REFUSED)
        .doesNotContain("root-pw-given");

    phase(t0, "new, user and refused stacks checked");
    // A stack created before this change: its generated credentials say root (labelled and mapped as the operator
    // made them; its datadir's root has that password).
    Secret made = secret("pi-db-credentials");
    Secret legacy = new SecretBuilder().withNewMetadata().withName("legacy-db-credentials").withNamespace(env.ns)
        .withLabels(renamed(made.getMetadata().getLabels())).withAnnotations(renamed(made.getMetadata().getAnnotations()))
        .endMetadata().withType("Opaque").addToData("username", b64("root")).addToData("password", b64("old-root-pw"))
        .build();
    String legacyUid = env.admin.resource(legacy).create().getMetadata().getUid();
    PiStack old = Stacks.sample("minimal.yaml", env.ns);
    old.getMetadata().setName("legacy");
    env.admin.resource(old).create();
    await().atMost(T).until(() -> secret("legacy-db-root") != null && statefulSet("legacy-db") != null
        && secret("legacy-db-backup") != null && "pi".equals(value(secret("legacy-db-credentials"), "username")));
    assertThat(value(secret("legacy-db-root"), "password")).as("root keeps its password").isEqualTo("old-root-pw");
    assertThat(value(secret("legacy-db-credentials"), "password")).hasSize(32).isNotEqualTo("old-root-pw");
    assertThat(secret("legacy-db-credentials").getMetadata().getUid()).as("rewritten, not replaced").isEqualTo(legacyUid);
    assertThat(value(secret("legacy-db-backup"), "username")).isEqualTo("pi_backup");

    phase(t0, "legacy stack migrated");
    // Who references root's Secrets: the database StatefulSets only, never a Pi pod, a backup CronJob or a Job.
    // The backup user's: the database StatefulSets (which create the user) and the backup CronJob, never a Pi pod.
    await().atMost(T).until(() -> !env.admin.batch().v1().cronjobs().inNamespace(env.ns).list().getItems().isEmpty());
    for (String stack : List.of("pi", "userok", "userroot", "legacy")) {
      await().atMost(T).until(() -> statefulSet(stack + "-db") != null);
      assertThat(SecretDigests.references(statefulSet(stack + "-db").getSpec().getTemplate().getSpec()))
          .containsKey(stack + "-db-root").containsKey(stack + "-db-backup");
    }
    List<String> podSpecs = new ArrayList<>();
    env.admin.apps().deployments().inNamespace(env.ns).list().getItems().forEach(d ->
        podSpecs.add(refs("Deployment/" + d.getMetadata().getName(), d.getSpec().getTemplate().getSpec())));
    env.admin.batch().v1().cronjobs().inNamespace(env.ns).list().getItems().forEach(c -> podSpecs.add(refs(
        "CronJob/" + c.getMetadata().getName(), c.getSpec().getJobTemplate().getSpec().getTemplate().getSpec())));
    env.admin.batch().v1().jobs().inNamespace(env.ns).list().getItems().forEach(j ->
        podSpecs.add(refs("Job/" + j.getMetadata().getName(), j.getSpec().getTemplate().getSpec())));
    assertThat(podSpecs).as("the dashboards and the backup CronJob are there").anyMatch(s -> s.startsWith("Deployment/pi-dashboard"))
        .anyMatch(s -> s.startsWith("CronJob/pi-backup"));
    assertThat(podSpecs).noneMatch(s -> s.contains("-db-root"));
    assertThat(podSpecs).filteredOn(s -> s.startsWith("Deployment/")).noneMatch(s -> s.contains("-db-backup"));
    assertThat(podSpecs).filteredOn(s -> s.startsWith("Deployment/legacy-dashboard")).singleElement()
        .matches(s -> s.contains("legacy-db-credentials"));
    // The backup CronJob dumps as the backup user, not as the application user.
    assertThat(podSpecs).filteredOn(s -> s.startsWith("CronJob/pi-backup")).singleElement()
        .matches(s -> s.contains("pi-db-backup") && !s.contains("-db-credentials"));

    phase(t0, "references checked");
    // Converged: a restarted operator writes nothing but status (the migration happened once). These stacks stay
    // in creation on this tier (their claims are never bound), and a creation's progress is written only now and
    // then (CreationProgress, docs/status.md): a restarted operator, which did not see the creation begin, writes
    // the held progress once. Everything else: zero writes.
    awaitQuiet();
    phase(t0, "quiet");
    String legacyBackupPassword = value(secret("legacy-db-backup"), "password");
    env.stopOperator();
    int writes = env.operatorWrites.mark();
    env.startOperator();
    await().atMost(T).until(() -> env.completedReconciles() >= 4);
    await().pollDelay(Duration.ofSeconds(3)).atMost(T).until(() -> true);
    List<String> afterRestart = env.operatorWrites.since(writes);
    assertThat(afterRestart).as("writes after a restart, other than a creation's held progress")
        .allMatch(w -> w.matches("PATCH /apis/pistack.io/v1alpha1/namespaces/" + env.ns + "/pistacks/[a-z]+/status"));
    assertThat(afterRestart).as("at most one status write per stack; the writes: %s",
        env.operatorWrites.withBodiesSince(writes)).doesNotHaveDuplicates();
    assertThat(value(secret("legacy-db-root"), "password")).isEqualTo("old-root-pw");
    assertThat(value(secret("legacy-db-backup"), "password")).as("created once").isEqualTo(legacyBackupPassword);
    phase(t0, "restart wrote nothing");
  }

  private static void phase(long t0, String what) {
    System.out.printf("database-user: %s after %.1f s%n", what, (System.nanoTime() - t0) / 1e9);
  }

  /**
   * Converged: nothing changes any more, neither the operator's writes nor the workloads and pods the controllers act
   * on, over one 2-second poll. Waiting on the operator's writes alone was not enough on a loaded machine: the legacy
   * stack's pods were still rolling after its migration when the operator restarted, so its status changed three
   * more times, each written (a restarted operator paces no creation; ci run of 2026-12-07 at load 35).
   * Nor is a change the clock brings: these stacks' pods are unschedulable (their claims are never bound), and a pod
   * the scheduler could not place counts as Unschedulable only once that has lasted {@link UnplacedPods#SETTLE}
   * (a status change, written at once, with nothing in the cluster changing). When that moment fell just after the
   * restart, the restarted operator wrote the held progress and then the settled verdict: two status writes for
   * the two oldest stacks (clean-clone run ci7, load 17). So quiet also means no pod's verdict is still young.
   */
  private void awaitQuiet() {
    Object[] last = {null};
    await().pollInterval(Duration.ofSeconds(2)).atMost(T).until(() -> {
      List<String> now = new ArrayList<>(clusterState());
      now.add("operator writes " + env.operatorWrites.mark());
      boolean quiet = now.equals(last[0])
          && UnplacedPods.recheck(env.admin.pods().inNamespace(env.ns).list().getItems(), Instant.now()).isEmpty();
      last[0] = now;
      return quiet;
    });
  }

  /** Every workload, ReplicaSet, Job and pod of the namespace by name and resourceVersion. */
  private List<String> clusterState() {
    List<io.fabric8.kubernetes.api.model.HasMetadata> all = new ArrayList<>();
    all.addAll(env.admin.apps().deployments().inNamespace(env.ns).list().getItems());
    all.addAll(env.admin.apps().replicaSets().inNamespace(env.ns).list().getItems());
    all.addAll(env.admin.apps().statefulSets().inNamespace(env.ns).list().getItems());
    all.addAll(env.admin.batch().v1().jobs().inNamespace(env.ns).list().getItems());
    all.addAll(env.admin.pods().inNamespace(env.ns).list().getItems());
    return all.stream().map(o -> o.getKind() + "/" + o.getMetadata().getName() + "@"
        + o.getMetadata().getResourceVersion()).sorted().toList();
  }

  /**
   * A user name outside the safe set (DatabaseUserName): an empty one would be MariaDB's anonymous account. Refused
   * with its own reason naming the Secret and key, never the value; the database pod gets the rule with its step
   * (DatabaseUserStepSqlTest proves the step then changes nothing). A safe name beside it is not refused, and a
   * Secret edited to a safe name clears the refusal (the Secret watch keeps the verdict, not the value).
   */
  @Test
  void aUserNameOutsideTheSafeSetIsRefusedNamingTheSecretKey() {
    env = new RealApiStack("dbname");
    userSecret("anon-db", "", "anon-pw-given");
    userSecret("quote-db", "o'neil-xyzzy", "quote-pw-given");
    env.admin.resource(embeddedWith("anon", "anon-db")).create();
    env.admin.resource(embeddedWith("quote", "quote-db")).create();
    for (String stack : List.of("anon", "quote")) {
      await().atMost(T).until(() -> databaseReady(stack) != null
          && Reason.USER_NAME_REFUSED.wire().equals(databaseReady(stack).getReason()));
      assertThat(databaseReady(stack).getMessage())
          .contains("Secret " + stack + "-db key username " + ReferencedSecrets.USER_NAME_REFUSED)
          .doesNotContain("pw-given").doesNotContain("o'neil-xyzzy");
    }
    assertThat(databaseReady("anon").getMessage()).contains("anonymous account");
    await().atMost(T).until(() -> statefulSet("anon-db") != null);
    assertThat(statefulSet("anon-db").getSpec().getTemplate().getSpec().getContainers().stream()
        .filter(c -> c.getName().equals("users")).flatMap(c -> c.getEnv().stream()).map(e -> e.getName()).toList())
        .contains("PI_DB_USER_CHARS", "PI_DB_USER_MAX", "PI_DB_USER_RESERVED");

    env.admin.secrets().inNamespace(env.ns).withName("quote-db").edit(sec -> {
      sec.getData().put("username", b64("oneil"));
      return sec;
    });
    await().atMost(T).until(() -> databaseReady("quote") != null
        && !Reason.USER_NAME_REFUSED.wire().equals(databaseReady("quote").getReason()));
    assertThat(Reason.USER_NAME_REFUSED.wire()).isEqualTo(databaseReady("anon").getReason());
  }

  private PiStack embeddedWith(String name, String secret) {
    PiStack s = Stacks.sample("minimal.yaml", env.ns);
    s.getMetadata().setName(name);
    s.getSpec().database = new DatabaseSpec();
    s.getSpec().database.embedded = new EmbeddedDatabaseSpec();
    s.getSpec().database.embedded.credentialsSecret = new SecretRef();
    s.getSpec().database.embedded.credentialsSecret.name = secret;
    return s;
  }

  private void userSecret(String name, String user, String password) {
    env.admin.resource(new SecretBuilder().withNewMetadata().withName(name).withNamespace(env.ns).endMetadata()
        .addToData("username", b64(user)).addToData("password", b64(password)).build()).create();
  }

  /** The operator's labels and mapping annotations of stack pi's Secret, for stack legacy. */
  private static Map<String, String> renamed(Map<String, String> m) {
    Map<String, String> out = new LinkedHashMap<>();
    if (m != null) {
      m.forEach((k, v) -> out.put(k, "pi".equals(v) ? "legacy" : v));
    }
    return out;
  }

  private static String refs(String what, PodSpec pod) {
    return what + " " + SecretDigests.references(pod).keySet();
  }

  private static List<String> secretRefs(StatefulSet s, String container) {
    return s.getSpec().getTemplate().getSpec().getContainers().stream().filter(c -> c.getName().equals(container))
        .flatMap(c -> c.getEnv().stream()).filter(e -> e.getValueFrom() != null && e.getValueFrom().getSecretKeyRef() != null)
        .map(e -> e.getName() + "=" + e.getValueFrom().getSecretKeyRef().getName() + "/"
            + e.getValueFrom().getSecretKeyRef().getKey()).toList();
  }

  private Condition databaseReady(String stack) {
    PiStack s = env.admin.resources(PiStack.class).inNamespace(env.ns).withName(stack).get();
    if (s == null || s.getStatus() == null || s.getStatus().conditions == null) {
      return null;
    }
    return s.getStatus().conditions.stream().filter(c -> ConditionType.DATABASE_READY.wire().equals(c.getType())).findFirst()
        .orElse(null);
  }

  private Secret secret(String name) {
    return env.admin.secrets().inNamespace(env.ns).withName(name).get();
  }

  private StatefulSet statefulSet(String name) {
    return env.admin.apps().statefulSets().inNamespace(env.ns).withName(name).get();
  }

  private static String value(Secret s, String key) {
    return new String(Base64.getDecoder().decode(s.getData().get(key)), StandardCharsets.UTF_8);
  }

  private static String b64(String v) {
    return Base64.getEncoder().encodeToString(v.getBytes(StandardCharsets.UTF_8));
  }
}
