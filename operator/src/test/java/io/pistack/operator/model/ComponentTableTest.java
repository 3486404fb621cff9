package io.pistack.operator.model;

import static org.assertj.core.api.Assertions.assertThat;

import io.pistack.operator.model.ComponentDefinition.Link;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The component table is consistent: what one entry names in another exists. */
class ComponentTableTest {
  @Test
  void everyLinkNamesAnExistingComponentAndPort() {
    for (Component c : Component.values()) {
      for (var source : c.env()) {
        if (source instanceof Link link) {
          Component target = Component.fromPart(link.target());
          assertThat(target.port(link.port())).as(c + " -> " + link).isPositive();
          assertThat(link.names()).as(c + " -> " + link).isNotEmpty();
        }
      }
    }
  }

  @Test
  void partsAndConditionTypesAreUnique() {
    assertThat(Arrays.stream(Component.values()).map(Component::part)).doesNotHaveDuplicates();
    assertThat(Arrays.stream(Component.values()).map(Component::conditionType)).doesNotHaveDuplicates();
  }

  @Test
  void theDashboardIsTheMainComponentAndOnlyItsDatabaseUsersStopForARestore() {
    assertThat(Component.main()).isEqualTo(Component.DASHBOARD);
    assertThat(Arrays.stream(Component.values()).filter(Component::usesDatabase))
        .containsExactly(Component.DASHBOARD, Component.SCHEDULER);
    assertThat(Arrays.stream(Component.values()).filter(Component::disruptionBudget))
        .containsExactly(Component.DASHBOARD);
  }

  @Test
  void aSingletonNeverAutoscalesAndIsCappedAtOneReplica() {
    assertThat(Arrays.stream(Component.values()).filter(Component::singleton)).containsExactly(Component.SCHEDULER, Component.QDRANT)
        .noneMatch(Component::canAutoscale);
    assertThat(Arrays.stream(Component.values()).filter(Component::canAutoscale))
        .containsExactly(Component.DASHBOARD, Component.ANALYTICS, Component.RENDERER);
  }

  @Test
  void portsAreNamedAndTheMainOneIsHttp() {
    for (Component c : Component.values()) {
      assertThat(c.ports().get(0).name()).isEqualTo("http");
      assertThat(c.port()).isEqualTo(c.port("http"));
    }
    assertThat(Component.DASHBOARD.ports()).extracting(ComponentDefinition.NamedPort::name)
        .isEqualTo(List.of("http", "internal"));
  }

  @Test
  void theDashboardsInternalPortIsForTheRendererAlone() {
    assertThat(Component.DASHBOARD.publicPorts()).extracting(ComponentDefinition.NamedPort::number).containsExactly(8224);
    assertThat(Component.DASHBOARD.internalPorts()).singleElement().satisfies(p -> {
      assertThat(p.number()).isEqualTo(28748);
      assertThat(p.from()).containsExactly("renderer");
    });
    for (Component c : Component.values()) {
      assertThat(c.publicPorts()).as(c.part()).isNotEmpty();
      c.internalPorts().forEach(p -> assertThat(p.from()).allSatisfy(Component::fromPart));
      c.onlyFrom().forEach(Component::fromPart);
      if (c != Component.DASHBOARD) {
        assertThat(c.internalPorts()).as(c.part()).isEmpty();
      }
    }
    assertThat(Component.QDRANT.onlyFrom()).containsExactly("dashboard");
  }

  @Test
  void noImageDeclaresANonRootUserTheVendorDoesNotPublish() {
    // pi-facts.md names no user for the Pi images; Qdrant's default image runs as root.
    assertThat(Component.values()).allSatisfy(c -> assertThat(c.imageUser()).as(c.part()).isNull());
  }
}
