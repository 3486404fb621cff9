package io.pistack.operator.model;

import io.fabric8.kubernetes.api.model.VolumeMount;
import io.fabric8.kubernetes.api.model.VolumeMountBuilder;
import java.util.List;

/**
 * Where the shared PVC's directories appear in the dashboard and scheduler (pi-facts.md §4).
 * Each directory is a subPath of the one shared volume; keys is mounted at the same path in both.
 */
public final class SharedVolumeMounts {
  public static final String VOLUME = "shared";
  static final String DASHBOARD_HOME = "/var/panintelligence/Dashboard";
  static final String RESOURCES = DASHBOARD_HOME + "/tomcat/webapps/panMISDashboardResources";

  private SharedVolumeMounts() {}

  public static List<VolumeMount> forComponent(Component c) {
    return switch (c) {
      case DASHBOARD -> List.of(
          mount("keys", DASHBOARD_HOME + "/keys"),
          mount("themes", RESOURCES + "/themes"),
          mount("images", RESOURCES + "/images"),
          mount("svg", RESOURCES + "/svg"),
          mount("custom_jdbc_drivers", DASHBOARD_HOME + "/tomcat/custom_jdbc_drivers"));
      case SCHEDULER -> List.of(mount("keys", DASHBOARD_HOME + "/keys"));
      default -> List.of();
    };
  }

  private static VolumeMount mount(String subPath, String path) {
    return new VolumeMountBuilder().withName(VOLUME).withSubPath(subPath).withMountPath(path).build();
  }
}
