package io.pistack.operator.api.v1alpha1;

import com.fasterxml.jackson.annotation.JsonInclude;
import io.fabric8.generator.annotation.ValidationRule;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.Max;
import io.fabric8.generator.annotation.Min;

/** The dashboard and its Tomcat settings. */
@JsonInclude(JsonInclude.Include.NON_NULL)
// Without resources the heap is checked against the default limit here; against a memory limit that is given it is
// checked by the operator (model.SpecValidator, InvalidSpec), not by CEL: a rule reading the memory limit costs as
// much as a whole request (see ComponentSpec.resources).
@ValidationRule(value = "!has(self.tomcatMaxMemoryMb) || has(self.resources) || self.tomcatMaxMemoryMb < 4096",
    message = DashboardSpec.HEAP_MESSAGE, fieldPath = ".tomcatMaxMemoryMb")
public class DashboardSpec extends ScalableComponentSpec {
  public static final String HEAP_MESSAGE = "tomcatMaxMemoryMb must be below the dashboard's memory limit (4096Mi"
      + " unless resources are given): the heap and the JVM's own memory must fit in the container";
  public static final String DERIVED_HEAP_MESSAGE = "the dashboard's memory limit must be above 512Mi: the Tomcat"
      + " heap is the limit minus 1024Mi and at least 512Mi; or set tomcatMaxMemoryMb below the limit";

  @Min(256)
  @Max(1048576)
  @JsonPropertyDescription("Tomcat JVM max memory in MiB (PI_TOMCAT_MAX_MEMORY), below the memory limit."
      + " Default: the memory limit minus 1024 MiB, at least 512 (so a limit of at most 512Mi is refused).")
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

  @JsonPropertyDescription("HTTPS served by Tomcat itself (PI_TOMCAT_USE_HTTPS) with the certificate of a"
      + " kubernetes.io/tls Secret. Off by default (TLS ends at the Ingress). See docs/https.md.")
  public HttpsSpec https;
}
