package io.pistack.operator.scenario;

import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/**
 * A task a tier runs in the background every few hundred milliseconds (a played controller, a
 * provisioner) on a daemon thread of its own, until closed. A round that fails is retried by the
 * next: the task catches what it expects (a conflict, an object just deleted).
 */
public final class Poller implements AutoCloseable {
  private final ScheduledExecutorService loop;

  public Poller(String name, long everyMillis, Runnable round) {
    loop = Executors.newSingleThreadScheduledExecutor(r -> {
      Thread t = new Thread(r, name);
      t.setDaemon(true);
      return t;
    });
    loop.scheduleWithFixedDelay(round, 0, everyMillis, TimeUnit.MILLISECONDS);
  }

  @Override
  public void close() {
    loop.shutdownNow();
    try {
      loop.awaitTermination(5, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
