// Fuzz target: a buffer's lines events on the mirror (src/mirror.c), the way `kith serve`
// applies them and re-parses the buffer.
//
// The input is a sequence of edits, each three bytes and its lines:
//   F L N line\n line\n ...
// With C the current number of lines: first = F % (C + 2); last = -1 (every line, as in the
// first event after attaching) when L is 0xff, else L % (C + 2); N % 16 replacement lines
// follow, each ending at '\n' (or the end of the input). A NUL byte in a line stands for a
// newline inside it: Neovim sends a NUL in a buffer line as "\n".
//
// Each edit goes to a KithMirror and to a plain model (an array of lines). Checks after each:
// the mirror answers -2 exactly for a range that does not fit, and its text and line starts
// equal the model's; then, as the host does (server.c, host_buffer_parse), a text without NUL is
// parsed again with the mirror's edited tree, and that note must equal a fresh parse of the same
// text (headings, interactions, follow-ups, diagnostics) and be consistent (fuzz.h).

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "fuzz.h"
#include "host/mirror.h"
#include "notes/parser.h"

enum { MAX_EDITS = 64 };

static KithParser *parser;
static KithParseContext context = {"people/fuzz.md", 0, NULL};

int LLVMFuzzerInitialize(int *argc, char ***argv) {
  (void)argc;
  (void)argv;
  char *error = NULL;
  parser = kith_parser_new(&error);
  FUZZ_CHECK(parser, "cannot make a parser: %s", error ? error : "?");
  FUZZ_CHECK(kith_date_parse("2026-11-26", 10, &context.today) == 0, "bad today");
  return 0;
}

// The buffer as Neovim holds it: lines without their newlines (NUL bytes are real NULs).
typedef struct {
  char **lines;
  size_t *lens;
  size_t count;
} Model;

static void model_free(Model *m) {
  for (size_t i = 0; i < m->count; i++)
    free(m->lines[i]);
  free(m->lines);
  free(m->lens);
  memset(m, 0, sizeof *m);
}

// Replaces lines [first, last) with `count` lines as the buffer holds them.
static void model_apply(Model *m, size_t first, size_t last, char **lines, size_t *lens,
                        size_t count) {
  size_t n = m->count - (last - first) + count;
  char **nl = malloc((n ? n : 1) * sizeof *nl);
  size_t *nlen = malloc((n ? n : 1) * sizeof *nlen);
  FUZZ_CHECK(nl && nlen, "out of memory");
  size_t k = 0;
  for (size_t i = 0; i < first; i++, k++) {
    nl[k] = m->lines[i];
    nlen[k] = m->lens[i];
  }
  for (size_t i = 0; i < count; i++, k++) {
    nl[k] = malloc(lens[i] + 1);
    FUZZ_CHECK(nl[k], "out of memory");
    memcpy(nl[k], lines[i], lens[i]);
    nlen[k] = lens[i];
  }
  for (size_t i = first; i < last; i++)
    free(m->lines[i]);
  for (size_t i = last; i < m->count; i++, k++) {
    nl[k] = m->lines[i];
    nlen[k] = m->lens[i];
  }
  free(m->lines);
  free(m->lens);
  m->lines = nl;
  m->lens = nlen;
  m->count = n;
}

static void check_mirror(const KithMirror *mirror, const Model *model, size_t step) {
  FUZZ_CHECK(mirror->line_count == model->count, "edit %zu: mirror has %zu lines, model %zu", step,
             mirror->line_count, model->count);
  size_t at = 0;
  for (size_t i = 0; i < model->count; i++) {
    size_t n = model->lens[i];
    FUZZ_CHECK(mirror->starts[i] == at, "edit %zu: line %zu starts at %u, want %zu", step, i,
               mirror->starts[i], at);
    FUZZ_CHECK(at + n + 1 <= mirror->len && memcmp(mirror->text + at, model->lines[i], n) == 0 &&
                   mirror->text[at + n] == '\n',
               "edit %zu: line %zu differs from the model", step, i);
    at += n + 1;
  }
  FUZZ_CHECK(at == mirror->len, "edit %zu: mirror has %zu bytes, model %zu", step, mirror->len, at);
  FUZZ_CHECK(mirror->len == 0 || mirror->text[mirror->len] == '\0',
             "edit %zu: text not NUL-terminated", step);
}

