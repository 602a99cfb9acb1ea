// madvise() is not in POSIX's <sys/mman.h> (posix_madvise's POSIX_MADV_DONTNEED does nothing on
// glibc).
#define _DEFAULT_SOURCE

#include "notes/cache.h"

#include <errno.h>
#include <fcntl.h>
#include <msgpack.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>

#include "base/buf.h"
#include "notes/cache_private.h"

char *kith_cache_file(const char *real_root) {
  const char *xdg = getenv("XDG_CACHE_HOME");
  const char *home = getenv("HOME");
  KithBuf dir = KITH_BUF_INIT;
  int rc;
  if (xdg && xdg[0] == '/')
    rc = kith_buf_puts(&dir, xdg);
  else if (home && home[0] == '/')
    rc = kith_buf_printf(&dir, "%s/.cache", home);
  else
    return NULL;
  if (rc != 0)
    goto fail;
  (void)mkdir(dir.data, 0700); // $XDG_CACHE_HOME itself may not exist yet
  if (kith_buf_puts(&dir, "/kith") != 0)
    goto fail;
  if (mkdir(dir.data, 0700) != 0 && errno != EEXIST)
    goto fail;
  uint64_t key = cache_checksum((const unsigned char *)real_root, strlen(real_root));
  if (kith_buf_printf(&dir, "/%016llx-v%d.mpk", (unsigned long long)key, KITH_CACHE_VERSION) != 0)
    goto fail;
  return kith_buf_take(&dir);
fail:
  kith_buf_free(&dir);
  return NULL;
}

// ---- reading -----------------------------------------------------------------------------

static bool cache_int(const msgpack_object *o, int64_t lo, int64_t hi, int64_t *out) {
  int64_t v;
  if (o->type == MSGPACK_OBJECT_POSITIVE_INTEGER && o->via.u64 <= INT64_MAX)
    v = (int64_t)o->via.u64;
  else if (o->type == MSGPACK_OBJECT_NEGATIVE_INTEGER)
    v = o->via.i64;
  else
    return false;
  if (v < lo || v > hi)
    return false;
  *out = v;
  return true;
}

// Reads the `n` fields of record `r` of flat list `list` (validated by cache_records).
static void cache_fields(const msgpack_object *list, uint32_t r, uint32_t n, int64_t *out) {
  const msgpack_object *o = list->via.array.ptr + (size_t)r * n;
  for (uint32_t i = 0; i < n; i++)
    out[i] = o[i].type == MSGPACK_OBJECT_NEGATIVE_INTEGER ? o[i].via.i64 : (int64_t)o[i].via.u64;
}

// Checks that `o` is a flat list of records of `n` integer fields each. Returns the count or -1.
static int64_t cache_records(const msgpack_object *o, uint32_t n) {
  if (o->type != MSGPACK_OBJECT_ARRAY || o->via.array.size % n != 0)
    return -1;
  for (uint32_t i = 0; i < o->via.array.size; i++) {
    msgpack_object_type t = o->via.array.ptr[i].type;
    if (t != MSGPACK_OBJECT_POSITIVE_INTEGER && t != MSGPACK_OBJECT_NEGATIVE_INTEGER)
      return -1;
    if (t == MSGPACK_OBJECT_POSITIVE_INTEGER && o->via.array.ptr[i].via.u64 > UINT32_MAX)
      return -1;
    if (t == MSGPACK_OBJECT_NEGATIVE_INTEGER && o->via.array.ptr[i].via.i64 < INT32_MIN)
      return -1;
  }
  return o->via.array.size / n;
}

// A string offset of the note: inside its strings, or UINT32_MAX where `none` allows it.
static bool cache_offset(const KithNote *note, int64_t v, bool none) {
  return (none && v == UINT32_MAX) || (v >= 0 && (uint64_t)v < note->strings.len);
}

// An item's text: inside its texts (KITH_NOTE_TEXT), or (older notes, tests) its strings.
static bool cache_text(const KithNote *note, int64_t v) {
  if (v >= 0 && v <= UINT32_MAX && (v & KITH_NOTE_TEXT))
    return (uint64_t)(v & ~(int64_t)KITH_NOTE_TEXT) < note->texts_len;
  return cache_offset(note, v, false);
}

