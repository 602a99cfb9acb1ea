#include "host/rpc.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "base/buf.h"
#include "base/log.h"
#include "host/frame.h"
#include "host/rpc_private.h"

typedef struct {
  uv_write_t req;
  uv_buf_t buf;
} RpcWrite;

KithRpc *kith_rpc_new(uv_stream_t *in, uv_stream_t *out, const KithRpcMethod *methods, void *ctx,
                      KithRpcCloseFn on_close) {
  KithRpc *rpc = calloc(1, sizeof *rpc);
  if (!rpc)
    return NULL;
  rpc->in = in;
  rpc->out = out;
  rpc->methods = methods;
  rpc->ctx = ctx;
  rpc->on_close = on_close;
  rpc->next_id = 1;
  kith_frame_init(&rpc->frame);
  msgpack_sbuffer_init(&rpc->output);
  msgpack_packer_init(&rpc->packer, &rpc->output, msgpack_sbuffer_write);
  if (in)
    in->data = rpc;
  return rpc;
}

void kith_rpc_free(KithRpc *rpc) {
  if (!rpc)
    return;
  if (rpc->mode == RPC_SKIP)
    kith_log("rpc: the channel closed %.1f MiB into %s, which was being skipped",
             rpc->frame.size / 1048576.0, rpc->what);
  else if (rpc->mode == RPC_RESYNC)
    kith_log("rpc: the channel closed after %llu bytes that are not msgpack",
             (unsigned long long)rpc->resync_bytes);
  rpc_log_held(rpc, true);
  RpcPending *pending = rpc->pending;
  size_t count = rpc->pending_count;
  rpc->pending = NULL;
  rpc->pending_count = 0;
  for (size_t i = 0; i < count; i++) {
    if (pending[i].callback)
      pending[i].callback(pending[i].data, NULL, NULL);
  }
  free(pending);
  kith_buf_free(&rpc->input);
  msgpack_sbuffer_destroy(&rpc->output);
  free(rpc);
}

KithRpcStats kith_rpc_stats(const KithRpc *rpc) {
  return rpc->stats;
}

void kith_rpc_on_lost(KithRpc *rpc, KithRpcLostFn on_lost) {
  rpc->on_lost = on_lost;
}

// --- reading objects ---------------------------------------------------------------------

// A plain msgpack integer (message types and ids are never EXT objects).
bool rpc_plain_int(const msgpack_object *o, int64_t *out) {
  return o->type != MSGPACK_OBJECT_EXT && kith_rpc_int(o, out);
}

bool kith_rpc_int(const msgpack_object *o, int64_t *out) {
  if (o->type == MSGPACK_OBJECT_POSITIVE_INTEGER && o->via.u64 <= INT64_MAX) {
    *out = (int64_t)o->via.u64;
    return true;
  }
  if (o->type == MSGPACK_OBJECT_NEGATIVE_INTEGER) {
    *out = o->via.i64;
    return true;
  }
  if (o->type == MSGPACK_OBJECT_EXT && o->via.ext.size >= 1 && o->via.ext.size <= 9) {
    // Neovim sends buffer/window handles as EXT objects holding a msgpack integer.
    msgpack_unpacked inner;
    msgpack_unpacked_init(&inner);
    size_t off = 0;
    bool ok = msgpack_unpack_next(&inner, o->via.ext.ptr, o->via.ext.size, &off) ==
                  MSGPACK_UNPACK_SUCCESS &&
              inner.data.type != MSGPACK_OBJECT_EXT && kith_rpc_int(&inner.data, out);
    msgpack_unpacked_destroy(&inner);
    return ok;
  }
  return false;
}

bool kith_rpc_str(const msgpack_object *o, const char **s, size_t *len) {
  if (o->type == MSGPACK_OBJECT_STR) {
    *s = o->via.str.ptr;
    *len = o->via.str.size;
    return true;
  }
  if (o->type == MSGPACK_OBJECT_BIN) {
    *s = o->via.bin.ptr;
    *len = o->via.bin.size;
    return true;
  }
  return false;
}

bool kith_rpc_is(const msgpack_object *o, const char *s) {
  const char *p;
  size_t n;
  return kith_rpc_str(o, &p, &n) && n == strlen(s) && memcmp(p, s, n) == 0;
}

const msgpack_object *kith_rpc_field(const msgpack_object *map, const char *key) {
  if (!map || map->type != MSGPACK_OBJECT_MAP)
    return NULL;
  for (uint32_t i = 0; i < map->via.map.size; i++) {
    if (kith_rpc_is(&map->via.map.ptr[i].key, key))
      return &map->via.map.ptr[i].val;
  }
  return NULL;
}

