#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "base/log.h"
#include "host/host.h"

// The vaults the editor has notes open in: their index (built on the thread pool), the
// watchers that keep it current, and the ledger with the attached buffers' text in place.

// --- the ledger over disk + buffers --------------------------------------------------------

static int workspace_cmp_pair(const void *a, const void *b);

typedef struct {
  const char *path;
  const KithNote *note;
} ServerPair;

static int workspace_cmp_pair(const void *a, const void *b) {
  return strcmp(((const ServerPair *)a)->path, ((const ServerPair *)b)->path);
}

// The notes of `v` in path order, each attached buffer's note in place of its file's.
int host_vault_set(ServerVault *v, ServerSet *set, const ServerBuffer *overlay) {
  Server *s = v->server;
  size_t n = v->index.vault.count;
  size_t cap = n + s->buffer_count + 1;
  ServerPair *pairs = calloc(cap, sizeof *pairs);
  if (!pairs)
    return -1;
  for (size_t i = 0; i < n; i++)
    pairs[i] = (ServerPair){v->index.vault.entries[i].path, &v->index.notes[i]};
  bool extra = false;
  for (size_t i = 0; i < s->buffer_count; i++) {
    ServerBuffer *b = s->buffers[i];
    if (b->vault != v || !b->parsed)
      continue;
    long at = kith_index_find(&v->index, b->rel, NULL);
    if (at >= 0) {
      pairs[at].note = &b->note;
    } else {
      pairs[n++] = (ServerPair){b->rel, &b->note};
      extra = true;
    }
  }
  if (extra)
    qsort(pairs, n, sizeof *pairs, workspace_cmp_pair);
  set->paths = calloc(n + 1, sizeof *set->paths);
  set->notes = calloc(n + 1, sizeof *set->notes);
  if (!set->paths || !set->notes) {
    free(pairs);
    free(set->paths);
    free(set->notes);
    return -1;
  }
  set->overlay = SIZE_MAX;
  for (size_t i = 0; i < n; i++) {
    set->paths[i] = pairs[i].path;
    set->notes[i] = pairs[i].note;
    if (overlay && pairs[i].note == &overlay->note)
      set->overlay = i;
  }
  set->count = n;
  free(pairs);
  return 0;
}

void host_set_free(ServerSet *set) {
  free(set->paths);
  free(set->notes);
  memset(set, 0, sizeof *set);
}

static int workspace_cmp_path(const void *key, const void *item) {
  return strcmp(key, *(const char *const *)item);
}

int host_vault_ledger(ServerVault *v, ServerBuffer *overlay) {
  ServerSet set = {0};
  Server *s = v->server;
  v->overlay = overlay;
  kith_resolution_free(&v->overlay_links);
  if (host_vault_set(v, &set, overlay) != 0)
    return -1;
  if (v->has_ledger)
    kith_ledger_free(&v->ledger);
  KithNoteSet notes = {set.paths, set.notes, set.count};
  v->has_ledger = kith_ledger_build(&v->ledger, &notes, set.overlay, &s->options) == 0;
  v->overlay_index = (uint32_t)set.overlay;
  v->overlay_names = overlay ? host_note_names(&overlay->note) : 0;
  // Where each buffer's note is in the set: the ledger's diagnostics go by that index.
  for (size_t i = 0; i < s->buffer_count; i++) {
    ServerBuffer *b = s->buffers[i];
    if (b->vault != v)
      continue;
    const char **at =
        b->parsed ? bsearch(b->rel, set.paths, set.count, sizeof *set.paths, workspace_cmp_path)
                  : NULL;
    b->ledger_index = at ? (uint32_t)(at - set.paths) : UINT32_MAX;
  }
  host_set_free(&set);
  return v->has_ledger ? 0 : -1;
}

uint64_t host_note_names(const KithNote *note) {
  uint64_t h = 1469598103934665603ull; // FNV-1a over the strings, each with its NUL
  const KithHeading *contact = kith_note_contact_note(note);
  for (uint32_t i = 0; i < note->heading_count + (contact ? 2 + note->alias_count : 0); i++) {
    const char *parts[2] = {"", ""};
    if (i < note->heading_count) {
      parts[0] = kith_note_str(note, note->headings[i].handle);
      parts[1] = kith_note_str(note, note->headings[i].name);
    } else if (i == note->heading_count) {
      parts[0] = kith_note_str(note, note->stem);
    } else if (i > note->heading_count + 1) {
      parts[0] = kith_note_str(note, note->aliases[i - note->heading_count - 2]);
    }
    for (int k = 0; k < 2; k++) {
      for (const char *p = parts[k];; p++) {
        h ^= (unsigned char)*p;
        h *= 1099511628211ull;
        if (!*p)
          break;
      }
    }
  }
  return h;
}

