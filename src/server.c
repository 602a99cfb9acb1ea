#include "server.h"

#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <uv.h>

#include "alloc.h"
#include "grammar.h"
#include "index.h"
#include "ledger.h"
#include "log.h"
#include "mirror.h"
#include "parser.h"
#include "report.h"
#include "rpc.h"
#include "template.h"

#ifndef KITH_GRAMMAR_VERSION
#define KITH_GRAMMAR_VERSION "unknown"
#endif

typedef struct Server Server;

// A vault the editor has notes open in: its index of the files on disk, and the ledger over
// those with every attached buffer's text in place of its file.
typedef struct {
  Server *server;
  char *root;
  KithIndex index;
  bool ready, indexing;
  uv_work_t work;
  KithIndex loading;
  char *load_error;
  uint64_t load_started;
  uv_timer_t progress; // says "indexing" once when the index takes more than a second
  bool progress_shown;
  KithLedger ledger; // over every note but `overlay`'s (all notes when it is NULL)
  bool has_ledger;
  // The buffer being edited: the ledger is built without its note, and lookups add the note
  // on top, so an edit costs that one note instead of the whole vault.
  struct ServerBufferTag *overlay;
  uv_fs_event_t **watchers;
  size_t watcher_count;
  uv_timer_t rescan;
  char **changed; // relative paths changed on disk since the last rescan
  size_t changed_count, changed_cap;
} ServerVault;

typedef struct ServerBufferTag {
  Server *server;
  int64_t id;
  char *rel;
  ServerVault *vault;
  KithMirror mirror;
  KithNote note;
  bool parsed; // note holds the buffer's current text
  bool dirty;  // lines changed since the last parse
  bool force;  // send the annotations even if unchanged
  bool resyncing;
  int64_t tick;
  uv_timer_t timer;
  char *sent; // the payload Neovim last applied
} ServerBuffer;

struct Server {
  uv_loop_t *loop;
  uv_pipe_t in, out;
  KithRpc *rpc;
  KithParser *parser;
  ServerVault **vaults;
  size_t vault_count;
  ServerBuffer **buffers;
  size_t buffer_count;
  KithLedgerOptions options;
  bool ascii;
  int debounce_ms;
  bool closing;
  bool verbose; // $KITH_VERBOSE: log every event
};

static const char server_apply_lua[] = "return require('kith.view').apply(...)";
static const char server_message_lua[] = "return require('kith.view').message(...)";

static void server_vault_update(ServerVault *v, bool force, ServerBuffer *changed);
static int server_vault_fresh(ServerVault *v);

// --- small helpers -----------------------------------------------------------------------

static char *server_strndup(const char *s, size_t n) {
  char *copy = malloc(n + 1);
  if (copy) {
    memcpy(copy, s, n);
    copy[n] = '\0';
  }
  return copy;
}

static bool server_param_str(const msgpack_object *params, uint32_t i, char **out) {
  const char *s;
  size_t n;
  if (params->via.array.size <= i || !kith_rpc_str(&params->via.array.ptr[i], &s, &n))
    return false;
  *out = server_strndup(s, n);
  return *out != NULL;
}

static bool server_param_int(const msgpack_object *params, uint32_t i, int64_t *out) {
  return params->via.array.size > i && kith_rpc_int(&params->via.array.ptr[i], out);
}

static int server_fail(char **error, const char *message) {
  if (error)
    *error = strdup(message);
  return -1;
}

static uint64_t server_now_ms(const Server *s) {
  return uv_now(s->loop);
}

static ServerBuffer *server_buffer(const Server *s, int64_t id) {
  for (size_t i = 0; i < s->buffer_count; i++) {
    if (s->buffers[i]->id == id)
      return s->buffers[i];
  }
  return NULL;
}

// Sends a short message to the user (echoed, not kept in the message history).
static void server_message(Server *s, const char *text) {
  msgpack_packer *pk = kith_rpc_begin(s->rpc, "nvim_exec_lua", true, NULL, NULL);
  msgpack_pack_array(pk, 2);
  kith_rpc_pack_str(pk, server_message_lua);
  msgpack_pack_array(pk, 1);
  kith_rpc_pack_str(pk, text);
  kith_rpc_end(s->rpc);
}

// --- options -----------------------------------------------------------------------------

static void server_configure(Server *s, const msgpack_object *opts) {
  if (!opts || opts->type != MSGPACK_OBJECT_MAP)
    return;
  const msgpack_object *o;
  const char *str;
  size_t n;
  int64_t v;
  if ((o = kith_rpc_field(opts, "today")) && kith_rpc_str(o, &str, &n)) {
    KithDay day;
    if (kith_date_parse(str, n, &day) == 0)
      s->options.today = day;
  }
  if ((o = kith_rpc_field(opts, "dormant_days")) && kith_rpc_int(o, &v) && v >= 0)
    s->options.dormant_days = (int)v;
  if ((o = kith_rpc_field(opts, "accept_help_after")) && kith_rpc_int(o, &v) && v >= 0)
    s->options.accept_help_after = (int)v;
  if ((o = kith_rpc_field(opts, "debounce")) && kith_rpc_int(o, &v) && v >= 0 && v <= 10000)
    s->debounce_ms = (int)v;
  if ((o = kith_rpc_field(opts, "ascii")) && o->type == MSGPACK_OBJECT_BOOLEAN)
    s->ascii = o->via.boolean;
}

// --- the ledger over disk + buffers --------------------------------------------------------

typedef struct {
  const char **paths;
  const KithNote **notes;
  size_t count;
} ServerSet;

static int server_cmp_pair(const void *a, const void *b);

typedef struct {
  const char *path;
  const KithNote *note;
} ServerPair;

static int server_cmp_pair(const void *a, const void *b) {
  return strcmp(((const ServerPair *)a)->path, ((const ServerPair *)b)->path);
}

