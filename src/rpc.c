#include "rpc.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "buf.h"
#include "frame.h"
#include "log.h"

typedef struct {
  uint32_t id;
  KithRpcCallback callback;
  void *data;
} RpcPending;

enum {
  RPC_HEAD = 256,             // bytes kept of a message that cannot be read: its type, id, method
  RPC_KEEP = 1024 * 1024,     // an input buffer larger than this is freed once its message is read
  RPC_LOG_SECOND = 1000000000 // ns between two log lines about dropped input
};

// What the reader is doing: reading a message (keeping its bytes), passing over one that is too
// large or too deep (keeping none), or looking for the next message after bytes that are not
// msgpack.
typedef enum { RPC_READ, RPC_SKIP, RPC_RESYNC } RpcMode;

struct KithRpc {
  uv_stream_t *in;
  uv_stream_t *out;
  const KithRpcMethod *methods;
  void *ctx;
  KithRpcCloseFn on_close;
  KithRpcLostFn on_lost;
  RpcMode mode;
  KithFrame frame;           // where the message being read or skipped stands
  KithBuf input;             // RPC_READ: the message's bytes so far
  int reason;                // RPC_SKIP, RPC_RESYNC: the KITH_FRAME_* code that stopped the reading
  char what[64];             // RPC_SKIP: what the message was, for the log
  uint64_t resync_bytes;     // RPC_RESYNC: bytes dropped so far
  unsigned char resync_lead; // RPC_RESYNC: the last byte seen when it may begin a message
  uint64_t log_quiet_until;  // uv_hrtime() before which drops are counted, not logged
  uint64_t log_held, log_held_bytes;
  char log_last[256]; // the last drop counted but not logged
  msgpack_sbuffer output;
  msgpack_packer packer;
  bool open; // a message is being packed
  uint32_t next_id;
  RpcPending *pending;
  size_t pending_count, pending_cap;
  KithRpcStats stats;
  bool closed;
};

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

