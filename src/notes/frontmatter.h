#pragma once

// Front matter (SPEC §1 v2): the YAML block a note may open with, `---` on its first line (after
// a byte order mark, if any) up to the next line that is `---` or `...`. It is read with libyaml,
// bounded in size and depth, into its properties: the keys of its top mapping whose value is a
// scalar or a list (of which the scalar items are kept). What the properties make of the note
// (a contact note, a meeting note) is src/notes/properties.c's business.

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "base/buf.h"
#include "notes/note.h"

/// Front matter longer than this (opening and closing lines included) is an error, never
/// handed to libyaml.
enum { KITH_FRONTMATTER_MAX_BYTES = 64 * 1024 };

/// Front matter nested deeper than this (mappings and sequences) is an error; libyaml stops
/// there.
enum { KITH_FRONTMATTER_MAX_DEPTH = 32 };

typedef enum {
  KITH_PROPERTY_SCALAR = 0, // one value
  KITH_PROPERTY_LIST,       // a sequence: its scalar items are the values (maybe none)
  KITH_PROPERTY_OTHER,      // a mapping or an alias: no values
} KithPropertyKind;

/// A value of a property: a scalar.
typedef struct {
  uint32_t text; // offset into the front matter's strings (NUL-terminated)
  uint32_t len;
  bool null;  // YAML's null: a plain empty, `~` or `null`
  bool plain; // a plain scalar (not quoted, not a block scalar)
} KithPropertyValue;

/// A top-level key of the front matter (the first of duplicate keys only).
typedef struct {
  uint32_t key;  // offset into the strings: the key as written
  uint32_t line; // the note's 1-based line of the key
  KithPropertyKind kind;
  uint32_t first, count; // its values: values[first .. first + count)
} KithProperty;

/// What a note's front matter holds.
typedef struct {
  size_t end;   // offset just past its closing line; 0 when the note has none
  bool invalid; // not valid YAML (an error diagnostic says why): it holds nothing
  KithProperty *properties;
  uint32_t property_count, property_cap;
  KithPropertyValue *values;
  uint32_t value_count, value_cap;
  KithBuf strings;
} KithFrontMatter;

/// Reads the front matter of `text` (borrowed, `len` bytes) into `*fm` (caller frees with
/// kith_frontmatter_free(), also when it fails). A block that is not valid YAML (or too large,
/// or nested too deep, or never closed) gives `note` the error `front matter is not valid YAML:
/// reason` at line 1, column 1, and holds no properties. Returns 0, or -1 when out of memory.
int kith_frontmatter_read(const char *text, size_t len, KithNote *note, KithFrontMatter *fm);

/// Frees what `fm` owns and leaves it empty.
void kith_frontmatter_free(KithFrontMatter *fm);

/// The property named `name` (borrowed; compared case-insensitively, as Obsidian does), or NULL.
const KithProperty *kith_frontmatter_get(const KithFrontMatter *fm, const char *name);

/// The text of a value or key (borrowed from `fm`).
const char *kith_frontmatter_str(const KithFrontMatter *fm, uint32_t offset);

/// Puts `s` (`n` bytes, borrowed) into `out` (emptied first) for a diagnostic: at most 64 bytes
/// of it, cut between UTF-8 characters, on one line (control characters as \n, \r, \t or
/// \xHH). Returns 0 or -1.
int kith_frontmatter_quote(KithBuf *out, const char *s, size_t n);
