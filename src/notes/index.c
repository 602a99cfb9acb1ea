// realpath() is XSI.
#define _XOPEN_SOURCE 700

#include "notes/index.h"

#include <stdatomic.h>
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <uv.h>

#include "base/buf.h"
#include "base/log.h"
#include "notes/cache.h"
#include "notes/parser.h"

// A note is cached only when its file is older than this at the start of a load: a file
// changed again within its timestamp's granularity after being read would keep its size and
// modification time, and the cache would go stale unseen (git's "racy clean" problem).
#define INDEX_CACHE_SETTLED_NS 2000000000LL

// Shared by the workers of one load: they take files by an atomic counter, so each note is
// written by exactly one worker and results land in path order whatever the scheduling.
typedef struct {
  KithIndex *index;
  const bool *done; // entries already filled (from the cache), or NULL
  atomic_size_t next;
  atomic_int failed;
  char *error; // the first worker error (caller frees)
  uv_mutex_t lock;
} IndexJob;

typedef struct {
  uv_work_t req;
  IndexJob *job;
} IndexWorker;

// Reads and parses one file into `note` with `parser` and scratch buffer `text`.
static int index_parse_one(KithParser *parser, const KithParseContext *context, KithBuf *text,
                           const char *path, KithNote *note) {
  text->len = 0;
  int err = kith_buf_read_file(text, path);
  if (err != 0)
    return kith_note_cannot_read(note, strerror(-err));
  return kith_parser_parse_file_text(parser, context, text->data ? text->data : "", text->len,
                                     note);
}

static void index_work(uv_work_t *req) {
  IndexWorker *worker = req->data;
  IndexJob *job = worker->job;
  KithIndex *index = job->index;
  char *error = NULL;
  KithParser *parser = kith_parser_new(&error);
  KithBuf text = KITH_BUF_INIT;
  KithBuf path = KITH_BUF_INIT;
  if (!parser)
    goto fail;
  for (;;) {
    size_t i = atomic_fetch_add(&job->next, 1);
    if (i >= index->vault.count)
      break;
    const KithVaultEntry *entry = &index->vault.entries[i];
    KithNote *note = &index->notes[i];
    if (job->done && job->done[i])
      continue;
    if (entry->error) {
      kith_note_cannot_read(note, strerror(entry->error));
      continue;
    }
    path.len = 0;
    if (kith_buf_printf(&path, "%s/%s", index->vault.root, entry->path) != 0) {
      error = strdup("out of memory");
      goto fail;
    }
    KithParseContext context = {entry->path, index->today, &index->settings};
    if (index_parse_one(parser, &context, &text, path.data, note) != 0 &&
        note->diagnostic_count == 0) {
      error = strdup("out of memory");
      goto fail;
    }
  }
  goto done;
fail:
  atomic_store(&job->failed, 1);
  uv_mutex_lock(&job->lock);
  if (!job->error) {
    job->error = error;
    error = NULL;
  }
  uv_mutex_unlock(&job->lock);
done:
  free(error);
  kith_buf_free(&text);
  kith_buf_free(&path);
  kith_parser_free(parser);
}

static void index_after_work(uv_work_t *req, int status) {
  (void)req;
  (void)status;
}

// The cache of one load: where it lives, what each file looked like, which notes it gave.
typedef struct {
  char *real_root, *file;
  KithCacheStat *stats;
  bool *hit;
  long stale; // cached notes not used, or -1 when there was no usable cache
} IndexCache;

static void index_cache_free(IndexCache *c) {
  free(c->real_root);
  free(c->file);
  free(c->stats);
  free(c->hit);
  memset(c, 0, sizeof *c);
}

