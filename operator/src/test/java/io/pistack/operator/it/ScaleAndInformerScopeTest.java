package io.pistack.operator.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.pistack.operator.api.v1alpha1.PiStack;
import io.pistack.operator.model.Labels;
import io.pistack.operator.status.ConditionType;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Counts, not seconds (the mock scans its whole store per request, so wall time measures the
 * mock): writes per stack to converge, writes per stack on a restart, and the scope of every
 * LIST/WATCH the operator makes.
 */
class ScaleAndInformerScopeTest {
  static final int STACKS = 40;
  static final String NS = "scale";
  MockCluster cluster;

  @BeforeEach
  void start() {
    cluster = new MockCluster().startOperator();
  }

  @AfterEach
  void stop() {
    cluster.close();
  }

  @Test
  void manyStacksConvergeWithBoundedWritesAndRestartWithNone() {
    Stacks.licenceSecret(cluster.client, NS);
    int before = cluster.dispatcher.writes().size();
    for (int i = 0; i < STACKS; i++) {
      PiStack s = Stacks.sample("minimal.yaml", NS);
      s.getMetadata().setName("pi" + i);
      cluster.client.resource(s).create();
    }
    await().atMost(Duration.ofMinutes(4)).pollInterval(Duration.ofSeconds(2)).until(() ->
        cluster.client.resources(PiStack.class).inNamespace(NS).list().getItems().stream()
            .allMatch(s -> s.getStatus() != null && s.getStatus().observedGeneration != null));
    // Every stack's first reconcile ran to the end, and the writes (Events, status) then stopped.
    await().atMost(Duration.ofSeconds(60)).until(() -> java.util.stream.IntStream.range(0, STACKS)
        .allMatch(i -> cluster.reconciles().completedAtGeneration(NS, "pi" + i, 1)));
    Quiet.untilUnchangedFor(Duration.ofSeconds(2), Duration.ofSeconds(60), () -> cluster.dispatcher.writes().size());

    List<String> writes = cluster.dispatcher.writes();
    List<String> operatorWrites = writes.subList(before, writes.size()).stream()
        .filter(w -> !w.startsWith("POST /apis/pistack.io")).toList();
    double perStack = operatorWrites.size() / (double) STACKS;
    // Per stack: 24 objects created (3 Secrets (credentials, root's, the backup user's), PVC, StatefulSet, 7
    // Services (the dashboard's internal one too), 5 Deployments, PDB, 6 NetworkPolicies: one per component and
    // the database's), status writes, and Events (Created, ...). Measured and bounded, not guessed (measured:
    // 26.00 per stack, 22.00 before the 4 component policies; the bound keeps its slack of 5 above the objects).
    System.out.printf("scale: %d stacks, %d operator writes, %.2f per stack%n", STACKS, operatorWrites.size(), perStack);
    long creates = operatorWrites.stream().filter(w -> !w.contains("/pistacks/") && !w.contains("/events")).count();
    assertThat(creates).as("object writes").isEqualTo(24L * STACKS);
    assertThat(perStack).as("all writes per stack").isLessThanOrEqualTo(29.0);
    long statusWrites = operatorWrites.stream().filter(w -> w.contains("/pistacks/") && w.contains("/status")).count();
    assertThat(statusWrites / (double) STACKS).as("status writes per stack").isLessThanOrEqualTo(1.1);

    cluster.stopOperator();
    int mark = cluster.dispatcher.writes().size();
    cluster.startOperator();
    // The restarted operator reconciled every stack to the end, then wrote nothing for 2 s more.
    await().atMost(Duration.ofSeconds(60)).until(() -> java.util.stream.IntStream.range(0, STACKS)
        .allMatch(i -> cluster.reconciles().of(NS, "pi" + i) >= 1));
    Quiet.watch(Duration.ofSeconds(2), () -> cluster.dispatcher.writes().size() == mark);
    assertThat(cluster.dispatcher.writes().subList(mark, cluster.dispatcher.writes().size()))
        .as("writes after a restart with %d converged stacks", STACKS).isEmpty();
  }

