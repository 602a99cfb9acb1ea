#pragma once

// The ledger: per-contact totals, cadences and open follow-ups over a set of notes (SPEC §2).

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "notes/date.h"
#include "notes/note.h"

typedef enum {
  KITH_STATUS_NEW = 0,
  KITH_STATUS_DORMANT,
  KITH_STATUS_OWE,
  KITH_STATUS_LET_THEM_HELP,
  KITH_STATUS_OK,
  KITH_STATUS_OVERDUE, // (v2) a follow-up is overdue; comes first of all
} KithStatus;

typedef enum {
  KITH_FIRST_MOVE_NONE = 0,
  KITH_FIRST_MOVE_YOU,
  KITH_FIRST_MOVE_THEM,
  KITH_FIRST_MOVE_BOTH,
} KithFirstMove;

typedef struct {
  KithDay today;
  int dormant_days;      // default 90
  int accept_help_after; // default 3
} KithLedgerOptions;

/// Where in the note set something is: note index and 1-based line.
typedef struct {
  uint32_t note;
  uint32_t line;
} KithLocation;

/// An open follow-up of a contact (a planned item naming it), copied out of its note.
typedef struct {
  KithLocation at; // where the item is
  KithDay day;     // valid when `dated`
  bool dated;
  bool overdue; // dated and before today
  char *text;   // the item's text (owned)
} KithFollowup;

typedef struct {
  char *handle; // lower case (owned)
  char *name;   // display name (owned)
  KithLocation *declared;
  uint32_t declared_count, declared_cap;
  KithLocation first_item; // the earliest-placed counted interaction (valid if interactions > 0)
  int64_t gave, got, met, interactions;
  KithDay first_day, last_day; // valid if interactions > 0
  KithDay move_day;            // earliest day of a give/receive
  bool move_gave, move_got;    // a give / a receive on move_day
  bool has_move;
  int64_t days_since_last; // valid if interactions > 0
  uint32_t cadence_days;   // its own cadence (the first declaration carrying one), 0 when none
  int64_t due_in;          // (cadence or dormant_days) - days_since_last; valid if interactions
  KithFollowup *followups; // sorted by date (undated last), then path and line
  uint32_t followup_count, followup_cap;
  uint32_t overdue; // how many follow-ups are overdue
  KithFirstMove first_move;
  KithStatus status;
} KithContact;

typedef struct {
  KithContact *contacts; // sorted by handle
  size_t count, cap;
  uint32_t *slots; // open-addressing hash: contact index + 1, 0 = empty
  size_t slot_count;
  KithLedgerOptions options;
} KithLedger;

/// Fills in the defaults (today = local date, 90, 3).
void kith_ledger_options_default(KithLedgerOptions *options);

/// Builds the ledger from `notes` (borrowed array of `count` borrowed notes, in path order:
/// first declarations and cadences win by that order). A handle is listed when it is declared,
/// the counterparty of a counted interaction, or has a follow-up. Copies what it keeps. Returns
/// 0 or -1 (out of memory). Caller frees with kith_ledger_free().
int kith_ledger_build(KithLedger *ledger, const KithNote *const *notes, size_t count,
                      const KithLedgerOptions *options);

/// The contact for `handle` (lower case, borrowed), or NULL. Borrowed from the ledger.
const KithContact *kith_ledger_find(const KithLedger *ledger, const char *handle);

/// Adds one counted interaction (borrowed) of note number `note` to `c`: totals, dates, the
/// first move. For merging one note into a ledger built without it.
void kith_ledger_contact_add(KithContact *c, uint32_t note, const KithInteraction *it);

/// Adds what follow-up `f` (borrowed, of `c`) does to `c`'s totals (its overdue count) without
/// keeping it. For merging one note into a ledger built without it.
void kith_ledger_contact_add_followup(KithContact *c, const KithInteraction *f,
                                      const KithLedgerOptions *options);

/// Derives first_move, days_since_last, due_in and status of `c` from its totals.
void kith_ledger_contact_finish(KithContact *c, const KithLedgerOptions *options);

/// The days before a contact is due: its cadence, else the options' dormant_days.
int64_t kith_ledger_contact_every(const KithContact *c, const KithLedgerOptions *options);

/// Frees what the ledger owns.
void kith_ledger_free(KithLedger *ledger);

/// "new", "dormant", "owe", "let-them-help", "ok", "overdue" (static).
const char *kith_status_name(KithStatus status);

/// "you", "them", "both", or NULL for none (static).
const char *kith_first_move_name(KithFirstMove move);
