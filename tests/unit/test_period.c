// Periods of `kith report` (SPEC §3 v2): ISO weeks (Monday first; a week belongs to the year of
// its Thursday), months, quarters and years; ranges from --from/--to or the 12 periods ending
// with --to. Expected labels are ISO 8601 facts worked out by hand from a calendar.

#include "harness.h"

#include <stdio.h>

#include "ledger/period.h"

static KithDay day_of(const char *s) {
  KithDay day = 0;
  if (kith_date_parse(s, strlen(s), &day) != 0)
    harness_fail(__FILE__, __LINE__, "cannot parse %s", s);
  return day;
}

// The label of the period of `unit` holding `date`.
static const char *label_of(KithPeriodUnit unit, const char *date) {
  static char label[KITH_PERIOD_LABEL];
  kith_period_label(unit, kith_period_of(unit, day_of(date)), label);
  return label;
}

static const char *date_of(KithDay day) {
  static char out[4][11];
  static int next;
  char *s = out[next++ % 4];
  kith_date_format(day, s);
  return s;
}

static void test_weekday(void) {
  CHECK_INT(kith_date_weekday(day_of("1970-01-01")), 3); // a Thursday
  CHECK_INT(kith_date_weekday(day_of("2026-11-23")), 0); // a Monday
  CHECK_INT(kith_date_weekday(day_of("2026-11-29")), 6); // a Sunday
  CHECK_INT(kith_date_weekday(day_of("1969-12-29")), 0); // before day 0 too
  CHECK_INT(kith_date_weekday(day_of("1900-01-01")), 0);
}

static void test_civil_round_trip(void) {
  int y, m, d;
  kith_date_to_civil(day_of("2024-02-29"), &y, &m, &d);
  CHECK_INT(y, 2024);
  CHECK_INT(m, 2);
  CHECK_INT(d, 29);
  CHECK_INT(kith_date_from_civil(2026, 11, 26), day_of("2026-11-26"));
  CHECK_INT(kith_date_from_civil(1969, 12, 31), -1);
}

static void test_iso_week_in_the_year(void) {
  CHECK_STR(label_of(KITH_PERIOD_WEEK, "2026-11-26"), "2026-W48"); // SPEC's example
  CHECK_STR(label_of(KITH_PERIOD_WEEK, "2026-11-23"), "2026-W48"); // its Monday
  CHECK_STR(label_of(KITH_PERIOD_WEEK, "2026-11-29"), "2026-W48"); // its Sunday
  CHECK_STR(label_of(KITH_PERIOD_WEEK, "2026-11-30"), "2026-W49"); // the next Monday
  CHECK_STR(label_of(KITH_PERIOD_WEEK, "2026-01-01"), "2026-W01"); // a Thursday: week 1
  CHECK_STR(label_of(KITH_PERIOD_WEEK, "2026-01-05"), "2026-W02");
}

static void test_iso_week_53(void) {
  // 2020 began on a Wednesday and was a leap year: it has 53 weeks, the last one running from
  // Monday 2020-12-28 to Sunday 2021-01-03.
  CHECK_STR(label_of(KITH_PERIOD_WEEK, "2020-12-28"), "2020-W53");
  CHECK_STR(label_of(KITH_PERIOD_WEEK, "2020-12-31"), "2020-W53");
  CHECK_STR(label_of(KITH_PERIOD_WEEK, "2021-01-01"), "2020-W53");
  CHECK_STR(label_of(KITH_PERIOD_WEEK, "2021-01-03"), "2020-W53");
  CHECK_STR(label_of(KITH_PERIOD_WEEK, "2021-01-04"), "2021-W01");
  // 2026 begins on a Thursday: 53 weeks; 2026-12-31 (a Thursday) is in W53, and so are
  // 2027-01-01 to 01-03 (Friday to Sunday).
  CHECK_STR(label_of(KITH_PERIOD_WEEK, "2026-12-31"), "2026-W53");
  CHECK_STR(label_of(KITH_PERIOD_WEEK, "2027-01-01"), "2026-W53");
  CHECK_STR(label_of(KITH_PERIOD_WEEK, "2027-01-03"), "2026-W53");
  CHECK_STR(label_of(KITH_PERIOD_WEEK, "2027-01-04"), "2027-W01");
  CHECK_STR(label_of(KITH_PERIOD_WEEK, "2015-12-31"), "2015-W53");
  CHECK_STR(label_of(KITH_PERIOD_WEEK, "2016-01-03"), "2015-W53");
}

