#pragma once

// The cache of a vault's index (SPEC §6): one msgpack file per vault in $XDG_CACHE_HOME/kith/
// (else ~/.cache/kith/), named by a hash of the vault's real path and the format version. It
// holds, per note, its path, size, modification time and parsed note, guarded by a checksum.

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "notes/note.h"
#include "notes/settings.h"
#include "notes/vault.h"

/// Bump whenever a note's parse or the layout below changes: other versions are ignored.
#define KITH_CACHE_VERSION 4

/// A cache file mapped into memory: notes read from it borrow their item texts from it
/// (KithNote.texts_view), so it lives as long as they do.
typedef struct KithCacheMap KithCacheMap;

/// Unmaps `map` (owned; NULL: nothing) once no note borrows from it.
void kith_cache_map_free(KithCacheMap *map);

/// What a note's file looked like when it was parsed.
typedef struct {
  uint64_t size;
  int64_t mtime_ns;
  bool ok; // stat succeeded and the note may be cached
} KithCacheStat;

/// The cache file for the vault whose real path is `real_root` (borrowed), creating its
/// directory. Returns a new string (caller frees), or NULL when there is no cache directory.
char *kith_cache_file(const char *real_root);

/// Reads the cache `file` (borrowed) written for `real_root` (borrowed) and, for each entry i of
/// `vault` (borrowed) with stats[i].ok whose cached size and mtime equal stats[i], whose cached
/// parse holds for `today` and (v3) for the vault `settings` (borrowed: the same settings, or a
/// note whose parse did not depend on what changed), fills notes[i] (empty; the caller owns
/// what is put there) and sets hit[i]. Returns how many cached notes were not used (removed or
/// changed), or -1 when the file is missing, foreign or corrupt (then nothing is filled; *why,
/// static, says why when not merely missing). The notes filled borrow their item texts from
/// the mapped file, put in *map (caller frees with kith_cache_map_free() after the notes; NULL
/// when no note was filled).
long kith_cache_read(const char *file, const char *real_root, const KithVault *vault,
                     const KithSettings *settings, const KithCacheStat *stats, KithDay today,
                     KithNote *notes, bool *hit, const char **why, KithCacheMap **map);

/// Writes the notes of `vault` whose stats[i].ok (all borrowed) to `file` (borrowed) atomically,
/// parsed with `settings` (borrowed): a temporary file in the same directory, then rename.
/// With `map`, the file written is mapped into *map (caller frees with kith_cache_map_free()
/// after the notes; NULL when it could not be) and the notes written then borrow their item
/// texts from it, freeing their own. Returns 0 or a negative errno.
int kith_cache_write(const char *file, const char *real_root, const KithVault *vault,
                     const KithSettings *settings, const KithCacheStat *stats, KithNote *notes,
                     KithCacheMap **map);
