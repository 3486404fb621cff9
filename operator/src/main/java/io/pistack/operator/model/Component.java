package io.pistack.operator.model;

/** The Pi components, with the facts the builders need about each image. */
public enum Component {
  DASHBOARD("dashboard", "server", 8224, "/pi/version", "Dashboard", "2", "4Gi", 3),
  SCHEDULER("scheduler", "scheduler", 9917, "/version", "Scheduler", "500m", "1Gi", 1),
  ANALYTICS("analytics", "pirana", 9918, "/version", "Analytics", "250m", "512Mi", 1),
  RENDERER("renderer", "renderer", 9915, "/version", "Renderer", "2", "4Gi", 1),
  EXCEL_READER("excel-reader", "excel-reader", 9916, null, "ExcelReader", "250m", "512Mi", 1);

  /** The dashboard's internal HTTP port: the renderer calls back on it; it is never exposed. */
  public static final int DASHBOARD_INTERNAL_PORT = 28748;

  private final String part;
  private final String image;
  private final int port;
  private final String healthPath;
  private final String conditionPrefix;
  private final String defaultCpu;
  private final String defaultMemory;
  private final int defaultReplicas;

  Component(String part, String image, int port, String healthPath, String conditionPrefix,
      String defaultCpu, String defaultMemory, int defaultReplicas) {
    this.part = part;
    this.image = image;
    this.port = port;
    this.healthPath = healthPath;
    this.conditionPrefix = conditionPrefix;
    this.defaultCpu = defaultCpu;
    this.defaultMemory = defaultMemory;
    this.defaultReplicas = defaultReplicas;
  }

  /** The name suffix and the app.kubernetes.io/component label. */
  public String part() {
    return part;
  }

  public String image() {
    return image;
  }

  public int port() {
    return port;
  }

  /** HTTP path answering 200 when healthy, or null when the component only listens (excel-reader). */
  public String healthPath() {
    return healthPath;
  }

  /** The per-component condition type, e.g. DashboardReady. */
  public String conditionType() {
    return conditionPrefix + "Ready";
  }

  public String defaultCpu() {
    return defaultCpu;
  }

  public String defaultMemory() {
    return defaultMemory;
  }

  public int defaultReplicas() {
    return defaultReplicas;
  }

  /** Only dashboard, renderer and analytics may autoscale; the scheduler is always a single pod. */
  public boolean canAutoscale() {
    return this == DASHBOARD || this == RENDERER || this == ANALYTICS;
  }

  public static Component fromPart(String part) {
    for (Component c : values()) {
      if (c.part.equals(part)) {
        return c;
      }
    }
    throw new IllegalArgumentException("unknown component " + part);
  }
}
