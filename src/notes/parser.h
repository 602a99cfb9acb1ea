#pragma once

// The tree-sitter side of kith: one KithParser per thread, holding the block and inline
// markdown parsers and the compiled queries. Turns a note's text into a KithNote.

#include <stddef.h>
#include <tree_sitter/api.h>

#include "notes/note.h"

typedef struct KithParser KithParser;

/// What a parse needs to know besides the text (SPEC §1 v2): the note's path, whose file name
/// may give undated items their date, and `today`, after which a counted item is not counted.
typedef struct {
  const char *path; // relative to the vault, `/`-separated (borrowed; NULL: no file-name date)
  KithDay today;    // KITH_DAY_NEVER: no date is in the future
} KithParseContext;

/// Makes a parser. Returns NULL and sets *error (caller frees) on failure. Caller frees the
/// parser with kith_parser_free().
KithParser *kith_parser_new(char **error);

/// Frees a parser (NULL is fine).
void kith_parser_free(KithParser *parser);

/// Parses `text` (borrowed, `len` bytes) of the note described by `context` (borrowed) and fills
/// `note` (must be initialised and empty; caller frees its contents). With `old_tree` (borrowed;
/// already edited with ts_tree_edit), tree-sitter reuses what did not change. When `tree_out` is
/// not NULL it receives the new block tree (caller frees with ts_tree_delete); otherwise the tree
/// is freed here. Returns 0, or -1 when out of memory / the parse failed (note then holds a
/// diagnostic).
int kith_parser_parse(KithParser *parser, const KithParseContext *context, const char *text,
                      size_t len, const TSTree *old_tree, TSTree **tree_out, KithNote *note);

/// Reads bytes the way a file is read into a note: a NUL byte gives the note the
/// "binary file skipped" warning and nothing else. Same contract as kith_parser_parse().
int kith_parser_parse_file_text(KithParser *parser, const KithParseContext *context,
                                const char *text, size_t len, KithNote *note);