// The notes of `v` in path order, each attached buffer's note in place of its file's.
static int server_vault_set(ServerVault *v, ServerSet *set, const ServerBuffer *exclude) {
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
      pairs[at].note = b == exclude ? NULL : &b->note;
    } else if (b != exclude) {
      pairs[n++] = (ServerPair){b->rel, &b->note};
      extra = true;
    }
  }
  if (extra)
    qsort(pairs, n, sizeof *pairs, server_cmp_pair);
  set->paths = calloc(n + 1, sizeof *set->paths);
  set->notes = calloc(n + 1, sizeof *set->notes);
  if (!set->paths || !set->notes) {
    free(pairs);
    free(set->paths);
    free(set->notes);
    return -1;
  }
  for (size_t i = 0; i < n; i++) {
    set->paths[i] = pairs[i].path;
    set->notes[i] = pairs[i].note;
  }
  set->count = n;
  free(pairs);
  return 0;
}

static void server_set_free(ServerSet *set) {
  free(set->paths);
  free(set->notes);
  memset(set, 0, sizeof *set);
}

static int server_vault_ledger(ServerVault *v, ServerBuffer *exclude) {
  ServerSet set = {0};
  v->overlay = exclude;
  if (server_vault_set(v, &set, exclude) != 0)
    return -1;
  if (v->has_ledger)
    kith_ledger_free(&v->ledger);
  v->has_ledger = kith_ledger_build(&v->ledger, set.notes, set.count, &v->server->options) == 0;
  server_set_free(&set);
  return v->has_ledger ? 0 : -1;
}

// The contact for `handle` over the whole vault: the ledger's, with the overlay buffer's note
// added when it mentions the handle (then computed into `*tmp`). NULL when unknown.
static const KithContact *server_contact(const ServerVault *v, const char *handle,
                                         KithContact *tmp) {
  const KithContact *base = kith_ledger_find(&v->ledger, handle);
  if (!v->overlay)
    return base;
  const KithNote *n = &v->overlay->note;
  bool touched = false;
  for (uint32_t i = 0; i < n->interaction_count; i++) {
    const KithInteraction *it = &n->interactions[i];
    if (strcmp(kith_note_str(n, it->handle), handle) != 0)
      continue;
    if (!touched) {
      if (base)
        *tmp = *base;
      else
        memset(tmp, 0, sizeof *tmp);
      touched = true;
    }
    kith_ledger_contact_add(tmp, UINT32_MAX, it);
  }
  if (!touched) {
    if (base)
      return base;
    for (uint32_t i = 0; i < n->heading_count; i++) {
      if (strcmp(kith_note_str(n, n->headings[i].handle), handle) == 0) {
        memset(tmp, 0, sizeof *tmp); // declared only here, no interaction: new
        touched = true;
        break;
      }
    }
    if (!touched)
      return NULL;
  }
  kith_ledger_contact_finish(tmp, &v->ledger.options);
  return tmp;
}

// --- annotations ---------------------------------------------------------------------------

typedef struct {
  Server *server;
  int64_t id;
  char *key;
} ServerApply;

static void server_on_applied(void *data, const msgpack_object *error,
                              const msgpack_object *result) {
  ServerApply *a = data;
  ServerBuffer *b = a->server ? server_buffer(a->server, a->id) : NULL;
  bool applied = error && error->type == MSGPACK_OBJECT_NIL && result &&
                 result->type == MSGPACK_OBJECT_BOOLEAN && result->via.boolean;
  if (a->server && a->server->verbose)
    kith_log("buffer %lld: annotations %s", (long long)a->id, applied ? "applied" : "stale");
  if (b && applied) {
    free(b->sent);
    b->sent = a->key;
    a->key = NULL;
  }
  free(a->key);
  free(a);
}

// Packs the virtual text chunks of one annotation: [[text, hl], ...].
static void server_pack_chunks(msgpack_packer *pk, KithBuf *key, const KithContact *c, bool ascii) {
  KithBuf text = KITH_BUF_INIT;
  kith_report_annotation(&text, c, ascii);
  const char *hint = kith_report_hint(c->status);
  const char *hint_hl = c->status == KITH_STATUS_DORMANT ? "KithDormant" : "KithHint";
  kith_buf_printf(key, "%s\n", text.data ? text.data : "");
  if (c->status == KITH_STATUS_NEW) {
    msgpack_pack_array(pk, 1);
    msgpack_pack_array(pk, 2);
    kith_rpc_pack_str(pk, text.data);
    kith_rpc_pack_str(pk, hint_hl);
    kith_buf_free(&text);
    return;
  }
  char gave[48], got[48], rest[160];
  snprintf(gave, sizeof gave, "%s%lld", ascii ? "gave " : "↑", (long long)c->gave);
  snprintf(got, sizeof got, "%s%lld", ascii ? "got " : "↓", (long long)c->got);
  // The annotation text is "<gave> <got> <balance> · <days>d[ · hint]"; split it at the
  // first two spaces so each part gets its own highlight.
  const char *t = text.data;
  const char *after = t + strlen(gave) + 1 + strlen(got) + 1;
  const char *dot = hint ? strstr(after, " · ") : NULL;
  if (dot)
    dot = strstr(dot + 1, " · ");
  size_t bal_len = dot ? (size_t)(dot - after) : strlen(after);
  snprintf(rest, sizeof rest, "%.*s", (int)bal_len, after);
  msgpack_pack_array(pk, hint ? 6 : 5);
  const char *parts[6][2] = {{gave, "KithGive"},   {" ", "KithBalance"},  {got, "KithReceive"},
                             {" ", "KithBalance"}, {rest, "KithBalance"}, {dot, hint_hl}};
  for (int i = 0; i < (hint ? 6 : 5); i++) {
    msgpack_pack_array(pk, 2);
    kith_rpc_pack_str(pk, parts[i][0]);
    kith_rpc_pack_str(pk, parts[i][1]);
  }
  kith_buf_free(&text);
}

