package io.pistack.operator.runtime;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import io.fabric8.kubernetes.api.model.APIResourceListBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.server.mock.KubernetesMockServer;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Supplier;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.slf4j.LoggerFactory;

/**
 * The start asks API discovery again for a while before it refuses, as the API server lists a new CRD's kind a moment
 * after the CRD is Established. Time is a fake clock the fake sleeper moves: nothing here really sleeps. The real API
 * server's side: realapi/MissingCrdOnRealApiTest.
 */
class ServedKindsTest {
  static final Duration WAIT = ServedKinds.DISCOVERY_WAIT;
  final AtomicLong now = new AtomicLong(1_000_000_000L);
  final List<Duration> pauses = new ArrayList<>();
  final AtomicInteger asked = new AtomicInteger();
  final ListAppender<ILoggingEvent> log = new ListAppender<>();
  final Logger logger = (Logger) LoggerFactory.getLogger(ServedKinds.class);

  @BeforeEach
  void captureLog() {
    log.start();
    logger.addAppender(log);
  }

  @AfterEach
  void releaseLog() {
    logger.detachAppender(log);
  }

  /** Discovery that does not list {@code absent} until {@code late} has passed on the fake clock. */
  Supplier<List<String>> discovery(List<String> absent, Duration late) {
    long listedAt = now.get() + late.toNanos();
    return () -> {
      asked.incrementAndGet();
      return now.get() < listedAt ? absent : List.of();
    };
  }

  void require(Supplier<List<String>> discovery) {
    ServedKinds.require(discovery, now::get, pause -> {
      pauses.add(pause);
      now.addAndGet(pause.toNanos());
    }, WAIT);
  }

  @Test
  void kindsListedAtOnceStartWithoutPauseOrLogLine() {
    require(discovery(List.of("pibackups"), Duration.ZERO));
    assertThat(pauses).isEmpty();
    assertThat(asked).hasValue(1);
    assertThat(log.list).isEmpty();
  }

  @Test
  void kindsListedAMomentLateStartAsSoonAsDiscoveryListsThem() {
    long begin = now.get();
    require(discovery(List.of("pistacks", "pibackups"), Duration.ofMillis(1200)));
    assertThat(pauses).containsExactly(Duration.ofMillis(100), Duration.ofMillis(200), Duration.ofMillis(400),
        Duration.ofMillis(800));
    assertThat(Duration.ofNanos(now.get() - begin)).as("started at the first question after 1.2 s")
        .isEqualTo(Duration.ofMillis(1500));
    assertThat(asked).hasValue(5);
    assertThat(log.list).first().extracting(ILoggingEvent::getFormattedMessage).asString()
        .contains("does not list pistacks.pistack.io and pibackups.pistack.io (pistack.io/v1alpha1) yet")
        .contains("up to 10 s");
    assertThat(log.list).last().extracting(ILoggingEvent::getFormattedMessage).asString()
        .contains("lists every kind of pistack.io/v1alpha1 now");
  }

  @Test
  void aKindNeverListedIsRefusedWithTheSameSentenceOnceTheWaitHasPassed() {
    long begin = now.get();
    assertThatThrownBy(() -> require(discovery(List.of("pibackups"), Duration.ofDays(1))))
        .isInstanceOf(IllegalStateException.class)
        .hasMessage(ServedKinds.message(List.of("pibackups")))
        .hasMessageStartingWith("the cluster does not serve pibackups.pistack.io (pistack.io/v1alpha1): apply this"
            + " release's CRDs first (kubectl apply --server-side --force-conflicts -f helm/pi-operator/crds/");
    assertThat(Duration.ofNanos(now.get() - begin)).as("refused at the end of the wait, not before or after")
        .isEqualTo(WAIT);
    assertThat(pauses).as("0.1 s doubling up to 1 s, the last one cut at the deadline").startsWith(
        Duration.ofMillis(100), Duration.ofMillis(200), Duration.ofMillis(400), Duration.ofMillis(800),
        Duration.ofSeconds(1)).endsWith(Duration.ofSeconds(1), Duration.ofMillis(500)).hasSize(13);
    assertThat(asked).as("asked once more after the last pause").hasValue(14);
  }

  @Test
  void discoveryIsReadAsAbsentKindsAndAnAnswerOtherThanNotFoundAsNone() {
    KubernetesMockServer server = new KubernetesMockServer(false);
    server.start();
    try (KubernetesClient client = server.createClient()) {
      server.expect().get().withPath("/apis/pistack.io/v1alpha1").andReturn(200, new APIResourceListBuilder()
          .withGroupVersion("pistack.io/v1alpha1").addNewResource().withName("pistacks").withKind("PiStack")
          .withNamespaced(true).withSingularName("pistack").withVerbs("get").endResource().build()).once();
      server.expect().get().withPath("/apis/pistack.io/v1alpha1").andReturn(404, "").once();
      server.expect().get().withPath("/apis/pistack.io/v1alpha1").andReturn(403, "").once();
      assertThat(ServedKinds.absent(client)).containsExactly("pibackups");
      assertThat(ServedKinds.absent(client)).as("the group not served at all").containsExactly("pistacks",
          "pibackups");
      assertThat(ServedKinds.absent(client)).as("not a definite answer: the informers' own retries judge").isEmpty();
    } finally {
      server.destroy();
    }
  }

  @Test
  void anInterruptedWaitStopsAtOnceAndKeepsTheInterrupt() {
    try {
      assertThatThrownBy(() -> ServedKinds.require(discovery(List.of("pibackups"), Duration.ofDays(1)), now::get,
          pause -> {
            throw new InterruptedException();
          }, WAIT)).isInstanceOf(IllegalStateException.class).hasMessageContaining("interrupted");
      assertThat(Thread.currentThread().isInterrupted()).isTrue();
    } finally {
      Thread.interrupted();
    }
  }
}
