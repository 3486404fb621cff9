package io.pistack.operator.api.v1alpha1;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.ValidationRule;

@JsonInclude(JsonInclude.Include.NON_NULL)
@ValidationRule(value = "!(has(self.external) && has(self.embedded))",
    message = "set either database.external or database.embedded, not both")
public class DatabaseSpec {
  @JsonPropertyDescription("Use an existing MariaDB/MySQL server. When absent an embedded MariaDB is run.")
  public ExternalDatabaseSpec external;

  @JsonPropertyDescription("Settings of the embedded MariaDB (the default).")
  public EmbeddedDatabaseSpec embedded;
}
