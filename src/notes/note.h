#pragma once

// What one note says: its contact headings, its counted interactions, its follow-ups (planned
// items) and its diagnostics. All strings of a note live in one buffer (`strings`); records hold
// offsets into it.

#include <stdarg.h>
#include <stdbool.h>
#include <stdint.h>

#include "base/buf.h"
#include "notes/date.h"

typedef enum {
  KITH_SEVERITY_ERROR = 1,
  KITH_SEVERITY_WARNING = 2,
} KithSeverity;

typedef struct {
  uint32_t line;   // 1-based
  uint32_t column; // 1-based, in bytes
  KithSeverity severity;
  uint32_t message; // offset into the note's strings
} KithDiagnostic;

/// A heading that declares a contact, with the extent of its section; or (level 0) the
/// declaration of a contact note (SPEC §1 v2), at line 1, whose section is the whole note.
typedef struct {
  uint32_t handle;       // offset: the lower-case handle
  uint32_t name;         // offset: the display name
  uint32_t line;         // 1-based line of the heading (1 for a contact note)
  uint32_t end_line;     // 1-based last line of its section (inclusive)
  uint32_t level;        // 1..6; 0 for a contact note
  uint32_t cadence_days; // the heading's valid `#every:` (the note's `every:`) in days, 0 when none
  KithBirthday birthday; // (v3) its valid `#birthday:` (the note's `birthday:`), 0 when none
  bool snoozed;          // (v3) it holds a valid `#snooze:` (the note's `snooze:`) ...
  KithDay snooze;        // ... of that date
} KithHeading;

/// A counted interaction (a list item with a date, good kind tags and a counterparty), or a
/// follow-up (a planned item, `- [ ] ...`, which is never counted). An item with several
/// counterparties gives one record per counterparty, all with the same line and text.
typedef struct {
  uint32_t handle;      // offset: the counterparty, lower case
  KithDay day;          // valid when `dated`
  uint32_t line;        // 1-based line of the list marker
  uint32_t end_line;    // 1-based last line of the item, nested items included
  int32_t section;      // index into headings of the innermost contact section, or -1
  uint32_t gave;        // sum of give weights
  uint32_t got;         // sum of receive weights
  uint32_t met;         // number of met tags
  uint32_t text;        // offset (KITH_NOTE_TEXT: into the texts): the first paragraph without task
                        // box and leading date, whitespace runs as one space, trimmed
  uint32_t column : 30; // 1-based byte column of the list marker (a line is far shorter)
  uint32_t dated : 1;   // false only for a follow-up without a date
  uint32_t intro : 1;   // (v3) a give tagged `#intro`: with two or more counterparties, an
                        // introduction of each pair
} KithInteraction;

/// A counterparty an item may have (SPEC §1 v2): a handle, or a wiki link kept unresolved
/// because names are known only once every note is parsed (the ledger resolves it).
typedef struct {
  uint32_t key;          // offset: the handle (lower case), or the link's name key
                         // (kith_entry_name_key of its target's last path component)
  uint32_t link;         // offset: the link as written, `[[...]]`; UINT32_MAX for a handle
  uint32_t line, column; // 1-based position of its `@` / `[[`
  // (v3) An entry of a meeting's people property (a name or a wiki link; a handle has neither):
  uint32_t name;    // offset: the name it gives (a link's target), UINT32_MAX for others
  uint32_t derived; // offset: the handle derived from that name (notes/derive.h), UINT32_MAX
                    // when nothing could be derived or for other refs
} KithRef;

/// An item whose counterparties depend on wiki links (or, v3, on a meeting's people). Its refs
/// are, in order, the leading run's handles and links (`run` of them), then (v3) the people of
/// the meeting note it is in (`people` of them, only when the item is in no contact section),
/// then the candidates of the first-handle rule: the links after the run up to the first
/// handle, and that handle (`fallback` of them, only when the item is in no contact section).
/// The ledger takes, the first rule that gives any: the run's handles and the contacts its
/// links name; the innermost contact section; the contacts the meeting's people are; the first
/// fallback that names a contact. A meeting note's own record (one `met` with each of its
/// people) is a linked item at line 1 with people only.
typedef struct {
  KithInteraction item; // `handle` unset (UINT32_MAX); weights 0 for an ask that counts nothing
  bool planned;         // a follow-up, else a counted interaction (when it has kind tags)
  bool ask;             // (v3) also an open ask of its counterparties
  uint32_t refs;        // index of its first ref in the note's refs
  uint32_t run, people, fallback;
} KithLinked;