int kith_rpc_pack_str(msgpack_packer *pk, const char *s) {
  size_t n = strlen(s);
  return msgpack_pack_str(pk, n) || msgpack_pack_str_body(pk, s, n);
}

int kith_rpc_pack_bytes(msgpack_packer *pk, const char *data, size_t len) {
  return msgpack_pack_str(pk, len) || msgpack_pack_str_body(pk, data ? data : "", len);
}

int kith_rpc_pack_bool(msgpack_packer *pk, bool value) {
  return value ? msgpack_pack_true(pk) : msgpack_pack_false(pk);
}

// --- writing -----------------------------------------------------------------------------

static void rpc_on_write(uv_write_t *req, int status) {
  RpcWrite *w = (RpcWrite *)req;
  if (status < 0)
    kith_log("rpc: write failed: %s", uv_strerror(status));
  free(w->buf.base);
  free(w);
}

// Sends what is in the output buffer. Returns 0 or a negative libuv error.
int rpc_flush(KithRpc *rpc) {
  if (rpc->output.size == 0)
    return 0;
  if (!rpc->out)
    return 0; // no stream (tests): the bytes wait for kith_rpc_take_output()
  if (rpc->closed) {
    rpc->output.size = 0;
    return UV_EPIPE;
  }
  RpcWrite *w = malloc(sizeof *w);
  if (!w)
    return UV_ENOMEM;
  w->buf = uv_buf_init(rpc->output.data, (unsigned int)rpc->output.size);
  // Hand the bytes to the write request; start a fresh buffer.
  msgpack_sbuffer_init(&rpc->output);
  int rc = uv_write(&w->req, rpc->out, &w->buf, 1, rpc_on_write);
  if (rc < 0) {
    free(w->buf.base);
    free(w);
  }
  return rc;
}

msgpack_packer *kith_rpc_begin(KithRpc *rpc, const char *method, bool notify,
                               KithRpcCallback callback, void *data) {
  msgpack_packer *pk = &rpc->packer;
  rpc->open = true;
  if (notify) {
    msgpack_pack_array(pk, 3);
    msgpack_pack_int(pk, 2);
  } else {
    uint32_t id = rpc->next_id++;
    if (rpc->pending_count == rpc->pending_cap) {
      size_t cap = rpc->pending_cap ? rpc->pending_cap * 2 : 16;
      RpcPending *grown = realloc(rpc->pending, cap * sizeof *grown);
      if (grown) {
        rpc->pending = grown;
        rpc->pending_cap = cap;
      }
    }
    if (rpc->pending_count < rpc->pending_cap)
      rpc->pending[rpc->pending_count++] = (RpcPending){id, callback, data};
    msgpack_pack_array(pk, 4);
    msgpack_pack_int(pk, 0);
    msgpack_pack_uint32(pk, id);
    rpc->stats.requests_out++;
  }
  kith_rpc_pack_str(pk, method);
  return pk;
}

int kith_rpc_end(KithRpc *rpc) {
  rpc->open = false;
  return rpc_flush(rpc);
}

// --- dispatch ----------------------------------------------------------------------------

static const KithRpcMethod *rpc_method(const KithRpc *rpc, const msgpack_object *name) {
  for (const KithRpcMethod *m = rpc->methods; m && m->name; m++) {
    if (kith_rpc_is(name, m->name))
      return m;
  }
  return NULL;
}

void rpc_respond_error(KithRpc *rpc, uint64_t id, const char *message) {
  msgpack_packer *pk = &rpc->packer;
  msgpack_pack_array(pk, 4);
  msgpack_pack_int(pk, 1);
  msgpack_pack_uint64(pk, id);
  msgpack_pack_array(pk, 2);
  msgpack_pack_int(pk, 0);
  kith_rpc_pack_str(pk, message);
  msgpack_pack_nil(pk);
}

