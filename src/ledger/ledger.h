#pragma once

// The ledger: per-contact totals, cadences and open follow-ups over a set of notes (SPEC §2).

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "base/buf.h"
#include "ledger/names.h"
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

/// An open follow-up of a contact (a planned item naming it), or (v3) an open ask of it (an
/// item tagged `#ask`, always dated), copied out of its note.
typedef struct {
  KithLocation at; // where the item is
  KithDay day;     // valid when `dated`
  bool dated;
  bool overdue; // dated and before today (follow-ups)
  char *text;   // the item's text (owned)
} KithFollowup;

/// (v3) An introduction of a contact to another, by you (a give tagged `#intro` naming both).
typedef struct {
  char *handle;    // the other contact (owned)
  KithDay day;     // the item's date
  KithLocation at; // where the item is
} KithIntroduction;

/// The months of activity kept per contact (the editor's sparkline): the month of today and
/// the eleven before it.
enum { KITH_LEDGER_MONTHS = 12 };

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
  uint32_t overdue;   // how many follow-ups are overdue
  KithFollowup *asks; // (v3) its open asks, oldest first, then path and line
  uint32_t ask_count, ask_cap;
  uint32_t open_asks;    // how many open asks it has (ask_count, plus an edited buffer's)
  KithBirthday birthday; // (v3) the first declaration's (in path, line order) that has one; 0: none
  KithDay birthday_next; // the next birthday, today on the day (valid with a birthday)
  int64_t birthday_in;   // days to it
  int age;               // the age it brings; -1 without a year
  bool snoozed;          // (v3) the first declaration's valid snooze ...
  KithDay snooze;        // ... its date; the contact is snoozed while today is before it
  bool snoozing;         // snoozed on the options' today (set by kith_ledger_contact_finish)
  KithIntroduction *introduced; // (v3) whom you introduced it to, by date then handle
  uint32_t introduced_count, introduced_cap;
  KithFirstMove first_move;
  KithStatus status;
  uint32_t *names; // the names a wiki link may use for it: indexes into the ledger's names, in
                   // (path, line) order, one per key and kind (display name, contact-note
                   // file name, alias)
  uint32_t name_count, name_cap;
  // Counted items per calendar month: months[KITH_LEDGER_MONTHS - 1] is today's month, the ones
  // before it the months before.
  uint32_t months[KITH_LEDGER_MONTHS];
} KithContact;

/// A set of notes with their paths, in path order (all borrowed).
typedef struct {
  const char *const *paths;
  const KithNote *const *notes;
  size_t count;
} KithNoteSet;

/// A counterparty of a linked item (an item with wiki links, see KithLinked).
typedef struct {
  uint32_t note;   // index of the note in the set
  uint32_t item;   // index into that note's linked items
  uint32_t handle; // offset into the resolution's strings: the counterparty
} KithParty;

/// A diagnostic the ledger adds to a note of the set.
typedef struct {
  uint32_t note;     // index of the note in the set
  KithDiagnostic at; // its message: an offset into the resolution's strings
} KithLedgerDiagnostic;

/// What resolving wiki links gives (SPEC §1 v2): the counterparties of linked items, and the
/// diagnostics that need every note's names: `ambiguous link`, a linked item that names no
/// contact, a name two contacts share.
typedef struct {
  KithParty *parties; // in set order
  size_t party_count, party_cap;
  KithLedgerDiagnostic *diagnostics; // sorted by note, line, column
  size_t diagnostic_count, diagnostic_cap;
  KithBuf strings;
} KithResolution;

typedef struct {
  KithContact *contacts; // sorted by handle
  size_t count, cap;
  uint64_t *slots; // open-addressing hash: contact index + 1 (0 = empty), the handle's hash's
                   // high 32 bits above it (a probe compares them before the handles)
  size_t slot_count;
  KithLedgerOptions options;
  KithNames names;           // of every note of the set (the overlay's too)
  KithResolution resolution; // of every note but the overlay
} KithLedger;

/// Fills in the defaults (today = local date, 90, 3).
void kith_ledger_options_default(KithLedgerOptions *options);

/// Builds the ledger from `set` (borrowed; notes in path order: first declarations and cadences
/// win by that order; a NULL note is skipped). A handle is listed when it is declared, the
/// counterparty of a counted interaction, or has a follow-up or (v3) an open ask. Wiki links are
/// resolved against the names of every note of the set. Note number `overlay` (SIZE_MAX: none)
/// lends only its names: its declarations and items are left out, for the editor to merge in on
/// lookup (kith_ledger_resolve() resolves its links). Copies what it keeps. Returns 0 or -1 (out of
/// memory). Caller frees with kith_ledger_free().
int kith_ledger_build(KithLedger *ledger, const KithNoteSet *set, size_t overlay,
                      const KithLedgerOptions *options);

/// Resolves the wiki links of note number `index` of the set the ledger was built from
/// (`note` and `path` borrowed: that note, or its newer text while its names are unchanged),
/// appending to `out` (initialised, e.g. zeroed; caller frees with kith_resolution_free()) the
/// counterparties of its linked items and its diagnostics: ambiguous links, linked items that
/// name no contact, and names it shares with another contact declared before (at the later
/// declaration, when either is a contact note's). Returns 0 or -1 (out of memory).
int kith_ledger_resolve(const KithLedger *ledger, uint32_t index, const char *path,
                        const KithNote *note, KithResolution *out);

/// The diagnostics `resolution` (borrowed) has for note number `note`: sets `*count` and
/// returns the first (borrowed), in line and column order.
const KithLedgerDiagnostic *kith_resolution_diagnostics(const KithResolution *resolution,
                                                        uint32_t note, size_t *count);

/// The string at `offset` of a resolution (borrowed).
const char *kith_resolution_str(const KithResolution *resolution, uint32_t offset);

/// Frees what a resolution owns and leaves it empty.
void kith_resolution_free(KithResolution *resolution);

/// The contact for `handle` (lower case, borrowed), or NULL. Borrowed from the ledger.
const KithContact *kith_ledger_find(const KithLedger *ledger, const char *handle);

/// Adds one counted interaction (borrowed) of note number `note` to `c`: totals, dates, the
/// first move, its month (counted when within the KITH_LEDGER_MONTHS months ending with the
/// options' today). For merging one note into a ledger built without it.
void kith_ledger_contact_add(KithContact *c, uint32_t note, const KithInteraction *it,
                             const KithLedgerOptions *options);

/// Adds what follow-up `f` (borrowed, of `c`) does to `c`'s totals (its overdue count) without
/// keeping it. For merging one note into a ledger built without it.
void kith_ledger_contact_add_followup(KithContact *c, const KithInteraction *f,
                                      const KithLedgerOptions *options);

/// Whether `c` is snoozed on `today` (SPEC §1 v3: a snooze date after today).
bool kith_ledger_contact_snoozed(const KithContact *c, KithDay today);

/// Derives first_move, days_since_last, due_in, status and (v3) the next birthday of `c` from
/// its totals.
void kith_ledger_contact_finish(KithContact *c, const KithLedgerOptions *options);

/// The days before a contact is due: its cadence, else the options' dormant_days.
int64_t kith_ledger_contact_every(const KithContact *c, const KithLedgerOptions *options);

/// Frees what the ledger owns.
void kith_ledger_free(KithLedger *ledger);

/// "new", "dormant", "owe", "let-them-help", "ok", "overdue" (static).
const char *kith_status_name(KithStatus status);

/// "you", "them", "both", or NULL for none (static).
const char *kith_first_move_name(KithFirstMove move);