typedef struct {
  KithHeading *headings;
  uint32_t heading_count, heading_cap;
  KithLinked *linked; // items whose counterparties the ledger resolves
  uint32_t linked_count, linked_cap;
  KithRef *refs;
  uint32_t ref_count, ref_cap;
  uint32_t *aliases; // offsets: a contact note's `aliases`, trimmed
  uint32_t alias_count, alias_cap;
  uint32_t stem; // offset: a contact note's file name without extension (valid with a level-0
                 // heading)
  KithInteraction *interactions;
  uint32_t interaction_count, interaction_cap;
  KithInteraction *followups; // planned items, one per counterparty
  uint32_t followup_count, followup_cap;
  KithInteraction *asks; // (v3) open asks (`#ask`, `#need`, `#needs`), one per counterparty
  uint32_t ask_count, ask_cap;
  KithDiagnostic *diagnostics;
  uint32_t diagnostic_count, diagnostic_cap;
  KithBuf strings;
  // Item texts (KithInteraction.text, offsets with KITH_NOTE_TEXT set): kept apart from the
  // strings above, which every count reads, because only what prints an item reads them. Owned
  // in `texts`, or (texts.data NULL) borrowed: `texts_view`, `texts_len` bytes of the mapped
  // cache file the note was decoded from (notes/cache.h), valid while the index that holds it.
  KithBuf texts;
  const char *texts_view;
  size_t texts_len;
  bool unreadable; // the file could not be read (a `cannot read` diagnostic says why)
  // (v3) What the vault settings decided (the cache re-reads a note when they change): the note
  // has front matter (its meaning depends on the contact and meeting rules), it lies in a
  // contact folder.
  bool front_matter, in_contact_folder;
  bool meeting; // (v3) a meeting note
  // The parse is the same for any `today` in [today_min, today_max] (the future-date rule);
  // for any `today` at all when !today_bounded. Lets the cache reuse a note on another day.
  bool today_bounded;
  KithDay today_min, today_max;
} KithNote;

/// Makes an empty note (owns nothing yet).
void kith_note_init(KithNote *note);

/// Frees everything the note owns and leaves it empty.
void kith_note_free(KithNote *note);

/// An offset with this bit is into the note's texts (kith_note_intern_text), else its strings.
#define KITH_NOTE_TEXT 0x80000000u

/// The string at `offset` (borrowed from the note; valid until the note changes).
const char *kith_note_str(const KithNote *note, uint32_t offset);

/// Copies `len` bytes of `s` (borrowed) into the note's texts. Returns the offset (with
/// KITH_NOTE_TEXT), or UINT32_MAX when out of memory.
uint32_t kith_note_intern_text(KithNote *note, const char *s, size_t len);

/// Copies `len` bytes of `s` (borrowed) into the note's strings. Returns the offset, or
/// UINT32_MAX when out of memory.
uint32_t kith_note_intern(KithNote *note, const char *s, size_t len);

/// Appends a heading / interaction / follow-up (copied). Returns 0 or -1 when out of memory.
int kith_note_add_heading(KithNote *note, const KithHeading *heading);
int kith_note_add_interaction(KithNote *note, const KithInteraction *interaction);
int kith_note_add_followup(KithNote *note, const KithInteraction *followup);
int kith_note_add_ask(KithNote *note, const KithInteraction *ask);

/// Appends a linked item / a ref / an alias (offset). Returns 0 or -1 when out of memory.
int kith_note_add_linked(KithNote *note, const KithLinked *linked);
int kith_note_add_ref(KithNote *note, const KithRef *ref);
int kith_note_add_alias(KithNote *note, uint32_t alias);

/// Whether linked item `l` (borrowed) is a counted interaction: not planned, with kind tags
/// (an ask alone, v3, is neither counted nor planned).
bool kith_linked_counted(const KithLinked *l);

/// The declaration of a contact note (its level-0 heading, always the first), or NULL.
const KithHeading *kith_note_contact_note(const KithNote *note);

/// Appends a diagnostic whose message is formatted from `fmt`. Returns 0 or -1.
int kith_note_add_diagnostic(KithNote *note, uint32_t line, uint32_t column, KithSeverity severity,
                             const char *fmt, ...) __attribute__((format(printf, 5, 6)));

/// Gives back the spare room of the note's arrays and strings (a parsed note only shrinks
/// from then on). Keeps the note as it is when realloc fails.
void kith_note_shrink(KithNote *note);

/// Marks the note unreadable and gives it the error `cannot read: <reason>` (`reason`
/// borrowed) at line 1, column 1. Returns 0 or -1.
int kith_note_cannot_read(KithNote *note, const char *reason);

/// Sorts the diagnostics by line, then column.
void kith_note_sort_diagnostics(KithNote *note);

/// The word for a severity: "error" or "warning" (static).
const char *kith_severity_name(KithSeverity severity);
