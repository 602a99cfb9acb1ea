#include "notes/parser.h"

#include <stdbool.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "base/utf8.h"
#include "notes/entry.h"
#include "notes/frontmatter.h"
#include "notes/grammar.h"

// A byte range of the text in which nothing is recognised (code span, link destination, ...).
typedef struct {
  uint32_t start, end;
} ParserSpan;

// An open heading while walking the document: its level, for a contact heading its index in
// the note's headings (else -1), and the date its text begins with (a context date, SPEC §1).
typedef struct {
  uint32_t level;
  int32_t contact;
  bool dated;
  KithDay day;
} ParserOpen;

// A counterparty found in an item's text: a handle (the offset of its `@` and the handle's
// length) or a wiki link (its `[[`, and the link).
typedef struct {
  uint32_t at, len;
  bool link;
  KithWikiLink wiki;
} ParserHandle;

struct KithParser {
  TSParser *block;
  TSParser *inline_;
  TSQuery *query;
  TSQueryCursor *cursor;
  uint32_t capture_heading, capture_item;
  TSSymbol sym_paragraph, sym_inline, sym_setext_h1, sym_setext_h2, sym_atx[7];
  TSSymbol sym_task_unchecked;
  TSSymbol sym_section, sym_list, sym_list_item, sym_atx_heading;
  TSSymbol sym_blocks[8]; // the other blocks a piece may start with (after an empty line)
  TSSymbol sym_minus_metadata, sym_plus_metadata;
  ParserSpan *excluded; // in document order, not overlapping
  size_t excluded_count, excluded_cap;
  ParserOpen open[8];
  uint32_t open_count;
  ParserHandle *handles; // the leading run's handles and links of the current item (reused)
  size_t handle_count, handle_cap;
  size_t whole_max, piece; // see kith_parser_set_pieces()
  uint32_t pieces;         // of the last parse
  size_t plain_count;      // how many of them are handles
  uint32_t run_end;        // where the leading run ends
};

// What one parse is working on: the whole note, or one piece of it.
typedef struct {
  KithParser *parser;
  const char *text; // the piece
  size_t len;
  const char *path; // relative to the vault (NULL: unknown)
  KithNote *note;
  KithDay today;   // counted items dated after it are not counted
  bool file_dated; // the file name begins with a date: the context date outside date headings
  KithDay file_day;
  uint32_t row;    // lines of the note before the piece
  uint32_t fm_end; // where the note's front matter ends in the piece (0: none in it)
  // parser_position()'s last answer, to go on from there
  uint32_t pos_from, pos_at, pos_row, pos_col;
  bool pos_valid;
} ParserRun;

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
  free(parser->handles);
  free(parser);
}

// --- positions ---------------------------------------------------------------------------

