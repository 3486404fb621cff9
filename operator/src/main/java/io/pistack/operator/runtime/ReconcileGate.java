package io.pistack.operator.runtime;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.AbstractExecutorService;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The executor JOSDK runs reconciles on ({@code ConfigurationServiceOverrider#withExecutorService}),
 * with the two gates JOSDK 5.2.3 lacks around the informers' life:
 * <ul>
 *   <li><b>closed until {@link #open()}</b>: a reconcile submitted before every informer has synced
 *       waits here, so none acts on a partly listed cache (JOSDK, told not to stop on a slow or
 *       failed first LIST, starts processing when its sync timeout passes, synced or not);</li>
 *   <li><b>{@link #drain(Duration)}</b> before the informers stop: from then on no reconcile starts
 *       (waiting and queued ones are dropped, later submissions ignored: the next start lists every
 *       stack and reconciles it), and running ones finish, within the budget; after it they are
 *       interrupted. JOSDK's own {@code Operator#stop} stops the informers first and only then waits
 *       for this executor ({@code reconciliationTerminationTimeout}), so a reconcile still running
 *       read caches no longer updated and wrote from them.</li>
 * </ul>
 * One reconcile per stack at a time stays JOSDK's doing: it submits a stack only when none of its
 * reconciles is running or submitted.
 */
final class ReconcileGate extends AbstractExecutorService {
  private static final Logger LOG = LoggerFactory.getLogger(ReconcileGate.class);
  /** How long interrupted reconciles get to end after the budget (each is a few API calls). */
  static final Duration INTERRUPTED_GRACE = Duration.ofMillis(500);
  private static final AtomicInteger POOLS = new AtomicInteger();

  private final ThreadPoolExecutor pool;
  private final List<Runnable> waiting = new ArrayList<>();
  private boolean open;
  private boolean draining;
  private int dropped;

  ReconcileGate(int threads) {
    int n = POOLS.incrementAndGet();
    AtomicInteger seq = new AtomicInteger();
    pool = new ThreadPoolExecutor(threads, threads, 0, TimeUnit.MILLISECONDS, new LinkedBlockingQueue<>(), r -> {
      Thread t = new Thread(r, "reconciler-" + n + "-" + seq.incrementAndGet());
      t.setDaemon(true);
      return t;
    }, (r, p) -> droppedOne());
  }

  @Override
  public void execute(Runnable reconcile) {
    synchronized (this) {
      if (draining) {
        dropped++;
        return;
      }
      if (!open) {
        waiting.add(reconcile);
        return;
      }
    }
    pool.execute(reconcile);
  }

  /** Every informer has synced: the reconciles waiting so far run, and later ones at once. */
  void open() {
    List<Runnable> now;
    synchronized (this) {
      if (open || draining) {
        return;
      }
      open = true;
      now = List.copyOf(waiting);
      waiting.clear();
    }
    now.forEach(pool::execute);
  }

  /**
   * No reconcile starts from now on; waits up to {@code budget} for the running ones to finish,
   * then interrupts what is left and gives it {@link #INTERRUPTED_GRACE}. Returns whether every
   * reconcile had finished within the budget.
   */
  boolean drain(Duration budget) {
    synchronized (this) {
      draining = true;
      dropped += waiting.size();
      waiting.clear();
    }
    pool.shutdown();
    List<Runnable> queued = new ArrayList<>();
    pool.getQueue().drainTo(queued);
    synchronized (this) {
      dropped += queued.size();
    }
    try {
      if (pool.awaitTermination(budget.toMillis(), TimeUnit.MILLISECONDS)) {
        return true;
      }
      LOG.warn("reconciles still running {} ms after the stop began: interrupting them (each is redone by the"
          + " next start or leader)", budget.toMillis());
      pool.shutdownNow();
      pool.awaitTermination(INTERRUPTED_GRACE.toMillis(), TimeUnit.MILLISECONDS);
    } catch (InterruptedException e) {
      pool.shutdownNow();
      Thread.currentThread().interrupt();
    }
    return false;
  }

  /** Reconciles not started because the operator was stopping (each is redone by the next start). */
  synchronized int dropped() {
    return dropped;
  }

  private synchronized void droppedOne() {
    dropped++;
  }

  @Override
  public void shutdown() {
    synchronized (this) {
      draining = true;
      waiting.clear();
    }
    pool.shutdown();
  }

  @Override
  public List<Runnable> shutdownNow() {
    List<Runnable> left;
    synchronized (this) {
      draining = true;
      left = new ArrayList<>(waiting);
      waiting.clear();
    }
    left.addAll(pool.shutdownNow());
    return left;
  }

  @Override
  public boolean isShutdown() {
    return pool.isShutdown();
  }

  @Override
  public boolean isTerminated() {
    return pool.isTerminated();
  }

  @Override
  public boolean awaitTermination(long timeout, TimeUnit unit) throws InterruptedException {
    return pool.awaitTermination(timeout, unit);
  }
}
