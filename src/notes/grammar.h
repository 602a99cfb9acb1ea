#pragma once

// The tree-sitter-markdown grammars compiled into kith and the queries in queries/.

#include <tree_sitter/api.h>

/// The block and inline languages (static; never freed).
const TSLanguage *kith_grammar_block(void);
const TSLanguage *kith_grammar_inline(void);

/// The text of queries/markdown/kith.scm: read from $KITH_QUERIES/markdown/kith.scm, else
/// from <dir of the binary>/../queries/markdown/kith.scm, else the compiled-in copy.
/// Returns a borrowed static string; `*origin` (borrowed, static) tells where it came from.
const char *kith_grammar_query_source(const char **origin);

/// Compiles the kith query for the block language. Returns NULL and sets *error (caller
/// frees) on failure. Caller frees the query with ts_query_delete().
TSQuery *kith_grammar_query_new(char **error);
