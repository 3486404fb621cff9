package io.pistack.operator.realapi;

import io.fabric8.kubernetes.api.model.PersistentVolumeClaim;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.pistack.operator.it.ReconcileLog;
import io.pistack.operator.scenario.BaseCluster;
import io.pistack.operator.scenario.Poller;
import io.pistack.operator.scenario.Tier;
import io.pistack.operator.scenario.Write;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * {@link Tier#REAL}: a {@link RealApiStack} (a namespace of its own in the shared control plane, the
 * licence Secret, the operator in-process watching that namespace through a client whose writes are
 * counted). The control plane has no storage provisioner: every claim that appears in the namespace
 * gets a static volume bound to it (its size and access mode), deleted with the cluster, so a
 * scenario need not know which claims its stack makes. In the realapi package to reach
 * {@link RealApiStack} without widening it.
 */
public final class RealTierCluster extends BaseCluster {
  private final RealApiStack env;
  private final Set<String> volumes = ConcurrentHashMap.newKeySet();
  private final Poller provisioner;

  public RealTierCluster(String label) {
    env = new RealApiStack(label);
    provisioner = new Poller("static-provisioner", 300, this::provision);
  }

  private void provision() {
    try {
      for (PersistentVolumeClaim c : env.admin.persistentVolumeClaims().inNamespace(env.ns).list().getItems()) {
        String name = env.ns + "-" + c.getMetadata().getName();
        if (c.getSpec().getVolumeName() == null && !volumes.contains(name)
            && env.admin.persistentVolumes().withName(name).get() == null) {
          volumes.add(RealApiStack.volume(env.admin, env.ns, c.getMetadata().getName(),
              c.getSpec().getResources().getRequests().get("storage").toString(), c.getSpec().getAccessModes().get(0),
              c.getSpec().getStorageClassName() == null ? "" : c.getSpec().getStorageClassName()));
        }
      }
    } catch (RuntimeException e) {
      // the namespace going away, or a claim deleted meanwhile: the next round sees it again
    }
  }

  @Override
  public Tier tier() {
    return Tier.REAL;
  }

  @Override
  public String namespace() {
    return env.ns;
  }

  @Override
  public KubernetesClient client() {
    return env.admin;
  }

  @Override
  public Duration timeout() {
    return RealApiStack.T;
  }

  @Override
  public ReconcileLog reconciles() {
    return env.reconciles();
  }

  @Override
  public List<Write> operatorWrites() {
    return env.operatorWrites.since(0).stream().map(Write::of).toList();
  }

  @Override
  protected void restartOperator() {
    env.stopOperator();
    env.startOperator();
  }

  @Override
  protected void collectGarbage(String ownerUid) {
    // the real garbage collector does it
  }

  @Override
  public void close() {
    provisioner.close();
    volumes.forEach(v -> env.admin.persistentVolumes().withName(v).delete());
    env.close();
  }
}
