#pragma once

// The network (SPEC §3 v3 `kith graph`): a node per listed contact and an edge per pair of
// contacts and kind: the introductions you made of them (`intro`), and the counted items and
// meeting notes they were in together (`together`). As JSON, Graphviz DOT and text.

#include <stddef.h>
#include <stdint.h>

#include "base/buf.h"
#include "ledger/ledger.h"

typedef enum {
  KITH_EDGE_INTRO = 0, // introductions of the pair (a give tagged #intro naming both)
  KITH_EDGE_TOGETHER,  // counted items and meeting notes with both, introductions excepted
} KithEdgeKind;

typedef struct {
  uint32_t a, b; // indexes into the ledger's contacts, a < b (so handle a < handle b)
  KithEdgeKind kind;
  uint32_t count;
  KithDay first, last; // the first and last item's dates
} KithEdge;

typedef struct {
  const KithLedger *ledger; // borrowed: the nodes are its contacts
  KithEdge *edges;          // sorted by a, b, kind
  size_t edge_count;
  uint32_t *degree; // per contact: how many edges it has
} KithGraph;

/// Builds the graph of `ledger` (borrowed; built from `set` with no overlay, and must outlive
/// the graph). Returns 0 or -1 (out of memory). Caller frees with kith_graph_free().
int kith_graph_build(KithGraph *graph, const KithLedger *ledger, const KithNoteSet *set);

/// Frees what the graph owns.
void kith_graph_free(KithGraph *graph);

/// "intro" or "together" (static).
const char *kith_graph_edge_kind_name(KithEdgeKind kind);

/// Appends `{"today", "nodes": [...], "edges": [...]}` and a newline. Returns 0 or -1.
int kith_graph_json(KithBuf *out, const KithGraph *graph);

/// Appends the graph as a Graphviz `graph`: a node statement per contact labelled with its name,
/// an edge statement per edge (`intro` edges bold); every string quoted and escaped, so any
/// name gives valid DOT. Returns 0 or -1.
int kith_graph_dot(KithBuf *out, const KithGraph *graph);

/// Appends the edges as aligned text, one a line (a sentence when there are none). Returns 0
/// or -1.
int kith_graph_text(KithBuf *out, const KithGraph *graph);

/// Appends `s` (borrowed) as a DOT quoted string: `"` and `\` escaped, line breaks as `\n`,
/// other control characters as spaces, bytes that are not UTF-8 as U+FFFD. Returns 0 or -1.
int kith_graph_dot_string(KithBuf *out, const char *s);
