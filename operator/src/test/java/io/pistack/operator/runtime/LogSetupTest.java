package io.pistack.operator.runtime;

import static org.assertj.core.api.Assertions.assertThat;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.LoggerContext;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.slf4j.LoggerFactory;

/**
 * The wire-logging pin at every PI_OPERATOR_LOG_LEVEL (the end-to-end proof, on the real API
 * server at TRACE, is realapi/NoSecretsInLogsTest).
 */
class LogSetupTest {
  @Test
  void theHttpWireLoggersNeverGoBelowInfoWhateverTheLevel() {
    LoggerContext context = (LoggerContext) LoggerFactory.getILoggerFactory();
    Logger root = context.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME);
    Level rootBefore = root.getLevel();
    Map<String, Level> before = new HashMap<>();
    LogSetup.WIRE_LOGGERS.forEach(n -> before.put(n, context.getLogger(n).getLevel()));
    System.setProperty("jdk.httpclient.HttpClient.log", "all");
    try {
      for (String level : List.of("TRACE", "DEBUG", "INFO", "WARN", "ERROR")) {
        LogSetup.apply(RuntimeConfig.fromEnv(Map.of("PI_OPERATOR_LOG_LEVEL", level)));
        Level applied = Level.toLevel(level);
        assertThat(root.getLevel()).isEqualTo(applied);
        for (String name : LogSetup.WIRE_LOGGERS) {
          Level wire = context.getLogger(name).getEffectiveLevel();
          assertThat(wire.isGreaterOrEqual(Level.INFO)).as("%s at %s", name, level).isTrue();
          assertThat(wire.isGreaterOrEqual(applied)).as("%s no chattier than the root at %s", name, level).isTrue();
        }
      }
      assertThat(System.getProperty("jdk.httpclient.HttpClient.log")).as("the JDK client's wire log").isNull();
      for (String name : LogSetup.JUL_WIRE_LOGGERS) {
        assertThat(java.util.logging.Logger.getLogger(name).isLoggable(java.util.logging.Level.INFO)).as(name).isFalse();
      }
      assertThat(LoggerFactory.getLogger("io.fabric8.kubernetes.client.http.HttpLoggingInterceptor").isTraceEnabled())
          .as("fabric8 adds its body logger to a client built while this is true").isFalse();
    } finally {
      System.clearProperty("jdk.httpclient.HttpClient.log");
      root.setLevel(rootBefore);
      before.forEach((n, l) -> context.getLogger(n).setLevel(l));
    }
  }
}
