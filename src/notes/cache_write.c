// Writing the cache (notes/cache.h): the notes packed straight into a temporary file through a
// small buffer, never the whole file in memory; the head, whose size does not depend on what
// it says (cache_private.h), written last at the file's start; then the file renamed over the
// cache.

#include <errno.h>
#include <msgpack.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "base/buf.h"
#include "notes/cache.h"
#include "notes/cache_private.h"

static void cache_pack_item(msgpack_packer *pk, const KithInteraction *it) {
  msgpack_pack_uint32(pk, it->handle);
  msgpack_pack_int32(pk, it->day);
  msgpack_pack_uint32(pk, it->dated ? 1 : 0);
  msgpack_pack_uint32(pk, it->line);
  msgpack_pack_uint32(pk, it->column);
  msgpack_pack_uint32(pk, it->end_line);
  msgpack_pack_int32(pk, it->section);
  msgpack_pack_uint32(pk, it->gave);
  msgpack_pack_uint32(pk, it->got);
  msgpack_pack_uint32(pk, it->met);
  msgpack_pack_uint32(pk, it->text);
  msgpack_pack_uint32(pk, it->intro ? 1 : 0);
}

static void cache_pack_note(msgpack_packer *pk, const char *path, const KithCacheStat *stat,
                            const KithNote *note) {
  size_t path_len = strlen(path);
  msgpack_pack_array(pk, CACHE_NOTE_FIELDS);
  msgpack_pack_str(pk, path_len);
  msgpack_pack_str_body(pk, path, path_len);
  msgpack_pack_uint64(pk, stat->size);
  msgpack_pack_int64(pk, stat->mtime_ns);
  msgpack_pack_uint32(pk, note->today_bounded ? 1 : 0);
  msgpack_pack_int32(pk, note->today_min);
  msgpack_pack_int32(pk, note->today_max);
  size_t slen = note->strings.data ? note->strings.len : 0;
  msgpack_pack_bin(pk, slen);
  msgpack_pack_bin_body(pk, note->strings.data, slen);
  msgpack_pack_uint32(pk, note->stem);
  msgpack_pack_array(pk, note->heading_count * CACHE_HEADING_FIELDS);
  for (uint32_t i = 0; i < note->heading_count; i++) {
    const KithHeading *h = &note->headings[i];
    msgpack_pack_uint32(pk, h->handle);
    msgpack_pack_uint32(pk, h->name);
    msgpack_pack_uint32(pk, h->line);
    msgpack_pack_uint32(pk, h->end_line);
    msgpack_pack_uint32(pk, h->level);
    msgpack_pack_uint32(pk, h->cadence_days);
    msgpack_pack_int32(pk, h->birthday);
    msgpack_pack_uint32(pk, h->snoozed ? 1 : 0);
    msgpack_pack_int32(pk, h->snooze);
  }
  msgpack_pack_array(pk, note->interaction_count * CACHE_ITEM_FIELDS);
  for (uint32_t i = 0; i < note->interaction_count; i++)
    cache_pack_item(pk, &note->interactions[i]);
  msgpack_pack_array(pk, note->followup_count * CACHE_ITEM_FIELDS);
  for (uint32_t i = 0; i < note->followup_count; i++)
    cache_pack_item(pk, &note->followups[i]);
  msgpack_pack_array(pk, note->linked_count * CACHE_LINKED_FIELDS);
  for (uint32_t i = 0; i < note->linked_count; i++) {
    const KithLinked *l = &note->linked[i];
    cache_pack_item(pk, &l->item);
    msgpack_pack_uint32(pk, l->planned ? 1 : 0);
    msgpack_pack_uint32(pk, l->ask ? 1 : 0);
    msgpack_pack_uint32(pk, l->refs);
    msgpack_pack_uint32(pk, l->run);
    msgpack_pack_uint32(pk, l->people);
    msgpack_pack_uint32(pk, l->fallback);
  }
  msgpack_pack_array(pk, note->ref_count * CACHE_REF_FIELDS);
  for (uint32_t i = 0; i < note->ref_count; i++) {
    const KithRef *r = &note->refs[i];
    msgpack_pack_uint32(pk, r->key);
    msgpack_pack_uint32(pk, r->link);
    msgpack_pack_uint32(pk, r->line);
    msgpack_pack_uint32(pk, r->column);
    msgpack_pack_uint32(pk, r->name);
    msgpack_pack_uint32(pk, r->derived);
  }
  msgpack_pack_array(pk, note->alias_count);
  for (uint32_t i = 0; i < note->alias_count; i++)
    msgpack_pack_uint32(pk, note->aliases[i]);
  msgpack_pack_array(pk, note->diagnostic_count * CACHE_DIAGNOSTIC_FIELDS);
  for (uint32_t i = 0; i < note->diagnostic_count; i++) {
    const KithDiagnostic *d = &note->diagnostics[i];
    msgpack_pack_uint32(pk, d->line);
    msgpack_pack_uint32(pk, d->column);
    msgpack_pack_uint32(pk, (uint32_t)d->severity);
    msgpack_pack_uint32(pk, d->message);
  }
  msgpack_pack_uint32(pk, (note->front_matter ? CACHE_FRONT_MATTER : 0) |
                              (note->in_contact_folder ? CACHE_CONTACT_FOLDER : 0) |
                              (note->meeting ? CACHE_MEETING : 0));
  msgpack_pack_array(pk, note->ask_count * CACHE_ITEM_FIELDS);
  for (uint32_t i = 0; i < note->ask_count; i++)
    cache_pack_item(pk, &note->asks[i]);
  // The texts (field 17) are packed by the caller, which notes where they land.
}

