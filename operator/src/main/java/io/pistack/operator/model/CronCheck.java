package io.pistack.operator.model;

import java.util.List;
import java.util.Locale;
import java.util.Optional;

/**
 * A CronJob schedule as Kubernetes parses it (five fields: minute, hour, day of month, month, day
 * of week; lists, ranges, steps, month and day names; or a macro such as @daily). Returns the first
 * problem as a sentence; never throws.
 */
public final class CronCheck {
  private record Field(String name, int min, int max, List<String> names) {}

  private static final List<String> MONTHS =
      List.of("JAN", "FEB", "MAR", "APR", "MAY", "JUN", "JUL", "AUG", "SEP", "OCT", "NOV", "DEC");
  private static final List<String> DAYS = List.of("SUN", "MON", "TUE", "WED", "THU", "FRI", "SAT");
  private static final List<Field> FIELDS = List.of(
      new Field("minute", 0, 59, List.of()),
      new Field("hour", 0, 23, List.of()),
      new Field("day of month", 1, 31, List.of()),
      new Field("month", 1, 12, MONTHS),
      new Field("day of week", 0, 6, DAYS));

  private CronCheck() {}

  public static Optional<String> problem(String schedule) {
    String s = schedule.trim();
    if (s.startsWith("@")) {
      return List.of("@yearly", "@annually", "@monthly", "@weekly", "@daily", "@midnight", "@hourly").contains(s)
          ? Optional.empty()
          : Optional.of("'" + s + "' is not a schedule macro (@hourly, @daily, @weekly, @monthly, @yearly)");
    }
    String[] parts = s.split("\\s+");
    if (parts.length != 5) {
      return Optional.of("a schedule has five fields (minute hour day-of-month month day-of-week), this has "
          + parts.length);
    }
    for (int i = 0; i < 5; i++) {
      Optional<String> p = field(FIELDS.get(i), parts[i]);
      if (p.isPresent()) {
        return p;
      }
    }
    return Optional.empty();
  }

  private static Optional<String> field(Field f, String text) {
    for (String item : text.split(",", -1)) {
      String range = item;
      int slash = item.indexOf('/');
      if (slash >= 0) {
        range = item.substring(0, slash);
        Integer step = number(item.substring(slash + 1));
        if (step == null || step < 1) {
          return bad(f, text);
        }
      }
      if (range.equals("*") || range.equals("?")) {
        continue;
      }
      String[] ends = range.split("-", -1);
      if (ends.length > 2) {
        return bad(f, text);
      }
      Integer lo = value(f, ends[0]);
      Integer hi = ends.length == 2 ? value(f, ends[1]) : lo;
      if (lo == null || hi == null || lo < f.min || hi > f.max || lo > hi) {
        return bad(f, text);
      }
    }
    return Optional.empty();
  }

  private static Integer value(Field f, String text) {
    int named = f.names.indexOf(text.toUpperCase(Locale.ROOT));
    if (named >= 0) {
      return named + f.min;
    }
    return number(text);
  }

  private static Integer number(String text) {
    if (!text.matches("\\d{1,4}")) {
      return null;
    }
    return Integer.parseInt(text);
  }

  private static Optional<String> bad(Field f, String text) {
    return Optional.of("the " + f.name + " field '" + text + "' is not valid: it takes " + f.min + "-" + f.max
        + (f.names.isEmpty() ? "" : " or names such as " + f.names.get(0)) + ", lists (a,b), ranges (a-b)"
        + " and steps (*/n)");
  }
}
