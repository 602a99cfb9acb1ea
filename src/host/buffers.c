// The editor's buffers (SPEC §5): following one (kith_attach, kith_detach), its text as
// lua/kith/sync.lua sends it (lines, changedtick and detach events, the changes of a burst of
// typing merged into one), and what happens when that text is lost or grows too large.

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <uv.h>

#include "base/log.h"
#include "host/frame.h"
#include "host/host.h"

static const char buffers_released_lua[] = "return require('kith').released(...)";
// Buffer text comes from lua/kith/sync.lua: nvim_buf_lines_event, nvim_buf_changedtick_event and
// nvim_buf_detach_event as Neovim sends them to a client attached with nvim_buf_attach, but the
// changes of a burst of typing merged into one event (debounced there).
static const char buffers_sync_attach_lua[] = "return require('kith.sync').attach(...)";
static const char buffers_sync_detach_lua[] = "return require('kith.sync').detach(...)";

// --- buffers -----------------------------------------------------------------------------

static void buffers_buffer_closed(uv_handle_t *handle) {
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
    v->counts_valid = false;
  }
  host_buffer_forget_parse(b);
  uv_timer_stop(&b->timer);
  uv_close((uv_handle_t *)&b->timer, buffers_buffer_closed);
  if (v && !s->closing)
    host_vault_update(v, false, NULL);
}

static void buffers_on_attached(void *data, const msgpack_object *error,
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
static void buffers_send_detach(Server *s, int64_t id) {
  msgpack_packer *pk = kith_rpc_begin(s->rpc, "nvim_exec_lua", false, NULL, NULL);
  msgpack_pack_array(pk, 2);
  kith_rpc_pack_str(pk, buffers_sync_detach_lua);
  msgpack_pack_array(pk, 1);
  msgpack_pack_int64(pk, id);
  kith_rpc_end(s->rpc);
}

static void buffers_send_attach(Server *s, ServerBuffer *b) {
  ServerApply *a = calloc(1, sizeof *a);
  if (!a)
    return;
  a->server = s;
  a->id = b->id;
  // Answers true and sends the whole text first, or false (not loaded).
  msgpack_packer *pk = kith_rpc_begin(s->rpc, "nvim_exec_lua", false, buffers_on_attached, a);
  msgpack_pack_array(pk, 2);
  kith_rpc_pack_str(pk, buffers_sync_attach_lua);
  msgpack_pack_array(pk, 1);
  msgpack_pack_int64(pk, b->id);
  kith_rpc_end(s->rpc);
}

// Asks Neovim for the whole of a buffer again (detach, then attach with send_buffer): its
// mirror may be out of sync. Nothing to do when that is under way already (the whole text that
// comes with the attach replaces the mirror).
static void buffers_resync(Server *s, ServerBuffer *b) {
  if (b->resyncing)
    return;
  kith_log("buffer %lld: re-reading the whole buffer", (long long)b->id);
  kith_mirror_free(&b->mirror);
  b->synced = false;
  b->resyncing = true; // the detach event that follows is ours
  buffers_send_detach(s, b->id);
  buffers_send_attach(s, b);
}

// Stops following a buffer whose text kith cannot take any more, rather than keep a mirror
// that would be wrong from now on: Neovim stops sending its changes, the plugin forgets it and
// clears what kith showed there, the user is told once why (`why`, a short message).
static void buffers_release(Server *s, ServerBuffer *b, const char *why) {
  kith_log("buffer %lld: no longer followed: %s", (long long)b->id, why);
  int64_t id = b->id;
  buffers_send_detach(s, id);
  msgpack_packer *pk = kith_rpc_begin(s->rpc, "nvim_exec_lua", true, NULL, NULL);
  msgpack_pack_array(pk, 2);
  kith_rpc_pack_str(pk, buffers_released_lua);
  msgpack_pack_array(pk, 1);
  msgpack_pack_int64(pk, id);
  kith_rpc_end(s->rpc);
  host_message(s, why);
  host_buffer_remove(s, b);
}

// A size for the user: "16 MB", or bytes below a megabyte.
static void buffers_size(char *out, size_t size, uint64_t bytes) {
  if (bytes < 1000000)
    snprintf(out, size, "%llu bytes", (unsigned long long)bytes);
  else
    snprintf(out, size, "%llu MB", (unsigned long long)(bytes / 1000000));
}

int host_h_attach(void *ctx, const msgpack_object *params, msgpack_packer *result, char **error) {
  Server *s = ctx;
  int64_t id;
  char *path = NULL, *root = NULL;
  if (!host_param_int(params, 0, &id) || !host_param_str(params, 1, &path) ||
      !host_param_str(params, 2, &root)) {
    free(path);
    return host_fail(error, "kith_attach: expected [buf, path, vault, opts]");
  }
  if (params->via.array.size > 3)
    host_configure(s, &params->via.array.ptr[3]);
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
    buffers_send_detach(s, id);
  }
  buffers_send_attach(s, b);
  free(path);
  free(root);
  if (result)
    msgpack_pack_true(result);
  return 0;
}

int host_h_detach(void *ctx, const msgpack_object *params, msgpack_packer *result, char **error) {
  Server *s = ctx;
  int64_t id;
  if (!host_param_int(params, 0, &id))
    return host_fail(error, "kith_detach: expected [buf]");
  ServerBuffer *b = host_buffer(s, id);
  if (b) {
    buffers_send_detach(s, id);
    host_buffer_remove(s, b);
  }
  if (result)
    msgpack_pack_true(result);
  return 0;
}

int host_h_lines(void *ctx, const msgpack_object *params, msgpack_packer *result, char **error) {
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
    buffers_resync(s, b);
    return 0;
  }
  if (rc != 0)
    return host_fail(error, "out of memory");
  if (s->max_bytes > 0 && b->mirror.len > s->max_bytes) {
    char now[32], limit[32], why[320];
    buffers_size(now, sizeof now, b->mirror.len);
    buffers_size(limit, sizeof limit, s->max_bytes);
    snprintf(why, sizeof why, "kith: %.200s is now %s; kith follows notes up to %s", b->rel, now,
             limit);
    buffers_release(s, b, why);
    return 0;
  }
  host_buffer_changed(b);
  b->synced |= full;
  host_schedule(b, full && !b->parsed ? 0 : (uint64_t)s->debounce_ms);
  return 0;
}

int host_h_changedtick(void *ctx, const msgpack_object *params, msgpack_packer *result,
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

int host_h_buf_detach(void *ctx, const msgpack_object *params, msgpack_packer *result,
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
  // mirror's), an unloaded or wiped one with false or an error, and buffers_on_attached then
  // stops following it.
  b->synced = false;
  buffers_send_attach(s, b);
  return 0;
}

// A notification that could not be read whole (rpc.h). A change too large to take ends the
// following of its buffer; any other lost buffer event, or bytes lost whose messages are unknown,
// has the buffers it may have touched sent again: no mirror stays silently out of sync.
void host_on_lost(void *ctx, const msgpack_object *method, const msgpack_object *params,
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
      buffers_resync(s, s->buffers[i]);
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
    buffers_release(s, b, why);
    return;
  }
  buffers_resync(s, b);
}
