package io.pistack.operator.model;

import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.client.utils.Serialization;
import io.pistack.operator.api.v1alpha1.BackupVerificationStatus;
import io.pistack.operator.api.v1alpha1.PiBackup;
import io.pistack.operator.api.v1alpha1.PiBackupSpec;
import io.pistack.operator.api.v1alpha1.PiBackupStatus;
import io.pistack.operator.api.v1alpha1.PiStack;
import io.pistack.operator.api.v1alpha1.PiStackStatus;
import io.pistack.operator.api.v1alpha1.RestoreStatus;
import io.pistack.operator.model.BackupSettings.RestoreRequest;
import io.pistack.operator.model.RestoreResolver.Resolution;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** RestoreResolver and CloneSource: which backup a restore reads, from where, and what is refused. Pure. */
class RestoreResolverTest {
  static final String S3 = "  backup:\n    enabled: true\n    storage:\n      s3: {bucket: acme, region: eu-west-2,"
      + " credentials: {secretName: pi-s3}, objectLock: {mode: COMPLIANCE, days: 35}}\n";

  final List<PiStack> stacks = new ArrayList<>();
  final List<PiBackup> backups = new ArrayList<>();

  /**
   * What the spec stage reads before resolving (SpecInputs): the PiStacks and PiBackups of the one namespace
   * RestoreCandidates#sourceNamespace names, or nothing.
   */
  RestoreCandidates candidates(ResolvedStack s) {
    return RestoreCandidates.sourceNamespace(s).map(ns -> new RestoreCandidates(
        stacks.stream().filter(x -> x.getMetadata().getNamespace().equals(ns)).toList(),
        backups.stream().filter(b -> b.getMetadata().getNamespace().equals(ns)).toList()))
        .orElse(RestoreCandidates.NONE);
  }

  static PiStack stack(String ns, String name, String specYaml) {
    return Serialization.unmarshal("apiVersion: pistack.io/v1alpha1\nkind: PiStack\nmetadata:\n  name: " + name
        + "\n  namespace: " + ns + "\nspec:\n  version: \"2025_10.1\"\n" + specYaml, PiStack.class);
  }

  static PiBackup backup(String ns, String name, String stack, PiBackupStatus.Phase phase, String completed) {
    PiBackup b = new PiBackup();
    b.getMetadata().setName(name);
    b.getMetadata().setNamespace(ns);
    b.setSpec(new PiBackupSpec());
    b.getSpec().stack = stack;
    b.setStatus(new PiBackupStatus());
    b.getStatus().phase = phase;
    b.getStatus().completionTime = completed;
    b.getStatus().backupName = "on-demand-" + completed.replaceAll("[-:]", "");
    b.getStatus().location = "s3://acme/" + ns + "/" + stack + "/" + b.getStatus().backupName;
    b.getStatus().manifestSha256 = "sha256:" + "ab".repeat(32);
    return b;
  }

  Resolution resolve(PiStack s) {
    ResolvedStack resolved = new ResolvedStack(s);
    return RestoreResolver.resolve(resolved, candidates(resolved));
  }

  @Test
  void aPlainBackupNameKeepsTheJobNameItAlwaysHadAndReadsTheStacksOwnTarget() {
    ResolvedStack s = new ResolvedStack(stack("prod", "pi", S3 + "  restore: {backup: latest}\n"));
    assertThat(RestoreCandidates.sourceNamespace(s)).as("nothing of the cluster is read").isEmpty();
    Resolution r = RestoreResolver.resolve(s, RestoreCandidates.NONE);
    assertThat(r.refusal()).isEmpty();
    assertThat(r.request()).contains(new RestoreRequest("latest", false));
    // The name an operator before PiBackup restores gave this request: an upgrade never runs it again.
    assertThat(JobNames.restore(s, r.request().get())).isEqualTo("pi-restore-" + JobNames.hash("latest|false", 8));
  }

