// Front matter and contact notes (SPEC §1 v2, "Contact notes"): the YAML keys kith reads
// (handle, name, aliases, every) in their YAML forms, the errors, the bounds on size and depth,
// and what a contact note declares: line 1, a section that is the whole note, its name.

#include "harness.h"

#include <stdio.h>
#include <stdlib.h>
#include <time.h>

#include "base/utf8.h"
#include "notes/frontmatter.h"

// --- helpers -------------------------------------------------------------------------------

static void dump(const KithNote *note) {
  for (uint32_t i = 0; i < note->diagnostic_count; i++) {
    const KithDiagnostic *d = &note->diagnostics[i];
    fprintf(stderr, "    %u:%u %s %s\n", d->line, d->column, kith_severity_name(d->severity),
            kith_note_str(note, d->message));
  }
}

// The contact note's declaration, or NULL.
static const KithHeading *declared(const KithNote *note) {
  return kith_note_contact_note(note);
}

static const char *handle_of(const KithNote *note) {
  const KithHeading *h = declared(note);
  return h ? kith_note_str(note, h->handle) : "(none)";
}

static const char *name_of(const KithNote *note) {
  const KithHeading *h = declared(note);
  return h ? kith_note_str(note, h->name) : "(none)";
}

static const char *alias_of(const KithNote *note, uint32_t i) {
  return i < note->alias_count ? kith_note_str(note, note->aliases[i]) : "(none)";
}

// The counted interaction whose marker is on `line`, or NULL.
static const KithInteraction *item_at(const KithNote *note, uint32_t line) {
  for (uint32_t i = 0; i < note->interaction_count; i++) {
    if (note->interactions[i].line == line)
      return &note->interactions[i];
  }
  return NULL;
}

static const char *who(const KithNote *note, uint32_t line) {
  const KithInteraction *it = item_at(note, line);
  return it ? kith_note_str(note, it->handle) : "(none)";
}

// Parses `text` as `path` and checks that it is a contact note of `handle` named `name` with
// no diagnostic.
static void expect_contact(const char *path, const char *text, const char *handle, const char *name,
                           int line) {
  KithNote note;
  harness_parse_at(path, "2026-11-26", text, &note);
  harness_checks++;
  const KithHeading *h = declared(&note);
  if (!h || strcmp(handle_of(&note), handle) != 0 || strcmp(name_of(&note), name) != 0 ||
      h->line != 1 || note.diagnostic_count != 0) {
    harness_fail(__FILE__, line, "want @%s \"%s\" at line 1, got @%s \"%s\" at %u, %u diagnostics",
                 handle, name, handle_of(&note), name_of(&note), h ? h->line : 0,
                 note.diagnostic_count);
    dump(&note);
  }
  kith_note_free(&note);
}
#define EXPECT_CONTACT(path, text, handle, name) expect_contact(path, text, handle, name, __LINE__)

// Parses `text` and checks that it declares nothing and has one error at 1:1 whose message
// begins with "front matter is not valid YAML: " and holds `reason`.
static void expect_invalid(const char *text, const char *reason, int line) {
  KithNote note;
  harness_parse_at("people/x.md", "2026-11-26", text, &note);
  harness_checks++;
  char want[256];
  snprintf(want, sizeof want, "front matter is not valid YAML: ");
  bool ok = note.heading_count == 0 && note.diagnostic_count == 1 &&
            harness_has_diag(&note, 1, 1, KITH_SEVERITY_ERROR, want) &&
            (!reason || harness_has_diag(&note, 1, 1, KITH_SEVERITY_ERROR, reason));
  if (!ok) {
    harness_fail(__FILE__, line, "want one 'not valid YAML' error with \"%s\", %u headings",
                 reason ? reason : "", note.heading_count);
    dump(&note);
  }
  kith_note_free(&note);
}
#define EXPECT_INVALID(text, reason) expect_invalid(text, reason, __LINE__)

// --- handle --------------------------------------------------------------------------------

