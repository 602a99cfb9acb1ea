// A large note is parsed in pieces (src/parser.c) so that no tree-sitter tree covers all of it:
// the note must be exactly the note parsed at once. Checked on the example vault, on tricky
// documents, on random documents made of Markdown's block openers and closers, and on
// $KITH_PIECES_VAULT when set (e.g. a vault from bench/gen_vault.py), with pieces as small as
// one byte (every place the parser allows a cut is taken). Also: over-long lines, stopping a
// parse, and which parses give a tree. Each note is also parsed at once with the grammar given
// the text as it is (kith_parser_set_plain), not masked (src/notes/mask.c): the same note.

#include "harness.h"

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>

#include "base/buf.h"
#include "notes/parser.h"
#include "notes/vault.h"

static KithParser *whole, *cut, *plain; // plain: the text unmasked
// What the notes are parsed as: a daily note (its file name dates undated items), today fixed.
static KithParseContext context = {"daily/2026-01-15.md", 0, NULL};

static KithParser *parser_or_die(void) {
  char *error = NULL;
  KithParser *p = kith_parser_new(&error);
  if (!p) {
    fprintf(stderr, "kith_parser_new: %s\n", error ? error : "?");
    exit(2);
  }
  return p;
}

// Describes the first difference between two records lists into `why`; true when equal.
static bool items_same(const char *what, const KithNote *a, const KithInteraction *xs,
                       const KithNote *b, const KithInteraction *ys, uint32_t count, char *why,
                       size_t n) {
  for (uint32_t i = 0; i < count; i++) {
    const KithInteraction *x = &xs[i], *y = &ys[i];
    if (strcmp(kith_note_str(a, x->handle), kith_note_str(b, y->handle)) != 0 || x->day != y->day ||
        x->dated != y->dated || x->line != y->line || x->column != y->column ||
        x->end_line != y->end_line || x->section != y->section || x->gave != y->gave ||
        x->got != y->got || x->met != y->met ||
        strcmp(kith_note_str(a, x->text), kith_note_str(b, y->text)) != 0) {
      snprintf(why, n, "%s %u: @%s line %u:%u-%u section %d vs @%s line %u:%u-%u section %d", what,
               i, kith_note_str(a, x->handle), x->line, x->column, x->end_line, x->section,
               kith_note_str(b, y->handle), y->line, y->column, y->end_line, y->section);
      return false;
    }
  }
  return true;
}

// Describes the first difference between two notes into `why`; true when equal.
static bool note_same(const KithNote *a, const KithNote *b, char *why, size_t n) {
  if (a->heading_count != b->heading_count || a->interaction_count != b->interaction_count ||
      a->followup_count != b->followup_count || a->diagnostic_count != b->diagnostic_count ||
      a->unreadable != b->unreadable) {
    snprintf(why, n, "counts %u/%u/%u/%u vs %u/%u/%u/%u (headings/items/follow-ups/diagnostics)",
             a->heading_count, a->interaction_count, a->followup_count, a->diagnostic_count,
             b->heading_count, b->interaction_count, b->followup_count, b->diagnostic_count);
    return false;
  }
  for (uint32_t i = 0; i < a->heading_count; i++) {
    const KithHeading *x = &a->headings[i], *y = &b->headings[i];
    if (strcmp(kith_note_str(a, x->handle), kith_note_str(b, y->handle)) != 0 ||
        strcmp(kith_note_str(a, x->name), kith_note_str(b, y->name)) != 0 || x->line != y->line ||
        x->end_line != y->end_line || x->level != y->level || x->cadence_days != y->cadence_days) {
      snprintf(why, n, "heading %u: @%s line %u-%u level %u vs @%s line %u-%u level %u", i,
               kith_note_str(a, x->handle), x->line, x->end_line, x->level,
               kith_note_str(b, y->handle), y->line, y->end_line, y->level);
      return false;
    }
  }
  if (!items_same("item", a, a->interactions, b, b->interactions, a->interaction_count, why, n) ||
      !items_same("follow-up", a, a->followups, b, b->followups, a->followup_count, why, n))
    return false;
  for (uint32_t i = 0; i < a->diagnostic_count; i++) {
    const KithDiagnostic *x = &a->diagnostics[i], *y = &b->diagnostics[i];
    if (x->line != y->line || x->column != y->column || x->severity != y->severity ||
        strcmp(kith_note_str(a, x->message), kith_note_str(b, y->message)) != 0) {
      snprintf(why, n, "diagnostic %u: %u:%u %s vs %u:%u %s", i, x->line, x->column,
               kith_note_str(a, x->message), y->line, y->column, kith_note_str(b, y->message));
      return false;
    }
  }
  return true;
}

