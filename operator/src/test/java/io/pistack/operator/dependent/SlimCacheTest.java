package io.pistack.operator.dependent;

import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.ManagedFieldsEntry;
import io.fabric8.kubernetes.api.model.ObjectMetaBuilder;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.client.utils.Serialization;
import io.pistack.operator.api.v1alpha1.LicenceSpec;
import io.pistack.operator.api.v1alpha1.PiStack;
import io.pistack.operator.api.v1alpha1.PiStackSpec;
import io.pistack.operator.desired.DesiredStacks;
import io.pistack.operator.model.ResolvedStack;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * What the caches keep: the operator's own apply entry of managedFields (what the SSA matcher and
 * ReplicasHandover read), shared between children of the same shape; no Secret data for the
 * generated credentials; nothing of managedFields or the last-applied copy for PiStacks. Whether
 * the operator still reconciles identically is judged on the real API server (OperatorOnRealApiTest:
 * zero writes for a no-op reconcile, one write to revert a managed field, the autoscaling handover).
 */
class SlimCacheTest {
  static final String OWN_SPEC = "{\"f:replicas\":{},\"f:template\":{\"f:spec\":{\"f:containers\":{"
      + "\"k:{\\\"name\\\":\\\"dashboard\\\"}\":{\".\":{},\"f:image\":{},\"f:name\":{}}}}}}";

  static Deployment live(String uid) {
    return Serialization.unmarshal("""
        {"apiVersion":"apps/v1","kind":"Deployment",
         "metadata":{"name":"pi-dashboard","namespace":"ns","resourceVersion":"7","managedFields":[
          {"manager":"pi-operator","operation":"Apply","apiVersion":"apps/v1","fieldsType":"FieldsV1",
           "time":"2026-11-26T12:00:00Z","fieldsV1":{"f:metadata":{"f:ownerReferences":{"k:{\\"uid\\":\\"%s\\"}":{}}},
           "f:spec":%s}},
          {"manager":"kube-controller-manager","operation":"Update","subresource":"status","apiVersion":"apps/v1",
           "fieldsType":"FieldsV1","time":"2026-11-26T12:00:05Z","fieldsV1":{"f:status":{"f:replicas":{},
           "f:conditions":{"k:{\\"type\\":\\"Available\\"}":{".":{},"f:status":{}}}}}},
          {"manager":"pi-operator-handover","operation":"Apply","apiVersion":"apps/v1","fieldsType":"FieldsV1",
           "time":"2026-11-26T12:00:06Z","fieldsV1":{"f:spec":{"f:replicas":{}}}}]},
         "spec":{"replicas":3,"template":{"spec":{"containers":[{"name":"dashboard","image":"server:1"}]}}},
         "status":{"replicas":3,"readyReplicas":3}}
        """.formatted(uid, OWN_SPEC), Deployment.class);
  }

  @Test
  void childrenKeepOnlyTheOperatorsOwnApplyEntryWithItsFieldSetUnchanged() {
    Deployment full = live("u1");
    ManagedFieldsEntry own = full.getMetadata().getManagedFields().get(0);
    String ownBefore = Serialization.asJson(own);

    Deployment slim = SlimCache.child(live("u1"));
    assertThat(slim.getMetadata().getManagedFields()).hasSize(1);
    assertThat(Serialization.asJson(slim.getMetadata().getManagedFields().get(0))).isEqualTo(ownBefore);
    assertThat(slim.getSpec()).isEqualTo(full.getSpec());
    assertThat(slim.getStatus()).isEqualTo(full.getStatus());
  }

  @Test
  void identicalSubtreesOfTheFieldSetsAreKeptOnce() {
    Map<String, Object> a = fields(SlimCache.child(live("u1")));
    Map<String, Object> b = fields(SlimCache.child(live("u2")));
    assertThat(a.get("f:spec")).as("the same shape: one copy").isSameAs(b.get("f:spec"));
    assertThat(a.get("f:metadata")).as("another owner").isNotEqualTo(b.get("f:metadata"));
    assertThat(fields(SlimCache.child(live("u1")))).isSameAs(a);
  }

  @Test
  void theGeneratedCredentialsKeepOnlyTheUserNameAndPiStacksNoManagedFieldsOrLastAppliedCopy() {
    Secret s = Serialization.unmarshal("""
        {"apiVersion":"v1","kind":"Secret","metadata":{"name":"pi-db-credentials","namespace":"ns"},
         "data":{"username":"cm9vdA==","password":"c2VjcmV0"}}""", Secret.class);
    SlimCache.Credentials store = new SlimCache.Credentials();
    store.put("ns/pi-db-credentials", s);
    assertThat(store.get("ns/pi-db-credentials").getData()).as("the user name only, never the password")
        .containsExactly(java.util.Map.entry("username", "cm9vdA=="));
    assertThat(store.get("ns/pi-db-credentials").getMetadata().getName()).isEqualTo("pi-db-credentials");

    PiStack stack = Serialization.unmarshal("""
        {"apiVersion":"pistack.io/v1alpha1","kind":"PiStack","metadata":{"name":"pi","namespace":"ns",
         "annotations":{"kubectl.kubernetes.io/last-applied-configuration":"{...}","example.com/keep":"yes"},
         "managedFields":[{"manager":"kubectl","operation":"Update","fieldsType":"FieldsV1","fieldsV1":{"f:spec":{}}}]},
         "spec":{"version":"2025_10.1"}}""", PiStack.class);
    PiStack slim = SlimCache.stack(stack);
    assertThat(slim.getMetadata().getManagedFields()).isEmpty();
    assertThat(slim.getMetadata().getAnnotations()).containsExactly(Map.entry("example.com/keep", "yes"));
    assertThat(slim.getSpec().version).isEqualTo("2025_10.1");
  }

