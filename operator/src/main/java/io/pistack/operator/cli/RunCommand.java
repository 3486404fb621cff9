package io.pistack.operator.cli;

import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;
import io.pistack.operator.access.ApiAccess;
import io.pistack.operator.runtime.LogSetup;
import io.pistack.operator.metrics.OperatorMetrics;
import io.pistack.operator.runtime.OperatorRuntime;
import io.pistack.operator.runtime.RuntimeConfig;
import java.io.PrintWriter;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

/**
 * Runs the operator against the in-cluster configuration (or the kubeconfig), with its settings
 * from environment variables (docs/install.md). SIGTERM stops it gracefully: running reconciles
 * finish, the leader Lease is released, then the process exits.
 */
@Command(name = "run", description = "Run the operator (in-cluster config or kubeconfig; settings from "
    + "PI_OPERATOR_* environment variables, see docs/install.md).")
@ApiAccess.PassesClient("creates the client and hands it to OperatorRuntime")
public class RunCommand implements Callable<Integer> {
  static final int CONFIG_ERROR = 2;
  static final int START_ERROR = 1;
  private static final Logger LOG = LoggerFactory.getLogger(RunCommand.class);

  @Spec
  CommandSpec spec;

  @Override
  public Integer call() throws InterruptedException {
    PrintWriter err = spec.commandLine().getErr();
    RuntimeConfig config;
    try {
      config = RuntimeConfig.fromEnv(System.getenv());
    } catch (RuntimeConfig.InvalidConfigException e) {
      err.println("pi-operator: " + e.getMessage());
      err.flush();
      return CONFIG_ERROR;
    }
    LogSetup.apply(config);
    if (RuntimeConfig.probesOffOutOfCluster(System.getenv())) {
      LOG.info("running outside a cluster (no {}): active health probes are off, as the stacks' Service names"
          + " (<service>.<namespace>.svc) do not resolve here; health is judged from pod readiness only. Set {} (e.g."
          + " 30s) to probe anyway", RuntimeConfig.IN_CLUSTER_ENV, RuntimeConfig.Variable.PROBE_INTERVAL.env);
    }
    OperatorRuntime runtime;
    try {
      KubernetesClient client = new KubernetesClientBuilder().build();
      runtime = OperatorRuntime.builder(client, config).metrics(new OperatorMetrics().withJvmMetrics()).build();
    } catch (RuntimeConfig.InvalidConfigException e) {
      err.println("pi-operator: " + e.getMessage());
      err.flush();
      return CONFIG_ERROR;
    }
    CountDownLatch stopped = new CountDownLatch(1);
    Runtime.getRuntime().addShutdownHook(new Thread(() -> {
      LOG.info("shutting down");
      stopWithin(runtime::stop, OperatorRuntime.STOP_BUDGET);
      stopped.countDown();
    }, "shutdown"));
    try {
      runtime.start();
    } catch (RuntimeException e) {
      String why = causes(e);
      LOG.error("pi-operator could not start: {}", why);
      err.println("pi-operator: could not start: " + why);
      err.flush();
      return START_ERROR;
    }
    stopped.await();
    return 0;
  }

  /**
   * Runs {@code stop} on its own daemon thread and waits at most {@code budget} for it. The JVM
   * halts once the shutdown hooks return, whatever other threads are doing; so the hook must
   * return on time even when the stop cannot finish (a start still waiting for an unreachable API
   * server holds JOSDK's controllers; a Lease release retries against it). Returns whether the
   * stop finished.
   */
  static boolean stopWithin(Runnable stop, java.time.Duration budget) {
    Thread t = new Thread(stop, "stop");
    t.setDaemon(true);
    t.start();
    try {
      t.join(budget.toMillis());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    if (t.isAlive()) {
      LOG.warn("pi-operator did not stop within {} ms; exiting anyway (an interrupted reconcile is redone"
          + " by the next start or leader)", budget.toMillis());
      return false;
    }
    return true;
  }

  /** The cause chain as one line of messages (Kubernetes errors name resources, never content). */
  static String causes(Throwable e) {
    StringBuilder sb = new StringBuilder();
    for (Throwable t = e; t != null; t = t.getCause() == t ? null : t.getCause()) {
      if (sb.length() > 0) {
        sb.append(" <- ");
      }
      sb.append(t.getMessage() == null ? t.getClass().getSimpleName() : t.getMessage());
    }
    return sb.toString();
  }
}
