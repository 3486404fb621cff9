package io.pistack.operator.model;

import static io.pistack.operator.model.ComponentDefinition.define;

import io.pistack.operator.api.v1alpha1.ComponentSpec;
import io.pistack.operator.api.v1alpha1.PiStackSpec;
import io.pistack.operator.model.ComponentDefinition.EnvGroup;
import io.pistack.operator.model.ComponentDefinition.EnvSource;
import io.pistack.operator.model.ComponentDefinition.Link;
import io.pistack.operator.model.ComponentDefinition.NamedPort;
import io.pistack.operator.model.ComponentDefinition.OwnVolume;
import io.pistack.operator.model.ComponentDefinition.Scaling;
import io.pistack.operator.model.ComponentDefinition.ServedTls;
import io.pistack.operator.model.ComponentDefinition.SharedMount;
import java.util.Arrays;
import java.util.List;

/**
 * The component table: everything that makes one Pi component differ from another, as data
 * (pi-facts.md). The builders (Deployment, Service, env, probes, HPA, PDB, Ingress, status, health)
 * read these entries and hold no per-component branches; adding a component is one entry here
 * (plus its spec field and tests). The order of the entries is the order of the rendered objects
 * and of the status.
 */
public enum Component {
  DASHBOARD(define("dashboard", "server", "Dashboard", s -> s.dashboard)
      // internal: the renderer's callback port (RENDERER_DASHBOARD_URL), which the vendor says never to expose.
      .port("http", 8224).internalPort("internal", 28748, "renderer")
      .health("/pi/version").sizing("2", "4Gi", 3).scaling(Scaling.AUTOSCALABLE)
      // It may need minutes to start: 15 minutes per rollout, 60 x 10 s of startup probe.
      .progressDeadlineSeconds(900).startupFailures(60)
      .main().disruptionBudget()
      .shared(SharedMount.KEYS, SharedMount.THEMES, SharedMount.IMAGES, SharedMount.SVG, SharedMount.JDBC_DRIVERS)
      .env(EnvGroup.DATABASE, EnvGroup.LICENCE, EnvGroup.TOMCAT,
          Link.always("dashboard", "internal", "/pi", "RENDERER_DASHBOARD_URL"),
          Link.ifEnabled("renderer", "PI_VARIABLE_PAN_RENDERER_URL", "PAN_RENDERER_URL"),
          Link.ifEnabled("scheduler", "PI_VARIABLE_PAN_SCHEDULER_URL", "PAN_SCHEDULER_URL"),
          Link.ifEnabled("analytics", "PI_VARIABLE_ANALYTICS_SERVER_URL"),
          Link.ifEnabled("qdrant", "PI_VECTOR_DB_URL"), EnvGroup.VECTOR_DB_CLIENT,
          EnvGroup.PROXY, EnvGroup.JAVA_TRUST)
      // Tomcat's own HTTPS on 8224 (docker-deployments https.compose.yml); 28748 stays plain HTTP.
      .tls(new ServedTls(s -> s.dashboard == null ? null : s.dashboard.https, "/var/panintelligence/certs",
          "fullchain.pem", "privkey.pem", "PI_TOMCAT_USE_HTTPS", "PI_TOMCAT_HTTPS_CERT", "PI_TOMCAT_HTTPS_CERT_KEY",
          "PI_TOMCAT_COOKIE_SECURE"))),

  SCHEDULER(define("scheduler", "scheduler", "Scheduler", s -> s.scheduler)
      .port("http", 9917).health("/version").sizing("500m", "1Gi", 1)
      .scaling(Scaling.SINGLETON)
      .shared(SharedMount.KEYS)
      .env(EnvGroup.DATABASE, Link.always("dashboard", "http", "/pi", "SCHEDULER_DASHBOARD_URL"),
          EnvGroup.JAVA_TRUST)),

  ANALYTICS(define("analytics", "pirana", "Analytics", s -> s.analytics)
      .port("http", 9918).health("/version").sizing("250m", "512Mi", 1).scaling(Scaling.AUTOSCALABLE)),

  RENDERER(define("renderer", "renderer", "Renderer", s -> s.renderer)
      .port("http", 9915).health("/version").sizing("2", "4Gi", 1).scaling(Scaling.AUTOSCALABLE)),

  // Stages Excel files for the dashboard (pi-facts.md §1); no URL variable is published, the dashboard is its client.
  EXCEL_READER(define("excel-reader", "excel-reader", "ExcelReader", s -> s.excelReader)
      .port("http", 9916).tcpHealth().sizing("250m", "512Mi", 1).onlyFrom("dashboard")),

  /**
   * The vector database of the dashboard's AI features (the vendor's newest AWS module). Optional;
   * a pinned release (the vendor's "latest" is what our docs advise against). Qdrant does not
   * support network file systems: its own ReadWriteOnce volume, hence a single pod.
   */
  QDRANT(define("qdrant", "qdrant/qdrant", "Qdrant", s -> s.qdrant)
      .optional().fixedImage("docker.io/qdrant/qdrant:v1.13.6").onlyFrom("dashboard")
      .port("http", 6333).port("grpc", 6334).health("/").sizing("500m", "1Gi", 1)
      .scaling(Scaling.SINGLETON).env(EnvGroup.VECTOR_DB_SERVER)
      .volume("storage", "/qdrant/storage", "10Gi"));

