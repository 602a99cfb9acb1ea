#pragma once

// The index of a vault: every note parsed, on all cores (libuv's thread pool).

#include <stddef.h>

#include "notes/cache.h"
#include "notes/note.h"
#include "notes/parser.h"
#include "notes/settings.h"
#include "notes/vault.h"

typedef struct {
  KithVault vault;
  KithNote *notes;       // one per vault entry, same order
  KithDay today;         // what the notes were parsed with (counted items after it are not counted)
  size_t cached;         // how many notes kith_index_load_cached() took from the cache
  KithSettings settings; // (v3) the vault's settings (its `.kith` and Obsidian's), owned
  KithCacheMap *cache_map; // the cache file the cached notes borrow their item texts from
} KithIndex;

/// Opens `root` (borrowed): reads its settings (notes/settings.h), then parses every note with
/// `threads` workers (0: one per core), with `today` for the future-date rule (SPEC §1). A
/// file's note does not depend on which thread parsed it. Returns 0, or -1 with *error set
/// (caller frees) when the vault cannot be opened. Caller frees with kith_index_free().
int kith_index_load(KithIndex *index, const char *root, KithDay today, int threads, char **error);

/// The same, with the vault's cache (SPEC §6, notes/cache.h): notes whose file kept its size and
/// modification time are taken from it, the others parsed; the cache is then written back when
/// anything changed. The index is the same as kith_index_load() gives. A cache that cannot be
/// used is rebuilt (one log line when it was corrupt or foreign).
int kith_index_load_cached(KithIndex *index, const char *root, KithDay today, int threads,
                           char **error);

/// Frees what the index owns.
void kith_index_free(KithIndex *index);

/// Finds `path` (relative, borrowed) among the entries. Returns its index, or -1 and sets
/// `*insert_at` to where it would go.
long kith_index_find(const KithIndex *index, const char *path, size_t *insert_at);

/// Puts `note` (moved in: the index owns its contents from now on; `*note` is left empty) at
/// `path` (relative, borrowed), replacing what was there. Returns 0 or -1 (out of memory).
int kith_index_put(KithIndex *index, const char *path, KithNote *note);

/// Removes `path` (relative, borrowed) if present.
void kith_index_remove(KithIndex *index, const char *path);

/// Reads and parses one file `path` (borrowed) into `note` (initialised, empty) with `parser`,
/// `context` (its path relative to the vault and today) and the scratch buffer `text` (all
/// borrowed): the same rules as a file in an index. Returns 0 or -1.
int kith_index_parse_file(KithParser *parser, const KithParseContext *context, KithBuf *text,
                          const char *path, KithNote *note);
