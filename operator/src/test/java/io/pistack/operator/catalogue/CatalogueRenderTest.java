package io.pistack.operator.catalogue;

import static org.assertj.core.api.Assertions.assertThat;

import io.pistack.operator.catalogue.Catalogue.Case;
import io.pistack.operator.catalogue.Catalogue.Expect;
import io.pistack.operator.cli.Main;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import picocli.CommandLine;

/** Every catalogue case through `render`: the expected verdict, the field path, no Java leaking out. */
class CatalogueRenderTest {
  /** The YAML files given to render: JUnit deletes them after each test. */
  @TempDir
  Path tmp;

  record Result(int code, String out, String err) {}

  static List<Case> cases() {
    return Catalogue.all();
  }

  @Test
  void theCatalogueHasAtLeastOneHundredCasesWithUniqueNames() {
    assertThat(Catalogue.all()).hasSizeGreaterThanOrEqualTo(100);
    assertThat(Catalogue.all()).extracting(Case::name).doesNotHaveDuplicates();
    assertThat(Catalogue.all()).extracting(Case::expect).contains(Expect.values());
    // A case is the stack's name: a name the API server refuses would be refused for its name, not the case's field.
    assertThat(Catalogue.all()).filteredOn(c -> !c.field().equals("metadata.name"))
        .allSatisfy(c -> assertThat(io.pistack.operator.api.v1alpha1.StackName.problem(c.name())).as(c.name()).isNull());
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("cases")
  void renderGivesTheExpectedVerdict(Case c) throws IOException {
    Path f = Files.createTempFile(tmp, "case", ".yaml");
    Files.writeString(f, c.yaml());
    Result r = render("-f", f.toString());
    if (c.expect() == Expect.warning) {
      assertThat(r.code()).as(r.err()).isZero();
      assertThat(r.err()).as("a warning naming " + c.field()).containsPattern("(?m)^warning: .*" + quote(c.field()));
      assertThat(r.out()).contains("kind: \"Deployment\"");
    } else {
      assertThat(r.code()).as(r.err()).isEqualTo(2);
      assertThat(r.out()).isEmpty();
      assertThat(r.err()).as("a problem naming " + c.field()).containsPattern("(?m)^  - " + quote(c.field()));
    }
    assertThat(r.err() + r.out()).doesNotContainPattern(Catalogue.JAVA_LEAK);
  }

  private static String quote(String s) {
    return java.util.regex.Pattern.quote(s);
  }

  static Result render(String... args) {
    StringWriter out = new StringWriter();
    StringWriter err = new StringWriter();
    CommandLine cmd = new CommandLine(new Main());
    cmd.setOut(new PrintWriter(out));
    cmd.setErr(new PrintWriter(err));
    String[] full = new String[args.length + 1];
    full[0] = "render";
    System.arraycopy(args, 0, full, 1, args.length);
    int code = cmd.execute(full);
    return new Result(code, out.toString(), err.toString());
  }
}