// Sends buffer `b` its annotations and diagnostics, unless Neovim already shows exactly these.
static void server_annotate(ServerBuffer *b, bool force) {
  Server *s = b->server;
  ServerVault *v = b->vault;
  if (!b->parsed || !v->ready || !v->has_ledger)
    return;
  // First the key (what would be shown), to skip redundant updates.
  KithBuf key = KITH_BUF_INIT;
  msgpack_sbuffer marks;
  msgpack_sbuffer_init(&marks);
  msgpack_packer pk;
  msgpack_packer_init(&pk, &marks, msgpack_sbuffer_write);
  msgpack_pack_array(&pk, b->note.heading_count);
  for (uint32_t i = 0; i < b->note.heading_count; i++) {
    const KithHeading *h = &b->note.headings[i];
    KithContact tmp;
    const KithContact *c = server_contact(v, kith_note_str(&b->note, h->handle), &tmp);
    kith_buf_printf(&key, "%u:", h->line - 1);
    msgpack_pack_array(&pk, 2);
    msgpack_pack_uint32(&pk, h->line - 1);
    if (c) {
      server_pack_chunks(&pk, &key, c, s->ascii);
    } else {
      msgpack_pack_array(&pk, 0);
      kith_buf_puts(&key, "\n");
    }
  }
  msgpack_pack_array(&pk, b->note.diagnostic_count);
  for (uint32_t i = 0; i < b->note.diagnostic_count; i++) {
    const KithDiagnostic *d = &b->note.diagnostics[i];
    const char *msg = kith_note_str(&b->note, d->message);
    kith_buf_printf(&key, "d%u:%u:%d:%s\n", d->line, d->column, (int)d->severity, msg);
    msgpack_pack_array(&pk, 4);
    msgpack_pack_uint32(&pk, d->line - 1);
    msgpack_pack_uint32(&pk, d->column - 1);
    msgpack_pack_int(&pk, (int)d->severity);
    kith_rpc_pack_str(&pk, msg);
  }
  char *k = kith_buf_take(&key);
  if (!force && b->sent && k && strcmp(b->sent, k) == 0) {
    free(k);
    msgpack_sbuffer_destroy(&marks);
    return;
  }
  ServerApply *a = malloc(sizeof *a);
  if (!a || !k) {
    free(a);
    free(k);
    msgpack_sbuffer_destroy(&marks);
    return;
  }
  *a = (ServerApply){s, b->id, k};
  msgpack_packer *out = kith_rpc_begin(s->rpc, "nvim_exec_lua", false, server_on_applied, a);
  msgpack_pack_array(out, 2);
  kith_rpc_pack_str(out, server_apply_lua);
  msgpack_pack_array(out, 4);
  msgpack_pack_int64(out, b->id);
  msgpack_pack_int64(out, b->tick);
  // marks and diagnostics were packed back to back into `marks`
  msgpack_sbuffer_write(out->data, marks.data, marks.size);
  kith_rpc_end(s->rpc);
  msgpack_sbuffer_destroy(&marks);
}

// Brings the ledger of `v` up to date and re-annotates every buffer in it. `changed` is the
// one buffer whose text changed (NULL: anything may have changed).
static void server_vault_update(ServerVault *v, bool force, ServerBuffer *changed) {
  if (!v->ready)
    return;
  uint64_t t0 = uv_hrtime();
  bool current = changed && v->has_ledger && v->overlay == changed;
  if (!current && server_vault_ledger(v, changed) != 0) {
    kith_log("vault %s: out of memory computing the ledger", v->root);
    return;
  }
  Server *s = v->server;
  for (size_t i = 0; i < s->buffer_count; i++) {
    ServerBuffer *b = s->buffers[i];
    if (b->vault == v) {
      server_annotate(b, force || b->force);
      b->force = false;
    }
  }
  kith_log("vault %s: ledger and annotations in %.2f ms", v->root, (uv_hrtime() - t0) / 1e6);
}

// --- parsing buffers -----------------------------------------------------------------------

static void server_buffer_parse(ServerBuffer *b) {
  Server *s = b->server;
  uint64_t t0 = uv_hrtime();
  kith_note_free(&b->note);
  KithMirror *m = &b->mirror;
  const char *text = m->text ? m->text : "";
  if (memchr(text, '\0', m->len)) {
    kith_note_add_diagnostic(&b->note, 1, 1, KITH_SEVERITY_WARNING, "binary file skipped");
  } else {
    TSTree *tree = NULL;
    kith_parser_parse(s->parser, text, m->len, m->tree, &tree, &b->note);
    if (tree)
      kith_mirror_set_tree(m, tree);
  }
  b->parsed = true;
  b->dirty = false;
  kith_log("buffer %lld: parsed %zu bytes in %.2f ms", (long long)b->id, m->len,
           (uv_hrtime() - t0) / 1e6);
}

static void server_on_timer(uv_timer_t *timer) {
  ServerBuffer *b = timer->data;
  if (b->dirty)
    server_buffer_parse(b);
  server_vault_update(b->vault, false, b);
}

static void server_schedule(ServerBuffer *b, uint64_t delay) {
  uv_timer_start(&b->timer, server_on_timer, delay, 0);
}

// --- vaults: index and watch -----------------------------------------------------------------

static void server_vault_work(uv_work_t *req) {
  ServerVault *v = req->data;
  if (kith_index_load(&v->loading, v->root, 0, &v->load_error) != 0)
    memset(&v->loading, 0, sizeof v->loading);
}

static void server_watch(ServerVault *v);

