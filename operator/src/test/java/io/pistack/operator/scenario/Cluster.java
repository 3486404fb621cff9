package io.pistack.operator.scenario;

import io.fabric8.kubernetes.api.model.Condition;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.pistack.operator.api.v1alpha1.PiStack;
import io.pistack.operator.it.ReconcileLog;
import java.util.List;
import java.util.function.Consumer;
import java.util.function.Predicate;

/**
 * One test's cluster, whichever tier it runs on: a namespace with the licence Secret and the
 * operator (run in-process, as production wires it) watching it. A test written against this
 * interface runs unchanged on the mock API server ({@link Tier#MOCK}: the fabric8 mock with the SSA
 * shim, the controllers and the garbage collector played by {@link MockControllers}) and on the real
 * one ({@link Tier#REAL}: the shared control plane with the real controllers and kwok). Use it through
 * {@link ScenarioTest}; docs/testing.md, "Writing a test once for both tiers".
 *
 * <p>Every wait here ends on something the operator or a controller did (a completed reconcile of
 * a generation, a condition), bounded by {@link #timeout()}; the writes counted are the operator's
 * own (its client's requests), never the test's or the controllers'.
 */
public interface Cluster extends AutoCloseable {
  /** The stack name the samples use. */
  String PI = "pi";

  Tier tier();

  String namespace();

  /** The test's own client (admin on the real tier): what a user or a controller would use. */
  KubernetesClient client();

  /** The bound of every wait: 30 s on the mock, 120 s on the real tier (a loaded 2-CPU machine). */
  java.time.Duration timeout();

  /** Creates the fixture's prerequisites (e.g. a credentials Secret) and its stack in this namespace. */
  PiStack create(Fixture fixture);

  /** Creates a stack built by the test (its namespace is set to this one). */
  PiStack create(PiStack stack);

  /** The stack as the API server returns it now, or null. */
  PiStack stack(String name);

  /** A user's edit of the stack's spec, retried on conflicts (the operator writes the status meanwhile). */
  void edit(String name, Consumer<PiStack> change);

  /** A child of any kind (Deployment.class, PersistentVolumeClaim.class, ...) by name, or null. */
  <T extends HasMetadata> T child(Class<T> kind, String name);

  /** The names of every object of a kind in this namespace. */
  <T extends HasMetadata> List<String> names(Class<T> kind);

  /**
   * The stack has converged: Ready=True at its current generation (status.observedGeneration), a
   * reconcile of that generation ran to completion, and the operator's writes then stayed unchanged
   * for 3 s (longer than its shortest recheck). Returns the stack as it was then.
   */
  PiStack awaitConverged(String name);

  /** As {@link #awaitConverged(String)}, with the named condition at the status and reason given instead of Ready=True. */
  PiStack awaitConverged(String name, String conditionType, String status, String reason);

  /** Waits until the condition has this status and reason (null: any reason); returns it. */
  Condition awaitCondition(String name, String conditionType, String status, String reason);

  /** The operator's writes since its first start, oldest first (across restarts). */
  List<Write> operatorWrites();

  /** The operator's writes while {@code block} ran (and nothing more: no wait after it). */
  default List<Write> writesDuring(Runnable block) {
    int mark = operatorWrites().size();
    block.run();
    List<Write> all = operatorWrites();
    return List.copyOf(all.subList(mark, all.size()));
  }

  /**
   * The operator's writes from {@code change} (e.g. an edit of a child that leaves nothing to fix)
   * until a reconcile of the stack that started after it ran to completion, and then while every new
   * write stays {@code allowed}, for 2 s more. Proves the reconcile ran before a test asserts what it
   * wrote.
   */
  List<Write> writesAfter(String name, Runnable change, Predicate<Write> allowed);

  /**
   * Restarts the operator (a new client and runtime, as a restarted pod) and returns its writes until
   * its first reconcile of the stack ran to completion and none followed for 2 s.
   */
  List<Write> writesOfARestart(String name);

  /**
   * Deletes the stack and waits until it is gone and the garbage collector has removed everything
   * it owned (on the mock tier {@link MockControllers} plays the collector).
   */
  void delete(String name);

  /** Which reconciles the running operator completed (fresh for every start). */
  ReconcileLog reconciles();

  @Override
  void close();
}
