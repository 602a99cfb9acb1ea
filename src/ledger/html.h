#pragma once

// The HTML report (SPEC §3 v2 `report --html`): one self-contained page, inline CSS and SVG, no
// script, nothing loaded from anywhere, readable on a phone and in print. It holds the stats of
// the range, gives and receives per period, the running balance of the most active contacts,
// the activity calendar of the last 365 days, (v3) the network, and the table beside the
// agenda's top items.

#include "base/buf.h"
#include "ledger/activity.h"
#include "ledger/agenda.h"
#include "ledger/graph.h"

/// The agenda items the page shows beside the table.
enum { KITH_HTML_AGENDA_ITEMS = 8 };

/// Appends the page for `activity`, `agenda` and (v3) `graph` (all borrowed; the agenda may be
/// empty, the graph NULL: no network section), titled with `vault` (borrowed: the vault's name).
/// Returns 0 or -1.
int kith_html_report(KithBuf *out, const KithActivity *activity, const KithAgenda *agenda,
                     const KithGraph *graph, const char *vault);

/// Appends a page that holds only the report's network section for `graph` (borrowed), titled
/// with `vault` (`kith graph --html`, `:Kith graph`). Returns 0 or -1.
int kith_html_network_page(KithBuf *out, const KithGraph *graph, const char *vault);

/// Appends `s` (borrowed) as HTML text: `&`, `<`, `>`, `"` and `'` escaped, bytes that are not
/// UTF-8 as U+FFFD. Returns 0 or -1.
int kith_html_escape(KithBuf *out, const char *s);