// The contact for `handle` over the whole vault: the ledger's, with the overlay buffer's note
// added when it mentions the handle (then computed into `*tmp`, which shares the base's arrays:
// only its numbers change). NULL when unknown. A cadence in the overlay counts only when the
// rest of the vault gives none.
const KithContact *host_contact(const ServerVault *v, const char *handle, KithContact *tmp) {
  const KithContact *base = kith_ledger_find(&v->ledger, handle);
  if (!v->overlay)
    return base;
  const KithNote *n = &v->overlay->note;
  const KithLedgerOptions *o = &v->ledger.options;
  bool touched = false;
  for (uint32_t i = 0; i < n->heading_count; i++) {
    const KithHeading *h = &n->headings[i];
    if (strcmp(kith_note_str(n, h->handle), handle) != 0)
      continue;
    if (!touched) {
      if (base)
        *tmp = *base;
      else
        memset(tmp, 0, sizeof *tmp); // declared only here
      touched = true;
    }
    if (tmp->cadence_days == 0)
      tmp->cadence_days = h->cadence_days;
  }
  const KithResolution *r = &v->overlay_links;
  uint32_t direct = n->interaction_count + n->followup_count;
  for (uint32_t i = 0; i < direct + r->party_count; i++) {
    bool planned;
    const KithInteraction *it;
    if (i < direct) {
      planned = i >= n->interaction_count;
      it = planned ? &n->followups[i - n->interaction_count] : &n->interactions[i];
      if (strcmp(kith_note_str(n, it->handle), handle) != 0)
        continue;
    } else {
      // An item with wiki links, resolved against the vault's names.
      const KithParty *p = &r->parties[i - direct];
      if (p->item >= n->linked_count || strcmp(kith_resolution_str(r, p->handle), handle) != 0)
        continue;
      planned = n->linked[p->item].planned;
      it = &n->linked[p->item].item;
    }
    if (!touched) {
      if (base)
        *tmp = *base;
      else
        memset(tmp, 0, sizeof *tmp);
      touched = true;
    }
    if (planned)
      kith_ledger_contact_add_followup(tmp, it, o);
    else
      kith_ledger_contact_add(tmp, UINT32_MAX, it, o);
  }
  if (!touched)
    return base;
  kith_ledger_contact_finish(tmp, o);
  return tmp;
}

// Brings the ledger of `v` up to date and re-annotates every buffer in it. `changed` is the
// one buffer whose text changed (NULL: anything may have changed).
void host_vault_update(ServerVault *v, bool force, ServerBuffer *changed) {
  if (!v->ready)
    return;
  uint64_t t0 = uv_hrtime();
  bool current = changed && v->has_ledger && v->overlay == changed &&
                 host_note_names(&changed->note) == v->overlay_names;
  if (!current && host_vault_ledger(v, changed) != 0) {
    kith_log("vault %s: out of memory computing the ledger", v->root);
    return;
  }
  if (v->overlay) {
    // Its wiki links, resolved against the names of the whole vault (its own included).
    kith_resolution_free(&v->overlay_links);
    if (kith_ledger_resolve(&v->ledger, v->overlay_index, v->overlay->rel, &v->overlay->note,
                            &v->overlay_links) != 0)
      kith_log("vault %s: out of memory resolving links", v->root);
  }
  Server *s = v->server;
  for (size_t i = 0; i < s->buffer_count; i++) {
    ServerBuffer *b = s->buffers[i];
    if (b->vault != v)
      continue;
    if (!host_buffer_current(b)) {
      // Its note is of an older text: annotated when the parse of the current one is done.
      b->force |= force;
      continue;
    }
    host_annotate(b, force || b->force);
    b->force = false;
  }
  host_people_counts(v);
  if (s->verbose) // per update (see reparse.c)
    kith_log("vault %s: ledger and annotations in %.2f ms", v->root, (uv_hrtime() - t0) / 1e6);
}