static void test_iso_week_1_begins_in_december(void) {
  // 2026-01-01 is a Thursday, so week 1 of 2026 begins on Monday 2025-12-29.
  CHECK_STR(label_of(KITH_PERIOD_WEEK, "2025-12-28"), "2025-W52");
  CHECK_STR(label_of(KITH_PERIOD_WEEK, "2025-12-29"), "2026-W01");
  CHECK_STR(label_of(KITH_PERIOD_WEEK, "2025-12-30"), "2026-W01");
  CHECK_STR(label_of(KITH_PERIOD_WEEK, "2025-12-31"), "2026-W01");
  // 2025-01-01 is a Wednesday: 2024-12-30 and 31 are in 2025-W01.
  CHECK_STR(label_of(KITH_PERIOD_WEEK, "2024-12-29"), "2024-W52");
  CHECK_STR(label_of(KITH_PERIOD_WEEK, "2024-12-30"), "2025-W01");
  CHECK_STR(label_of(KITH_PERIOD_WEEK, "2024-12-31"), "2025-W01");
  // 2019-12-30 (Monday): 2020-W01.
  CHECK_STR(label_of(KITH_PERIOD_WEEK, "2019-12-30"), "2020-W01");
}

static void test_iso_week_january_in_the_last_week(void) {
  // 2022-01-01 is a Saturday, 01-02 a Sunday: still 2021-W52.
  CHECK_STR(label_of(KITH_PERIOD_WEEK, "2022-01-01"), "2021-W52");
  CHECK_STR(label_of(KITH_PERIOD_WEEK, "2022-01-02"), "2021-W52");
  CHECK_STR(label_of(KITH_PERIOD_WEEK, "2022-01-03"), "2022-W01");
  // 2023-01-01 is a Sunday: 2022-W52.
  CHECK_STR(label_of(KITH_PERIOD_WEEK, "2023-01-01"), "2022-W52");
  CHECK_STR(label_of(KITH_PERIOD_WEEK, "2023-01-02"), "2023-W01");
  int year, week;
  kith_period_iso_week(day_of("2021-01-02"), &year, &week);
  CHECK_INT(year, 2020);
  CHECK_INT(week, 53);
}

static void test_week_bounds(void) {
  int32_t w = kith_period_of(KITH_PERIOD_WEEK, day_of("2021-01-01"));
  CHECK_STR(date_of(kith_period_start(KITH_PERIOD_WEEK, w)), "2020-12-28");
  CHECK_STR(date_of(kith_period_end(KITH_PERIOD_WEEK, w)), "2021-01-03");
  // Weeks before 1970 (negative day numbers) still begin on a Monday.
  w = kith_period_of(KITH_PERIOD_WEEK, day_of("1969-12-31"));
  CHECK_STR(date_of(kith_period_start(KITH_PERIOD_WEEK, w)), "1969-12-29");
  w = kith_period_of(KITH_PERIOD_WEEK, day_of("1969-12-28"));
  CHECK_STR(date_of(kith_period_start(KITH_PERIOD_WEEK, w)), "1969-12-22");
  CHECK_STR(date_of(kith_period_end(KITH_PERIOD_WEEK, w)), "1969-12-28");
}

