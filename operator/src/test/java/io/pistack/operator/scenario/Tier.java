package io.pistack.operator.scenario;

/** Where a scenario runs. */
public enum Tier {
  /** The fabric8 mock API server with the SSA shim; the controllers and the garbage collector played. */
  MOCK,
  /** The shared real control plane (etcd, kube-apiserver, controller-manager, scheduler, kwok), a namespace per test. */
  REAL;

  /** A new cluster on this tier for one test; {@code label} names its namespace. */
  public Cluster open(String label) {
    return this == MOCK ? new MockTierCluster(label) : new io.pistack.operator.realapi.RealTierCluster(label);
  }
}