static void rpc_request(KithRpc *rpc, const msgpack_object *msg) {
  const msgpack_object *f = msg->via.array.ptr;
  int64_t id;
  if (!rpc_plain_int(&f[1], &id) || id < 0 || id > UINT32_MAX) {
    rpc->stats.frames_dropped++;
    rpc_log_drop(rpc, 0, "rpc: dropped a request without a valid id");
    return;
  }
  const KithRpcMethod *m = rpc_method(rpc, &f[2]);
  if (!m || f[3].type != MSGPACK_OBJECT_ARRAY) {
    char message[160];
    const char *name = "?";
    size_t len = 1;
    kith_rpc_str(&f[2], &name, &len);
    snprintf(message, sizeof message,
             m ? "kith: %.*s: params must be an array" : "kith: unknown method '%.*s'",
             (int)(len > 100 ? 100 : len), name);
    rpc_respond_error(rpc, (uint64_t)id, message);
    rpc_flush(rpc);
    return;
  }
  // Pack the result into a side buffer so a failing handler leaves no partial output.
  msgpack_sbuffer result;
  msgpack_sbuffer_init(&result);
  msgpack_packer rpk;
  msgpack_packer_init(&rpk, &result, msgpack_sbuffer_write);
  char *error = NULL;
  int rc = m->handler(rpc->ctx, &f[3], &rpk, &error);
  if (rc != 0 || result.size == 0) {
    rpc_respond_error(rpc, (uint64_t)id, error ? error : "kith: request failed");
  } else {
    msgpack_packer *pk = &rpc->packer;
    msgpack_pack_array(pk, 4);
    msgpack_pack_int(pk, 1);
    msgpack_pack_uint64(pk, (uint64_t)id);
    msgpack_pack_nil(pk);
    msgpack_sbuffer_write(&rpc->output, result.data, result.size);
  }
  free(error);
  msgpack_sbuffer_destroy(&result);
  rpc_flush(rpc);
}

// Takes our request `id` off the pending list into *out. False when it is not there.
bool rpc_take_pending(KithRpc *rpc, int64_t id, RpcPending *out) {
  for (size_t i = 0; i < rpc->pending_count; i++) {
    if (rpc->pending[i].id != (uint64_t)id)
      continue;
    *out = rpc->pending[i];
    memmove(&rpc->pending[i], &rpc->pending[i + 1],
            (rpc->pending_count - i - 1) * sizeof *rpc->pending);
    rpc->pending_count--;
    return true;
  }
  return false;
}

static void rpc_response(KithRpc *rpc, const msgpack_object *msg) {
  const msgpack_object *f = msg->via.array.ptr;
  int64_t id;
  rpc->stats.responses_in++;
  if (!rpc_plain_int(&f[1], &id)) {
    kith_log("rpc: dropped a response without an id");
    return;
  }
  RpcPending p;
  if (!rpc_take_pending(rpc, id, &p)) {
    kith_log("rpc: response to unknown request %lld", (long long)id);
    return;
  }
  if (f[2].type != MSGPACK_OBJECT_NIL)
    kith_log("rpc: request %lld failed", (long long)id);
  if (p.callback)
    p.callback(p.data, &f[2], &f[3]);
}

static void rpc_notification(KithRpc *rpc, const msgpack_object *msg) {
  const msgpack_object *f = msg->via.array.ptr;
  rpc->stats.notifications_in++;
  const KithRpcMethod *m = rpc_method(rpc, &f[1]);
  if (!m || f[2].type != MSGPACK_OBJECT_ARRAY)
    return; // notifications we do not handle (or malformed) are ignored
  char *error = NULL;
  if (m->handler(rpc->ctx, &f[2], NULL, &error) != 0)
    kith_log("rpc: %s: %s", m->name, error ? error : "failed");
  free(error);
}

static void rpc_dispatch(KithRpc *rpc, const msgpack_object *msg, size_t bytes) {
  rpc->stats.frames_in++;
  int64_t type = -1;
  if (msg->type != MSGPACK_OBJECT_ARRAY || msg->via.array.size < 3 ||
      !rpc_plain_int(&msg->via.array.ptr[0], &type)) {
    rpc->stats.frames_dropped++;
    rpc_log_drop(rpc, bytes, "rpc: dropped a message that is not an RPC array");
    return;
  }
  uint32_t size = msg->via.array.size;
  if (type == 0 && size == 4)
    rpc_request(rpc, msg);
  else if (type == 1 && size == 4)
    rpc_response(rpc, msg);
  else if (type == 2 && size == 3)
    rpc_notification(rpc, msg);
  else {
    rpc->stats.frames_dropped++;
    rpc_log_drop(rpc, bytes, "rpc: dropped a message of type %lld with %u fields", (long long)type,
                 size);
  }
}

// Unpacks one whole, bounded message (kith_frame_step said OK) and dispatches it.
void rpc_unpack(KithRpc *rpc, const char *data, size_t len) {
  msgpack_unpacked msg;
  msgpack_unpacked_init(&msg);
  size_t off = 0;
  if (msgpack_unpack_next(&msg, data, len, &off) == MSGPACK_UNPACK_SUCCESS) {
    rpc_dispatch(rpc, &msg.data, len);
  } else {
    rpc->stats.frames_dropped++;
    rpc_log_drop(rpc, len, "rpc: dropped a message msgpack-c cannot unpack");
  }
  msgpack_unpacked_destroy(&msg);
}

char *kith_rpc_take_output(KithRpc *rpc, size_t *len) {
  *len = rpc->output.size;
  char *data = rpc->output.data;
  msgpack_sbuffer_init(&rpc->output);
  return data;
}