  /** A stack's children as the informers receive them: the desired objects, through JSON, with a status. */
  static List<HasMetadata> children(String namespace) {
    PiStack stack = new PiStack();
    stack.setMetadata(new ObjectMetaBuilder().withName("pi").withNamespace(namespace).withUid("uid-" + namespace)
        .withGeneration(1L).build());
    stack.setSpec(new PiStackSpec());
    stack.getSpec().version = "2025_10.1";
    stack.getSpec().licence = new LicenceSpec();
    stack.getSpec().licence.secretName = "pi-licence";
    List<HasMetadata> out = new ArrayList<>();
    for (HasMetadata d : DesiredStacks.fresh(new ResolvedStack(stack)).objects()) {
      String json = Serialization.asJson(d).replaceFirst("\\{", "{\"status\":{\"observedGeneration\":1},");
      HasMetadata live = Serialization.unmarshal(json);
      live.getMetadata().setUid(namespace + "/" + d.getMetadata().getName());
      live.getMetadata().setResourceVersion("42");
      out.add(live);
    }
    return out;
  }

  @Test
  void aCompactChildSerialisesAsBeforeAndStaysMutable() {
    List<HasMetadata> before = children("ns-a");
    List<HasMetadata> after = children("ns-a");
    after.forEach(SlimCache::child);
    assertThat(after).hasSizeGreaterThan(10);
    for (int i = 0; i < before.size(); i++) {
      assertThat(Serialization.asJson(after.get(i))).as(before.get(i).getKind() + " " + before.get(i).getMetadata().getName())
          .isEqualTo(Serialization.asJson(before.get(i)));
      assertThat(after.get(i)).isEqualTo(before.get(i));
    }
    // Only additionalProperties become the immutable empty map; labels and lists stay mutable.
    HasMetadata any = after.get(0);
    any.getMetadata().getLabels().put("example.com/x", "y");
    any.getMetadata().getFinalizers().add("example.com/f");
    assertThat(any.getMetadata().getLabels()).containsEntry("example.com/x", "y");
  }

  @Test
  void twoStacksChildrenShareTheirRepeatedStringsAndTheEmptyAdditionalProperties() {
    Deployment a = dashboard(children("ns-a"));
    Deployment b = dashboard(children("ns-b"));
    assertThat(a.getSpec().getTemplate().getSpec().getContainers().get(0).getImage())
        .as("not shared before").isNotSameAs(b.getSpec().getTemplate().getSpec().getContainers().get(0).getImage());
    SlimCache.child(a);
    SlimCache.child(b);

    var ca = a.getSpec().getTemplate().getSpec().getContainers().get(0);
    var cb = b.getSpec().getTemplate().getSpec().getContainers().get(0);
    assertThat(ca.getImage()).isEqualTo(cb.getImage()).isSameAs(cb.getImage());
    String label = a.getMetadata().getLabels().keySet().iterator().next();
    assertThat(a.getMetadata().getLabels().keySet().iterator().next()).isSameAs(b.getMetadata().getLabels().keySet().iterator().next());
    assertThat(a.getMetadata().getLabels().get(label)).isSameAs(b.getMetadata().getLabels().get(label));
    assertThat(ca.getEnv()).isNotEmpty();
    for (int i = 0; i < ca.getEnv().size(); i++) {
      assertThat(ca.getEnv().get(i).getName()).isSameAs(cb.getEnv().get(i).getName());
      if (ca.getEnv().get(i).getValue() != null && ca.getEnv().get(i).getValue().equals(cb.getEnv().get(i).getValue())) {
        assertThat(ca.getEnv().get(i).getValue()).isSameAs(cb.getEnv().get(i).getValue());
      }
    }
    assertThat(a.getMetadata().getNamespace()).isNotEqualTo(b.getMetadata().getNamespace());

    Map<String, Object> empty = a.getSpec().getAdditionalProperties();
    assertThat(empty).isEmpty();
    assertThat(b.getSpec().getAdditionalProperties()).isSameAs(empty);
    assertThat(ca.getAdditionalProperties()).isSameAs(empty);
    assertThat(a.getMetadata().getAdditionalProperties()).isSameAs(empty);
    assertThat(ca.getResources().getRequests().values().iterator().next().getAdditionalProperties()).isSameAs(empty);
  }

  private static Deployment dashboard(List<HasMetadata> children) {
    return children.stream().filter(Deployment.class::isInstance).map(Deployment.class::cast)
        .filter(d -> d.getMetadata().getName().contains("dashboard")).findFirst().orElseThrow();
  }

  private static Map<String, Object> fields(Deployment d) {
    return d.getMetadata().getManagedFields().get(0).getFieldsV1().getAdditionalProperties();
  }
}