// Stats every entry and takes what the cache has of them. Returns 0, or -1 when the cache
// cannot be used at all (no cache directory, out of memory): then the load parses everything.
static int index_cache_read(KithIndex *index, IndexCache *c) {
  const KithVault *v = &index->vault;
  if (!(c->real_root = realpath(v->root, NULL)) || !(c->file = kith_cache_file(c->real_root)))
    return -1;
  c->stats = calloc(v->count ? v->count : 1, sizeof *c->stats);
  c->hit = calloc(v->count ? v->count : 1, sizeof *c->hit);
  if (!c->stats || !c->hit)
    return -1;
  struct timespec now;
  clock_gettime(CLOCK_REALTIME, &now);
  int64_t settled = (int64_t)now.tv_sec * 1000000000 + now.tv_nsec - INDEX_CACHE_SETTLED_NS;
  KithBuf path = KITH_BUF_INIT;
  for (size_t i = 0; i < v->count; i++) {
    struct stat st;
    path.len = 0;
    if (v->entries[i].error || kith_buf_printf(&path, "%s/%s", v->root, v->entries[i].path) != 0 ||
        stat(path.data, &st) != 0 || !S_ISREG(st.st_mode))
      continue;
    int64_t mtime = (int64_t)st.st_mtim.tv_sec * 1000000000 + st.st_mtim.tv_nsec;
    c->stats[i] = (KithCacheStat){(uint64_t)st.st_size, mtime, mtime <= settled};
  }
  kith_buf_free(&path);
  const char *why = NULL;
  c->stale = kith_cache_read(c->file, c->real_root, v, &index->settings, c->stats, index->today,
                             index->notes, c->hit, &why, &index->cache_map);
  if (why)
    kith_log("the cache %s %s; rebuilding it", c->file, why);
  return 0;
}

// Writes the cache back when the load changed anything in it.
static void index_cache_write(KithIndex *index, IndexCache *c) {
  bool dirty = c->stale != 0;
  for (size_t i = 0; i < index->vault.count; i++) {
    if (index->notes[i].unreadable)
      c->stats[i].ok = false; // read again next time
    if (c->stats[i].ok && !c->hit[i])
      dirty = true;
  }
  if (!dirty)
    return;
  // The notes then borrow their texts from the file written (notes/cache.h), no longer from
  // the one read, which nothing borrows from any more.
  KithCacheMap *map = NULL;
  if (kith_cache_write(c->file, c->real_root, &index->vault, &index->settings, c->stats,
                       index->notes, &map) == 0 &&
      map) {
    kith_cache_map_free(index->cache_map);
    index->cache_map = map;
  }
}

static int index_load(KithIndex *index, const char *root, KithDay today, int threads, bool cached,
                      char **error) {
  memset(index, 0, sizeof *index);
  index->today = today;
  if (kith_settings_read(&index->settings, root) != 0) {
    if (error)
      *error = strdup("out of memory");
    return -1;
  }
  if (kith_vault_open(&index->vault, root, &index->settings, error) != 0) {
    kith_settings_free(&index->settings);
    return -1;
  }
  IndexJob job = {.index = index};
  atomic_init(&job.next, 0);
  atomic_init(&job.failed, 0);
  IndexWorker *workers = NULL;
  uv_loop_t loop;
  bool loop_ready = false;
  IndexCache cache = {0};
  if (uv_mutex_init(&job.lock) != 0)
    goto fail_oom;
  index->notes = calloc(index->vault.cap ? index->vault.cap : 1, sizeof *index->notes);
  if (!index->notes)
    goto fail_oom;
  if (cached && index_cache_read(index, &cache) != 0)
    index_cache_free(&cache);
  job.done = cache.hit;
  for (size_t i = 0; cache.hit && i < index->vault.count; i++)
    index->cached += cache.hit[i];
  size_t todo = index->vault.count - index->cached;
  if (threads <= 0)
    threads = (int)uv_available_parallelism();
  if ((size_t)threads > todo)
    threads = todo ? (int)todo : 0;
  workers = calloc((size_t)threads + 1, sizeof *workers);
  if (!workers || uv_loop_init(&loop) != 0)
    goto fail_oom;
  loop_ready = true;
  for (int i = 0; i < threads; i++) {
    workers[i].job = &job;
    workers[i].req.data = &workers[i];
    if (uv_queue_work(&loop, &workers[i].req, index_work, index_after_work) != 0)
      goto fail_oom;
  }
  uv_run(&loop, UV_RUN_DEFAULT);
  uv_loop_close(&loop);
  free(workers);
  uv_mutex_destroy(&job.lock);
  if (atomic_load(&job.failed)) {
    if (error)
      *error = job.error ? job.error : strdup("cannot parse the vault");
    else
      free(job.error);
    index_cache_free(&cache);
    kith_index_free(index);
    return -1;
  }
  if (cache.file)
    index_cache_write(index, &cache);
  index_cache_free(&cache);
  return 0;

fail_oom:
  if (loop_ready) {
    uv_run(&loop, UV_RUN_DEFAULT);
    uv_loop_close(&loop);
  }
  free(workers);
  free(job.error);
  index_cache_free(&cache);
  kith_index_free(index);
  if (error)
    *error = strdup("out of memory");
  return -1;
}

