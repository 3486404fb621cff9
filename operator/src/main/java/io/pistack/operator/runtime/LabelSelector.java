package io.pistack.operator.runtime;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A Kubernetes label selector in its string form ({@code kubectl -l}), as the operator's shard settings take it:
 * {@code key}, {@code !key}, {@code key=value}, {@code key==value}, {@code key!=value}, {@code key in (a,b)},
 * {@code key notin (a,b)}, comma-separated (all must hold). Parsed once, so that a typo fails the start with the
 * variable's name instead of an informer's 400; {@link #matches} evaluates it as the API server does.
 */
public record LabelSelector(String text, List<Term> terms) {
  private static final String KEY = "(?:[a-z0-9](?:[-a-z0-9]*[a-z0-9])?(?:\\.[a-z0-9](?:[-a-z0-9]*[a-z0-9])?)*/)?"
      + "[A-Za-z0-9](?:[-A-Za-z0-9_.]{0,61}[A-Za-z0-9])?";
  private static final String VALUE = "(?:[A-Za-z0-9](?:[-A-Za-z0-9_.]{0,61}[A-Za-z0-9])?)?";
  private static final Pattern SET = Pattern.compile("(" + KEY + ")\\s+(in|notin)\\s+\\(([^)]*)\\)");
  private static final Pattern EQUALITY = Pattern.compile("(" + KEY + ")\\s*(==|!=|=)\\s*(" + VALUE + ")");
  private static final Pattern EXISTS = Pattern.compile("(!?)\\s*(" + KEY + ")");
  private static final Pattern VALUE_ONLY = Pattern.compile(VALUE);

  public enum Op { EXISTS, NOT_EXISTS, IN, NOT_IN }

  /** One requirement; {@code key=value} is {@code key in (value)}, {@code key!=value} is {@code key notin (value)}. */
  public record Term(String key, Op op, Set<String> values) {
    boolean matches(Map<String, String> labels) {
      String v = labels.get(key);
      return switch (op) {
        case EXISTS -> v != null;
        case NOT_EXISTS -> v == null;
        case IN -> v != null && values.contains(v);
        case NOT_IN -> v == null || !values.contains(v);
      };
    }
  }

  /** The selector, or empty with the reason it is not one. */
  public static Optional<LabelSelector> parse(String text, List<String> problems) {
    List<Term> terms = new ArrayList<>();
    for (String part : split(text)) {
      Optional<Term> term = term(part.trim());
      if (term.isEmpty()) {
        problems.add("\"" + part.trim() + "\" is not a label requirement (key, !key, key=value, key!=value,"
            + " key in (a,b), key notin (a,b))");
        return Optional.empty();
      }
      terms.add(term.get());
    }
    if (terms.isEmpty()) {
      problems.add("an empty selector");
      return Optional.empty();
    }
    return Optional.of(new LabelSelector(text.trim(), List.copyOf(terms)));
  }

  /** True when every requirement holds for these labels (null: none). */
  public boolean matches(Map<String, String> labels) {
    Map<String, String> l = labels == null ? Map.of() : labels;
    return terms.stream().allMatch(t -> t.matches(l));
  }

  @Override
  public String toString() {
    return text;
  }

  /** Splits on the commas outside parentheses. */
  private static List<String> split(String text) {
    List<String> parts = new ArrayList<>();
    int depth = 0;
    StringBuilder current = new StringBuilder();
    for (char c : text.toCharArray()) {
      if (c == '(') {
        depth++;
      } else if (c == ')') {
        depth--;
      }
      if (c == ',' && depth == 0) {
        parts.add(current.toString());
        current.setLength(0);
      } else {
        current.append(c);
      }
    }
    if (!current.toString().isBlank() || !parts.isEmpty()) {
      parts.add(current.toString());
    }
    return parts;
  }

  private static Optional<Term> term(String part) {
    Matcher m = SET.matcher(part);
    if (m.matches()) {
      Set<String> values = new java.util.LinkedHashSet<>();
      for (String v : m.group(3).split(",")) {
        if (!VALUE_ONLY.matcher(v.trim()).matches() || v.isBlank()) {
          return Optional.empty();
        }
        values.add(v.trim());
      }
      return Optional.of(new Term(m.group(1), "in".equals(m.group(2)) ? Op.IN : Op.NOT_IN,
          Set.copyOf(values)));
    }
    m = EQUALITY.matcher(part);
    if (m.matches()) {
      String value = m.group(3);
      return Optional.of(new Term(m.group(1), "!=".equals(m.group(2)) ? Op.NOT_IN : Op.IN,
          Set.of(value)));
    }
    m = EXISTS.matcher(part);
    if (m.matches()) {
      return Optional.of(new Term(m.group(2), m.group(1).isEmpty() ? Op.EXISTS : Op.NOT_EXISTS, Set.of()));
    }
    return Optional.empty();
  }
}
