package io.pistack.operator.api.v1alpha1;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.Pattern;
import io.fabric8.generator.annotation.Required;
import io.fabric8.generator.annotation.Size;
import java.util.List;

/** One weekly window in which a disruptive change may start (docs/upgrade.md#maintenance-windows). */
@JsonInclude(JsonInclude.Include.NON_NULL)
public class MaintenanceWindowSpec {
  @Size(max = 7)
  @JsonPropertyDescription("Days of the week the window opens on: Mon, Tue, Wed, Thu, Fri, Sat, Sun, a range such as"
      + " Mon-Fri, or daily. Empty: daily.")
  public List<@Size(max = 7) String> days;

  @Required
  @Pattern("^([01][0-9]|2[0-3]):[0-5][0-9]$")
  @JsonPropertyDescription("Local time the window opens, HH:MM (24 hours), in timeZone.")
  public String start;

  @Required
  @Pattern("^[1-9][0-9]{0,3}(m|h)$")
  @JsonPropertyDescription("How long the window stays open, e.g. 30m or 4h (at most 168h). A change that started"
      + " inside the window finishes even when the window closes.")
  public String duration;

  @Size(max = 64)
  @JsonPropertyDescription("IANA time zone of start, e.g. Europe/London. Default UTC.")
  public String timeZone;
}