// The 1-based line and byte column of `offset`, counted from a node starting at `from`. Goes on
// from the last answer when it was for the same node and an earlier offset, so positions along
// one long paragraph cost its length once.
static void parser_position(ParserRun *run, TSNode from, uint32_t offset, uint32_t *line,
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

static bool parser_is_excluded(const KithParser *parser, uint32_t offset) {
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
static int parser_find_exclusions(ParserRun *run, TSNode node, uint32_t last) {
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
  TSTree *tree = ts_parser_parse_string(parser->inline_, NULL, run->text, (uint32_t)run->len);
  if (!tree) {
    ts_parser_reset(parser->inline_); // stopped (kith_parser_set_cancel): do not resume it
    return -1;
  }
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
static size_t parser_first_handle(const ParserRun *run, uint32_t start, uint32_t end,
                                  uint32_t *at) {
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

static uint32_t parser_intern_handle(ParserRun *run, uint32_t at, size_t n) {
  char lower[256];
  if (n > sizeof lower)
    n = sizeof lower;
  kith_entry_handle_lower(lower, run->text + at + 1, n);
  return kith_note_intern(run->note, lower, n);
}

// --- headings ----------------------------------------------------------------------------

// Closes every open heading of level >= `level` at `last_line`.
static void parser_close_sections(ParserRun *run, uint32_t level, uint32_t last_line) {
  KithParser *parser = run->parser;
  while (parser->open_count > 0 && parser->open[parser->open_count - 1].level >= level) {
    int32_t contact = parser->open[--parser->open_count].contact;
    if (contact >= 0)
      run->note->headings[contact].end_line = last_line;
  }
}

// The display name: the heading text without the handle token and without cadence tags
// (valid or not), whitespace collapsed.
static uint32_t parser_intern_name(ParserRun *run, uint32_t start, uint32_t end, uint32_t at,
                                   size_t n) {
  KithBuf name = KITH_BUF_INIT;
  bool space = false;
  for (uint32_t i = start; i < end; i++) {
    KithCadence cadence;
    if (i == at) {
      i += (uint32_t)n; // skip `@` + handle
      space = name.len > 0;
      continue;
    }
    char c = run->text[i];
    // A cadence tag goes with the rest of its word (`#every:3w.`), and with the parentheses
    // around it (`(#every:3w)`).
    uint32_t tag = c == '(' ? i + 1 : i;
    if (tag < end && run->text[tag] == '#' && !parser_is_excluded(run->parser, tag) &&
        kith_entry_cadence_at(run->text, end, tag, &cadence)) {
      uint32_t word = (uint32_t)cadence.end;
      while (word < end && !memchr(" \t\r\n", run->text[word], 4))
        word++;
      if (c != '(' || run->text[word - 1] == ')') {
        i = word - 1;
        space = name.len > 0;
        continue;
      }
    }
    if (c == ' ' || c == '\t' || c == '\n' || c == '\r') {
      space = name.len > 0;
      continue;
    }
    if (space && kith_buf_putc(&name, ' ') != 0)
      goto fail;
    space = false;
    if (kith_buf_putc(&name, c) != 0)
      goto fail;
  }
  uint32_t offset;
  if (name.len == 0) {
    offset = parser_intern_handle(run, at, n);
  } else {
    offset = kith_note_intern(run->note, name.data, name.len);
  }
  kith_buf_free(&name);
  return offset;
fail:
  kith_buf_free(&name);
  return UINT32_MAX;
}

// The offset of the last `#` in [start, end) that may open a cadence tag, or 0 when none.
static uint32_t parser_last_cadence(const ParserRun *run, uint32_t start, uint32_t end) {
  uint32_t last = 0;
  KithCadence cadence;
  for (uint32_t i = start; i < end; i++) {
    const char *hit = memchr(run->text + i, '#', end - i);
    if (!hit)
      break;
    i = (uint32_t)(hit - run->text);
    if (kith_entry_cadence_at(run->text, end, i, &cadence))
      last = i;
  }
  return last;
}

// Reads the cadence tags of contact heading `h` (content [start, end) in node `content`): the
// first valid one gives its cadence, each bad one is an error at its `#`. Returns 0 or -1.
static int parser_cadence(ParserRun *run, TSNode content, uint32_t start, uint32_t end,
                          KithHeading *h) {
  KithCadence cadence;
  for (uint32_t i = start; i < end; i++) {
    const char *hit = memchr(run->text + i, '#', end - i);
    if (!hit)
      break;
    i = (uint32_t)(hit - run->text);
    if (parser_is_excluded(run->parser, i) || !kith_entry_cadence_at(run->text, end, i, &cadence))
      continue;
    if (cadence.days > 0) {
      if (h->cadence_days == 0)
        h->cadence_days = cadence.days;
    } else {
      uint32_t line, column;
      parser_position(run, content, i, &line, &column);
      if (kith_note_add_diagnostic(run->note, line, column, KITH_SEVERITY_ERROR,
                                   "invalid cadence '%.*s' (expected N followed by d, w, m or y)",
                                   (int)cadence.value_len, run->text + cadence.value_start) != 0)
        return -1;
    }
    i = (uint32_t)cadence.end - 1;
  }
  return 0;
}

// The end of an ATX heading's text without its optional closing sequence (`## Title ##`).
static uint32_t parser_strip_closing(const char *text, uint32_t start, uint32_t end) {
  uint32_t e = end;
  while (e > start &&
         (text[e - 1] == ' ' || text[e - 1] == '\t' || text[e - 1] == '\r' || text[e - 1] == '\n'))
    e--;
  uint32_t hashes = e;
  while (hashes > start && text[hashes - 1] == '#')
    hashes--;
  if (hashes == e || (hashes > start && text[hashes - 1] != ' ' && text[hashes - 1] != '\t'))
    return end;
  return hashes;
}

static int parser_heading(ParserRun *run, TSNode heading) {
  KithParser *parser = run->parser;
  uint32_t level = 0;
  TSNode content = {0};
  bool has_content = false;
  uint32_t children = ts_node_child_count(heading);
  for (uint32_t i = 0; i < children; i++) {
    TSNode child = ts_node_child(heading, i);
    TSSymbol sym = ts_node_symbol(child);
    if (sym == parser->sym_inline || sym == parser->sym_paragraph) {
      content = child;
      has_content = true;
    } else if (sym == parser->sym_setext_h1) {
      level = 1;
    } else if (sym == parser->sym_setext_h2) {
      level = 2;
    } else {
      for (uint32_t l = 1; l <= 6; l++) {
        if (sym == parser->sym_atx[l])
          level = l;
      }
    }
  }
  if (level == 0)
    return 0;
  uint32_t line = run->row + ts_node_start_point(heading).row + 1;
  // A heading that begins after a lone CR (which ends a Markdown line but not a line of the
  // buffer: Neovim shows it as ^M) shares its line with the section before it.
  uint32_t before = line > 1 ? line - 1 : 1;
  for (uint32_t i = ts_node_start_byte(heading); i > 0 && run->text[i - 1] != '\n'; i--) {
    if (run->text[i - 1] == '\r') {
      before = line;
      break;
    }
  }
  parser_close_sections(run, level, before);
  ParserOpen open = {level, -1, false, 0};
  if (has_content) {
    uint32_t start = ts_node_start_byte(content), end = ts_node_end_byte(content);
    if (ts_node_symbol(content) == parser->sym_inline)
      end = parser_strip_closing(run->text, start, end);
    // A heading whose text begins with a real date gives the items in its section that date.
    uint32_t p = start;
    while (p < end && (run->text[p] == ' ' || run->text[p] == '\t'))
      p++;
    size_t date_len = kith_entry_date_prefix(run->text + p, end - p);
    open.dated = date_len > 0 && kith_date_parse(run->text + p, date_len, &open.day) == 0;
    if (memchr(run->text + start, '@', end - start)) {
      uint32_t at = 0;
      parser->excluded_count = 0;
      size_t n = parser_first_handle(run, start, end, &at);
      if (n > 0) {
        uint32_t last = parser_last_cadence(run, start, end);
        if (parser_find_exclusions(run, content, last > at ? last : at) != 0)
          return -1;
      }
      if (n > 0 && parser->excluded_count > 0)
        n = parser_first_handle(run, start, end, &at);
      if (n > 0) {
        KithHeading h = {0};
        h.handle = parser_intern_handle(run, at, n);
        h.name = parser_intern_name(run, start, end, at, n);
        h.line = line;
        h.end_line = line;
        h.level = level;
        if (h.handle == UINT32_MAX || h.name == UINT32_MAX ||
            parser_cadence(run, content, start, end, &h) != 0 ||
            kith_note_add_heading(run->note, &h) != 0)
          return -1;
        open.contact = (int32_t)run->note->heading_count - 1;
      }
    }
  }
  if (parser->open_count < sizeof parser->open / sizeof *parser->open)
    parser->open[parser->open_count++] = open;
  return 0;
}

// --- list items --------------------------------------------------------------------------

// The next tag at or after `*at` before `end` (outside the excluded spans when `excluding`);
// moves `*at` past it. False when there is none.
static bool parser_next_tag(const ParserRun *run, uint32_t *at, uint32_t end, bool excluding,
                            KithTag *tag) {
  const char *text = run->text;
  for (uint32_t i = *at; i < end; i++) {
    const char *hit = memchr(text + i, '#', end - i);
    if (!hit)
      return false;
    i = (uint32_t)(hit - text);
    if (excluding && parser_is_excluded(run->parser, i))
      continue;
    if (kith_entry_tag_at(text, end, i, tag)) {
      *at = (uint32_t)tag->end;
      return true;
    }
  }
  return false;
}

static int32_t parser_innermost_contact(const KithParser *parser) {
  for (uint32_t i = parser->open_count; i > 0; i--) {
    if (parser->open[i - 1].contact >= 0)
      return parser->open[i - 1].contact;
  }
  return -1;
}

// The context date of an item (SPEC §1 v2): the innermost open heading whose text begins with a
// real date, else the date the file name begins with. False when there is none.
// Narrows the range of `today` for which the note's parse holds (KithNote.today_min/max): a
// counted item dated `day` is `future` (not counted) exactly when today < day.
static void parser_bound_today(KithNote *note, KithDay day, bool future) {
  if (!note->today_bounded) {
    note->today_bounded = true;
    note->today_min = INT32_MIN;
    note->today_max = INT32_MAX;
  }
  if (future && day - 1 < note->today_max)
    note->today_max = day - 1;
  else if (!future && day > note->today_min)
    note->today_min = day;
}

static bool parser_context_date(const ParserRun *run, KithDay *day) {
  const KithParser *parser = run->parser;
  for (uint32_t i = parser->open_count; i > 0; i--) {
    if (parser->open[i - 1].dated) {
      *day = parser->open[i - 1].day;
      return true;
    }
  }
  *day = run->file_day;
  return run->file_dated;
}

// Appends a counterparty (a handle, or the wiki link `wiki` when not NULL) to
// parser->handles. Returns 0 or -1.
static int parser_push_handle(KithParser *parser, size_t at, size_t n, const KithWikiLink *wiki) {
  if (parser->handle_count == parser->handle_cap) {
    size_t cap = parser->handle_cap ? parser->handle_cap * 2 : 8;
    ParserHandle *grown = realloc(parser->handles, cap * sizeof *grown);
    if (!grown)
      return -1;
    parser->handles = grown;
    parser->handle_cap = cap;
  }
  ParserHandle *h = &parser->handles[parser->handle_count++];
  *h = (ParserHandle){(uint32_t)at, (uint32_t)n, wiki != NULL, {0}};
  if (wiki)
    h->wiki = *wiki;
  return 0;
}

// Collects the distinct handles and the wiki links of the leading run that starts at `from`
// (SPEC §1 v2) into parser->handles, in order, and where the run ends. Returns 0 or -1.
static int parser_leading_run(ParserRun *run, uint32_t from, uint32_t end) {
  KithParser *parser = run->parser;
  parser->handle_count = parser->plain_count = 0;
  size_t at = from;
  KithRunToken token;
  while (kith_entry_run_token(run->text, end, &at, &token)) {
    if (token.kind == KITH_RUN_LINK) {
      if (parser_push_handle(parser, token.start, token.link.end - token.start, &token.link) != 0)
        return -1;
      continue;
    }
    if (token.kind != KITH_RUN_HANDLE)
      continue;
    size_t n = token.len;
    bool seen = false;
    for (size_t k = 0; k < parser->handle_count && !seen; k++) {
      const ParserHandle *h = &parser->handles[k];
      seen = !h->link && h->len == n &&
             strncasecmp(run->text + h->at + 1, run->text + token.start + 1, n) == 0;
    }
    if (!seen) {
      if (parser_push_handle(parser, token.start, n, NULL) != 0)
        return -1;
      parser->plain_count++;
    }
  }
  parser->run_end = (uint32_t)at;
  return 0;
}

// The offset of the first `[[` in [from, to), or `to`.
static uint32_t parser_find_brackets(const ParserRun *run, uint32_t from, uint32_t to) {
  for (uint32_t i = from; i + 1 < to; i++) {
    const char *hit = memchr(run->text + i, '[', to - i - 1);
    if (!hit)
      break;
    i = (uint32_t)(hit - run->text);
    if (run->text[i + 1] == '[')
      return i;
  }
  return to;
}

// Appends the candidates of the first-handle rule to parser->handles: the wiki links in
// [from, end) outside the excluded spans up to the first handle, then that handle. Returns how
// many links it found, or -1 when out of memory.
static long parser_fallback(ParserRun *run, uint32_t from, uint32_t end) {
  KithParser *parser = run->parser;
  const char *text = run->text;
  long links = 0;
  for (uint32_t i = from; i < end; i++) {
    char c = text[i];
    if (c != '[' && c != '@')
      continue;
    if (parser_is_excluded(parser, i))
      continue;
    KithWikiLink wiki;
    if (c == '[' && kith_entry_wikilink_at(text, end, i, &wiki)) {
      if (parser_push_handle(parser, i, wiki.end - i, &wiki) != 0)
        return -1;
      links++;
      i = (uint32_t)wiki.end - 1;
    } else if (c == '@') {
      size_t n = kith_entry_handle_at(text, end, i);
      if (n > 0)
        return parser_push_handle(parser, i, n, NULL) != 0 ? -1 : links;
    }
  }
  return links;
}

// Interns the ref of counterparty `h` (found in node `from`) and appends it to the note.
// Returns 0 or -1.
static int parser_add_ref(ParserRun *run, TSNode from, const ParserHandle *h) {
  KithRef ref = {0};
  parser_position(run, from, h->at, &ref.line, &ref.column);
  if (!h->link) {
    ref.key = parser_intern_handle(run, h->at, h->len);
    ref.link = UINT32_MAX;
  } else {
    char key[512];
    size_t n = h->wiki.len < sizeof key ? h->wiki.len : sizeof key;
    n = kith_entry_name_key(key, run->text + h->wiki.name, n);
    ref.key = kith_note_intern(run->note, key, n);
    size_t shown = h->len < 256 ? h->len : 256;
    ref.link = kith_note_intern(run->note, run->text + h->at, shown);
    if (ref.link == UINT32_MAX)
      return -1;
  }
  if (ref.key == UINT32_MAX)
    return -1;
  return kith_note_add_ref(run->note, &ref);
}

// Keeps item `it` with its counterparties unresolved (SPEC §1 v2): parser->handles holds the
// leading run's `run_count` handles and links, then `fallback` candidates of the first-handle
// rule. Returns 0 or -1.
static int parser_add_linked(ParserRun *run, TSNode paragraph, const KithInteraction *it,
                             bool planned, size_t run_count, size_t fallback) {
  KithParser *parser = run->parser;
  KithLinked linked = {*it, planned, run->note->ref_count, (uint32_t)run_count, (uint32_t)fallback};
  linked.item.handle = UINT32_MAX;
  for (size_t k = 0; k < run_count + fallback; k++) {
    if (parser_add_ref(run, paragraph, &parser->handles[k]) != 0)
      return -1;
  }
  return kith_note_add_linked(run->note, &linked);
}

enum { PARSER_TEXT_MAX = 1024 };

// Interns the text of an item: text[from, end) with whitespace runs (and the `>` of block quote
// continuation lines) as one space, trimmed, at most PARSER_TEXT_MAX bytes (cut at a character
// boundary). Returns the offset or UINT32_MAX.
static uint32_t parser_intern_text(ParserRun *run, uint32_t from, uint32_t end) {
  KithBuf *strings = &run->note->strings;
  size_t start = strings->len;
  size_t room = end - from < PARSER_TEXT_MAX + 4 ? end - from : PARSER_TEXT_MAX + 4;
  if (start >= UINT32_MAX - room - 1 || kith_buf_reserve(strings, room + 1) != 0)
    return UINT32_MAX;
  // Written in place: at most one byte per byte read, and at most PARSER_TEXT_MAX plus the
  // rest of one character.
  char *out = strings->data + start;
  size_t kept = 0;
  bool space = false, line_start = false;
  for (uint32_t i = from; i < end; i++) {
    char c = run->text[i];
    if (c == '\n') {
      line_start = true;
      space = kept > 0;
      continue;
    }
    if (c == ' ' || c == '\t' || c == '\r' || (line_start && c == '>')) {
      space = kept > 0;
      continue;
    }
    line_start = false;
    if (kept >= PARSER_TEXT_MAX && ((unsigned char)c & 0xC0) != 0x80)
      break;
    if (space && kept + 1 < room)
      out[kept++] = ' ';
    space = false;
    if (kept < room)
      out[kept++] = c;
  }
  out[kept] = '\0';
  strings->len = start + kept + 1;
  return (uint32_t)start;
}

static int parser_item(ParserRun *run, TSNode item) {
  KithParser *parser = run->parser;
  TSNode marker = ts_node_child(item, 0);
  TSNode paragraph = {0};
  bool found = false, planned = false;
  uint32_t children = ts_node_child_count(item);
  for (uint32_t i = 1; i < children; i++) {
    TSNode child = ts_node_child(item, i);
    TSSymbol sym = ts_node_symbol(child);
    if (sym == parser->sym_task_unchecked) {
      planned = true;
    } else if (sym == parser->sym_paragraph) {
      paragraph = child;
      found = true;
      break;
    }
  }
  if (!found || ts_node_is_null(marker))
    return 0;
  const char *text = run->text;
  uint32_t start = ts_node_start_byte(paragraph), end = ts_node_end_byte(paragraph);
  if (!memchr(text + start, '#', end - start))
    return 0; // no tag at all: not an interaction, nothing to say

  // Where the kind tags are, before exclusions: the inline pass is needed only when something
  // that can open an excluded span comes before the last kind tag or handle that matters.
  uint32_t last = 0;
  bool any_kind = false;
  KithTag tag;
  for (uint32_t at = start; parser_next_tag(run, &at, end, false, &tag);) {
    if (tag.kind != KITH_KIND_NONE) {
      any_kind = true;
      last = (uint32_t)tag.start;
    }
  }
  if (!any_kind)
    return 0; // not an interaction

  // The date at the start of the paragraph; the leading run follows it (and its `:` or `,`).
  uint32_t p = start;
  while (p < end && (text[p] == ' ' || text[p] == '\t'))
    p++;
  size_t date_len = kith_entry_date_prefix(text + p, end - p);
  uint32_t body = p;
  if (date_len > 0) {
    body = p + (uint32_t)date_len;
    if (body < end && (text[body] == ':' || text[body] == ','))
      body++;
  }
  // No token of a leading run can lie in an excluded span (none begins with '`', '<' or '$',
  // and a wiki link is a whole token), so the run is read before the inline pass.
  if (parser_leading_run(run, body, end) != 0)
    return -1;
  int32_t section = parser_innermost_contact(parser);
  parser->excluded_count = 0;
  uint32_t handle_at = 0;
  // The first-handle rule may be needed: it reads up to the first handle, and the wiki links
  // before it (the inline pass then runs, as they open with '[').
  bool fallback = parser->plain_count == 0 && section < 0;
  if (fallback) {
    uint32_t to = end;
    if (parser_first_handle(run, start, end, &handle_at)) {
      last = handle_at > last ? handle_at : last;
      to = handle_at;
    }
    uint32_t brackets = parser_find_brackets(run, parser->run_end, to);
    if (brackets < to && brackets > last)
      last = brackets;
  }
  if (parser_find_exclusions(run, paragraph, last) != 0)
    return -1;

  // Kind tags.
  uint32_t gave = 0, got = 0, met = 0, kinds = 0, bad = 0;
  uint32_t line, column;
  for (uint32_t at = start; parser_next_tag(run, &at, end, true, &tag);) {
    if (tag.kind == KITH_KIND_NONE)
      continue;
    kinds++;
    if (tag.weight == 0) {
      bad++;
      parser_position(run, paragraph, (uint32_t)tag.start, &line, &column);
      if (kith_note_add_diagnostic(run->note, line, column, KITH_SEVERITY_ERROR,
                                   "invalid weight '%.*s' (expected 1-999)", (int)tag.weight_len,
                                   text + tag.weight_start) != 0)
        return -1;
      continue;
    }
    if (tag.kind == KITH_KIND_GIVE)
      gave += (uint32_t)tag.weight;
    else if (tag.kind == KITH_KIND_RECEIVE)
      got += (uint32_t)tag.weight;
    else
      met++;
  }
  if (kinds == 0)
    return 0;

  // The list marker's position (the node may begin with indentation).
  uint32_t marker_at = ts_node_start_byte(marker);
  while (marker_at < ts_node_end_byte(marker) &&
         (text[marker_at] == ' ' || text[marker_at] == '\t'))
    marker_at++;
  uint32_t marker_line, marker_column;
  parser_position(run, marker, marker_at, &marker_line, &marker_column);

  // The date: its own, else the context date; a planned item needs none.
  KithDay day = 0;
  bool dated = true;
  if (date_len > 0) {
    if (kith_date_parse(text + p, date_len, &day) != 0) {
      parser_position(run, paragraph, p, &line, &column);
      return kith_note_add_diagnostic(run->note, line, column, KITH_SEVERITY_ERROR,
                                      "invalid date %.*s", (int)date_len, text + p);
    }
  } else if (!parser_context_date(run, &day)) {
    if (!planned)
      return kith_note_add_diagnostic(run->note, marker_line, marker_column, KITH_SEVERITY_WARNING,
                                      "interaction has no date (expected YYYY-MM-DD at the start)");
    dated = false;
  }
  if (!planned)
    parser_bound_today(run->note, day, day > run->today);
  if (!planned && day > run->today) {
    if (date_len > 0)
      parser_position(run, paragraph, p, &line, &column);
    else
      line = marker_line, column = marker_column;
    if (kith_note_add_diagnostic(run->note, line, column, KITH_SEVERITY_WARNING,
                                 "date is in the future") != 0)
      return -1;
    return 0;
  }
  if (bad > 0)
    return 0;

  // The counterparties: the leading run's handles, else the innermost contact section, else
  // the first handle in the paragraph. Wiki links among them are resolved by the ledger.
  uint32_t section_handle = UINT32_MAX;
  size_t run_count = parser->handle_count;
  long fallback_links = 0;
  if (fallback) {
    fallback_links = parser_fallback(run, parser->run_end, end);
    if (fallback_links < 0)
      return -1;
  }
  bool linked = run_count > parser->plain_count || fallback_links > 0;
  if (!linked && parser->handle_count == 0) {
    if (section >= 0)
      section_handle = run->note->headings[section].handle;
    else
      return kith_note_add_diagnostic(run->note, marker_line, marker_column, KITH_SEVERITY_WARNING,
                                      "interaction names no contact");
  }

  KithInteraction it = {0};
  it.section = section;
  it.day = day;
  it.dated = dated;
  it.line = marker_line;
  it.column = marker_column;
  // The item's last line with text (tree-sitter lets an item swallow the blank lines after it).
  uint32_t item_end = ts_node_end_byte(item);
  while (item_end > start && (text[item_end - 1] == '\n' || text[item_end - 1] == '\r' ||
                              text[item_end - 1] == ' ' || text[item_end - 1] == '\t'))
    item_end--;
  parser_position(run, item, item_end > 0 ? item_end - 1 : 0, &it.end_line, &column);
  it.gave = gave;
  it.got = got;
  it.met = met;
  it.text = parser_intern_text(run, body, end);
  if (it.text == UINT32_MAX)
    return -1;
  if (linked)
    return parser_add_linked(run, paragraph, &it, planned, run_count,
                             parser->handle_count - run_count);
  size_t count = section_handle != UINT32_MAX ? 1 : parser->handle_count;
  for (size_t k = 0; k < count; k++) {
    if (section_handle != UINT32_MAX) {
      it.handle = section_handle;
    } else {
      it.handle = parser_intern_handle(run, parser->handles[k].at, parser->handles[k].len);
      if (it.handle == UINT32_MAX)
        return -1;
    }
    int rc = planned ? kith_note_add_followup(run->note, &it)
                     : kith_note_add_interaction(run->note, &it);
    if (rc != 0)
      return -1;
  }
  return 0;
}

// --- the whole note ----------------------------------------------------------------------

// The file name of `path` (borrowed) without its extension: its offset and length in `path`.
static size_t parser_stem(const char *path, size_t *at) {
  const char *name = strrchr(path, '/');
  name = name ? name + 1 : path;
  const char *dot = strrchr(name, '.');
  *at = (size_t)(name - path);
  return dot && dot > name ? (size_t)(dot - name) : strlen(name);
}

// Reads the note's front matter (SPEC §1 v2); when it has a handle, the note is a contact note:
// a level-0 heading at line 1 whose section is the whole note. Returns 0 or -1.
static int parser_front_matter(ParserRun *run, KithFrontMatter *fm) {
  if (kith_frontmatter_read(run->text, run->len, run->note, fm) != 0)
    return -1;
  if (!fm->declares)
    return 0;
  KithNote *note = run->note;
  size_t stem_at = 0, stem_len = run->path ? parser_stem(run->path, &stem_at) : 0;
  note->stem = kith_note_intern(note, run->path ? run->path + stem_at : "", stem_len);
  if (note->stem == UINT32_MAX)
    return -1;
  KithHeading h = {fm->handle, fm->name, 1, 1, 0, fm->cadence_days};
  if (h.name == UINT32_MAX)
    h.name = stem_len > 0 ? note->stem : fm->handle;
  if (kith_note_add_heading(note, &h) != 0)
    return -1;
  KithParser *parser = run->parser;
  parser->open[parser->open_count++] = (ParserOpen){0, 0, false, 0};
  return 0;
}

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
      rc = parser_heading(run, capture->node);
    else if (capture->index == parser->capture_item)
      rc = parser_item(run, capture->node);
  }
  return rc;
}

// Whether a piece may end before `node`, a block at the top level of the piece's tree
// (a child of the document or of a section, or an item of such a list): it starts a line
// unindented, after an empty line unless it is an ATX heading or a list item (which close
// whatever was open before them), and it cannot open front matter when it starts a piece.
static bool parser_can_split_at(const ParserRun *run, TSNode node, bool needs_blank) {
  const char *p = run->text;
  uint32_t s = ts_node_start_byte(node);
  if (s < 2 || s >= run->len || p[s - 1] != '\n' || ts_node_start_point(node).column != 0)
    return false;
  char c = p[s];
  if (c == ' ' || c == '\t' || c == '\r' || c == '\n')
    return false;
  if ((c == '-' || c == '+') && s + 2 < run->len && p[s + 1] == c && p[s + 2] == c)
    return false;
  if (!needs_blank)
    return true;
  return p[s - 2] == '\n' || (s >= 3 && p[s - 2] == '\r' && p[s - 3] == '\n');
}

static bool parser_is_block(const KithParser *parser, TSSymbol sym) {
  for (size_t i = 0; i < sizeof parser->sym_blocks / sizeof *parser->sym_blocks; i++) {
    if (sym == parser->sym_blocks[i])
      return true;
  }
  return false;
}

// The last place in the piece's tree where the note can be cut so that the text before and
// the text after parse as they do together: a top-level block start (see above). The line at
// that place is complete in the piece, and what comes after it cannot change how the lines
// up to it parse (but for front matter, which `first`, the note's first piece, checks).
// Returns its byte offset and row, or 0.
static uint32_t parser_find_split(const ParserRun *run, TSNode root, bool first, uint32_t *row) {
  const KithParser *parser = run->parser;
  uint32_t best = 0;
  if (ts_node_has_error(root))
    return 0; // no guessing around error recovery: take more text
  // Front matter is decided by its closing line: a note that opens with one is cut only once
  // the piece holds all of it.
  if (first && run->len >= 3 &&
      (memcmp(run->text, "---", 3) == 0 || memcmp(run->text, "+++", 3) == 0)) {
    TSSymbol sym =
        ts_node_named_child_count(root) > 0 ? ts_node_symbol(ts_node_named_child(root, 0)) : 0;
    if (sym != parser->sym_minus_metadata && sym != parser->sym_plus_metadata)
      return 0;
  }
  TSTreeCursor cursor = ts_tree_cursor_new(root);
  uint32_t depth = 0;
  bool in_list = false; // the cursor is on the items of a top-level list
  if (!ts_tree_cursor_goto_first_child(&cursor))
    goto done;
  depth = 1;
  for (;;) {
    TSNode node = ts_tree_cursor_current_node(&cursor);
    TSSymbol sym = ts_node_symbol(node);
    bool descend = false;
    if (in_list) {
      if (sym == parser->sym_list_item && parser_can_split_at(run, node, false)) {
        best = ts_node_start_byte(node);
        *row = ts_node_start_point(node).row;
      }
    } else if (sym == parser->sym_section) {
      descend = true;
    } else if (sym == parser->sym_list) {
      descend = true;
      in_list = true;
    } else if (sym == parser->sym_atx_heading
                   ? parser_can_split_at(run, node, false)
                   : parser_is_block(parser, sym) && parser_can_split_at(run, node, true)) {
      best = ts_node_start_byte(node);
      *row = ts_node_start_point(node).row;
    }
    if (descend && ts_tree_cursor_goto_first_child(&cursor)) {
      depth++;
      continue;
    }
    if (descend)
      in_list = false;
    while (!ts_tree_cursor_goto_next_sibling(&cursor)) {
      if (!ts_tree_cursor_goto_parent(&cursor) || --depth == 0)
        goto done;
      in_list = false; // back from a list's items (lists hold no sections)
    }
  }
done:
  ts_tree_cursor_delete(&cursor);
  return best;
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
  TSTree *tree = ts_parser_parse_string(parser->block, old_tree, text, (uint32_t)len);
  if (!tree)
    ts_parser_reset(parser->block); // stopped (kith_parser_set_cancel): do not resume it
  return tree;
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
  }
  parser->open_count = 0;
  parser->pieces = 0;
  size_t at = 0, want = parser->piece ? parser->piece : 1;
  uint32_t row = 0;
  bool whole = len <= parser->whole_max;
  int rc = 0;
  KithFrontMatter fm = {0};
  if (len >= 4 && (text[0] == '-' || text[0] == '\xEF') &&
      parser_front_matter(&whole_run, &fm) != 0)
    return -1;
  for (;;) {
    size_t end = whole || len - at <= want ? len : parser_line_end(text, len, at + want);
    TSTree *tree = parser_parse_block(parser, whole ? old_tree : NULL, text + at, end - at);
    if (!tree) {
      kith_note_add_diagnostic(note, 1, 1, KITH_SEVERITY_ERROR, "cannot parse");
      return -1;
    }
    ParserRun run = whole_run;
    run.text = text + at;
    run.len = end - at;
    run.row = row;
    run.fm_end = at < fm.end ? (uint32_t)(fm.end - at) : 0;
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
  ts_parser_set_cancellation_flag(parser->block, flag);
  ts_parser_set_cancellation_flag(parser->inline_, flag);
}
