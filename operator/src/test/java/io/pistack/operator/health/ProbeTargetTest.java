package io.pistack.operator.health;

import static org.assertj.core.api.Assertions.assertThat;

import io.pistack.operator.api.v1alpha1.HealthProbeStatus;
import io.pistack.operator.it.Stacks;
import io.pistack.operator.model.ResolvedStack;
import java.net.URI;
import java.time.Instant;
import org.junit.jupiter.api.Test;

class ProbeTargetTest {
  @Test
  void everyEnabledComponentThroughItsServiceAndTheExternalDatabase() {
    var targets = ProbeTarget.of(new ResolvedStack(Stacks.sample("external-database.yaml", "bi")));
    assertThat(targets).extracting(t -> ProbeAddressResolver.CLUSTER_DNS.resolve(t)).containsExactly(
        URI.create("http://pi-dashboard.bi.svc:8224/pi/version"),
        URI.create("http://pi-scheduler.bi.svc:9917/version"),
        URI.create("http://pi-renderer.bi.svc:9915/version"),
        URI.create("tcp://pi-excel-reader.bi.svc:9916"),
        URI.create("tcp://pi-repo.abc123.eu-west-2.rds.amazonaws.com:3306"));
  }

  @Test
  void theEmbeddedDatabaseIsNotProbed() {
    assertThat(ProbeTarget.of(new ResolvedStack(Stacks.sample("minimal.yaml", "bi"))))
        .extracting(ProbeTarget::key).doesNotContain(ProbeTarget.DATABASE).hasSize(5);
  }

  @Test
  void aDotlessDatabaseHostIsAServiceInTheStacksNamespace() {
    var stack = Stacks.sample("external-database.yaml", "bi");
    stack.getSpec().database.external.host = "mariadb";
    var db = ProbeTarget.of(new ResolvedStack(stack)).stream().filter(t -> t.key().equals("database")).findFirst();
    assertThat(ProbeAddressResolver.CLUSTER_DNS.resolve(db.orElseThrow())).isEqualTo(URI.create("tcp://mariadb.bi.svc:3306"));
  }

  @Test
  void aRecordSurvivesTheRoundTripThroughStatus() {
    ProbeTarget t = new ProbeTarget("dashboard", "bi", "pi-dashboard", 8224, "/pi/version", true);
    ProbeRecord r = new ProbeRecord(t, new ProbeResult(false, 503, 42, null, "HTTP 503"),
        Instant.parse("2026-01-01T10:00:00Z"));
    HealthProbeStatus h = ProbeRecords.toStatus(r);
    assertThat(h.result).isEqualTo("Unhealthy");
    assertThat(h.time).isEqualTo("2026-01-01T10:00:00Z");
    assertThat(ProbeRecords.fromStatus(t, h)).contains(r);
    assertThat(ProbeRecords.fromStatus(t, new HealthProbeStatus())).isEmpty();
  }
}
