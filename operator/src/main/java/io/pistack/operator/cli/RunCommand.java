package io.pistack.operator.cli;

import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;
import io.javaoperatorsdk.operator.Operator;
import io.pistack.operator.runtime.OperatorRuntime;
import io.pistack.operator.runtime.RuntimeConfig;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import picocli.CommandLine.Command;

/** Runs the operator against the current kubeconfig or the in-cluster configuration. */
@Command(name = "run", description = "Run the operator (kubeconfig or in-cluster config; settings from env).")
public class RunCommand implements Callable<Integer> {
  @Override
  public Integer call() throws InterruptedException {
    RuntimeConfig config = RuntimeConfig.fromEnv(System.getenv());
    KubernetesClient client = new KubernetesClientBuilder().build();
    Operator operator = OperatorRuntime.create(client, config);
    CountDownLatch stopped = new CountDownLatch(1);
    Runtime.getRuntime().addShutdownHook(new Thread(() -> {
      operator.stop();
      stopped.countDown();
    }, "shutdown"));
    operator.start();
    stopped.await();
    return 0;
  }
}
