package io.pistack.operator.plugin;

import io.fabric8.kubernetes.api.model.APIResourceList;
import io.fabric8.kubernetes.api.model.ObjectMetaBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.pistack.operator.api.v1alpha1.PiBackup;
import io.pistack.operator.api.v1alpha1.PiBackupSpec;
import io.pistack.operator.api.v1alpha1.PiStack;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;

/**
 * The PiBackup {@code kubectl pi backup} creates: {@code <stack>-<yyyyMMdd-HHmmss>} (UTC), the user's own object
 * (no operator label: the operator never prunes or deletes it), and whether the cluster serves PiBackups at all
 * (the API discovery of pistack.io/v1alpha1, which every authenticated user may read).
 */
final class OnDemandPiBackup {
  private static final DateTimeFormatter TIME = DateTimeFormatter.ofPattern("yyyyMMdd-HHmmss").withZone(ZoneOffset.UTC);

  private OnDemandPiBackup() {}

  static PiBackup of(String namespace, String stack, boolean verify, Instant now) {
    PiBackup b = new PiBackup();
    b.setMetadata(new ObjectMetaBuilder().withName(stack + "-" + TIME.format(now)).withNamespace(namespace).build());
    b.setSpec(new PiBackupSpec());
    b.getSpec().stack = stack;
    if (verify) {
      b.getSpec().verify = true;
    }
    return b;
  }

  /** The cluster serves pibackups in pistack.io/v1alpha1 (the CRD is installed). */
  static boolean served(KubernetesClient client) {
    try {
      APIResourceList list = client.getApiResources(PiStack.GROUP + "/" + PiStack.VERSION);
      return list != null && list.getResources() != null
          && list.getResources().stream().anyMatch(r -> "pibackups".equals(r.getName()));
    } catch (KubernetesClientException e) {
      return false;
    }
  }
}
