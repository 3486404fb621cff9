package io.pistack.operator.model;

import io.pistack.operator.api.v1alpha1.PiBackup;
import io.pistack.operator.api.v1alpha1.PiBackupStatus;
import io.pistack.operator.api.v1alpha1.PiBackupStatus.Phase;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.stream.Collectors;

/**
 * Which of a stack's recorded PiBackups {@code spec.backup.keep} prunes, so that the list of objects follows the
 * data. On a backup volume backup.sh keeps the newest {@code keep} backups of each prefix (scheduled, pre-upgrade)
 * and deletes the older ones' files at the end of each run: the objects of the same origin follow, newest
 * {@code keep} completed ones kept, and every finished (completed or failed) one older than the oldest kept is
 * deleted. A PiBackup still pending or running is never pruned, nor any while a restore of the stack is in
 * progress (the restore may read one of them). With an S3 target nothing is pruned here: the data must go first,
 * by a prune Job ({@link S3Pruning}). The user's own PiBackups (on-demand) are never pruned. Pure.
 */
public final class BackupPruning {
  private BackupPruning() {}

  /**
   * @param backups the stack's PiBackups (any origin: the user's are left alone)
   * @param restoring a restore of the stack is in progress
   * @return the names of the PiBackups to delete, oldest first
   */
  public static List<String> prune(BackupSettings settings, Collection<PiBackup> backups, boolean restoring) {
    if (!settings.enabled() || settings.s3().isPresent() || restoring) {
      return List.of();
    }
    return beyondKeep(backups, settings.keep());
  }

  /** Of each origin (the user's own PiBackups left out): the finished ones beyond {@code keep}, oldest first. */
  static List<String> beyondKeep(Collection<PiBackup> backups, int keep) {
    Map<String, List<PiBackup>> byOrigin = backups.stream().filter(b -> RecordedBackups.origin(b).isPresent())
        .collect(Collectors.groupingBy(b -> RecordedBackups.origin(b).orElseThrow()));
    List<String> out = new ArrayList<>();
    byOrigin.values().forEach(list -> out.addAll(prune(list, keep)));
    return out;
  }

  /** Of one origin: walking newest to oldest, every finished one after the keep-th completed one. */
  static List<String> prune(List<PiBackup> sameOrigin, int keep) {
    List<PiBackup> newestFirst = new ArrayList<>(sameOrigin);
    newestFirst.sort(Comparator.comparing(BackupPruning::created).thenComparing(b -> b.getMetadata().getName())
        .reversed());
    List<String> out = new ArrayList<>();
    int completed = 0;
    for (PiBackup b : newestFirst) {
      Phase phase = b.getStatus() == null ? null : b.getStatus().phase;
      if (completed >= keep && (phase == Phase.Completed || phase == Phase.Failed)) {
        out.add(0, b.getMetadata().getName());
      }
      if (phase == Phase.Completed) {
        completed++;
      }
    }
    return out;
  }

  /** When the backup was made: the Job's start (status), else the object's creation. */
  private static String created(PiBackup b) {
    PiBackupStatus s = b.getStatus();
    String start = s == null ? null : s.startTime;
    return Objects.requireNonNullElse(start, Objects.requireNonNullElse(b.getMetadata().getCreationTimestamp(), ""));
  }
}
