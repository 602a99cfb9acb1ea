#pragma once

// A tiny test harness for kith's C unit tests: CHECK macros that report file:line and keep
// going, RUN() to call a test, and helpers that parse notes from strings.

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include "ledger/ledger.h"
#include "ledger/report.h"
#include "notes/note.h"
#include "notes/settings.h"

extern int harness_failures;
extern int harness_checks;
extern const char *harness_current;

void harness_fail(const char *file, int line, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));

#define CHECK(cond)                                                                                \
  do {                                                                                             \
    harness_checks++;                                                                              \
    if (!(cond))                                                                                   \
      harness_fail(__FILE__, __LINE__, "CHECK(%s)", #cond);                                        \
  } while (0)

#define CHECK_INT(got, want)                                                                       \
  do {                                                                                             \
    long long g_ = (long long)(got), w_ = (long long)(want);                                       \
    harness_checks++;                                                                              \
    if (g_ != w_)                                                                                  \
      harness_fail(__FILE__, __LINE__, "%s == %lld, want %lld", #got, g_, w_);                     \
  } while (0)

#define CHECK_STR(got, want)                                                                       \
  do {                                                                                             \
    const char *g_ = (got), *w_ = (want);                                                          \
    harness_checks++;                                                                              \
    if (!g_ || !w_ || strcmp(g_, w_) != 0)                                                         \
      harness_fail(__FILE__, __LINE__, "%s == \"%s\", want \"%s\"", #got, g_ ? g_ : "(null)",      \
                   w_ ? w_ : "(null)");                                                            \
  } while (0)

#define RUN(test)                                                                                  \
  do {                                                                                             \
    harness_current = #test;                                                                       \
    test();                                                                                        \
  } while (0)

/// Prints the summary line and returns the exit code for main().
int harness_finish(const char *suite);

/// The vault settings every parse here uses (NULL, the default: SPEC §1 v3's defaults).
extern const KithSettings *harness_settings;

/// The `today` harness_parse() parses with.
#define HARNESS_TODAY "2026-11-26"

/// Parses `text` as one note into `note` (initialised here; caller frees with kith_note_free),
/// as the note `note.md` on HARNESS_TODAY.
void harness_parse(const char *text, KithNote *note);

/// Parses `text` as the note at `path` (relative to the vault) with `today` (YYYY-MM-DD, or
/// NULL: no date is in the future) into `note` (initialised here; caller frees).
void harness_parse_at(const char *path, const char *today, const char *text, KithNote *note);

/// An in-memory vault: up to 16 files given as alternating path, text pairs (NULL-terminated),
/// parsed (with their paths and `today`) and put through the ledger with `today` (YYYY-MM-DD)
/// and default options.
typedef struct {
  const char *paths[16];
  KithNote notes[16];
  const KithNote *note_ptrs[16];
  size_t count;
  KithLedger ledger;
  KithNoteSet set;
} HarnessVault;

/// Builds `vault` from path/text pairs (sorted by path here). Caller frees with
/// harness_vault_free(). `options` may be NULL for defaults with `today`.
void harness_vault(HarnessVault *vault, const char *today, const KithLedgerOptions *options, ...);
void harness_vault_free(HarnessVault *vault);

/// The contact for `handle` or NULL.
const KithContact *harness_contact(const HarnessVault *vault, const char *handle);

/// Whether `note` has a diagnostic at line/column with `severity` whose message contains
/// `needle` (may be NULL).
bool harness_has_diag(const KithNote *note, uint32_t line, uint32_t column, KithSeverity severity,
                      const char *needle);
