package io.pistack.operator.realapi;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.joran.JoranConfigurator;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.classic.spi.ThrowableProxyUtil;
import ch.qos.logback.classic.util.ContextInitializer;
import ch.qos.logback.core.AppenderBase;
import ch.qos.logback.core.joran.spi.JoranException;
import io.pistack.operator.it.Stacks;
import io.pistack.operator.runtime.LogSetup;
import io.pistack.operator.runtime.RuntimeConfig;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import org.slf4j.LoggerFactory;

/**
 * Logging as production sets it up for PI_OPERATOR_LOG_LEVEL=TRACE: logback from the operator's own
 * logback.xml, then {@link LogSetup#apply}, with every event (formatted message and stack trace)
 * kept in memory instead of printed. {@link #close()} puts the test configuration back.
 */
final class ProductionLogs implements AutoCloseable {
  private final LoggerContext context = (LoggerContext) LoggerFactory.getILoggerFactory();
  private final List<String> lines = new CopyOnWriteArrayList<>();
  private final Map<String, Integer> perLevel = new ConcurrentHashMap<>();

  ProductionLogs(String level) {
    context.reset();
    context.putProperty("PI_OPERATOR_LOG_LEVEL", level);
    JoranConfigurator joran = new JoranConfigurator();
    joran.setContext(context);
    try {
      joran.doConfigure(Stacks.repoRoot().resolve("operator/src/main/resources/logback.xml").toFile());
    } catch (JoranException e) {
      throw new IllegalStateException(e);
    }
    LogSetup.apply(RuntimeConfig.fromEnv(Map.of("PI_OPERATOR_LOG_LEVEL", level)));
    ch.qos.logback.classic.Logger root = context.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME);
    root.detachAndStopAllAppenders();
    AppenderBase<ILoggingEvent> keep = new AppenderBase<>() {
      @Override
      protected void append(ILoggingEvent e) {
        perLevel.merge(e.getLevel().toString(), 1, Integer::sum);
        String line = e.getLevel() + " " + e.getLoggerName() + " - " + e.getFormattedMessage();
        if (e.getThrowableProxy() != null) {
          line += "\n" + ThrowableProxyUtil.asString(e.getThrowableProxy());
        }
        lines.add(line);
      }
    };
    keep.setContext(context);
    keep.start();
    root.addAppender(keep);
  }

  /** Lifts the pin on the wire loggers, as a configuration without it would. */
  void unpinWireLogging() {
    LogSetup.WIRE_LOGGERS.forEach(name -> context.getLogger(name).setLevel(Level.TRACE));
  }

  int mark() {
    return lines.size();
  }

  List<String> since(int mark) {
    return List.copyOf(lines.subList(mark, lines.size()));
  }

  int count(String level) {
    return perLevel.getOrDefault(level, 0);
  }

  @Override
  public void close() {
    context.reset();
    try {
      new ContextInitializer(context).autoConfig();
    } catch (JoranException e) {
      throw new IllegalStateException(e);
    }
  }
}
