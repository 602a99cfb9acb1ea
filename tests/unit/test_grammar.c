// The tree-sitter-markdown grammar on text it was not written for (issue #8): code points the
// scanners hand to <ctype.h>, which C defines only for EOF and unsigned char values. Run in the
// release build: glibc's table lookups are not instrumented, so ASan builds never crashed.

#include "harness.h"

#include <limits.h>
#include <stdio.h>

#include "notes/grammar.h"
#include "notes/grammar_ctype.h" // what CMakeLists.txt force-includes into the grammar

// Encodes `cp` (at most U+10FFFF) as UTF-8 into `out`; returns the length.
static size_t encode(uint32_t cp, char out[4]) {
  if (cp < 0x80) {
    out[0] = (char)cp;
    return 1;
  }
  if (cp < 0x800) {
    out[0] = (char)(0xC0 | cp >> 6);
    out[1] = (char)(0x80 | (cp & 0x3F));
    return 2;
  }
  if (cp < 0x10000) {
    out[0] = (char)(0xE0 | cp >> 12);
    out[1] = (char)(0x80 | (cp >> 6 & 0x3F));
    out[2] = (char)(0x80 | (cp & 0x3F));
    return 3;
  }
  out[0] = (char)(0xF0 | cp >> 18);
  out[1] = (char)(0x80 | (cp >> 12 & 0x3F));
  out[2] = (char)(0x80 | (cp >> 6 & 0x3F));
  out[3] = (char)(0x80 | (cp & 0x3F));
  return 4;
}

// Parses `prefix` + `cp` + `suffix` and checks that it says nothing (no heading, no item).
static void expect_quiet(const char *prefix, uint32_t cp, const char *suffix) {
  char text[64], enc[4];
  size_t n = encode(cp, enc);
  snprintf(text, sizeof text, "%s%.*s%s", prefix, (int)n, enc, suffix);
  KithNote note;
  harness_parse(text, &note);
  harness_checks++;
  if (note.heading_count || note.interaction_count)
    harness_fail(__FILE__, __LINE__, "U+%04X after %s: %u headings, %u items", (unsigned)cp, prefix,
                 note.heading_count, note.interaction_count);
  kith_note_free(&note);
}

// The note of the issue, byte for byte: `1`, U+10FFFF, newline. The block scanner reads the
// `1` as a possible ordered-list marker and asks isdigit() about the next code point.
static void test_digit_then_last_code_point(void) {
  static const char text[] = "1\xf4\x8f\xbf\xbf\n";
  CHECK_INT(sizeof text - 1, 6);
  KithNote note;
  harness_parse(text, &note);
  CHECK_INT(note.heading_count, 0);
  CHECK_INT(note.interaction_count, 0);
  kith_note_free(&note);
}

// Every place a list marker can be tried, and HTML block starts (tag names and attributes are
// classified with <wctype.h>), with code points from U+0080 to U+10FFFF.
static void test_block_scanner_on_any_code_point(void) {
  static const char *const prefixes[] = {"1",    "12", "   7", "- 1", "> 3",
                                         "1. 2", "<",  "</a",  "<a "};
  for (uint32_t cp = 0x80; cp <= 0x10FFFF; cp += 0x3F1) {
    if (cp >= 0xD800 && cp <= 0xDFFF)
      continue; // surrogates are not UTF-8
    for (size_t i = 0; i < sizeof prefixes / sizeof *prefixes; i++)
      expect_quiet(prefixes[i], cp, "\n");
  }
  static const uint32_t edges[] = {0xFFFF, 0x10000, 0x80000, 0xF7410, 0x10FFFE, 0x10FFFF};
  for (size_t i = 0; i < sizeof edges / sizeof *edges; i++) {
    expect_quiet("1", edges[i], "\n");
    expect_quiet("1", edges[i], "");
    expect_quiet("# 1", edges[i], "\n");
  }
}

// The inline grammar, which kith runs only on some paragraphs, on its own: delimiter runs and
// the other tokens its scanner looks past, followed by code points from the whole range.
static void test_inline_scanner_on_any_code_point(void) {
  static const char *const prefixes[] = {"*",  "a*", "_", "a_", "~~", "`",
                                         "``", "$",  "<", "\\", "&"};
  TSParser *parser = ts_parser_new();
  CHECK(ts_parser_set_language(parser, kith_grammar_inline()));
  for (uint32_t cp = 0x80; cp <= 0x10FFFF; cp += 0x3F1) {
    if (cp >= 0xD800 && cp <= 0xDFFF)
      continue;
    for (size_t i = 0; i < sizeof prefixes / sizeof *prefixes; i++) {
      char text[32], enc[4];
      size_t n = encode(cp, enc);
      int len = snprintf(text, sizeof text, "%s%.*s%s x", prefixes[i], (int)n, enc, prefixes[i]);
      TSTree *tree = ts_parser_parse_string(parser, NULL, text, (uint32_t)len);
      harness_checks++;
      if (!tree || ts_node_end_byte(ts_tree_root_node(tree)) != (uint32_t)len)
        harness_fail(__FILE__, __LINE__, "U+%04X after %s: no tree over the whole text",
                     (unsigned)cp, prefixes[i]);
      if (tree)
        ts_tree_delete(tree);
    }
  }
  ts_parser_delete(parser);
}

// The guard answers as <ctype.h> wherever C defines it (EOF and 0..255) and false elsewhere.
// `(isdigit)(c)` calls the library's function; `isdigit(c)` is the guard's macro.
static void test_guard_matches_ctype_where_defined(void) {
#define SAME(name, c) CHECK_INT(!!name(c), !!(name)(c))
  for (int c = EOF; c <= UCHAR_MAX; c++) {
    SAME(isalnum, c);
    SAME(isalpha, c);
    SAME(isblank, c);
    SAME(iscntrl, c);
    SAME(isdigit, c);
    SAME(isgraph, c);
    SAME(islower, c);
    SAME(isprint, c);
    SAME(ispunct, c);
    SAME(isspace, c);
    SAME(isupper, c);
    SAME(isxdigit, c);
    CHECK_INT(tolower(c), (tolower)(c));
    CHECK_INT(toupper(c), (toupper)(c));
  }
#undef SAME
  CHECK(isdigit('7') && isspace(' ') && isalpha('q') && ispunct('#') && !isdigit('x'));
}

static void test_guard_is_false_outside_ctype(void) {
  static const int outside[] = {
      INT_MIN, -129,    -128,     -2,       256,    0x660 /* ARABIC-INDIC ZERO */,
      0x80000, 0xF7410, 0x10FFFF, 0x110000, INT_MAX};
  for (size_t i = 0; i < sizeof outside / sizeof *outside; i++) {
    int c = outside[i];
    int any = isalnum(c) | isalpha(c) | isblank(c) | iscntrl(c) | isdigit(c) | isgraph(c) |
              islower(c) | isprint(c) | ispunct(c) | isspace(c) | isupper(c) | isxdigit(c);
    CHECK_INT(any, 0);
    CHECK_INT(tolower(c), c);
    CHECK_INT(toupper(c), c);
  }
}

int main(void) {
  RUN(test_guard_matches_ctype_where_defined);
  RUN(test_guard_is_false_outside_ctype);
  RUN(test_digit_then_last_code_point);
  RUN(test_block_scanner_on_any_code_point);
  RUN(test_inline_scanner_on_any_code_point);
  return harness_finish("test_grammar");
}
