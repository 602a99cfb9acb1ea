#pragma once

// The network drawn (SPEC §3 v3): the HTML report's section that shows the graph of
// introductions and time together as SVG, laid out by kith (ledger/layout.h): contacts as discs
// sized by activity and coloured by status, introductions as bold lines, at most the
// KITH_NETWORK_NODES contacts with the most edges.

#include "base/buf.h"
#include "ledger/graph.h"

enum { KITH_NETWORK_NODES = 60 };

/// The CSS the drawing's classes need (static; the page's colours: --bg, --fg, --muted,
/// --line).
extern const char kith_network_style[];

/// Appends the section's inner HTML for `graph` (borrowed): a legend and the SVG (or a sentence
/// when there is no contact). Names are escaped. Returns 0 or -1.
int kith_network_section(KithBuf *out, const KithGraph *graph);
