package io.pistack.operator.realapi;

import static io.pistack.operator.realapi.RealApiStack.claim;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.batch.v1.CronJob;
import io.fabric8.kubernetes.api.model.batch.v1.Job;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.utils.Serialization;
import io.pistack.operator.api.v1alpha1.BackupSpec;
import io.pistack.operator.api.v1alpha1.BackupStatus;
import io.pistack.operator.api.v1alpha1.BackupStorageSpec;
import io.pistack.operator.api.v1alpha1.PiStack;
import io.pistack.operator.api.v1alpha1.PiStackStatus;
import io.pistack.operator.api.v1alpha1.S3CredentialsSpec;
import io.pistack.operator.api.v1alpha1.S3StorageSpec;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Objects;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * The S3 key prefix on a real API server. A new stack backs up under {@code <namespace>/<stack>/}: two teams with a
 * stack of the same name sharing a bucket never share backups. A stack whose status records backups under
 * {@code <stack>/} (what earlier versions wrote) keeps that prefix for every Job, across operator restarts, with a
 * warning naming the way out, and the operator never writes its spec or metadata to remember it; setting
 * spec.backup.storage.s3.prefix moves it. kwok runs the pods; the scripts are proven in the backup package's tests.
 */
class S3PrefixOnRealApiTest {
  static final Duration T = RealApiStack.T;
  static final String BUCKET = "shared-pi-backups";
  static final String OLD_BACKUP = "scheduled-20261126T020000Z";
  RealApiStack env;
  KubernetesClient admin;
  String ns;

  @AfterEach
  void stop() {
    if (env != null) {
      env.close();
    }
  }

  private void start() {
    env = new RealApiStack("s3prefix", claim("pi-shared", "5Gi", "ReadWriteMany"),
        claim("data-pi-db-0", "10Gi", "ReadWriteOnce"));
    admin = env.admin;
    ns = env.ns;
  }

  @Test
  void aNewStackBacksUpUnderItsNamespace() {
    start();
    PiStack stack = env.smallStack();
    stack.getSpec().backup = s3Backup();
    admin.resource(stack).create();

    await().atMost(T).until(() -> cronJob() != null);
    assertThat(prefixOf(cronJob())).isEqualTo(ns + "/pi/");
    env.awaitConverged();
    assertThat(env.stack().getStatus().backup.s3DefaultPrefix).as("recorded in status").isEqualTo(ns + "/pi/");
    assertThat(Objects.requireNonNullElse(env.stack().getStatus().warnings, List.<String>of()))
        .noneMatch(w -> w.startsWith("spec.backup.storage.s3.prefix"));
  }

  @Test
  void aStackWithBackupsUnderTheOldPrefixKeepsItUntilTheSpecSetsOne() {
    start();
    // The stack as an earlier version left it: backups in the bucket under pi/, recorded in its status.
    env.stopOperator();
    PiStack stack = env.smallStack();
    stack.getSpec().backup = s3Backup();
    admin.resource(stack).create();
    admin.resources(PiStack.class).inNamespace(ns).withName("pi").editStatus(s -> {
      s.setStatus(new PiStackStatus());
      s.getStatus().backup = new BackupStatus();
      s.getStatus().backup.lastSuccessfulTime = Instant.now().truncatedTo(ChronoUnit.SECONDS).toString();
      s.getStatus().backup.lastBackupName = OLD_BACKUP;
      s.getStatus().backup.location = "s3://" + BUCKET + "/pi/" + OLD_BACKUP;
      return s;
    });
    PiStack before = env.stack();

    env.startOperator();
    await().atMost(T).until(() -> cronJob() != null);
    assertThat(prefixOf(cronJob())).as("the scheduled backup keeps writing where the backups are").isEqualTo("pi/");
    // The recorded backup is verified: fetched from the same prefix.
    await().atMost(T).until(() -> !verifyJobs().isEmpty() || verified());
    verifyJobs().forEach(j -> assertThat(prefixOf(j.getSpec().getTemplate().getSpec().getInitContainers()))
        .isEqualTo("pi/"));
    env.awaitConverged();
    PiStack after = env.stack();
    assertThat(after.getStatus().warnings).anySatisfy(w -> assertThat(w)
        .startsWith("spec.backup.storage.s3.prefix: backups stay under pi/").contains("set prefix to " + ns + "/pi/"));
    assertThat(after.getStatus().backup.location).isEqualTo("s3://" + BUCKET + "/pi/" + OLD_BACKUP);
    assertThat(after.getStatus().backup.s3DefaultPrefix).as("recorded in status").isEqualTo("pi/");
    // Remembered without writing the user's objects: spec, metadata and generation as the user left them.
    assertThat(Serialization.asYaml(after.getSpec())).isEqualTo(Serialization.asYaml(before.getSpec()));
    assertThat(after.getMetadata().getGeneration()).isEqualTo(before.getMetadata().getGeneration());
    assertThat(after.getMetadata().getLabels()).isEqualTo(before.getMetadata().getLabels());
    assertThat(after.getMetadata().getAnnotations()).isEqualTo(before.getMetadata().getAnnotations());
    assertThat(after.getMetadata().getFinalizers()).isEqualTo(before.getMetadata().getFinalizers());

    // A restarted operator decides the same.
    env.stopOperator();
    env.startOperator();
    env.awaitConverged();
    assertThat(prefixOf(cronJob())).isEqualTo("pi/");

    // Opting in: the user sets the namespaced prefix; new backups go there and the warning is gone.
    io.pistack.operator.it.Stacks.edit(admin, ns, "pi", s -> { // retried on a conflict
      s.getSpec().backup.storage.s3.prefix = ns + "/pi/";
    });
    await().atMost(T).until(() -> (ns + "/pi/").equals(prefixOf(cronJob())));
    env.awaitConverged();
    assertThat(Objects.requireNonNullElse(env.stack().getStatus().warnings, List.<String>of()))
        .noneMatch(w -> w.startsWith("spec.backup.storage.s3.prefix"));
  }

  // ------------------------------------------------------------------------------------------------

  private CronJob cronJob() {
    return admin.batch().v1().cronjobs().inNamespace(ns).withName("pi-backup").get();
  }

  private static String prefixOf(CronJob c) {
    return prefixOf(c.getSpec().getJobTemplate().getSpec().getTemplate().getSpec().getContainers());
  }

  private static String prefixOf(List<Container> containers) {
    return containers.stream().flatMap(c -> c.getEnv().stream()).filter(e -> "S3_PREFIX".equals(e.getName()))
        .map(e -> e.getValue()).findFirst().orElseThrow();
  }

  private List<Job> verifyJobs() {
    return admin.batch().v1().jobs().inNamespace(ns).withLabel("pistack.io/job-kind", "backup-verification")
        .list().getItems();
  }

  private boolean verified() {
    PiStack s = env.stack();
    return s.getStatus() != null && s.getStatus().backup != null && s.getStatus().backup.lastVerified != null;
  }

  private static BackupSpec s3Backup() {
    BackupSpec b = new BackupSpec();
    b.enabled = true;
    b.storage = new BackupStorageSpec();
    b.storage.s3 = new S3StorageSpec();
    b.storage.s3.bucket = BUCKET;
    b.storage.s3.region = "eu-west-2";
    b.storage.s3.credentials = new S3CredentialsSpec();
    b.storage.s3.credentials.secretName = "pi-s3";
    return b;
  }
}
