package io.pistack.operator.it;

import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.util.Objects;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.BooleanSupplier;
import java.util.function.Supplier;

/**
 * Conditions about things <em>not</em> happening, for tests that have first proved that what they
 * waited for did happen (a completed reconcile of the stack, see {@link ReconcileLog}): no blind sleeps.
 */
public final class Quiet {
  private Quiet() {}

  /**
   * Waits until {@code value} has not changed for {@code window} (at most {@code atMost}): e.g. the
   * operator's write count, before a test takes the snapshot it later compares against.
   */
  public static void untilUnchangedFor(Duration window, Duration atMost, Supplier<?> value) {
    AtomicReference<Object> last = new AtomicReference<>(value.get());
    AtomicLong since = new AtomicLong(System.nanoTime());
    await().atMost(atMost).pollInterval(Duration.ofMillis(100)).until(() -> {
      Object now = value.get();
      if (!Objects.equals(now, last.get())) {
        last.set(now);
        since.set(System.nanoTime());
      }
      return System.nanoTime() - since.get() >= window.toNanos();
    });
  }

  /**
   * Watches {@code holds} for {@code window} and returns as soon as it turns false, so the caller's
   * assertion that follows says what happened. Only after a proof that the reconcile ran.
   */
  public static void watch(Duration window, BooleanSupplier holds) {
    long end = System.nanoTime() + window.toNanos();
    while (System.nanoTime() < end && holds.getAsBoolean()) {
      try {
        Thread.sleep(100);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        return;
      }
    }
  }
}