// Parses `text` at once and in pieces of `piece` bytes; the notes must be equal. Returns the
// number of pieces.
static uint32_t expect_same_at(const char *path, const char *what, const char *text, size_t len,
                               size_t piece) {
  KithNote a, b;
  kith_note_init(&a);
  kith_note_init(&b);
  kith_parser_set_pieces(whole, SIZE_MAX, KITH_PARSER_PIECE);
  kith_parser_set_pieces(cut, 0, piece);
  KithParseContext at = {path ? path : context.path, context.today, NULL};
  int ra = kith_parser_parse(whole, &at, text, len, NULL, NULL, &a);
  int rb = kith_parser_parse(cut, &at, text, len, NULL, NULL, &b);
  uint32_t pieces = kith_parser_pieces(cut);
  CHECK_INT(rb, ra);
  char why[512];
  harness_checks++;
  if (!note_same(&a, &b, why, sizeof why))
    harness_fail(__FILE__, __LINE__, "%s (pieces of %zu bytes, %u pieces): %s", what, piece, pieces,
                 why);
  KithNote c;
  kith_note_init(&c);
  kith_parser_set_pieces(plain, SIZE_MAX, KITH_PARSER_PIECE);
  int rc = kith_parser_parse(plain, &at, text, len, NULL, NULL, &c);
  CHECK_INT(rc, ra);
  harness_checks++;
  if (!note_same(&c, &a, why, sizeof why))
    harness_fail(__FILE__, __LINE__, "%s (unmasked vs masked): %s", what, why);
  kith_note_free(&a);
  kith_note_free(&b);
  kith_note_free(&c);
  return pieces;
}

static uint32_t expect_same(const char *what, const char *text, size_t len, size_t piece) {
  return expect_same_at(NULL, what, text, len, piece);
}

static void expect_same_str(const char *text, uint32_t min_pieces, int line) {
  uint32_t pieces = expect_same(text, text, strlen(text), 1);
  harness_checks++;
  if (pieces < min_pieces)
    harness_fail(__FILE__, line, "%u pieces, want at least %u for:\n%s", pieces, min_pieces, text);
}

// Every note of a vault, in pieces of 1, 64 and 4096 bytes. Returns how many notes were cut.
static size_t expect_same_vault(const char *root) {
  KithVault vault;
  char *error = NULL;
  if (kith_vault_open(&vault, root, NULL, &error) != 0) {
    harness_fail(__FILE__, __LINE__, "cannot open %s: %s", root, error ? error : "?");
    free(error);
    return 0;
  }
  size_t split = 0;
  KithBuf path = KITH_BUF_INIT, text = KITH_BUF_INIT;
  for (size_t i = 0; i < vault.count; i++) {
    path.len = 0;
    text.len = 0;
    kith_buf_printf(&path, "%s/%s", root, vault.entries[i].path);
    if (kith_buf_read_file(&text, path.data) != 0 || !text.data ||
        memchr(text.data, '\0', text.len))
      continue;
    static const size_t sizes[] = {1, 64, 4096};
    for (size_t k = 0; k < sizeof sizes / sizeof *sizes; k++) {
      uint32_t pieces =
          expect_same_at(vault.entries[i].path, path.data, text.data, text.len, sizes[k]);
      if (k == 0 && pieces > 1)
        split++;
    }
  }
  kith_buf_free(&path);
  kith_buf_free(&text);
  kith_vault_free(&vault);
  return split;
}

