package io.pistack.operator.backup;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.security.MessageDigest;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * A local S3 server (moto_server from the moto PyPI package) on 127.0.0.1, and the AWS CLI from the same venv.
 * .ci/run installs both into ~/.cache/pi-operator/s3-tools-&lt;hash of .ci/s3-tools.txt&gt; and exports
 * PI_S3_TOOLS_BIN. Missing tools fail the test rather than skip it.
 *
 * <p>What moto 5.2.5 enforces (checked by these tests and by hand): deleting an object version under COMPLIANCE
 * retention is refused (AccessDenied), also with x-amz-bypass-governance-retention; under GOVERNANCE it is refused
 * unless bypassed. What it does not: it does not verify x-amz-checksum-sha256 or Content-MD5 on upload (it stores
 * what the client claims), and it lets a COMPLIANCE retention be shortened. The tests claim only the former.
 */
final class LocalS3 implements AutoCloseable {
  static final String ACCESS_KEY = "AKIAPITESTEXAMPLE";
  /** Must never show up in any output of the scripts. */
  static final String SECRET_KEY = "pi-S3-secret/Key+never-logged";
  static final String REGION = "eu-west-2";

  final Path bin;
  final String endpoint;
  private final Process server;
  private final Path log;

  private LocalS3() throws Exception {
    bin = toolsBin();
    if (!Files.isExecutable(bin.resolve("moto_server")) || !Files.isExecutable(bin.resolve("aws"))) {
      fail("moto_server/aws not found in %s: run .ci/run (it installs .ci/s3-tools.txt into a venv)", bin);
    }
    int port = LocalMariaDb.freePort();
    endpoint = "http://127.0.0.1:" + port;
    log = Files.createTempFile("moto-", ".log");
    server = new ProcessBuilder(bin.resolve("moto_server").toString(), "-H", "127.0.0.1", "-p", Integer.toString(port))
        .redirectErrorStream(true).redirectOutput(log.toFile()).start();
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
    while (true) {
      try (Socket s = new Socket()) {
        s.connect(new InetSocketAddress("127.0.0.1", port), 500);
        break;
      } catch (IOException notYet) {
        if (!server.isAlive() || System.nanoTime() > deadline) {
          fail("moto_server did not start:\n%s", Files.readString(log));
        }
        Thread.sleep(100);
      }
    }
  }

  static LocalS3 start() throws Exception {
    return new LocalS3();
  }

  /** The venv of .ci/s3-tools.txt: PI_S3_TOOLS_BIN, or where .ci/run puts it. */
  static Path toolsBin() throws Exception {
    String env = System.getenv("PI_S3_TOOLS_BIN");
    if (env != null && !env.isBlank()) {
      return Paths.get(env);
    }
    Path cwd = Paths.get(System.getProperty("user.dir")).toAbsolutePath();
    Path req = cwd.resolve(".ci/s3-tools.txt");
    if (!Files.exists(req)) {
      req = cwd.getParent().resolve(".ci/s3-tools.txt"); // Maven runs the tests in operator/
    }
    String hash = HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(Files.readAllBytes(req)));
    return Paths.get(System.getProperty("user.home"), ".cache", "pi-operator", "s3-tools-" + hash.substring(0, 12), "bin");
  }

  /** Environment for s3.sh and the AWS CLI: this server, static credentials, the venv first on PATH. */
  Map<String, String> env(String bucket, String prefix) {
    Map<String, String> env = new LinkedHashMap<>();
    env.put("PATH", bin + ":/usr/local/bin:/usr/bin:/bin");
    env.put("HOME", System.getProperty("java.io.tmpdir"));
    env.put("AWS_ACCESS_KEY_ID", ACCESS_KEY);
    env.put("AWS_SECRET_ACCESS_KEY", SECRET_KEY);
    env.put("S3_ENDPOINT", endpoint);
    env.put("S3_REGION", REGION);
    env.put("S3_BUCKET", bucket);
    env.put("S3_PREFIX", prefix);
    return env;
  }

  /** Runs "aws --endpoint-url ... s3api args..." directly (the test's own hand on the bucket). */
  LocalMariaDb.Exec.Result s3api(String... args) throws Exception {
    List<String> cmd = new ArrayList<>(List.of(bin.resolve("aws").toString(), "--endpoint-url", endpoint, "s3api"));
    cmd.addAll(List.of(args));
    Map<String, String> env = new LinkedHashMap<>(env("unused", ""));
    env.put("AWS_DEFAULT_REGION", REGION);
    env.put("AWS_PAGER", "");
    return LocalMariaDb.Exec.run(cmd, env, null, Duration.ofSeconds(60), true);
  }

  /** Like s3api, but the call must succeed; returns stdout. */
  String s3apiOk(String... args) throws Exception {
    LocalMariaDb.Exec.Result r = s3api(args);
    assertThat(r.exitCode()).as("aws s3api %s: %s", List.of(args), r.stderr()).isZero();
    return r.stdout().strip();
  }

  void createBucket(String bucket, boolean objectLock) throws Exception {
    List<String> args = new ArrayList<>(List.of("create-bucket", "--bucket", bucket,
        "--create-bucket-configuration", "LocationConstraint=" + REGION));
    if (objectLock) {
      args.add("--object-lock-enabled-for-bucket");
    }
    s3apiOk(args.toArray(String[]::new));
  }

  @Override
  public void close() throws Exception {
    server.destroy();
    if (!server.waitFor(20, TimeUnit.SECONDS)) {
      server.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
    }
    Files.deleteIfExists(log);
  }
}
