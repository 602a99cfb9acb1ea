#pragma once

// The one place where the tree-sitter runtimes kith builds against (0.20 to 0.26) differ.
// CMake decides at configure time by the symbols libtree-sitter provides
// (check_symbol_exists), never by its version string:
// - KITH_TS_HAVE_ABI_VERSION: ts_language_abi_version (0.25+; ts_language_version before,
//   removed in 0.26);
// - KITH_TS_HAVE_PARSE_OPTIONS: ts_parser_parse_with_options with a progress callback (0.25+;
//   ts_parser_set_cancellation_flag before, removed in 0.26).

#include <stddef.h>
#include <stdint.h>
#include <tree_sitter/api.h>

/// The ABI version `language` was generated with.
uint32_t kith_ts_language_abi(const TSLanguage *language);

/// The range of language ABI versions this runtime loads, from its header
/// (TREE_SITTER_MIN_COMPATIBLE_LANGUAGE_VERSION .. TREE_SITTER_LANGUAGE_VERSION).
uint32_t kith_ts_abi_min(void);
uint32_t kith_ts_abi_max(void);

/// Parses `text` (`len` bytes, UTF-8; borrowed for the call) with `parser`, reusing `old_tree`
/// (borrowed; may be NULL). The parse stops soon after `*cancel` (borrowed; NULL: never)
/// becomes non-zero: then it returns NULL and the parser is reset (the next parse starts
/// afresh). Returns the new tree (caller frees with ts_tree_delete), or NULL.
TSTree *kith_ts_parse(TSParser *parser, const TSTree *old_tree, const char *text, uint32_t len,
                      const size_t *cancel);