// The payload on its way to the file: packed into `buf`, written out (and checksummed) a whole
// buffer at a time.
#define CACHE_STREAM_BUF (64 * 1024) // a multiple of CACHE_CHECKSUM_BLOCK
typedef struct {
  int fd;
  int err; // the first write error (a negative errno), then nothing more is written
  size_t len;
  uint64_t size; // payload bytes so far
  CacheChecksum sum;
  unsigned char buf[CACHE_STREAM_BUF];
} CacheStream;

// Writes all `len` bytes of `data` to `fd`. Returns 0 or a negative errno.
static int cache_write_all(int fd, const void *data, size_t len) {
  const char *p = data;
  while (len > 0) {
    ssize_t n = write(fd, p, len);
    if (n < 0 && errno == EINTR)
      continue;
    if (n <= 0)
      return n < 0 ? -errno : -EIO;
    p += n;
    len -= (size_t)n;
  }
  return 0;
}

static void cache_stream_flush(CacheStream *s) {
  if (s->err == 0)
    s->err = cache_write_all(s->fd, s->buf, s->len);
  s->len = 0;
}

// msgpack-c's write callback.
static int cache_stream_write(void *data, const char *bytes, size_t n) {
  CacheStream *s = data;
  s->size += n;
  while (n > 0) {
    size_t room = sizeof s->buf - s->len, take = n < room ? n : room;
    memcpy(s->buf + s->len, bytes, take);
    s->len += take;
    bytes += take;
    n -= take;
    if (s->len == sizeof s->buf) {
      cache_checksum_blocks(&s->sum, s->buf, s->len);
      cache_stream_flush(s);
    }
  }
  return 0;
}

// Appends `v` to `out` as a msgpack uint 64 (9 bytes, whatever its value).
static int cache_put_u64(KithBuf *out, uint64_t v) {
  unsigned char b[9] = {0xcf};
  for (int i = 0; i < 8; i++)
    b[1 + i] = (unsigned char)(v >> (56 - 8 * i));
  return kith_buf_append(out, (const char *)b, sizeof b);
}

// msgpack-c's write callback into a KithBuf.
static int cache_buf_write(void *data, const char *bytes, size_t n) {
  return kith_buf_append(data, bytes, n);
}

// The head for `count` notes, `sum` and a payload of `size` bytes into `out`.
static int cache_head(KithBuf *out, const char *real_root, uint64_t count, uint64_t sum,
                      uint64_t digest, uint64_t size) {
  msgpack_packer pk;
  msgpack_packer_init(&pk, out, cache_buf_write);
  size_t root_len = strlen(real_root);
  msgpack_pack_array(&pk, CACHE_HEAD_FIELDS);
  msgpack_pack_str(&pk, sizeof CACHE_MAGIC - 1);
  msgpack_pack_str_body(&pk, CACHE_MAGIC, sizeof CACHE_MAGIC - 1);
  msgpack_pack_int(&pk, KITH_CACHE_VERSION);
  msgpack_pack_str(&pk, root_len);
  msgpack_pack_str_body(&pk, real_root, root_len);
  if (cache_put_u64(out, count) != 0 || cache_put_u64(out, sum) != 0 ||
      cache_put_u64(out, digest) != 0)
    return -1;
  unsigned char bin[5] = {0xc6, (unsigned char)(size >> 24), (unsigned char)(size >> 16),
                          (unsigned char)(size >> 8), (unsigned char)size};
  return kith_buf_append(out, (const char *)bin, sizeof bin);
}