  private final ComponentDefinition def;

  Component(ComponentDefinitionBuilder def) {
    this.def = def.build();
  }

  /** The component's section of the spec, by its field name (excelReader, qdrant, ...). */
  public String specField() {
    String prefix = def.conditionPrefix();
    return Character.toLowerCase(prefix.charAt(0)) + prefix.substring(1);
  }

  /** The name suffix and the app.kubernetes.io/component label. */
  public String part() {
    return def.part();
  }

  /** The image name under the registry: {@code <registry>/<image>:<version>}. */
  public String image() {
    return def.image();
  }

  /** The main (HTTP) port: the Service's and the probes'. */
  public int port() {
    return def.ports().get(0).number();
  }

  /** Every port, the main one first. */
  public List<NamedPort> ports() {
    return def.ports();
  }

  /** The ports of the component's Service (and, for the main component, the Ingress's): the public ones. */
  public List<NamedPort> publicPorts() {
    return def.ports().stream().filter(p -> !p.internal()).toList();
  }

  /** The ports of its internal Service, {@code <stack>-<part>-internal}; none for most. */
  public List<NamedPort> internalPorts() {
    return def.ports().stream().filter(NamedPort::internal).toList();
  }

  /** The port of that name: internal or public. */
  public NamedPort namedPort(String name) {
    return def.ports().stream().filter(p -> p.name().equals(name)).findFirst()
        .orElseThrow(() -> new IllegalArgumentException(part() + " has no port " + name));
  }

  /** The non-root uid its image runs as, or null (root, or not known): see {@link PodSecurity}. */
  public Long imageUser() {
    return def.imageUser();
  }

  /** The parts alone allowed to reach its public ports, or empty for anyone. */
  public List<String> onlyFrom() {
    return def.onlyFrom();
  }

  /** The port of that name. */
  public int port(String name) {
    return def.ports().stream().filter(p -> p.name().equals(name)).findFirst()
        .orElseThrow(() -> new IllegalArgumentException(part() + " has no port " + name)).number();
  }

  /** HTTP path answering 200 when healthy, or null when the component only listens (TCP check). */
  public String healthPath() {
    return def.healthPath();
  }

  /** The per-component condition type, e.g. DashboardReady. */
  public String conditionType() {
    return def.conditionPrefix() + "Ready";
  }

  public String defaultCpu() {
    return def.defaultCpu();
  }

  public String defaultMemory() {
    return def.defaultMemory();
  }

  public int defaultReplicas() {
    return def.defaultReplicas();
  }

  /** True when the component may have an HPA. */
  public boolean canAutoscale() {
    return def.scaling() == Scaling.AUTOSCALABLE;
  }

  /** Never two pods at once: at most one replica, and a Recreate rollout. */
  public boolean singleton() {
    return def.scaling() == Scaling.SINGLETON;
  }

  public int progressDeadlineSeconds() {
    return def.progressDeadlineSeconds();
  }

  /** Startup probe failures allowed, 10 s apart. */
  public int startupFailures() {
    return def.startupFailures();
  }

  /** Directories of the shared volume the component mounts (none: no shared volume). */
  public List<SharedMount> sharedMounts() {
    return def.sharedMounts();
  }

  /** The component's environment, in order (the user's extra env is added after it). */
  public List<EnvSource> env() {
    return def.env();
  }

  /** Reads the repository database: stopped while a restore is pending. */
  public boolean usesDatabase() {
    return def.env().contains(EnvGroup.DATABASE);
  }

  /** Gets a PodDisruptionBudget when it can run more than one pod. */
  public boolean disruptionBudget() {
    return def.disruptionBudget();
  }

  /** Off unless the user enables it. */
  public boolean optional() {
    return def.optional();
  }

  /** A third-party image reference the Pi registry and version do not apply to, or null. */
  public String fixedImage() {
    return def.fixedImage();
  }

  /** The component's own ReadWriteOnce volume, or null. */
  public OwnVolume volume() {
    return def.volume();
  }

  /** How the component serves HTTPS on its main port when the user turns it on, or null if it cannot. */
  public ServedTls tls() {
    return def.tls();
  }

  /** The user's settings of this component, or null when the spec has none. */
  public ComponentSpec spec(PiStackSpec spec) {
    return def.spec().apply(spec);
  }

  /** The stack's main component: the Ingress backend, the version of the stack, status.dashboardReplicas. */
  public static Component main() {
    return Arrays.stream(values()).filter(c -> c.def.main()).findFirst().orElseThrow();
  }

  public static Component fromPart(String part) {
    for (Component c : values()) {
      if (c.part().equals(part)) {
        return c;
      }
    }
    throw new IllegalArgumentException("unknown component " + part);
  }
}
