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
 */
public final class LogSetup {
  public static final String JSON_APPENDER = "JSON";

  private LogSetup() {}

  public static void apply(RuntimeConfig config) {
    if (!(LoggerFactory.getILoggerFactory() instanceof LoggerContext context)) {
      return;
    }
    Logger root = context.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME);
    root.setLevel(Level.toLevel(config.logLevel(), Level.INFO));
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
