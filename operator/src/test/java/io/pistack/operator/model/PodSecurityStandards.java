package io.pistack.operator.model;

import io.fabric8.kubernetes.api.model.Capabilities;
import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.PodSecurityContext;
import io.fabric8.kubernetes.api.model.PodSpec;
import io.fabric8.kubernetes.api.model.SecurityContext;
import io.fabric8.kubernetes.api.model.Volume;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.stream.Stream;

/**
 * The checks of the Pod Security Standards (kubernetes.io/docs/concepts/security/pod-security-standards,
 * "baseline" and "restricted", as of 1.33) that a pod the operator generates could break, written from
 * the published tables. The real API tier's PodSecurity admission is the judge (PodSecurityOnRealApiTest);
 * this lets every rendered pod be checked in a unit test. Returns the violations, empty when the pod meets
 * the level.
 */
public final class PodSecurityStandards {
  static final Set<String> BASELINE_CAPABILITIES = Set.of("AUDIT_WRITE", "CHOWN", "DAC_OVERRIDE", "FOWNER", "FSETID",
      "KILL", "MKNOD", "NET_BIND_SERVICE", "SETFCAP", "SETGID", "SETPCAP", "SETUID", "SYS_CHROOT");

  private PodSecurityStandards() {}

  public static List<String> baseline(PodSpec pod) {
    List<String> v = new ArrayList<>();
    if (Boolean.TRUE.equals(pod.getHostNetwork()) || Boolean.TRUE.equals(pod.getHostPID())
        || Boolean.TRUE.equals(pod.getHostIPC())) {
      v.add("host namespaces");
    }
    for (Volume vol : list(pod.getVolumes())) {
      if (vol.getHostPath() != null) {
        v.add("hostPath volume " + vol.getName());
      }
    }
    PodSecurityContext psc = pod.getSecurityContext();
    if (psc != null && psc.getSeccompProfile() != null && "Unconfined".equals(psc.getSeccompProfile().getType())) {
      v.add("pod seccomp Unconfined");
    }
    if (psc != null && psc.getSysctls() != null && !psc.getSysctls().isEmpty()) {
      v.add("sysctls");
    }
    for (Container c : containers(pod)) {
      SecurityContext sc = c.getSecurityContext();
      if (c.getPorts() != null && c.getPorts().stream().anyMatch(p -> p.getHostPort() != null && p.getHostPort() != 0)) {
        v.add(c.getName() + ": hostPort");
      }
      if (sc == null) {
        continue;
      }
      if (Boolean.TRUE.equals(sc.getPrivileged())) {
        v.add(c.getName() + ": privileged");
      }
      Capabilities caps = sc.getCapabilities();
      if (caps != null && caps.getAdd() != null) {
        caps.getAdd().stream().filter(a -> !BASELINE_CAPABILITIES.contains(a))
            .forEach(a -> v.add(c.getName() + ": adds capability " + a));
      }
      if (sc.getSeccompProfile() != null && "Unconfined".equals(sc.getSeccompProfile().getType())) {
        v.add(c.getName() + ": seccomp Unconfined");
      }
      if (sc.getProcMount() != null && !"Default".equals(sc.getProcMount())) {
        v.add(c.getName() + ": procMount");
      }
    }
    return v;
  }

  public static List<String> restricted(PodSpec pod) {
    List<String> v = new ArrayList<>(baseline(pod));
    Set<String> allowed = Set.of("configMap", "csi", "downwardAPI", "emptyDir", "ephemeral", "persistentVolumeClaim",
        "projected", "secret");
    for (Volume vol : list(pod.getVolumes())) {
      boolean ok = (vol.getConfigMap() != null || vol.getCsi() != null || vol.getDownwardAPI() != null
          || vol.getEmptyDir() != null || vol.getEphemeral() != null || vol.getPersistentVolumeClaim() != null
          || vol.getProjected() != null || vol.getSecret() != null);
      if (!ok) {
        v.add("volume type of " + vol.getName() + " (allowed: " + allowed + ")");
      }
    }
    PodSecurityContext psc = pod.getSecurityContext();
    boolean podNonRoot = psc != null && Boolean.TRUE.equals(psc.getRunAsNonRoot());
    boolean podSeccomp = psc != null && psc.getSeccompProfile() != null
        && Set.of("RuntimeDefault", "Localhost").contains(psc.getSeccompProfile().getType());
    if (psc != null && Long.valueOf(0).equals(psc.getRunAsUser())) {
      v.add("pod runAsUser 0");
    }
    for (Container c : containers(pod)) {
      SecurityContext sc = c.getSecurityContext();
      if (sc == null || !Boolean.FALSE.equals(sc.getAllowPrivilegeEscalation())) {
        v.add(c.getName() + ": allowPrivilegeEscalation is not false");
      }
      boolean nonRoot = sc != null && sc.getRunAsNonRoot() != null ? sc.getRunAsNonRoot() : podNonRoot;
      if (!nonRoot) {
        v.add(c.getName() + ": runAsNonRoot is not true");
      }
      if (sc != null && Long.valueOf(0).equals(sc.getRunAsUser())) {
        v.add(c.getName() + ": runAsUser 0");
      }
      boolean seccomp = sc != null && sc.getSeccompProfile() != null
          ? Set.of("RuntimeDefault", "Localhost").contains(sc.getSeccompProfile().getType()) : podSeccomp;
      if (!seccomp) {
        v.add(c.getName() + ": seccomp profile not RuntimeDefault or Localhost");
      }
      Capabilities caps = sc == null ? null : sc.getCapabilities();
      if (caps == null || caps.getDrop() == null || !caps.getDrop().contains("ALL")) {
        v.add(c.getName() + ": capabilities do not drop ALL");
      }
      if (caps != null && caps.getAdd() != null) {
        caps.getAdd().stream().filter(a -> !"NET_BIND_SERVICE".equals(a))
            .forEach(a -> v.add(c.getName() + ": adds capability " + a));
      }
    }
    return v;
  }

  private static List<Container> containers(PodSpec pod) {
    return Stream.concat(list(pod.getInitContainers()).stream(), list(pod.getContainers()).stream()).toList();
  }

  private static <T> List<T> list(List<T> l) {
    return l == null ? List.of() : l;
  }
}
