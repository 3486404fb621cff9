package io.pistack.operator.runtime;

import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.api.model.SecretBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.informers.SharedIndexInformer;
import io.fabric8.kubernetes.client.server.mock.EnableKubernetesMockClient;
import io.javaoperatorsdk.operator.processing.event.source.informer.TransformingItemStore;
import java.util.List;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * The informers JOSDK builds for a list of namespaces, one per namespace sharing one item store, built the way
 * JOSDK's InformerManager builds them (operation, namespace, selector, runnable informer, then the store). The real
 * client shows the defect: the second namespace's LIST drops the first namespace's objects from the shared store.
 * The client the operator hands JOSDK keeps both, each informer listing its own. The operator's behaviour with two
 * watched namespaces is proven on the real API server (TwoNamespacesOnRealApiTest).
 */
@EnableKubernetesMockClient(crud = true, https = false)
class NamespaceScopedStoresTest {
  KubernetesClient client;

  @Test
  void withTheRealClientTheSecondNamespacesListDropsTheFirstNamespacesObjectsFromTheSharedStore() throws Exception {
    secrets();
    RecordingStore shared = new RecordingStore();
    SharedIndexInformer<Secret> a = started(client, "a", shared);
    assertThat(shared.get("a/licence")).as("a's informer has listed a").isNotNull();
    SharedIndexInformer<Secret> b = started(client, "b", shared);
    try {
      bListedAndWatching(shared);
      assertThat(shared.get("b/licence")).isNotNull();
      // Removed, not "absent now": a's informer may list again meanwhile (its watch restarted) and put it back.
      assertThat(shared.removed).as("dropped by b's LIST: the defect this class exists for").contains("a/licence");
    } finally {
      a.close();
      b.close();
    }
  }

  @Test
  void withTheOperatorsClientEachNamespaceKeepsItsObjectsAndListsOnlyItsOwn() throws Exception {
    secrets();
    KubernetesClient operatorsClient = NamespaceScopedStores.forWatched(client, Set.of("a", "b"));
    RecordingStore shared = new RecordingStore();
    SharedIndexInformer<Secret> a = started(operatorsClient, "a", shared);
    SharedIndexInformer<Secret> b = started(operatorsClient, "b", shared);
    try {
      bListedAndWatching(shared);
      assertThat(shared.removed).as("nothing removed by either LIST").isEmpty();
      assertThat(shared.get("a/licence")).isNotNull();
      assertThat(shared.get("b/licence")).isNotNull();
      assertThat(shared.size()).isEqualTo(4);
      assertThat(names(a)).containsExactly("a/licence");
      assertThat(names(b)).containsExactlyInAnyOrder("b/licence", "b/other", "b/later");
      // A Secret deleted from a reaches a's informer, and only a's part of the store changes.
      client.secrets().inNamespace("a").withName("licence").delete();
      org.awaitility.Awaitility.await().atMost(10, TimeUnit.SECONDS).until(() -> shared.get("a/licence") == null);
      assertThat(names(b)).containsExactlyInAnyOrder("b/licence", "b/other", "b/later");
    } finally {
      a.close();
      b.close();
    }
  }

  @Test
  void aWatchOfOneNamespaceOrOfAllIsLeftAsItIs() {
    assertThat(NamespaceScopedStores.forWatched(client, Set.of("a"))).isSameAs(client);
    assertThat(NamespaceScopedStores.forWatched(client, Set.of())).isSameAs(client);
  }

  /**
   * Waits until b's informer has handled its LIST completely: a Secret created afterwards reaches the store by its
   * watch, which starts only once the LIST (and the store's retainAll) is done. Without it the assertions could run
   * between the LIST's puts and its retainAll.
   */
  private void bListedAndWatching(TransformingItemStore<Secret> shared) {
    client.secrets().inNamespace("b").resource(new SecretBuilder().withNewMetadata().withName("later")
        .endMetadata().addToStringData("k", "v").build()).create();
    org.awaitility.Awaitility.await().atMost(10, TimeUnit.SECONDS).until(() -> shared.get("b/later") != null);
  }

  /** The shared store of the informers, recording every key removed from it. */
  static final class RecordingStore extends TransformingItemStore<Secret> {
    final List<String> removed = new java.util.concurrent.CopyOnWriteArrayList<>();

    RecordingStore() {
      super(s -> s);
    }

    @Override
    public Secret remove(String key) {
      removed.add(key);
      return super.remove(key);
    }
  }

  private void secrets() {
    for (String[] s : new String[][] {{"a", "licence"}, {"b", "licence"}, {"b", "other"}}) {
      client.secrets().inNamespace(s[0]).resource(new SecretBuilder().withNewMetadata().withName(s[1])
          .endMetadata().addToStringData("k", "v").build()).create();
    }
  }

  /** One namespace's informer as JOSDK's InformerManager builds and starts it, synced. */
  private static SharedIndexInformer<Secret> started(KubernetesClient c, String ns,
      TransformingItemStore<Secret> store) throws Exception {
    SharedIndexInformer<Secret> informer = c.resources(Secret.class).inNamespace(ns).withLabelSelector((String) null)
        .runnableInformer(0);
    informer.itemStore(store);
    informer.start().toCompletableFuture().get(10, TimeUnit.SECONDS);
    return informer;
  }

  private static List<String> names(SharedIndexInformer<Secret> informer) {
    return informer.getStore().list().stream()
        .map(s -> s.getMetadata().getNamespace() + "/" + s.getMetadata().getName()).toList();
  }
}