static void test_months_quarters_years(void) {
  CHECK_STR(label_of(KITH_PERIOD_MONTH, "2026-11-26"), "2026-11");
  CHECK_STR(label_of(KITH_PERIOD_MONTH, "2026-01-01"), "2026-01");
  CHECK_STR(label_of(KITH_PERIOD_MONTH, "2025-12-31"), "2025-12");
  CHECK_STR(label_of(KITH_PERIOD_QUARTER, "2026-11-26"), "2026-Q4");
  CHECK_STR(label_of(KITH_PERIOD_QUARTER, "2026-03-31"), "2026-Q1");
  CHECK_STR(label_of(KITH_PERIOD_QUARTER, "2026-04-01"), "2026-Q2");
  CHECK_STR(label_of(KITH_PERIOD_QUARTER, "2026-09-30"), "2026-Q3");
  CHECK_STR(label_of(KITH_PERIOD_YEAR, "2026-12-31"), "2026");
  CHECK_STR(label_of(KITH_PERIOD_YEAR, "0999-06-01"), "0999");
  int32_t m = kith_period_of(KITH_PERIOD_MONTH, day_of("2024-02-10"));
  CHECK_STR(date_of(kith_period_start(KITH_PERIOD_MONTH, m)), "2024-02-01");
  CHECK_STR(date_of(kith_period_end(KITH_PERIOD_MONTH, m)), "2024-02-29");
  int32_t q = kith_period_of(KITH_PERIOD_QUARTER, day_of("2026-11-26"));
  CHECK_STR(date_of(kith_period_start(KITH_PERIOD_QUARTER, q)), "2026-10-01");
  CHECK_STR(date_of(kith_period_end(KITH_PERIOD_QUARTER, q)), "2026-12-31");
  CHECK_STR(date_of(kith_period_start(KITH_PERIOD_YEAR, 2026)), "2026-01-01");
  CHECK_STR(date_of(kith_period_end(KITH_PERIOD_YEAR, 2026)), "2026-12-31");
  // Consecutive periods have consecutive ordinals across year ends.
  CHECK_INT(kith_period_of(KITH_PERIOD_MONTH, day_of("2026-01-15")) -
                kith_period_of(KITH_PERIOD_MONTH, day_of("2025-12-15")),
            1);
  CHECK_INT(kith_period_of(KITH_PERIOD_QUARTER, day_of("2026-01-15")) -
                kith_period_of(KITH_PERIOD_QUARTER, day_of("2025-12-15")),
            1);
  CHECK_INT(kith_period_of(KITH_PERIOD_WEEK, day_of("2021-01-04")) -
                kith_period_of(KITH_PERIOD_WEEK, day_of("2021-01-03")),
            1);
}

static void test_unit_names(void) {
  KithPeriodUnit unit = KITH_PERIOD_YEAR;
  CHECK_INT(kith_period_unit_parse("week", &unit), 0);
  CHECK_INT(unit, KITH_PERIOD_WEEK);
  CHECK_INT(kith_period_unit_parse("quarter", &unit), 0);
  CHECK_INT(unit, KITH_PERIOD_QUARTER);
  CHECK_INT(kith_period_unit_parse("weekly", &unit), -1);
  CHECK_INT(kith_period_unit_parse("", &unit), -1);
  CHECK_STR(kith_period_unit_name(KITH_PERIOD_MONTH), "month");
}

// The labels of a range, joined with spaces.
static const char *labels(const KithPeriods *p) {
  static char out[4096];
  size_t len = 0;
  out[0] = '\0';
  for (uint32_t i = 0; i < p->count && len + KITH_PERIOD_LABEL + 1 < sizeof out; i++) {
    char label[KITH_PERIOD_LABEL];
    kith_period_label(p->unit, p->first + (int32_t)i, label);
    len += (size_t)snprintf(out + len, sizeof out - len, "%s%s", i ? " " : "", label);
  }
  return out;
}

