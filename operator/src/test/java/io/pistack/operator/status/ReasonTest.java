package io.pistack.operator.status;

import static org.assertj.core.api.Assertions.assertThat;

import io.pistack.operator.health.WorkloadIssues;
import io.pistack.operator.it.Stacks;
import io.pistack.operator.model.SpecWarnings;
import java.io.IOException;
import java.lang.reflect.Field;
import java.lang.reflect.Modifier;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/** The reasons are one list (Reason), the code writes no other, and docs/status.md explains exactly these. */
class ReasonTest {
  private static final Pattern LITERAL = Pattern.compile("\"([A-Z][A-Za-z0-9]*)\"");
  private static final Pattern CAMEL = Pattern.compile("`([A-Z][A-Za-z0-9]+)`");
  /**
   * CamelCase words in the status, reconciler and health code that are not reasons: condition statuses, Event
   * types, probe results, Kubernetes' condition types, and the kubelet's ErrImagePull (reported as
   * ImagePullBackOff).
   */
  private static final Set<String> NOT_REASONS = Set.of("True", "False", "Unknown", "Normal", "Warning", "Healthy",
      "Unhealthy", "PodScheduled", "ErrImagePull");

  @Test
  void everyReasonTheCodeWritesIsInTheEnum() throws IOException {
    Path main = Stacks.repoRoot().resolve("operator/src/main/java/io/pistack/operator");
    Set<String> known = new TreeSet<>(wires().keySet());
    Arrays.stream(ConditionType.values()).filter(t -> t != ConditionType.COMPONENT).map(ConditionType::wire)
        .forEach(known::add);
    Set<String> unknown = new TreeSet<>();
    for (String pkg : List.of("status", "reconciler", "health")) {
      try (Stream<Path> files = Files.walk(main.resolve(pkg))) {
        for (Path f : files.filter(p -> p.toString().endsWith(".java")).toList()) {
          if (f.endsWith("Reason.java") || f.endsWith("ConditionType.java")) {
            continue;
          }
          Matcher m = LITERAL.matcher(Files.readString(f));
          while (m.find()) {
            if (!known.contains(m.group(1)) && !NOT_REASONS.contains(m.group(1))) {
              unknown.add(f.getFileName() + ": " + m.group(1));
            }
          }
        }
      }
    }
    assertThat(unknown).as("reasons written outside the Reason enum").isEmpty();
  }

  @Test
  void theKubeletsFaultsAndTheSpecWarningsAreInTheEnum() throws IllegalAccessException {
    Set<String> faults = new TreeSet<>(WorkloadIssues.WAITING_FAULTS);
    faults.remove("ErrImagePull");
    faults.addAll(List.of(WorkloadIssues.OOM_KILLED, WorkloadIssues.IMAGE_PULL));
    faults.forEach(f -> assertThat(Reason.of(f)).as(f).hasValueSatisfying(
        r -> assertThat(r.category()).isEqualTo(Reason.Category.FAULT)));
    assertThat(Reason.of(WorkloadIssues.UNSCHEDULABLE)).contains(Reason.UNSCHEDULABLE);

    Set<String> warnings = new TreeSet<>();
    for (Field f : SpecWarnings.class.getFields()) {
      if (Modifier.isStatic(f.getModifiers()) && f.getType() == String.class) {
        warnings.add((String) f.get(null));
      }
    }
    assertThat(warnings).isEqualTo(Arrays.stream(Reason.values())
        .filter(r -> r.category() == Reason.Category.SPEC_WARNING).map(Reason::wire)
        .collect(Collectors.toCollection(TreeSet::new)));
  }

  /** What each list in the code said before the enum (TransitionEvents, BackupRestoreStatus, StatusMetrics). */
  @Test
  void eventsAndMetricsReadTheCategories() {
    assertThat(wiresWhere(Reason::announcedUnderOwnName)).containsExactlyInAnyOrder("InvalidSpec",
        "RefusedByPolicy", "RestoreSourceRefused", "GatewayApiMissing", "SecretNotFound", "NameTaken", "CredentialsMissing", "RootUserRefused", "UserNameRefused",
        "ReconcileFailed", "PreUpgradeBackupFailed", "RestoreRefused", "RestoreFailed", "UpgradeMigrationStuck");
    // One rule since 2026-12-06: the database credentials' problems count too (before, three lists disagreed and
    // CredentialsMissing, RootUserRefused and UserNameRefused raised no PiOperatorReconcileErrors alert).
    assertThat(wiresWhere(Reason::countsAsError)).containsExactlyInAnyOrder("InvalidSpec", "RefusedByPolicy",
        "RestoreSourceRefused", "GatewayApiMissing",
        "ReconcileFailed", "SecretNotFound", "NameTaken", "CredentialsMissing", "RootUserRefused", "UserNameRefused");
    assertThat(wiresWhere(r -> r.category() == Reason.Category.GATE_FAILURE)).containsExactlyInAnyOrder(
        "PreUpgradeBackupFailed", "RestoreRefused", "RestoreFailed", "UpgradeMigrationStuck");
  }

  @Test
  void docsStatusExplainsEveryReason() throws IOException {
    String doc = Files.readString(Stacks.repoRoot().resolve("docs/status.md"));
    List<String> missing = Arrays.stream(Reason.values()).map(Reason::wire)
        .filter(w -> !doc.contains("`" + w + "`")).toList();
    assertThat(missing).as("reasons docs/status.md does not name").isEmpty();
  }

  @Test
  void docsStatusNamesNoOtherReasonAndGivesEachEventItsType() throws IOException {
    List<String> doc = Files.readAllLines(Stacks.repoRoot().resolve("docs/status.md"));
    Map<String, Reason> wires = wires();
    Set<String> unknown = new TreeSet<>();
    String section = "";
    for (String line : doc) {
      if (line.startsWith("## ")) {
        section = line;
        continue;
      }
      if (!line.startsWith("| ") || line.startsWith("| ---")) {
        continue;
      }
      String[] cells = line.split("\\|");
      if (section.equals("## Reasons") || section.equals("## Warnings")) {
        camel(cells[1]).stream().filter(w -> !wires.containsKey(w) && !w.equals("Reason")).forEach(unknown::add);
      } else if (section.equals("## Events") && !cells[1].isBlank() && !cells[1].contains("type")) {
        Reason.Event type = Reason.Event.valueOf(cells[1].trim().toUpperCase());
        for (String w : camel(cells[2])) {
          assertThat(wires).as("event reason %s", w).containsKey(w);
          assertThat(wires.get(w).event()).as("the type of event %s", w).isEqualTo(type);
        }
      }
    }
    assertThat(unknown).as("reasons docs/status.md names that the operator does not write").isEmpty();
  }

  private static List<String> camel(String cell) {
    Matcher m = CAMEL.matcher(cell);
    List<String> out = new java.util.ArrayList<>();
    while (m.find()) {
      out.add(m.group(1));
    }
    return out;
  }

  private static Map<String, Reason> wires() {
    Map<String, Reason> byWire = new LinkedHashMap<>();
    for (Reason r : Reason.values()) {
      assertThat(byWire.put(r.wire(), r)).as("one constant per wire string: %s", r.wire()).isNull();
    }
    return byWire;
  }

  private static Set<String> wiresWhere(java.util.function.Predicate<Reason> p) {
    return Arrays.stream(Reason.values()).filter(p).map(Reason::wire).collect(Collectors.toSet());
  }
}
