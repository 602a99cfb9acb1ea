#pragma once

// The names contacts go by (SPEC §1 v2), for wiki links: the name of every declaration, and a
// contact note's file name (without extension) and aliases. Names are compared by their key
// (kith_entry_name_key: case folded, whitespace runs as one space).

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "base/buf.h"
#include "notes/note.h"

/// Where a name comes from.
typedef enum {
  KITH_NAME_HEADING = 0, // a contact heading's display name
  KITH_NAME_NOTE,        // a contact note's display name (`name`, else its file name)
  KITH_NAME_FILE,        // a contact note's file name without extension
  KITH_NAME_ALIAS,       // one of a contact note's aliases
  KITH_NAME_MEETING,     // (v3) the name a meeting's people property gave an undeclared contact
} KithNameKind;

/// One name of one declaration.
typedef struct {
  uint32_t key;    // offset into the table's strings: the name key
  uint32_t text;   // offset: the name as written
  uint32_t handle; // offset: the contact's handle
  uint32_t path;   // offset: the declaring note's path
  uint32_t note;   // index of the declaring note in the set
  uint32_t line;   // line of the declaration (1 for a contact note)
  KithNameKind kind;
  uint32_t next; // index of the next name with the same key, in (note, line) order;
                 // UINT32_MAX at the end
} KithName;

/// The names with one key.
typedef struct {
  uint32_t key;         // offset: the key
  uint32_t first, last; // indexes of its first and last names
} KithNameKey;

typedef struct {
  KithName *names;
  uint32_t count, cap;
  KithNameKey *keys;
  uint32_t key_count, key_cap;
  uint32_t *slots; // open addressing over keys: key index + 1, 0 = empty
  uint32_t slot_count;
  KithBuf strings;
} KithNames;

/// One name of a note's declarations, as kith_names_of_note() lists them.
typedef struct {
  const char *text; // borrowed from the note
  const char *handle;
  uint32_t line;
  KithNameKind kind;
} KithNoteName;

/// Lists the names `note` (borrowed) declares into `*out` (caller frees with free()), in line
/// order: for each declaration its name, and for a contact note its file name and aliases.
/// Returns how many, or -1 when out of memory.
long kith_names_of_note(const KithNote *note, KithNoteName **out);

/// Adds the names note number `index` (borrowed, at `path`, borrowed) declares. Notes must come
/// in set order. Returns 0 or -1 when out of memory.
int kith_names_add_note(KithNames *names, uint32_t index, const char *path, const KithNote *note);

/// The names with key `key` (borrowed, `len` bytes), or NULL.
const KithNameKey *kith_names_find(const KithNames *names, const char *key, size_t len);

/// The distinct handles the names of `k` belong to, in (note, line) order: fills at most `max`
/// of them into `handles` (borrowed from the table) and returns how many there are in all.
uint32_t kith_names_handles(const KithNames *names, const KithNameKey *k, const char **handles,
                            uint32_t max);

/// The same, leaving out the names meetings gave (KITH_NAME_MEETING): the declared contacts only.
uint32_t kith_names_declared_handles(const KithNames *names, const KithNameKey *k,
                                     const char **handles, uint32_t max);

/// Adds the name `text` (borrowed) that an entry of a meeting's people property at `line` of
/// note number `index` (at `path`; both borrowed) gives the undeclared contact `handle`
/// (borrowed). Returns 0 or -1 when out of memory.
int kith_names_add_meeting(KithNames *names, uint32_t index, const char *path, const char *text,
                           const char *handle, uint32_t line);

/// The string at `offset` (borrowed from the table).
const char *kith_names_str(const KithNames *names, uint32_t offset);

/// Frees what the table owns.
void kith_names_free(KithNames *names);