static bool cache_item(const KithNote *note, const int64_t *f, bool linked, KithInteraction *it) {
  if (!cache_offset(note, f[0], linked) || !cache_text(note, f[10]) || f[6] < -1 ||
      f[6] >= (int64_t)note->heading_count)
    return false;
  *it = (KithInteraction){.handle = (uint32_t)f[0],
                          .day = (KithDay)f[1],
                          .dated = f[2] != 0,
                          .line = (uint32_t)f[3],
                          .column = (uint32_t)f[4] & 0x3FFFFFFF,
                          .end_line = (uint32_t)f[5],
                          .section = (int32_t)f[6],
                          .gave = (uint32_t)f[7],
                          .got = (uint32_t)f[8],
                          .met = (uint32_t)f[9],
                          .text = (uint32_t)f[10],
                          .intro = f[11] != 0};
  return true;
}

// Allocates `*items` for the records of flat list `o` (`fields` each): sets *count and *cap.
// Returns the count, or -1 when `o` is no such list or out of memory.
static int64_t cache_alloc(const msgpack_object *o, uint32_t fields, size_t size, void **items,
                           uint32_t *count, uint32_t *cap) {
  int64_t n = cache_records(o, fields);
  if (n <= 0)
    return n;
  if (!(*items = malloc((size_t)n * size)))
    return -1;
  *count = *cap = (uint32_t)n;
  return n;
}

