#pragma once

// Activity over time (SPEC §3 v2 `report`): gives, receives and touch points per contact per
// period, with totals, computed in one pass over the parsed notes; and its output as JSON, CSV
// and an aligned text table. The HTML page (ledger/html.h) draws the same numbers.

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "base/buf.h"
#include "ledger/ledger.h"
#include "ledger/period.h"
#include "ledger/report.h"

/// The days of the activity calendar (one cell per day, the last one the calendar's end).
enum { KITH_ACTIVITY_DAYS = 365 };

/// The text table's default width in columns (`kith report`).
enum { KITH_ACTIVITY_WIDTH = 100 };

typedef struct {
  KithPeriods periods;
  KithDay end; // the day asked for as the end of the range (--to, default today)
  // Only these contacts (lower case, no `@`; borrowed, used during the build only), or all
  // when `handle_count` is 0.
  const char *const *handles;
  size_t handle_count;
} KithActivityOptions;

/// One contact's numbers over the range.
typedef struct {
  const KithContact *contact; // borrowed from the ledger
  int64_t *gave, *got, *met;  // one per period (gave owns the block of all three)
  int64_t total_gave, total_got, total_met;
  int64_t opening; // gave - got before the first period: where its running balance starts
  uint32_t items;  // counted items in the range
} KithActivityRow;

typedef struct {
  KithPeriods periods;
  KithDay today;
  KithActivityRow *rows; // contacts with a counted item in the range, sorted by handle
  size_t row_count;
  int64_t *gave, *got, *met; // per period, over the rows (gave owns the block of all three)
  int64_t total_gave, total_got, total_met;
  uint32_t items; // counted items in the range, each once however many counterparties it names
  // Counted items per day over the KITH_ACTIVITY_DAYS days ending with `calendar_end` (the
  // range's end day, at most today); calendar[KITH_ACTIVITY_DAYS - 1] is that day.
  KithDay calendar_end;
  uint32_t calendar[KITH_ACTIVITY_DAYS];
} KithActivity;

/// Builds the activity of `set`'s counted interactions (one pass over the notes) with the
/// contacts of `ledger` (borrowed; built from the same notes; must outlive the activity).
/// Returns 0 or -1 (out of memory). Caller frees with kith_activity_free() (also after an error).
int kith_activity_build(KithActivity *activity, const KithLedger *ledger, const KithNoteSet *set,
                        const KithActivityOptions *options);

/// Frees what the activity owns.
void kith_activity_free(KithActivity *activity);

/// Appends `{"today", "by", "periods", "rows": [{"handle", "name", "gave", "got", "met",
/// "total": {"gave", "got", "met"}}], "totals": {"gave", "got", "met"}}` and a newline (SPEC §3).
/// Returns 0 or -1.
int kith_activity_json(KithBuf *out, const KithActivity *activity);

/// Appends a header line `handle,name,period,gave,got,met` and one line per row and period,
/// fields quoted as RFC 4180 says (LF line ends). Returns 0 or -1.
int kith_activity_csv(KithBuf *out, const KithActivity *activity);

/// Appends the aligned table: a title, contacts × periods with `gave/got` per cell, then the
/// Total, Average (per period) and Balance columns and a Total row. When it would be wider than
/// `width` columns (0: no limit), the earliest periods are left out (at least one stays) and a
/// last line says which. Returns 0 or -1.
int kith_activity_text(KithBuf *out, const KithActivity *activity, size_t width);

/// The label of period `i` of `activity` (0 .. count - 1) into `out` (caller owns).
void kith_activity_label(const KithActivity *activity, uint32_t i, char out[KITH_PERIOD_LABEL]);
