// Files changed on disk (SPEC §5 v2: buffers follow their files; notes in folders created after
// start-up are read): a watcher per directory of each vault (libuv has no recursive watch on
// Linux), and the changed files read and parsed on the thread pool, for the index to take on
// the loop.

#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "base/log.h"
#include "host/host.h"

// The files changed on disk since the last rescan, read and parsed on the thread pool (a large
// note must not stop the loop); the index takes them on the loop.
typedef struct {
  uv_work_t work;
  ServerVault *vault;
  KithParser *parser; // one of the server's spares while the job runs
  char **rels;        // owned
  size_t count;
  KithDay today;         // for the parse context
  KithSettings settings; // the vault's, copied (it may read new ones meanwhile)
  KithNote *notes;       // one per path (owned until the index takes it)
  bool *present;         // the path is a file (else it left the vault)
} ServerRescan;

static void watch_rescan_work(uv_work_t *req) {
  ServerRescan *job = req->data;
  KithBuf text = KITH_BUF_INIT; // reused for every changed file
  for (size_t i = 0; i < job->count; i++) {
    KithBuf path = KITH_BUF_INIT;
    kith_buf_printf(&path, "%s/%s", job->vault->root, job->rels[i]);
    struct stat st;
    if (path.data && stat(path.data, &st) == 0 && S_ISREG(st.st_mode)) {
      KithParseContext context = {job->rels[i], job->today, &job->settings};
      kith_index_parse_file(job->parser, &context, &text, path.data, &job->notes[i]);
      job->present[i] = true;
    }
    kith_buf_free(&path);
  }
  kith_buf_free(&text);
}

static void watch_on_rescan(uv_timer_t *timer);

static void watch_rescan_done(uv_work_t *req, int status) {
  ServerRescan *job = req->data;
  ServerVault *v = job->vault;
  Server *s = v->server;
  host_parser_give(s, job->parser);
  for (size_t i = 0; i < job->count; i++) {
    const char *rel = job->rels[i];
    if (status != 0 || s->closing) {
      kith_note_free(&job->notes[i]);
    } else if (job->present[i]) {
      if (kith_index_put(&v->index, rel, &job->notes[i]) != 0)
        kith_note_free(&job->notes[i]);
    } else {
      kith_index_remove(&v->index, rel);
    }
    bool open = false;
    for (size_t k = 0; k < s->buffer_count; k++)
      open |= s->buffers[k]->vault == v && strcmp(s->buffers[k]->rel, rel) == 0;
    if (status == 0 && !s->closing)
      kith_log("vault %s: %s changed on disk%s", v->root, rel, open ? " (open in a buffer)" : "");
    free(job->rels[i]);
  }
  free(job->rels);
  free(job->notes);
  free(job->present);
  kith_settings_free(&job->settings);
  free(job);
  v->rescanning = false;
  if (s->closing)
    return;
  host_vault_update(v, false, NULL);
  if (v->changed_count > 0 || v->settings_changed)
    uv_timer_start(&v->rescan, watch_on_rescan, 0, 0); // changed again meanwhile
}