// Fills `note` (empty) from the cached fields `f` (a note array of CACHE_NOTE_FIELDS). Returns 0,
// or -1 (the note may hold part of it: the caller frees it).
static int cache_note_decode(const msgpack_object *f, KithNote *note) {
  int64_t v[CACHE_LINKED_FIELDS], bounded, lo, hi, stem;
  const msgpack_object *strings = &f[6], *texts = &f[17];
  if (!cache_int(&f[3], 0, 1, &bounded) || !cache_int(&f[4], INT32_MIN, INT32_MAX, &lo) ||
      !cache_int(&f[5], INT32_MIN, INT32_MAX, &hi) || !cache_int(&f[7], 0, UINT32_MAX, &stem) ||
      strings->type != MSGPACK_OBJECT_BIN || texts->type != MSGPACK_OBJECT_BIN)
    return -1;
  // The texts stay in the mapped file (notes/cache.h), read only by what prints an item.
  uint32_t tlen = texts->via.bin.size;
  if (tlen > 0 && texts->via.bin.ptr[tlen - 1] != '\0')
    return -1;
  note->texts_view = tlen > 0 ? texts->via.bin.ptr : NULL;
  note->texts_len = tlen;
  note->today_bounded = bounded != 0;
  note->today_min = (KithDay)lo;
  note->today_max = (KithDay)hi;
  uint32_t slen = strings->via.bin.size;
  if (slen > 0 && strings->via.bin.ptr[slen - 1] != '\0')
    return -1;
  if (slen > 0 && kith_buf_append(&note->strings, strings->via.bin.ptr, slen) != 0)
    return -1;
  note->stem = (uint32_t)stem;
  int64_t n = cache_alloc(&f[8], CACHE_HEADING_FIELDS, sizeof *note->headings,
                          (void **)&note->headings, &note->heading_count, &note->heading_cap);
  for (int64_t r = 0; r < n; r++) {
    cache_fields(&f[8], (uint32_t)r, CACHE_HEADING_FIELDS, v);
    if (!cache_offset(note, v[0], false) || !cache_offset(note, v[1], false))
      return -1;
    note->headings[r] = (KithHeading){(uint32_t)v[0],     (uint32_t)v[1], (uint32_t)v[2],
                                      (uint32_t)v[3],     (uint32_t)v[4], (uint32_t)v[5],
                                      (KithBirthday)v[6], v[7] != 0,      (KithDay)v[8]};
  }
  if (n < 0 || (kith_note_contact_note(note) && !cache_offset(note, stem, false)))
    return -1;
  for (int k = 0; k < 3; k++) {
    // interactions, follow-ups, (v3) asks
    const msgpack_object *list = k < 2 ? &f[9 + k] : &f[16];
    KithInteraction **items = k == 0   ? &note->interactions
                              : k == 1 ? &note->followups
                                       : &note->asks;
    uint32_t *count = k == 0   ? &note->interaction_count
                      : k == 1 ? &note->followup_count
                               : &note->ask_count;
    uint32_t *cap = k == 0 ? &note->interaction_cap : k == 1 ? &note->followup_cap : &note->ask_cap;
    n = cache_alloc(list, CACHE_ITEM_FIELDS, sizeof **items, (void **)items, count, cap);
    for (int64_t r = 0; r < n; r++) {
      cache_fields(list, (uint32_t)r, CACHE_ITEM_FIELDS, v);
      if (!cache_item(note, v, false, &(*items)[r]))
        return -1;
    }
    if (n < 0)
      return -1;
  }
  n = cache_alloc(&f[12], CACHE_REF_FIELDS, sizeof *note->refs, (void **)&note->refs,
                  &note->ref_count, &note->ref_cap);
  for (int64_t r = 0; r < n; r++) {
    cache_fields(&f[12], (uint32_t)r, CACHE_REF_FIELDS, v);
    if (!cache_offset(note, v[0], false) || !cache_offset(note, v[1], true) ||
        !cache_offset(note, v[4], true) || !cache_offset(note, v[5], true))
      return -1;
    note->refs[r] = (KithRef){(uint32_t)v[0], (uint32_t)v[1], (uint32_t)v[2],
                              (uint32_t)v[3], (uint32_t)v[4], (uint32_t)v[5]};
  }
  if (n >= 0)
    n = cache_alloc(&f[11], CACHE_LINKED_FIELDS, sizeof *note->linked, (void **)&note->linked,
                    &note->linked_count, &note->linked_cap);
  for (int64_t r = 0; r < n; r++) {
    KithLinked *l = &note->linked[r];
    cache_fields(&f[11], (uint32_t)r, CACHE_LINKED_FIELDS, v);
    if (!cache_item(note, v, true, &l->item) || v[14] < 0 || v[15] < 0 || v[16] < 0 || v[17] < 0 ||
        v[14] + v[15] + v[16] + v[17] > (int64_t)note->ref_count)
      return -1;
    l->planned = v[12] != 0;
    l->ask = v[13] != 0;
    l->refs = (uint32_t)v[14];
    l->run = (uint32_t)v[15];
    l->people = (uint32_t)v[16];
    l->fallback = (uint32_t)v[17];
  }
  if (n >= 0)
    n = cache_alloc(&f[13], 1, sizeof *note->aliases, (void **)&note->aliases, &note->alias_count,
                    &note->alias_cap);
  for (int64_t r = 0; r < n; r++) {
    cache_fields(&f[13], (uint32_t)r, 1, v);
    if (!cache_offset(note, v[0], false))
      return -1;
    note->aliases[r] = (uint32_t)v[0];
  }
  if (n >= 0)
    n = cache_alloc(&f[14], CACHE_DIAGNOSTIC_FIELDS, sizeof *note->diagnostics,
                    (void **)&note->diagnostics, &note->diagnostic_count, &note->diagnostic_cap);
  for (int64_t r = 0; r < n; r++) {
    cache_fields(&f[14], (uint32_t)r, CACHE_DIAGNOSTIC_FIELDS, v);
    if (!cache_offset(note, v[3], false) ||
        (v[2] != KITH_SEVERITY_ERROR && v[2] != KITH_SEVERITY_WARNING))
      return -1;
    note->diagnostics[r] =
        (KithDiagnostic){(uint32_t)v[0], (uint32_t)v[1], (KithSeverity)v[2], (uint32_t)v[3]};
  }
  int64_t flags;
  if (n < 0 || !cache_int(&f[15], 0, 7, &flags))
    return -1;
  note->front_matter = flags & CACHE_FRONT_MATTER;
  note->in_contact_folder = flags & CACHE_CONTACT_FOLDER;
  note->meeting = flags & CACHE_MEETING;
  return 0;
}