static void rpc_log_held(KithRpc *rpc, bool now);

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
static bool rpc_plain_int(const msgpack_object *o, int64_t *out) {
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
static int rpc_flush(KithRpc *rpc) {
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

// --- dropped input -----------------------------------------------------------------------

// Says what `held` drops were (when there are any, and a second has passed or `now`).
static void rpc_log_held(KithRpc *rpc, bool now) {
  if (rpc->log_held == 0)
    return;
  uint64_t t = uv_hrtime();
  if (!now && t < rpc->log_quiet_until)
    return;
  if (rpc->log_held == 1)
    kith_log("%s", rpc->log_last);
  else
    kith_log("%s (and %llu more dropped input%s before it, %llu bytes in all)", rpc->log_last,
             (unsigned long long)rpc->log_held - 1, rpc->log_held == 2 ? "" : "s",
             (unsigned long long)rpc->log_held_bytes);
  rpc->log_held = rpc->log_held_bytes = 0;
  rpc->log_quiet_until = t + RPC_LOG_SECOND;
}

// Logs a drop of `bytes` bytes, unless a line about dropped input was logged less than a second
// ago: then it is only counted, and the count is logged a second later (a flood of bad input
// makes a line a second, not a line per byte).
static void rpc_log_drop(KithRpc *rpc, uint64_t bytes, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));
static void rpc_log_drop(KithRpc *rpc, uint64_t bytes, const char *fmt, ...) {
  rpc->stats.bytes_dropped += bytes;
  rpc_log_held(rpc, false);
  uint64_t t = uv_hrtime();
  bool quiet = t < rpc->log_quiet_until;
  char *line = rpc->log_last, now[sizeof rpc->log_last];
  if (!quiet)
    line = now;
  va_list ap;
  va_start(ap, fmt);
  vsnprintf(line, sizeof rpc->log_last, fmt, ap);
  va_end(ap);
  if (quiet) {
    rpc->log_held++;
    rpc->log_held_bytes += bytes;
    return;
  }
  kith_log("%s", line);
  rpc->log_quiet_until = t + RPC_LOG_SECOND;
}

// --- dispatch ----------------------------------------------------------------------------

static const KithRpcMethod *rpc_method(const KithRpc *rpc, const msgpack_object *name) {
  for (const KithRpcMethod *m = rpc->methods; m && m->name; m++) {
    if (kith_rpc_is(name, m->name))
      return m;
  }
  return NULL;
}

static void rpc_respond_error(KithRpc *rpc, uint64_t id, const char *message) {
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
static bool rpc_take_pending(KithRpc *rpc, int64_t id, RpcPending *out) {
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
static void rpc_unpack(KithRpc *rpc, const char *data, size_t len) {
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

// --- messages that cannot be read ----------------------------------------------------------

// Rebuilds what the first bytes of a message that cannot be read (`head`, `len` bytes) say:
// its fields as far as they are whole there, the last one (the params) with its leading whole
// elements, into `out` (whose strings point into `sb`). False when they begin no RPC array.
static bool rpc_head(const char *head, size_t len, msgpack_sbuffer *sb, msgpack_unpacked *out) {
  uint32_t count;
  size_t at = kith_frame_array(head, len, &count);
  if (at == 0 || count < 3 || count > 4)
    return false;
  size_t begin = at, n;
  uint32_t fields = 0;
  while (fields < count && kith_frame_scan(head + at, len - at, &n) == KITH_FRAME_OK) {
    at += n;
    fields++;
  }
  size_t end = at, params_begin = at;
  uint32_t params = 0, params_count = 0;
  size_t params_header =
      fields == count - 1 ? kith_frame_array(head + at, len - at, &params_count) : 0;
  bool partial = params_header > 0; // the params began but did not end in the head
  if (partial) {
    at += params_header;
    params_begin = at;
    while (params < params_count && kith_frame_scan(head + at, len - at, &n) == KITH_FRAME_OK) {
      at += n;
      params++;
    }
  }
  msgpack_packer pk;
  msgpack_packer_init(&pk, sb, msgpack_sbuffer_write);
  msgpack_pack_array(&pk, fields + (partial ? 1 : 0));
  msgpack_sbuffer_write(sb, head + begin, end - begin);
  if (partial) {
    msgpack_pack_array(&pk, params);
    msgpack_sbuffer_write(sb, head + params_begin, at - params_begin);
  }
  size_t off = 0;
  return msgpack_unpack_next(out, sb->data, sb->size, &off) == MSGPACK_UNPACK_SUCCESS &&
         out->data.type == MSGPACK_OBJECT_ARRAY && out->data.via.array.size > 0;
}

static const char *rpc_lost_message(int reason) {
  switch (reason) {
  case KITH_FRAME_TOO_BIG:
    return "kith: message too large";
  case KITH_FRAME_TOO_DEEP:
    return "kith: message nested too deep";
  default:
    return "kith: malformed message";
  }
}

// Answers for a message that cannot be read, from its first bytes (`head`, `len` bytes): a
// request gets an error response with its id, a response fails its callback, a notification
// goes to on_lost. Writes what the message was into `what` (for the log).
static void rpc_lost(KithRpc *rpc, const char *head, size_t len, int reason, char *what,
                     size_t what_size) {
  msgpack_sbuffer sb;
  msgpack_sbuffer_init(&sb);
  msgpack_unpacked u;
  msgpack_unpacked_init(&u);
  snprintf(what, what_size, "a message");
  if (!rpc_head(head, len, &sb, &u))
    goto done;
  const msgpack_object *f = u.data.via.array.ptr;
  uint32_t n = u.data.via.array.size;
  int64_t type = -1, id = -1;
  rpc_plain_int(&f[0], &type);
  const char *name = "?";
  size_t name_len = 1;
  if (type == 0 && n >= 2 && rpc_plain_int(&f[1], &id) && id >= 0 && id <= UINT32_MAX) {
    if (n >= 3)
      kith_rpc_str(&f[2], &name, &name_len);
    snprintf(what, what_size, "request %lld (%.*s)", (long long)id,
             (int)(name_len > 30 ? 30 : name_len), name);
    rpc_respond_error(rpc, (uint64_t)id, rpc_lost_message(reason));
    rpc_flush(rpc);
  } else if (type == 1 && n >= 2 && rpc_plain_int(&f[1], &id)) {
    snprintf(what, what_size, "the response to request %lld", (long long)id);
    RpcPending p;
    if (rpc_take_pending(rpc, id, &p) && p.callback) {
      const char *message = rpc_lost_message(reason);
      msgpack_object error = {.type = MSGPACK_OBJECT_STR};
      error.via.str.ptr = message;
      error.via.str.size = (uint32_t)strlen(message);
      msgpack_object nil = {.type = MSGPACK_OBJECT_NIL};
      p.callback(p.data, &error, &nil);
    }
  } else if (type == 2) {
    const msgpack_object *method = n >= 2 && kith_rpc_str(&f[1], &name, &name_len) ? &f[1] : NULL;
    msgpack_object none = {.type = MSGPACK_OBJECT_ARRAY};
    const msgpack_object *params = n >= 3 && f[2].type == MSGPACK_OBJECT_ARRAY ? &f[2] : &none;
    snprintf(what, what_size, "%.*s", (int)(name_len > 40 ? 40 : name_len), name);
    if (rpc->on_lost)
      rpc->on_lost(rpc->ctx, method, params, reason);
  }
done:
  msgpack_unpacked_destroy(&u);
  msgpack_sbuffer_destroy(&sb);
}

// --- reading -------------------------------------------------------------------------------

static void rpc_input_clear(KithRpc *rpc) {
  rpc->input.len = 0;
  if (rpc->input.cap > RPC_KEEP)
    kith_buf_free(&rpc->input);
}

// Stops reading the current message after its first bytes: what is buffered, then `data`
// (`len` bytes). Answers for it (rpc_lost) and passes over the rest of it (TOO_BIG, TOO_DEEP)
// or, when its end cannot be found, looks for the next message.
static void rpc_give_up(KithRpc *rpc, const char *data, size_t len, int reason) {
  char head[RPC_HEAD];
  size_t n = rpc->input.len < RPC_HEAD ? rpc->input.len : RPC_HEAD;
  if (n)
    memcpy(head, rpc->input.data, n);
  size_t m = len < RPC_HEAD - n ? len : RPC_HEAD - n;
  memcpy(head + n, data, m);
  rpc_input_clear(rpc);
  rpc->stats.frames_dropped++;
  rpc->reason = reason;
  if (reason == KITH_FRAME_TOO_BIG || reason == KITH_FRAME_TOO_DEEP) {
    rpc->mode = RPC_SKIP;
    kith_frame_skip(&rpc->frame);
  } else {
    rpc->mode = RPC_RESYNC;
    rpc->resync_bytes = rpc->frame.size;
    rpc->resync_lead = 0;
    kith_frame_init(&rpc->frame);
  }
  rpc_lost(rpc, head, n + m, reason, rpc->what, sizeof rpc->what);
}

// RPC_READ: takes bytes of the current message; dispatches it when whole.
static size_t rpc_read(KithRpc *rpc, const char *data, size_t len) {
  size_t used = 0;
  int rc = kith_frame_step(&rpc->frame, data, len, &used);
  if (rc == KITH_FRAME_MORE) {
    if (kith_buf_append(&rpc->input, data, used) != 0) {
      kith_log("rpc: out of memory for a message of %.1f MiB", rpc->frame.size / 1048576.0);
      rpc_give_up(rpc, data, used, KITH_FRAME_TOO_BIG);
      return used;
    }
    if (rpc->input.cap > rpc->stats.input_peak)
      rpc->stats.input_peak = rpc->input.cap;
    return used;
  }
  if (rc == KITH_FRAME_OK) {
    kith_frame_init(&rpc->frame);
    if (rpc->input.len == 0) {
      rpc_unpack(rpc, data, used);
    } else if (kith_buf_append(&rpc->input, data, used) == 0) {
      rpc_unpack(rpc, rpc->input.data, rpc->input.len);
    } else {
      rpc->stats.frames_dropped++;
      rpc_log_drop(rpc, rpc->input.len + used, "rpc: out of memory; a message dropped");
    }
    rpc_input_clear(rpc);
    return used;
  }
  rpc_give_up(rpc, data, used, rc);
  return used;
}

// RPC_SKIP: passes over the rest of a message too large or too deep, keeping none of it.
static size_t rpc_skip(KithRpc *rpc, const char *data, size_t len) {
  size_t used = 0;
  int rc = kith_frame_step(&rpc->frame, data, len, &used);
  if (rc == KITH_FRAME_MORE)
    return used;
  if (rc == KITH_FRAME_OK) {
    rpc_log_drop(rpc, rpc->frame.size, "rpc: skipped %s of %.1f MiB: %s", rpc->what,
                 rpc->frame.size / 1048576.0, kith_frame_error(rpc->reason));
    kith_frame_init(&rpc->frame);
    rpc->mode = RPC_READ;
    return used;
  }
  // Its structure is lost inside (CORRUPT, INVALID): look for the next message.
  rpc->mode = RPC_RESYNC;
  rpc->reason = rc;
  rpc->resync_bytes = rpc->frame.size;
  rpc->resync_lead = 0;
  kith_frame_init(&rpc->frame);
  return used;
}

// Whether bytes `a`, `b` can begin an RPC message: a request, response or notification array.
static bool rpc_begins(unsigned char a, unsigned char b) {
  return (a == 0x94 && (b == 0x00 || b == 0x01)) || (a == 0x93 && b == 0x02);
}

// RPC_RESYNC found the next message: says what was dropped, and that any notification may have
// been among it.
static void rpc_resynced(KithRpc *rpc) {
  rpc->mode = RPC_READ;
  rpc_log_drop(rpc, rpc->resync_bytes, "rpc: dropped %llu bytes up to the next message: %s",
               (unsigned long long)rpc->resync_bytes, kith_frame_error(rpc->reason));
  if (rpc->on_lost) {
    msgpack_object none = {.type = MSGPACK_OBJECT_ARRAY};
    rpc->on_lost(rpc->ctx, NULL, &none, rpc->reason);
  }
}

// RPC_RESYNC: drops bytes up to the next pair that begins an RPC message.
static size_t rpc_resync(KithRpc *rpc, const char *data, size_t len) {
  const unsigned char *p = (const unsigned char *)data;
  if (rpc->resync_lead) {
    char lead = (char)rpc->resync_lead;
    rpc->resync_lead = 0;
    if (rpc_begins((unsigned char)lead, p[0])) {
      rpc_resynced(rpc);
      rpc_read(rpc, &lead, 1); // the message's first byte came with the last piece
      return 0;
    }
    rpc->resync_bytes++;
  }
  for (size_t i = 0; i + 1 < len; i++) {
    if (rpc_begins(p[i], p[i + 1])) {
      rpc->resync_bytes += i;
      rpc_resynced(rpc);
      return i;
    }
  }
  if (p[len - 1] == 0x93 || p[len - 1] == 0x94) {
    rpc->resync_lead = p[len - 1];
    rpc->resync_bytes += len - 1;
  } else {
    rpc->resync_bytes += len;
  }
  return len;
}

void kith_rpc_feed(KithRpc *rpc, const char *data, size_t len) {
  while (len > 0 && !rpc->closed) {
    size_t used = rpc->mode == RPC_READ   ? rpc_read(rpc, data, len)
                  : rpc->mode == RPC_SKIP ? rpc_skip(rpc, data, len)
                                          : rpc_resync(rpc, data, len);
    data += used;
    len -= used;
  }
  rpc_log_held(rpc, false);
}

static void rpc_on_alloc(uv_handle_t *handle, size_t suggested, uv_buf_t *buf) {
  (void)handle;
  buf->base = malloc(suggested);
  buf->len = buf->base ? suggested : 0;
}

static void rpc_on_read(uv_stream_t *stream, ssize_t nread, const uv_buf_t *buf) {
  KithRpc *rpc = stream->data;
  if (nread > 0)
    kith_rpc_feed(rpc, buf->base, (size_t)nread);
  free(buf->base);
  if (nread < 0) {
    if (nread != UV_EOF)
      kith_log("rpc: read failed: %s", uv_strerror((int)nread));
    uv_read_stop(stream);
    rpc->closed = true;
    if (rpc->on_close)
      rpc->on_close(rpc->ctx);
  }
}

int kith_rpc_start(KithRpc *rpc) {
  return uv_read_start(rpc->in, rpc_on_alloc, rpc_on_read);
}

char *kith_rpc_take_output(KithRpc *rpc, size_t *len) {
  *len = rpc->output.size;
  char *data = rpc->output.data;
  msgpack_sbuffer_init(&rpc->output);
  return data;
}
