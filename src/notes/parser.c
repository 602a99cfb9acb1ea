#include "notes/parser.h"

#include <stdbool.h>
#include <stdlib.h>
#include <string.h>

#include "base/utf8.h"
#include "notes/entry.h"
#include "notes/frontmatter.h"
#include "notes/grammar.h"
#include "notes/parser_private.h"
#include "notes/treesitter.h"

// Inline node types in which nothing is recognised.
static const char *const parser_excluded_types[] = {
    "code_span",      "link_destination", "link_title",  "uri_autolink",
    "email_autolink", "html_tag",         "latex_block",
};

static uint32_t parser_capture_index(const TSQuery *query, const char *name) {
  uint32_t count = ts_query_capture_count(query);
  for (uint32_t i = 0; i < count; i++) {
    uint32_t len = 0;
    const char *capture = ts_query_capture_name_for_id(query, i, &len);
    if (strlen(name) == len && memcmp(capture, name, len) == 0)
      return i;
  }
  return UINT32_MAX;
}

KithParser *kith_parser_new(char **error) {
  KithParser *parser = calloc(1, sizeof *parser);
  if (!parser)
    goto fail;
  parser->block = ts_parser_new();
  parser->inline_ = ts_parser_new();
  parser->cursor = ts_query_cursor_new();
  if (!parser->block || !parser->inline_ || !parser->cursor)
    goto fail;
  if (!ts_parser_set_language(parser->block, kith_grammar_block()) ||
      !ts_parser_set_language(parser->inline_, kith_grammar_inline())) {
    if (error)
      *error = strdup("the tree-sitter-markdown grammar's ABI does not match libtree-sitter");
    goto fail_quiet;
  }
  parser->query = kith_grammar_query_new(error);
  if (!parser->query)
    goto fail_quiet;
  parser->capture_heading = parser_capture_index(parser->query, "kith.heading");
  parser->capture_item = parser_capture_index(parser->query, "kith.item");
  const TSLanguage *lang = kith_grammar_block();
  parser->sym_paragraph = ts_language_symbol_for_name(lang, "paragraph", 9, true);
  parser->sym_inline = ts_language_symbol_for_name(lang, "inline", 6, true);
  parser->sym_setext_h1 = ts_language_symbol_for_name(lang, "setext_h1_underline", 19, true);
  parser->sym_setext_h2 = ts_language_symbol_for_name(lang, "setext_h2_underline", 19, true);
  parser->sym_task_unchecked =
      ts_language_symbol_for_name(lang, "task_list_marker_unchecked", 26, true);
  parser->sym_task_checked =
      ts_language_symbol_for_name(lang, "task_list_marker_checked", 24, true);
  for (int level = 1; level <= 6; level++) {
    char name[] = "atx_hN_marker";
    name[5] = (char)('0' + level);
    parser->sym_atx[level] = ts_language_symbol_for_name(lang, name, 13, true);
  }
  parser->sym_section = ts_language_symbol_for_name(lang, "section", 7, true);
  parser->sym_list = ts_language_symbol_for_name(lang, "list", 4, true);
  parser->sym_list_item = ts_language_symbol_for_name(lang, "list_item", 9, true);
  parser->sym_atx_heading = ts_language_symbol_for_name(lang, "atx_heading", 11, true);
  parser->sym_minus_metadata = ts_language_symbol_for_name(lang, "minus_metadata", 14, true);
  parser->sym_plus_metadata = ts_language_symbol_for_name(lang, "plus_metadata", 13, true);
  static const char *const blocks[] = {
      "paragraph",  "setext_heading", "fenced_code_block", "html_block",
      "pipe_table", "block_quote",    "thematic_break",    "link_reference_definition",
  };
  for (size_t i = 0; i < sizeof blocks / sizeof *blocks; i++)
    parser->sym_blocks[i] =
        ts_language_symbol_for_name(lang, blocks[i], (uint32_t)strlen(blocks[i]), true);
  parser->whole_max = KITH_PARSER_WHOLE_MAX;
  parser->piece = KITH_PARSER_PIECE;
  return parser;

fail:
  if (error)
    *error = strdup("out of memory");
fail_quiet:
  kith_parser_free(parser);
  return NULL;
}