static void test_handle_forms(void) {
  EXPECT_CONTACT("people/a.md", "---\nhandle: alice\n---\n", "alice", "a");
  EXPECT_CONTACT("people/a.md", "---\nhandle: \"@alice\"\n---\n", "alice", "a");
  EXPECT_CONTACT("people/a.md", "---\nhandle: '@Alice'\n---\n", "alice", "a");
  EXPECT_CONTACT("people/a.md", "---\nhandle: \"alice\"\n---\n", "alice", "a");
  EXPECT_CONTACT("people/a.md", "---\nhandle: Hugo.B\n---\n", "hugo.b", "a");
  EXPECT_CONTACT("people/a.md", "---\ntitle: x\nhandle: alice # a comment\ntags: [a]\n---\n",
                 "alice", "a");
}

static void test_handle_unquoted_at_is_not_yaml(void) {
  // `@` cannot begin a plain YAML scalar: the SPEC's form is `handle: "@alice"`.
  EXPECT_INVALID("---\nhandle: @alice\n---\n",
                 "(line 2); a value that begins with @ must be quoted: \"@alice\"");
}

static void test_handle_that_is_no_handle(void) {
  KithNote note;
  harness_parse("---\ntitle: x\nhandle: \"al ice\"\n---\n", &note);
  CHECK(declared(&note) == NULL);
  CHECK_INT(note.diagnostic_count, 1);
  CHECK(harness_has_diag(&note, 3, 1, KITH_SEVERITY_ERROR, "invalid handle 'al ice'"));
  kith_note_free(&note);
  harness_parse("---\nhandle: [a, b]\n---\n", &note);
  CHECK(declared(&note) == NULL);
  CHECK(harness_has_diag(&note, 2, 1, KITH_SEVERITY_ERROR, "invalid handle"));
  kith_note_free(&note);
  // Left empty (a template): no contact, nothing to say.
  harness_parse("---\nhandle:\nname: Alice\n---\n", &note);
  CHECK(declared(&note) == NULL);
  CHECK_INT(note.diagnostic_count, 0);
  kith_note_free(&note);
}

static void test_no_handle_declares_nothing(void) {
  KithNote note;
  harness_parse("---\nname: Alice\naliases: [Al]\nevery: 3x\n---\n- 2026-11-01 #gave\n", &note);
  CHECK(declared(&note) == NULL);
  CHECK_INT(note.alias_count, 0);
  CHECK_INT(note.diagnostic_count, 1); // the item names no contact; `every` is not read
  CHECK(harness_has_diag(&note, 6, 1, KITH_SEVERITY_WARNING, "names no contact"));
  kith_note_free(&note);
}

static void test_first_of_duplicate_keys(void) {
  EXPECT_CONTACT("people/a.md", "---\nhandle: alice\nhandle: bob\n---\n", "alice", "a");
}

static void test_front_matter_not_a_mapping(void) {
  KithNote note;
  harness_parse("---\n- handle\n- alice\n---\n", &note);
  CHECK(declared(&note) == NULL);
  CHECK_INT(note.diagnostic_count, 0);
  kith_note_free(&note);
}

// --- name ----------------------------------------------------------------------------------

static void test_name_from_key_else_file_name(void) {
  EXPECT_CONTACT("people/alice.md", "---\nhandle: alice\nname: Alice Chen\n---\n", "alice",
                 "Alice Chen");
  EXPECT_CONTACT("people/alice.md", "---\nhandle: alice\nname: \"  Alice \\t Chen \"\n---\n",
                 "alice", "Alice Chen");
  EXPECT_CONTACT("people/Alice Chen.md", "---\nhandle: alice\n---\n", "alice", "Alice Chen");
  EXPECT_CONTACT("Alice Chen.markdown", "---\nhandle: alice\n---\n", "alice", "Alice Chen");
  // Not a non-empty string: the file name.
  EXPECT_CONTACT("people/Alice Chen.md", "---\nhandle: alice\nname: \"\"\n---\n", "alice",
                 "Alice Chen");
  EXPECT_CONTACT("people/Alice Chen.md", "---\nhandle: alice\nname: [a, b]\n---\n", "alice",
                 "Alice Chen");
  EXPECT_CONTACT("people/Alice Chen.md", "---\nhandle: alice\nname:\n---\n", "alice", "Alice Chen");
}

// --- aliases -------------------------------------------------------------------------------