// The cache file, mapped read-only (never copied): a reader takes it front to back once and
// gives back what it has read as it goes (cache_map_done), so memory does not hold the file.
struct KithCacheMap {
  const char *data;
  size_t len;
  size_t dropped; // the pages before this offset were given back
};

// Maps `file` (borrowed) into `m`. Returns 0 or a negative errno (-ENOENT: missing).
// Maps the `len` bytes of the open file `fd` (borrowed) read-only into `m`. Returns 0 or a
// negative errno.
static int cache_mmap(KithCacheMap *m, int fd, size_t len) {
  memset(m, 0, sizeof *m);
  void *p = len > 0 ? mmap(NULL, len, PROT_READ, MAP_PRIVATE, fd, 0) : MAP_FAILED;
  if (p == MAP_FAILED)
    return len > 0 ? -errno : -EINVAL;
  m->data = p;
  m->len = len;
  return 0;
}

static int cache_map(KithCacheMap *m, const char *file) {
  memset(m, 0, sizeof *m);
  int fd = open(file, O_RDONLY | O_CLOEXEC);
  if (fd < 0)
    return -errno;
  struct stat st;
  int rc = fstat(fd, &st) != 0    ? -errno
           : !S_ISREG(st.st_mode) ? -EINVAL
                                  : cache_mmap(m, fd, (size_t)st.st_size);
  close(fd);
  return rc;
}

// Gives back the whole pages of `m` before offset `upto`: read, they are not needed again.
static void cache_map_done(KithCacheMap *m, size_t upto) {
#ifdef MADV_DONTNEED
  size_t page = (size_t)sysconf(_SC_PAGESIZE);
  size_t end = upto / page * page;
  if (end >= m->dropped + 4 * 1024 * 1024 || (upto == m->len && end > m->dropped)) {
    madvise((void *)(m->data + m->dropped), end - m->dropped, MADV_DONTNEED);
    m->dropped = end;
  }
#else
  (void)m;
  (void)upto;
#endif
}

static void cache_unmap(KithCacheMap *m) {
  if (m->data)
    munmap((void *)m->data, m->len);
  memset(m, 0, sizeof *m);
}

KithCacheMap *cache_map_fd(int fd, size_t len) {
  KithCacheMap *m = malloc(sizeof *m);
  if (m && cache_mmap(m, fd, len) != 0) {
    free(m);
    m = NULL;
  }
  return m;
}

const char *cache_map_data(const KithCacheMap *map) {
  return map->data;
}

void kith_cache_map_free(KithCacheMap *map) {
  if (!map)
    return;
  cache_unmap(map);
  free(map);
}

static bool cache_str_is(const msgpack_object *o, const char *s) {
  size_t n = strlen(s);
  return o->type == MSGPACK_OBJECT_STR && o->via.str.size == n && memcmp(o->via.str.ptr, s, n) == 0;
}

// Checksums the payload's whole blocks up to `upto` and gives back what is behind.
static void cache_read_sum(CacheChecksum *sum, size_t *summed, const char *payload, size_t upto,
                           KithCacheMap *m, size_t base) {
  size_t n = (upto - *summed) / CACHE_CHECKSUM_BLOCK * CACHE_CHECKSUM_BLOCK;
  cache_checksum_blocks(sum, (const unsigned char *)payload + *summed, n);
  *summed += n;
  cache_map_done(m, base + *summed);
}

