package io.pistack.operator.model;

import io.pistack.operator.api.v1alpha1.ComponentSpec;
import io.pistack.operator.api.v1alpha1.PiStackSpec;
import io.pistack.operator.model.ComponentDefinition.EnvSource;
import io.pistack.operator.model.ComponentDefinition.NamedPort;
import io.pistack.operator.model.ComponentDefinition.OwnVolume;
import io.pistack.operator.model.ComponentDefinition.Scaling;
import io.pistack.operator.model.ComponentDefinition.ServedTls;
import io.pistack.operator.model.ComponentDefinition.SharedMount;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.function.Function;

/**
 * Builds one entry of the component table ({@link ComponentDefinition}); only what differs from the
 * defaults is named, and {@link #build} refuses an entry the builders could not serve.
 */
final class ComponentDefinitionBuilder {
  static final int PROGRESS_DEADLINE = 600;
  static final int STARTUP_FAILURES = 30;

  private final String part;
  private final String image;
  private final String conditionPrefix;
  private final Function<PiStackSpec, ? extends ComponentSpec> spec;
  private final List<NamedPort> ports = new ArrayList<>();
  private String healthPath;
  private boolean tcpHealth;
  private String cpu;
  private String memory;
  private int replicas = 1;
  private Scaling scaling = Scaling.FIXED;
  private int progressDeadline = PROGRESS_DEADLINE;
  private int startupFailures = STARTUP_FAILURES;
  private List<SharedMount> shared = List.of();
  private List<EnvSource> env = List.of();
  private boolean main;
  private boolean disruptionBudget;
  private boolean optional;
  private String fixedImage;
  private OwnVolume volume;
  private List<String> onlyFrom = List.of();
  private Long imageUser;
  private ServedTls tls;

  ComponentDefinitionBuilder(String part, String image, String conditionPrefix,
      Function<PiStackSpec, ? extends ComponentSpec> spec) {
    this.part = part;
    this.image = image;
    this.conditionPrefix = conditionPrefix;
    this.spec = spec;
  }

  ComponentDefinitionBuilder port(String name, int number) {
    ports.add(new NamedPort(name, number, false, List.of()));
    return this;
  }

  /**
   * A port the vendor says must never be exposed: on a Service of its own ({@code <stack>-<part>-internal}),
   * never in the Ingress, reachable only from the {@code from} parts (and the operator's health checks).
   */
  ComponentDefinitionBuilder internalPort(String name, int number, String... from) {
    ports.add(new NamedPort(name, number, true, List.of(from)));
    return this;
  }

  /** Only these parts (and the operator's health checks) may reach the public ports. */
  ComponentDefinitionBuilder onlyFrom(String... parts) {
    this.onlyFrom = List.of(parts);
    return this;
  }

  ComponentDefinitionBuilder health(String path) {
    this.healthPath = path;
    return this;
  }

  /** No HTTP health endpoint: probes and the operator's checks connect over TCP. */
  ComponentDefinitionBuilder tcpHealth() {
    this.tcpHealth = true;
    return this;
  }

  ComponentDefinitionBuilder sizing(String cpu, String memory, int replicas) {
    this.cpu = cpu;
    this.memory = memory;
    this.replicas = replicas;
    return this;
  }

  ComponentDefinitionBuilder scaling(Scaling s) {
    this.scaling = s;
    return this;
  }

  ComponentDefinitionBuilder progressDeadlineSeconds(int seconds) {
    this.progressDeadline = seconds;
    return this;
  }

  ComponentDefinitionBuilder startupFailures(int n) {
    this.startupFailures = n;
    return this;
  }

  ComponentDefinitionBuilder shared(SharedMount... mounts) {
    this.shared = List.of(mounts);
    return this;
  }

  ComponentDefinitionBuilder env(EnvSource... sources) {
    this.env = List.of(sources);
    return this;
  }

  ComponentDefinitionBuilder main() {
    this.main = true;
    return this;
  }

  ComponentDefinitionBuilder disruptionBudget() {
    this.disruptionBudget = true;
    return this;
  }

  ComponentDefinitionBuilder optional() {
    this.optional = true;
    return this;
  }

  /** A third-party image, pinned here: the Pi registry and version do not apply. */
  ComponentDefinitionBuilder fixedImage(String reference) {
    this.fixedImage = reference;
    return this;
  }

  /** The image runs as this non-root uid and gid: its pods run as it, and meet "restricted". */
  ComponentDefinitionBuilder imageUser(long uid) {
    this.imageUser = uid;
    return this;
  }

  ComponentDefinitionBuilder volume(String name, String mountPath, String defaultSize) {
    this.volume = new OwnVolume(name, mountPath, defaultSize);
    return this;
  }

  /** The component can serve HTTPS on its main port (see {@link ServedTls}). */
  ComponentDefinitionBuilder tls(ServedTls served) {
    this.tls = served;
    return this;
  }

  ComponentDefinition build() {
    if (ports.isEmpty() || !"http".equals(ports.get(0).name()) || ports.get(0).internal()) {
      throw new IllegalStateException(part + ": the first port must be named http");
    }
    if ((healthPath == null) == !tcpHealth) {
      throw new IllegalStateException(part + ": give either an HTTP health path or tcpHealth()");
    }
    Objects.requireNonNull(cpu, part + ": sizing");
    if (volume != null && scaling != Scaling.SINGLETON) {
      throw new IllegalStateException(part + ": a ReadWriteOnce volume needs a singleton (one pod, Recreate)");
    }
    return new ComponentDefinition(part, image, conditionPrefix, spec, List.copyOf(ports), healthPath, cpu, memory,
        replicas, scaling, progressDeadline, startupFailures, shared, env, main, disruptionBudget, optional,
        fixedImage, volume, onlyFrom, imageUser, tls);
  }
}
