package io.pistack.operator.model;

import java.time.DateTimeException;
import java.time.DayOfWeek;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalTime;
import java.time.ZoneId;
import java.time.ZonedDateTime;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * When a disruptive change may start (docs/upgrade.md#maintenance-windows): a list of weekly windows, each some days
 * of the week, a local start time, a duration and a time zone. No window: always. Pure: {@link #at} decides from an
 * instant, so a restarted operator decides the same.
 *
 * <p>A window starts at its local time on each of its days, in its zone, and lasts its duration in real time. A start
 * that does not exist that day (skipped by a daylight-saving change) moves forward by the gap, as {@link ZonedDateTime}
 * resolves it; a start that exists twice is the first. A window may run past midnight (it belongs to the day it
 * starts on) and may last up to a week.
 */
public final class MaintenanceWindows {
  public static final MaintenanceWindows ALWAYS = new MaintenanceWindows(List.of());
  static final Duration LONGEST = Duration.ofDays(7);
  private static final Pattern START = Pattern.compile("([01][0-9]|2[0-3]):([0-5][0-9])");
  private static final Pattern DURATION = Pattern.compile("([1-9][0-9]{0,3})(m|h)");
  private static final Pattern RANGE = Pattern.compile("([A-Za-z]{3})-([A-Za-z]{3})");

  /** One weekly window. */
  public record Window(Set<DayOfWeek> days, LocalTime start, Duration duration, ZoneId zone) {
    /** "Sat,Sun 02:00 for 4h Europe/London". */
    @Override
    public String toString() {
      String d = days.size() == 7 ? "daily" : String.join(",", days.stream()
          .map(x -> x.name().substring(0, 1) + x.name().substring(1, 3).toLowerCase(Locale.ROOT)).toList());
      return d + " " + start + " for " + human(duration) + " " + zone.getId();
    }
  }

  /** Open now (until when), or closed (and when the next window opens). */
  public record Decision(boolean open, Optional<Instant> until, Optional<Instant> next, Optional<Window> nextWindow) {
    static Decision always() {
      return new Decision(true, Optional.empty(), Optional.empty(), Optional.empty());
    }
  }

  /** A change waits for {@code window}, which opens at {@code opens}, {@code in} from the decision. */
  public record Wait(String window, Instant opens, Duration in) {
    @Override
    public String toString() {
      return window + ", next at " + opens;
    }
  }

  /** The wait when closed: the next window, when it opens and how long until then; empty when open. */
  public Optional<Wait> waitAt(Instant now) {
    Decision d = at(now);
    if (d.open() || d.next().isEmpty()) {
      return Optional.empty();
    }
    return Optional.of(new Wait(d.nextWindow().map(Window::toString).orElse(""), d.next().get(),
        Duration.between(now, d.next().get())));
  }

  /** The windows a PiStack names; problems (with their field paths) are added for the invalid ones. */
  public static MaintenanceWindows of(List<io.pistack.operator.api.v1alpha1.MaintenanceWindowSpec> specs,
      List<String> problems) {
    List<Window> out = new ArrayList<>();
    if (specs != null) {
      for (int i = 0; i < specs.size(); i++) {
        var w = specs.get(i);
        if (w != null) {
          window(w.days, w.start, w.duration, w.timeZone, "spec.maintenanceWindows[" + i + "]", problems)
              .ifPresent(out::add);
        }
      }
    }
    return new MaintenanceWindows(out);
  }

  private final List<Window> windows;

  public MaintenanceWindows(List<Window> windows) {
    this.windows = List.copyOf(windows);
  }

  public List<Window> windows() {
    return windows;
  }

  public boolean always() {
    return windows.isEmpty();
  }

  /** Whether a disruptive change may start at {@code now}; if not, when it may. */
  public Decision at(Instant now) {
    if (windows.isEmpty()) {
      return Decision.always();
    }
    Instant openUntil = null;
    Instant next = null;
    Window nextWindow = null;
    for (Window w : windows) {
      LocalDate today = now.atZone(w.zone()).toLocalDate();
      for (LocalDate d = today.minusDays(LONGEST.toDays() + 1); !d.isAfter(today.plusDays(8)); d = d.plusDays(1)) {
        if (!w.days().contains(d.getDayOfWeek())) {
          continue;
        }
        Instant start = ZonedDateTime.of(d, w.start(), w.zone()).toInstant();
        Instant end = start.plus(w.duration());
        if (!now.isBefore(start) && now.isBefore(end)) {
          openUntil = openUntil == null || end.isAfter(openUntil) ? end : openUntil;
        } else if (start.isAfter(now) && (next == null || start.isBefore(next))) {
          next = start;
          nextWindow = w;
        }
      }
    }
    if (openUntil != null) {
      return new Decision(true, Optional.of(openUntil), Optional.ofNullable(next), Optional.ofNullable(nextWindow));
    }
    return new Decision(false, Optional.empty(), Optional.ofNullable(next), Optional.ofNullable(nextWindow));
  }

  /**
   * One window from its parts as the PiStack and the operator's setting give them: days ("Mon", "Mon-Fri",
   * "daily"; none: daily), start "HH:MM", duration "90m" or "4h", time zone (an IANA id; none: UTC).
   * Problems are added with {@code where} in front; the window is empty then.
   */
  public static Optional<Window> window(List<String> days, String start, String duration, String zone,
      String where, List<String> problems) {
    int before = problems.size();
    Set<DayOfWeek> set = EnumSet.noneOf(DayOfWeek.class);
    for (String day : days == null || days.isEmpty() ? List.of("daily") : days) {
      days(day.trim(), set).ifPresent(p -> problems.add(where + ".days: " + p));
    }
    Matcher s = START.matcher(start == null ? "" : start.trim());
    if (!s.matches()) {
      problems.add(where + ".start: \"" + start + "\" is not a time of day HH:MM (00:00 to 23:59)");
    }
    Matcher m = DURATION.matcher(duration == null ? "" : duration.trim());
    Duration length = m.matches() ? ("h".equals(m.group(2)) ? Duration.ofHours(Long.parseLong(m.group(1)))
        : Duration.ofMinutes(Long.parseLong(m.group(1)))) : null;
    if (length == null || length.compareTo(LONGEST) > 0) {
      problems.add(where + ".duration: \"" + duration + "\" is not a duration such as 30m or 4h, at most 168h");
    }
    ZoneId z = ZoneId.of("UTC");
    if (zone != null && !zone.isBlank()) {
      try {
        z = ZoneId.of(zone.trim());
      } catch (DateTimeException e) {
        problems.add(where + ".timeZone: \"" + zone + "\" is not a time zone (an IANA name such as Europe/London)");
      }
    }
    if (problems.size() > before) {
      return Optional.empty();
    }
    return Optional.of(new Window(set, LocalTime.of(Integer.parseInt(s.group(1)), Integer.parseInt(s.group(2))),
        length, z));
  }

  /**
   * The operator's default, {@code PI_OPERATOR_MAINTENANCE_WINDOWS}: windows separated by ";", each
   * "days start duration [zone]", e.g. {@code Sat,Sun 02:00 4h Europe/London; Mon-Fri 22:30 90m}.
   */
  public static MaintenanceWindows parse(String text, String where, List<String> problems) {
    List<Window> out = new ArrayList<>();
    if (text == null || text.isBlank()) {
      return ALWAYS;
    }
    int i = 0;
    for (String part : text.split(";")) {
      String[] f = part.trim().split("\\s+");
      String at = where + "[" + i++ + "]";
      if (f.length < 3 || f.length > 4) {
        problems.add(at + ": \"" + part.trim() + "\" is not \"days start duration [time zone]\"");
        continue;
      }
      window(List.of(f[0].split(",")), f[1], f[2], f.length == 4 ? f[3] : null, at, problems).ifPresent(out::add);
    }
    return new MaintenanceWindows(out);
  }

  private static Optional<String> days(String day, Set<DayOfWeek> into) {
    String d = day.toLowerCase(Locale.ROOT);
    if (d.equals("daily") || d.equals("*")) {
      into.addAll(EnumSet.allOf(DayOfWeek.class));
      return Optional.empty();
    }
    Matcher r = RANGE.matcher(day);
    if (r.matches()) {
      Optional<DayOfWeek> from = day(r.group(1));
      Optional<DayOfWeek> to = day(r.group(2));
      if (from.isPresent() && to.isPresent()) {
        for (DayOfWeek x = from.get(); ; x = x.plus(1)) {
          into.add(x);
          if (x == to.get()) {
            break;
          }
        }
        return Optional.empty();
      }
    }
    Optional<DayOfWeek> one = day(day);
    one.ifPresent(into::add);
    return one.isPresent() ? Optional.empty()
        : Optional.of("\"" + day + "\" is not a day (Mon..Sun), a range (Mon-Fri) or daily");
  }

  private static Optional<DayOfWeek> day(String name) {
    for (DayOfWeek d : DayOfWeek.values()) {
      if (d.name().substring(0, 3).equalsIgnoreCase(name)) {
        return Optional.of(d);
      }
    }
    return Optional.empty();
  }

  static String human(Duration d) {
    return d.toMinutes() % 60 == 0 ? d.toHours() + "h" : d.toMinutes() + "m";
  }

  @Override
  public String toString() {
    return windows.isEmpty() ? "always" : String.join("; ", windows.stream().map(Window::toString).toList());
  }
}