void kith_parser_free(KithParser *parser) {
  if (!parser)
    return;
  if (parser->block)
    ts_parser_delete(parser->block);
  if (parser->inline_)
    ts_parser_delete(parser->inline_);
  if (parser->cursor)
    ts_query_cursor_delete(parser->cursor);
  if (parser->query)
    ts_query_delete(parser->query);
  free(parser->excluded);
  kith_buf_free(&parser->masked);
  free(parser->handles);
  free(parser);
}

// --- positions ---------------------------------------------------------------------------

// The 1-based line and byte column of `offset`, counted from a node starting at `from`. Goes on
// from the last answer when it was for the same node and an earlier offset, so positions along
// one long paragraph cost its length once.
void parser_position(ParserRun *run, TSNode from, uint32_t offset, uint32_t *line,
                     uint32_t *column) {
  uint32_t start = ts_node_start_byte(from);
  uint32_t i, row, col;
  if (run->pos_valid && run->pos_from == start && run->pos_at <= offset) {
    i = run->pos_at;
    row = run->pos_row;
    col = run->pos_col;
  } else {
    TSPoint point = ts_node_start_point(from);
    i = start;
    row = point.row;
    col = point.column;
  }
  for (; i < offset && i < run->len; i++) {
    if (run->text[i] == '\n') {
      row++;
      col = 0;
    } else {
      col++;
    }
  }
  run->pos_valid = true;
  run->pos_from = start;
  run->pos_at = i;
  run->pos_row = row;
  run->pos_col = col;
  *line = run->row + row + 1;
  *column = col + 1;
}

// The 1-based last line a node covers (a node ending at column 0 ends on the line before).
static uint32_t parser_last_line(const ParserRun *run, TSNode node) {
  TSPoint end = ts_node_end_point(node);
  TSPoint start = ts_node_start_point(node);
  if (end.column == 0 && end.row > start.row)
    return run->row + end.row;
  return run->row + end.row + 1;
}

// --- exclusions (the inline grammar, run only where it can matter) -----------------------

bool parser_is_excluded(const KithParser *parser, uint32_t offset) {
  // The last span starting at or before `offset` (the spans are sorted and disjoint).
  size_t lo = 0, hi = parser->excluded_count;
  while (lo < hi) {
    size_t mid = lo + (hi - lo) / 2;
    if (parser->excluded[mid].start <= offset)
      lo = mid + 1;
    else
      hi = mid;
  }
  return lo > 0 && offset < parser->excluded[lo - 1].end;
}

static int parser_exclude(KithParser *parser, uint32_t start, uint32_t end) {
  if (parser->excluded_count == parser->excluded_cap) {
    size_t cap = parser->excluded_cap ? parser->excluded_cap * 2 : 16;
    ParserSpan *grown = realloc(parser->excluded, cap * sizeof *grown);
    if (!grown)
      return -1;
    parser->excluded = grown;
    parser->excluded_cap = cap;
  }
  parser->excluded[parser->excluded_count++] = (ParserSpan){start, end};
  return 0;
}

static bool parser_type_excluded(const char *type) {
  for (size_t i = 0; i < sizeof parser_excluded_types / sizeof *parser_excluded_types; i++) {
    if (strcmp(type, parser_excluded_types[i]) == 0)
      return true;
  }
  return false;
}