static void test_aliases_flow_block_and_string(void) {
  const char *const texts[] = {
      "---\nhandle: alice\naliases: [Al, \"A. Chen\", 'Ali  C']\n---\n",
      "---\nhandle: alice\naliases:\n  - Al\n  - \"A. Chen\"\n  - Ali  C\n---\n",
      "---\nhandle: alice\naliases:\n- Al\n- A. Chen\n- |-\n  Ali\n  C\n---\n",
  };
  for (size_t i = 0; i < sizeof texts / sizeof *texts; i++) {
    KithNote note;
    harness_parse_at("people/alice.md", NULL, texts[i], &note);
    CHECK_STR(handle_of(&note), "alice");
    CHECK_INT(note.alias_count, 3);
    CHECK_STR(alias_of(&note, 0), "Al");
    CHECK_STR(alias_of(&note, 1), "A. Chen");
    CHECK_STR(alias_of(&note, 2), "Ali C");
    CHECK_INT(note.diagnostic_count, 0);
    kith_note_free(&note);
  }
  KithNote note;
  harness_parse("---\nhandle: alice\naliases: Al\n---\n", &note);
  CHECK_INT(note.alias_count, 1);
  CHECK_STR(alias_of(&note, 0), "Al");
  kith_note_free(&note);
  // What is not a string in the list is left out.
  harness_parse("---\nhandle: alice\naliases: [Al, [x], {k: v}, '', Bo]\nother: [y]\n---\n", &note);
  CHECK_INT(note.alias_count, 2);
  CHECK_STR(alias_of(&note, 0), "Al");
  CHECK_STR(alias_of(&note, 1), "Bo");
  kith_note_free(&note);
  harness_parse("---\nhandle: alice\naliases: {a: b}\n---\n", &note);
  CHECK_INT(note.alias_count, 0);
  kith_note_free(&note);
}

// --- every ---------------------------------------------------------------------------------

static void test_every(void) {
  KithNote note;
  harness_parse("---\nhandle: alice\nevery: 3w\n---\n", &note);
  CHECK(declared(&note) && declared(&note)->cadence_days == 21);
  CHECK_INT(note.diagnostic_count, 0);
  kith_note_free(&note);
  harness_parse("---\nhandle: alice\nevery: 30D\n---\n", &note);
  CHECK(declared(&note) && declared(&note)->cadence_days == 30);
  kith_note_free(&note);
  // A bad one: the tag's error, at the key's line, column 1; the note still declares.
  harness_parse("---\nhandle: alice\ntags: [a]\nevery: 3x\n---\n", &note);
  CHECK(declared(&note) && declared(&note)->cadence_days == 0);
  CHECK_INT(note.diagnostic_count, 1);
  CHECK(harness_has_diag(&note, 4, 1, KITH_SEVERITY_ERROR,
                         "invalid cadence '3x' (expected N followed by d, w, m or y)"));
  kith_note_free(&note);
  harness_parse("---\nhandle: alice\nevery: 0d\n---\n", &note);
  CHECK(harness_has_diag(&note, 3, 1, KITH_SEVERITY_ERROR, "invalid cadence '0d'"));
  kith_note_free(&note);
  harness_parse("---\nhandle: alice\nevery:\n---\n", &note);
  CHECK(harness_has_diag(&note, 3, 1, KITH_SEVERITY_ERROR, "invalid cadence ''"));
  kith_note_free(&note);
}

// --- the block: fences, BOM, CRLF ----------------------------------------------------------

static void test_closing_fences(void) {
  EXPECT_CONTACT("people/a.md", "---\nhandle: alice\n...\n", "alice", "a");
  EXPECT_CONTACT("people/a.md", "---\nhandle: alice\n---", "alice", "a");        // no final newline
  EXPECT_CONTACT("people/a.md", "---  \nhandle: alice\n--- \t\n", "alice", "a"); // blanks after
}

static void test_missing_close(void) {
  // Not closed: an error, nothing declared, and the note is read as Markdown.
  KithNote note;
  harness_parse("---\nhandle: alice\n\n## Bob @bob\n- 2026-11-01 #gave\n", &note);
  CHECK(declared(&note) == NULL);
  CHECK_INT(note.heading_count, 1);
  CHECK_STR(who(&note, 5), "bob");
  CHECK_INT(note.diagnostic_count, 1);
  CHECK(harness_has_diag(&note, 1, 1, KITH_SEVERITY_ERROR,
                         "front matter is not valid YAML: no closing '---' or '...' line"));
  kith_note_free(&note);
  // `----` and `- - -` close nothing.
  EXPECT_INVALID("---\nhandle: alice\n----\n", "no closing");
  EXPECT_INVALID("---\nhandle: alice\n- - -\n", "no closing");
}