static void watch_on_rescan(uv_timer_t *timer) {
  ServerVault *v = timer->data;
  Server *s = v->server;
  if (v->settings_changed && !v->rescanning) {
    v->settings_changed = false;
    host_vault_reload(v); // reads every changed note again too
  }
  if (v->rescanning || v->changed_count == 0)
    return; // when the running rescan is done, it looks again
  ServerRescan *job = calloc(1, sizeof *job);
  if (!job)
    return;
  job->vault = v;
  job->work.data = job;
  job->today = s->options.today;
  job->count = v->changed_count;
  job->rels = v->changed;
  job->notes = calloc(job->count, sizeof *job->notes);
  job->present = calloc(job->count, sizeof *job->present);
  job->parser = host_parser_take(s);
  if (!job->notes || !job->present || !job->parser ||
      kith_settings_copy(&job->settings, &v->settings) != 0) {
    free(job->notes);
    free(job->present);
    if (job->parser)
      host_parser_give(s, job->parser);
    free(job);
    uv_timer_start(&v->rescan, watch_on_rescan, 1000, 0); // try again
    return;
  }
  for (size_t i = 0; i < job->count; i++)
    kith_note_init(&job->notes[i]);
  v->changed = NULL; // the job has the list now
  v->changed_count = v->changed_cap = 0;
  if (uv_queue_work(s->loop, &job->work, watch_rescan_work, watch_rescan_done) != 0) {
    v->changed = job->rels; // keep the list and try again
    v->changed_count = v->changed_cap = job->count;
    host_parser_give(s, job->parser);
    kith_settings_free(&job->settings);
    free(job->notes);
    free(job->present);
    free(job);
    uv_timer_start(&v->rescan, watch_on_rescan, 1000, 0);
    return;
  }
  v->rescanning = true;
  if (s->verbose)
    kith_log("vault %s: reading %zu changed files on the thread pool", v->root, job->count);
}

typedef struct {
  ServerVault *vault;
  char *rel; // directory relative to the root ("" for the root)
} ServerWatch;

static void watch_dir(ServerVault *v, const char *rel);
static void watch_tree(ServerVault *v, const char *rel, bool new_dir);

// Queues `rel` (a note's path relative to the root; borrowed) for the next rescan.
static void watch_changed(ServerVault *v, const char *rel) {
  for (size_t i = 0; i < v->changed_count; i++) {
    if (strcmp(v->changed[i], rel) == 0)
      goto schedule;
  }
  if (v->changed_count == v->changed_cap) {
    size_t cap = v->changed_cap ? v->changed_cap * 2 : 16;
    char **grown = realloc(v->changed, cap * sizeof *grown);
    if (!grown)
      return;
    v->changed = grown;
    v->changed_cap = cap;
  }
  char *copy = strdup(rel);
  if (!copy)
    return;
  v->changed[v->changed_count++] = copy;
schedule:
  uv_timer_start(&v->rescan, watch_on_rescan, 100, 0);
}

// The vault's settings files changed (`.kith`, Obsidian's): read them again soon.
static void watch_settings_changed(ServerVault *v) {
  v->settings_changed = true;
  uv_timer_start(&v->rescan, watch_on_rescan, 100, 0);
}

static void watch_on_fs_event(uv_fs_event_t *handle, const char *filename, int events, int status) {
  (void)events;
  ServerWatch *w = handle->data;
  ServerVault *v = w->vault;
  if (status < 0 || !filename)
    return;
  if (strcmp(w->rel, ".obsidian") == 0) {
    if (strcmp(filename, "templates.json") == 0 || strcmp(filename, "app.json") == 0)
      watch_settings_changed(v);
    return;
  }
  if (!*w->rel && strcmp(filename, KITH_SETTINGS_FILE) == 0) {
    watch_settings_changed(v);
    return;
  }
  if (!*w->rel && strcmp(filename, ".obsidian") == 0) {
    watch_dir(v, ".obsidian"); // made after start-up
    watch_settings_changed(v);
    return;
  }
  if (filename[0] == '.' || strcmp(filename, "node_modules") == 0)
    return;
  KithBuf rel = KITH_BUF_INIT;
  if (*w->rel)
    kith_buf_printf(&rel, "%s/", w->rel);
  kith_buf_puts(&rel, filename);
  if (!rel.data)
    return;
  if (kith_settings_ignored(&v->settings, rel.data)) {
    // a folder the settings leave out
  } else if (kith_vault_is_note_name(filename)) {
    watch_changed(v, rel.data);
  } else {
    // A directory created (or moved in) after start-up: watch it and read its notes.
    KithBuf abs = KITH_BUF_INIT;
    kith_buf_printf(&abs, "%s/%s", v->root, rel.data);
    struct stat st;
    if (abs.data && lstat(abs.data, &st) == 0 && S_ISDIR(st.st_mode))
      watch_tree(v, rel.data, true);
    kith_buf_free(&abs);
  }
  kith_buf_free(&rel);
}

