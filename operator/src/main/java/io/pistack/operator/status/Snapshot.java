package io.pistack.operator.status;

import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.apps.StatefulSet;
import io.fabric8.kubernetes.api.model.batch.v1.Job;
import io.fabric8.kubernetes.api.model.gatewayapi.v1.HTTPRoute;
import io.pistack.operator.health.StackHealth;
import io.pistack.operator.model.Component;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The observe stage's one value (observe/StackObserver): what the caches hold about a stack's children after the
 * apply, as read, nothing judged. What it means (a pod the scheduler could not place, a Job's outcome, when to look
 * again) is the status stage's decision ({@link StatusDecision}).
 *
 * @param deployments the component Deployments found, by component
 * @param database the embedded database's StatefulSet, if any
 * @param pods the stack's pods, of every component and the database, as the cache holds them
 * @param health the active probes' current view (disabled or not yet probed: no records)
 * @param route the stack's HTTPRoute, while spec.httpRoute is on and the route exists
 * @param jobs the stack's backup and restore Jobs (StackJobs)
 * @param messages Job name to its pod's termination message, read only for the finished Jobs whose outcome the status
 *     lacks (UnrecordedJobs, JobTerminationMessages: observe/ObservedJobs)
 */
public record Snapshot(Map<Component, Deployment> deployments, Optional<StatefulSet> database, List<Pod> pods,
    StackHealth health, Optional<HTTPRoute> route, List<Job> jobs, Map<String, String> messages) {}
