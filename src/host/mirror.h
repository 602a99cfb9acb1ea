#pragma once

// A mirror of one Neovim buffer's lines, kept from nvim_buf_lines_event, as the text tree-sitter
// parses (each line followed by '\n'), with the tree-sitter edits that keep the old tree usable
// for an incremental re-parse.

#include <stddef.h>
#include <stdint.h>
#include <tree_sitter/api.h>

typedef struct {
  const char *ptr; // borrowed
  size_t len;
} KithMirrorLine;

typedef struct {
  char *text; // each line + '\n' (owned)
  size_t len, cap;
  uint32_t *starts; // byte offset of each line (owned)
  size_t line_count, starts_cap;
  TSTree *tree; // the last parse, edited as lines change (owned; may be NULL)
} KithMirror;

/// Makes an empty mirror (no lines).
void kith_mirror_init(KithMirror *mirror);

/// Frees what the mirror owns.
void kith_mirror_free(KithMirror *mirror);

/// Replaces lines [first, last) (zero-based, end-exclusive; last = -1: all lines, as in the
/// first event after attaching) with `count` lines (borrowed), and records the edit on the
/// tree. Returns 0; -1 when out of memory; -2 when the range does not fit the mirror (out of
/// sync: the caller should re-attach).
int kith_mirror_apply(KithMirror *mirror, int64_t first, int64_t last, const KithMirrorLine *lines,
                      size_t count);

/// Takes a new tree (owned by the mirror from now on), freeing the old one.
void kith_mirror_set_tree(KithMirror *mirror, TSTree *tree);