static void watch_dir(ServerVault *v, const char *rel) {
  for (size_t i = 0; i < v->watcher_count; i++) {
    if (strcmp(((ServerWatch *)v->watchers[i]->data)->rel, rel) == 0)
      return;
  }
  uv_fs_event_t **grown = realloc(v->watchers, (v->watcher_count + 1) * sizeof *grown);
  if (!grown)
    return;
  v->watchers = grown;
  uv_fs_event_t *h = calloc(1, sizeof *h);
  ServerWatch *w = calloc(1, sizeof *w);
  KithBuf path = KITH_BUF_INIT;
  kith_buf_puts(&path, v->root);
  if (*rel)
    kith_buf_printf(&path, "/%s", rel);
  if (!h || !w || !path.data || !(w->rel = strdup(rel))) {
    free(h);
    free(w);
    kith_buf_free(&path);
    return;
  }
  w->vault = v;
  uv_fs_event_init(v->server->loop, h);
  h->data = w;
  if (uv_fs_event_start(h, watch_on_fs_event, path.data, 0) != 0)
    kith_log("vault %s: cannot watch %s", v->root, path.data);
  v->watchers[v->watcher_count++] = h;
  kith_buf_free(&path);
}

// Watches directory `rel` (relative to the root, "" for the root) and every directory below
// it, by the vault's walk rules (no hidden directories, no node_modules, no directory
// symlinks): libuv has no recursive watch on Linux. For a directory that is `new_dir`
// (created after the index was built), its notes are queued for the next rescan too.
static void watch_tree(ServerVault *v, const char *rel, bool new_dir) {
  watch_dir(v, rel);
  KithBuf abs = KITH_BUF_INIT;
  kith_buf_puts(&abs, v->root);
  if (*rel)
    kith_buf_printf(&abs, "/%s", rel);
  uv_fs_t req;
  if (!abs.data || uv_fs_scandir(NULL, &req, abs.data, 0, NULL) < 0) {
    kith_buf_free(&abs);
    return;
  }
  uv_dirent_t ent;
  KithBuf child = KITH_BUF_INIT;
  while (uv_fs_scandir_next(&req, &ent) != UV_EOF) {
    if (ent.name[0] == '.' || strcmp(ent.name, "node_modules") == 0)
      continue;
    child.len = 0;
    if (*rel)
      kith_buf_printf(&child, "%s/", rel);
    kith_buf_puts(&child, ent.name);
    if (!child.data)
      break;
    if (kith_settings_ignored(&v->settings, child.data))
      continue;
    if (ent.type == UV_DIRENT_DIR)
      watch_tree(v, child.data, new_dir);
    else if (new_dir && kith_vault_is_note_name(ent.name))
      watch_changed(v, child.data);
  }
  kith_buf_free(&child);
  uv_fs_req_cleanup(&req);
  kith_buf_free(&abs);
}

void host_watch(ServerVault *v) {
  watch_tree(v, "", false);
  KithBuf obsidian = KITH_BUF_INIT;
  struct stat st;
  if (kith_buf_printf(&obsidian, "%s/.obsidian", v->root) == 0 && stat(obsidian.data, &st) == 0 &&
      S_ISDIR(st.st_mode))
    watch_dir(v, ".obsidian"); // its templates.json and app.json are settings too
  kith_buf_free(&obsidian);
}

void host_watch_init(ServerVault *v) {
  uv_timer_init(v->server->loop, &v->rescan);
  v->rescan.data = v;
}

void host_watch_close(ServerVault *v) {
  for (size_t k = 0; k < v->watcher_count; k++) {
    ServerWatch *w = v->watchers[k]->data;
    free(w->rel);
    free(w);
    uv_close((uv_handle_t *)v->watchers[k], (uv_close_cb)free);
  }
  uv_close((uv_handle_t *)&v->rescan, NULL);
}
