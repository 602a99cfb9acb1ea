// KithMirror (src/mirror.h): a buffer's lines kept from nvim_buf_lines_event, as the text
// tree-sitter parses, with tree edits that keep an incremental re-parse identical to a fresh one.

#include "harness.h"

#include <stdio.h>
#include <stdlib.h>
#include <tree_sitter/api.h>

#include "host/mirror.h"
#include "notes/grammar.h"

// --- helpers -------------------------------------------------------------------------------

// Applies lines given as C strings.
static int apply(KithMirror *m, int64_t first, int64_t last, const char *const *lines,
                 size_t count) {
  KithMirrorLine *ls = calloc(count ? count : 1, sizeof *ls);
  for (size_t i = 0; i < count; i++)
    ls[i] = (KithMirrorLine){lines[i], strlen(lines[i])};
  int rc = kith_mirror_apply(m, first, last, ls, count);
  free(ls);
  return rc;
}

static const char *text_of(const KithMirror *m) {
  return m->text ? m->text : "";
}

// The line starts agree with the text: line i starts at starts[i], lines end in '\n'.
static bool starts_consistent(const KithMirror *m) {
  size_t at = 0;
  for (size_t i = 0; i < m->line_count; i++) {
    if (m->starts[i] != at)
      return false;
    const char *nl = memchr(m->text + at, '\n', m->len - at);
    if (!nl)
      return false;
    at = (size_t)(nl - m->text) + 1;
  }
  return at == m->len;
}

static const char *const abc[] = {"alpha", "beta", "gamma"};

static void set_abc(KithMirror *m) {
  kith_mirror_init(m);
  CHECK_INT(apply(m, 0, -1, abc, 3), 0);
}

// --- lines ---------------------------------------------------------------------------------

static void test_first_event_sets_all_lines(void) {
  KithMirror m;
  set_abc(&m);
  CHECK_STR(text_of(&m), "alpha\nbeta\ngamma\n");
  CHECK_INT(m.len, strlen("alpha\nbeta\ngamma\n"));
  CHECK_INT(m.line_count, 3);
  CHECK(starts_consistent(&m));
  // A second "all lines" event replaces everything (re-attach).
  const char *const two[] = {"x", ""};
  CHECK_INT(apply(&m, 0, -1, two, 2), 0);
  CHECK_STR(text_of(&m), "x\n\n");
  CHECK_INT(m.line_count, 2);
  CHECK(starts_consistent(&m));
  kith_mirror_free(&m);
}

static void test_empty_buffer_is_one_empty_line(void) {
  KithMirror m;
  kith_mirror_init(&m);
  CHECK_INT(m.line_count, 0);
  const char *const empty[] = {""};
  CHECK_INT(apply(&m, 0, -1, empty, 1), 0);
  CHECK_STR(text_of(&m), "\n");
  CHECK_INT(m.line_count, 1);
  kith_mirror_free(&m);
}

static void test_replace_a_middle_line(void) {
  KithMirror m;
  set_abc(&m);
  const char *const b[] = {"BETA!"};
  CHECK_INT(apply(&m, 1, 2, b, 1), 0);
  CHECK_STR(text_of(&m), "alpha\nBETA!\ngamma\n");
  CHECK_INT(m.line_count, 3);
  CHECK(starts_consistent(&m));
  // Shorter again.
  const char *const s[] = {"b"};
  CHECK_INT(apply(&m, 1, 2, s, 1), 0);
  CHECK_STR(text_of(&m), "alpha\nb\ngamma\n");
  CHECK(starts_consistent(&m));
  kith_mirror_free(&m);
}

static void test_insert_lines(void) {
  KithMirror m;
  set_abc(&m);
  const char *const ins[] = {"one", "two"};
  CHECK_INT(apply(&m, 1, 1, ins, 2), 0);
  CHECK_STR(text_of(&m), "alpha\none\ntwo\nbeta\ngamma\n");
  CHECK_INT(m.line_count, 5);
  CHECK(starts_consistent(&m));
  const char *const top[] = {"top"};
  CHECK_INT(apply(&m, 0, 0, top, 1), 0);
  CHECK_STR(text_of(&m), "top\nalpha\none\ntwo\nbeta\ngamma\n");
  CHECK(starts_consistent(&m));
  kith_mirror_free(&m);
}

