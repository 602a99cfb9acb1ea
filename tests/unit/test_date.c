// Dates (SPEC §1: `YYYY-MM-DD`, a real calendar date; §2: day arithmetic for recency).

#include "harness.h"

#include "notes/date.h"

static bool shaped(const char *s) {
  return kith_date_is_shaped(s, strlen(s));
}

static int parse(const char *s, KithDay *day) {
  return kith_date_parse(s, strlen(s), day);
}

static KithDay day_of(const char *s) {
  KithDay day = -12345678;
  if (parse(s, &day) != 0)
    harness_fail(__FILE__, __LINE__, "cannot parse %s", s);
  return day;
}

static void test_shape_is_four_two_two_digits(void) {
  CHECK(shaped("2026-01-01"));
  CHECK(shaped("0000-00-00")); // shaped, though no real date
  CHECK(shaped("2026-02-30"));
  CHECK(shaped("9999-99-99"));
}

static void test_shape_rejects_other_forms(void) {
  CHECK(!shaped(""));
  CHECK(!shaped("2026-1-01"));
  CHECK(!shaped("2026-01-1"));
  CHECK(!shaped("26-01-01"));
  CHECK(!shaped("2026/01/01"));
  CHECK(!shaped("2026-01-01x"));
  CHECK(!shaped("20260-01-01"));
  CHECK(!shaped("abcd-ef-gh"));
  CHECK(!shaped("2026-0a-01"));
  CHECK(!shaped(" 2026-01-01"));
}

static void test_shape_respects_length(void) {
  CHECK(kith_date_is_shaped("2026-01-01xyz", 10));
  CHECK(!kith_date_is_shaped("2026-01-01", 9));
  CHECK(!kith_date_is_shaped("2026-01-01", 0));
}

static void test_epoch_is_day_zero(void) {
  CHECK_INT(day_of("1970-01-01"), 0);
  CHECK_INT(day_of("1970-01-02"), 1);
  CHECK_INT(day_of("1969-12-31"), -1);
}

static void test_known_day_numbers(void) {
  CHECK_INT(day_of("2026-01-01"), 20454);
  CHECK_INT(day_of("2024-02-29"), 19782);
  CHECK_INT(day_of("2000-02-29"), 11016);
  CHECK_INT(day_of("2099-12-31"), 47481);
  CHECK_INT(day_of("1900-03-01"), -25508);
}

static void test_leap_years(void) {
  KithDay day;
  CHECK_INT(parse("2024-02-29", &day), 0); // divisible by 4
  CHECK_INT(parse("2000-02-29", &day), 0); // divisible by 400
  CHECK_INT(parse("2026-02-29", &day), -1);
  CHECK_INT(parse("2023-02-29", &day), -1);
  CHECK_INT(parse("1900-02-29", &day), -1); // divisible by 100, not by 400
  CHECK_INT(parse("2100-02-29", &day), -1);
  CHECK_INT(day_of("2024-03-01") - day_of("2024-02-28"), 2);
  CHECK_INT(day_of("2026-03-01") - day_of("2026-02-28"), 1);
}

static void test_invalid_dates_are_rejected(void) {
  KithDay day;
  CHECK_INT(parse("2026-02-30", &day), -1);
  CHECK_INT(parse("2026-13-01", &day), -1);
  CHECK_INT(parse("2026-00-10", &day), -1);
  CHECK_INT(parse("2026-01-00", &day), -1);
  CHECK_INT(parse("2026-01-32", &day), -1);
  CHECK_INT(parse("2026-04-31", &day), -1);
  CHECK_INT(parse("2026-06-31", &day), -1);
  CHECK_INT(parse("2026-09-31", &day), -1);
  CHECK_INT(parse("2026-11-31", &day), -1);
  CHECK_INT(parse("2026-99-99", &day), -1);
}

static void test_last_day_of_every_month_is_valid(void) {
  const char *last[] = {"2026-01-31", "2026-02-28", "2026-03-31", "2026-04-30",
                        "2026-05-31", "2026-06-30", "2026-07-31", "2026-08-31",
                        "2026-09-30", "2026-10-31", "2026-11-30", "2026-12-31"};
  for (size_t i = 0; i < sizeof last / sizeof last[0]; i++) {
    KithDay day;
    CHECK_INT(parse(last[i], &day), 0);
  }
  CHECK_INT(day_of("2027-01-01") - day_of("2026-01-01"), 365);
  CHECK_INT(day_of("2025-01-01") - day_of("2024-01-01"), 366);
}

static void test_parse_rejects_unshaped_text(void) {
  KithDay day;
  CHECK_INT(parse("2026-1-1", &day), -1);
  CHECK_INT(parse("", &day), -1);
  CHECK_INT(parse("2026-01-01x", &day), -1);
  CHECK_INT(parse("tomorrow", &day), -1);
  CHECK_INT(kith_date_parse("2026-01-01", 9, &day), -1);
}

static void test_parse_respects_length(void) {
  KithDay day = 0;
  CHECK_INT(kith_date_parse("2026-01-01 #gave", 10, &day), 0);
  CHECK_INT(day, 20454);
}

static void test_format_known_days(void) {
  char out[11];
  kith_date_format(0, out);
  CHECK_STR(out, "1970-01-01");
  kith_date_format(-1, out);
  CHECK_STR(out, "1969-12-31");
  kith_date_format(19782, out);
  CHECK_STR(out, "2024-02-29");
  kith_date_format(20454, out);
  CHECK_STR(out, "2026-01-01");
}

static void test_format_round_trips(void) {
  // Every day from 1899-12-31 to 2101-01-01: format then parse gives the same day back.
  int bad = 0;
  KithDay prev = -1;
  for (KithDay day = -25568; day <= 47483; day++) {
    char out[11];
    KithDay back = 0;
    kith_date_format(day, out);
    if (kith_date_parse(out, 10, &back) != 0 || back != day) {
      if (bad++ < 5)
        harness_fail(__FILE__, __LINE__, "day %d formats as %s, parses back as %d", (int)day, out,
                     (int)back);
    }
    prev = day;
  }
  CHECK_INT(bad, 0);
  CHECK_INT(prev, 47483);
}

static void test_parse_then_format_round_trips(void) {
  const char *dates[] = {"2026-11-26", "2024-02-29", "2000-01-01", "1999-12-31", "2026-12-31"};
  for (size_t i = 0; i < sizeof dates / sizeof dates[0]; i++) {
    char out[11];
    kith_date_format(day_of(dates[i]), out);
    CHECK_STR(out, dates[i]);
  }
}

static void test_today_is_a_plausible_date(void) {
  KithDay today = kith_date_today();
  CHECK(today > day_of("2020-01-01"));
  CHECK(today < day_of("2200-01-01"));
}

int main(void) {
  RUN(test_shape_is_four_two_two_digits);
  RUN(test_shape_rejects_other_forms);
  RUN(test_shape_respects_length);
  RUN(test_epoch_is_day_zero);
  RUN(test_known_day_numbers);
  RUN(test_leap_years);
  RUN(test_invalid_dates_are_rejected);
  RUN(test_last_day_of_every_month_is_valid);
  RUN(test_parse_rejects_unshaped_text);
  RUN(test_parse_respects_length);
  RUN(test_format_known_days);
  RUN(test_format_round_trips);
  RUN(test_parse_then_format_round_trips);
  RUN(test_today_is_a_plausible_date);
  return harness_finish("test_date");
}