// --- vaults: index and watch -----------------------------------------------------------------

static void workspace_vault_work(uv_work_t *req) {
  ServerVault *v = req->data;
  KithDay today = v->loading.today; // set before the work was queued
  int rc = v->load_cached ? kith_index_load_cached(&v->loading, v->root, today, 0, &v->load_error)
                          : kith_index_load(&v->loading, v->root, today, 0, &v->load_error);
  if (rc != 0)
    memset(&v->loading, 0, sizeof v->loading);
}

static void workspace_watch(ServerVault *v);

static void workspace_vault_done(uv_work_t *req, int status) {
  ServerVault *v = req->data;
  Server *s = v->server;
  v->indexing = false;
  uv_timer_stop(&v->progress);
  if (status != 0 || v->load_error) {
    kith_log("vault %s: %s", v->root, v->load_error ? v->load_error : "index cancelled");
    char msg[512];
    snprintf(msg, sizeof msg, "kith: %s", v->load_error ? v->load_error : "cannot index");
    if (!s->closing)
      host_message(s, msg);
    free(v->load_error);
    v->load_error = NULL;
    return;
  }
  kith_index_free(&v->index);
  v->index = v->loading;
  memset(&v->loading, 0, sizeof v->loading);
  v->ready = true;
  if (s->closing)
    return;
  workspace_watch(v);
  host_vault_update(v, true, NULL);
  uint64_t took = host_now_ms(s) - v->load_started;
  kith_log("vault %s: %zu notes, %zu contacts in %llu ms (%zu notes from the cache)", v->root,
           v->index.vault.count, v->ledger.count, (unsigned long long)took, v->index.cached);
  if (v->progress_shown) {
    char msg[256];
    snprintf(msg, sizeof msg, "kith: %zu notes, %zu contacts", v->index.vault.count,
             v->ledger.count);
    host_message(s, msg);
  }
}

static void workspace_on_progress(uv_timer_t *timer) {
  ServerVault *v = timer->data;
  if (!v->indexing)
    return;
  v->progress_shown = true;
  host_message(v->server, "kith: indexing notes…");
}

ServerVault *host_vault(Server *s, const char *root) {
  for (size_t i = 0; i < s->vault_count; i++) {
    if (strcmp(s->vaults[i]->root, root) == 0)
      return s->vaults[i];
  }
  ServerVault **grown = realloc(s->vaults, (s->vault_count + 1) * sizeof *grown);
  if (!grown)
    return NULL;
  s->vaults = grown;
  ServerVault *v = calloc(1, sizeof *v);
  if (!v || !(v->root = strdup(root))) {
    free(v);
    return NULL;
  }
  v->server = s;
  if (kith_settings_read(&v->settings, root) != 0) {
    free(v->root);
    free(v);
    return NULL;
  }
  uv_timer_init(s->loop, &v->progress);
  uv_timer_init(s->loop, &v->rescan);
  v->progress.data = v->rescan.data = v;
  v->work.data = v;
  s->vaults[s->vault_count++] = v;
  v->indexing = true;
  v->load_started = host_now_ms(s);
  v->loading.today = s->options.today;
  v->load_cached = s->cache;
  uv_timer_start(&v->progress, workspace_on_progress, 1000, 0);
  if (uv_queue_work(s->loop, &v->work, workspace_vault_work, workspace_vault_done) != 0) {
    v->indexing = false;
    kith_log("vault %s: cannot queue the index", root);
  }
  return v;
}

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

