package io.pistack.operator.model;

import io.fabric8.kubernetes.api.model.CapabilitiesBuilder;
import io.fabric8.kubernetes.api.model.PodSecurityContext;
import io.fabric8.kubernetes.api.model.PodSecurityContextBuilder;
import io.fabric8.kubernetes.api.model.SecurityContext;
import io.fabric8.kubernetes.api.model.SecurityContextBuilder;
import io.fabric8.kubernetes.client.utils.KubernetesSerialization;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The security contexts of every pod the operator generates (docs/pods.md, "Pod security").
 *
 * <p>Default, for every pod: seccomp RuntimeDefault; every container: no privilege escalation, every
 * capability dropped. A pod whose image runs as a known non-root user (the component table's
 * {@code imageUser}, MariaDB's 999) also runs as that user and group, owns its volumes through
 * fsGroup, and declares runAsNonRoot: it meets the "restricted" Pod Security Standard. The others
 * (the Pi images, Qdrant's default image) run as their image's user, root, and meet "baseline".
 *
 * <p>The user's podSecurityContext / securityContext of a component win field by field: each field they
 * give replaces the default's field of that name, the others stay.
 */
public final class PodSecurity {
  /** The mysql user of the official MariaDB image (uid and gid). */
  public static final long MARIADB_USER = 999L;
  private static final KubernetesSerialization JSON = new KubernetesSerialization();

  private PodSecurity() {}

  /** The default pod security context for an image running as {@code imageUser} (null: its own, root). */
  public static PodSecurityContext defaultPod(Long imageUser) {
    var b = new PodSecurityContextBuilder().withNewSeccompProfile().withType("RuntimeDefault").endSeccompProfile();
    if (imageUser != null) {
      b.withRunAsNonRoot(true).withRunAsUser(imageUser).withRunAsGroup(imageUser).withFsGroup(imageUser)
          // Only the volume's root is checked: no recursive chown of a large volume on every start.
          .withFsGroupChangePolicy("OnRootMismatch");
    }
    return b.build();
  }

  /** The default container security context: no privilege escalation, no capabilities. */
  public static SecurityContext defaultContainer() {
    return new SecurityContextBuilder().withAllowPrivilegeEscalation(false)
        .withCapabilities(new CapabilitiesBuilder().withDrop("ALL").build()).build();
  }

  /** The pod's security context: the default, each field the user gives replacing the default's. */
  public static PodSecurityContext pod(Long imageUser, PodSecurityContext user) {
    return merge(defaultPod(imageUser), user, PodSecurityContext.class);
  }

  /** The container's security context: the default, each field the user gives replacing the default's. */
  public static SecurityContext container(SecurityContext user) {
    return merge(defaultContainer(), user, SecurityContext.class);
  }

  @SuppressWarnings("unchecked")
  private static <T> T merge(T defaults, T user, Class<T> type) {
    if (user == null) {
      return defaults;
    }
    Map<String, Object> merged = new LinkedHashMap<>(JSON.convertValue(defaults, Map.class));
    Map<String, Object> given = JSON.convertValue(user, Map.class);
    given.forEach((k, v) -> {
      if (v != null) {
        merged.put(k, v);
      }
    });
    return JSON.convertValue(merged, type);
  }
}