static void test_delete_lines(void) {
  KithMirror m;
  set_abc(&m);
  CHECK_INT(apply(&m, 0, 2, NULL, 0), 0);
  CHECK_STR(text_of(&m), "gamma\n");
  CHECK_INT(m.line_count, 1);
  CHECK(starts_consistent(&m));
  kith_mirror_free(&m);

  set_abc(&m);
  CHECK_INT(apply(&m, 1, 2, NULL, 0), 0);
  CHECK_STR(text_of(&m), "alpha\ngamma\n");
  CHECK_INT(m.line_count, 2);
  CHECK(starts_consistent(&m));
  // The last line.
  CHECK_INT(apply(&m, 1, 2, NULL, 0), 0);
  CHECK_STR(text_of(&m), "alpha\n");
  CHECK_INT(m.line_count, 1);
  CHECK(starts_consistent(&m));
  kith_mirror_free(&m);
}

static void test_append_at_the_end(void) {
  KithMirror m;
  set_abc(&m);
  const char *const tail[] = {"delta", "epsilon"};
  CHECK_INT(apply(&m, 3, 3, tail, 2), 0);
  CHECK_STR(text_of(&m), "alpha\nbeta\ngamma\ndelta\nepsilon\n");
  CHECK_INT(m.line_count, 5);
  CHECK(starts_consistent(&m));
  kith_mirror_free(&m);
}

static void test_change_split_by_more_equals_one_event(void) {
  // One change: lines 1..2 ("beta", "gamma") replaced by five lines.
  const char *const five[] = {"l1", "l2", "l3", "l4", "l5"};
  KithMirror one;
  set_abc(&one);
  CHECK_INT(apply(&one, 1, 3, five, 5), 0);

  // As Neovim sends it with `more`: the first event replaces the range with the first chunk,
  // the next inserts the rest after it.
  KithMirror two;
  set_abc(&two);
  CHECK_INT(apply(&two, 1, 3, five, 2), 0);
  CHECK_INT(apply(&two, 3, 3, five + 2, 3), 0);

  CHECK_STR(text_of(&two), text_of(&one));
  CHECK_STR(text_of(&one), "alpha\nl1\nl2\nl3\nl4\nl5\n");
  CHECK_INT(two.line_count, one.line_count);
  CHECK(starts_consistent(&two));
  kith_mirror_free(&one);
  kith_mirror_free(&two);
}

static void test_out_of_range_is_refused_and_text_unchanged(void) {
  KithMirror m;
  set_abc(&m);
  const char *const x[] = {"x"};
  CHECK_INT(apply(&m, 4, 4, x, 1), -2);  // first > line_count
  CHECK_INT(apply(&m, 2, 1, x, 1), -2);  // last < first
  CHECK_INT(apply(&m, 1, 9, x, 1), -2);  // last > line_count
  CHECK_INT(apply(&m, -3, 1, x, 1), -2); // negative first
  CHECK_STR(text_of(&m), "alpha\nbeta\ngamma\n");
  CHECK_INT(m.line_count, 3);
  CHECK(starts_consistent(&m));
  kith_mirror_free(&m);
}

static void test_crlf_lines_are_kept_byte_for_byte(void) {
  KithMirror m;
  kith_mirror_init(&m);
  const char *const crlf[] = {"# Title\r", "\r", "- a\r"};
  CHECK_INT(apply(&m, 0, -1, crlf, 3), 0);
  CHECK_INT(m.len, 16);
  CHECK(m.len == 16 && memcmp(m.text, "# Title\r\n\r\n- a\r\n", 16) == 0);
  const char *const b[] = {"- b\r"};
  CHECK_INT(apply(&m, 3, 3, b, 1), 0);
  CHECK(m.len == 21 && memcmp(m.text, "# Title\r\n\r\n- a\r\n- b\r\n", 21) == 0);
  CHECK_INT(m.line_count, 4);
  kith_mirror_free(&m);
}

static void test_lines_with_explicit_lengths_and_utf8(void) {
  KithMirror m;
  kith_mirror_init(&m);
  // Lines are (ptr, len), not NUL-terminated: only len bytes are taken.
  KithMirrorLine ls[2] = {{"héllo WORLD", 6}, {"→ x", 5}};
  CHECK_INT(kith_mirror_apply(&m, 0, -1, ls, 2), 0);
  CHECK_STR(text_of(&m), "héllo\n→ x\n");
  CHECK(starts_consistent(&m));
  kith_mirror_free(&m);
}