static void test_default_range_is_twelve_periods(void) {
  KithPeriods p;
  KithDay to = day_of("2026-11-26");
  CHECK_INT(kith_periods_make(&p, KITH_PERIOD_MONTH, false, 0, to), 0);
  CHECK_INT(p.count, 12);
  CHECK_STR(labels(&p), "2025-12 2026-01 2026-02 2026-03 2026-04 2026-05 2026-06 2026-07 2026-08 "
                        "2026-09 2026-10 2026-11");
  CHECK_INT(kith_periods_make(&p, KITH_PERIOD_WEEK, false, 0, to), 0);
  CHECK_STR(labels(&p), "2026-W37 2026-W38 2026-W39 2026-W40 2026-W41 2026-W42 2026-W43 2026-W44 "
                        "2026-W45 2026-W46 2026-W47 2026-W48");
  CHECK_INT(kith_periods_make(&p, KITH_PERIOD_QUARTER, false, 0, to), 0);
  CHECK_STR(labels(&p), "2024-Q1 2024-Q2 2024-Q3 2024-Q4 2025-Q1 2025-Q2 2025-Q3 2025-Q4 2026-Q1 "
                        "2026-Q2 2026-Q3 2026-Q4");
  CHECK_INT(kith_periods_make(&p, KITH_PERIOD_YEAR, false, 0, to), 0);
  CHECK_STR(labels(&p), "2015 2016 2017 2018 2019 2020 2021 2022 2023 2024 2025 2026");
  // Twelve weeks back from early January cross into the last year's week 53.
  CHECK_INT(kith_periods_make(&p, KITH_PERIOD_WEEK, false, 0, day_of("2021-03-01")), 0);
  CHECK_STR(labels(&p), "2020-W51 2020-W52 2020-W53 2021-W01 2021-W02 2021-W03 2021-W04 2021-W05 "
                        "2021-W06 2021-W07 2021-W08 2021-W09");
}

static void test_from_to_ranges(void) {
  KithPeriods p;
  // From the period holding --from to the one holding --to, whatever the days within them.
  CHECK_INT(
      kith_periods_make(&p, KITH_PERIOD_MONTH, true, day_of("2026-02-28"), day_of("2026-04-01")),
      0);
  CHECK_STR(labels(&p), "2026-02 2026-03 2026-04");
  CHECK_INT(
      kith_periods_make(&p, KITH_PERIOD_WEEK, true, day_of("2020-12-31"), day_of("2021-01-04")), 0);
  CHECK_STR(labels(&p), "2020-W53 2021-W01");
  CHECK_INT(
      kith_periods_make(&p, KITH_PERIOD_QUARTER, true, day_of("2025-12-31"), day_of("2026-01-01")),
      0);
  CHECK_STR(labels(&p), "2025-Q4 2026-Q1");
  // A single day is one period.
  CHECK_INT(
      kith_periods_make(&p, KITH_PERIOD_YEAR, true, day_of("2026-05-05"), day_of("2026-05-05")), 0);
  CHECK_STR(labels(&p), "2026");
  // --from after --to; a range too long.
  CHECK_INT(
      kith_periods_make(&p, KITH_PERIOD_MONTH, true, day_of("2026-05-02"), day_of("2026-05-01")),
      -1);
  CHECK_INT(
      kith_periods_make(&p, KITH_PERIOD_WEEK, true, day_of("1990-01-01"), day_of("2026-01-01")),
      -2);
  CHECK_INT(
      kith_periods_make(&p, KITH_PERIOD_MONTH, true, day_of("1990-01-01"), day_of("2026-01-01")),
      0);
  CHECK_INT(p.count, 433);
}

static void test_index_in_range(void) {
  KithPeriods p;
  CHECK_INT(
      kith_periods_make(&p, KITH_PERIOD_WEEK, true, day_of("2020-12-28"), day_of("2021-01-10")), 0);
  CHECK_INT(kith_periods_index(&p, day_of("2020-12-27")), -1);
  CHECK_INT(kith_periods_index(&p, day_of("2020-12-28")), 0);
  CHECK_INT(kith_periods_index(&p, day_of("2021-01-03")), 0);
  CHECK_INT(kith_periods_index(&p, day_of("2021-01-04")), 1);
  CHECK_INT(kith_periods_index(&p, day_of("2021-01-10")), 1);
  CHECK_INT(kith_periods_index(&p, day_of("2021-01-11")), -1);
}

int main(void) {
  RUN(test_weekday);
  RUN(test_civil_round_trip);
  RUN(test_iso_week_in_the_year);
  RUN(test_iso_week_53);
  RUN(test_iso_week_1_begins_in_december);
  RUN(test_iso_week_january_in_the_last_week);
  RUN(test_week_bounds);
  RUN(test_months_quarters_years);
  RUN(test_unit_names);
  RUN(test_default_range_is_twelve_periods);
  RUN(test_from_to_ranges);
  RUN(test_index_in_range);
  return harness_finish("period");
}