// --- tests ---------------------------------------------------------------------------------

static void test_example_vault_notes_are_the_same_in_pieces(void) {
  size_t split = expect_same_vault("examples/vault");
  CHECK(split >= 5); // the example notes do get cut
}

static void test_optional_vault_notes_are_the_same_in_pieces(void) {
  const char *root = getenv("KITH_PIECES_VAULT");
  if (root && *root) {
    size_t split = expect_same_vault(root);
    printf("test_pieces: %s: %zu notes cut\n", root, split);
  }
}

static void test_pieces_start_at_headings_and_top_level_items(void) {
  expect_same_str("## A @a\n- 2026-01-01 #gave x\n- 2026-01-02 #got y\n## B @b\n"
                  "- 2026-01-03 #gave z\n",
                  3, __LINE__);
  expect_same_str("# T\n\n## A @a\n\n### Log\n\n- 2026-01-01 #gave x\n\n#### 2025\n\n"
                  "- 2026-01-02 #got y\n\n## B @b\n\ntext\n",
                  5, __LINE__);
  // sections close at the end of the note, wherever the last piece starts
  expect_same_str("## A @a\n- 2026-01-01 #gave\n\n## B @b\n- 2026-01-02 #got", 2, __LINE__);
  expect_same_str("## A @a\n- 2026-01-01 #gave\n\n## B @b\n\n\n\n", 2, __LINE__);
  expect_same_str("## A @a\r\n\r\n- 2026-01-01 #gave\r\n\r\n## B @b\r\n- 2026-01-02 #got\r\n", 2,
                  __LINE__);
  // front matter: cut only after its closing line
  expect_same_str("---\ntitle: x\n- 2026-01-05 #gave @bob\n---\n## Alice @alice\n"
                  "- 2026-01-06 #gave\n\n## B @b\n\ntext\n",
                  2, __LINE__);
  expect_same_str("+++\n- 2026-01-05 #gave @bob\n\n## X @x\n+++\n## Alice @alice\n"
                  "- 2026-01-06 #gave\n\n## B @b\n\ntext\n",
                  2, __LINE__);
}

static void test_empty_and_blank_notes(void) {
  static const char *const docs[] = {"", "\n", "\n\n\n", "   ", "#", "-"};
  for (size_t i = 0; i < sizeof docs / sizeof *docs; i++) {
    expect_same(docs[i], docs[i], strlen(docs[i]), 1);
    KithNote n;
    kith_note_init(&n);
    kith_parser_set_pieces(cut, KITH_PARSER_WHOLE_MAX, KITH_PARSER_PIECE);
    CHECK_INT(kith_parser_parse(cut, &context, docs[i], strlen(docs[i]), NULL, NULL, &n), 0);
    CHECK_INT(kith_parser_pieces(cut), 1);
    kith_note_free(&n);
  }
}

