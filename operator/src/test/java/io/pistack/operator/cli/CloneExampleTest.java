package io.pistack.operator.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import io.pistack.operator.it.Stacks;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

/**
 * samples/clones/clone-to-staging.yaml (in a folder of its own: it needs an S3 source, read credentials and a ConfigMap
 * of SQL first, so it cannot be applied as it is, which the golden render test does with every samples/*.yaml) passes the
 * CRD schema, the CEL mirror and the operator's checks, and renders a restore Job from the source's prefix.
 */
class CloneExampleTest {
  static final Path EXAMPLE = Stacks.repoRoot().resolve("samples/clones/clone-to-staging.yaml");

  @Test
  void theExampleIsValidAndRendersARestoreFromTheSourcesPrefix() throws Exception {
    var doc = new ObjectMapper(new YAMLFactory()).readTree(EXAMPLE.toFile());
    assertThat(new CrdSchemaValidator().validate(doc)).isEmpty();
    assertThat(RenderCommand.problems(doc)).isEmpty();
    StringWriter out = new StringWriter();
    StringWriter err = new StringWriter();
    int code = new CommandLine(new RenderCommand()).setOut(new PrintWriter(out)).setErr(new PrintWriter(err))
        .execute("-f", EXAMPLE.toString());
    assertThat(code).as(err.toString()).isZero();
    assertThat(out.toString()).contains("name: \"pi-restore-").contains("value: \"prod/pi/\"")
        .contains("value: \"staging/pi/\"");
  }
}