int kith_index_load(KithIndex *index, const char *root, KithDay today, int threads, char **error) {
  return index_load(index, root, today, threads, false, error);
}

int kith_index_load_cached(KithIndex *index, const char *root, KithDay today, int threads,
                           char **error) {
  return index_load(index, root, today, threads, true, error);
}

void kith_index_free(KithIndex *index) {
  if (index->notes) {
    for (size_t i = 0; i < index->vault.count; i++)
      kith_note_free(&index->notes[i]);
  }
  free(index->notes);
  kith_cache_map_free(index->cache_map); // after the notes: they borrow from it
  kith_vault_free(&index->vault);
  kith_settings_free(&index->settings);
  memset(index, 0, sizeof *index);
}

int kith_index_parse_file(KithParser *parser, const KithParseContext *context, KithBuf *text,
                          const char *path, KithNote *note) {
  return index_parse_one(parser, context, text, path, note);
}

long kith_index_find(const KithIndex *index, const char *path, size_t *insert_at) {
  size_t lo = 0, hi = index->vault.count;
  while (lo < hi) {
    size_t mid = lo + (hi - lo) / 2;
    int cmp = strcmp(index->vault.entries[mid].path, path);
    if (cmp == 0)
      return (long)mid;
    if (cmp < 0)
      lo = mid + 1;
    else
      hi = mid;
  }
  if (insert_at)
    *insert_at = lo;
  return -1;
}

int kith_index_put(KithIndex *index, const char *path, KithNote *note) {
  size_t at = 0;
  long found = kith_index_find(index, path, &at);
  if (found >= 0) {
    kith_note_free(&index->notes[found]);
    index->notes[found] = *note;
    index->vault.entries[found].error = 0;
    kith_note_init(note);
    return 0;
  }
  KithVault *v = &index->vault;
  if (v->count == v->cap) {
    size_t cap = v->cap ? v->cap * 2 : 64;
    KithVaultEntry *entries = realloc(v->entries, cap * sizeof *entries);
    if (!entries)
      return -1;
    v->entries = entries;
    KithNote *notes = realloc(index->notes, cap * sizeof *notes);
    if (!notes)
      return -1;
    index->notes = notes;
    v->cap = cap;
  }
  char *copy = strdup(path);
  if (!copy)
    return -1;
  memmove(&v->entries[at + 1], &v->entries[at], (v->count - at) * sizeof *v->entries);
  memmove(&index->notes[at + 1], &index->notes[at], (v->count - at) * sizeof *index->notes);
  v->entries[at] = (KithVaultEntry){copy, 0};
  index->notes[at] = *note;
  kith_note_init(note);
  v->count++;
  return 0;
}

void kith_index_remove(KithIndex *index, const char *path) {
  long found = kith_index_find(index, path, NULL);
  if (found < 0)
    return;
  KithVault *v = &index->vault;
  size_t at = (size_t)found;
  free(v->entries[at].path);
  kith_note_free(&index->notes[at]);
  memmove(&v->entries[at], &v->entries[at + 1], (v->count - at - 1) * sizeof *v->entries);
  memmove(&index->notes[at], &index->notes[at + 1], (v->count - at - 1) * sizeof *index->notes);
  v->count--;
}
