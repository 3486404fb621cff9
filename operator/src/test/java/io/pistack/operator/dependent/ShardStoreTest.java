package io.pistack.operator.dependent;

import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.apps.DeploymentBuilder;
import io.fabric8.kubernetes.client.informers.cache.Cache;
import io.javaoperatorsdk.operator.processing.event.ResourceID;
import io.pistack.operator.model.Labels;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** What a shard's informer stores keep: the children of its own stacks, stubs of the others (ShardScope). */
class ShardStoreTest {
  @AfterEach
  void release() {
    ShardScope.release();
  }

  @Test
  void outsideAShardEveryChildIsKept() {
    SlimCache.Children<Deployment> store = new SlimCache.Children<>();
    store.put(key(child("b", "b-dashboard", "1")), child("b", "b-dashboard", "1"));
    assertThat(store.get("ns/b-dashboard")).isNotNull();
  }

  @Test
  void aShardKeepsItsStacksChildrenAndOnlyStubsOfTheOthers() {
    ShardScope scope = ShardScope.activate();
    scope.members(id -> id.equals(new ResourceID("a", "ns")));
    SlimCache.Children<Deployment> store = new SlimCache.Children<>();

    assertThat(store.put("ns/a-dashboard", child("a", "a-dashboard", "1"))).isNull();
    assertThat(store.get("ns/a-dashboard")).isNotNull();

    // A stranger: not readable, but the informer still sees an add, then updates, then a delete of it.
    assertThat(store.put("ns/b-dashboard", child("b", "b-dashboard", "1"))).isNull();
    assertThat(store.get("ns/b-dashboard")).isNull();
    assertThat(store.keySet()).containsExactly("ns/a-dashboard");
    assertThat(store.values()).hasSize(1);
    Deployment before = store.put("ns/b-dashboard", child("b", "b-dashboard", "2"));
    assertThat(before.getMetadata().getResourceVersion()).as("the stub of the last version").isEqualTo("1");
    assertThat(before.getSpec()).as("a stub holds no spec").isNull();
    assertThat(store.holdsStubsOf("ns/b")).isTrue();
    assertThat(store.remove("ns/b-dashboard")).as("its deletion is reported").isNotNull();
    assertThat(store.holdsStubsOf("ns/b")).isFalse();

    // An object of no stack (no instance label) is kept.
    Deployment plain = child("x", "plain", "1");
    plain.getMetadata().setLabels(Map.of(Labels.MANAGED_BY, Labels.OPERATOR));
    store.put("ns/plain", plain);
    assertThat(store.get("ns/plain")).isNotNull();
  }

  @Test
  void aStackThatLeavesBecomesStubsAndALoadMakesThemRealAgain() {
    ShardScope scope = ShardScope.activate();
    Set<ResourceID> members = new java.util.HashSet<>(Set.of(new ResourceID("a", "ns")));
    scope.members(members::contains);
    SlimCache.Children<Deployment> store = new SlimCache.Children<>();
    store.put("ns/a-dashboard", child("a", "a-dashboard", "1"));

    members.clear();
    scope.forget(new ResourceID("a", "ns"));
    assertThat(store.get("ns/a-dashboard")).isNull();
    assertThat(store.holdsStubsOf("ns/a")).isTrue();

    members.add(new ResourceID("a", "ns"));
    assertThat(store.fill(List.of(child("a", "a-dashboard", "1"), child("a", "a-never-seen", "1")))).isEqualTo(1);
    assertThat(store.get("ns/a-dashboard")).isNotNull();
    assertThat(store.get("ns/a-never-seen")).as("only what its informer saw").isNull();
    assertThat(store.holdsStubsOf("ns/a")).isFalse();
    assertThat(store.type()).isEqualTo(Deployment.class);
  }

  @Test
  void aLoadNeverReplacesANewerObjectTheInformerAlreadyHas() {
    ShardScope scope = ShardScope.activate();
    scope.members(id -> true);
    SlimCache.Children<Deployment> store = new SlimCache.Children<>();
    store.put("ns/a-dashboard", child("a", "a-dashboard", "7"));
    store.fill(List.of(child("a", "a-dashboard", "3")));
    assertThat(store.get("ns/a-dashboard").getMetadata().getResourceVersion()).isEqualTo("7");
  }

  private static String key(Deployment d) {
    return Cache.metaNamespaceKeyFunc(d);
  }

  private static Deployment child(String stack, String name, String resourceVersion) {
    return new DeploymentBuilder().withNewMetadata().withName(name).withNamespace("ns")
        .withResourceVersion(resourceVersion)
        .withLabels(Map.of(Labels.INSTANCE, stack, Labels.MANAGED_BY, Labels.OPERATOR)).endMetadata()
        .withNewSpec().withReplicas(1).endSpec().build();
  }
}