static void test_no_piece_starts_inside_a_container(void) {
  // Each of these holds a line that would be a cut if it were at the top level.
  static const char *const docs[] = {
      "## A @a\n\n```\n## B @b\n\n- 2026-01-01 #gave\n```\n- 2026-01-02 #gave\n",
      "## A @a\n\n~~~~\n```\n\n## B @b\n~~~~\n- 2026-01-02 #gave\n",
      "## A @a\n\n- 2026-01-01 #gave\n  ```\n\n## B @b\n- 2026-01-02 #got\n",
      "## A @a\n\n<!--\n\n## B @b\n- 2026-01-01 #gave\n-->\n- 2026-01-02 #gave\n",
      "## A @a\n\n<script>\n\n- 2026-01-01 #gave\n</script>\n\n- 2026-01-02 #gave\n",
      "## A @a\n\n<div>\n- 2026-01-01 #gave\n\n- 2026-01-02 #gave\n</div>\n",
      "## A @a\n\n<?php\n\n## B @b\n?>\n- 2026-01-02 #gave\n",
      "## A @a\n\n<![CDATA[\n\n## B @b\n]]>\n- 2026-01-02 #gave\n",
      "## A @a\n\n<!X\n\n## B @b\n>\n- 2026-01-02 #gave\n",
      "> ## B @b\n> - 2026-01-01 #gave\n- 2026-01-02 #gave @c\n\n> quote\ncontinued\n",
      "- 2026-01-01 #gave @a\n\n    - 2026-01-02 #got @b\n\n  - 2026-01-03 #met @c\n",
      "## A @a\n\npara\n- 2026-01-01 #gave\n2. 2026-01-02 #got lazy\n\n2. 2026-01-03 #met\n",
      "## A @a\n\n    indented\n\n    - 2026-01-01 #gave\n- 2026-01-02 #got\n",
      "## A @a\n\n| a | b |\n|---|---|\n| - 2026-01-01 #gave | x |\n\n- 2026-01-02 #got\n",
      "## A @a\n\nSetext @s\n===\n- 2026-01-01 #gave\n\nSetext two @t\n---\n",
      "## A @a\n\ntext\n\n---\nfoo: bar\n---\n\n- 2026-01-01 #gave\n",
      "---\ntitle: @x\n---\n\n## A @a\n- 2026-01-01 #gave\n\n+++\n## B @b\n+++\n",
      "## A @a\n\n[ref]: http://x/@b\n\n- 2026-01-01 #gave [ref] `x` #got\n",
      "- 2026-01-01 #gave @a\n-\n- 2026-01-02 #got @b\n- \n  - 2026-01-03 #met @c\n",
      "## A @a\n- 2026-01-01 #gave\n  continued #got\n\n  more\n- 2026-01-02 #got:2\n",
  };
  for (size_t i = 0; i < sizeof docs / sizeof *docs; i++) {
    for (size_t piece = 1; piece < 40; piece += 7)
      expect_same(docs[i], docs[i], strlen(docs[i]), piece);
  }
}

