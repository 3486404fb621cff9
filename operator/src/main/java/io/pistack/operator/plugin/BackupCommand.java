package io.pistack.operator.plugin;

import io.fabric8.kubernetes.api.model.OwnerReferenceBuilder;
import io.fabric8.kubernetes.api.model.batch.v1.CronJob;
import io.fabric8.kubernetes.api.model.batch.v1.Job;
import io.fabric8.kubernetes.api.model.batch.v1.JobBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/**
 * {@code kubectl pi backup <stack>}: an on-demand backup now. Where the cluster serves PiBackups, a PiBackup
 * ({@link OnDemandPiBackup}); otherwise a Job from the stack's backup CronJob, exactly as
 * {@code kubectl create job --from=cronjob/<stack>-backup} makes it (owned by the CronJob, annotated as manual).
 */
@Command(name = "backup", mixinStandardHelpOptions = true,
    description = "Start a backup now: a PiBackup <stack>-<time> (or, where the cluster serves no PiBackups, a Job"
        + " from the stack's backup CronJob <stack>-backup).")
public class BackupCommand implements Callable<Integer> {
  @Mixin
  Kube kube;

  @Parameters(index = "0", paramLabel = "STACK", description = "The PiStack's name.")
  String name;

  @Option(names = "--verify", description = "Verify the backup once it completed (PiBackup spec.verify).")
  boolean verify;

  @Spec
  CommandSpec spec;

  @Override
  public Integer call() {
    try (KubernetesClient client = kube.client()) {
      Kube.stack(client, name);
      if (OnDemandPiBackup.served(client)) {
        var made = client.resource(OnDemandPiBackup.of(client.getNamespace(), name, verify, java.time.Instant.now())).create();
        spec.commandLine().getOut().println("pibackup.pistack.io/" + made.getMetadata().getName() + " created");
        spec.commandLine().getOut().flush();
        return 0;
      }
      String cronName = name + "-backup";
      CronJob cron = client.batch().v1().cronjobs().withName(cronName).get();
      if (cron == null) {
        throw new PluginMain.PluginException("cronjobs.batch \"" + cronName + "\" not found (is spec.backup set?)");
      }
      Job job = client.resource(job(cron, System.currentTimeMillis() / 1000)).create();
      spec.commandLine().getOut().println("job.batch/" + job.getMetadata().getName() + " created");
      spec.commandLine().getOut().flush();
      return 0;
    }
  }

  /** The Job kubectl create job --from=cronjob makes: the CronJob's template, its owner the CronJob. */
  static Job job(CronJob cron, long epochSeconds) {
    var template = cron.getSpec().getJobTemplate();
    Map<String, String> annotations = new HashMap<>();
    if (template.getMetadata() != null && template.getMetadata().getAnnotations() != null) {
      annotations.putAll(template.getMetadata().getAnnotations());
    }
    annotations.put("cronjob.kubernetes.io/instantiate", "manual");
    String name = cron.getMetadata().getName() + "-manual-" + epochSeconds;
    return new JobBuilder().withNewMetadata().withName(name.length() > 63 ? name.substring(0, 63) : name)
        .withNamespace(cron.getMetadata().getNamespace())
        .withLabels(template.getMetadata() == null ? null : template.getMetadata().getLabels())
        .withAnnotations(annotations)
        .withOwnerReferences(new OwnerReferenceBuilder().withApiVersion("batch/v1").withKind("CronJob")
            .withName(cron.getMetadata().getName()).withUid(cron.getMetadata().getUid()).withController(true)
            .build())
        .endMetadata().withSpec(template.getSpec()).build();
  }
}
