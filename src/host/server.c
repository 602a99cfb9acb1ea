#include "host/server.h"

#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <uv.h>

#include "base/log.h"
#include "host/frame.h"
#include "host/host.h"

static const char server_message_lua[] = "return require('kith.view').message(...)";
static const char server_released_lua[] = "return require('kith').released(...)";
// Buffer text comes from lua/kith/sync.lua: nvim_buf_lines_event, nvim_buf_changedtick_event and
// nvim_buf_detach_event as Neovim sends them to a client attached with nvim_buf_attach, but the
// changes of a burst of typing merged into one event (debounced there).
static const char server_sync_attach_lua[] = "return require('kith.sync').attach(...)";
static const char server_sync_detach_lua[] = "return require('kith.sync').detach(...)";

// --- small helpers -----------------------------------------------------------------------

bool host_param_str(const msgpack_object *params, uint32_t i, char **out) {
  const char *s;
  size_t n;
  if (params->via.array.size <= i || !kith_rpc_str(&params->via.array.ptr[i], &s, &n))
    return false;
  *out = strndup(s, n);
  return *out != NULL;
}

bool host_param_int(const msgpack_object *params, uint32_t i, int64_t *out) {
  return params->via.array.size > i && kith_rpc_int(&params->via.array.ptr[i], out);
}

int host_fail(char **error, const char *message) {
  if (error)
    *error = strdup(message);
  return -1;
}

uint64_t host_now_ms(const Server *s) {
  return uv_now(s->loop);
}

ServerBuffer *host_buffer(const Server *s, int64_t id) {
  for (size_t i = 0; i < s->buffer_count; i++) {
    if (s->buffers[i]->id == id)
      return s->buffers[i];
  }
  return NULL;
}

// Sends a short message to the user (echoed, not kept in the message history).
void host_message(Server *s, const char *text) {
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
    s->options.dormant_days = (int)v, s->has_dormant_days = true;
  if ((o = kith_rpc_field(opts, "accept_help_after")) && kith_rpc_int(o, &v) && v >= 0)
    s->options.accept_help_after = (int)v, s->has_accept_help_after = true;
  if ((o = kith_rpc_field(opts, "debounce")) && kith_rpc_int(o, &v) && v >= 0 && v <= 10000)
    s->debounce_ms = (int)v;
  if ((o = kith_rpc_field(opts, "ascii")) && o->type == MSGPACK_OBJECT_BOOLEAN)
    s->ascii = o->via.boolean;
  if ((o = kith_rpc_field(opts, "due")) && o->type == MSGPACK_OBJECT_BOOLEAN)
    s->due = o->via.boolean;
  if ((o = kith_rpc_field(opts, "sparkline")) && o->type == MSGPACK_OBJECT_BOOLEAN)
    s->sparkline = o->via.boolean;
  if ((o = kith_rpc_field(opts, "cache")) && o->type == MSGPACK_OBJECT_BOOLEAN)
    s->cache = o->via.boolean;
  if ((o = kith_rpc_field(opts, "max_bytes")) && kith_rpc_int(o, &v) && v >= 0)
    s->max_bytes = (uint64_t)v;
}

// --- parsing buffers -----------------------------------------------------------------------

// The debounce timer: the text is parsed on the thread pool (which then updates the vault),
// or, when the note is current already (a redraw), the vault is updated now.
static void server_on_timer(uv_timer_t *timer) {
  ServerBuffer *b = timer->data;
  if (!host_buffer_current(b)) {
    host_buffer_parse_later(b);
    return;
  }
  host_vault_update(b->vault, false, b);
}