// Random documents made of block openers, closers and interaction lines.
static void test_random_documents_are_the_same_in_pieces(void) {
  static const char *const lines[] = {
      "## A @a",
      "# T",
      "### Sub @s",
      "#### Log",
      "- 2026-01-01 #gave x",
      "* 2026-01-02 #got @b",
      "1. 2026-01-03 #met",
      "2. 2026-01-04 #gave @c",
      "  - 2026-01-05 #got nested",
      "    - 2026-01-06 #gave deep",
      "\t- 2026-01-07 #met tab",
      "- [x] 2026-01-08 #gave task",
      "  continued #got",
      "- 2026-02-30 #gave bad date",
      "- #gave no date",
      "- 2026-01-09 #gave:0",
      "- 2026-01-10 `#gave` #got [a](http://x/@d) @e",
      "",
      "",
      "",
      "para @f #gave",
      "```",
      "~~~",
      "    code #gave",
      "<!--",
      "-->",
      "<div>",
      "</div>",
      "<script>",
      "</script>",
      "---",
      "+++",
      "***",
      "> quote",
      "> - 2026-01-11 #gave @g",
      "| a | b |",
      "|---|---|",
      "===",
      "[ref]: http://x",
      "-",
      "#",
      "$$",
      "Setext @h",
      "## 2026-01-05 Monday",
      "### 2026-13-01 not a date",
      "- #met @i coffee (undated: the heading's or the file's date)",
      "- [ ] 2026-02-01 #gave @j follow up",
      "- [ ] #got @k someday",
      "- 2026-01-06 @l, @m; #met lunch",
      "- 2030-01-01 #gave @n in the future",
      "## Cadence @o #every:2w",
      "## Bad cadence @p #every:3x",
      "- 2026-01-07 #gave \xff\xfe not UTF-8",
      // lines the mask (src/notes/mask.c) folds, or must not
      "alpha | beta #gave @q",
      "row|",
      "word --> end @r #met",
      "text ?> x #got",
      "foo ]]> x #gave",
      "line</script> @s #met",
      "a\\",
      "word #gave @t   ",
      "1) 2026-01-12 #gave @u",
      "10000000000. #gave @v",
      "[x] not a task #gave @w",
      "- [X] 2026-01-13 #met @x \xc3\xa9t\xc3\xa9",
      "\xc3\xa9l\xc3\xa8ve #gave @y caf\xc3\xa9",
      "[foo]: /url 'title",
      "continues' here #gave @z",
      "plain *em _under `code` (paren) @aa #got",
      "> > 2026-01-14 #gave @bb deep quote",
      "- > 2026-01-15 #met @cc",
      "12345 #gave @dd",
      "x",
      "[foo]: /url 'the title",
      "continues ' here' @ee",
      "price $5 and $$ more @ff #gave",
      "$$ x",
  };
  size_t n = sizeof lines / sizeof *lines;
  uint64_t state = 0x9E3779B97F4A7C15u;
  KithBuf doc = KITH_BUF_INIT;
  for (int round = 0; round < 1500; round++) {
    doc.len = 0;
    int count = 5 + (int)(state % 40);
    for (int i = 0; i < count; i++) {
      state ^= state << 13;
      state ^= state >> 7;
      state ^= state << 17;
      kith_buf_puts(&doc, lines[state % n]);
      kith_buf_puts(&doc, (state >> 20) % 9 == 0 ? "\r\n" : "\n");
    }
    if (state % 5 == 0 && doc.len > 0)
      doc.len--; // no final newline
    char what[64];
    snprintf(what, sizeof what, "random document %d", round);
    expect_same(what, doc.data ? doc.data : "", doc.len, 1 + (size_t)((state >> 8) % 64));
    if (harness_failures) {
      fprintf(stderr, "---\n%.*s\n---\n", (int)doc.len, doc.data);
      break;
    }
  }
  kith_buf_free(&doc);
}

// Constructs over several lines whose meaning hangs on signs inside a line: the masked parse
// (src/notes/mask.c) must find the same blocks.
static void test_masked_multi_line_constructs(void) {
  static const char *const docs[] = {
      // a link reference definition whose title a quote in the middle of a line ends early
      "[foo]: /url 'the title\ncontinues ' here'\nHeading @x\n===\n",
      "- [foo]: /url\n  'a title\n  that ' ends early'\n  Name @y\n  ---\n",
      "[foo]:\n/url\n\"the title\nrest \" of it\"\nName @z\n===\n",
      // backticks at a line's end inside a fence
      "```\n- 2026-11-03 #gave fenced @a/```\n## H @h\n",
      // math blocks
      "$$\nfoo $$ bar @a\n$$\n## H @h\n- 2026-01-01 #gave @b\n",
      "text with $$ in it @c #gave\n$$\n## H @h\n",
      // wiki links and task boxes open lines that open no definition; a list item ends one
      "[[Wiki]] page @a\n- 2026-01-01 #gave @b it's 'quoted\nmore ' here' @c\nName @d\n===\n",
      "[foo]: /url 'title\n- 2026-01-02 #gave @e a ' b'\nName @f\n---\n",
      "- [x] 2026-01-03 #gave @g 'x\n  [foo]: /u 'y\n  z ' w'\n  Name @h\n  ===\n",
      "> [foo]: /url 'title\n> more ' here'\n> Name @i\n> ===\n",
  };
  for (size_t i = 0; i < sizeof docs / sizeof *docs; i++)
    expect_same(docs[i], docs[i], strlen(docs[i]), 7);
}

