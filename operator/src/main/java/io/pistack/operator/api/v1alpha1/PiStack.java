package io.pistack.operator.api.v1alpha1;

import io.fabric8.crd.generator.annotation.AdditionalPrinterColumn;
import io.fabric8.crd.generator.annotation.AdditionalPrinterColumn.Type;
import io.fabric8.generator.annotation.ValidationRule;
import io.fabric8.kubernetes.api.model.Namespaced;
import io.fabric8.kubernetes.client.CustomResource;
import io.fabric8.kubernetes.model.annotation.Group;
import io.fabric8.kubernetes.model.annotation.Plural;
import io.fabric8.kubernetes.model.annotation.ShortNames;
import io.fabric8.kubernetes.model.annotation.Version;

/** One Panintelligence installation: dashboard, scheduler, analytics, renderer, excel-reader, data. */
@Group(PiStack.GROUP)
@Version(PiStack.VERSION)
@ShortNames("pis")
@Plural("pistacks")
@AdditionalPrinterColumn(name = "Ready", type = Type.STRING,
    jsonPath = ".status.conditions[?(@.type==\"Ready\")].status")
@AdditionalPrinterColumn(name = "Reason", type = Type.STRING,
    jsonPath = ".status.conditions[?(@.type==\"Ready\")].reason")
@AdditionalPrinterColumn(name = "Version", type = Type.STRING, jsonPath = ".spec.version")
@AdditionalPrinterColumn(name = "Dashboard", type = Type.STRING, jsonPath = ".status.dashboardReplicas")
@AdditionalPrinterColumn(name = "URL", type = Type.STRING, jsonPath = ".status.url")
@AdditionalPrinterColumn(name = "Warnings", type = Type.STRING, jsonPath = ".status.warnings", priority = 1)
@AdditionalPrinterColumn(name = "Age", type = Type.DATE, jsonPath = ".metadata.creationTimestamp")
@ValidationRule(value = "self.metadata.name.size() <= " + StackName.MAX_LENGTH, message = StackName.LENGTH_MESSAGE)
@ValidationRule(value = "self.metadata.name.matches('" + StackName.FORM + "')", message = StackName.FORM_MESSAGE)
// No fieldPath: the API server accepts none outside the schema's properties; the message names the field.
public class PiStack extends CustomResource<PiStackSpec, PiStackStatus> implements Namespaced {
  public static final String GROUP = "pistack.io";
  public static final String VERSION = "v1alpha1";

  /** Read leniently: a spec the model cannot read is that stack's InvalidSpec, not the informer's failure. */
  @Override
  @com.fasterxml.jackson.databind.annotation.JsonDeserialize(using = UnreadableSpec.Reader.class)
  public void setSpec(PiStackSpec spec) {
    super.setSpec(spec);
  }

  @Override
  @com.fasterxml.jackson.annotation.JsonPropertyDescription("The desired Panintelligence installation.")
  public PiStackSpec getSpec() {
    return super.getSpec();
  }

  @Override
  @com.fasterxml.jackson.annotation.JsonPropertyDescription("What the operator observed; written by the operator"
      + " only (docs/status.md).")
  public PiStackStatus getStatus() {
    return super.getStatus();
  }

  @Override
  protected PiStackStatus initStatus() {
    return null;
  }
}