static void test_nul_sent_as_newline_stays_inside_its_line(void) {
  // Neovim sends a NUL inside a line as "\n": it must not split the line.
  KithMirror m;
  kith_mirror_init(&m);
  KithMirrorLine ls[2] = {{"a\nb", 3}, {"c", 1}};
  CHECK_INT(kith_mirror_apply(&m, 0, -1, ls, 2), 0);
  CHECK_INT(m.line_count, 2);
  CHECK_INT(m.len, 6);
  CHECK(m.len == 6 && memcmp(m.text, "a\0b\nc\n", 6) == 0);
  CHECK(starts_consistent(&m));
  const char *const d[] = {"d"};
  CHECK_INT(apply(&m, 1, 2, d, 1), 0);
  CHECK(m.len == 6 && memcmp(m.text, "a\0b\nd\n", 6) == 0);
  kith_mirror_free(&m);
}

// --- tree edits ----------------------------------------------------------------------------

static TSParser *block_parser(void) {
  TSParser *p = ts_parser_new();
  CHECK(ts_parser_set_language(p, kith_grammar_block()));
  return p;
}

// Every node as "type start-end (row,col)-(row,col)", depth-first: S-expression plus ranges.
static void dump_node(TSNode n, KithBuf *out, int depth) {
  TSPoint s = ts_node_start_point(n), e = ts_node_end_point(n);
  kith_buf_printf(out, "%*s%s %u-%u (%u,%u)-(%u,%u)%s\n", depth * 2, "", ts_node_type(n),
                  ts_node_start_byte(n), ts_node_end_byte(n), s.row, s.column, e.row, e.column,
                  ts_node_is_missing(n) ? " MISSING" : "");
  uint32_t count = ts_node_child_count(n);
  for (uint32_t i = 0; i < count; i++)
    dump_node(ts_node_child(n, i), out, depth + 1);
}

static char *dump_tree(const TSTree *tree) {
  KithBuf out = KITH_BUF_INIT;
  dump_node(ts_tree_root_node(tree), &out, 0);
  return kith_buf_take(&out);
}

// Prints the first line where `a` and `b` differ.
static void report_first_difference(const char *what, const char *a, const char *b) {
  size_t i = 0;
  while (a[i] && a[i] == b[i])
    i++;
  size_t line_start = i;
  while (line_start > 0 && a[line_start - 1] != '\n')
    line_start--;
  fprintf(stderr, "  %s: incremental: %.120s\n  %s: fresh:       %.120s\n", what, a + line_start,
          what, b + line_start);
}

// Parses the mirror's text again with its (edited) tree and without, and compares.
static void expect_reparse_matches_fresh(KithMirror *m, TSParser *p, const char *what) {
  CHECK(m->tree != NULL);
  if (!m->tree)
    return;
  // The edit left the old tree spanning the new text.
  TSNode old_root = ts_tree_root_node(m->tree);
  harness_checks++;
  if (ts_node_end_byte(old_root) != m->len)
    harness_fail(__FILE__, __LINE__, "%s: edited tree ends at byte %u, text has %zu", what,
                 ts_node_end_byte(old_root), m->len);

  TSTree *incremental = ts_parser_parse_string(p, m->tree, m->text, (uint32_t)m->len);
  TSTree *fresh = ts_parser_parse_string(p, NULL, m->text, (uint32_t)m->len);
  CHECK(incremental && fresh);
  if (!incremental || !fresh)
    return;
  char *a = ts_node_string(ts_tree_root_node(incremental));
  char *b = ts_node_string(ts_tree_root_node(fresh));
  harness_checks++;
  if (strcmp(a, b) != 0) {
    harness_fail(__FILE__, __LINE__, "%s: incremental S-expression differs from a fresh parse",
                 what);
    report_first_difference(what, a, b);
  }
  free(a);
  free(b);
  char *da = dump_tree(incremental), *db = dump_tree(fresh);
  harness_checks++;
  if (strcmp(da, db) != 0) {
    harness_fail(__FILE__, __LINE__, "%s: incremental node ranges differ from a fresh parse", what);
    report_first_difference(what, da, db);
  }
  free(da);
  free(db);
  ts_tree_delete(fresh);
  kith_mirror_set_tree(m, incremental);
}

