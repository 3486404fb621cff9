package io.pistack.operator.runtime;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** The executor's two gates: nothing runs before {@link ReconcileGate#open}, nothing starts after a drain began. */
class ReconcileGateTest {

  @Test
  void reconcilesSubmittedBeforeTheCachesSyncedWaitUntilOpen() throws Exception {
    ReconcileGate gate = new ReconcileGate(2);
    CountDownLatch ran = new CountDownLatch(3);
    for (int i = 0; i < 3; i++) {
      gate.execute(ran::countDown);
    }
    assertThat(ran.await(300, TimeUnit.MILLISECONDS)).as("ran before open").isFalse();
    assertThat(ran.getCount()).isEqualTo(3);
    gate.open();
    assertThat(ran.await(5, TimeUnit.SECONDS)).as("ran after open").isTrue();
    gate.drain(Duration.ofSeconds(1));
  }

  @Test
  void aDrainLetsRunningReconcilesFinishAndStartsNoOther() throws Exception {
    ReconcileGate gate = new ReconcileGate(1);
    gate.open();
    CountDownLatch running = new CountDownLatch(1);
    CountDownLatch letGo = new CountDownLatch(1);
    List<String> done = new CopyOnWriteArrayList<>();
    gate.execute(() -> {
      running.countDown();
      try {
        letGo.await();
      } catch (InterruptedException e) {
        done.add("interrupted");
        return;
      }
      done.add("running one");
    });
    gate.execute(() -> done.add("queued one"));
    assertThat(running.await(5, TimeUnit.SECONDS)).isTrue();
    Thread later = new Thread(() -> {
      sleep(200);
      gate.execute(() -> done.add("submitted during the drain"));
      letGo.countDown();
    });
    later.start();
    assertThat(gate.drain(Duration.ofSeconds(5))).as("finished within the budget").isTrue();
    assertThat(done).containsExactly("running one");
    assertThat(gate.dropped()).isEqualTo(2);
    assertThat(gate.isTerminated()).isTrue();
  }

  @Test
  void aReconcileStillRunningAfterTheBudgetIsInterrupted() throws Exception {
    ReconcileGate gate = new ReconcileGate(1);
    gate.open();
    CountDownLatch running = new CountDownLatch(1);
    List<String> done = new CopyOnWriteArrayList<>();
    gate.execute(() -> {
      running.countDown();
      try {
        Thread.sleep(60_000);
      } catch (InterruptedException e) {
        done.add("interrupted");
      }
    });
    assertThat(running.await(5, TimeUnit.SECONDS)).isTrue();
    long begin = System.nanoTime();
    assertThat(gate.drain(Duration.ofMillis(300))).as("finished within the budget").isFalse();
    assertThat(Duration.ofNanos(System.nanoTime() - begin)).isLessThan(Duration.ofSeconds(3));
    assertThat(done).containsExactly("interrupted");
  }

  private static void sleep(long millis) {
    try {
      Thread.sleep(millis);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