long kith_cache_read(const char *file, const char *real_root, const KithVault *vault,
                     const KithSettings *settings, const KithCacheStat *stats, KithDay today,
                     KithNote *notes, bool *hit, const char **why, KithCacheMap **map) {
  KithCacheMap data;
  bool borrowed = false;
  *map = NULL;
  msgpack_unpacked head, one;
  msgpack_unpacked_init(&head);
  msgpack_unpacked_init(&one);
  long stale = -1;
  size_t at = 0, off = 0;
  *why = NULL;
  int err = cache_map(&data, file);
  if (err != 0) {
    if (err != -ENOENT)
      *why = "cannot be read";
    goto done;
  }
  *why = "is corrupt";
  if (msgpack_unpack_next(&head, data.data, data.len, &off) != MSGPACK_UNPACK_SUCCESS)
    goto done;
  const msgpack_object *h = &head.data;
  int64_t version, count;
  if (h->type != MSGPACK_OBJECT_ARRAY || h->via.array.size != CACHE_HEAD_FIELDS ||
      !cache_str_is(&h->via.array.ptr[0], CACHE_MAGIC))
    goto done;
  const msgpack_object *f = h->via.array.ptr;
  if (!cache_int(&f[1], 0, INT32_MAX, &version) || version != KITH_CACHE_VERSION) {
    *why = "is from another version";
    goto done;
  }
  if (!cache_int(&f[3], 0, INT64_MAX, &count) || f[4].type != MSGPACK_OBJECT_POSITIVE_INTEGER ||
      f[5].type != MSGPACK_OBJECT_POSITIVE_INTEGER || f[6].type != MSGPACK_OBJECT_BIN)
    goto done;
  // Other vault settings: a note whose parse depended on them is read again (one with front
  // matter, or one that was or now is in a contact folder); the others still hold.
  bool same_settings = f[5].via.u64 == settings->digest;
  const char *payload = f[6].via.bin.ptr;
  size_t plen = f[6].via.bin.size;
  if (!cache_str_is(&f[2], real_root)) {
    *why = "belongs to another vault";
    goto done;
  }
  *why = NULL;
  stale = 0;
  off = 0;
  // One pass: each note is decoded, then checksummed and given back; a checksum that does not
  // match at the end throws away all that was decoded.
  CacheChecksum sum;
  cache_checksum_init(&sum);
  size_t summed = 0;
  size_t base = (size_t)(payload - data.data);
  for (int64_t k = 0; k < count; k++) {
    cache_read_sum(&sum, &summed, payload, off, &data, base);
    msgpack_unpack_return rc = msgpack_unpack_next(&one, payload, plen, &off);
    const msgpack_object *n = &one.data;
    if ((rc != MSGPACK_UNPACK_SUCCESS && rc != MSGPACK_UNPACK_EXTRA_BYTES) ||
        n->type != MSGPACK_OBJECT_ARRAY || n->via.array.size != CACHE_NOTE_FIELDS ||
        n->via.array.ptr[0].type != MSGPACK_OBJECT_STR)
      goto corrupt;
    const msgpack_object *nf = n->via.array.ptr;
    // Both lists are sorted by path: advance the vault to this cached path.
    int cmp = -1;
    while (at < vault->count) {
      const char *path = vault->entries[at].path;
      size_t len = strlen(path), clen = nf[0].via.str.size;
      cmp = memcmp(path, nf[0].via.str.ptr, len < clen ? len : clen);
      if (cmp == 0)
        cmp = len < clen ? -1 : len > clen;
      if (cmp >= 0)
        break;
      at++;
    }
    int64_t size, mtime, bounded, lo, hi;
    if (!cache_int(&nf[1], 0, INT64_MAX, &size) ||
        !cache_int(&nf[2], INT64_MIN, INT64_MAX, &mtime) || !cache_int(&nf[3], 0, 1, &bounded) ||
        !cache_int(&nf[4], INT32_MIN, INT32_MAX, &lo) ||
        !cache_int(&nf[5], INT32_MIN, INT32_MAX, &hi))
      goto corrupt;
    int64_t flags;
    if (!cache_int(&nf[15], 0, 7, &flags))
      goto corrupt;
    bool settled =
        same_settings || (!(flags & CACHE_FRONT_MATTER) &&
                          !!(flags & CACHE_CONTACT_FOLDER) ==
                              kith_settings_below(&settings->folders, vault->entries[at].path));
    if (cmp != 0 || !stats[at].ok || stats[at].size != (uint64_t)size ||
        stats[at].mtime_ns != mtime || (bounded && (today < lo || today > hi)) || !settled) {
      stale++;
      continue;
    }
    if (cache_note_decode(nf, &notes[at]) != 0)
      goto corrupt;
    hit[at] = true;
    borrowed = true;
    at++;
  }
  if (off != plen || cache_checksum_finish(&sum, (const unsigned char *)payload + summed,
                                           plen - summed) != f[4].via.u64)
    goto corrupt;
  goto done;
corrupt:
  *why = "is corrupt";
  stale = -1;
  for (size_t i = 0; i < vault->count; i++) {
    kith_note_free(&notes[i]);
    hit[i] = false;
  }
done:
  msgpack_unpacked_destroy(&one);
  msgpack_unpacked_destroy(&head);
  if (stale >= 0 && borrowed && (*map = malloc(sizeof **map)) != NULL) {
    **map = data; // the notes' texts are in it
    return stale;
  }
  if (stale >= 0 && borrowed) { // out of memory: nothing from the cache
    for (size_t i = 0; i < vault->count; i++) {
      kith_note_free(&notes[i]);
      hit[i] = false;
    }
    stale = -1;
  }
  cache_unmap(&data);
  return stale;
}