// A large note with the default limits: cut, and the same note.
static void test_large_note_is_parsed_in_pieces_with_the_defaults(void) {
  KithBuf doc = KITH_BUF_INIT;
  for (int c = 0; doc.len < 3 * KITH_PARSER_WHOLE_MAX; c++) {
    kith_buf_printf(&doc, "## Person %d @p%d\n\n", c, c);
    for (int i = 0; i < 50; i++)
      kith_buf_printf(&doc, "- 2026-%02d-%02d #gave:%d notes `#got` [x](http://a/@q) %d\n",
                      1 + i % 12, 1 + i % 28, 1 + i % 3, i);
    kith_buf_puts(&doc, "\n");
  }
  KithNote a, b;
  kith_note_init(&a);
  kith_note_init(&b);
  kith_parser_set_pieces(whole, SIZE_MAX, KITH_PARSER_PIECE);
  kith_parser_set_pieces(cut, KITH_PARSER_WHOLE_MAX, KITH_PARSER_PIECE);
  TSTree *tree = (TSTree *)1;
  CHECK_INT(kith_parser_parse(whole, &context, doc.data, doc.len, NULL, NULL, &a), 0);
  CHECK_INT(kith_parser_parse(cut, &context, doc.data, doc.len, NULL, &tree, &b), 0);
  CHECK(tree == NULL); // no tree covers a note parsed in pieces
  CHECK(kith_parser_pieces(cut) >= 3 * KITH_PARSER_WHOLE_MAX / KITH_PARSER_PIECE);
  char why[512];
  harness_checks++;
  if (!note_same(&a, &b, why, sizeof why))
    harness_fail(__FILE__, __LINE__, "%s", why);
  CHECK(b.interaction_count > 10000);
  kith_note_free(&a);
  kith_note_free(&b);
  // A small note is parsed at once and gives its tree.
  kith_note_init(&b);
  CHECK_INT(kith_parser_parse(cut, &context, "## A @a\n- 2026-01-01 #gave\n", 27, NULL, &tree, &b),
            0);
  CHECK_INT(kith_parser_pieces(cut), 1);
  CHECK(tree != NULL);
  if (tree)
    ts_tree_delete(tree);
  kith_note_free(&b);
  kith_buf_free(&doc);
}

static const KithInteraction *item_on(const KithNote *n, uint32_t line) {
  for (uint32_t i = 0; i < n->interaction_count; i++) {
    if (n->interactions[i].line == line)
      return &n->interactions[i];
  }
  return NULL;
}

