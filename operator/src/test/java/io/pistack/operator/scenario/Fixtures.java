package io.pistack.operator.scenario;

import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.Quantity;
import io.fabric8.kubernetes.api.model.ResourceRequirements;
import io.fabric8.kubernetes.api.model.ResourceRequirementsBuilder;
import io.fabric8.kubernetes.api.model.SecretBuilder;
import io.pistack.operator.api.v1alpha1.ComponentSpec;
import io.pistack.operator.api.v1alpha1.DashboardSpec;
import io.pistack.operator.api.v1alpha1.PiStack;
import io.pistack.operator.api.v1alpha1.ScalableComponentSpec;
import io.pistack.operator.api.v1alpha1.SchedulerSpec;
import io.pistack.operator.it.Stacks;
import java.util.List;

/**
 * The test stacks, built once and shared by every tier: the repository's samples as a user applies
 * them, and the few variants tests keep building. Each is named "pi" ({@link Cluster#PI}).
 */
public final class Fixtures {
  private Fixtures() {}

  /** samples/minimal.yaml: every component, the embedded MariaDB, a 5Gi shared volume. */
  public static final Fixture MINIMAL = sample("minimal.yaml");

  /** The minimal sample sized to fit a fake node (10m CPU, 64Mi requested per component), with 2 dashboards. */
  public static final Fixture SMALL = new Fixture("minimal, sized for a fake node, 2 dashboards",
      small(Stacks.sample("minimal.yaml", "default")), List.of());

  /** samples/small.yaml: one dashboard, ReadWriteOnce storage. */
  public static final Fixture SMALL_SAMPLE = sample("small.yaml");

  /** samples/production.yaml. */
  public static final Fixture PRODUCTION = sample("production.yaml");

  /** samples/with-backups.yaml: nightly backups to a volume of their own. */
  public static final Fixture WITH_BACKUPS = sample("with-backups.yaml");

  /** samples/external-database.yaml, with the credentials Secret pi-db it names. */
  public static final Fixture EXTERNAL_DATABASE = new Fixture("samples/external-database.yaml",
      Stacks.sample("external-database.yaml", "default"),
      List.<HasMetadata>of(new SecretBuilder().withNewMetadata().withName("pi-db").endMetadata()
          .addToStringData("username", "pi").addToStringData("password", "not-logged").build()));

  private static Fixture sample(String file) {
    return new Fixture("samples/" + file, Stacks.sample(file, "default"), List.of());
  }

  private static PiStack small(PiStack s) {
    ResourceRequirements small = new ResourceRequirementsBuilder().addToRequests("cpu", new Quantity("10m"))
        .addToRequests("memory", new Quantity("64Mi")).addToLimits("memory", new Quantity("1536Mi")).build();
    s.getSpec().dashboard = new DashboardSpec();
    s.getSpec().dashboard.replicas = 2;
    s.getSpec().dashboard.resources = small;
    s.getSpec().scheduler = new SchedulerSpec();
    s.getSpec().scheduler.resources = small;
    s.getSpec().renderer = new ScalableComponentSpec();
    s.getSpec().renderer.resources = small;
    s.getSpec().analytics = new ScalableComponentSpec();
    s.getSpec().analytics.resources = small;
    s.getSpec().excelReader = new ComponentSpec();
    s.getSpec().excelReader.resources = small;
    return s;
  }
}