// ---- the checksum (cache_private.h) ---------------------------------------------------------

// Little-endian 64-bit words, so the same on every host. Each step is a bijection of the state
// for a given word, so any change to one word shows. The word at p (compilers make it one load):
static uint64_t cache_word(const unsigned char *p) {
  uint64_t w = 0;
  for (int i = 7; i >= 0; i--)
    w = w << 8 | p[i];
  return w;
}

static uint64_t cache_mix(uint64_t h, uint64_t w) {
  h = (h ^ w) * 0x100000001b3u;
  return h ^ (h >> 29);
}

void cache_checksum_init(CacheChecksum *c) {
  uint64_t seed = 0x9e3779b97f4a7c15u;
  c->lane[0] = seed;
  c->lane[1] = seed ^ 0xc2b2ae3d27d4eb4fu;
  c->lane[2] = seed ^ 0x165667b19e3779f9u;
  c->lane[3] = seed ^ 0x27d4eb2f165667c5u;
  c->total = 0;
}

void cache_checksum_blocks(CacheChecksum *c, const unsigned char *p, size_t n) {
  uint64_t l0 = c->lane[0], l1 = c->lane[1], l2 = c->lane[2], l3 = c->lane[3];
  c->total += n;
  for (; n >= CACHE_CHECKSUM_BLOCK; p += CACHE_CHECKSUM_BLOCK, n -= CACHE_CHECKSUM_BLOCK) {
    l0 = cache_mix(l0, cache_word(p));
    l1 = cache_mix(l1, cache_word(p + 8));
    l2 = cache_mix(l2, cache_word(p + 16));
    l3 = cache_mix(l3, cache_word(p + 24));
  }
  c->lane[0] = l0, c->lane[1] = l1, c->lane[2] = l2, c->lane[3] = l3;
}

uint64_t cache_checksum_finish(CacheChecksum *c, const unsigned char *p, size_t n) {
  size_t blocks = n - n % CACHE_CHECKSUM_BLOCK;
  cache_checksum_blocks(c, p, blocks);
  p += blocks;
  n -= blocks;
  c->total += n;
  uint64_t h = cache_mix(cache_mix(cache_mix(c->lane[0], c->lane[1]), c->lane[2]), c->lane[3]);
  for (; n >= 8; p += 8, n -= 8)
    h = cache_mix(h, cache_word(p));
  for (; n > 0; p++, n--)
    h = (h ^ *p) * 0x100000001b3u;
  h = cache_mix(h, c->total);
  return h ^ (h >> 32);
}

uint64_t cache_checksum(const unsigned char *p, size_t n) {
  CacheChecksum c;
  cache_checksum_init(&c);
  return cache_checksum_finish(&c, p, n);
}
