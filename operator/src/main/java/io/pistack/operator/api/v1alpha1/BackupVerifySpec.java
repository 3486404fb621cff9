package io.pistack.operator.api.v1alpha1;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.Pattern;
import java.util.List;

/** Verification of each new backup by restoring it into a throwaway MariaDB. */
@JsonInclude(JsonInclude.Include.NON_NULL)
public class BackupVerifySpec {
  public static final List<String> DEFAULT_KEY_TABLES = List.of("mis_user");

  @JsonPropertyDescription("Verify each new successful backup with a Job that restores it into a throwaway MariaDB"
      + " (an emptyDir, no network) and checks it. Default true.")
  public Boolean enabled;

  @JsonPropertyDescription("Tables that must have rows after the restore. Default [mis_user].")
  public List<@Pattern("^[A-Za-z0-9_]{1,64}$") String> keyTables;
}
