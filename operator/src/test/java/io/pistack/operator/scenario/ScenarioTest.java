package io.pistack.operator.scenario;

import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;
import org.junit.jupiter.api.TestTemplate;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * A test written once and run on each tier named (both by default): a method with a {@link Cluster}
 * parameter runs once per tier, each with a fresh cluster, closed after it. {@code
 * -Dscenario.tiers=mock} (or {@code real}) runs one tier only, for a fast loop.
 *
 * <pre>{@code
 * @ScenarioTest
 * void aMinimalStackConverges(Cluster cluster) {
 *   cluster.create(Fixtures.SMALL);
 *   cluster.awaitConverged(Cluster.PI);
 * }
 * }</pre>
 */
@Target(ElementType.METHOD)
@Retention(RetentionPolicy.RUNTIME)
@TestTemplate
@ExtendWith(ScenarioExtension.class)
public @interface ScenarioTest {
  Tier[] value() default {Tier.MOCK, Tier.REAL};
}