  @Test
  void aNamedPiBackupIsRestoredExactlyFromItsRecordedLocationWithItsChecksum() {
    stacks.add(stack("prod", "pi", S3));
    backups.add(backup("prod", "before-upgrade", "pi", PiBackupStatus.Phase.Completed, "2026-12-07T01:02:03Z"));
    PiStack s = stack("prod", "pi", S3 + "  restore: {piBackup: before-upgrade, force: true}\n");
    Resolution r = resolve(s);
    assertThat(r.refusal()).isEmpty();
    RestoreRequest req = r.request().orElseThrow();
    assertThat(req.backup()).isEqualTo("on-demand-20261207T010203Z");
    assertThat(req.key()).isEqualTo("piBackup=before-upgrade");
    RestoreSource from = req.from().orElseThrow();
    assertThat(from.piBackup()).contains("before-upgrade");
    assertThat(from.manifestSha256()).contains("sha256:" + "ab".repeat(32));
    assertThat(from.s3().orElseThrow().bucket()).isEqualTo("acme");
    assertThat(from.s3().get().prefix()).isEqualTo("prod/pi/");
    assertThat(from.s3().get().credentials().orElseThrow().secretName()).isEqualTo("pi-s3");
    assertThat(from.s3().get().lock()).as("a restore writes no object").isEmpty();
    // The Job carries the checksum for restore.sh, and the fetch reads that prefix.
    var job = BackupJobBuilder.restore(new ResolvedStack(s), req);
    var pod = job.getSpec().getTemplate().getSpec();
    assertThat(pod.getContainers().get(0).getEnv()).anySatisfy(e -> {
      assertThat(e.getName()).isEqualTo("RESTORE_MANIFEST_SHA256");
      assertThat(e.getValue()).isEqualTo("sha256:" + "ab".repeat(32));
    });
    assertThat(pod.getInitContainers().get(0).getEnv()).anySatisfy(e -> {
      assertThat(e.getName()).isEqualTo("S3_PREFIX");
      assertThat(e.getValue()).isEqualTo("prod/pi/");
    });
  }

  @Test
  void aMissingUnfinishedFailedOrUnverifiedPiBackupIsRefusedWithItsFieldPath() {
    stacks.add(stack("prod", "pi", S3));
    assertThat(resolve(stack("prod", "pi", S3 + "  restore: {piBackup: nope}\n")).refusal())
        .contains("spec.restore.piBackup: there is no PiBackup nope in namespace prod");
    backups.add(backup("prod", "running", "pi", PiBackupStatus.Phase.Running, "2026-12-07T01:00:00Z"));
    assertThat(resolve(stack("prod", "pi", S3 + "  restore: {piBackup: running}\n")).refusal().orElseThrow())
        .startsWith("spec.restore.piBackup: PiBackup running has not completed yet");
    PiBackup failed = backup("prod", "failed", "pi", PiBackupStatus.Phase.Failed, "2026-12-07T01:00:00Z");
    failed.getStatus().reason = "BackupFailed";
    backups.add(failed);
    assertThat(resolve(stack("prod", "pi", S3 + "  restore: {piBackup: failed}\n")).refusal().orElseThrow())
        .isEqualTo("spec.restore.piBackup: PiBackup failed failed (BackupFailed): name another backup");
    backups.add(backup("prod", "done", "pi", PiBackupStatus.Phase.Completed, "2026-12-07T01:00:00Z"));
    assertThat(resolve(stack("prod", "pi", S3 + "  restore: {piBackup: done, requireVerified: true}\n")).refusal()
        .orElseThrow()).contains("has not passed verification");
    backups.get(backups.size() - 1).getStatus().verification = new BackupVerificationStatus();
    backups.get(backups.size() - 1).getStatus().verification.result = BackupVerificationStatus.Result.Passed;
    assertThat(resolve(stack("prod", "pi", S3 + "  restore: {piBackup: done, requireVerified: true}\n")).refusal())
        .isEmpty();
  }