static const char *const note_lines[] = {
    "---",
    "title: People",
    "---",
    "",
    "# People",
    "",
    "## @alice",
    "",
    "- 2026-01-02 gave @alice a book",
    "- 2026-01-05 got help moving from @alice",
    "",
    "## @bob",
    "",
    "Some paragraph text",
    "over two lines.",
    "",
    "- item one",
    "- item two",
    "  - nested",
    "",
    "### Notes",
    "",
    "> a quote",
    "",
    "```",
    "code",
    "```",
};
#define NOTE_LINES (sizeof note_lines / sizeof note_lines[0])

// A mirror of the note, parsed, with its tree.
static void mirror_with_tree(KithMirror *m, TSParser *p) {
  kith_mirror_init(m);
  CHECK_INT(apply(m, 0, -1, note_lines, NOTE_LINES), 0);
  TSTree *tree = ts_parser_parse_string(p, NULL, m->text, (uint32_t)m->len);
  CHECK(tree != NULL);
  kith_mirror_set_tree(m, tree);
}

static size_t line_of(const char *needle) {
  for (size_t i = 0; i < NOTE_LINES; i++) {
    if (strcmp(note_lines[i], needle) == 0)
      return i;
  }
  harness_fail(__FILE__, __LINE__, "no line %s", needle);
  return 0;
}

static void test_tree_typing_a_character_in_a_list_item(void) {
  TSParser *p = block_parser();
  KithMirror m;
  mirror_with_tree(&m, p);
  size_t at = line_of("- item one");
  const char *typed[] = {"- item onex"};
  CHECK_INT(apply(&m, (int64_t)at, (int64_t)at + 1, typed, 1), 0);
  expect_reparse_matches_fresh(&m, p, "typed x");
  const char *more[] = {"- item onexy"};
  CHECK_INT(apply(&m, (int64_t)at, (int64_t)at + 1, more, 1), 0);
  expect_reparse_matches_fresh(&m, p, "typed y");
  // Backspace twice.
  const char *back[] = {"- item one"};
  CHECK_INT(apply(&m, (int64_t)at, (int64_t)at + 1, back, 1), 0);
  expect_reparse_matches_fresh(&m, p, "backspace");
  kith_mirror_free(&m);
  ts_parser_delete(p);
}

static void test_tree_deleting_a_heading_line(void) {
  TSParser *p = block_parser();
  KithMirror m;
  mirror_with_tree(&m, p);
  size_t at = line_of("## @bob");
  CHECK_INT(apply(&m, (int64_t)at, (int64_t)at + 1, NULL, 0), 0);
  expect_reparse_matches_fresh(&m, p, "deleted ## @bob");
  CHECK(strstr(text_of(&m), "@bob") == NULL);
  // And the top heading.
  CHECK_INT(apply(&m, 4, 5, NULL, 0), 0);
  expect_reparse_matches_fresh(&m, p, "deleted # People");
  kith_mirror_free(&m);
  ts_parser_delete(p);
}

static void test_tree_inserting_a_new_list_item(void) {
  TSParser *p = block_parser();
  KithMirror m;
  mirror_with_tree(&m, p);
  size_t at = line_of("- item two") + 1; // after "- item two": before "  - nested"
  const char *item[] = {"- inserted item"};
  CHECK_INT(apply(&m, (int64_t)at, (int64_t)at, item, 1), 0);
  expect_reparse_matches_fresh(&m, p, "inserted a list item");
  // As Neovim does on `o`: an empty line, then typed into.
  size_t after = line_of("- 2026-01-05 got help moving from @alice") + 1;
  const char *empty[] = {""};
  CHECK_INT(apply(&m, (int64_t)after, (int64_t)after, empty, 1), 0);
  expect_reparse_matches_fresh(&m, p, "opened a line");
  const char *dash[] = {"- "};
  CHECK_INT(apply(&m, (int64_t)after, (int64_t)after + 1, dash, 1), 0);
  expect_reparse_matches_fresh(&m, p, "typed a dash");
  const char *full[] = {"- 2026-01-09 gave @alice tea"};
  CHECK_INT(apply(&m, (int64_t)after, (int64_t)after + 1, full, 1), 0);
  expect_reparse_matches_fresh(&m, p, "typed the item");
  kith_mirror_free(&m);
  ts_parser_delete(p);
}

