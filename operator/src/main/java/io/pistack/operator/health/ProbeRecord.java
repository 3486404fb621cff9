package io.pistack.operator.health;

import java.time.Instant;

/**
 * The current outcome of one target, and when (and with which latency) that outcome was first seen.
 * It stays the same object while probes keep seeing the same outcome.
 */
public record ProbeRecord(ProbeTarget target, ProbeResult result, Instant since) {}
