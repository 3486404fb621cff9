package io.pistack.operator.scenario;

import io.fabric8.kubernetes.client.KubernetesClient;
import io.pistack.operator.it.GarbageCollector;
import io.pistack.operator.it.MockCluster;
import io.pistack.operator.it.ReconcileLog;
import io.pistack.operator.it.Stacks;
import java.time.Duration;
import java.util.List;

/**
 * {@link Tier#MOCK}: a {@link MockCluster} of its own (the operator as production wires it, in JOSDK's
 * SSA mode), the licence Secret, and {@link MockControllers} playing the controllers in the namespace.
 * The operator's writes are its client's (told apart by {@link MockCluster#OPERATOR_USER_AGENT}).
 */
public final class MockTierCluster extends BaseCluster {
  private final MockCluster cluster;
  private final String ns;
  private final MockControllers controllers;

  MockTierCluster(String label) {
    ns = label;
    cluster = new MockCluster().startOperator();
    Stacks.licenceSecret(cluster.client, ns);
    controllers = new MockControllers(cluster.client, ns);
  }

  /** The mock itself, for what only this tier can show (its request counts, e.g.). */
  public MockCluster mock() {
    return cluster;
  }

  @Override
  public Tier tier() {
    return Tier.MOCK;
  }

  @Override
  public String namespace() {
    return ns;
  }

  @Override
  public KubernetesClient client() {
    return cluster.client;
  }

  @Override
  public Duration timeout() {
    return Duration.ofSeconds(30);
  }

  @Override
  public ReconcileLog reconciles() {
    return cluster.reconciles();
  }

  @Override
  public List<Write> operatorWrites() {
    return cluster.dispatcher.writesBy(MockCluster.OPERATOR_USER_AGENT).stream().map(Write::of).toList();
  }

  @Override
  protected void restartOperator() {
    cluster.startOperator();
  }

  @Override
  protected void collectGarbage(String ownerUid) {
    GarbageCollector.collectCascading(cluster.client, ns, ownerUid);
  }

  @Override
  public void close() {
    controllers.close();
    cluster.close();
  }
}