// Finds the spans of `node` (a paragraph or heading content) where nothing is recognised.
// Every such span opens with '`', '<', '[' or '$', so the inline grammar runs only when one of
// those comes at or before `last`, the last offset that matters to the caller.
int parser_find_exclusions(ParserRun *run, TSNode node, uint32_t last) {
  KithParser *parser = run->parser;
  parser->excluded_count = 0;
  uint32_t start = ts_node_start_byte(node), end = ts_node_end_byte(node);
  uint32_t stop = last < end ? last + 1 : end;
  bool needed = false;
  for (uint32_t i = start; i < stop && !needed; i++) {
    char c = run->text[i];
    needed = c == '`' || c == '<' || c == '[' || c == '$';
  }
  if (!needed)
    return 0;
  TSRange range = {ts_node_start_point(node), ts_node_end_point(node), start, end};
  if (!ts_parser_set_included_ranges(parser->inline_, &range, 1))
    return -1;
  TSTree *tree =
      kith_ts_parse(parser->inline_, NULL, run->text, (uint32_t)run->len, parser->cancel);
  if (!tree)
    return -1; // stopped (kith_parser_set_cancel)
  int rc = 0;
  TSTreeCursor cursor = ts_tree_cursor_new(ts_tree_root_node(tree));
  for (;;) {
    TSNode current = ts_tree_cursor_current_node(&cursor);
    bool descend = true;
    if (parser_type_excluded(ts_node_type(current))) {
      if (parser_exclude(parser, ts_node_start_byte(current), ts_node_end_byte(current)) != 0) {
        rc = -1;
        break;
      }
      descend = false;
    }
    if (descend && ts_tree_cursor_goto_first_child(&cursor))
      continue;
    while (!ts_tree_cursor_goto_next_sibling(&cursor)) {
      if (!ts_tree_cursor_goto_parent(&cursor))
        goto done;
    }
  }
done:
  ts_tree_cursor_delete(&cursor);
  ts_tree_delete(tree);
  return rc;
}

// The first handle in [start, end) outside the excluded spans: its offset (of the `@`) and
// length, or length 0.
size_t parser_first_handle(const ParserRun *run, uint32_t start, uint32_t end, uint32_t *at) {
  const char *text = run->text;
  for (uint32_t i = start; i < end; i++) {
    const char *hit = memchr(text + i, '@', end - i);
    if (!hit)
      return 0;
    i = (uint32_t)(hit - text);
    if (parser_is_excluded(run->parser, i))
      continue;
    size_t n = kith_entry_handle_at(text, end, i);
    if (n > 0) {
      *at = i;
      return n;
    }
  }
  return 0;
}

uint32_t parser_intern_handle(ParserRun *run, uint32_t at, size_t n) {
  char lower[256];
  if (n > sizeof lower)
    n = sizeof lower;
  kith_entry_handle_lower(lower, run->text + at + 1, n);
  return kith_note_intern(run->note, lower, n);
}

// --- the whole note ----------------------------------------------------------------------

// Warns at the first byte of the text that is not UTF-8 (once per note: one bad byte usually
// means a file in another encoding, and JSON output shows such bytes as U+FFFD).
static int parser_check_utf8(const ParserRun *run) {
  size_t bad = kith_utf8_invalid_at(run->text, run->len);
  if (bad == run->len)
    return 0;
  uint32_t line = 1;
  size_t line_start = 0;
  for (const char *nl; (nl = memchr(run->text + line_start, '\n', bad - line_start)) != NULL;) {
    line++;
    line_start = (size_t)(nl - run->text) + 1;
  }
  return kith_note_add_diagnostic(run->note, line, (uint32_t)(bad - line_start + 1),
                                  KITH_SEVERITY_WARNING, "invalid UTF-8");
}

// Runs the query over `root` (a piece's tree) and reads the headings and items that start
// before `limit`.
static int parser_captures(ParserRun *run, TSNode root, uint32_t limit) {
  KithParser *parser = run->parser;
  ts_query_cursor_set_byte_range(parser->cursor, 0, limit);
  ts_query_cursor_exec(parser->cursor, parser->query, root);
  TSQueryMatch match;
  uint32_t index;
  int rc = 0;
  while (rc == 0 && ts_query_cursor_next_capture(parser->cursor, &match, &index)) {
    const TSQueryCapture *capture = &match.captures[index];
    if (ts_node_start_byte(capture->node) >= limit)
      continue;
    run->pos_valid = false;
    // Nothing in front matter counts: the grammar sees it as such unless it is closed by `...`
    // or at the end of the text.
    if (run->fm_end > 0 && ts_node_start_byte(capture->node) < run->fm_end)
      continue;
    if (capture->index == parser->capture_heading)
      rc = parser_read_heading(run, capture->node);
    else if (capture->index == parser->capture_item)
      rc = parser_read_item(run, capture->node);
  }
  return rc;
}

// The end of the line holding byte `at` (past its '\n'), or `len`.
static size_t parser_line_end(const char *text, size_t len, size_t at) {
  if (at >= len)
    return len;
  const char *nl = memchr(text + at, '\n', len - at);
  return nl ? (size_t)(nl - text) + 1 : len;
}

