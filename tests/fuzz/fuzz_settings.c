// Fuzz target: a vault's `.kith` (src/notes/settings.c and settings_file.c, libyaml, bounded).
// The input is the file's text. Checks: reading never fails but for memory; every diagnostic
// stands on a line of the text with a one-line message (UTF-8 for UTF-8 input) and is a
// warning but for the one error at line 1 that makes every default hold; the values are well
// formed (folders without `/` at their ends, tags without `#`, whole numbers in range); reading
// again gives the same settings (digest and all), and a copy has the same digest; and a few
// notes that every contact and meeting rule can touch parse, with these settings, to consistent
// notes (fuzz_check_note).

#include <stdlib.h>
#include <string.h>

#include "fuzz.h"
#include "notes/parser.h"
#include "notes/settings.h"

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

// Notes that the rules may make contact or meeting notes, or leave alone.
static const char *const notes[][2] = {
    {"people/Jane Doe.md", "Met at the conference.\n\n- 2026-11-20 #gave intro\n"},
    {"References/Steph Ango.md",
     "---\ncategories: [\"[[People]]\"]\ntype: person\ntags: [person, contact, friend]\nkind: "
     "colleague\n---\n- 2026-11-21 #got tip\n"},
    {"Meetings/Review.md",
     "---\ndate: 2026-11-12\nwhen: 2026-11-13T10:00\npeople: [\"[[Steph Ango]]\", \"@bob\"]\n"
     "attendees: Carol Diaz\nwith: [Jane Doe]\nparticipants: [李雷]\n---\n- #gave notes\n"
     "## Bob @bob\n- #met hello\n"},
    {"2026-11-20 Standup.md", "---\nwith: [Dan]\n---\n- #met standup\n"},
};

static void check_lists(const KithStrings *list, bool folder, bool tag) {
  for (size_t i = 0; i < list->count; i++) {
    const char *s = list->items[i];
    size_t n = strlen(s);
    FUZZ_CHECK(n > 0 || !folder, "settings: an empty folder");
    if (folder && n > 0)
      FUZZ_CHECK(s[0] != '/' && s[n - 1] != '/', "settings: folder '%s'", s);
    if (tag)
      FUZZ_CHECK(n > 0 && s[0] != '#', "settings: tag '%s'", s);
  }
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
  const char *text = (const char *)data;
  bool utf8 = fuzz_utf8_valid(text, size);
  uint32_t lines = 1;
  for (size_t i = 0; i < size; i++)
    lines += text[i] == '\n';

  KithSettings s, again, copy;
  FUZZ_CHECK(kith_settings_parse(&s, text, size, NULL) == 0, "settings: read failed");
  FUZZ_CHECK(s.has_file, "settings: no file");
  bool error = false;
  for (uint32_t i = 0; i < s.note.diagnostic_count; i++) {
    const KithDiagnostic *d = &s.note.diagnostics[i];
    const char *msg = kith_note_str(&s.note, d->message);
    FUZZ_CHECK(d->line >= 1 && d->line <= lines && d->column >= 1,
               "settings: diagnostic at %u:%u of %u lines", d->line, d->column, lines);
    FUZZ_CHECK(*msg && !strchr(msg, '\n'), "settings: message '%s'", msg);
    FUZZ_CHECK(!utf8 || fuzz_utf8_valid(msg, strlen(msg)), "settings: message not UTF-8");
    if (d->severity == KITH_SEVERITY_ERROR) {
      FUZZ_CHECK(d->line == 1 && d->column == 1, "settings: an error at %u:%u", d->line, d->column);
      error = true;
    }
  }
  if (error) {
    FUZZ_CHECK(s.note.diagnostic_count == 1, "settings: an error and more");
    FUZZ_CHECK(s.digest == kith_settings_defaults()->digest && s.dormant_days == 90,
               "settings: an error, yet not every default holds");
  }
  check_lists(&s.folders, true, false);
  check_lists(&s.ignore, true, false);
  check_lists(&s.tags, false, true);
  int ints[] = {s.dormant_days, s.accept_help_after, s.due_days, s.dates_days};
  for (size_t i = 0; i < sizeof ints / sizeof *ints; i++)
    FUZZ_CHECK(ints[i] >= 0 && ints[i] <= 1000000, "settings: a number out of range: %d", ints[i]);
  FUZZ_CHECK(kith_settings_parse(&again, text, size, NULL) == 0, "settings: read failed");
  FUZZ_CHECK(kith_settings_same(&s, &again), "settings: read twice, they differ");
  FUZZ_CHECK(kith_settings_copy(&copy, &s) == 0, "settings: copy failed");
  FUZZ_CHECK(copy.digest == s.digest && copy.people.count == s.people.count,
             "settings: the copy differs");

  for (size_t i = 0; i < sizeof notes / sizeof *notes; i++) {
    KithParseContext context = {notes[i][0], today, &s};
    KithNote note;
    kith_note_init(&note);
    const char *body = notes[i][1];
    kith_parser_parse_file_text(parser, &context, body, strlen(body), &note);
    fuzz_check_note(&note, body, strlen(body), today);
    kith_note_free(&note);
  }
  kith_settings_free(&copy);
  kith_settings_free(&again);
  kith_settings_free(&s);
  return 0;
}
