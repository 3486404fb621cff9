package io.pistack.operator.api.v1alpha1;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.Max;
import io.fabric8.generator.annotation.Min;

/** How a change of spec.version rolls out (docs/upgrade.md). */
@JsonInclude(JsonInclude.Include.NON_NULL)
public class UpgradeSpec {
  public static final int DEFAULT_MIGRATION_TIMEOUT = 600;

  public enum Strategy { Drain, Rolling }

  @JsonPropertyDescription("Drain (default): on a version change the dashboard and scheduler are scaled to zero,"
      + " one dashboard of the new version upgrades the repository schema alone, then the rest follow; two"
      + " versions never run at once. Rolling: pods are replaced one at a time, old and new side by side; only"
      + " for versions known to share a schema. Changes that are not version changes always roll.")
  public Strategy strategy;

  @Min(60)
  @Max(86400)
  @JsonPropertyDescription("Seconds the single migrating dashboard has to become Ready (its startup probe and"
      + " its Deployment's progress deadline during the migration). Default 600.")
  public Integer migrationTimeoutSeconds;
}