  @Test
  void beforeATimePicksTheNewestCompletedBackupOfThatStackThatCompletedBeforeIt() {
    stacks.add(stack("prod", "pi", S3));
    backups.add(backup("prod", "monday", "pi", PiBackupStatus.Phase.Completed, "2026-12-07T02:00:00Z"));
    backups.add(backup("prod", "tuesday", "pi", PiBackupStatus.Phase.Completed, "2026-12-08T02:00:00Z"));
    backups.add(backup("prod", "tuesday-failed", "pi", PiBackupStatus.Phase.Failed, "2026-12-08T03:00:00Z"));
    backups.add(backup("prod", "other-stack", "bi", PiBackupStatus.Phase.Completed, "2026-12-08T04:00:00Z"));
    backups.add(backup("prod", "wednesday", "pi", PiBackupStatus.Phase.Completed, "2026-12-09T02:00:00Z"));
    backups.add(backup("other", "elsewhere", "pi", PiBackupStatus.Phase.Completed, "2026-12-08T05:00:00Z"));
    PiStack s = stack("prod", "pi", S3 + "  restore: {before: \"2026-12-08T12:00:00+01:00\"}\n");
    Resolution r = resolve(s);
    assertThat(r.request().orElseThrow().from().orElseThrow().piBackup()).contains("tuesday");
    assertThat(r.request().get().backup()).isEqualTo("on-demand-20261208T020000Z");
    // Strictly before: a backup completed at T itself is not "before T".
    assertThat(resolve(stack("prod", "pi", S3 + "  restore: {before: \"2026-12-08T02:00:00Z\"}\n")).request()
        .orElseThrow().from().orElseThrow().piBackup()).contains("monday");
    assertThat(resolve(stack("prod", "pi", S3 + "  restore: {before: \"2026-12-01T00:00:00Z\"}\n")).refusal())
        .contains("spec.restore.before: no Completed PiBackup of stack prod/pi completed before 2026-12-01T00:00:00Z");

    // Once the request has a Job, the backup it chose stays chosen: a newer one before T changes nothing.
    PiStack later = stack("prod", "pi", S3 + "  restore: {before: \"2026-12-31T00:00:00Z\"}\n");
    ResolvedStack resolved = new ResolvedStack(later);
    String job = JobNames.restore(resolved, resolved.backup().restore().orElseThrow());
    later.setStatus(new PiStackStatus());
    later.getStatus().restore = new RestoreStatus();
    later.getStatus().restore.phase = RestoreStatus.Phase.Running;
    later.getStatus().restore.jobName = job;
    later.getStatus().restore.piBackup = "monday";
    assertThat(resolve(later).request().orElseThrow().from().orElseThrow().piBackup()).contains("monday");
    // Done: nothing is looked up again (the source may be gone).
    later.getStatus().restore.phase = RestoreStatus.Phase.Succeeded;
    later.getStatus().restore.backup = "on-demand-20261207T020000Z";
    assertThat(RestoreCandidates.sourceNamespace(new ResolvedStack(later))).as("nothing is read").isEmpty();
    Resolution done = RestoreResolver.resolve(new ResolvedStack(later), RestoreCandidates.NONE);
    assertThat(done.refusal()).isEmpty();
    assertThat(done.request().orElseThrow().backup()).isEqualTo("on-demand-20261207T020000Z");
    assertThat(JobNames.restore(new ResolvedStack(later), done.request().get())).isEqualTo(job);
  }

  @Test
  void aCloneFromAnotherNamespaceNeedsTheSourcesPermissionAndCredentialsOfItsOwn() {
    stacks.add(stack("prod", "pi", S3));
    backups.add(backup("prod", "nightly", "pi", PiBackupStatus.Phase.Completed, "2026-12-07T02:00:00Z"));
    String clone = "  backup:\n    enabled: true\n    storage:\n      s3: {bucket: acme, region: eu-west-2,"
        + " credentials: {secretName: staging-s3}}\n"
        + "  restore: {piBackup: nightly, source: {namespace: prod, stack: pi%s}}\n";
    assertThat(resolve(stack("staging", "pi", clone.formatted(""))).refusal()).contains("spec.restore.source.namespace:"
        + " PiStack prod/pi does not allow clones into namespace staging: its owner adds staging to its"
        + " spec.backup.cloneAllowedNamespaces");
    stacks.set(0, stack("prod", "pi", S3 + "    cloneAllowedNamespaces: [staging]\n"));
    assertThat(resolve(stack("staging", "pi", clone.formatted(""))).refusal().orElseThrow())
        .startsWith("spec.restore.source.credentials: reading s3://acme/prod/pi/ from namespace staging needs"
            + " read-only credentials of staging");
    Resolution ok = resolve(stack("staging", "pi", clone.formatted(", credentials: {secretName: prod-read}")));
    assertThat(ok.refusal()).isEmpty();
    S3Target read = ok.request().orElseThrow().from().orElseThrow().s3().orElseThrow();
    assertThat(read.location("x")).isEqualTo("s3://acme/prod/pi/x");
    assertThat(read.credentials().orElseThrow().secretName()).isEqualTo("prod-read");
    // The clone's own backups go to staging/pi/: never under the source's prefix. Same prefix: refused.
    String shared = "  backup:\n    enabled: true\n    storage:\n      s3: {bucket: acme, prefix: prod/, credentials:"
        + " {secretName: staging-s3}}\n  restore: {piBackup: nightly, source: {namespace: prod, stack: pi,"
        + " credentials: {secretName: prod-read}}}\n";
    assertThat(resolve(stack("staging", "pi", shared)).refusal().orElseThrow())
        .startsWith("spec.backup.storage.s3.prefix: this stack's backups would go to s3://acme/prod/")
        .contains("a clone never shares the source's target");
    // A source that does not exist (or is in a namespace the operator does not watch).
    assertThat(resolve(stack("staging", "pi", "  restore: {backup: latest, source: {namespace: qa, stack: pi}}\n"))
        .refusal().orElseThrow()).startsWith("spec.restore.source.stack: there is no PiStack qa/pi");
  }