static void server_vault_done(uv_work_t *req, int status) {
  ServerVault *v = req->data;
  Server *s = v->server;
  v->indexing = false;
  uv_timer_stop(&v->progress);
  if (status != 0 || v->load_error) {
    kith_log("vault %s: %s", v->root, v->load_error ? v->load_error : "index cancelled");
    char msg[512];
    snprintf(msg, sizeof msg, "kith: %s", v->load_error ? v->load_error : "cannot index");
    if (!s->closing)
      server_message(s, msg);
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
  server_watch(v);
  server_vault_update(v, true, NULL);
  uint64_t took = server_now_ms(s) - v->load_started;
  kith_log("vault %s: %zu notes, %zu contacts in %llu ms", v->root, v->index.vault.count,
           v->ledger.count, (unsigned long long)took);
  if (v->progress_shown) {
    char msg[256];
    snprintf(msg, sizeof msg, "kith: %zu notes, %zu contacts", v->index.vault.count,
             v->ledger.count);
    server_message(s, msg);
  }
}

static void server_on_progress(uv_timer_t *timer) {
  ServerVault *v = timer->data;
  if (!v->indexing)
    return;
  v->progress_shown = true;
  server_message(v->server, "kith: indexing notes…");
}

static ServerVault *server_vault(Server *s, const char *root) {
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
  uv_timer_init(s->loop, &v->progress);
  uv_timer_init(s->loop, &v->rescan);
  v->progress.data = v->rescan.data = v;
  v->work.data = v;
  s->vaults[s->vault_count++] = v;
  v->indexing = true;
  v->load_started = server_now_ms(s);
  uv_timer_start(&v->progress, server_on_progress, 1000, 0);
  if (uv_queue_work(s->loop, &v->work, server_vault_work, server_vault_done) != 0) {
    v->indexing = false;
    kith_log("vault %s: cannot queue the index", root);
  }
  return v;
}

static void server_on_rescan(uv_timer_t *timer) {
  ServerVault *v = timer->data;
  Server *s = v->server;
  for (size_t i = 0; i < v->changed_count; i++) {
    const char *rel = v->changed[i];
    bool open = false;
    for (size_t k = 0; k < s->buffer_count; k++)
      open |= s->buffers[k]->vault == v && strcmp(s->buffers[k]->rel, rel) == 0;
    KithBuf path = KITH_BUF_INIT;
    kith_buf_printf(&path, "%s/%s", v->root, rel);
    struct stat st;
    if (path.data && stat(path.data, &st) == 0 && S_ISREG(st.st_mode)) {
      KithNote note;
      kith_note_init(&note);
      kith_index_parse_path(path.data, &note);
      if (kith_index_put(&v->index, rel, &note) != 0)
        kith_note_free(&note);
    } else {
      kith_index_remove(&v->index, rel);
    }
    kith_log("vault %s: %s changed on disk%s", v->root, rel, open ? " (open in a buffer)" : "");
    kith_buf_free(&path);
    free(v->changed[i]);
  }
  v->changed_count = 0;
  server_vault_update(v, false, NULL);
}

typedef struct {
  ServerVault *vault;
  char *rel; // directory relative to the root ("" for the root)
} ServerWatch;

static void server_on_fs_event(uv_fs_event_t *handle, const char *filename, int events,
                               int status) {
  (void)events;
  ServerWatch *w = handle->data;
  ServerVault *v = w->vault;
  if (status < 0 || !filename || !kith_vault_is_note_name(filename) || filename[0] == '.')
    return;
  KithBuf rel = KITH_BUF_INIT;
  if (*w->rel)
    kith_buf_printf(&rel, "%s/", w->rel);
  kith_buf_puts(&rel, filename);
  for (size_t i = 0; i < v->changed_count; i++) {
    if (rel.data && strcmp(v->changed[i], rel.data) == 0) {
      kith_buf_free(&rel);
      goto schedule;
    }
  }
  if (v->changed_count == v->changed_cap) {
    size_t cap = v->changed_cap ? v->changed_cap * 2 : 16;
    char **grown = realloc(v->changed, cap * sizeof *grown);
    if (!grown) {
      kith_buf_free(&rel);
      return;
    }
    v->changed = grown;
    v->changed_cap = cap;
  }
  v->changed[v->changed_count++] = kith_buf_take(&rel);
schedule:
  uv_timer_start(&v->rescan, server_on_rescan, 100, 0);
}

static void server_watch_dir(ServerVault *v, const char *rel) {
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
  if (uv_fs_event_start(h, server_on_fs_event, path.data, 0) != 0)
    kith_log("vault %s: cannot watch %s", v->root, path.data);
  v->watchers[v->watcher_count++] = h;
  kith_buf_free(&path);
}

// Watches the root and every directory that holds a note (libuv has no recursive watch on
// Linux; directories created later are not watched until the next restart).
static void server_watch(ServerVault *v) {
  server_watch_dir(v, "");
  for (size_t i = 0; i < v->index.vault.count; i++) {
    const char *path = v->index.vault.entries[i].path;
    const char *slash = strrchr(path, '/');
    if (!slash)
      continue;
    char *dir = server_strndup(path, (size_t)(slash - path));
    if (dir)
      server_watch_dir(v, dir);
    free(dir);
  }
}

// --- buffers -----------------------------------------------------------------------------

static void server_buffer_closed(uv_handle_t *handle) {
  ServerBuffer *b = handle->data;
  kith_mirror_free(&b->mirror);
  kith_note_free(&b->note);
  free(b->rel);
  free(b->sent);
  free(b);
}

static void server_buffer_remove(Server *s, ServerBuffer *b) {
  for (size_t i = 0; i < s->buffer_count; i++) {
    if (s->buffers[i] == b) {
      memmove(&s->buffers[i], &s->buffers[i + 1], (s->buffer_count - i - 1) * sizeof *s->buffers);
      s->buffer_count--;
      break;
    }
  }
  ServerVault *v = b->vault;
  if (v && v->overlay == b) {
    v->overlay = NULL; // the ledger lacks this buffer's note: rebuild it below
    if (v->has_ledger)
      kith_ledger_free(&v->ledger);
    v->has_ledger = false;
  }
  uv_timer_stop(&b->timer);
  uv_close((uv_handle_t *)&b->timer, server_buffer_closed);
  if (v && !s->closing)
    server_vault_update(v, false, NULL);
}

static void server_on_attached(void *data, const msgpack_object *error,
                               const msgpack_object *result) {
  ServerApply *a = data;
  ServerBuffer *b = a->server ? server_buffer(a->server, a->id) : NULL;
  bool ok = error && error->type == MSGPACK_OBJECT_NIL && result &&
            result->type == MSGPACK_OBJECT_BOOLEAN && result->via.boolean;
  if (b && !ok) {
    kith_log("buffer %lld: nvim_buf_attach failed", (long long)b->id);
    server_buffer_remove(a->server, b);
  }
  free(a);
}

static void server_send_attach(Server *s, ServerBuffer *b) {
  ServerApply *a = calloc(1, sizeof *a);
  if (!a)
    return;
  a->server = s;
  a->id = b->id;
  msgpack_packer *pk = kith_rpc_begin(s->rpc, "nvim_buf_attach", false, server_on_attached, a);
  msgpack_pack_array(pk, 3);
  msgpack_pack_int64(pk, b->id);
  msgpack_pack_true(pk);
  msgpack_pack_map(pk, 0);
  kith_rpc_end(s->rpc);
}

static int server_h_attach(void *ctx, const msgpack_object *params, msgpack_packer *result,
                           char **error) {
  Server *s = ctx;
  int64_t id;
  char *path = NULL, *root = NULL;
  if (!server_param_int(params, 0, &id) || !server_param_str(params, 1, &path) ||
      !server_param_str(params, 2, &root)) {
    free(path);
    return server_fail(error, "kith_attach: expected [buf, path, vault, opts]");
  }
  if (params->via.array.size > 3)
    server_configure(s, &params->via.array.ptr[3]);
  size_t root_len = strlen(root);
  while (root_len > 1 && root[root_len - 1] == '/')
    root[--root_len] = '\0';
  if (strncmp(path, root, root_len) != 0 || path[root_len] != '/') {
    free(path);
    free(root);
    return server_fail(error, "kith_attach: the file is not in the vault");
  }
  ServerBuffer *old = server_buffer(s, id);
  if (old && old->vault && strcmp(old->vault->root, root) == 0 &&
      strcmp(old->rel, path + root_len + 1) == 0) {
    old->force = true; // the same buffer again (e.g. after :edit): redraw
    server_schedule(old, 0);
    free(path);
    free(root);
    if (result)
      msgpack_pack_true(result);
    return 0;
  }
  if (old)
    server_buffer_remove(s, old);
  ServerVault *v = server_vault(s, root);
  ServerBuffer *b = calloc(1, sizeof *b);
  ServerBuffer **grown = realloc(s->buffers, (s->buffer_count + 1) * sizeof *grown);
  if (grown)
    s->buffers = grown;
  if (!v || !b || !grown || !(b->rel = strdup(path + root_len + 1))) {
    free(b);
    free(path);
    free(root);
    return server_fail(error, "kith_attach: out of memory");
  }
  b->server = s;
  b->id = id;
  b->vault = v;
  kith_mirror_init(&b->mirror);
  kith_note_init(&b->note);
  uv_timer_init(s->loop, &b->timer);
  b->timer.data = b;
  s->buffers[s->buffer_count++] = b;
  server_send_attach(s, b);
  free(path);
  free(root);
  if (result)
    msgpack_pack_true(result);
  return 0;
}

static int server_h_detach(void *ctx, const msgpack_object *params, msgpack_packer *result,
                           char **error) {
  Server *s = ctx;
  int64_t id;
  if (!server_param_int(params, 0, &id))
    return server_fail(error, "kith_detach: expected [buf]");
  ServerBuffer *b = server_buffer(s, id);
  if (b) {
    msgpack_packer *pk = kith_rpc_begin(s->rpc, "nvim_buf_detach", false, NULL, NULL);
    msgpack_pack_array(pk, 1);
    msgpack_pack_int64(pk, id);
    kith_rpc_end(s->rpc);
    server_buffer_remove(s, b);
  }
  if (result)
    msgpack_pack_true(result);
  return 0;
}

static int server_h_lines(void *ctx, const msgpack_object *params, msgpack_packer *result,
                          char **error) {
  (void)result;
  Server *s = ctx;
  int64_t id, first, last, tick;
  if (!server_param_int(params, 0, &id) || !server_param_int(params, 2, &first) ||
      !server_param_int(params, 3, &last) || params->via.array.size < 5 ||
      params->via.array.ptr[4].type != MSGPACK_OBJECT_ARRAY)
    return server_fail(error, "malformed nvim_buf_lines_event");
  ServerBuffer *b = server_buffer(s, id);
  if (!b)
    return 0;
  if (server_param_int(params, 1, &tick))
    b->tick = tick;
  if (s->verbose)
    kith_log("buffer %lld: lines %lld..%lld tick %lld", (long long)id, (long long)first,
             (long long)last, (long long)b->tick);
  const msgpack_object_array *data = &params->via.array.ptr[4].via.array;
  KithMirrorLine *lines = calloc(data->size ? data->size : 1, sizeof *lines);
  if (!lines)
    return server_fail(error, "out of memory");
  for (uint32_t i = 0; i < data->size; i++) {
    if (!kith_rpc_str(&data->ptr[i], &lines[i].ptr, &lines[i].len)) {
      lines[i].ptr = "";
      lines[i].len = 0;
    }
  }
  bool full = last < 0;
  int rc = kith_mirror_apply(&b->mirror, first, last, lines, data->size);
  free(lines);
  if (rc == -2) {
    // Out of sync (should not happen): start over with the whole buffer.
    kith_log("buffer %lld: lines event out of range; re-attaching", (long long)id);
    kith_mirror_free(&b->mirror);
    b->resyncing = true;
    msgpack_packer *pk = kith_rpc_begin(s->rpc, "nvim_buf_detach", false, NULL, NULL);
    msgpack_pack_array(pk, 1);
    msgpack_pack_int64(pk, id);
    kith_rpc_end(s->rpc);
    server_send_attach(s, b);
    return 0;
  }
  if (rc != 0)
    return server_fail(error, "out of memory");
  b->dirty = true;
  server_schedule(b, full && !b->parsed ? 0 : (uint64_t)s->debounce_ms);
  return 0;
}

static int server_h_changedtick(void *ctx, const msgpack_object *params, msgpack_packer *result,
                                char **error) {
  (void)result;
  (void)error;
  Server *s = ctx;
  int64_t id, tick;
  ServerBuffer *b;
  if (!server_param_int(params, 0, &id) || !(b = server_buffer(s, id)))
    return 0;
  if (server_param_int(params, 1, &tick) && tick != b->tick) {
    b->tick = tick;
    b->force = true;
    server_schedule(b, (uint64_t)s->debounce_ms);
  }
  return 0;
}

static int server_h_buf_detach(void *ctx, const msgpack_object *params, msgpack_packer *result,
                               char **error) {
  (void)result;
  (void)error;
  Server *s = ctx;
  int64_t id;
  ServerBuffer *b;
  if (!server_param_int(params, 0, &id) || !(b = server_buffer(s, id)))
    return 0;
  if (b->resyncing) {
    b->resyncing = false;
    return 0;
  }
  server_buffer_remove(s, b);
  return 0;
}

static int server_h_configure(void *ctx, const msgpack_object *params, msgpack_packer *result,
                              char **error) {
  (void)error;
  Server *s = ctx;
  if (params->via.array.size > 0)
    server_configure(s, &params->via.array.ptr[0]);
  for (size_t i = 0; i < s->vault_count; i++)
    server_vault_update(s->vaults[i], true, NULL);
  if (result)
    msgpack_pack_true(result);
  return 0;
}

static int server_h_version(void *ctx, const msgpack_object *params, msgpack_packer *result,
                            char **error) {
  (void)ctx;
  (void)params;
  if (!result)
    return server_fail(error, "kith_version is a request");
  msgpack_pack_map(result, 4);
  kith_rpc_pack_str(result, "version");
  kith_rpc_pack_str(result, KITH_VERSION);
  kith_rpc_pack_str(result, "grammar");
  kith_rpc_pack_str(result, KITH_GRAMMAR_VERSION);
  kith_rpc_pack_str(result, "abi");
  msgpack_pack_uint32(result, ts_language_version(kith_grammar_block()));
  kith_rpc_pack_str(result, "allocator");
  kith_rpc_pack_str(result, kith_alloc_name());
  return 0;
}

static int server_h_status(void *ctx, const msgpack_object *params, msgpack_packer *result,
                           char **error) {
  (void)params;
  Server *s = ctx;
  if (!result)
    return server_fail(error, "kith_status is a request");
  msgpack_pack_map(result, 2);
  kith_rpc_pack_str(result, "buffers");
  msgpack_pack_uint64(result, s->buffer_count);
  kith_rpc_pack_str(result, "vaults");
  msgpack_pack_array(result, s->vault_count);
  for (size_t i = 0; i < s->vault_count; i++) {
    ServerVault *v = s->vaults[i];
    msgpack_pack_map(result, 4);
    kith_rpc_pack_str(result, "root");
    kith_rpc_pack_str(result, v->root);
    kith_rpc_pack_str(result, "ready");
    if (v->ready)
      msgpack_pack_true(result);
    else
      msgpack_pack_false(result);
    kith_rpc_pack_str(result, "notes");
    msgpack_pack_uint64(result, v->index.vault.count);
    kith_rpc_pack_str(result, "contacts");
    msgpack_pack_uint64(result, v->has_ledger ? v->ledger.count : 0);
  }
  return 0;
}

static int server_h_balances(void *ctx, const msgpack_object *params, msgpack_packer *result,
                             char **error) {
  Server *s = ctx;
  char *root = NULL;
  if (!result)
    return server_fail(error, "kith_balances is a request");
  if (!server_param_str(params, 0, &root))
    return server_fail(error, "kith_balances: expected [vault]");
  ServerVault *v = NULL;
  for (size_t i = 0; i < s->vault_count; i++) {
    if (strcmp(s->vaults[i]->root, root) == 0)
      v = s->vaults[i];
  }
  free(root);
  if (!v || !v->ready)
    return server_fail(error, "kith: the vault is still being indexed");
  ServerSet set = {0};
  if (server_vault_fresh(v) != 0 || server_vault_set(v, &set, NULL) != 0) {
    server_set_free(&set);
    return server_fail(error, "kith: out of memory");
  }
  KithNoteSet notes = {set.paths, set.notes, set.count};
  KithBuf out = KITH_BUF_INIT;
  int rc = kith_report_balances_json(&out, &v->ledger, &notes);
  server_set_free(&set);
  if (rc != 0) {
    kith_buf_free(&out);
    return server_fail(error, "kith: out of memory");
  }
  msgpack_pack_str(result, out.len);
  msgpack_pack_str_body(result, out.data, out.len);
  kith_buf_free(&out);
  return 0;
}

// The ready vault whose root is params[i], or NULL with *error set.
static ServerVault *server_param_vault(Server *s, const msgpack_object *params, uint32_t i,
                                       char **error) {
  char *root = NULL;
  if (!server_param_str(params, i, &root)) {
    server_fail(error, "kith: expected a vault path");
    return NULL;
  }
  size_t n = strlen(root);
  while (n > 1 && root[n - 1] == '/')
    root[--n] = '\0';
  ServerVault *v = NULL;
  for (size_t k = 0; k < s->vault_count; k++) {
    if (strcmp(s->vaults[k]->root, root) == 0)
      v = s->vaults[k];
  }
  free(root);
  if (!v)
    server_fail(error, "kith: no note of this vault is open");
  else if (!v->ready)
    server_fail(error, "kith: the vault is still being indexed; try again in a moment");
  return v && v->ready ? v : NULL;
}

// Brings every dirty buffer of `v` and its ledger up to date (for user commands).
static int server_vault_fresh(ServerVault *v) {
  Server *s = v->server;
  for (size_t i = 0; i < s->buffer_count; i++) {
    ServerBuffer *b = s->buffers[i];
    if (b->vault == v && b->dirty)
      server_buffer_parse(b);
  }
  return server_vault_ledger(v, NULL);
}

// kith_template [vault, name, handle|nil, templates_dir|nil] -> text
static int server_h_template(void *ctx, const msgpack_object *params, msgpack_packer *result,
                             char **error) {
  Server *s = ctx;
  char *name = NULL, *handle = NULL, *dir = NULL;
  if (!result)
    return server_fail(error, "kith_template is a request");
  ServerVault *v = server_param_vault(s, params, 0, error);
  if (!v)
    return -1;
  if (!server_param_str(params, 1, &name))
    return server_fail(error, "kith_template: expected [vault, name, handle, templates]");
  server_param_str(params, 2, &handle);
  server_param_str(params, 3, &dir);
  int rc = -1;
  ServerSet set = {0};
  KithBuf out = KITH_BUF_INIT;
  if (server_vault_fresh(v) != 0 || server_vault_set(v, &set, NULL) != 0) {
    server_fail(error, "kith: out of memory");
    goto done;
  }
  if (handle) {
    char *h = handle[0] == '@' ? handle + 1 : handle;
    memmove(handle, h, strlen(h) + 1);
    for (char *p = handle; *p; p++)
      *p = (*p >= 'A' && *p <= 'Z') ? (char)(*p - 'A' + 'a') : *p;
  }
  const KithContact *c = handle ? kith_ledger_find(&v->ledger, handle) : NULL;
  KithNoteSet notes = {set.paths, set.notes, set.count};
  KithTemplateVars vars = {s->options.today, handle, c ? c->name : NULL, &v->ledger, &notes};
  char *message = NULL;
  if (kith_template_render(&out, name, dir, &vars, &message) != 0) {
    if (error)
      *error = message;
    else
      free(message);
    goto done;
  }
  msgpack_pack_str(result, out.len);
  msgpack_pack_str_body(result, out.data ? out.data : "", out.len);
  rc = 0;
done:
  kith_buf_free(&out);
  server_set_free(&set);
  free(name);
  free(handle);
  free(dir);
  return rc;
}

// kith_contacts [vault] -> [{handle, name, status, annotation, path, line}], most recent
// first; path/line: the first declaring heading, else the first interaction.
static int server_cmp_recent(const void *a, const void *b) {
  const KithContact *x = *(const KithContact *const *)a, *y = *(const KithContact *const *)b;
  KithDay dx = x->interactions ? x->last_day : INT32_MIN;
  KithDay dy = y->interactions ? y->last_day : INT32_MIN;
  if (dx != dy)
    return dx > dy ? -1 : 1;
  return strcmp(x->handle, y->handle);
}

static int server_h_contacts(void *ctx, const msgpack_object *params, msgpack_packer *result,
                             char **error) {
  Server *s = ctx;
  if (!result)
    return server_fail(error, "kith_contacts is a request");
  ServerVault *v = server_param_vault(s, params, 0, error);
  if (!v)
    return -1;
  ServerSet set = {0};
  if (server_vault_fresh(v) != 0 || server_vault_set(v, &set, NULL) != 0)
    return server_fail(error, "kith: out of memory");
  const KithContact **order = calloc(v->ledger.count + 1, sizeof *order);
  if (!order) {
    server_set_free(&set);
    return server_fail(error, "kith: out of memory");
  }
  for (size_t i = 0; i < v->ledger.count; i++)
    order[i] = &v->ledger.contacts[i];
  qsort(order, v->ledger.count, sizeof *order, server_cmp_recent);
  msgpack_pack_array(result, v->ledger.count);
  for (size_t i = 0; i < v->ledger.count; i++) {
    const KithContact *c = order[i];
    KithBuf note = KITH_BUF_INIT;
    kith_report_annotation(&note, c, s->ascii);
    // Where the contact is: its first declaring heading, else its first interaction.
    const KithLocation *at = c->declared_count ? &c->declared[0] : &c->first_item;
    const char *path = at->note < set.count ? set.paths[at->note] : "";
    msgpack_pack_map(result, 6);
    kith_rpc_pack_str(result, "handle");
    kith_rpc_pack_str(result, c->handle);
    kith_rpc_pack_str(result, "name");
    kith_rpc_pack_str(result, c->name);
    kith_rpc_pack_str(result, "status");
    kith_rpc_pack_str(result, kith_status_name(c->status));
    kith_rpc_pack_str(result, "annotation");
    kith_rpc_pack_str(result, note.data ? note.data : "");
    kith_rpc_pack_str(result, "path");
    kith_rpc_pack_str(result, path);
    kith_rpc_pack_str(result, "line");
    msgpack_pack_uint32(result, at->line);
    kith_buf_free(&note);
  }
  free(order);
  server_set_free(&set);
  return 0;
}

// kith_outline [buf] -> [{handle, line, end_line, last_item}] for the buffer's contact
// headings (1-based lines; last_item = last line of the last interaction in the heading's own
// section, 0 when none).
static int server_h_outline(void *ctx, const msgpack_object *params, msgpack_packer *result,
                            char **error) {
  Server *s = ctx;
  int64_t id;
  if (!result)
    return server_fail(error, "kith_outline is a request");
  if (!server_param_int(params, 0, &id))
    return server_fail(error, "kith_outline: expected [buf]");
  ServerBuffer *b = server_buffer(s, id);
  if (!b)
    return server_fail(error, "kith: this buffer is not followed by kith");
  if (b->dirty || !b->parsed)
    server_buffer_parse(b);
  const KithNote *n = &b->note;
  msgpack_pack_array(result, n->heading_count);
  for (uint32_t i = 0; i < n->heading_count; i++) {
    const KithHeading *h = &n->headings[i];
    uint32_t last = 0;
    for (uint32_t k = 0; k < n->interaction_count; k++) {
      if (n->interactions[k].section == (int32_t)i && n->interactions[k].end_line > last)
        last = n->interactions[k].end_line;
    }
    msgpack_pack_map(result, 4);
    kith_rpc_pack_str(result, "handle");
    kith_rpc_pack_str(result, kith_note_str(n, h->handle));
    kith_rpc_pack_str(result, "line");
    msgpack_pack_uint32(result, h->line);
    kith_rpc_pack_str(result, "end_line");
    msgpack_pack_uint32(result, h->end_line);
    kith_rpc_pack_str(result, "last_item");
    msgpack_pack_uint32(result, last);
  }
  return 0;
}

// kith_vault [root] -> {ready, notes}: starts indexing the vault if it is new.
static int server_h_vault(void *ctx, const msgpack_object *params, msgpack_packer *result,
                          char **error) {
  Server *s = ctx;
  char *root = NULL;
  if (!server_param_str(params, 0, &root))
    return server_fail(error, "kith_vault: expected [root]");
  size_t n = strlen(root);
  while (n > 1 && root[n - 1] == '/')
    root[--n] = '\0';
  ServerVault *v = server_vault(s, root);
  free(root);
  if (!v)
    return server_fail(error, "kith: out of memory");
  if (result) {
    msgpack_pack_map(result, 2);
    kith_rpc_pack_str(result, "ready");
    if (v->ready)
      msgpack_pack_true(result);
    else
      msgpack_pack_false(result);
    kith_rpc_pack_str(result, "notes");
    msgpack_pack_uint64(result, v->index.vault.count);
  }
  return 0;
}

static const KithRpcMethod server_methods[] = {
    {"kith_vault", server_h_vault},
    {"kith_template", server_h_template},
    {"kith_contacts", server_h_contacts},
    {"kith_outline", server_h_outline},
    {"kith_attach", server_h_attach},
    {"kith_detach", server_h_detach},
    {"kith_configure", server_h_configure},
    {"kith_version", server_h_version},
    {"kith_status", server_h_status},
    {"kith_balances", server_h_balances},
    {"nvim_buf_lines_event", server_h_lines},
    {"nvim_buf_changedtick_event", server_h_changedtick},
    {"nvim_buf_detach_event", server_h_buf_detach},
    {NULL, NULL},
};

// --- life cycle ----------------------------------------------------------------------------

static void server_on_close(void *ctx) {
  Server *s = ctx;
  s->closing = true;
  uv_stop(s->loop);
}

static void server_close_walk(uv_handle_t *handle, void *arg) {
  (void)arg;
  if (!uv_is_closing(handle))
    uv_close(handle, NULL);
}

static void server_free(Server *s) {
  s->closing = true;
  // Wait for a running index job before freeing what it writes to.
  for (size_t i = 0; i < s->vault_count; i++) {
    if (s->vaults[i]->indexing)
      uv_cancel((uv_req_t *)&s->vaults[i]->work);
  }
  while (true) {
    bool busy = false;
    for (size_t i = 0; i < s->vault_count; i++)
      busy |= s->vaults[i]->indexing;
    if (!busy)
      break;
    uv_run(s->loop, UV_RUN_ONCE);
  }
  while (s->buffer_count > 0)
    server_buffer_remove(s, s->buffers[s->buffer_count - 1]);
  kith_rpc_free(s->rpc);
  s->rpc = NULL;
  for (size_t i = 0; i < s->vault_count; i++) {
    ServerVault *v = s->vaults[i];
    for (size_t k = 0; k < v->watcher_count; k++) {
      ServerWatch *w = v->watchers[k]->data;
      free(w->rel);
      free(w);
      uv_close((uv_handle_t *)v->watchers[k], (uv_close_cb)free);
    }
    uv_close((uv_handle_t *)&v->progress, NULL);
    uv_close((uv_handle_t *)&v->rescan, NULL);
  }
  uv_walk(s->loop, server_close_walk, NULL);
  uv_run(s->loop, UV_RUN_DEFAULT);
  for (size_t i = 0; i < s->vault_count; i++) {
    ServerVault *v = s->vaults[i];
    kith_index_free(&v->index);
    kith_index_free(&v->loading);
    if (v->has_ledger)
      kith_ledger_free(&v->ledger);
    for (size_t k = 0; k < v->changed_count; k++)
      free(v->changed[k]);
    free(v->changed);
    free(v->watchers);
    free(v->root);
    free(v);
  }
  free(s->vaults);
  free(s->buffers);
  kith_parser_free(s->parser);
}

int kith_server_main(void) {
  signal(SIGPIPE, SIG_IGN);
  if (!getenv("UV_THREADPOOL_SIZE")) {
    // One worker runs the index job and waits for the parse workers: leave room for them.
    char size[16];
    snprintf(size, sizeof size, "%u", uv_available_parallelism() + 2);
    setenv("UV_THREADPOOL_SIZE", size, 0);
  }
  Server s;
  memset(&s, 0, sizeof s);
  s.loop = uv_default_loop();
  s.debounce_ms = 30;
  s.verbose = getenv("KITH_VERBOSE") != NULL;
  kith_ledger_options_default(&s.options);
  char *error = NULL;
  s.parser = kith_parser_new(&error);
  if (!s.parser) {
    kith_log("cannot start: %s", error ? error : "?");
    free(error);
    return 1;
  }
  if (uv_pipe_init(s.loop, &s.in, 0) != 0 || uv_pipe_open(&s.in, 0) != 0 ||
      uv_pipe_init(s.loop, &s.out, 0) != 0 || uv_pipe_open(&s.out, 1) != 0) {
    kith_log("cannot start: stdin and stdout must be pipes (kith serve is started by Neovim)");
    kith_parser_free(s.parser);
    return 2;
  }
  s.rpc = kith_rpc_new((uv_stream_t *)&s.in, (uv_stream_t *)&s.out, server_methods, &s,
                       server_on_close);
  if (!s.rpc || kith_rpc_start(s.rpc) != 0) {
    kith_log("cannot start: out of memory");
    return 2;
  }
  kith_log("serving (pid %d)", (int)uv_os_getpid());
  uv_run(s.loop, UV_RUN_DEFAULT);
  server_free(&s);
  uv_loop_close(s.loop);
  kith_log("channel closed; bye");
  return 0;
}
