package io.pistack.operator.scenario;

import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.stream.Stream;
import org.junit.jupiter.api.extension.ConditionEvaluationResult;
import org.junit.jupiter.api.extension.ExecutionCondition;
import org.junit.jupiter.api.extension.Extension;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.api.extension.ParameterContext;
import org.junit.jupiter.api.extension.ParameterResolver;
import org.junit.jupiter.api.extension.TestTemplateInvocationContext;
import org.junit.jupiter.api.extension.TestTemplateInvocationContextProvider;
import org.junit.platform.commons.support.AnnotationSupport;

/**
 * Runs a {@link ScenarioTest} once per tier and hands it that tier's {@link Cluster}: the setup and
 * teardown every test class used to copy (start a mock or a namespace on the real control plane, the
 * licence Secret, the operator; stop and delete them after).
 */
public final class ScenarioExtension implements TestTemplateInvocationContextProvider {
  private static final ExtensionContext.Namespace STORE = ExtensionContext.Namespace.create(ScenarioExtension.class);

  @Override
  public boolean supportsTestTemplate(ExtensionContext context) {
    return AnnotationSupport.isAnnotated(context.getTestMethod(), ScenarioTest.class);
  }

  @Override
  public Stream<TestTemplateInvocationContext> provideTestTemplateInvocationContexts(ExtensionContext context) {
    Tier[] tiers = AnnotationSupport.findAnnotation(context.getRequiredTestMethod(), ScenarioTest.class)
        .orElseThrow().value();
    String only = System.getProperty("scenario.tiers", "");
    return Arrays.stream(tiers).map(t -> invocation(t, only.isBlank() || Arrays.stream(only.split(","))
        .anyMatch(o -> o.trim().equalsIgnoreCase(t.name()))));
  }

  /** A tier left out by -Dscenario.tiers is reported as skipped, not silently dropped. */
  private static TestTemplateInvocationContext invocation(Tier tier, boolean selected) {
    return new TestTemplateInvocationContext() {
      @Override
      public String getDisplayName(int invocationIndex) {
        return tier.name().toLowerCase(Locale.ROOT);
      }

      @Override
      public List<Extension> getAdditionalExtensions() {
        ExecutionCondition condition = c -> selected ? ConditionEvaluationResult.enabled("tier selected")
            : ConditionEvaluationResult.disabled("tier " + tier + " left out by -Dscenario.tiers");
        return List.of(condition, new ClusterResolver(tier));
      }
    };
  }

  /** Opens the tier's cluster for the invocation; JUnit closes it when the invocation ends. */
  private record ClusterResolver(Tier tier) implements ParameterResolver {
    @Override
    public boolean supportsParameter(ParameterContext p, ExtensionContext e) {
      return p.getParameter().getType() == Cluster.class;
    }

    @Override
    public Object resolveParameter(ParameterContext p, ExtensionContext e) {
      return e.getStore(STORE).getOrComputeIfAbsent(Holder.class, k -> new Holder(tier.open(label(e))), Holder.class)
          .cluster;
    }

    /** A namespace name from the test method's name: "sc-" and at most 30 lower-case letters and digits. */
    private static String label(ExtensionContext e) {
      String method = e.getRequiredTestMethod().getName().toLowerCase(Locale.ROOT).replaceAll("[^a-z0-9]", "");
      return "sc-" + method.substring(0, Math.min(30, method.length()));
    }
  }

  /** Closed by JUnit with the invocation's store. */
  private record Holder(Cluster cluster) implements ExtensionContext.Store.CloseableResource {
    @Override
    public void close() {
      cluster.close();
    }
  }
}
