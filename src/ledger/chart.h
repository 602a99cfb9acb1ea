#pragma once

// The charts of the HTML report (SPEC §3 v2 `report --html`), as inline SVG: no script, no
// font, nothing from outside the page. Colours come from the page's CSS classes. Each chart
// draws something sensible for an empty range and for a single period (a note instead of bars
// or lines, a point instead of a line), never a division by zero.

#include "base/buf.h"
#include "ledger/activity.h"

/// The most active contacts whose running balance kith_chart_balance() draws.
enum { KITH_CHART_LINES = 8 };

/// Appends the bar chart of gives (above the axis) and receives (below) per period. Returns 0 or
/// -1.
int kith_chart_flow(KithBuf *out, const KithActivity *activity);

/// Appends the lines of the running balance (gave - got, from where it stood before the range)
/// of the KITH_CHART_LINES contacts with the most counted items in the range, each labelled.
/// Returns 0 or -1.
int kith_chart_balance(KithBuf *out, const KithActivity *activity);

/// Appends the activity calendar: one cell per day of the KITH_ACTIVITY_DAYS days ending with
/// the activity's calendar end, a column per week (Monday on top), shaded by the number of
/// counted items that day. Returns 0 or -1.
int kith_chart_calendar(KithBuf *out, const KithActivity *activity);

/// The rows of the KITH_CHART_LINES (or fewer) most active contacts, most items first, ties by
/// handle, into `top` (caller owns; borrowed from `activity`). Returns how many.
size_t kith_chart_top(const KithActivity *activity, const KithActivityRow *top[KITH_CHART_LINES]);
