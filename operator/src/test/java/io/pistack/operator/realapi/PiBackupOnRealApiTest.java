package io.pistack.operator.realapi;

import static io.pistack.operator.realapi.RealApiStack.claim;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.batch.v1.Job;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.pistack.operator.api.v1alpha1.PiBackup;
import io.pistack.operator.api.v1alpha1.PiBackupSpec;
import io.pistack.operator.api.v1alpha1.PiBackupStatus;
import io.pistack.operator.api.v1alpha1.PiBackupStatus.Phase;
import io.pistack.operator.api.v1alpha1.PiStack;
import io.pistack.operator.backup.PodScripts;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * PiBackup on a real API server (real Job controller and garbage collector, the CRD's schema and printer columns),
 * with the real scripts and a local S3 server: kwok runs no container, so the test runs the backup pod's own
 * containers (the commands and environment the operator put in the Job: PodScripts) against a throwaway MariaDB and
 * moto_server, then ends the pod as the kubelet would, with the scripts' termination messages. The nodes are
 * cordoned meanwhile, so the pod stays Pending until then.
 */
class PiBackupOnRealApiTest {
  static final Duration T = RealApiStack.T;
  static final String BUCKET = "acme-pi-backups";
  RealApiStack env;
  KubernetesClient admin;
  String ns;

  @BeforeEach
  void start() {
    env = new RealApiStack("pib", claim("pi-shared", "5Gi", "ReadWriteMany"), claim("data-pi-db-0", "10Gi",
        "ReadWriteOnce"));
    admin = env.admin;
    ns = env.ns;
  }

  @AfterEach
  void stop() {
    cordon(false);
    env.close();
  }

  @Test
  void anOnDemandBackupRunsOneJobAcrossARestartIsVerifiedAndIsListedWithItsSizeAndLocation() throws Exception {
    PiStack stack = env.smallStack();
    stack.getSpec().backup = S3BackupsOnRealApiTest.s3Backup();
    admin.resource(stack).create();
    await().atMost(T).until(() -> admin.batch().v1().cronjobs().inNamespace(ns).withName("pi-backup").get() != null);
    cordon(true);
    PiBackup asked = backup("before-upgrade", "pi");
    asked.getSpec().verify = true;
    admin.resource(asked).create();

    Pod pod = await().atMost(T).until(() -> admin.pods().inNamespace(ns).withLabel("pistack.io/job-kind",
        "on-demand-backup").list().getItems().stream().findFirst().orElse(null), Objects::nonNull);
    List<Job> jobs = jobs();
    assertThat(jobs).hasSize(1);
    Job job = jobs.get(0);
    assertThat(job.getMetadata().getOwnerReferences()).singleElement()
        .satisfies(r -> assertThat(r.getUid()).isEqualTo(piBackup("before-upgrade").getMetadata().getUid()));
    await().atMost(T).until(() -> status("before-upgrade") != null
        && job.getMetadata().getName().equals(status("before-upgrade").jobName));

    // The operator restarts while the backup runs: it finds the Job it made, and creates no other.
    int mark = env.operatorWrites.mark();
    env.stopOperator();
    env.startOperator();
    await().atMost(T).until(() -> io.pistack.operator.it.PiBackupReconciles.completed(env.runtime()) >= 1);
    io.pistack.operator.it.Quiet.untilUnchangedFor(Duration.ofSeconds(3), T, env.operatorWrites::mark);
    assertThat(env.operatorWrites.since(mark)).noneMatch(w -> w.startsWith("POST") && w.contains("/jobs"));
    assertThat(jobs()).extracting(j -> j.getMetadata().getUid()).containsExactly(job.getMetadata().getUid());

    try (PodScripts scripts = PodScripts.start(BUCKET)) {
      backUpAndVerify(scripts, job, pod);
    }
  }

  /** The backup pod's containers run for real, then (verify: true) the verification pod's, from the bucket. */
  private void backUpAndVerify(PodScripts scripts, Job job, Pod pod) throws Exception {
    // The pod's own containers, run for real; the pod ends as the kubelet would end it.
    List<PodScripts.Ran> ran = scripts.run(job.getSpec().getTemplate().getSpec());
    String objects = scripts.objects(BUCKET);
    assertThat(ran).extracting(PodScripts.Ran::container).containsExactly("backup", "upload");
    assertThat(ran).allSatisfy(r -> assertThat(r.exitCode()).as("%s: %s", r.container(), r.stderr()).isZero());
    succeed(pod, ran);

    await().atMost(T).untilAsserted(() -> assertThat(status("before-upgrade").phase).isEqualTo(Phase.Completed));
    PiBackupStatus s = status("before-upgrade");
    assertThat(s.backupName).matches("on-demand-\\d{8}T\\d{6}Z");
    assertThat(s.location).isEqualTo("s3://" + BUCKET + "/" + ns + "/pi/" + s.backupName);
    // The size, version and checksum are what reached the bucket (the test's own S3 client lists it).
    long size = objects.lines().map(l -> l.split("\\s+")).filter(f -> f[0].startsWith(ns + "/pi/" + s.backupName + "/"))
        .mapToLong(f -> Long.parseLong(f[2])).sum();
    assertThat(s.sizeBytes).isPositive().isEqualTo(size);
    assertThat(objects).contains(ns + "/pi/" + s.backupName + "/MANIFEST\t" + s.versionId);
    assertThat(s.manifestSha256).matches("sha256:[0-9a-f]{64}");
    assertThat(s.completionTime).isNotBlank();
    // The stack counts it as its newest backup.
    await().atMost(T).untilAsserted(() -> {
      assertThat(env.stack().getStatus().backup.lastBackupName).isEqualTo(s.backupName);
      assertThat(env.stack().getStatus().backup.location).isEqualTo(s.location);
    });

    // verify: true: a verification Job, owned by the PiBackup, restores that backup from the bucket into a
    // throwaway MariaDB (verify.sh, run for real); Ready only once it passed.
    assertThat(s.conditions).anySatisfy(c -> {
      assertThat(c.getType()).isEqualTo("Ready");
      assertThat(c.getStatus()).isEqualTo("False");
      assertThat(c.getReason()).isEqualTo("Verifying");
    });
    Pod verifyPod = await().atMost(T).until(() -> admin.pods().inNamespace(ns).withLabel("pistack.io/job-kind",
        "on-demand-verification").list().getItems().stream().findFirst().orElse(null), Objects::nonNull);
    Job verifyJob = admin.batch().v1().jobs().inNamespace(ns).withName(verifyPod.getMetadata().getLabels()
        .get("job-name")).get();
    assertThat(verifyJob.getMetadata().getOwnerReferences()).singleElement()
        .satisfies(r -> assertThat(r.getKind()).isEqualTo("PiBackup"));
    List<PodScripts.Ran> verified = scripts.run(verifyJob.getSpec().getTemplate().getSpec());
    assertThat(verified).extracting(PodScripts.Ran::container).containsExactly("fetch", "verify");
    assertThat(verified).allSatisfy(r -> assertThat(r.exitCode()).as("%s: %s", r.container(), r.stderr()).isZero());
    succeed(verifyPod, verified);
    await().atMost(T).untilAsserted(() -> assertThat(status("before-upgrade").conditions).anySatisfy(c -> {
      assertThat(c.getType()).isEqualTo("Ready");
      assertThat(c.getStatus()).isEqualTo("True");
      assertThat(c.getReason()).isEqualTo("VerificationPassed");
    }));
    assertThat(status("before-upgrade").verification.result)
        .isEqualTo(io.pistack.operator.api.v1alpha1.BackupVerificationStatus.Result.Passed);
    assertThat(status("before-upgrade").verification.message).contains("tables");

    // kubectl get pibackups is the backup list: the CRD's printer columns, as the API server serves them.
    String list = kubectl("get", "pibackups", "-n", ns);
    assertThat(list.lines().findFirst().orElse("")).containsSubsequence("NAME", "STACK", "PHASE", "LOCATION", "SIZE",
        "VERIFIED", "AGE");
    assertThat(list).contains("before-upgrade").contains("Completed").contains(s.location)
        .contains(Long.toString(s.sizeBytes)).contains("Passed");

    // Deleting the PiBackup deletes its Jobs (garbage collection), never the backup's data.
    admin.resource(piBackup("before-upgrade")).delete();
    await().atMost(T).until(() -> jobs().isEmpty());
    assertThat(scripts.objects(BUCKET)).isEqualTo(objects);
  }

  @Test
  void aPiBackupOfAStackThatDoesNotExistIsFailedWithItsReasonAndRunsNothing() throws Exception {
    // samples/pibackup.yaml as the user applies it, in a namespace without its stack.
    PiBackup sample = io.fabric8.kubernetes.client.utils.Serialization.unmarshal(Files.readString(
        io.pistack.operator.it.Stacks.repoRoot().resolve("samples/pibackup.yaml")), PiBackup.class);
    sample.getMetadata().setNamespace(ns);
    admin.resource(sample).create();
    await().atMost(T).until(() -> status("pi-before-migration") != null
        && status("pi-before-migration").phase == Phase.Failed);
    assertThat(status("pi-before-migration").reason).isEqualTo("StackNotFound");
    admin.resource(backup("orphan", "nope")).create();
    await().atMost(T).until(() -> status("orphan") != null && status("orphan").phase == Phase.Failed);
    PiBackupStatus s = status("orphan");
    assertThat(s.reason).isEqualTo("StackNotFound");
    assertThat(s.message).contains("PiStack nope does not exist in namespace " + ns);
    assertThat(s.conditions).anySatisfy(c -> {
      assertThat(c.getType()).isEqualTo("Stalled");
      assertThat(c.getStatus()).isEqualTo("True");
      assertThat(c.getReason()).isEqualTo("StackNotFound");
    });
    assertThat(jobs()).isEmpty();
    assertThat(kubectl("get", "pibackups", "-n", ns)).contains("orphan").contains("Failed");
    // The spec is immutable: the API server refuses a change (CEL).
    assertThat(org.assertj.core.api.Assertions.catchThrowable(() -> admin.resources(PiBackup.class).inNamespace(ns)
        .withName("orphan").edit(b -> {
          b.getSpec().stack = "pi";
          return b;
        }))).hasMessageContaining("the spec of a PiBackup cannot change");
  }



  /** What the kubelet writes when the pod's containers exited 0, each leaving its termination message. */
  private void succeed(Pod pod, List<PodScripts.Ran> ran) {
    PodEnds.succeed(admin, ns, pod, ran);
  }

  private String kubectl(String... args) throws Exception {
    Path kubeconfig = Files.createTempFile("kubeconfig", ".yaml");
    Files.writeString(kubeconfig, RealApiServer.get().kubeconfig());
    List<String> cmd = new ArrayList<>(List.of(GettingStartedOnRealApiTest.kubectlDir() + "/kubectl",
        "--kubeconfig", kubeconfig.toString()));
    cmd.addAll(List.of(args));
    Path out = Files.createTempFile("kubectl", ".out");
    Process p = new ProcessBuilder(cmd).redirectErrorStream(true).redirectOutput(out.toFile()).start();
    assertThat(p.waitFor(60, TimeUnit.SECONDS)).isTrue();
    String text = Files.readString(out);
    assertThat(p.exitValue()).as(text).isZero();
    Files.delete(out);
    Files.delete(kubeconfig);
    return text;
  }

  private PiBackup backup(String name, String stack) {
    PiBackup b = new PiBackup();
    b.getMetadata().setName(name);
    b.getMetadata().setNamespace(ns);
    b.setSpec(new PiBackupSpec());
    b.getSpec().stack = stack;
    return b;
  }

  private PiBackup piBackup(String name) {
    return admin.resources(PiBackup.class).inNamespace(ns).withName(name).get();
  }

  private PiBackupStatus status(String name) {
    PiBackup b = piBackup(name);
    return b == null ? null : b.getStatus();
  }

  private List<Job> jobs() {
    return admin.batch().v1().jobs().inNamespace(ns).withLabel("pistack.io/owner-kind", "PiBackup").list().getItems();
  }

  /** Cordons (or uncordons) every node: new pods stay Pending, running ones are left alone. */
  private void cordon(boolean unschedulable) {
    PodEnds.cordon(admin, unschedulable);
  }
}
