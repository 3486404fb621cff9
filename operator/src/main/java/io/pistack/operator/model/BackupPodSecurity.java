package io.pistack.operator.model;

import io.fabric8.kubernetes.api.model.CapabilitiesBuilder;
import io.fabric8.kubernetes.api.model.PodSecurityContext;
import io.fabric8.kubernetes.api.model.PodSecurityContextBuilder;
import java.util.Optional;

/**
 * Who the backup, restore and verification pods run as (the reasons are on {@link BackupPodBuilder}): the
 * owner of the shared files, the dashboard's user, with no capability; or, when the dashboard runs as its
 * image's root, root with only the capabilities file handling needs.
 */
final class BackupPodSecurity {
  private BackupPodSecurity() {}

  /**
   * The non-root user (uid) the shared files belong to: the dashboard's, when its pod or container runs as one;
   * empty when it runs as its image's user (root).
   */
  static Optional<Long> filesOwner(ResolvedStack stack) {
    Long uid = stack.pod(Component.main()).securityContext().getRunAsUser();
    if (uid == null) {
      uid = stack.pod(Component.main()).podSecurityContext().getRunAsUser();
    }
    return uid == null || uid == 0L ? Optional.empty() : Optional.of(uid);
  }

  /** The backup or restore pod's security context: the files' owner, else root (seccomp only). */
  static PodSecurityContext filesPod(ResolvedStack stack) {
    Optional<Long> uid = filesOwner(stack);
    if (uid.isEmpty()) {
      return PodSecurity.defaultPod(null);
    }
    PodSecurityContext dashboard = stack.pod(Component.main()).podSecurityContext();
    Long gid = stack.pod(Component.main()).securityContext().getRunAsGroup();
    if (gid == null) {
      gid = dashboard.getRunAsGroup() == null ? uid.get() : dashboard.getRunAsGroup();
    }
    var b = new PodSecurityContextBuilder(PodSecurity.defaultPod(null))
        .withRunAsNonRoot(true).withRunAsUser(uid.get()).withRunAsGroup(gid);
    if (dashboard.getFsGroup() != null) {
      b.withFsGroup(dashboard.getFsGroup()).withFsGroupChangePolicy("OnRootMismatch");
    }
    return b.build();
  }

  /**
   * A container handling the shared files as root (the Pi images' user): only the capabilities that needs,
   * no escalation, read-only root file system.
   */
  static io.fabric8.kubernetes.api.model.SecurityContext rootFiles() {
    return new io.fabric8.kubernetes.api.model.SecurityContextBuilder()
        .withRunAsUser(0L)
        .withRunAsNonRoot(false)
        .withAllowPrivilegeEscalation(false)
        .withReadOnlyRootFilesystem(true)
        .withCapabilities(new CapabilitiesBuilder().withDrop("ALL").withAdd("CHOWN", "DAC_OVERRIDE", "FOWNER").build())
        .build();
  }

  /** A container of a non-root pod: no capability, no escalation, read-only root file system. */
  static io.fabric8.kubernetes.api.model.SecurityContext nonRoot() {
    return new io.fabric8.kubernetes.api.model.SecurityContextBuilder(PodSecurity.defaultContainer())
        .withReadOnlyRootFilesystem(true).build();
  }

  /**
   * The S3 container of a root pod: root, to read and write the scratch directory its pod's other container
   * (the same user) uses, but no capability at all, no escalation, read-only root file system.
   */
  static io.fabric8.kubernetes.api.model.SecurityContext rootNoFiles() {
    return new io.fabric8.kubernetes.api.model.SecurityContextBuilder()
        .withRunAsUser(0L)
        .withRunAsNonRoot(false)
        .withAllowPrivilegeEscalation(false)
        .withReadOnlyRootFilesystem(true)
        .withCapabilities(new CapabilitiesBuilder().withDrop("ALL").build())
        .build();
  }
}
