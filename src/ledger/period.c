#include "ledger/period.h"

#include <stdio.h>
#include <string.h>

static const char *const period_names[] = {"week", "month", "quarter", "year"};

// Floor division (ordinals of days before 1970 are negative).
static int32_t period_floor_div(int32_t a, int32_t b) {
  int32_t q = a / b;
  return (a % b != 0 && (a < 0) != (b < 0)) ? q - 1 : q;
}

static int32_t period_floor_mod(int32_t a, int32_t b) {
  return a - period_floor_div(a, b) * b;
}

int kith_period_unit_parse(const char *s, KithPeriodUnit *unit) {
  for (int i = 0; i < 4; i++) {
    if (strcmp(s, period_names[i]) == 0) {
      *unit = (KithPeriodUnit)i;
      return 0;
    }
  }
  return -1;
}

const char *kith_period_unit_name(KithPeriodUnit unit) {
  return period_names[unit];
}

int32_t kith_period_of(KithPeriodUnit unit, KithDay day) {
  int y, m, d;
  switch (unit) {
  case KITH_PERIOD_WEEK:
    return period_floor_div(day + 3, 7); // week 0 begins on Monday 1969-12-29 (day -3)
  case KITH_PERIOD_MONTH:
    kith_date_to_civil(day, &y, &m, &d);
    return y * 12 + (m - 1);
  case KITH_PERIOD_QUARTER:
    kith_date_to_civil(day, &y, &m, &d);
    return y * 4 + (m - 1) / 3;
  case KITH_PERIOD_YEAR:
    kith_date_to_civil(day, &y, &m, &d);
    return y;
  }
  return 0;
}

KithDay kith_period_start(KithPeriodUnit unit, int32_t ordinal) {
  switch (unit) {
  case KITH_PERIOD_WEEK:
    return ordinal * 7 - 3;
  case KITH_PERIOD_MONTH:
    return kith_date_from_civil(period_floor_div(ordinal, 12), period_floor_mod(ordinal, 12) + 1,
                                1);
  case KITH_PERIOD_QUARTER:
    return kith_date_from_civil(period_floor_div(ordinal, 4), period_floor_mod(ordinal, 4) * 3 + 1,
                                1);
  case KITH_PERIOD_YEAR:
    return kith_date_from_civil(ordinal, 1, 1);
  }
  return 0;
}

KithDay kith_period_end(KithPeriodUnit unit, int32_t ordinal) {
  return kith_period_start(unit, ordinal + 1) - 1;
}

void kith_period_iso_week(KithDay day, int *year, int *week) {
  // The week belongs to the year of its Thursday; its number counts the Thursdays of that year.
  KithDay thursday = day - kith_date_weekday(day) + 3;
  int m, d;
  kith_date_to_civil(thursday, year, &m, &d);
  *week = (thursday - kith_date_from_civil(*year, 1, 1)) / 7 + 1;
}

void kith_period_label(KithPeriodUnit unit, int32_t ordinal, char out[KITH_PERIOD_LABEL]) {
  int year, week;
  switch (unit) {
  case KITH_PERIOD_WEEK:
    kith_period_iso_week(kith_period_start(unit, ordinal), &year, &week);
    snprintf(out, KITH_PERIOD_LABEL, "%04d-W%02d", year, week);
    return;
  case KITH_PERIOD_MONTH:
    snprintf(out, KITH_PERIOD_LABEL, "%04d-%02d", (int)period_floor_div(ordinal, 12),
             (int)period_floor_mod(ordinal, 12) + 1);
    return;
  case KITH_PERIOD_QUARTER:
    snprintf(out, KITH_PERIOD_LABEL, "%04d-Q%d", (int)period_floor_div(ordinal, 4),
             (int)period_floor_mod(ordinal, 4) + 1);
    return;
  case KITH_PERIOD_YEAR:
    snprintf(out, KITH_PERIOD_LABEL, "%04d", (int)ordinal);
    return;
  }
  out[0] = '\0';
}

int kith_periods_make(KithPeriods *periods, KithPeriodUnit unit, bool has_from, KithDay from,
                      KithDay to) {
  int32_t last = kith_period_of(unit, to);
  int32_t first = has_from ? kith_period_of(unit, from) : last - (KITH_PERIODS_DEFAULT - 1);
  if (has_from && from > to)
    return -1;
  if ((int64_t)last - first + 1 > KITH_PERIODS_MAX)
    return -2;
  *periods = (KithPeriods){unit, first, (uint32_t)(last - first + 1)};
  return 0;
}

int32_t kith_periods_index(const KithPeriods *periods, KithDay day) {
  int64_t i = (int64_t)kith_period_of(periods->unit, day) - periods->first;
  return i >= 0 && i < periods->count ? (int32_t)i : -1;
}
