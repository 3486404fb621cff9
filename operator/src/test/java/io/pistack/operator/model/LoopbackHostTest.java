package io.pistack.operator.model;

import static org.assertj.core.api.Assertions.assertThat;

import io.pistack.operator.api.v1alpha1.ExternalDatabaseSpec;
import io.pistack.operator.api.v1alpha1.LoopbackHost;
import io.pistack.operator.api.v1alpha1.PiStack;
import io.pistack.operator.api.v1alpha1.SecretRef;
import io.pistack.operator.model.SpecValidator.Problem;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** Every loopback and unspecified form of spec.database.external.host is refused; real hosts are not. */
class LoopbackHostTest {
  @ParameterizedTest
  @ValueSource(strings = {"localhost", "LOCALHOST", "localhost.", "localhost.localdomain", "localhost4",
      "localhost6", "localhost6.localdomain6", "ip6-localhost", "ip6-loopback", "db.localhost", "a.b.localhost",
      "127.0.0.1", "127.1.2.3", "127.255.255.254", "0.0.0.0", "0.1.2.3", "2130706433", "0", "0x7f000001",
      "0X7F000001", "127.1", "127.0.1", "0177.0.0.1", "0x7f.0.0.1", "017700000001", "00", "0x", "10.0.0.010"})
  void loopbackAndUnspecifiedFormsAreRefused(String host) {
    assertThat(LoopbackHost.refused(host)).as(host).isTrue();
  }

  @ParameterizedTest
  @ValueSource(strings = {"::1", "[::1]", "::", "::ffff:127.0.0.1", "[::]", "0:0:0:0:0:0:0:1"})
  void ipv6LiteralsAreRefusedAsNotAHostName(String host) {
    // The CRD's pattern admits no ':' or brackets; the operator's check says "host name only".
    assertThat(problems(host)).singleElement().satisfies(p -> assertThat(p.path()).isEqualTo("spec.database.external.host"));
  }

  @ParameterizedTest
  @ValueSource(strings = {"db.example.com", "mariadb", "repo-db.prod.svc.cluster.local", "10.0.0.5", "192.168.1.20",
      "1.2.3.4", "255.255.255.255", "localhostdb.example.com", "my-localhost.example.com", "127db.example.com",
      "db127.0.0.1.nip.example.com", "0db.example.com"})
  void realHostsAreAdmitted(String host) {
    assertThat(LoopbackHost.refused(host)).as(host).isFalse();
    assertThat(problems(host)).isEmpty();
  }

  @ParameterizedTest
  @ValueSource(strings = {"2130706433", "0.0.0.0", "localhost6", "0x7f000001", "127.0.0.1"})
  void theValidatorNamesTheFieldWithTheRulesMessage(String host) {
    assertThat(problems(host)).singleElement().satisfies(p -> {
      assertThat(p.path()).isEqualTo("spec.database.external.host");
      assertThat(p.message()).isEqualTo(ExternalDatabaseSpec.LOCALHOST_MESSAGE);
    });
  }

  private static java.util.List<Problem> problems(String host) {
    PiStack s = TestStacks.minimal();
    s.getSpec().database = new io.pistack.operator.api.v1alpha1.DatabaseSpec();
    s.getSpec().database.external = new ExternalDatabaseSpec();
    s.getSpec().database.external.host = host;
    s.getSpec().database.external.credentialsSecret = new SecretRef();
    s.getSpec().database.external.credentialsSecret.name = "db";
    return SpecValidator.validate(s);
  }
}
