#pragma once

// The agenda (SPEC §3 v2): what to do now, most urgent first. Follow-ups overdue and due soon,
// (v3) birthdays coming and open asks, then the contacts to reach out to, to give first to, that
// you owe and that should be let help, from a ledger.

#include <stdbool.h>
#include <stddef.h>

#include "base/buf.h"
#include "ledger/ledger.h"
#include "ledger/report.h"

typedef enum {
  KITH_AGENDA_FOLLOWUP_OVERDUE = 0, // each overdue follow-up, oldest date first
  KITH_AGENDA_FOLLOWUP_DUE,         // each follow-up due today .. today + days, soonest first
  KITH_AGENDA_BIRTHDAY,             // (v3) birthdays within dates_days, soonest first
  KITH_AGENDA_ASK,                  // (v3) each open ask, oldest first
  KITH_AGENDA_REACH_OUT,            // status dormant, smallest due_in first
  KITH_AGENDA_GIVE_FIRST,           // status new
  KITH_AGENDA_OWE,                  // smallest balance first
  KITH_AGENDA_LET_THEM_HELP,        // largest gave first
} KithAgendaGroup;

/// One line of the agenda. Everything is borrowed from the ledger it was built from.
typedef struct {
  KithAgendaGroup group;
  const KithContact *contact;
  const KithFollowup *followup; // the follow-up or (v3) the ask; NULL for a contact's line
  KithLocation at;              // the follow-up or ask; else the contact's first declaration,
                                // first counted interaction, first follow-up or first ask
                                // (note UINT32_MAX: none)
  int64_t key;                  // the order within the group
} KithAgendaItem;

typedef struct {
  KithAgendaItem *items; // in agenda order
  size_t count;
  KithLedgerOptions options; // the ledger's (today, ...)
  int days;                  // the follow-ups due within this many days are listed
  int dates_days;            // (v3) the birthdays within this many days are listed
} KithAgenda;

/// Builds the agenda of `ledger` (borrowed; must outlive the agenda) with follow-ups due within
/// `days` days of its today and (v3) birthdays within `dates_days`. Ties go by handle, then path
/// and line. Returns 0 or -1 (out of memory). Caller frees with kith_agenda_free().
int kith_agenda_build(KithAgenda *agenda, const KithLedger *ledger, int days, int dates_days);

/// Frees what the agenda owns.
void kith_agenda_free(KithAgenda *agenda);

/// "followup-overdue", "followup-due", "birthday", "ask", "reach-out", "give-first", "owe",
/// "let-them-help" (static).
const char *kith_agenda_group_name(KithAgendaGroup group);

/// Appends the short human reason for `item` ("last contact 120 days ago, every 90 days").
/// Returns 0 or -1.
int kith_agenda_reason(KithBuf *out, const KithAgenda *agenda, const KithAgendaItem *item);

/// Appends `{"today", "items": [{"group", "handle", "name", "path", "line", "date", "text",
/// "reason"}]}` and a newline. Paths come from `set` (borrowed). Returns 0 or -1.
int kith_agenda_json(KithBuf *out, const KithAgenda *agenda, const KithNoteSet *set);

/// Appends the agenda as text: one aligned line per item, grouped under headers. Returns 0 or
/// -1.
int kith_agenda_text(KithBuf *out, const KithAgenda *agenda, const KithNoteSet *set);
