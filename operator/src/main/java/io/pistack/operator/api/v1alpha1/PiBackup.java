package io.pistack.operator.api.v1alpha1;

import io.fabric8.crd.generator.annotation.AdditionalPrinterColumn;
import io.fabric8.crd.generator.annotation.AdditionalPrinterColumn.Type;
import io.fabric8.kubernetes.api.model.Namespaced;
import io.fabric8.kubernetes.client.CustomResource;
import io.fabric8.kubernetes.model.annotation.Group;
import io.fabric8.kubernetes.model.annotation.Plural;
import io.fabric8.kubernetes.model.annotation.ShortNames;
import io.fabric8.kubernetes.model.annotation.Version;

/**
 * One backup of one PiStack (same namespace): creating it runs one backup Job with the stack's backup settings;
 * its status says where the backup is, how big, its checksum, and whether it was verified. Its own CRD (and CEL
 * budget), in the PiStack's API group. Deleting it deletes the object and its Jobs, never the backup's data
 * (spec.backup.keep deletes both, on an S3 target by a prune Job first: docs/backup-restore.md).
 */
@Group(PiStack.GROUP)
@Version(PiStack.VERSION)
@ShortNames("pib")
@Plural("pibackups")
@AdditionalPrinterColumn(name = "Stack", type = Type.STRING, jsonPath = ".spec.stack")
@AdditionalPrinterColumn(name = "Phase", type = Type.STRING, jsonPath = ".status.phase")
@AdditionalPrinterColumn(name = "Location", type = Type.STRING, jsonPath = ".status.location")
@AdditionalPrinterColumn(name = "Size", type = Type.INTEGER, jsonPath = ".status.sizeBytes")
@AdditionalPrinterColumn(name = "Verified", type = Type.STRING, jsonPath = ".status.verification.result")
@AdditionalPrinterColumn(name = "Reason", type = Type.STRING,
    jsonPath = ".status.conditions[?(@.type==\"Ready\")].reason", priority = 1)
@AdditionalPrinterColumn(name = "Retained", type = Type.STRING,
    jsonPath = ".status.conditions[?(@.type==\"Retained\")].reason", priority = 1)
@AdditionalPrinterColumn(name = "Age", type = Type.DATE, jsonPath = ".metadata.creationTimestamp")
public class PiBackup extends CustomResource<PiBackupSpec, PiBackupStatus> implements Namespaced {
  public static final String KIND = "PiBackup";

  @Override
  @com.fasterxml.jackson.annotation.JsonPropertyDescription("Which stack to back up. Immutable: one object is one"
      + " backup.")
  public PiBackupSpec getSpec() {
    return super.getSpec();
  }

  @Override
  @com.fasterxml.jackson.annotation.JsonPropertyDescription("What the operator observed; written by the operator"
      + " only (docs/backup-restore.md).")
  public PiBackupStatus getStatus() {
    return super.getStatus();
  }

  @Override
  protected PiBackupStatus initStatus() {
    return null;
  }
}
