package io.pistack.operator.api.v1alpha1;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.Required;

/** A key of a ConfigMap in the stack's namespace holding SQL, run once after a restore with the stack's user. */
@JsonInclude(JsonInclude.Include.NON_NULL)
public class AfterRestoreSqlSpec {
  @Required
  @JsonPropertyDescription("ConfigMap name.")
  public String configMap;

  @Required
  @JsonPropertyDescription("Key of the SQL.")
  public String key;
}