static void workspace_rescan_work(uv_work_t *req) {
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

static void workspace_on_rescan(uv_timer_t *timer);

static void workspace_rescan_done(uv_work_t *req, int status) {
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
  if (v->changed_count > 0)
    uv_timer_start(&v->rescan, workspace_on_rescan, 0, 0); // changed again meanwhile
}

static void workspace_on_rescan(uv_timer_t *timer) {
  ServerVault *v = timer->data;
  Server *s = v->server;
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
    uv_timer_start(&v->rescan, workspace_on_rescan, 1000, 0); // try again
    return;
  }
  for (size_t i = 0; i < job->count; i++)
    kith_note_init(&job->notes[i]);
  v->changed = NULL; // the job has the list now
  v->changed_count = v->changed_cap = 0;
  if (uv_queue_work(s->loop, &job->work, workspace_rescan_work, workspace_rescan_done) != 0) {
    v->changed = job->rels; // keep the list and try again
    v->changed_count = v->changed_cap = job->count;
    host_parser_give(s, job->parser);
    kith_settings_free(&job->settings);
    free(job->notes);
    free(job->present);
    free(job);
    uv_timer_start(&v->rescan, workspace_on_rescan, 1000, 0);
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

static void workspace_watch_dir(ServerVault *v, const char *rel);
static void workspace_watch_tree(ServerVault *v, const char *rel, bool new_dir);

// Queues `rel` (a note's path relative to the root; borrowed) for the next rescan.
static void workspace_changed(ServerVault *v, const char *rel) {
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
  uv_timer_start(&v->rescan, workspace_on_rescan, 100, 0);
}

static void workspace_on_fs_event(uv_fs_event_t *handle, const char *filename, int events,
                                  int status) {
  (void)events;
  ServerWatch *w = handle->data;
  ServerVault *v = w->vault;
  if (status < 0 || !filename || filename[0] == '.' || strcmp(filename, "node_modules") == 0)
    return;
  KithBuf rel = KITH_BUF_INIT;
  if (*w->rel)
    kith_buf_printf(&rel, "%s/", w->rel);
  kith_buf_puts(&rel, filename);
  if (!rel.data)
    return;
  if (kith_vault_is_note_name(filename)) {
    workspace_changed(v, rel.data);
  } else {
    // A directory created (or moved in) after start-up: watch it and read its notes.
    KithBuf abs = KITH_BUF_INIT;
    kith_buf_printf(&abs, "%s/%s", v->root, rel.data);
    struct stat st;
    if (abs.data && lstat(abs.data, &st) == 0 && S_ISDIR(st.st_mode))
      workspace_watch_tree(v, rel.data, true);
    kith_buf_free(&abs);
  }
  kith_buf_free(&rel);
}

static void workspace_watch_dir(ServerVault *v, const char *rel) {
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
  if (uv_fs_event_start(h, workspace_on_fs_event, path.data, 0) != 0)
    kith_log("vault %s: cannot watch %s", v->root, path.data);
  v->watchers[v->watcher_count++] = h;
  kith_buf_free(&path);
}

// Watches directory `rel` (relative to the root, "" for the root) and every directory below
// it, by the vault's walk rules (no hidden directories, no node_modules, no directory
// symlinks): libuv has no recursive watch on Linux. For a directory that is `new_dir`
// (created after the index was built), its notes are queued for the next rescan too.
static void workspace_watch_tree(ServerVault *v, const char *rel, bool new_dir) {
  workspace_watch_dir(v, rel);
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
    if (ent.type == UV_DIRENT_DIR)
      workspace_watch_tree(v, child.data, new_dir);
    else if (new_dir && kith_vault_is_note_name(ent.name))
      workspace_changed(v, child.data);
  }
  kith_buf_free(&child);
  uv_fs_req_cleanup(&req);
  kith_buf_free(&abs);
}

// Watches every directory of the vault.
static void workspace_watch(ServerVault *v) {
  workspace_watch_tree(v, "", false);
}

void host_vault_close(ServerVault *v) {
  for (size_t k = 0; k < v->watcher_count; k++) {
    ServerWatch *w = v->watchers[k]->data;
    free(w->rel);
    free(w);
    uv_close((uv_handle_t *)v->watchers[k], (uv_close_cb)free);
  }
  uv_close((uv_handle_t *)&v->progress, NULL);
  uv_close((uv_handle_t *)&v->rescan, NULL);
}

const KithSettings *host_vault_settings(const ServerVault *v) {
  return v ? &v->settings : kith_settings_defaults();
}

void host_vault_free(ServerVault *v) {
  kith_settings_free(&v->settings);
  kith_index_free(&v->index);
  kith_index_free(&v->loading);
  if (v->has_ledger)
    kith_ledger_free(&v->ledger);
  kith_resolution_free(&v->overlay_links);
  for (size_t k = 0; k < v->changed_count; k++)
    free(v->changed[k]);
  free(v->changed);
  free(v->watchers);
  free(v->root);
  free(v);
}
