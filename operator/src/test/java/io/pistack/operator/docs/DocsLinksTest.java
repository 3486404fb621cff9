package io.pistack.operator.docs;

import static org.assertj.core.api.Assertions.assertThat;

import io.pistack.operator.it.Stacks;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * Every relative link of README.md, CONTRIBUTING.md and docs/ leads to a file that exists and, with a #fragment into
 * a Markdown page, to one of its headings (GitHub's anchors: lower case, punctuation dropped, spaces as hyphens, a
 * repeated heading suffixed -1, -2...). Pages move in a docs reorganisation; this keeps their links whole.
 */
class DocsLinksTest {
  private static final Pattern LINK = Pattern.compile("\\]\\(([^)\\s]+)\\)");
  private static final Pattern FENCED = Pattern.compile("(?s)```.*?```");
  private static final Pattern INLINE_CODE = Pattern.compile("`[^`\\n]*`");
  private static final Pattern HEADING = Pattern.compile("(?m)^#{1,6} (.+)$");

  static String prose(String markdown) {
    return INLINE_CODE.matcher(FENCED.matcher(markdown).replaceAll("")).replaceAll("");
  }

  static Set<String> anchors(String markdown) {
    Set<String> out = new HashSet<>();
    Map<String, Integer> seen = new HashMap<>();
    Matcher h = HEADING.matcher(FENCED.matcher(markdown).replaceAll(""));
    while (h.find()) {
      String a = h.group(1).strip().toLowerCase(Locale.ROOT).replaceAll("[^\\p{L}\\p{N}\\- _]", "").replace(' ', '-');
      int n = seen.merge(a, 1, Integer::sum) - 1;
      out.add(n == 0 ? a : a + "-" + n);
    }
    return out;
  }

  @Test
  void everyRelativeLinkLeadsToAFileAndHeadingThatExist() throws IOException {
    Path root = Stacks.repoRoot();
    List<Path> pages = new ArrayList<>(List.of(root.resolve("README.md"), root.resolve("CONTRIBUTING.md")));
    try (Stream<Path> docs = Files.walk(root.resolve("docs"))) {
      docs.filter(p -> p.toString().endsWith(".md")).sorted().forEach(pages::add);
    }
    List<String> broken = new ArrayList<>();
    for (Path page : pages) {
      Matcher m = LINK.matcher(prose(Files.readString(page)));
      while (m.find()) {
        String link = m.group(1);
        if (link.matches("[a-z]+:.*")) {
          continue; // https:, mailto:
        }
        String file = link.contains("#") ? link.substring(0, link.indexOf('#')) : link;
        String fragment = link.contains("#") ? link.substring(link.indexOf('#') + 1) : "";
        Path target = file.isEmpty() ? page : page.getParent().resolve(file).normalize();
        if (!Files.exists(target)) {
          broken.add(root.relativize(page) + ": " + link + " (no such file)");
        } else if (!fragment.isEmpty() && target.toString().endsWith(".md")
            && !anchors(Files.readString(target)).contains(fragment)) {
          broken.add(root.relativize(page) + ": " + link + " (no such heading)");
        }
      }
    }
    assertThat(broken).as("broken links in the docs").isEmpty();
  }
}
