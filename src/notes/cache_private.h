#pragma once

// What the cache's reader (cache.c) and writer (cache_write.c) share: the layout and the
// checksum.

#include <stddef.h>
#include <stdint.h>

#include "notes/cache.h"

// The file is one msgpack array: ["kith-cache", KITH_CACHE_VERSION, real root, note count,
// checksum, settings digest (KithSettings.digest), payload]. The payload (a bin) is `count` msgpack
// arrays, one per note, in path order: [path, size, mtime_ns, today_bounded, today_min, today_max,
// strings (bin), stem, headings, interactions, follow-ups, linked, refs, aliases, diagnostics,
// flags, asks, texts (bin: the item texts, KithNote.texts)], each record list flat: a record's
// fields one after the other (CACHE_*_FIELDS integers per record). The flags: 1 the note has front
// matter, 2 it lies in a contact folder, 4 it is a meeting note. The writer gives the count, the
// checksum and the digest as 64-bit integers and the payload a 32-bit length whatever their values,
// so that the head's size is known before the payload is written after it.
#define CACHE_MAGIC "kith-cache"
#define CACHE_HEAD_FIELDS 7
#define CACHE_NOTE_FIELDS 18
#define CACHE_HEADING_FIELDS 9
#define CACHE_ITEM_FIELDS 12
#define CACHE_LINKED_FIELDS (CACHE_ITEM_FIELDS + 6)
#define CACHE_REF_FIELDS 6
#define CACHE_DIAGNOSTIC_FIELDS 4
#define CACHE_FRONT_MATTER 1
#define CACHE_CONTACT_FOLDER 2
#define CACHE_MEETING 4

/// The payload's checksum, taken as it is written: 32 bytes at a time in four independent lanes
/// (so the multiplications overlap), the rest and the length at the end.
typedef struct {
  uint64_t lane[4];
  uint64_t total; // bytes taken so far
} CacheChecksum;

#define CACHE_CHECKSUM_BLOCK 32

/// Starts `c` (borrowed).
void cache_checksum_init(CacheChecksum *c);
/// Takes `n` bytes at `p` (borrowed); n is a multiple of CACHE_CHECKSUM_BLOCK.
void cache_checksum_blocks(CacheChecksum *c, const unsigned char *p, size_t n);
/// Takes the last `n` bytes at `p` (any length) and returns the checksum of all.
uint64_t cache_checksum_finish(CacheChecksum *c, const unsigned char *p, size_t n);
/// The checksum of `n` bytes at `p` at once.
uint64_t cache_checksum(const unsigned char *p, size_t n);

/// Maps the `len` bytes of the open file `fd` (borrowed) read-only. Returns the map (caller
/// frees with kith_cache_map_free()), or NULL.
KithCacheMap *cache_map_fd(int fd, size_t len);

/// The mapped bytes of `map` (borrowed).
const char *cache_map_data(const KithCacheMap *map);
