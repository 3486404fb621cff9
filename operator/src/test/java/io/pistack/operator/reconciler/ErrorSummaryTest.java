package io.pistack.operator.reconciler;

import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.Status;
import io.fabric8.kubernetes.api.model.StatusBuilder;
import io.fabric8.kubernetes.client.KubernetesClientException;
import org.junit.jupiter.api.Test;

class ErrorSummaryTest {
  @Test
  void aRefusedChildNamesTheObjectAndTheFieldsNeverTheValues() {
    Status status = new StatusBuilder().withCode(422).withReason("Invalid")
        .withMessage("Deployment.apps \"pi-dashboard\" is invalid: spec.template.spec.containers[0].env[3].value:"
            + " Invalid value: \"s3cret-password\"")
        .withNewDetails().withKind("Deployment").withName("pi-dashboard")
        .addNewCause().withField("spec.template.spec.containers[0].env[3].name")
        .withMessage("Invalid value: \"s3cret-password\"").endCause()
        .addNewCause().withField("spec.template.spec.nodeSelector").withMessage("Invalid value: \"x y\"").endCause()
        .endDetails().build();
    String summary = ErrorSummary.of(new RuntimeException(new KubernetesClientException(status)));
    assertThat(summary).isEqualTo("the API server answered 422 Invalid Deployment pi-dashboard field"
        + " spec.template.spec.containers[0].env[3].name, spec.template.spec.nodeSelector");
    assertThat(summary).doesNotContain("s3cret").doesNotContain("x y");
  }

  @Test
  void withoutCausesOnlyTheCodeAndReason() {
    Status status = new StatusBuilder().withCode(409).withReason("Conflict").withMessage("the object changed").build();
    assertThat(ErrorSummary.of(new KubernetesClientException(status))).isEqualTo("the API server answered 409 Conflict");
  }
}