// Re-parses the mirror as the host does and compares with a fresh parse.
static void check_reparse(KithMirror *mirror, size_t step) {
  const char *text = mirror->text ? mirror->text : "";
  if (memchr(text, '\0', mirror->len))
    return; // the host skips binary text and keeps the (edited) tree for later edits
  if (mirror->tree)
    FUZZ_CHECK(ts_node_end_byte(ts_tree_root_node(mirror->tree)) == mirror->len,
               "edit %zu: the edited tree ends at %u, the text at %zu", step,
               ts_node_end_byte(ts_tree_root_node(mirror->tree)), mirror->len);
  KithNote incremental, fresh;
  kith_note_init(&incremental);
  kith_note_init(&fresh);
  TSTree *tree = NULL;
  kith_parser_parse(parser, &context, text, mirror->len, mirror->tree, &tree, &incremental);
  FUZZ_CHECK(tree, "edit %zu: no tree", step);
  kith_mirror_set_tree(mirror, tree);
  kith_parser_parse(parser, &context, text, mirror->len, NULL, NULL, &fresh);
  char what[64];
  snprintf(what, sizeof what, "edit %zu: incremental vs fresh parse", step);
  fuzz_check_same_note(what, &incremental, &fresh);
  fuzz_check_note(&incremental, text, mirror->len, context.today);
  kith_note_free(&incremental);
  kith_note_free(&fresh);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
  KithMirror mirror;
  kith_mirror_init(&mirror);
  Model model = {0};
  size_t at = 0;
  for (size_t step = 0; step < MAX_EDITS && at + 3 <= size; step++) {
    uint8_t f = data[at], l = data[at + 1], n = data[at + 2] % 16;
    at += 3;
    int64_t first = f % (model.count + 2);
    int64_t last = l == 0xff ? -1 : (int64_t)(l % (model.count + 2));
    // The lines: as sent (a newline inside stands for a NUL) and as the buffer holds them.
    KithMirrorLine sent[16];
    char *held[16];
    size_t lens[16];
    for (size_t i = 0; i < n; i++) {
      const uint8_t *nl = at < size ? memchr(data + at, '\n', size - at) : NULL;
      size_t len = nl ? (size_t)(nl - (data + at)) : size - at;
      char *wire = malloc(len + 1);
      held[i] = malloc(len + 1);
      FUZZ_CHECK(wire && held[i], "out of memory");
      memcpy(held[i], data + at, len);
      for (size_t k = 0; k < len; k++)
        wire[k] = held[i][k] == '\0' ? '\n' : held[i][k];
      sent[i] = (KithMirrorLine){wire, len};
      lens[i] = len;
      at += len + (nl != NULL);
    }
    bool fits = last < 0 || (first <= last && last <= (int64_t)model.count);
    int rc = kith_mirror_apply(&mirror, first, last, sent, n);
    FUZZ_CHECK(rc == (fits ? 0 : -2), "edit %zu: [%lld, %lld) of %zu lines answered %d", step,
               (long long)first, (long long)last, model.count, rc);
    if (fits)
      model_apply(&model, last < 0 ? 0 : (size_t)first, last < 0 ? model.count : (size_t)last, held,
                  lens, n);
    for (size_t i = 0; i < n; i++) {
      free((char *)sent[i].ptr);
      free(held[i]);
    }
    check_mirror(&mirror, &model, step);
    if (fits)
      check_reparse(&mirror, step);
  }
  kith_mirror_free(&mirror);
  model_free(&model);
  return 0;
}
