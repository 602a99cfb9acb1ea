// Pieces: where a note larger than KITH_PARSER_WHOLE_MAX may be cut, so that no tree-sitter
// tree covers more than a piece and the note is the same as parsed at once.

#include <stdbool.h>
#include <string.h>

#include "notes/parser_private.h"

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
uint32_t parser_find_split(const ParserRun *run, TSNode root, bool first, uint32_t *row) {
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