// 100 lines of mixed Markdown.
static const char **hundred_lines(void) {
  static char storage[100][48];
  static const char *lines[100];
  for (int i = 0; i < 100; i++) {
    switch (i % 10) {
    case 0:
      snprintf(storage[i], sizeof storage[i], "## @person%d", i);
      break;
    case 1:
    case 4:
    case 9:
      storage[i][0] = '\0';
      break;
    case 5:
      snprintf(storage[i], sizeof storage[i], "Paragraph %d with *emphasis*", i);
      break;
    case 6:
      snprintf(storage[i], sizeof storage[i], "continued on line %d.", i);
      break;
    default:
      snprintf(storage[i], sizeof storage[i], "- 2026-02-%02d gave @person%d %d", i % 28 + 1,
               i - i % 10, i);
    }
    lines[i] = storage[i];
  }
  return lines;
}

static void test_tree_pasting_100_lines(void) {
  TSParser *p = block_parser();
  KithMirror m;
  mirror_with_tree(&m, p);
  const char **lines = hundred_lines();
  size_t at = line_of("## @bob");
  CHECK_INT(apply(&m, (int64_t)at, (int64_t)at, lines, 100), 0);
  CHECK_INT(m.line_count, NOTE_LINES + 100);
  expect_reparse_matches_fresh(&m, p, "pasted 100 lines in the middle");
  // At the end, in two events as with `more`.
  CHECK_INT(apply(&m, (int64_t)m.line_count, (int64_t)m.line_count, lines, 60), 0);
  CHECK_INT(apply(&m, (int64_t)m.line_count, (int64_t)m.line_count, lines + 60, 40), 0);
  expect_reparse_matches_fresh(&m, p, "pasted 100 lines at the end in two events");
  // Undo the first paste (delete 100 lines).
  CHECK_INT(apply(&m, (int64_t)at, (int64_t)at + 100, NULL, 0), 0);
  expect_reparse_matches_fresh(&m, p, "deleted the 100 pasted lines");
  kith_mirror_free(&m);
  ts_parser_delete(p);
}

static void test_tree_replacing_every_line(void) {
  TSParser *p = block_parser();
  KithMirror m;
  mirror_with_tree(&m, p);
  const char *const other[] = {"# Other", "", "- a", "- b"};
  CHECK_INT(apply(&m, 0, -1, other, 4), 0);
  expect_reparse_matches_fresh(&m, p, "all lines replaced");
  kith_mirror_free(&m);
  ts_parser_delete(p);
}

static void test_set_tree_replaces_and_free_releases(void) {
  TSParser *p = block_parser();
  KithMirror m;
  mirror_with_tree(&m, p);
  TSTree *again = ts_parser_parse_string(p, NULL, m.text, (uint32_t)m.len);
  kith_mirror_set_tree(&m, again); // the first tree is freed here
  CHECK(m.tree == again);
  kith_mirror_free(&m);
  CHECK(m.tree == NULL);
  CHECK(m.text == NULL);
  CHECK_INT(m.line_count, 0);
  ts_parser_delete(p);
}

int main(void) {
  RUN(test_first_event_sets_all_lines);
  RUN(test_empty_buffer_is_one_empty_line);
  RUN(test_replace_a_middle_line);
  RUN(test_insert_lines);
  RUN(test_delete_lines);
  RUN(test_append_at_the_end);
  RUN(test_change_split_by_more_equals_one_event);
  RUN(test_out_of_range_is_refused_and_text_unchanged);
  RUN(test_crlf_lines_are_kept_byte_for_byte);
  RUN(test_lines_with_explicit_lengths_and_utf8);
  RUN(test_nul_sent_as_newline_stays_inside_its_line);
  RUN(test_tree_typing_a_character_in_a_list_item);
  RUN(test_tree_deleting_a_heading_line);
  RUN(test_tree_inserting_a_new_list_item);
  RUN(test_tree_pasting_100_lines);
  RUN(test_tree_replacing_every_line);
  RUN(test_set_tree_replaces_and_free_releases);
  return harness_finish("test_mirror");
}