static void test_not_front_matter(void) {
  // `---` must be the whole first line: these are Markdown.
  const char *const texts[] = {
      "\n---\nhandle: alice\n---\n",
      "--- x\nhandle: alice\n---\n",
      "----\nhandle: alice\n---\n",
      "# Title\n---\nhandle: alice\n---\n",
  };
  for (size_t i = 0; i < sizeof texts / sizeof *texts; i++) {
    KithNote note;
    harness_parse(texts[i], &note);
    CHECK(declared(&note) == NULL);
    CHECK(!harness_has_diag(&note, 1, 1, KITH_SEVERITY_ERROR, "front matter"));
    kith_note_free(&note);
  }
}

static void test_byte_order_mark(void) {
  KithNote note;
  harness_parse_at("people/alice.md", "2026-11-26",
                   "\xEF\xBB\xBF---\nhandle: alice\nevery: 2w\n---\n- 2026-11-01 #gave\n", &note);
  CHECK_STR(handle_of(&note), "alice");
  CHECK(declared(&note) && declared(&note)->cadence_days == 14);
  CHECK_STR(who(&note, 5), "alice");
  CHECK_INT(note.diagnostic_count, 0);
  kith_note_free(&note);
}

static void test_crlf(void) {
  KithNote note;
  harness_parse_at("people/Alice Chen.md", "2026-11-26",
                   "---\r\nhandle: \"@alice\"\r\naliases:\r\n  - Al\r\n  - A. Chen\r\n"
                   "every: bad\r\n---\r\n\r\n- 2026-11-01 #gave\r\n",
                   &note);
  CHECK_STR(handle_of(&note), "alice");
  CHECK_STR(name_of(&note), "Alice Chen");
  CHECK_INT(note.alias_count, 2);
  CHECK_STR(alias_of(&note, 0), "Al");
  CHECK_STR(alias_of(&note, 1), "A. Chen");
  CHECK(harness_has_diag(&note, 6, 1, KITH_SEVERITY_ERROR, "invalid cadence 'bad'"));
  CHECK_STR(who(&note, 9), "alice");
  kith_note_free(&note);
}

// --- invalid YAML --------------------------------------------------------------------------

static void test_invalid_yaml(void) {
  EXPECT_INVALID("---\nhandle: alice\naliases: [Al\n---\n", NULL);
  EXPECT_INVALID("---\nhandle: alice\n  name: x\n---\n", "(line 3)");
  EXPECT_INVALID("---\nhandle: alice\nname: \"Al\n---\n", NULL);
  EXPECT_INVALID("---\nhandle: alice\n\tname: x\n---\n", NULL);
  KithNote note;
  harness_parse("---\nhandle: \"\xff\"\n---\n", &note); // not UTF-8 (also a warning)
  CHECK(declared(&note) == NULL);
  CHECK(harness_has_diag(&note, 1, 1, KITH_SEVERITY_ERROR, "front matter is not valid YAML: "));
  kith_note_free(&note);
  // Declares nothing, and the rest of the note is read.
  harness_parse("---\nhandle: alice\nname: [x\n---\n## Bob @bob\n- 2026-11-01 #gave\n", &note);
  CHECK(declared(&note) == NULL);
  CHECK_INT(note.heading_count, 1);
  CHECK_STR(who(&note, 6), "bob");
  CHECK_INT(note.diagnostic_count, 1);
  CHECK(harness_has_diag(&note, 1, 1, KITH_SEVERITY_ERROR, "front matter is not valid YAML: "));
  kith_note_free(&note);
}

