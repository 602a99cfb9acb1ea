#pragma once

// What the fuzz targets share: checks that abort with a message when a property does not hold
// (libFuzzer then keeps the input as a crash artifact; the replay driver dies the same way), a
// JSON validator, and the invariants of a parsed note and of a ledger.

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "ledger/graph.h"
#include "ledger/ledger.h"
#include "notes/note.h"

/// libFuzzer's entry points (replay.c calls them the same way).
int LLVMFuzzerInitialize(int *argc, char ***argv);
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

/// Prints "fuzz: <message>" and aborts.
void fuzz_fail(const char *fmt, ...) __attribute__((format(printf, 1, 2), noreturn));

#define FUZZ_CHECK(cond, ...)                                                                      \
  do {                                                                                             \
    if (!(cond))                                                                                   \
      fuzz_fail(__VA_ARGS__);                                                                      \
  } while (0)

/// Whether `$KITH_FUZZ_KNOWN` (a comma-separated list) names `issue`: a known, reported bug
/// whose check is relaxed in local runs until its fix lands (see tests/fuzz/README.md).
bool fuzz_known(const char *issue);

/// Whether `s` (`len` bytes) is well-formed UTF-8 (no overlong forms, surrogates or code
/// points above U+10FFFF).
bool fuzz_utf8_valid(const char *s, size_t len);

/// Aborts unless `s` (`len` bytes) is exactly one JSON value (RFC 8259) followed by optional
/// whitespace; with `utf8`, its strings must also be well-formed UTF-8. `what` names it.
void fuzz_check_json(const char *what, const char *s, size_t len, bool utf8);

/// Aborts unless `note`, parsed from `text` (`len` bytes) with `today`, is consistent: handles
/// well-formed and lower case, headings in order with sections nested inside the text,
/// interactions and follow-ups inside their section with a kind tag and a one-line text,
/// interactions dated no later than today, diagnostics sorted and inside the text.
void fuzz_check_note(const KithNote *note, const char *text, size_t len, KithDay today);

/// Aborts unless `h` is a well-formed lower-case handle (SPEC §1); `what` names it.
void fuzz_check_handle(const char *what, const char *h);

/// Aborts unless `a` and `b` hold the same headings, interactions, follow-ups and diagnostics
/// (strings compared by value). `what` names the comparison.
void fuzz_check_same_note(const char *what, const KithNote *a, const KithNote *b);

/// Aborts unless `ledger`, built from `notes` (`count`, NULL entries skipped) with its options,
/// lists each handle the notes name once, in order, with the totals, dates, cadence, follow-ups
/// and status (SPEC §2) that the notes give when counted the plain way.
void fuzz_check_ledger(const KithLedger *ledger, const KithNote *const *notes, size_t count);

/// Aborts unless the graph `g` is consistent with its ledger: edges sorted, unique, within the
/// counted days of both contacts; intro edges counted as the introductions both contacts list;
/// every introduction an edge; degrees adding up.
void fuzz_check_graph(const KithGraph *g);
