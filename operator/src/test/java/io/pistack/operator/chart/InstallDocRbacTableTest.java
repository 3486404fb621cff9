package io.pistack.operator.chart;

import static org.assertj.core.api.Assertions.assertThat;

import io.pistack.operator.it.Stacks;
import java.io.IOException;
import java.nio.file.Files;
import java.util.Arrays;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/**
 * docs/install.md's RBAC table is what a user grants by hand with {@code rbac.create: false}: it
 * must list exactly what the chart grants (group, resource, verb), leader election's Lease included.
 */
class InstallDocRbacTableTest {
  private static final Set<String> VERBS = Set.of("get", "list", "watch", "create", "update", "patch", "delete");

  @Test
  void theTableListsExactlyWhatTheChartGrants() throws IOException {
    Set<String> granted = new TreeSet<>();
    RbacCompletenessTest.granted(Chart.render(ValueSets.HA)).forEach(p ->
        granted.add(p.group() + " " + p.resource() + " " + p.verb()));

    String install = Files.readString(Stacks.repoRoot().resolve("docs/install.md"));
    String section = install.substring(install.indexOf("## RBAC"), install.indexOf("## Runtime configuration"));
    Set<String> documented = new TreeSet<>();
    Matcher row = Pattern.compile("(?m)^\\| `([^`]*)` \\| ([^|]+) \\| ([^|]+) \\|").matcher(section);
    while (row.find()) {
      String group = row.group(1).equals("\"\"") ? "" : row.group(1);
      for (String resource : row.group(2).replace("`", "").split(",")) {
        Arrays.stream(row.group(3).split("[^a-z]+")).filter(VERBS::contains)
            .forEach(verb -> documented.add(group + " " + resource.strip() + " " + verb));
      }
    }
    assertThat(documented).as("docs/install.md's RBAC table").isEqualTo(granted);
  }
}
