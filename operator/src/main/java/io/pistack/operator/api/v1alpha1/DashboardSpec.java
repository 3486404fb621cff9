package io.pistack.operator.api.v1alpha1;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.Max;
import io.fabric8.generator.annotation.Min;

/** The dashboard and its Tomcat settings. */
@JsonInclude(JsonInclude.Include.NON_NULL)
public class DashboardSpec extends ScalableComponentSpec {
  @Min(256)
  @JsonPropertyDescription("Tomcat JVM max memory in MiB (PI_TOMCAT_MAX_MEMORY). Default: the memory limit"
      + " minus 1024 MiB.")
  public Integer tomcatMaxMemoryMb;

  @Min(1)
  @Max(10000)
  @JsonPropertyDescription("Tomcat max threads (PI_TOMCAT_MAX_THREADS). Default: the image's.")
  public Integer tomcatMaxThreads;

  @Min(1)
  @Max(10000)
  @JsonPropertyDescription("Max total repository DB connections (PI_TOMCAT_MAX_TOTAL_DB_CONNECTIONS).")
  public Integer maxDbConnections;

  @JsonPropertyDescription("Session cookie name (PI_TOMCAT_COOKIE_NAME).")
  public String cookieName;

  @JsonPropertyDescription("Origins allowed to embed the dashboard (PI_TOMCAT_FRAME_ANCESTORS).")
  public String frameAncestors;
}
