#pragma once

// The tree-sitter side of kith: one KithParser per thread, holding the block and inline
// markdown parsers and the compiled queries. Turns a note's text into a KithNote.

#include <stddef.h>
#include <tree_sitter/api.h>

#include "notes/note.h"
#include "notes/settings.h"

typedef struct KithParser KithParser;

/// Notes larger than this are parsed in pieces of about KITH_PARSER_PIECE bytes, so that no
/// tree-sitter tree (≈ 40-60 bytes per byte of text) ever covers more than a piece.
#define KITH_PARSER_WHOLE_MAX (1u << 20)
#define KITH_PARSER_PIECE (256u << 10)
/// Bytes of a line that are read; the rest of a longer line is not (the note gets a warning).
#define KITH_PARSER_LINE_MAX (256u << 10)

/// What a parse needs to know besides the text (SPEC §1 v2): the note's path, whose file name
/// may give undated items their date, `today`, after which a counted item is not counted, and
/// (v3) the vault settings that say which notes are contact and meeting notes.
typedef struct {
  const char *path; // relative to the vault, `/`-separated (borrowed; NULL: no file-name date)
  KithDay today;    // KITH_DAY_NEVER: no date is in the future
  const KithSettings *settings; // borrowed; NULL: the defaults (kith_settings_defaults())
} KithParseContext;

/// Makes a parser. Returns NULL and sets *error (caller frees) on failure. Caller frees the
/// parser with kith_parser_free().
KithParser *kith_parser_new(char **error);

/// Frees a parser (NULL is fine).
void kith_parser_free(KithParser *parser);

/// Parses `text` (borrowed, `len` bytes) of the note described by `context` (borrowed) and fills
/// `note` (must be initialised and empty; caller frees its contents). With `old_tree` (borrowed;
/// already edited with ts_tree_edit), tree-sitter reuses what did not change. When `tree_out` is
/// not NULL it receives the new block tree (caller frees with ts_tree_delete), or NULL when the
/// note was parsed in pieces or has a line longer than KITH_PARSER_LINE_MAX (then `old_tree` is
/// not used either); otherwise the tree is freed here. Returns 0, or -1 when out of memory / the
/// parse failed or was stopped (note then holds a diagnostic).
int kith_parser_parse(KithParser *parser, const KithParseContext *context, const char *text,
                      size_t len, const TSTree *old_tree, TSTree **tree_out, KithNote *note);

/// The same, but `text` (borrowed, writable) may be overwritten: the unread part of an
/// over-long line is blanked in place instead of in a copy.
int kith_parser_parse_mutable(KithParser *parser, const KithParseContext *context, char *text,
                              size_t len, const TSTree *old_tree, TSTree **tree_out,
                              KithNote *note);

/// Reads bytes the way a file is read into a note: a NUL byte gives the note the
/// "binary file skipped" warning and nothing else. Same contract as kith_parser_parse().
int kith_parser_parse_file_text(KithParser *parser, const KithParseContext *context,
                                const char *text, size_t len, KithNote *note);

/// Notes larger than `whole_max` bytes are parsed in pieces of about `piece` bytes (defaults:
/// KITH_PARSER_WHOLE_MAX, KITH_PARSER_PIECE). The note is the same either way; tests make the
/// pieces tiny to check that.
void kith_parser_set_pieces(KithParser *parser, size_t whole_max, size_t piece);

/// How many pieces the last parse took (1: at once).
uint32_t kith_parser_pieces(const KithParser *parser);

/// Every parse with `parser` stops soon after `*flag` (borrowed; NULL: never) becomes
/// non-zero, and then returns -1. For a parse on another thread that is no longer wanted.
void kith_parser_set_cancel(KithParser *parser, const size_t *flag);

/// With `plain` true, `parser` gives the block grammar the note's text as it is; by default a
/// parse that keeps no tree (no `old_tree`, no `tree_out`) gives it the text with the middle of
/// each line of plain prose folded into one word (src/notes/mask.c), which is faster and gives
/// the same note. Tests compare the two.
void kith_parser_set_plain(KithParser *parser, bool plain);