static void test_over_long_line_is_read_up_to_the_limit(void) {
  // Line 2: an item whose tags before the limit count and whose tags after it do not.
  KithBuf doc = KITH_BUF_INIT;
  kith_buf_puts(&doc, "## A @a\n- 2026-01-01 #gave ");
  size_t line_start = 8;
  while (doc.len - line_start < KITH_PARSER_LINE_MAX - 6)
    kith_buf_puts(&doc, "word ");
  while (doc.len - line_start < KITH_PARSER_LINE_MAX - 1)
    kith_buf_putc(&doc, 'x');
  kith_buf_puts(&doc, "\xc3\xa9"); // é straddles the limit: the cut moves before it
  size_t cut_column = KITH_PARSER_LINE_MAX - 1 + 1;
  for (int i = 0; i < 1000; i++)
    kith_buf_puts(&doc, " #got `#met");
  kith_buf_puts(&doc, "\n- 2026-01-02 #got:2 after\n");
  KithNote n;
  kith_note_init(&n);
  TSTree *tree = (TSTree *)1;
  CHECK_INT(kith_parser_parse(cut, &context, doc.data, doc.len, NULL, &tree, &n), 0);
  CHECK(tree == NULL);
  CHECK(harness_has_diag(&n, 2, (uint32_t)cut_column, KITH_SEVERITY_WARNING, "not read"));
  CHECK_INT(n.diagnostic_count, 1);
  const KithInteraction *long_item = item_on(&n, 2), *next = item_on(&n, 3);
  CHECK(long_item && long_item->gave == 1 && long_item->got == 0 && long_item->met == 0);
  CHECK(next && next->got == 2);
  kith_note_free(&n);
  // The text given is not changed; the writable variant blanks in place.
  CHECK(strstr(doc.data, "#got `#met\n") != NULL);
  kith_note_init(&n);
  CHECK_INT(kith_parser_parse_mutable(cut, &context, doc.data, doc.len, NULL, NULL, &n), 0);
  CHECK(strstr(doc.data, "#got `#met\n") == NULL);
  CHECK_INT(n.interaction_count, 2);
  kith_note_free(&n);
  // A line of exactly the limit is read whole.
  doc.len = 0;
  kith_buf_puts(&doc, "- 2026-01-01 @b ");
  while (doc.len < KITH_PARSER_LINE_MAX - 5)
    kith_buf_putc(&doc, 'y');
  kith_buf_puts(&doc, " #got\n");
  CHECK_INT(doc.len, KITH_PARSER_LINE_MAX + 1);
  kith_note_init(&n);
  CHECK_INT(kith_parser_parse(cut, &context, doc.data, doc.len, NULL, NULL, &n), 0);
  CHECK_INT(n.diagnostic_count, 0);
  CHECK(n.interaction_count == 1 && n.interactions[0].got == 1);
  kith_note_free(&n);
  kith_buf_free(&doc);
}

static void test_a_stopped_parse_fails_and_the_next_one_is_whole(void) {
  KithBuf text = KITH_BUF_INIT;
  kith_buf_puts(&text, "## A @a\n");
  for (int i = 0; i < 500; i++)
    kith_buf_puts(&text, "- 2026-01-01 #gave x\n- 2026-01-02 #got y\n");
  size_t flag = 1;
  kith_parser_set_pieces(cut, SIZE_MAX, KITH_PARSER_PIECE);
  kith_parser_set_cancel(cut, &flag);
  KithNote n;
  kith_note_init(&n);
  CHECK_INT(kith_parser_parse(cut, &context, text.data, text.len, NULL, NULL, &n), -1);
  kith_note_free(&n);
  flag = 0;
  kith_note_init(&n);
  CHECK_INT(kith_parser_parse(cut, &context, text.data, text.len, NULL, NULL, &n), 0);
  CHECK_INT(n.heading_count, 1);
  CHECK_INT(n.interaction_count, 1000);
  CHECK_INT(n.diagnostic_count, 0);
  kith_note_free(&n);
  kith_parser_set_cancel(cut, NULL);
  kith_buf_free(&text);
}

int main(void) {
  kith_date_parse("2026-12-31", 10, &context.today);
  whole = parser_or_die();
  cut = parser_or_die();
  plain = parser_or_die();
  kith_parser_set_plain(plain, true);
  RUN(test_empty_and_blank_notes);
  RUN(test_pieces_start_at_headings_and_top_level_items);
  RUN(test_no_piece_starts_inside_a_container);
  RUN(test_example_vault_notes_are_the_same_in_pieces);
  RUN(test_random_documents_are_the_same_in_pieces);
  RUN(test_masked_multi_line_constructs);
  RUN(test_optional_vault_notes_are_the_same_in_pieces);
  RUN(test_large_note_is_parsed_in_pieces_with_the_defaults);
  RUN(test_over_long_line_is_read_up_to_the_limit);
  RUN(test_a_stopped_parse_fails_and_the_next_one_is_whole);
  kith_parser_free(whole);
  kith_parser_free(cut);
  kith_parser_free(plain);
  return harness_finish("test_pieces");
}
