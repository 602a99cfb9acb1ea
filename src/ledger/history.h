#pragma once

// One contact's history (SPEC §3 v2): its counted interactions and its follow-ups across the
// notes, newest first.

#include <stdbool.h>
#include <stddef.h>

#include "base/buf.h"
#include "ledger/ledger.h"
#include "ledger/report.h"

/// One item of a history: a counted interaction or a follow-up, borrowed from its note.
typedef struct {
  uint32_t note;             // index in the note set
  const KithInteraction *it; // borrowed from that note
  bool planned;              // a follow-up
} KithHistoryItem;

typedef struct {
  const KithContact *contact; // borrowed from the ledger
  KithHistoryItem *items;     // by date descending (undated follow-ups first), then path, line
  size_t count;
  KithLedgerOptions options; // the ledger's
} KithHistory;

/// Builds the history of `handle` (borrowed; with or without `@`, any case) from `set` and
/// `ledger` (borrowed; both must outlive the history and come from the same notes). Returns 0,
/// -1 when out of memory, -2 when the ledger does not list the handle. Caller frees with
/// kith_history_free() (also after an error).
int kith_history_build(KithHistory *history, const KithLedger *ledger, const KithNoteSet *set,
                       const char *handle);

/// Frees what the history owns.
void kith_history_free(KithHistory *history);

/// Appends `{"handle", "name", "items": [{"path", "line", "date", "gave", "got", "met",
/// "planned", "text"}]}` and a newline. Returns 0 or -1.
int kith_history_json(KithBuf *out, const KithHistory *history, const KithNoteSet *set);

/// Appends the history as text: a summary of the contact, then one aligned line per item.
/// Returns 0 or -1.
int kith_history_text(KithBuf *out, const KithHistory *history, const KithNoteSet *set);
