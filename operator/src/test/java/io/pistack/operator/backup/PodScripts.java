package io.pistack.operator.backup;

import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.EnvVar;
import io.fabric8.kubernetes.api.model.PodSpec;
import io.pistack.operator.backup.LocalMariaDb.Exec;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Runs the containers of a backup pod the operator made, as a kubelet would run them, on this machine: each
 * container's own command (the script text the pod carries) with the container's own environment (prefix, keep,
 * bucket, prefix in the bucket...), in order, init containers first. Only what points at the cluster is replaced:
 * the database (a throwaway MariaDB on loopback), the S3 endpoint and its credentials (moto_server on loopback),
 * the volumes (temporary directories) and the termination log (a file per container). For the real-API tier, where
 * kwok runs no container: the test then writes the messages into the pod's status as the kubelet would.
 */
public final class PodScripts implements AutoCloseable {
  private static final String DB_PASSWORD = "Pi-pod p@ss;\"$(id)`x`'\\!";
  private final LocalMariaDb db;
  private final LocalS3 s3;
  private final Path root;

  /** Each container's name and the termination message it left, in the order they ran. */
  public record Ran(String container, int exitCode, String message, String stderr) {}

  private PodScripts(LocalMariaDb db, LocalS3 s3, Path root) {
    this.db = db;
    this.s3 = s3;
    this.root = root;
  }

  /** A MariaDB with the Pi schema seeded, and an S3 server with {@code bucket} (Object Lock on). */
  public static PodScripts start(String bucket) throws Exception {
    LocalMariaDb db = LocalMariaDb.start("pi", DB_PASSWORD);
    LocalS3 s3 = LocalS3.start();
    try (InputStream in = PodScripts.class.getResourceAsStream("/backup/seed.sql")) {
      db.sql(new String(in.readAllBytes(), StandardCharsets.UTF_8));
    }
    s3.createBucket(bucket, true);
    return new PodScripts(db, s3, Files.createTempDirectory("pod-scripts"));
  }

  /** Runs the pod's containers in order, with fresh scratch directories (its emptyDirs); stops at the first that fails. */
  public List<Ran> run(PodSpec pod) throws Exception {
    return run(pod, null);
  }

  /** As {@link #run(PodSpec)}, with {@code volume} as the backup volume (kept across pods), when not null. */
  public List<Ran> run(PodSpec pod, Path volume) throws Exception {
    Path run = Files.createTempDirectory(root, "pod"); // the pod's own emptyDirs
    Path backups = volume != null ? volume : Files.createDirectories(run.resolve("backups"));
    Path work = Files.createDirectories(run.resolve("verify"));
    Path shared = Files.createDirectories(root.resolve("shared/keys"));
    Files.writeString(shared.resolve("dashboard.key"), "key");
    List<Container> containers = new ArrayList<>();
    if (pod.getInitContainers() != null) {
      containers.addAll(pod.getInitContainers());
    }
    containers.addAll(pod.getContainers());
    List<Ran> out = new ArrayList<>();
    for (Container c : containers) {
      Path termLog = run.resolve(c.getName() + ".termination-log");
      Map<String, String> env = new LinkedHashMap<>();
      for (EnvVar e : c.getEnv() == null ? List.<EnvVar>of() : c.getEnv()) {
        if (e.getValueFrom() == null) { // a Secret's value is the cluster's: replaced below
          env.put(e.getName(), e.getValue());
        }
      }
      Map<String, String> s3env = s3.env(env.getOrDefault("S3_BUCKET", "unused"), env.getOrDefault("S3_PREFIX", ""));
      env.put("PATH", s3env.get("PATH") + ":/usr/sbin:/sbin");
      env.put("HOME", s3env.get("HOME"));
      if (env.containsKey("S3_BUCKET")) {
        for (String k : List.of("AWS_ACCESS_KEY_ID", "AWS_SECRET_ACCESS_KEY", "S3_ENDPOINT")) {
          env.put(k, s3env.get(k));
        }
      }
      if (env.containsKey("DB_HOST")) {
        env.putAll(db.scriptEnv());
      }
      if (env.containsKey("WORK_DIR")) {
        env.put("WORK_DIR", work.toString());
      }
      env.put("BACKUP_DIR", backups.toString());
      env.put("SHARED_DIR", shared.getParent().toString());
      env.put("TERMINATION_LOG", termLog.toString());
      Exec.Result r = Exec.run(c.getCommand(), env, null, Duration.ofSeconds(180), true);
      String message = Files.exists(termLog) ? Files.readString(termLog).trim() : null;
      out.add(new Ran(c.getName(), r.exitCode(), message, r.stderr()));
      if (r.exitCode() != 0) {
        break;
      }
    }
    return out;
  }

  /** Drops a schema: the database a new stack (a clone) starts with has none. */
  public void dropSchema(String schema) throws Exception {
    db.sql("DROP DATABASE IF EXISTS `" + schema + "`");
  }

  /** The bucket's objects as the test's own S3 client sees them: "key version size" lines. */
  public String objects(String bucket) throws Exception {
    return s3.s3apiOk("list-object-versions", "--bucket", bucket, "--query",
        "Versions[].[Key, VersionId, Size]", "--output", "text");
  }

  @Override
  public void close() throws Exception {
    for (AutoCloseable c : new AutoCloseable[] {s3, db}) {
      if (c != null) {
        c.close();
      }
    }
    LocalMariaDb.deleteRecursively(root);
    assertThat(Files.exists(root)).isFalse();
  }
}