static TSTree *parser_parse_block(KithParser *parser, const TSTree *old_tree, const char *text,
                                  size_t len) {
  return kith_ts_parse(parser->block, old_tree, text, (uint32_t)len, parser->cancel);
}

// Parses `text` into `note`: at once (with `old_tree`, giving `*tree_out`) when it is at most
// whole_max bytes, else in pieces of about `piece` bytes cut where parser_find_split() allows,
// so that no tree ever covers more than a piece (and there is no tree to give).
static int parser_parse(KithParser *parser, const KithParseContext *context, const char *text,
                        size_t len, const TSTree *old_tree, TSTree **tree_out, KithNote *note) {
  ParserRun whole_run = {
      .parser = parser, .text = text, .len = len, .note = note, .today = KITH_DAY_NEVER};
  if (context) {
    whole_run.path = context->path;
    whole_run.today = context->today;
    whole_run.file_dated =
        context->path && kith_entry_path_date(context->path, &whole_run.file_day);
    whole_run.settings = context->settings;
  }
  if (!whole_run.settings)
    whole_run.settings = kith_settings_defaults();
  parser->open_count = 0;
  parser->pieces = 0;
  size_t at = 0, want = parser->piece ? parser->piece : 1;
  uint32_t row = 0;
  bool whole = len <= parser->whole_max;
  int rc = 0;
  KithFrontMatter fm = {0};
  rc = parser_properties(&whole_run, &fm);
  size_t fm_end = fm.end;
  kith_frontmatter_free(&fm);
  if (rc != 0)
    return -1;
  // A parse that keeps no tree gives the grammar the masked text (mask.c); a tree is edited
  // and parsed again later, so it must be of the text itself.
  const char *block_text = text;
  if (!old_tree && !tree_out && !parser->plain && len > 0) {
    parser->masked.len = 0;
    if (kith_buf_reserve(&parser->masked, len) != 0)
      return -1;
    parser_mask(text, len, parser->masked.data);
    block_text = parser->masked.data;
  }
  for (;;) {
    size_t end = whole || len - at <= want ? len : parser_line_end(text, len, at + want);
    TSTree *tree = parser_parse_block(parser, whole ? old_tree : NULL, block_text + at, end - at);
    if (!tree) {
      kith_note_add_diagnostic(note, 1, 1, KITH_SEVERITY_ERROR, "cannot parse");
      return -1;
    }
    ParserRun run = whole_run;
    run.text = text + at;
    run.len = end - at;
    run.row = row;
    run.fm_end = at < fm_end ? (uint32_t)(fm_end - at) : 0;
    TSNode root = ts_tree_root_node(tree);
    uint32_t split_row = 0;
    bool last = end == len;
    uint32_t split =
        last ? (uint32_t)(end - at) : parser_find_split(&run, root, at == 0, &split_row);
    if (!last && split == 0) {
      ts_tree_delete(tree); // no place to cut yet: take more text
      want *= 2;
      continue;
    }
    parser->pieces++;
    rc = parser_captures(&run, root, split);
    if (last || rc != 0) {
      parser_close_sections(&run, 0, parser_last_line(&run, root));
      if (whole && tree_out)
        *tree_out = tree;
      else
        ts_tree_delete(tree);
      break;
    }
    ts_tree_delete(tree);
    at += split;
    row += split_row;
    want = parser->piece ? parser->piece : 1;
  }
  if (rc == 0)
    rc = parser_check_utf8(&whole_run);
  kith_note_sort_diagnostics(note);
  kith_note_shrink(note);
  return rc;
}

// Whether a line of `text` is longer than KITH_PARSER_LINE_MAX.
static bool parser_has_long_line(const char *text, size_t len) {
  for (size_t at = 0; at < len;) {
    size_t end = parser_line_end(text, len, at);
    if (end - at > KITH_PARSER_LINE_MAX)
      return true;
    at = end;
  }
  return false;
}

