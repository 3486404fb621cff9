package io.pistack.operator.runtime;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.encoder.JsonEncoder;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.ConsoleAppender;
import ch.qos.logback.core.encoder.Encoder;
import org.slf4j.LoggerFactory;

/**
 * Applies PI_OPERATOR_LOG_LEVEL and PI_OPERATOR_LOG_FORMAT to logback at startup. The text format
 * comes from logback.xml; {@code json} swaps the root appender for one with logback's own
 * {@link JsonEncoder} (one JSON object per line on stderr: timestamp, level, threadName,
 * loggerName, formattedMessage, throwable), so no extra library or janino is needed.
 *
 * <p>Whatever the level, the HTTP clients' wire logging stays off: at TRACE fabric8's
 * HttpLoggingInterceptor prints every request and response body, and so every Secret the operator
 * reads or writes (the licence, the generated passwords). {@link #WIRE_LOGGERS} never go below
 * INFO, where none of them prints a body; the JDK HTTP client's own wire log is switched off too.
 * Tested by realapi/NoSecretsInLogsTest.
 */
public final class LogSetup {
  public static final String JSON_APPENDER = "JSON";

  /** Loggers that print HTTP bodies or frames below INFO (SLF4J names; Netty logs through SLF4J). */
  public static final java.util.List<String> WIRE_LOGGERS = java.util.List.of(
      "io.fabric8.kubernetes.client.http.HttpLoggingInterceptor",
      "io.netty.handler.logging.LoggingHandler",
      "io.netty.handler.codec.http2.Http2FrameLogger",
      "okhttp3");
  /** java.util.logging names of the JDK HTTP client's and OkHttp's wire logs. */
  static final java.util.List<String> JUL_WIRE_LOGGERS = java.util.List.of(
      "jdk.httpclient.HttpClient", "jdk.internal.httpclient", "okhttp3");
  /** JUL holds its loggers weakly: a level set on a collected logger would be lost. */
  private static final java.util.List<java.util.logging.Logger> PINNED_JUL = new java.util.ArrayList<>();

  private LogSetup() {}

  public static void apply(RuntimeConfig config) {
    pinWireLoggingOff();
    if (!(LoggerFactory.getILoggerFactory() instanceof LoggerContext context)) {
      return;
    }
    Logger root = context.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME);
    Level level = Level.toLevel(config.logLevel(), Level.INFO);
    root.setLevel(level);
    Level wire = level.isGreaterOrEqual(Level.INFO) ? level : Level.INFO;
    WIRE_LOGGERS.forEach(name -> context.getLogger(name).setLevel(wire));
    if (config.logFormat() == RuntimeConfig.LogFormat.JSON && root.getAppender(JSON_APPENDER) == null) {
      ConsoleAppender<ILoggingEvent> appender = new ConsoleAppender<>();
      appender.setContext(context);
      appender.setName(JSON_APPENDER);
      appender.setTarget("System.err");
      appender.setEncoder(jsonEncoder(context));
      appender.start();
      root.detachAndStopAllAppenders();
      root.addAppender(appender);
    }
  }

  /** The JDK HTTP client logs bodies when these are set (e.g. through JAVA_TOOL_OPTIONS). */
  private static synchronized void pinWireLoggingOff() {
    System.clearProperty("jdk.httpclient.HttpClient.log");
    System.clearProperty("jdk.internal.httpclient.debug");
    if (PINNED_JUL.isEmpty()) {
      JUL_WIRE_LOGGERS.forEach(name -> PINNED_JUL.add(java.util.logging.Logger.getLogger(name)));
    }
    PINNED_JUL.forEach(l -> l.setLevel(java.util.logging.Level.WARNING));
  }

  static Encoder<ILoggingEvent> jsonEncoder(LoggerContext context) {
    JsonEncoder encoder = new JsonEncoder();
    encoder.setContext(context);
    encoder.setWithSequenceNumber(false);
    encoder.setWithNanoseconds(false);
    encoder.setWithContext(false);
    encoder.setWithMessage(false);
    encoder.setWithArguments(false);
    encoder.setWithFormattedMessage(true);
    encoder.start();
    return encoder;
  }
}