  @Test
  void whatIsReadBeforeResolvingIsTheOneNamespaceTheRestoreChoosesFrom() {
    // A PiBackup in another namespace: that namespace's PiStacks and PiBackups, not the clone's.
    assertThat(RestoreCandidates.sourceNamespace(new ResolvedStack(stack("staging", "pi",
        "  restore: {piBackup: nightly, source: {namespace: prod}}\n")))).contains("prod");
    // A time, or a PiBackup, with no source: the stack's own namespace.
    assertThat(RestoreCandidates.sourceNamespace(new ResolvedStack(stack("staging", "pi",
        "  restore: {before: \"2026-12-07T00:00:00Z\"}\n")))).contains("staging");
    // An S3 location names its backup itself: nothing is read.
    assertThat(RestoreCandidates.sourceNamespace(new ResolvedStack(stack("staging", "pi", "  restore:\n"
        + "    backup: b\n    source:\n      s3: {bucket: acme}\n      credentials: {secretName: r}\n")))).isEmpty();
    // Read, a stack or PiBackup of another namespace is not taken for one of the source's.
    RestoreCandidates read = new RestoreCandidates(List.of(stack("prod", "pi", S3)),
        List.of(backup("prod", "nightly", "pi", PiBackupStatus.Phase.Completed, "2026-12-07T02:00:00Z")));
    assertThat(read.stack("prod", "pi")).isPresent();
    assertThat(read.stack("staging", "pi")).isEmpty();
    assertThat(read.backups("prod")).hasSize(1);
    assertThat(read.backups("staging")).isEmpty();
  }

  @Test
  void aVolumeSourceIsReadInItsOwnNamespaceAndRefusedFromAnother() {
    stacks.add(stack("prod", "pi", "  backup:\n    enabled: true\n    cloneAllowedNamespaces: [staging]\n"));
    Resolution same = resolve(stack("prod", "staging", "  restore: {backup: latest, source: {stack: pi}}\n"));
    assertThat(same.refusal()).isEmpty();
    assertThat(same.request().orElseThrow().from().orElseThrow().claim()).contains("pi-backups");
    assertThat(same.request().get().from().get().location()).isEqualTo("pvc:pi-backups/latest");
    // The clone creates no backup volume of its own for the restore.
    assertThat(new ResolvedStack(stack("prod", "staging", "  restore: {backup: latest, source: {stack: pi}}\n"))
        .backup().createsClaim()).isFalse();
    assertThat(resolve(stack("staging", "pi", "  restore: {backup: latest, source: {namespace: prod, stack: pi}}\n"))
        .refusal().orElseThrow()).contains("which a pod in namespace staging cannot mount")
        .contains("spec.backup.storage.s3").contains("spec.backup.storage.existingClaim");
  }

  @Test
  void anS3LocationSourceIsReadWithTheClonesCredentialsAndNamesItsBackup() {
    PiStack s = stack("staging", "pi", "  restore:\n    backup: scheduled-20261207T020000Z\n    source:\n"
        + "      s3: {bucket: acme, prefix: prod/pi, endpoint: \"http://127.0.0.1:9000\"}\n"
        + "      credentials: {secretName: prod-read}\n");
    Resolution r = resolve(s);
    RestoreSource from = r.request().orElseThrow().from().orElseThrow();
    assertThat(from.location()).isEqualTo("s3://acme/prod/pi/scheduled-20261207T020000Z");
    assertThat(from.s3().orElseThrow().endpoint()).contains("http://127.0.0.1:9000");
    assertThat(resolve(stack("staging", "pi", "  restore:\n    before: \"2026-12-07T00:00:00Z\"\n    source:\n"
        + "      s3: {bucket: acme}\n")).refusal().orElseThrow()).startsWith("spec.restore.source.s3:");
  }
}