// A front matter of `bytes` bytes: `---`, lines `kNNNNNNN: v`, `---`, then an item.
static char *huge_front_matter(size_t bytes) {
  char *text = malloc(bytes + 64);
  size_t n = 0;
  n += (size_t)sprintf(text + n, "---\nhandle: alice\n");
  for (unsigned i = 0; n + 16 < bytes; i++)
    n += (size_t)sprintf(text + n, "k%07u: v\n", i);
  sprintf(text + n, "---\n- 2026-11-01 #gave @bob\n");
  return text;
}

static double seconds_since(const struct timespec *t0) {
  struct timespec t1;
  clock_gettime(CLOCK_MONOTONIC, &t1);
  return (double)(t1.tv_sec - t0->tv_sec) + (double)(t1.tv_nsec - t0->tv_nsec) / 1e9;
}

static void test_huge_front_matter(void) {
  // 10 MB: the bound says so at once, without handing it to libyaml.
  char *text = huge_front_matter(10 * 1000 * 1000);
  KithNote note;
  kith_note_init(&note);
  KithFrontMatter fm;
  struct timespec t0;
  clock_gettime(CLOCK_MONOTONIC, &t0);
  CHECK_INT(kith_frontmatter_read(text, strlen(text), &note, &fm), 0);
  double took = seconds_since(&t0);
  CHECK(took < 0.5);
  CHECK(fm.invalid && fm.property_count == 0);
  kith_frontmatter_free(&fm);
  CHECK(harness_has_diag(&note, 1, 1, KITH_SEVERITY_ERROR,
                         "front matter is not valid YAML: no closing '---' or '...' line in its "
                         "first 64 KiB"));
  kith_note_free(&note);
  // The whole note: the one error, the item after it still counted.
  harness_parse(text, &note);
  CHECK(declared(&note) == NULL);
  CHECK_INT(note.interaction_count, 1);
  CHECK(harness_has_diag(&note, 1, 1, KITH_SEVERITY_ERROR, "front matter is not valid YAML"));
  kith_note_free(&note);
  free(text);
  // Just under the bound: read.
  text = huge_front_matter(KITH_FRONTMATTER_MAX_BYTES - 64);
  harness_parse(text, &note);
  CHECK_STR(handle_of(&note), "alice");
  CHECK_INT(note.diagnostic_count, 0);
  kith_note_free(&note);
  free(text);
}

static void test_deep_front_matter(void) {
  // 10,000 levels of flow nesting (20 KB): libyaml stops at the bound.
  const char *const opens[] = {"[", "{a: "};
  const char *const closes[] = {"]", "}"};
  for (int k = 0; k < 2; k++) {
    KithBuf text = KITH_BUF_INIT;
    kith_buf_puts(&text, "---\nhandle: alice\nx: ");
    for (int i = 0; i < 10000; i++)
      kith_buf_puts(&text, opens[k]);
    for (int i = 0; i < 10000; i++)
      kith_buf_puts(&text, closes[k]);
    kith_buf_puts(&text, "\n---\n- 2026-11-01 #gave @bob\n");
    KithNote note;
    kith_note_init(&note);
    KithFrontMatter fm;
    struct timespec t0;
    clock_gettime(CLOCK_MONOTONIC, &t0);
    CHECK_INT(kith_frontmatter_read(text.data, text.len, &note, &fm), 0);
    CHECK(seconds_since(&t0) < 0.5);
    CHECK(fm.invalid && fm.property_count == 0);
    kith_frontmatter_free(&fm);
    CHECK(harness_has_diag(&note, 1, 1, KITH_SEVERITY_ERROR,
                           "front matter is not valid YAML: nested deeper than 32 levels"));
    kith_note_free(&note);
    kith_buf_free(&text);
  }
  // Block style, 40 levels deep (within the size bound) likewise.
  KithBuf text = KITH_BUF_INIT;
  kith_buf_puts(&text, "---\nhandle: alice\n");
  for (int i = 0; i < 40; i++)
    kith_buf_printf(&text, "%*sk%d:\n", i, "", i);
  kith_buf_printf(&text, "%*sv\n---\n", 40, "");
  EXPECT_INVALID(text.data, "nested deeper than 32 levels");
  kith_buf_free(&text);
  // 30 levels is fine.
  kith_buf_free(&text);
  kith_buf_puts(&text, "---\nhandle: alice\nx: ");
  for (int i = 0; i < 30; i++)
    kith_buf_puts(&text, "[");
  for (int i = 0; i < 30; i++)
    kith_buf_puts(&text, "]");
  kith_buf_puts(&text, "\n---\n");
  EXPECT_CONTACT("people/a.md", text.data, "alice", "a");
  kith_buf_free(&text);
}