// The notes written give their own texts up for the copies in the file (`map`): memory then
// holds the texts only where something reads them.
static void cache_write_rebind(const KithCacheMap *map, size_t head_len, const KithVault *vault,
                               const KithCacheStat *stats, KithNote *notes,
                               const size_t *texts_at) {
  const char *payload = cache_map_data(map) + head_len;
  for (size_t i = 0; i < vault->count; i++) {
    KithNote *note = &notes[i];
    if (!stats[i].ok)
      continue;
    size_t tlen = note->texts.data ? note->texts.len : note->texts_len;
    note->texts_view = tlen > 0 ? payload + texts_at[i] : NULL;
    note->texts_len = tlen;
    kith_buf_free(&note->texts);
  }
}

int kith_cache_write(const char *file, const char *real_root, const KithVault *vault,
                     const KithSettings *settings, const KithCacheStat *stats, KithNote *notes,
                     KithCacheMap **map) {
  KithBuf tmp = KITH_BUF_INIT, head = KITH_BUF_INIT;
  CacheStream *s = calloc(1, sizeof *s);
  size_t *texts_at = map ? calloc(vault->count ? vault->count : 1, sizeof *texts_at) : NULL;
  int fd = -1, rc = -ENOMEM;
  uint64_t count = 0;
  if (map)
    *map = NULL;
  if (map && !texts_at)
    goto done;
  // The head's size does not depend on its numbers: made once with zeros to know where the
  // payload starts.
  if (!s || cache_head(&head, real_root, 0, 0, 0, 0) != 0 ||
      kith_buf_printf(&tmp, "%s.XXXXXX", file) != 0)
    goto done;
  // A name of its own per writer: two processes never write the same temporary file, and
  // rename() replaces the cache at once, so a reader sees the old file or a whole new one.
  fd = mkstemp(tmp.data);
  if (fd < 0) {
    rc = -errno;
    goto done;
  }
  if (lseek(fd, (off_t)head.len, SEEK_SET) < 0) {
    rc = -errno;
    goto fail;
  }
  s->fd = fd;
  cache_checksum_init(&s->sum);
  msgpack_packer pk;
  msgpack_packer_init(&pk, s, cache_stream_write);
  for (size_t i = 0; i < vault->count && s->err == 0; i++) {
    if (!stats[i].ok)
      continue;
    const KithNote *note = &notes[i];
    cache_pack_note(&pk, vault->entries[i].path, &stats[i], note);
    const char *texts = note->texts.data ? note->texts.data : note->texts_view;
    size_t tlen = !texts ? 0 : note->texts.data ? note->texts.len : note->texts_len;
    msgpack_pack_bin(&pk, tlen);
    if (texts_at)
      texts_at[i] = s->size; // where the texts start in the payload
    msgpack_pack_bin_body(&pk, texts, tlen);
    count++;
  }
  uint64_t sum = cache_checksum_finish(&s->sum, s->buf, s->len);
  cache_stream_flush(s);
  rc = s->err;
  if (rc == 0 && s->size > UINT32_MAX)
    rc = -EFBIG;
  if (rc != 0)
    goto fail;
  head.len = 0;
  if (cache_head(&head, real_root, count, sum, settings->digest, s->size) != 0) {
    rc = -ENOMEM;
    goto fail;
  }
  if (lseek(fd, 0, SEEK_SET) < 0 || (rc = cache_write_all(fd, head.data, head.len)) != 0) {
    rc = rc ? rc : -errno;
    goto fail;
  }
  // Mapped before the rename: another writer's file may replace it at once, this stays ours.
  if (map)
    *map = cache_map_fd(fd, head.len + s->size);
  rc = close(fd) != 0 ? -errno : 0;
  fd = -1;
  if (rc == 0 && rename(tmp.data, file) != 0)
    rc = -errno;
  if (rc != 0) {
    unlink(tmp.data);
    kith_cache_map_free(map ? *map : NULL);
    if (map)
      *map = NULL;
  } else if (map && *map) {
    cache_write_rebind(*map, head.len, vault, stats, notes, texts_at);
  }
  goto done;
fail:
  close(fd);
  unlink(tmp.data);
done:
  kith_buf_free(&tmp);
  kith_buf_free(&head);
  free(texts_at);
  free(s);
  return rc;
}
