package io.pistack.operator.plugin;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.util.ArrayList;
import java.util.List;

/** One {@code kubectl pi} run in this JVM: its exit code, stdout and stderr. */
record PluginRun(int code, String out, String err) {
  static PluginRun of(String... args) {
    StringWriter out = new StringWriter();
    StringWriter err = new StringWriter();
    var cl = PluginMain.commandLine();
    cl.setOut(new PrintWriter(out, true));
    cl.setErr(new PrintWriter(err, true));
    int code = cl.execute(args);
    return new PluginRun(code, out.toString(), err.toString());
  }

  /** {@code args} after {@code --kubeconfig file}. */
  static PluginRun with(String kubeconfig, String... args) {
    List<String> all = new ArrayList<>(List.of(args));
    all.add("--kubeconfig");
    all.add(kubeconfig);
    return of(all.toArray(String[]::new));
  }

  /** {@link #kubeconfig} for the mock server, written to {@code dir}/kubeconfig; returns the file's path. */
  static String kubeconfigFile(io.fabric8.kubernetes.client.server.mock.KubernetesMockServer server,
      java.nio.file.Path dir, String namespace) throws java.io.IOException {
    java.nio.file.Path f = dir.resolve("kubeconfig");
    java.nio.file.Files.writeString(f, kubeconfig(server.url("/").replaceAll("/$", ""), namespace));
    return f.toString();
  }

  /** A kubeconfig for {@code url} whose current context's namespace is {@code namespace}. */
  static String kubeconfig(String url, String namespace) {
    return """
        apiVersion: v1
        kind: Config
        clusters:
        - name: test
          cluster:
            server: %s
            insecure-skip-tls-verify: true
        users:
        - name: test
          user:
            token: not-a-token
        contexts:
        - name: test
          context: {cluster: test, user: test, namespace: %s}
        - name: other
          context: {cluster: test, user: test, namespace: other}
        current-context: test
        """.formatted(url, namespace);
  }
}
