#pragma once

// Output of the engine: balances as JSON and as a table, diagnostics as lines or JSON, and the
// annotation text shown on contact headings in the editor.

#include <stdbool.h>
#include <stddef.h>

#include "base/buf.h"
#include "ledger/ledger.h"
#include "notes/note.h"

/// The path of note number `note` in `set` (borrowed; "" when out of range or no set).
const char *kith_report_path(const KithNoteSet *set, uint32_t note);

/// Appends `"YYYY-MM-DD"`, or `null` when not `valid`. Returns 0 or -1.
int kith_report_json_day(KithBuf *out, bool valid, KithDay day);

/// Appends the `balances --json` object of SPEC §3 (`ledger` built from `set`; its diagnostics
/// as kith_report_check_json's). Returns 0 or -1.
int kith_report_balances_json(KithBuf *out, const KithLedger *ledger, const KithNoteSet *set);

/// Appends the aligned text table of balances and, when notes of `set` could not be read
/// (left out of the balances), a last line that counts and names them. Returns 0 or -1.
int kith_report_balances_text(KithBuf *out, const KithLedger *ledger, const KithNoteSet *set);

/// Appends diagnostics as `path:line:col: severity: message` lines, sorted: the notes' own and
/// those `ledger` (built from `set`; may be NULL) adds (ambiguous links, shared names).
/// `*errors` gets the number of errors. Returns 0 or -1.
int kith_report_check_text(KithBuf *out, const KithNoteSet *set, const KithLedger *ledger,
                           size_t *errors);

/// Appends `{"diagnostics":[...]}` (the same diagnostics). `*errors` gets the number of errors.
/// Returns 0 or -1.
int kith_report_check_json(KithBuf *out, const KithNoteSet *set, const KithLedger *ledger,
                           size_t *errors);

/// What a part of an annotation shows (the editor highlights each kind its own way).
typedef enum {
  KITH_PART_GAVE,
  KITH_PART_GOT,
  KITH_PART_BALANCE, // balance, days and the spaces between parts
  KITH_PART_HINT,
  KITH_PART_SPARKLINE, // the last months of activity (annotations.sparkline)
} KithPartKind;

typedef struct {
  char text[64];
  KithPartKind kind;
} KithAnnotationPart;

enum { KITH_ANNOTATION_PARTS = 8 };

/// An `ok` contact due within this many days gets the hint `due in Nd` (SPEC §5 v2), unless the
/// vault's `due_days` says otherwise (v3).
enum { KITH_REPORT_DUE_DAYS = 7 };

/// How annotations are written (SPEC §5): arrows or words, and the `due in Nd` hint.
typedef struct {
  bool ascii;   // `gave `/`got ` instead of the arrows
  bool due;     // an `ok` contact due within `due_days` gets the hint `due in 3d` (`due today`)
  int due_days; // the vault's due_days (KITH_REPORT_DUE_DAYS by default)
} KithAnnotationStyle;

/// Splits the annotation of `contact` (borrowed) into `parts` (caller owns), in order: joined,
/// they are kith_report_annotation()'s text. Returns how many parts there are.
size_t kith_report_annotation_parts(const KithContact *contact, const KithAnnotationStyle *style,
                                    KithAnnotationPart parts[KITH_ANNOTATION_PARTS]);

/// Appends the annotation of SPEC §5 for a contact: `↑5 ↓2 +3 · 6d` plus ` · hint`, or
/// `give first` for a new contact (`follow-up overdue` alone for an overdue one without
/// interactions), written as `style` (borrowed) says; (v3) then ` · 2 open asks` and
/// ` · birthday in 3d` (`birthday today`) within 7 days; a snoozed contact's hint is
/// `snoozed to 2026-12-15` where a due hint would be. Returns 0 or -1.
int kith_report_annotation(KithBuf *out, const KithContact *contact,
                           const KithAnnotationStyle *style);

/// Room for a sparkline: a character of up to 3 bytes per month kept, and a NUL.
enum { KITH_SPARKLINE_SIZE = KITH_LEDGER_MONTHS * 3 + 1 };

/// Writes into `out` (caller owns) the sparkline of `contact`'s counted items in the last
/// KITH_LEDGER_MONTHS months (SPEC §5 v2), oldest first: one of `▁▂▃▄▅▆▇█` per month (ASCII
/// `_.-=#`), scaled to its busiest month, a space for a month without any. Returns false (and an
/// empty `out`) when none of those months has an item.
bool kith_report_sparkline(char out[KITH_SPARKLINE_SIZE], const KithContact *contact, bool ascii);

/// The hint for a status, or NULL for ok (static).
const char *kith_report_hint(KithStatus status);

/// Display width of UTF-8 text `s` (borrowed): one column per code point.
size_t kith_report_width(const char *s);

/// Copies `s` (borrowed) into `dst` (`size` bytes, caller owns), at most `columns` columns: a
/// longer text is cut at a character boundary and ends with `…`.
void kith_report_clip(char *dst, size_t size, const char *s, size_t columns);

/// Appends `s` (borrowed) padded with spaces to `width` columns (on the left when `right`).
/// Returns 0 or -1.
int kith_report_cell(KithBuf *out, const char *s, size_t width, bool right);

/// Appends `s` (borrowed) as a JSON string literal; bytes that are not UTF-8 become U+FFFD (one
/// per maximal subpart, see kith_utf8_next()), so the output is UTF-8 whatever `s` holds.
/// Returns 0 or -1.
int kith_report_json_string(KithBuf *out, const char *s);
