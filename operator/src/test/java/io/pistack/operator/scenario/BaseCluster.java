package io.pistack.operator.scenario;

import static org.awaitility.Awaitility.await;

import io.fabric8.kubernetes.api.model.Condition;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.pistack.operator.api.v1alpha1.PiStack;
import io.pistack.operator.it.GarbageCollector;
import io.pistack.operator.it.Quiet;
import io.pistack.operator.it.Stacks;
import io.pistack.operator.status.ConditionType;
import io.pistack.operator.status.Conditions;
import java.time.Duration;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Consumer;
import java.util.function.Predicate;

/**
 * What both tiers do the same way, written once: creating, editing and reading through the test's
 * client, and every wait (converged, a condition, a reconcile after a change, a restart). A tier
 * supplies only its primitives: its client, the operator's writes and reconciles, a restart, and
 * what the garbage collector does after a delete.
 */
public abstract class BaseCluster implements Cluster {
  /** Longer than the operator's shortest recheck (2 s): a shorter window could end before work it has scheduled. */
  static final Duration CONVERGED_QUIET = Duration.ofSeconds(3);
  static final Duration AFTER_RECONCILE_QUIET = Duration.ofSeconds(2);

  /** Restarts the operator: a new client and runtime, as a restarted pod would have. */
  protected abstract void restartOperator();

  /** What the garbage collector does once the stack with this uid is gone (the real tier: nothing, it has one). */
  protected abstract void collectGarbage(String ownerUid);

  @Override
  public PiStack create(Fixture fixture) {
    fixture.prerequisites(namespace()).forEach(o -> client().resource(o).create());
    return create(fixture.stack(namespace()));
  }

  @Override
  public PiStack create(PiStack stack) {
    stack.getMetadata().setNamespace(namespace());
    return client().resource(stack).create();
  }

  @Override
  public PiStack stack(String name) {
    return client().resources(PiStack.class).inNamespace(namespace()).withName(name).get();
  }

  @Override
  public void edit(String name, Consumer<PiStack> change) {
    Stacks.edit(client(), namespace(), name, change);
  }

  @Override
  public <T extends HasMetadata> T child(Class<T> kind, String name) {
    return client().resources(kind).inNamespace(namespace()).withName(name).get();
  }

  @Override
  public <T extends HasMetadata> List<String> names(Class<T> kind) {
    return client().resources(kind).inNamespace(namespace()).list().getItems().stream()
        .map(o -> o.getMetadata().getName()).sorted().toList();
  }

  @Override
  public PiStack awaitConverged(String name) {
    return awaitConverged(name, ConditionType.READY.wire(), "True", null);
  }

  @Override
  public PiStack awaitConverged(String name, String conditionType, String status, String reason) {
    AtomicReference<PiStack> seen = new AtomicReference<>();
    await().atMost(timeout()).until(() -> {
      PiStack s = stack(name);
      seen.set(s);
      return s != null && s.getStatus() != null
          && Objects.equals(s.getStatus().observedGeneration, s.getMetadata().getGeneration())
          && matches(Conditions.find(s.getStatus().conditions, conditionType), status, reason)
          && reconciles().completedAtGeneration(namespace(), name, s.getMetadata().getGeneration());
    });
    Quiet.untilUnchangedFor(CONVERGED_QUIET, timeout(), () -> operatorWrites().size());
    return stack(name);
  }

  @Override
  public Condition awaitCondition(String name, String conditionType, String status, String reason) {
    AtomicReference<Condition> seen = new AtomicReference<>();
    await().atMost(timeout()).until(() -> {
      PiStack s = stack(name);
      Condition c = s == null || s.getStatus() == null ? null : Conditions.find(s.getStatus().conditions, conditionType);
      seen.set(c);
      return matches(c, status, reason);
    });
    return seen.get();
  }

  private static boolean matches(Condition c, String status, String reason) {
    return c != null && status.equals(c.getStatus()) && (reason == null || reason.equals(c.getReason()));
  }

  @Override
  public List<Write> writesAfter(String name, Runnable change, Predicate<Write> allowed) {
    int mark = operatorWrites().size();
    long started = System.nanoTime();
    change.run();
    await().atMost(timeout()).until(() -> reconciles().completedSince(namespace(), name, started));
    Quiet.watch(AFTER_RECONCILE_QUIET, () -> since(mark).stream().allMatch(allowed));
    return since(mark);
  }

  @Override
  public List<Write> writesOfARestart(String name) {
    int mark = operatorWrites().size();
    restartOperator();
    await().atMost(timeout()).until(() -> reconciles().of(namespace(), name) >= 1);
    Quiet.watch(AFTER_RECONCILE_QUIET, () -> operatorWrites().size() == mark);
    return since(mark);
  }

  @Override
  public void delete(String name) {
    PiStack s = stack(name);
    Objects.requireNonNull(s, () -> "no PiStack " + name + " to delete");
    String uid = s.getMetadata().getUid();
    client().resource(s).delete();
    await().atMost(timeout()).until(() -> stack(name) == null);
    collectGarbage(uid);
    await().atMost(timeout()).untilAsserted(() -> org.assertj.core.api.Assertions.assertThat(
        GarbageCollector.owned(client(), namespace(), uid)).as("objects still owned by the deleted stack").isEmpty());
  }

  private List<Write> since(int mark) {
    List<Write> all = operatorWrites();
    return List.copyOf(all.subList(mark, all.size()));
  }
}
