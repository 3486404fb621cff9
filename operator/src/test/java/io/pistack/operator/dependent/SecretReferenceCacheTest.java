package io.pistack.operator.dependent;

import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.ObjectMetaBuilder;
import io.javaoperatorsdk.operator.processing.event.ResourceID;
import io.pistack.operator.api.v1alpha1.LicenceSpec;
import io.pistack.operator.api.v1alpha1.PiStack;
import io.pistack.operator.api.v1alpha1.PiStackSpec;
import java.util.Set;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

class SecretReferenceCacheTest {
  private static PiStack stack(String name, String uid, String resourceVersion, String licence) {
    PiStack s = new PiStack();
    s.setMetadata(new ObjectMetaBuilder().withName(name).withNamespace("ns").withUid(uid)
        .withResourceVersion(resourceVersion).build());
    s.setSpec(new PiStackSpec());
    s.getSpec().version = "2025_10.1";
    s.getSpec().licence = new LicenceSpec();
    s.getSpec().licence.secretName = licence;
    return s;
  }

  @Test
  void aStacksReferencesAreComputedOncePerResourceVersionAndEqualTheUncachedOnes() {
    AtomicInteger computed = new AtomicInteger();
    var cache = new SecretReferenceCache(s -> {
      computed.incrementAndGet();
      return SecretWatch.references(s);
    });
    PiStack v1 = stack("pi", "u1", "10", "pi-licence");
    assertThat(cache.of(v1)).isEqualTo(SecretWatch.references(v1));
    assertThat(cache.of(v1).names()).contains("pi-licence");
    cache.of(v1);
    assertThat(computed).hasValue(1);

    PiStack v2 = stack("pi", "u1", "11", "other-licence");
    assertThat(cache.of(v2).names()).contains("other-licence").doesNotContain("pi-licence");
    assertThat(computed).hasValue(2);

    PiStack recreated = stack("pi", "u2", "11", "third-licence");
    assertThat(cache.of(recreated).names()).contains("third-licence");
    assertThat(computed).hasValue(3);

    PiStack noVersion = stack("pi", "u2", null, "pi-licence");
    cache.of(noVersion);
    cache.of(noVersion);
    assertThat(computed).hasValue(5);
  }

  @Test
  void theStacksGoneFromANamespaceAreForgotten() {
    var cache = new SecretReferenceCache(SecretWatch::references);
    PiStack a = stack("a", "ua", "1", "l");
    PiStack b = stack("b", "ub", "1", "l");
    cache.of(a);
    cache.of(b);
    cache.retainOnly("other", Set.of());
    assertThat(cache.size()).isEqualTo(2);
    cache.retainOnly("ns", Set.of(ResourceID.fromResource(a)));
    assertThat(cache.size()).isEqualTo(1);
  }
}