// Blanks every line's bytes past its first KITH_PARSER_LINE_MAX (cut back to a UTF-8 character
// boundary, up to its line ending) with spaces, and warns about each such line. What is
// blanked counts for nothing; what is left keeps its offsets, lines and columns. Spaces are one
// token to tree-sitter, so the trees stay the size of the text that is read.
static int parser_blank_long_lines(char *text, size_t len, KithNote *note) {
  uint32_t line = 1;
  for (size_t at = 0; at < len; line++) {
    size_t end = parser_line_end(text, len, at);
    size_t stop = end;
    if (stop > at && text[stop - 1] == '\n')
      stop--;
    if (stop > at && text[stop - 1] == '\r')
      stop--;
    if (stop - at > KITH_PARSER_LINE_MAX) {
      size_t cut = at + KITH_PARSER_LINE_MAX;
      while (cut > at && ((unsigned char)text[cut] & 0xC0) == 0x80)
        cut--;
      memset(text + cut, ' ', stop - cut);
      if (kith_note_add_diagnostic(note, line, (uint32_t)(cut - at + 1), KITH_SEVERITY_WARNING,
                                   "line longer than %u bytes: the rest of it is not read",
                                   KITH_PARSER_LINE_MAX) != 0)
        return -1;
    }
    at = end;
  }
  return 0;
}

int kith_parser_parse_mutable(KithParser *parser, const KithParseContext *context, char *text,
                              size_t len, const TSTree *old_tree, TSTree **tree_out,
                              KithNote *note) {
  if (tree_out)
    *tree_out = NULL;
  if (len > UINT32_MAX - 1) {
    kith_note_cannot_read(note, "file too large");
    return -1;
  }
  if (!parser_has_long_line(text, len))
    return parser_parse(parser, context, text, len, old_tree, tree_out, note);
  // Blanked text differs from the old tree's beyond the edits: no incremental parse, no tree.
  if (parser_blank_long_lines(text, len, note) != 0)
    return -1;
  return parser_parse(parser, context, text, len, NULL, NULL, note);
}

int kith_parser_parse(KithParser *parser, const KithParseContext *context, const char *text,
                      size_t len, const TSTree *old_tree, TSTree **tree_out, KithNote *note) {
  if (tree_out)
    *tree_out = NULL;
  if (len > UINT32_MAX - 1) {
    kith_note_cannot_read(note, "file too large");
    return -1;
  }
  if (!parser_has_long_line(text, len))
    return parser_parse(parser, context, text, len, old_tree, tree_out, note);
  char *copy = malloc(len + 1);
  if (!copy) {
    kith_note_cannot_read(note, "out of memory");
    return -1;
  }
  memcpy(copy, text, len);
  copy[len] = '\0';
  int rc = parser_blank_long_lines(copy, len, note);
  if (rc == 0)
    rc = parser_parse(parser, context, copy, len, NULL, NULL, note);
  free(copy);
  return rc;
}

int kith_parser_parse_file_text(KithParser *parser, const KithParseContext *context,
                                const char *text, size_t len, KithNote *note) {
  if (memchr(text, '\0', len))
    return kith_note_add_diagnostic(note, 1, 1, KITH_SEVERITY_WARNING, "binary file skipped");
  if (len == 0 || text[len - 1] == '\n')
    return kith_parser_parse(parser, context, text, len, NULL, NULL, note);
  // A last line without its newline: read it as Neovim's buffer (and so the editor) has it,
  // with one. (The grammar reads a lone `-` or `#` at the very end of the text otherwise.)
  char *copy = malloc(len + 1);
  if (!copy)
    return kith_note_add_diagnostic(note, 1, 1, KITH_SEVERITY_ERROR, "cannot read: out of memory");
  memcpy(copy, text, len);
  copy[len] = '\n';
  int rc = kith_parser_parse(parser, context, copy, len + 1, NULL, NULL, note);
  free(copy);
  return rc;
}

void kith_parser_set_pieces(KithParser *parser, size_t whole_max, size_t piece) {
  parser->whole_max = whole_max;
  parser->piece = piece;
}

uint32_t kith_parser_pieces(const KithParser *parser) {
  return parser->pieces;
}

void kith_parser_set_cancel(KithParser *parser, const size_t *flag) {
  parser->cancel = flag;
}

void kith_parser_set_plain(KithParser *parser, bool plain) {
  parser->plain = plain;
}
