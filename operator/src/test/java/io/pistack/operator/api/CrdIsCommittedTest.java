package io.pistack.operator.api;

import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.crd.generator.annotation.AdditionalPrinterColumn;
import io.fabric8.kubernetes.api.model.apiextensions.v1.CustomResourceColumnDefinition;
import io.fabric8.kubernetes.api.model.apiextensions.v1.CustomResourceDefinition;
import io.fabric8.kubernetes.client.utils.Serialization;
import io.pistack.operator.api.v1alpha1.PiStack;
import io.pistack.operator.it.Stacks;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * crds/ holds the CRD the crd-generator makes from the Java API, with one change: the printer
 * columns in the order PiStack declares them (Ready first, Age last) — the generator sorts them by
 * JSON path. The build fails when the committed copy is stale. Refresh it with:
 * mvn -pl operator test -Dtest=CrdIsCommittedTest -Dcrd.refresh=true (which also refreshes the
 * Helm chart's copy, checked by CrdSyncTest).
 */
class CrdIsCommittedTest {
  static final String FILE = "pistacks.pistack.io-v1.yml";
  /** Every CRD the operator serves, each generated from its own class (its own CEL budget). */
  static final java.util.Map<String, Class<? extends io.fabric8.kubernetes.client.CustomResource<?, ?>>> CRDS =
      java.util.Map.of(FILE, PiStack.class,
          "pibackups.pistack.io-v1.yml", io.pistack.operator.api.v1alpha1.PiBackup.class);

  @Test
  void committedCrdMatchesTheGeneratedOne() throws IOException {
    for (String file : CRDS.keySet()) {
      committedCrdMatchesTheGeneratedOne(file);
    }
  }

  private void committedCrdMatchesTheGeneratedOne(String file) throws IOException {
    final String FILE = file;
    Path generated = Path.of("target/classes/META-INF/fabric8").resolve(FILE);
    Path committed = Stacks.repoRoot().resolve("crds").resolve(FILE);
    assertThat(generated).as("the crd-generator plugin output").exists();
    String expected = withDeclaredColumnOrder(Files.readString(generated), CRDS.get(FILE));
    if (Boolean.getBoolean("crd.refresh")) {
      Files.writeString(committed, expected);
      Files.writeString(Stacks.repoRoot().resolve("helm/pi-operator/crds").resolve(FILE), expected);
    }
    assertThat(committed).as("crds/" + FILE + " is missing").exists();
    assertThat(Files.readString(committed))
        .as("crds/%s is stale: the Java API changed. Refresh it with\n"
            + "  mvn -pl operator test -Dtest=CrdIsCommittedTest -Dcrd.refresh=true\nand commit crds/.", FILE)
        .isEqualTo(expected);
  }

  @Test
  void kubectlGetShowsReadyFirstAndAgeLast() throws IOException {
    CustomResourceDefinition crd = Serialization.unmarshal(
        Files.readString(Stacks.repoRoot().resolve("crds").resolve(FILE)), CustomResourceDefinition.class);
    assertThat(crd.getSpec().getVersions().get(0).getAdditionalPrinterColumns())
        .extracting(CustomResourceColumnDefinition::getName)
        .containsExactly("Ready", "Reason", "Version", "Dashboard", "URL", "Warnings", "Age");
  }

  @Test
  void kubectlGetPibackupsIsTheBackupList() throws IOException {
    CustomResourceDefinition crd = Serialization.unmarshal(
        Files.readString(Stacks.repoRoot().resolve("crds").resolve("pibackups.pistack.io-v1.yml")),
        CustomResourceDefinition.class);
    assertThat(crd.getSpec().getVersions().get(0).getAdditionalPrinterColumns())
        .extracting(CustomResourceColumnDefinition::getName)
        .containsExactly("Stack", "Phase", "Location", "Size", "Verified", "Reason", "Retained", "Age");
  }

  static String withDeclaredColumnOrder(String yaml) {
    return withDeclaredColumnOrder(yaml, PiStack.class);
  }

  static String withDeclaredColumnOrder(String yaml, Class<?> kind) {
    CustomResourceDefinition crd = Serialization.unmarshal(yaml, CustomResourceDefinition.class);
    List<String> order = Arrays.stream(kind.getAnnotationsByType(AdditionalPrinterColumn.class))
        .map(AdditionalPrinterColumn::name).toList();
    crd.getSpec().getVersions().forEach(v -> v.getAdditionalPrinterColumns()
        .sort(Comparator.comparingInt(c -> order.indexOf(c.getName()))));
    return "# Generated from the Java API (operator/src/main/java/io/pistack/operator/api) by the fabric8\n"
        + "# crd-generator; printer columns in declared order. Do not edit: see CrdIsCommittedTest.\n"
        + Serialization.asYaml(crd);
  }
}