  /**
   * A restart while many stacks are being created. The first process holds a creation's progress back
   * (CreationProgress: here each database turning ready, held for a minute); a restarted process did not
   * see those creations begin, so it writes each held status once, the news the stored status lacks, and
   * nothing else: no child, no Event, no second write, and nothing for a stack whose status was current.
   */
  @Test
  void aRestartMidCreationWritesEachHeldProgressOnceAndNothingElse() {
    int stacks = 6;
    Stacks.licenceSecret(cluster.client, NS);
    for (int i = 0; i < stacks; i++) {
      PiStack s = Stacks.sample("minimal.yaml", NS);
      s.getMetadata().setName("c" + i);
      cluster.client.resource(s).create();
    }
    await().atMost(Duration.ofSeconds(90)).until(() -> java.util.stream.IntStream.range(0, stacks)
        .allMatch(i -> cluster.reconciles().completedAtGeneration(NS, "c" + i, 1) && databaseReady("c" + i) != null));
    // Half of them make progress: their database becomes ready. The first process holds that back.
    long mark = System.nanoTime();
    List<String> progressed = new java.util.ArrayList<>();
    for (int i = 0; i < stacks; i += 2) {
      progressed.add("c" + i);
      Kubelet.ready(cluster.client, cluster.client.apps().statefulSets().inNamespace(NS).withName("c" + i + "-db").get());
    }
    await().atMost(Duration.ofSeconds(30)).until(() -> progressed.stream()
        .allMatch(n -> cluster.reconciles().completedSince(NS, n, mark)));
    Quiet.untilUnchangedFor(Duration.ofSeconds(3), Duration.ofSeconds(30), () -> cluster.dispatcher.writes().size());
    assertThat(progressed).as("held back by the first process").allMatch(n -> "False".equals(databaseReady(n)));

    cluster.stopOperator();
    int before = cluster.dispatcher.writes().size();
    cluster.startOperator();
    await().atMost(Duration.ofSeconds(60)).until(() -> java.util.stream.IntStream.range(0, stacks)
        .allMatch(i -> cluster.reconciles().of(NS, "c" + i) >= 1));
    Quiet.untilUnchangedFor(Duration.ofSeconds(3), Duration.ofSeconds(30), () -> cluster.dispatcher.writes().size());
    List<String> writes = cluster.dispatcher.writes().subList(before, cluster.dispatcher.writes().size()).stream()
        .map(w -> w.contains("?") ? w.substring(0, w.indexOf('?')) : w).toList();
    System.out.printf("restart mid-creation: %d stacks (%d with held progress), %d writes: %s%n", stacks,
        progressed.size(), writes.size(), writes);
    assertThat(writes).as("one status write per stack with held progress, nothing else")
        .containsExactlyInAnyOrderElementsOf(progressed.stream()
            .map(n -> "PATCH /apis/pistack.io/v1alpha1/namespaces/" + NS + "/pistacks/" + n + "/status").toList());
    assertThat(progressed).as("the news written").allMatch(n -> "True".equals(databaseReady(n)));
  }

  private String databaseReady(String name) {
    PiStack s = cluster.client.resources(PiStack.class).inNamespace(NS).withName(name).get();
    if (s == null || s.getStatus() == null) {
      return null;
    }
    io.fabric8.kubernetes.api.model.Condition c = io.pistack.operator.status.Conditions.find(s.getStatus().conditions,
        io.pistack.operator.status.ConditionType.DATABASE_READY.wire());
    return c == null ? null : c.getStatus();
  }

  @Test
  void everyListAndWatchExceptPiStacksIsLabelSelected() {
    Stacks.licenceSecret(cluster.client, NS);
    cluster.client.resource(Stacks.sample("minimal.yaml", NS)).create();
    await().atMost(Duration.ofSeconds(30)).until(() ->
        cluster.client.apps().deployments().inNamespace(NS).list().getItems().size() == 5);

    List<String> operatorLists = cluster.dispatcher.listsAndWatches().stream()
        .filter(p -> p.contains("resourceVersion=") || p.contains("watch=true")) // informers, not the test's own lists
        .toList();
    assertThat(operatorLists).isNotEmpty();
    // The one exception: the Secret watch (SecretWatch), unlabelled because the Secrets a user names are
    // not the operator's; it keeps metadata and digests only (SecretDigestsTest, docs/pods.md).
    assertThat(operatorLists).anyMatch(p -> p.startsWith("/api/v1/secrets?") && !URLDecoder.decode(p,
        StandardCharsets.UTF_8).contains("labelSelector="));
    assertThat(operatorLists).filteredOn(p -> !p.startsWith("/apis/pistack.io/"))
        .filteredOn(p -> !(p.startsWith("/api/v1/secrets?") && !p.contains("labelSelector=")))
        .allSatisfy(p -> assertThat(URLDecoder.decode(p, StandardCharsets.UTF_8))
            .contains("labelSelector=" + Labels.MANAGED_SELECTOR));
    assertThat(operatorLists).anyMatch(p -> p.startsWith("/api/v1/secrets?"))
        .anyMatch(p -> p.startsWith("/api/v1/pods?"));
    // One informer per kind: the two PVC dependents share one, and so on.
    // (Secrets have two: the credentials dependent's label-selected one and the unlabelled SecretWatch.)
    // The PiBackup controller has informers of its own: its PiBackups (the PiStack controller watches them too, to
    // map each to its stack), only the Jobs of PiBackups (selected by owner-kind=PiBackup), and the backup Jobs the
    // PiBackups of scheduled and pre-upgrade backups record (selected by their job-kind, one informer each).
    var initialLists = operatorLists.stream().filter(p -> !p.contains("watch=true"))
        .filter(p -> !(p.startsWith("/api/v1/secrets?") && !p.contains("labelSelector=")))
        .map(p -> URLDecoder.decode(p, StandardCharsets.UTF_8)).toList();
    String piBackupJobs = "/apis/batch/v1/jobs?labelSelector=" + io.pistack.operator.model.PiBackupJobs.SELECTOR;
    assertThat(initialLists).as("the PiBackup controller's Jobs informer").anyMatch(p -> p.startsWith(piBackupJobs));
    List<String> recorded = io.pistack.operator.pibackup.RecordedJobs.SELECTORS.stream()
        .map(sel -> "/apis/batch/v1/jobs?labelSelector=" + sel).toList();
    recorded.forEach(r -> assertThat(initialLists).as("the recorded backup Jobs' informer").anyMatch(p -> p.startsWith(r)));
    List<String> perKind = new java.util.ArrayList<>(initialLists.stream().filter(p -> !p.startsWith(piBackupJobs))
        .filter(p -> recorded.stream().noneMatch(p::startsWith))
        .map(p -> p.substring(0, p.indexOf('?'))).toList());
    assertThat(perKind.remove("/apis/pistack.io/v1alpha1/pibackups")).as("the PiBackup controller's own").isTrue();
    assertThat(perKind).as("informers started per resource").doesNotHaveDuplicates();
  }
}