// --- nothing in front matter counts ----------------------------------------------------------

static void test_nothing_inside_counts(void) {
  KithNote note;
  // The grammar sees front matter closed by `---`; closed by `...` (or at the end of the text)
  // it would see a heading and an item: kith skips them all the same.
  const char *const closes[] = {"---", "..."};
  for (int k = 0; k < 2; k++) {
    char text[512];
    snprintf(text, sizeof text,
             "---\n"                           // 1
             "handle: alice\n"                 // 2
             "# Bob @bob\n"                    // 3 (a YAML comment)
             "tags: [\"#gave\", \"@carol\"]\n" // 4
             "log: |\n"                        // 5
             "  - 2026-11-01 #gave @dan\n"     // 6
             "%s\n"                            // 7
             "- 2026-11-02 #gave\n",           // 8
             closes[k]);
    harness_parse(text, &note);
    CHECK_INT(note.heading_count, 1);
    CHECK_STR(handle_of(&note), "alice");
    CHECK_INT(note.interaction_count, 1);
    CHECK_STR(who(&note, 8), "alice");
    CHECK_INT(note.diagnostic_count, 0);
    kith_note_free(&note);
  }
}

// --- contact notes ---------------------------------------------------------------------------

static void test_contact_note_section_is_the_whole_note(void) {
  KithNote note;
  harness_parse_at("people/Alice Chen.md", "2026-11-26",
                   "---\n"                               // 1
                   "handle: alice\n"                     // 2
                   "---\n"                               // 3
                   "# Alice Chen\n"                      // 4 (no handle: opens no section)
                   "- 2026-11-01 #gave intro\n"          // 5
                   "## Log\n"                            // 6
                   "- 2026-11-02 #got help\n"            // 7
                   "## Carol Diaz @carol\n"              // 8 an inner contact section
                   "- 2026-11-03 #met\n"                 // 9
                   "# Notes\n"                           // 10 ends carol's section
                   "- [ ] 2026-12-01 #gave send notes\n" // 11
                   "- 2026-11-04 #met @dan lunch\n"      // 12 leading handle
                   "\n",
                   &note);
  CHECK_INT(note.heading_count, 2);
  const KithHeading *h = declared(&note);
  CHECK(h && h->line == 1 && h->level == 0 && h->end_line == 13); // to the end, as sections
  CHECK_STR(name_of(&note), "Alice Chen");
  CHECK_STR(kith_note_str(&note, note.stem), "Alice Chen");
  CHECK(note.headings[1].line == 8 && note.headings[1].end_line == 9);
  CHECK_STR(who(&note, 5), "alice");
  CHECK_STR(who(&note, 7), "alice");
  CHECK_STR(who(&note, 9), "carol");
  CHECK_STR(who(&note, 12), "dan");
  CHECK(item_at(&note, 5) && item_at(&note, 5)->section == 0);
  CHECK(item_at(&note, 9) && item_at(&note, 9)->section == 1);
  CHECK_INT(note.followup_count, 1);
  CHECK(note.followup_count == 1 &&
        strcmp(kith_note_str(&note, note.followups[0].handle), "alice") == 0);
  CHECK_INT(note.diagnostic_count, 0);
  kith_note_free(&note);
}

static void test_contact_note_in_the_ledger(void) {
  HarnessVault v;
  harness_vault(&v, "2026-11-26", NULL,                                  //
                "people/alice.md",                                       //
                "---\nhandle: alice\nname: Alice Chen\nevery: 2w\n---\n" // 1-5
                "# Alice Chen @alice #every:3w\n"                        // 6
                "- 2026-11-20 #gave\n",                                  // 7
                "a.md", "## Al @alice\n- 2026-11-21 #got @alice\n",      //
                NULL);
  const KithContact *c = harness_contact(&v, "alice");
  CHECK(c != NULL);
  if (c) {
    CHECK_STR(c->name, "Al"); // a.md comes first
    CHECK_INT(c->declared_count, 3);
    CHECK(c->declared_count == 3 && c->declared[1].line == 1 && c->declared[2].line == 6);
    CHECK_INT(c->cadence_days, 14); // people/alice.md:1 before its line 6
    CHECK_INT(c->gave, 1);
    CHECK_INT(c->got, 1);
  }
  harness_vault_free(&v);
}

