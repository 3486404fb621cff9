package io.pistack.operator.health;

/**
 * Something that should work and does not, as the status reports it.
 *
 * @param reason a CamelCase reason (CrashLoopBackOff, ProgressDeadlineExceeded, HealthCheckFailed...)
 * @param message names the component and, when a pod is at fault, the pod; never Secret values
 */
public record Issue(String reason, String message) {}
