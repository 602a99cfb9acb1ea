// Fuzz target: a note's front matter (src/notes/frontmatter.c, libyaml). The input is the YAML
// between an opening `---` and a closing `---`, followed by a small note body, so that every
// input reaches libyaml. Checks: reading never fails but for memory, the block ends inside the
// text, its properties lie on its lines with their values inside its strings, every diagnostic
// is on a line of the block with a one-line UTF-8 message (for UTF-8 input), and the whole note
// parses with the front matter as the parser reads it, to a consistent note (fuzz_check_note):
// a contact note's handle is a lower-case handle, its name one line of text, its cadence in
// range.

#include <stdlib.h>
#include <string.h>

#include "fuzz.h"
#include "notes/entry.h"
#include "notes/frontmatter.h"
#include "notes/parser.h"

static KithParser *parser;
static KithDay today;

int LLVMFuzzerInitialize(int *argc, char ***argv) {
  (void)argc;
  (void)argv;
  char *error = NULL;
  parser = kith_parser_new(&error);
  FUZZ_CHECK(parser, "cannot make a parser: %s", error ? error : "?");
  FUZZ_CHECK(kith_date_parse("2026-11-26", 10, &today) == 0, "bad today");
  return 0;
}

static const char body[] = "\n---\n# Notes\n\n- 2026-11-20 #gave intro\n";

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
  if (memchr(data, '\0', size))
    return 0; // a binary note never reaches the front matter
  size_t len = 4 + size + sizeof body - 1;
  char *text = malloc(len + 1);
  FUZZ_CHECK(text, "out of memory");
  memcpy(text, "---\n", 4);
  memcpy(text + 4, data, size);
  memcpy(text + 4 + size, body, sizeof body - 1);
  text[len] = '\0';
  bool utf8 = fuzz_utf8_valid(text, len);

  KithNote note;
  kith_note_init(&note);
  KithFrontMatter fm = {0};
  FUZZ_CHECK(kith_frontmatter_read(text, len, &note, &fm) == 0, "front matter: read failed");
  FUZZ_CHECK(fm.end <= len, "front matter: ends at %zu of %zu bytes", fm.end, len);
  uint32_t lines = 1;
  for (size_t i = 0; i < fm.end; i++)
    lines += text[i] == '\n';
  FUZZ_CHECK(!fm.invalid || fm.property_count == 0, "front matter: invalid yet has properties");
  for (uint32_t i = 0; i < fm.property_count; i++) {
    const KithProperty *p = &fm.properties[i];
    FUZZ_CHECK(p->key < fm.strings.len && p->line >= 2 && p->line <= lines,
               "front matter: property %u at line %u of %u", i, p->line, lines);
    FUZZ_CHECK(p->first + p->count <= fm.value_count, "front matter: property %u's values", i);
    FUZZ_CHECK(p->kind != KITH_PROPERTY_SCALAR || p->count == 1, "front matter: scalar count");
    FUZZ_CHECK(kith_frontmatter_get(&fm, kith_frontmatter_str(&fm, p->key)) != NULL,
               "front matter: key %u not found", i);
  }
  for (uint32_t i = 0; i < fm.value_count; i++) {
    const KithPropertyValue *v = &fm.values[i];
    FUZZ_CHECK(v->text + v->len < fm.strings.len && fm.strings.data[v->text + v->len] == '\0',
               "front matter: value %u out of the strings", i);
  }
  kith_frontmatter_free(&fm);
  for (uint32_t i = 0; i < note.diagnostic_count; i++) {
    const KithDiagnostic *d = &note.diagnostics[i];
    const char *msg = kith_note_str(&note, d->message);
    FUZZ_CHECK(d->line >= 1 && d->line <= lines && d->column >= 1,
               "front matter: diagnostic at %u:%u, the block has %u lines", d->line, d->column,
               lines);
    FUZZ_CHECK(*msg && !strchr(msg, '\n'), "front matter: message '%s'", msg);
    FUZZ_CHECK(!utf8 || fuzz_utf8_valid(msg, strlen(msg)), "front matter: message not UTF-8");
  }
  kith_note_free(&note);

  // The whole note, as the index reads it: a contact note or not, and consistent either way.
  KithParseContext context = {"people/Fuzz Person.md", today, NULL};
  kith_note_init(&note);
  kith_parser_parse_file_text(parser, &context, text, len, &note);
  fuzz_check_note(&note, text, len, today);
  const KithHeading *contact = kith_note_contact_note(&note);
  if (contact) {
    const char *h = kith_note_str(&note, contact->handle);
    FUZZ_CHECK(kith_entry_is_handle(h, strlen(h)), "front matter: handle '%s'", h);
    for (const char *p = h; *p; p++)
      FUZZ_CHECK(!(*p >= 'A' && *p <= 'Z'), "front matter: handle '%s' not lower case", h);
    const char *name = kith_note_str(&note, contact->name);
    FUZZ_CHECK(*name && !strchr(name, '\n'), "front matter: name '%s'", name);
    FUZZ_CHECK(contact->cadence_days <= 999u * 365, "front matter: cadence of %u days",
               contact->cadence_days);
  }
  kith_note_free(&note);
  free(text);
  return 0;
}
