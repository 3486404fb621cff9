package io.pistack.operator.api.v1alpha1;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.Max;
import io.fabric8.generator.annotation.Min;
import io.fabric8.generator.annotation.Size;

/**
 * The maintenance page (docs/maintenance-page.md): while a drained upgrade, a restore or hibernation keeps the
 * dashboard down, its Service answers with a small page (HTTP 503 with Retry-After) instead of connection errors.
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public class MaintenancePageSpec {
  public static final String DEFAULT_IMAGE = "docker.io/nginxinc/nginx-unprivileged:1.27-alpine";
  public static final int DEFAULT_RETRY_AFTER = 120;

  @JsonPropertyDescription("Show the maintenance page while a drained upgrade, a restore or hibernation keeps the"
      + " dashboard down (default true). Never shown while a stack is first installed.")
  public Boolean enabled;

  @Size(max = 512)
  @JsonPropertyDescription("The page's image: an unprivileged nginx (it runs `nginx -c` on the configuration the"
      + " operator writes, as user 101, listening on the dashboard's port). Default "
      + DEFAULT_IMAGE + ".")
  public String image;

  @Min(10)
  @Max(3600)
  @JsonPropertyDescription("The Retry-After header (seconds) of the page's 503 answers, and how often the page"
      + " reloads itself. Default 120.")
  public Integer retryAfterSeconds;
}
