#include "harness.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>

#include "notes/parser.h"

int harness_failures = 0;
int harness_checks = 0;
const char *harness_current = "";
const KithSettings *harness_settings = NULL;

void harness_fail(const char *file, int line, const char *fmt, ...) {
  va_list ap;
  harness_failures++;
  fprintf(stderr, "%s:%d: [%s] ", file, line, harness_current);
  va_start(ap, fmt);
  vfprintf(stderr, fmt, ap);
  va_end(ap);
  fputc('\n', stderr);
}

int harness_finish(const char *suite) {
  printf("%s: %d checks, %d passed, %d failed\n", suite, harness_checks,
         harness_checks - harness_failures, harness_failures);
  return harness_failures ? 1 : 0;
}

static KithParser *harness_parser(void) {
  static KithParser *parser;
  if (!parser) {
    char *error = NULL;
    parser = kith_parser_new(&error);
    if (!parser) {
      fprintf(stderr, "kith_parser_new: %s\n", error ? error : "?");
      exit(2);
    }
    // $KITH_TEST_PIECES: every note is parsed in the smallest pieces (must change nothing).
    const char *pieces = getenv("KITH_TEST_PIECES");
    if (pieces && *pieces)
      kith_parser_set_pieces(parser, 0, 1);
  }
  return parser;
}

void harness_parse_at(const char *path, const char *today, const char *text, KithNote *note) {
  KithParseContext context = {path, KITH_DAY_NEVER, harness_settings};
  if (today && kith_date_parse(today, strlen(today), &context.today) != 0)
    harness_fail(__FILE__, __LINE__, "bad today %s", today);
  kith_note_init(note);
  if (kith_parser_parse_file_text(harness_parser(), &context, text, strlen(text), note) != 0)
    harness_fail(__FILE__, __LINE__, "parse failed");
}

void harness_parse(const char *text, KithNote *note) {
  harness_parse_at("note.md", HARNESS_TODAY, text, note);
}

static int harness_cmp_pair(const void *a, const void *b) {
  const char *const *pa = a, *const *pb = b;
  return strcmp(pa[0], pb[0]);
}

void harness_vault(HarnessVault *vault, const char *today, const KithLedgerOptions *options, ...) {
  const char *pairs[32][2];
  size_t n = 0;
  va_list ap;
  va_start(ap, options);
  for (;;) {
    const char *path = va_arg(ap, const char *);
    if (!path || n == 16)
      break;
    pairs[n][0] = path;
    pairs[n][1] = va_arg(ap, const char *);
    n++;
  }
  va_end(ap);
  qsort(pairs, n, sizeof pairs[0], harness_cmp_pair);
  memset(vault, 0, sizeof *vault);
  KithLedgerOptions opts;
  if (options) {
    opts = *options;
  } else {
    kith_ledger_options_default(&opts);
  }
  if (today && kith_date_parse(today, strlen(today), &opts.today) != 0)
    harness_fail(__FILE__, __LINE__, "bad today %s", today);
  for (size_t i = 0; i < n; i++) {
    KithParseContext context = {pairs[i][0], opts.today, harness_settings};
    vault->paths[i] = pairs[i][0];
    kith_note_init(&vault->notes[i]);
    if (kith_parser_parse_file_text(harness_parser(), &context, pairs[i][1], strlen(pairs[i][1]),
                                    &vault->notes[i]) != 0)
      harness_fail(__FILE__, __LINE__, "parse failed");
    vault->note_ptrs[i] = &vault->notes[i];
  }
  vault->count = n;
  vault->set.paths = vault->paths;
  vault->set.notes = vault->note_ptrs;
  vault->set.count = n;
  if (kith_ledger_build(&vault->ledger, &vault->set, SIZE_MAX, &opts) != 0)
    harness_fail(__FILE__, __LINE__, "ledger build failed");
}

void harness_vault_free(HarnessVault *vault) {
  kith_ledger_free(&vault->ledger);
  for (size_t i = 0; i < vault->count; i++)
    kith_note_free(&vault->notes[i]);
  vault->count = 0;
}

const KithContact *harness_contact(const HarnessVault *vault, const char *handle) {
  return kith_ledger_find(&vault->ledger, handle);
}

bool harness_has_diag(const KithNote *note, uint32_t line, uint32_t column, KithSeverity severity,
                      const char *needle) {
  for (uint32_t i = 0; i < note->diagnostic_count; i++) {
    const KithDiagnostic *d = &note->diagnostics[i];
    if (d->line == line && d->column == column && d->severity == severity &&
        (!needle || strstr(kith_note_str(note, d->message), needle)))
      return true;
  }
  return false;
}
