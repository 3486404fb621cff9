package io.pistack.operator.model;

import java.util.Collection;
import java.util.Comparator;
import java.util.Locale;
import java.util.Optional;

/** The closest known name to a misspelt one (edit distance, case-insensitive). */
public final class Suggestions {
  private Suggestions() {}

  public static Optional<String> closest(String unknown, Collection<String> known) {
    String u = unknown.toLowerCase(Locale.ROOT);
    int allowed = Math.max(2, u.length() / 3);
    return known.stream()
        .filter(k -> distance(u, k.toLowerCase(Locale.ROOT)) <= allowed)
        .min(Comparator.comparingInt((String k) -> distance(u, k.toLowerCase(Locale.ROOT))).thenComparing(k -> k));
  }

  static int distance(String a, String b) {
    int[] prev = new int[b.length() + 1];
    int[] cur = new int[b.length() + 1];
    for (int j = 0; j <= b.length(); j++) {
      prev[j] = j;
    }
    for (int i = 1; i <= a.length(); i++) {
      cur[0] = i;
      for (int j = 1; j <= b.length(); j++) {
        int cost = a.charAt(i - 1) == b.charAt(j - 1) ? 0 : 1;
        cur[j] = Math.min(Math.min(cur[j - 1] + 1, prev[j] + 1), prev[j - 1] + cost);
      }
      int[] t = prev;
      prev = cur;
      cur = t;
    }
    return prev[b.length()];
  }
}
