#pragma once

// Front matter (SPEC §1 v2): the YAML block a note may open with, `---` on its first line (after
// a byte order mark, if any) up to the next line that is `---` or `...`. It is read with libyaml,
// bounded in size and depth, for the keys that make a contact note: `handle`, `name`, `aliases`
// and `every`.

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "notes/note.h"

/// Front matter longer than this (opening and closing lines included) is an error, never
/// handed to libyaml.
enum { KITH_FRONTMATTER_MAX_BYTES = 64 * 1024 };

/// Front matter nested deeper than this (mappings and sequences) is an error; libyaml stops
/// there.
enum { KITH_FRONTMATTER_MAX_DEPTH = 32 };

/// What a note's front matter says.
typedef struct {
  size_t end;            // offset just past its closing line; 0 when the note has none
  bool declares;         // `handle` is a handle: the note is a contact note
  uint32_t handle;       // offset into the note's strings: the handle, lower case (`declares`)
  uint32_t name;         // offset: `name`, whitespace runs as one space, trimmed; UINT32_MAX
                         // when it is not a non-empty string
  uint32_t cadence_days; // `every` in days; 0 when absent or bad
} KithFrontMatter;

/// Reads the front matter of `text` (borrowed, `len` bytes) into `*fm`. Interns its strings
/// into `note`, appends its aliases to note->aliases (only when it declares) and its
/// diagnostics to `note`: `front matter is not valid YAML: reason` (line 1, column 1; then it
/// declares nothing), a bad `every` (at its line, column 1), a `handle` that is no handle (at
/// its line). Returns 0, or -1 when out of memory.
int kith_frontmatter_read(const char *text, size_t len, KithNote *note, KithFrontMatter *fm);
