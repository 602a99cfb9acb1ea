#pragma once

// Calendar periods for reports (SPEC §3 v2 `report`): ISO weeks (Monday first, `2026-W48`, the
// week belonging to the year of its Thursday), months (`2026-11`), quarters (`2026-Q4`) and years
// (`2026`). A period is named by its ordinal: consecutive periods have consecutive ordinals, so
// a range of periods is a first ordinal and a count.

#include <stdbool.h>
#include <stdint.h>

#include "notes/date.h"

typedef enum {
  KITH_PERIOD_WEEK = 0,
  KITH_PERIOD_MONTH,
  KITH_PERIOD_QUARTER,
  KITH_PERIOD_YEAR,
} KithPeriodUnit;

/// Room for any label and its NUL (`2026-W48`).
enum { KITH_PERIOD_LABEL = 32 };

/// The most periods a range may hold (a report keeps a few numbers per contact and period).
enum { KITH_PERIODS_MAX = 1000 };

/// The periods shown without a start: this many, ending with the one holding the end.
enum { KITH_PERIODS_DEFAULT = 12 };

/// A run of consecutive periods.
typedef struct {
  KithPeriodUnit unit;
  int32_t first;  // ordinal of the first period
  uint32_t count; // at least 1
} KithPeriods;

/// Reads "week", "month", "quarter" or "year" (borrowed) into `*unit`. Returns 0 or -1.
int kith_period_unit_parse(const char *s, KithPeriodUnit *unit);

/// "week", "month", "quarter", "year" (static).
const char *kith_period_unit_name(KithPeriodUnit unit);

/// The ordinal of the period of `unit` holding `day`.
int32_t kith_period_of(KithPeriodUnit unit, KithDay day);

/// The first day of the period `ordinal`.
KithDay kith_period_start(KithPeriodUnit unit, int32_t ordinal);

/// The last day of the period `ordinal`.
KithDay kith_period_end(KithPeriodUnit unit, int32_t ordinal);

/// Writes the label of period `ordinal` (`2026-W48`, `2026-11`, `2026-Q4`, `2026`) into `out`
/// (caller owns).
void kith_period_label(KithPeriodUnit unit, int32_t ordinal, char out[KITH_PERIOD_LABEL]);

/// The ISO 8601 week of `day`: `*year` (the year of that week's Thursday, which differs from the
/// calendar year for some days at the ends of a year) and `*week` (1-53).
void kith_period_iso_week(KithDay day, int *year, int *week);

/// The periods from the one holding `from` to the one holding `to`; without `has_from`, the
/// KITH_PERIODS_DEFAULT periods ending with the one holding `to`. Returns 0, -1 when `from` is
/// after `to`, -2 when the range would hold more than KITH_PERIODS_MAX periods.
int kith_periods_make(KithPeriods *periods, KithPeriodUnit unit, bool has_from, KithDay from,
                      KithDay to);

/// The index (0 .. count - 1) in `periods` of the period holding `day`, or -1 when outside.
int32_t kith_periods_index(const KithPeriods *periods, KithDay day);