void host_schedule(ServerBuffer *b, uint64_t delay) {
  uv_timer_start(&b->timer, server_on_timer, delay, 0);
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

void host_buffer_remove(Server *s, ServerBuffer *b) {
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
  host_buffer_forget_parse(b);
  uv_timer_stop(&b->timer);
  uv_close((uv_handle_t *)&b->timer, server_buffer_closed);
  if (v && !s->closing)
    host_vault_update(v, false, NULL);
}

static void server_on_attached(void *data, const msgpack_object *error,
                               const msgpack_object *result) {
  ServerApply *a = data;
  ServerBuffer *b = a->server ? host_buffer(a->server, a->id) : NULL;
  bool ok = error && error->type == MSGPACK_OBJECT_NIL && result &&
            result->type == MSGPACK_OBJECT_BOOLEAN && result->via.boolean;
  if (b && !ok) {
    kith_log("buffer %lld: attach failed", (long long)b->id);
    host_buffer_remove(a->server, b);
  }
  free(a);
}

// Stops Neovim's buffer updates for buffer `id` (it answers with a detach event).
static void server_send_detach(Server *s, int64_t id) {
  msgpack_packer *pk = kith_rpc_begin(s->rpc, "nvim_exec_lua", false, NULL, NULL);
  msgpack_pack_array(pk, 2);
  kith_rpc_pack_str(pk, server_sync_detach_lua);
  msgpack_pack_array(pk, 1);
  msgpack_pack_int64(pk, id);
  kith_rpc_end(s->rpc);
}

static void server_send_attach(Server *s, ServerBuffer *b) {
  ServerApply *a = calloc(1, sizeof *a);
  if (!a)
    return;
  a->server = s;
  a->id = b->id;
  // Answers true and sends the whole text first, or false (not loaded).
  msgpack_packer *pk = kith_rpc_begin(s->rpc, "nvim_exec_lua", false, server_on_attached, a);
  msgpack_pack_array(pk, 2);
  kith_rpc_pack_str(pk, server_sync_attach_lua);
  msgpack_pack_array(pk, 1);
  msgpack_pack_int64(pk, b->id);
  kith_rpc_end(s->rpc);
}

// Asks Neovim for the whole of a buffer again (detach, then attach with send_buffer): its
// mirror may be out of sync. Nothing to do when that is under way already (the whole text that
// comes with the attach replaces the mirror).
static void server_resync(Server *s, ServerBuffer *b) {
  if (b->resyncing)
    return;
  kith_log("buffer %lld: re-reading the whole buffer", (long long)b->id);
  kith_mirror_free(&b->mirror);
  b->synced = false;
  b->resyncing = true; // the detach event that follows is ours
  server_send_detach(s, b->id);
  server_send_attach(s, b);
}

// Stops following a buffer whose text kith cannot take any more, rather than keep a mirror
// that would be wrong from now on: Neovim stops sending its changes, the plugin forgets it and
// clears what kith showed there, the user is told once why (`why`, a short message).
static void server_release(Server *s, ServerBuffer *b, const char *why) {
  kith_log("buffer %lld: no longer followed: %s", (long long)b->id, why);
  int64_t id = b->id;
  server_send_detach(s, id);
  msgpack_packer *pk = kith_rpc_begin(s->rpc, "nvim_exec_lua", true, NULL, NULL);
  msgpack_pack_array(pk, 2);
  kith_rpc_pack_str(pk, server_released_lua);
  msgpack_pack_array(pk, 1);
  msgpack_pack_int64(pk, id);
  kith_rpc_end(s->rpc);
  host_message(s, why);
  host_buffer_remove(s, b);
}

// A size for the user: "16 MB", or bytes below a megabyte.
static void server_size(char *out, size_t size, uint64_t bytes) {
  if (bytes < 1000000)
    snprintf(out, size, "%llu bytes", (unsigned long long)bytes);
  else
    snprintf(out, size, "%llu MB", (unsigned long long)(bytes / 1000000));
}

static int server_h_attach(void *ctx, const msgpack_object *params, msgpack_packer *result,
                           char **error) {
  Server *s = ctx;
  int64_t id;
  char *path = NULL, *root = NULL;
  if (!host_param_int(params, 0, &id) || !host_param_str(params, 1, &path) ||
      !host_param_str(params, 2, &root)) {
    free(path);
    return host_fail(error, "kith_attach: expected [buf, path, vault, opts]");
  }
  if (params->via.array.size > 3)
    server_configure(s, &params->via.array.ptr[3]);
  size_t root_len = strlen(root);
  while (root_len > 1 && root[root_len - 1] == '/')
    root[--root_len] = '\0';
  if (strncmp(path, root, root_len) != 0 || path[root_len] != '/') {
    free(path);
    free(root);
    return host_fail(error, "kith_attach: the file is not in the vault");
  }
  ServerBuffer *old = host_buffer(s, id);
  if (old && old->vault && strcmp(old->vault->root, root) == 0 &&
      strcmp(old->rel, path + root_len + 1) == 0) {
    old->force = true; // the same buffer again (e.g. after :edit): redraw
    host_schedule(old, 0);
    free(path);
    free(root);
    if (result)
      msgpack_pack_true(result);
    return 0;
  }
  if (old && old->vault && strcmp(old->vault->root, root) == 0) {
    // Renamed within its vault (:saveas, :file): Neovim keeps sending its lines; only the
    // path changes, so its old file counts again and the new one is the buffer.
    char *rel = strdup(path + root_len + 1);
    free(path);
    free(root);
    if (!rel)
      return host_fail(error, "kith_attach: out of memory");
    free(old->rel);
    old->rel = rel;
    old->force = true;
    if (old->generation > 0) { // a file name may give undated items their date (SPEC §1)
      host_buffer_changed(old);
      host_buffer_parse(old);
    }
    host_vault_update(old->vault, true, NULL);
    if (result)
      msgpack_pack_true(result);
    return 0;
  }
  bool reattach = old != NULL; // moved to another vault: start over with the whole buffer
  if (old)
    host_buffer_remove(s, old);
  ServerVault *v = host_vault(s, root);
  ServerBuffer *b = calloc(1, sizeof *b);
  ServerBuffer **grown = realloc(s->buffers, (s->buffer_count + 1) * sizeof *grown);
  if (grown)
    s->buffers = grown;
  if (!v || !b || !grown || !(b->rel = strdup(path + root_len + 1))) {
    free(b);
    free(path);
    free(root);
    return host_fail(error, "kith_attach: out of memory");
  }
  b->server = s;
  b->id = id;
  b->vault = v;
  b->ledger_index = UINT32_MAX;
  kith_mirror_init(&b->mirror);
  kith_note_init(&b->note);
  uv_timer_init(s->loop, &b->timer);
  b->timer.data = b;
  s->buffers[s->buffer_count++] = b;
  if (reattach) {
    b->resyncing = true; // the detach event that follows is ours
    server_send_detach(s, id);
  }
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
  if (!host_param_int(params, 0, &id))
    return host_fail(error, "kith_detach: expected [buf]");
  ServerBuffer *b = host_buffer(s, id);
  if (b) {
    server_send_detach(s, id);
    host_buffer_remove(s, b);
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
  if (!host_param_int(params, 0, &id) || !host_param_int(params, 2, &first) ||
      !host_param_int(params, 3, &last) || params->via.array.size < 5 ||
      params->via.array.ptr[4].type != MSGPACK_OBJECT_ARRAY)
    return host_fail(error, "malformed nvim_buf_lines_event");
  ServerBuffer *b = host_buffer(s, id);
  if (!b)
    return 0;
  if (host_param_int(params, 1, &tick))
    b->tick = tick;
  if (s->verbose)
    kith_log("buffer %lld: lines %lld..%lld tick %lld", (long long)id, (long long)first,
             (long long)last, (long long)b->tick);
  const msgpack_object_array *data = &params->via.array.ptr[4].via.array;
  KithMirrorLine *lines = calloc(data->size ? data->size : 1, sizeof *lines);
  if (!lines)
    return host_fail(error, "out of memory");
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
    kith_log("buffer %lld: lines event out of range", (long long)id);
    server_resync(s, b);
    return 0;
  }
  if (rc != 0)
    return host_fail(error, "out of memory");
  if (s->max_bytes > 0 && b->mirror.len > s->max_bytes) {
    char now[32], limit[32], why[320];
    server_size(now, sizeof now, b->mirror.len);
    server_size(limit, sizeof limit, s->max_bytes);
    snprintf(why, sizeof why, "kith: %.200s is now %s; kith follows notes up to %s", b->rel, now,
             limit);
    server_release(s, b, why);
    return 0;
  }
  host_buffer_changed(b);
  b->synced |= full;
  host_schedule(b, full && !b->parsed ? 0 : (uint64_t)s->debounce_ms);
  return 0;
}

static int server_h_changedtick(void *ctx, const msgpack_object *params, msgpack_packer *result,
                                char **error) {
  (void)result;
  (void)error;
  Server *s = ctx;
  int64_t id, tick;
  ServerBuffer *b;
  if (!host_param_int(params, 0, &id) || !(b = host_buffer(s, id)))
    return 0;
  if (host_param_int(params, 1, &tick) && tick != b->tick) {
    b->tick = tick;
    b->force = true;
    host_schedule(b, (uint64_t)s->debounce_ms);
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
  if (!host_param_int(params, 0, &id) || !(b = host_buffer(s, id)))
    return 0;
  if (b->resyncing) {
    b->resyncing = false;
    return 0;
  }
  // Reloaded from disk (:edit, :checktime, autoread) or unloaded: Neovim stopped sending the
  // buffer's lines. Ask again: a loaded buffer answers with its whole text (which replaces the
  // mirror's), an unloaded or wiped one with false or an error, and server_on_attached then
  // stops following it.
  b->synced = false;
  server_send_attach(s, b);
  return 0;
}

static int server_h_configure(void *ctx, const msgpack_object *params, msgpack_packer *result,
                              char **error) {
  (void)error;
  Server *s = ctx;
  if (params->via.array.size > 0)
    server_configure(s, &params->via.array.ptr[0]);
  for (size_t i = 0; i < s->vault_count; i++)
    host_vault_update(s->vaults[i], true, NULL);
  if (result)
    msgpack_pack_true(result);
  return 0;
}

// A notification that could not be read whole (rpc.h). A change too large to take ends the
// following of its buffer; any other lost buffer event, or bytes lost whose messages are unknown,
// has the buffers it may have touched sent again: no mirror stays silently out of sync.
static void server_on_lost(void *ctx, const msgpack_object *method, const msgpack_object *params,
                           int reason) {
  Server *s = ctx;
  const char *name = "";
  size_t len = 0;
  if (method)
    kith_rpc_str(method, &name, &len);
  if (method && (len < 9 || memcmp(name, "nvim_buf_", 9) != 0)) {
    kith_log("lost a %.*s notification: %s", (int)(len > 40 ? 40 : len), name,
             kith_frame_error(reason));
    return;
  }
  int64_t id;
  if (!method || !host_param_int(params, 0, &id)) {
    for (size_t i = 0; i < s->buffer_count; i++)
      server_resync(s, s->buffers[i]);
    return;
  }
  ServerBuffer *b = host_buffer(s, id);
  if (!b)
    return;
  if (reason == KITH_FRAME_TOO_BIG && kith_rpc_is(method, "nvim_buf_lines_event")) {
    char why[320];
    snprintf(why, sizeof why,
             "kith: %.200s is too large for kith now (a change of over %u MiB); it is no longer "
             "followed",
             b->rel, KITH_FRAME_MAX_BYTES / (1024u * 1024u));
    server_release(s, b, why);
    return;
  }
  server_resync(s, b);
}

const KithRpcMethod kith_server_methods[] = {
    {"kith_vault", host_h_vault},
    {"kith_template", host_h_template},
    {"kith_contacts", host_h_contacts},
    {"kith_outline", host_h_outline},
    {"kith_tick", host_h_tick},
    {"kith_agenda", host_h_agenda},
    {"kith_report", host_h_report},
    {"kith_history", host_h_history},
    {"kith_contact", host_h_contact},
    {"kith_new", host_h_new},
    {"kith_attach", server_h_attach},
    {"kith_detach", server_h_detach},
    {"kith_configure", server_h_configure},
    {"kith_version", host_h_version},
    {"kith_status", host_h_status},
    {"kith_balances", host_h_balances},
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

Server *kith_server_new(uv_loop_t *loop, char **error) {
  Server *s = calloc(1, sizeof *s);
  if (!s) {
    host_fail(error, "out of memory");
    return NULL;
  }
  s->loop = loop;
  s->debounce_ms = 30;
  s->due = true;
  s->cache = true;
  s->verbose = getenv("KITH_VERBOSE") != NULL;
  kith_ledger_options_default(&s->options);
  s->parser = kith_parser_new(error);
  if (!s->parser) {
    free(s);
    return NULL;
  }
  return s;
}

void kith_server_set_rpc(Server *s, KithRpc *rpc) {
  kith_rpc_free(s->rpc);
  s->rpc = rpc;
  if (rpc)
    kith_rpc_on_lost(rpc, server_on_lost);
}

void kith_server_free(Server *s) {
  if (!s)
    return;
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
    host_buffer_remove(s, s->buffers[s->buffer_count - 1]);
  kith_rpc_free(s->rpc);
  s->rpc = NULL;
  for (size_t i = 0; i < s->vault_count; i++)
    host_vault_close(s->vaults[i]);
  uv_walk(s->loop, server_close_walk, NULL);
  uv_run(s->loop, UV_RUN_DEFAULT);
  for (size_t i = 0; i < s->vault_count; i++)
    host_vault_free(s->vaults[i]);
  free(s->vaults);
  free(s->buffers);
  host_parsers_free(s);
  kith_parser_free(s->parser);
  free(s);
}

int kith_server_main(void) {
  signal(SIGPIPE, SIG_IGN);
  if (!getenv("UV_THREADPOOL_SIZE")) {
    // One worker runs the index job and waits for the parse workers: leave room for them.
    char size[16];
    snprintf(size, sizeof size, "%u", uv_available_parallelism() + 2);
    setenv("UV_THREADPOOL_SIZE", size, 0);
  }
  uv_loop_t *loop = uv_default_loop();
  char *error = NULL;
  Server *s = kith_server_new(loop, &error);
  if (!s) {
    kith_log("cannot start: %s", error ? error : "?");
    free(error);
    return 1;
  }
  if (uv_pipe_init(loop, &s->in, 0) != 0 || uv_pipe_open(&s->in, 0) != 0 ||
      uv_pipe_init(loop, &s->out, 0) != 0 || uv_pipe_open(&s->out, 1) != 0) {
    kith_log("cannot start: stdin and stdout must be pipes (kith serve is started by Neovim)");
    kith_server_free(s);
    return 2;
  }
  KithRpc *rpc = kith_rpc_new((uv_stream_t *)&s->in, (uv_stream_t *)&s->out, kith_server_methods, s,
                              server_on_close);
  kith_server_set_rpc(s, rpc);
  if (!rpc || kith_rpc_start(rpc) != 0) {
    kith_log("cannot start: out of memory");
    kith_server_free(s);
    return 2;
  }
  kith_log("serving (pid %d)", (int)uv_os_getpid());
  uv_run(loop, UV_RUN_DEFAULT);
  kith_server_free(s);
  uv_loop_close(loop);
  kith_log("channel closed; bye");
  return 0;
}
