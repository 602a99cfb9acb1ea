#pragma once

// What the parts of the parser share: src/notes/parser.c (the KithParser, positions, exclusions,
// the whole-note parse), heading.c (headings), item.c (list items) and piece.c (where a long
// note is cut into pieces). Private to those files.

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <tree_sitter/api.h>

#include "notes/entry.h"
#include "notes/frontmatter.h"
#include "notes/note.h"
#include "notes/parser.h"

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
  TSSymbol sym_task_unchecked, sym_task_checked;
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
  const size_t *cancel;    // see kith_parser_set_cancel() (borrowed; NULL: never)
  bool plain;              // see kith_parser_set_plain()
  KithBuf masked;          // the block grammar's view of the text (parser_mask), reused
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
  uint32_t row;                 // lines of the note before the piece
  uint32_t fm_end;              // where the note's front matter ends in the piece (0: none in it)
  const KithSettings *settings; // the vault's (never NULL)
  // (v3) A meeting note: its date (the context date of its items after date headings), and its
  // people (refs of the note, for items in no contact section).
  bool meeting_dated;
  KithDay meeting_day;
  uint32_t people_refs, people_count;
  // parser_position()'s last answer, to go on from there
  uint32_t pos_from, pos_at, pos_row, pos_col;
  bool pos_valid;
} ParserRun;

// --- parser.c ------------------------------------------------------------------------------

/// The 1-based line and byte column (into *line, *column) of `offset`, counted from node
/// `from`; caches where it got to in `run` (borrowed), so that positions along one long
/// paragraph cost its length once.
void parser_position(ParserRun *run, TSNode from, uint32_t offset, uint32_t *line,
                     uint32_t *column);
/// Whether `offset` lies in one of the spans parser_find_exclusions() found last (`parser`
/// borrowed).
bool parser_is_excluded(const KithParser *parser, uint32_t offset);
/// Finds the spans of `node` (a paragraph or heading content of `run`, borrowed) in which
/// nothing is recognised, into parser->excluded; runs the inline grammar only when one may open
/// at or before `last`. Returns 0, or -1 when out of memory or stopped.
int parser_find_exclusions(ParserRun *run, TSNode node, uint32_t last);
/// The first handle in [start, end) of `run` (borrowed) outside the excluded spans: its length,
/// with the offset of its `@` in *at; or 0.
size_t parser_first_handle(const ParserRun *run, uint32_t start, uint32_t end, uint32_t *at);
/// Interns the handle of `n` bytes after the `@` at `at`, lowercased, in run->note (borrowed).
/// Returns its offset, or UINT32_MAX when out of memory.
uint32_t parser_intern_handle(ParserRun *run, uint32_t at, size_t n);

// --- mask.c --------------------------------------------------------------------------------

/// Copies the `len` bytes of `text` (borrowed) to `out` (at least `len` bytes, borrowed) with
/// the middle of each line of plain prose folded into one word (mask.c says which lines and
/// why): the block grammar finds the same blocks in it, with far fewer tokens.
void parser_mask(const char *text, size_t len, char *out);

// --- properties.c --------------------------------------------------------------------------

/// Reads the note's front matter (SPEC §1 v2) and applies the vault's rules to it (v3): makes
/// the note a contact note (a level-0 heading at line 1, opened on the heading stack, whose
/// section is the whole note; by its `handle`, or by a rule with a handle derived from its file
/// name) or a meeting note (its record, and its date and people in `run` for its items).
/// `fm` (caller frees) receives what the front matter holds. Returns 0 or -1.
int parser_properties(ParserRun *run, KithFrontMatter *fm);

// --- heading.c -----------------------------------------------------------------------------

/// Closes every open heading of level >= `level` at `last_line` (`run` borrowed).
void parser_close_sections(ParserRun *run, uint32_t level, uint32_t last_line);
/// Reads the heading node `heading` of `run` (borrowed): opens its section, and adds a contact
/// heading (and its diagnostics) to run->note. Returns 0 or -1.
int parser_read_heading(ParserRun *run, TSNode heading);

// --- item.c --------------------------------------------------------------------------------

/// Reads the list item node `item` of `run` (borrowed): adds its interactions, follow-ups or
/// linked item (and its diagnostics) to run->note. Returns 0 or -1.
int parser_read_item(ParserRun *run, TSNode item);
/// Narrows the range of `today` for which `note`'s parse holds (KithNote.today_min/max): a
/// counted item dated `day` is `future` (not counted) exactly when today < day.
void parser_bound_today(KithNote *note, KithDay day, bool future);

// --- piece.c -------------------------------------------------------------------------------

/// The last place in the piece's tree `root` (borrowed, of `run`'s text) where the note can be
/// cut so that the text before and after parse as they do together (`first`: the note's first
/// piece). Returns its byte offset, with its row in *row; or 0.
uint32_t parser_find_split(const ParserRun *run, TSNode root, bool first, uint32_t *row);
