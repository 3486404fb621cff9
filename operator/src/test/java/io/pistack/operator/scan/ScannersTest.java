package io.pistack.operator.scan;

import static org.assertj.core.api.Assertions.assertThat;

import io.pistack.operator.chart.Chart;
import io.pistack.operator.cli.Main;
import io.pistack.operator.it.Stacks;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

/**
 * Independent checks: kube-score and Checkov (pinned in scanners/tools.txt, installed by .ci/run)
 * on the render output of every sample (in namespace analytics when the sample names none, as
 * `kubectl apply -n` would) and on the chart's helm template. Every finding must be in
 * scanners/allow-list.txt with its reason. Missing tools fail the test rather than skip it.
 */
class ScannersTest {
  @Test
  void everySampleAndTheChartPassTheScannersOrAreAllowListed() throws Exception {
    Path root = Stacks.repoRoot();
    Path dir = root.resolve("operator/target/scanners");
    Files.createDirectories(dir);
    try (var old = Files.list(dir)) {
      for (Path p : old.filter(f -> f.toString().endsWith(".yaml")).toList()) {
        Files.delete(p);
      }
    }
    List<Path> samples = Stacks.samples().toList();
    assertThat(samples).hasSizeGreaterThanOrEqualTo(4);
    for (Path sample : samples) {
      StringWriter out = new StringWriter();
      StringWriter err = new StringWriter();
      CommandLine cmd = new CommandLine(new Main());
      cmd.setOut(new PrintWriter(out));
      cmd.setErr(new PrintWriter(err));
      assertThat(cmd.execute("render", "-n", "analytics", "-f", sample.toString())).as(err.toString()).isZero();
      Files.writeString(dir.resolve("render-" + sample.getFileName()), out.toString());
    }
    Files.writeString(dir.resolve("chart.yaml"), Chart.template(Map.of()));

    ProcessBuilder pb = new ProcessBuilder("bash", root.resolve("scanners/run.sh").toString(), dir.toString())
        .redirectErrorStream(true);
    String bin = System.getenv("PI_SCAN_TOOLS_BIN");
    if (bin != null && !bin.isBlank()) {
      pb.command().add(bin);
    }
    Process p = pb.start();
    String report = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertThat(p.waitFor(10, TimeUnit.MINUTES)).isTrue();
    System.out.println(report);
    Files.writeString(dir.resolve("report.txt"), report);
    // Both tools ran and reported findings (allowed ones at least: image pull policy, CPU limits, ...).
    var counts = java.util.regex.Pattern.compile("scanners: (\\d+) findings").matcher(report);
    assertThat(counts.find()).as(report).isTrue();
    assertThat(Integer.parseInt(counts.group(1))).as("findings").isPositive();
    assertThat(report).as("findings of each tool").contains("  kube-score ").contains("  checkov ");
    assertThat(p.exitValue()).as(report).isZero();
  }
}
