package io.pistack.operator.realapi;

import static io.pistack.operator.realapi.RealApiStack.claim;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.fabric8.kubernetes.api.model.NamespaceBuilder;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.batch.v1.Job;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;
import io.pistack.operator.api.v1alpha1.PiBackup;
import io.pistack.operator.api.v1alpha1.PiBackupSpec;
import io.pistack.operator.api.v1alpha1.PiBackupStatus;
import io.pistack.operator.api.v1alpha1.PiStack;
import io.pistack.operator.api.v1alpha1.RestoreSourceSpec;
import io.pistack.operator.api.v1alpha1.RestoreSpec;
import io.pistack.operator.api.v1alpha1.RestoreStatus;
import io.pistack.operator.api.v1alpha1.S3CredentialsSpec;
import io.pistack.operator.backup.PodScripts;
import io.pistack.operator.it.Stacks;
import io.pistack.operator.runtime.RuntimeConfig;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * A clone from another namespace's backups, on a real API server with the real scripts and a local S3 server: the
 * source stack "pi" in its namespace takes two real PiBackups (PodScripts runs the backup pods' own containers against
 * a throwaway MariaDB and moto); a stack in another namespace asks for "the newest backup before T" of it. Without the
 * source's permission it is refused with its reason and nothing of it is applied; once the source lists its namespace
 * the operator picks the right backup, its restore Job (run for real: fetch from the source's prefix, MANIFEST checked
 * against the PiBackup's checksum, restore) restores it, the clone reaches Ready, and the source's prefix has exactly
 * the objects it had.
 */
class CloneOnRealApiTest {
  static final Duration T = RealApiStack.T;
  static final String BUCKET = "acme-pi-backups";
  RealApiStack env;
  KubernetesClient admin;
  String prod;
  String staging;
  String volume1;
  String volume2;

  @BeforeEach
  void start() {
    KubernetesClient setup = RealApiServer.get().client();
    prod = "clone-src-" + System.nanoTime() % 100000;
    setup.resource(new NamespaceBuilder().withNewMetadata().withName(prod).endMetadata().build()).create();
    Stacks.licenceSecret(setup, prod);
    volume1 = RealApiStack.volume(setup, prod, "pi-shared", "5Gi", "ReadWriteMany");
    volume2 = RealApiStack.volume(setup, prod, "data-pi-db-0", "10Gi", "ReadWriteOnce");
    setup.close();
    String source = prod;
    // One operator watching both namespaces (its informers are scoped to them).
    env = new RealApiStack("clone", (a, ns, interceptors) -> Map.entry(
        RealApiServer.get().client(new KubernetesClientBuilder().withHttpClientBuilderConsumer(interceptors)),
        RuntimeConfig.defaults().withWatchNamespaces(Set.of(ns, source))),
        claim("pi-shared", "5Gi", "ReadWriteMany"), claim("data-pi-db-0", "10Gi", "ReadWriteOnce"));
    admin = env.admin;
    staging = env.ns;
  }

  @AfterEach
  void stop() {
    PodEnds.cordon(admin, false);
    admin.namespaces().withName(prod).delete();
    admin.persistentVolumes().withName(volume1).delete();
    admin.persistentVolumes().withName(volume2).delete();
    env.close();
  }

  @Test
  void aCloneByTimeIntoAnotherNamespaceNeedsTheSourcesPermissionPicksTheRightBackupAndLeavesTheSourceAlone()
      throws Exception {
    PiStack source = RealApiStack.smallStack(prod, "pi");
    source.getSpec().backup = S3BackupsOnRealApiTest.s3Backup();
    admin.resource(source).create();
    await().atMost(T).until(() -> admin.batch().v1().cronjobs().inNamespace(prod).withName("pi-backup").get() != null);

    try (PodScripts scripts = PodScripts.start(BUCKET)) {
      PodEnds.cordon(admin, true);
      PiBackupStatus monday = backUp(scripts, "monday");
      Thread.sleep(2100); // backup names and completion times have whole seconds
      PiBackupStatus tuesday = backUp(scripts, "tuesday");
      PodEnds.cordon(admin, false);
      Instant t1 = Instant.parse(monday.completionTime);
      Instant t2 = Instant.parse(tuesday.completionTime);
      assertThat(t2).isAfter(t1);
      String before = t1.plusMillis(Duration.between(t1, t2).toMillis() / 2).toString();
      String sourceObjects = objects(scripts);

      // The clone, in another namespace, with read credentials of its own namespace. Not allowed yet.
      PiStack clone = RealApiStack.smallStack(staging, "pi");
      clone.getSpec().backup = S3BackupsOnRealApiTest.s3Backup(); // its own backups: under <staging>/pi/
      clone.getSpec().restore = new RestoreSpec();
      clone.getSpec().restore.before = before;
      clone.getSpec().restore.source = new RestoreSourceSpec();
      clone.getSpec().restore.source.namespace = prod;
      clone.getSpec().restore.source.stack = "pi";
      clone.getSpec().restore.source.credentials = new S3CredentialsSpec();
      clone.getSpec().restore.source.credentials.secretName = "prod-read";
      admin.resource(clone).create();
      await().atMost(T).until(() -> "RestoreSourceRefused".equals(env.readyReason()));
      var ready = env.stack().getStatus().conditions.stream().filter(c -> "Ready".equals(c.getType())).findFirst()
          .orElseThrow();
      assertThat(ready.getMessage()).isEqualTo("spec.restore.source.namespace: PiStack " + prod + "/pi does not"
          + " allow clones into namespace " + staging + ": its owner adds " + staging
          + " to its spec.backup.cloneAllowedNamespaces");
      assertThat(admin.apps().statefulSets().inNamespace(staging).list().getItems()).as("nothing applied").isEmpty();
      assertThat(admin.batch().v1().jobs().inNamespace(staging).list().getItems()).isEmpty();

      // The source's owner allows the namespace: the clone goes ahead (within the refusal's recheck).
      Stacks.edit(admin, prod, "pi", s -> s.getSpec().backup.cloneAllowedNamespaces = List.of(staging));
      Job restore = await().atMost(T).until(() -> restoreJobs().stream().findFirst().orElse(null), Objects::nonNull);
      await().atMost(T).until(() -> env.stack().getStatus().restore != null
          && env.stack().getStatus().restore.piBackup != null);
      RestoreStatus chosen = env.stack().getStatus().restore;
      assertThat(chosen.piBackup).as("the newest backup completed before %s", before).isEqualTo("monday");
      assertThat(chosen.backup).isEqualTo(monday.backupName);
      assertThat(chosen.location).isEqualTo(monday.location);

      // The Job the operator made, run for real: it fetches monday's backup from the source's prefix with the
      // clone's own credentials Secret and restores it, after checking the MANIFEST against the PiBackup's checksum.
      var pod = restore.getSpec().getTemplate().getSpec();
      assertThat(pod.getInitContainers().get(0).getEnv()).anySatisfy(e -> {
        assertThat(e.getName()).isEqualTo("AWS_ACCESS_KEY_ID");
        assertThat(e.getValueFrom().getSecretKeyRef().getName()).isEqualTo("prod-read");
      });
      scripts.dropSchema("dashboard"); // the test's one MariaDB stands in for the clone's new, empty database
      List<PodScripts.Ran> ran = scripts.run(pod);
      assertThat(ran).extracting(PodScripts.Ran::container).containsExactly("fetch", "restore");
      assertThat(ran).allSatisfy(r -> assertThat(r.exitCode()).as("%s: %s", r.container(), r.stderr()).isZero());
      assertThat(ran.get(1).message()).contains("\"name\":\"" + monday.backupName + "\"");

      // kwok completes the Job's pod; the clone reaches Ready from the source's backup.
      await().atMost(T).until(() -> env.stack().getStatus().restore.phase == RestoreStatus.Phase.Succeeded);
      await().atMost(T).untilAsserted(() -> assertThat(env.readyReason()).as(() -> "Ready of the clone: "
          + env.stack().getStatus().conditions).isEqualTo("AllComponentsReady"));
      assertThat(objects(scripts)).as("the source's prefix gained no object and lost none").isEqualTo(sourceObjects);
    }
  }

  /** One real PiBackup of the source stack: its pod's containers run here, the pod ends as the kubelet's would. */
  private PiBackupStatus backUp(PodScripts scripts, String name) throws Exception {
    PiBackup b = new PiBackup();
    b.getMetadata().setName(name);
    b.getMetadata().setNamespace(prod);
    b.setSpec(new PiBackupSpec());
    b.getSpec().stack = "pi";
    admin.resource(b).create();
    Pod pod = await().atMost(T).until(() -> admin.pods().inNamespace(prod).withLabel("pistack.io/job-kind",
        "on-demand-backup").list().getItems().stream().filter(p -> p.getStatus() == null
        || !"Succeeded".equals(p.getStatus().getPhase())).findFirst().orElse(null), Objects::nonNull);
    Job job = admin.batch().v1().jobs().inNamespace(prod).withName(pod.getMetadata().getLabels().get("job-name")).get();
    List<PodScripts.Ran> ran = scripts.run(job.getSpec().getTemplate().getSpec());
    assertThat(ran).allSatisfy(r -> assertThat(r.exitCode()).as("%s: %s", r.container(), r.stderr()).isZero());
    PodEnds.succeed(admin, pod.getMetadata().getNamespace(), pod, ran);
    await().atMost(T).until(() -> status(name) != null && status(name).phase == PiBackupStatus.Phase.Completed);
    return status(name);
  }

  private PiBackupStatus status(String name) {
    PiBackup b = admin.resources(PiBackup.class).inNamespace(prod).withName(name).get();
    return b == null ? null : b.getStatus();
  }

  /** The source prefix's object versions ("key version size" lines), as the test's own S3 client lists them. */
  private String objects(PodScripts scripts) throws Exception {
    return scripts.objects(BUCKET).lines().filter(l -> l.startsWith(prod + "/pi/")).sorted()
        .collect(Collectors.joining("\n"));
  }

  private List<Job> restoreJobs() {
    return admin.batch().v1().jobs().inNamespace(staging).withLabel("pistack.io/job-kind", "restore").list()
        .getItems();
  }
}