// Found by fuzzing (tests/fuzz/fuzz_note.c): a YAML string may hold a newline, and the value
// quoted in a diagnostic was copied as it was, so `kith check` printed one diagnostic over two
// lines; and a long value was cut at 64 bytes inside a UTF-8 character. Quoted values stay on
// one line (control characters escaped) and are cut between characters.
static void expect_one_line_message(const char *text, const char *needle, int line) {
  KithNote note;
  harness_parse(text, &note);
  harness_checks++;
  if (note.diagnostic_count != 1) {
    harness_fail(__FILE__, line, "want one diagnostic, got %u", note.diagnostic_count);
    dump(&note);
  } else {
    const char *m = kith_note_str(&note, note.diagnostics[0].message);
    bool one_line = true;
    for (const char *p = m; *p; p++)
      one_line &= (unsigned char)*p >= 0x20 && *p != 0x7f;
    if (!one_line || kith_utf8_invalid_at(m, strlen(m)) != strlen(m) ||
        (needle && !strstr(m, needle)))
      harness_fail(__FILE__, line, "message not one line of UTF-8 holding '%s': %s",
                   needle ? needle : "", m);
  }
  kith_note_free(&note);
}

static void test_quoted_values_stay_on_one_line(void) {
  expect_one_line_message("---\nhandle: \"\n\n\"\n---\n", "invalid handle '\\n'", __LINE__);
  expect_one_line_message("---\nhandle: \"a\\tb\\rc\\u0001\"\n---\n",
                          "invalid handle 'a\\tb\\rc\\x01'", __LINE__);
  expect_one_line_message("---\nhandle: x\nevery: \"3\\nx\"\n---\n", "invalid cadence '3\\nx'",
                          __LINE__);
  KithBuf text = KITH_BUF_INIT;
  kith_buf_puts(&text, "---\nhandle: \"a");
  for (int i = 0; i < 40; i++)
    kith_buf_puts(&text, "\xc3\xa9"); // é: byte 64 of the value falls inside one
  kith_buf_puts(&text, "\"\n---\n");
  expect_one_line_message(text.data, "invalid handle 'a\xc3\xa9", __LINE__);
  kith_buf_free(&text);
}

// Found by fuzzing (tests/fuzz/fuzz_frontmatter.c): libyaml breaks lines at a lone CR (and at
// NEL, LS, PS), a buffer does not: a key's diagnostic stands on the line Neovim shows it on.
static void test_key_lines_as_the_buffer_counts_them(void) {
  KithNote note;
  harness_parse("---\nhandle: alice\r\r\rtags: [a]\nevery: 3x\n---\n", &note);
  CHECK_INT(note.diagnostic_count, 1);
  CHECK(harness_has_diag(&note, 3, 1, KITH_SEVERITY_ERROR, "invalid cadence '3x'"));
  kith_note_free(&note);
}

int main(void) {
  RUN(test_key_lines_as_the_buffer_counts_them);
  RUN(test_handle_forms);
  RUN(test_handle_unquoted_at_is_not_yaml);
  RUN(test_handle_that_is_no_handle);
  RUN(test_no_handle_declares_nothing);
  RUN(test_first_of_duplicate_keys);
  RUN(test_front_matter_not_a_mapping);
  RUN(test_name_from_key_else_file_name);
  RUN(test_aliases_flow_block_and_string);
  RUN(test_every);
  RUN(test_closing_fences);
  RUN(test_missing_close);
  RUN(test_not_front_matter);
  RUN(test_byte_order_mark);
  RUN(test_crlf);
  RUN(test_invalid_yaml);
  RUN(test_huge_front_matter);
  RUN(test_deep_front_matter);
  RUN(test_nothing_inside_counts);
  RUN(test_contact_note_section_is_the_whole_note);
  RUN(test_contact_note_in_the_ledger);
  RUN(test_quoted_values_stay_on_one_line);
  return harness_finish("test_frontmatter");
}
