package io.pistack.operator.model;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.DayOfWeek;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class MaintenanceWindowsTest {
  @Test
  void noWindowIsAlwaysOpen() {
    assertThat(MaintenanceWindows.ALWAYS.at(Instant.parse("2026-12-07T04:00:00Z")).open()).isTrue();
    assertThat(parse("").always()).isTrue();
  }

  @Test
  void aWindowPastMidnightBelongsToTheDayItStarts() {
    MaintenanceWindows w = parse("Sat 23:00 3h UTC"); // 2026-12-05 is a Saturday
    var sunday1am = w.at(Instant.parse("2026-12-06T01:00:00Z"));
    assertThat(sunday1am.open()).isTrue();
    assertThat(sunday1am.until()).contains(Instant.parse("2026-12-06T02:00:00Z"));
    var sunday3am = w.at(Instant.parse("2026-12-06T03:00:00Z"));
    assertThat(sunday3am.open()).isFalse();
    assertThat(sunday3am.next()).contains(Instant.parse("2026-12-12T23:00:00Z"));
    assertThat(w.at(Instant.parse("2026-12-05T22:59:59Z")).open()).isFalse();
    assertThat(w.at(Instant.parse("2026-12-05T23:00:00Z")).open()).as("the start is inside").isTrue();
    assertThat(w.at(Instant.parse("2026-12-06T02:00:00Z")).open()).as("the end is outside").isFalse();
  }

  @Test
  void aStartSkippedBySpringForwardMovesByTheGapAndTheDurationIsRealTime() {
    // Europe/London, 2026-03-29: 01:00 GMT becomes 02:00 BST; 01:30 does not exist that day.
    MaintenanceWindows w = parse("Sun 01:30 1h Europe/London");
    var before = w.at(Instant.parse("2026-03-29T01:00:00Z"));
    assertThat(before.open()).isFalse();
    assertThat(before.next()).as("02:30 BST").contains(Instant.parse("2026-03-29T01:30:00Z"));
    assertThat(w.at(Instant.parse("2026-03-29T02:29:00Z")).until()).contains(Instant.parse("2026-03-29T02:30:00Z"));
    // A week later 01:30 is BST: 00:30 UTC.
    assertThat(w.at(Instant.parse("2026-04-05T00:00:00Z")).next()).contains(Instant.parse("2026-04-05T00:30:00Z"));
  }

  @Test
  void aStartThatExistsTwiceOnFallBackIsTheFirst() {
    // Europe/London, 2026-10-25: 02:00 BST becomes 01:00 GMT; 01:30 happens at 00:30 UTC and at 01:30 UTC.
    MaintenanceWindows w = parse("Sun 01:30 30m Europe/London");
    assertThat(w.at(Instant.parse("2026-10-25T00:45:00Z")).open()).isTrue();
    assertThat(w.at(Instant.parse("2026-10-25T01:45:00Z")).open()).isFalse();
  }

  @Test
  void theNextOfSeveralWindowsAndDayRanges() {
    MaintenanceWindows w = parse("Fri-Mon 02:00 1h; daily 12:00 30m America/New_York");
    assertThat(w.windows().get(0).days()).containsExactlyInAnyOrder(DayOfWeek.FRIDAY, DayOfWeek.SATURDAY,
        DayOfWeek.SUNDAY, DayOfWeek.MONDAY);
    // Tuesday 2026-12-08 03:00 UTC: next is noon in New York (17:00 UTC), before Friday 02:00 UTC.
    var d = w.at(Instant.parse("2026-12-08T03:00:00Z"));
    assertThat(d.open()).isFalse();
    assertThat(d.next()).contains(Instant.parse("2026-12-08T17:00:00Z"));
    assertThat(d.nextWindow().orElseThrow().toString()).isEqualTo("daily 12:00 for 30m America/New_York");
  }

  @Test
  void aOneMinuteWindowOpensExactlyAtItsStart() {
    MaintenanceWindows w = parse("daily 04:10 1m");
    assertThat(w.at(Instant.parse("2026-12-07T04:09:59Z")).next()).contains(Instant.parse("2026-12-07T04:10:00Z"));
    assertThat(w.at(Instant.parse("2026-12-07T04:10:30Z")).open()).isTrue();
  }

  @Test
  void mistakesAreNamed() {
    List<String> problems = new ArrayList<>();
    MaintenanceWindows.parse("Sunday 25:00 3d Mars/Base; Mon 02:00", "PI_OPERATOR_MAINTENANCE_WINDOWS", problems);
    assertThat(problems).hasSize(5);
    assertThat(String.join("\n", problems)).contains("[0].days", "[0].start", "[0].duration", "[0].timeZone",
        "[1]: \"Mon 02:00\" is not");
    problems.clear();
    MaintenanceWindows.parse("Mon 02:00 169h", "x", problems);
    assertThat(problems).singleElement().asString().contains("at most 168h");
  }

  private static MaintenanceWindows parse(String text) {
    List<String> problems = new ArrayList<>();
    MaintenanceWindows w = MaintenanceWindows.parse(text, "test", problems);
    assertThat(problems).isEmpty();
    return w;
  }
}
