#pragma once

// The HTML report (SPEC §3 v2 `report --html`): one self-contained page, inline CSS and SVG, no
// script, nothing loaded from anywhere, readable on a phone and in print. It holds the stats of
// the range, gives and receives per period, the running balance of the most active contacts,
// the activity calendar of the last 365 days, and the table beside the agenda's top items.

#include "base/buf.h"
#include "ledger/activity.h"
#include "ledger/agenda.h"

/// The agenda items the page shows beside the table.
enum { KITH_HTML_AGENDA_ITEMS = 8 };

/// Appends the page for `activity` and `agenda` (both borrowed; the agenda may be empty), titled
/// with `vault` (borrowed: the vault's name). Returns 0 or -1.
int kith_html_report(KithBuf *out, const KithActivity *activity, const KithAgenda *agenda,
                     const char *vault);

/// Appends `s` (borrowed) as HTML text: `&`, `<`, `>`, `"` and `'` escaped, bytes that are not
/// UTF-8 as U+FFFD. Returns 0 or -1.
int kith_html_escape(KithBuf *out, const char *s);
