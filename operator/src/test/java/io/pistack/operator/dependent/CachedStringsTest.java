package io.pistack.operator.dependent;

import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.ObjectMeta;
import io.fabric8.kubernetes.api.model.OwnerReference;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.client.utils.Serialization;
import io.javaoperatorsdk.operator.processing.event.ResourceID;
import io.pistack.operator.api.v1alpha1.PiStack;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * The strings every cached object of a namespace or a stack repeats are held once (issue 28, the heap per stack):
 * the name and namespace (which JOSDK's TransformingItemStore sets back after the transform, as they arrived from
 * the watch), the store key, the owner reference's uid (the stack's, on all its children), and the strings of a
 * shard's stubs of another shard's children. Each object arrives from JSON, as from a watch: its strings are its own.
 */
class CachedStringsTest {
  @AfterEach
  void release() {
    ShardScope.release();
  }

  @Test
  void aStoredChildHoldsTheSharedNameNamespaceAndKey() {
    assertThat(List.of("a-dashboard", "ns-1", "ns-1/a-dashboard")).isNotEmpty(); // the literals first, as below
    SlimCache.Children<Deployment> store = new SlimCache.Children<>();
    Deployment arrived = child("a", "a-dashboard");
    assertThat(arrived.getMetadata().getNamespace()).as("as from a watch").isNotSameAs("ns-1");
    String key = store.getKey(arrived);
    assertThat(key).isSameAs("ns-1/a-dashboard");
    store.put(key, arrived);

    ObjectMeta kept = store.get("ns-1/a-dashboard").getMetadata();
    assertThat(kept.getName()).isSameAs("a-dashboard");
    assertThat(kept.getNamespace()).isSameAs("ns-1");
    assertThat(store.keySet().iterator().next()).isSameAs("ns-1/a-dashboard");
  }

  @Test
  void theChildrenOfAStackShareItsUidInTheirOwnerReferences() {
    HasMetadata a = SlimCache.child(child("a", "a-dashboard"));
    HasMetadata b = SlimCache.child(child("a", "a-renderer"));
    OwnerReference ra = a.getMetadata().getOwnerReferences().get(0);
    OwnerReference rb = b.getMetadata().getOwnerReferences().get(0);
    assertThat(ra.getUid()).isEqualTo("0c1f2e3d-4b5a-6978-8a9b-a0b1c2d3e4f5").isSameAs(rb.getUid());
    assertThat(ra.getName()).isSameAs(rb.getName());
    // The object's own uid is its alone: not put in the JVM's string table.
    String uid = a.getMetadata().getUid();
    assertThat(uid).isNotSameAs(new String(uid).intern());
  }

  @Test
  void aStubOfAnotherShardsChildHoldsSharedStrings() {
    assertThat(List.of("b-dashboard", "pistack.io/v1alpha1", "PiStack")).isNotEmpty(); // the literals first
    ShardScope scope = ShardScope.activate();
    scope.members(id -> id.equals(new ResourceID("a", "ns-1")));
    SlimCache.Children<Deployment> store = new SlimCache.Children<>();
    Deployment stranger = child("b", "b-dashboard");
    store.put(store.getKey(stranger), stranger);
    assertThat(store.get("ns-1/b-dashboard")).as("a stub").isNull();

    Deployment stub = store.remove("ns-1/b-dashboard");
    assertThat(stub.getSpec()).isNull();
    assertThat(stub.getMetadata().getName()).isSameAs("b-dashboard");
    assertThat(stub.getMetadata().getNamespace()).isSameAs("ns-1");
    OwnerReference owner = stub.getMetadata().getOwnerReferences().get(0);
    assertThat(owner.getApiVersion()).isSameAs("pistack.io/v1alpha1");
    assertThat(owner.getKind()).isSameAs("PiStack");
    assertThat(owner.getUid()).isSameAs("0c1f2e3d-4b5a-6978-8a9b-a0b1c2d3e4f5".intern());
  }

  @Test
  void aStoredPiStackHoldsTheSharedNameAndNamespace() {
    // The literals first: the first instance of a string interned is the one the table keeps.
    assertThat(List.of("pi-7", "ns-1")).isNotEmpty();
    SlimCache.Stacks store = new SlimCache.Stacks();
    PiStack stack = Serialization.unmarshal("""
        {"apiVersion":"pistack.io/v1alpha1","kind":"PiStack","metadata":{"name":"pi-7","namespace":"ns-1",
         "resourceVersion":"3"},"spec":{"version":"2025_10.1"}}""", PiStack.class);
    store.put(store.getKey(stack), stack);
    ObjectMeta kept = store.get("ns-1/pi-7").getMetadata();
    assertThat(kept.getName()).isSameAs("pi-7");
    assertThat(kept.getNamespace()).isSameAs("ns-1");
  }

  /** A child as a watch delivers it: parsed from JSON, so none of its strings is the interned one. */
  private static Deployment child(String stack, String name) {
    return Serialization.unmarshal("""
        {"apiVersion":"apps/v1","kind":"Deployment","metadata":{"name":"%s","namespace":"ns-1","resourceVersion":"9",
         "uid":"11111111-2222-3333-4444-%s","labels":{"app.kubernetes.io/instance":"%s",
         "app.kubernetes.io/managed-by":"pi-operator"},
         "ownerReferences":[{"apiVersion":"pistack.io/v1alpha1","kind":"PiStack","name":"%s",
          "uid":"0c1f2e3d-4b5a-6978-8a9b-a0b1c2d3e4f5","controller":true}]},
         "spec":{"replicas":1}}""".formatted(name, name.hashCode() & 0xffff, stack, stack), Deployment.class);
  }
}
