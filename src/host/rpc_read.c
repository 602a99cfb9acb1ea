#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "base/buf.h"
#include "base/log.h"
#include "host/frame.h"
#include "host/rpc.h"
#include "host/rpc_private.h"

// The reading side of an RPC endpoint: bytes from the stream become whole, bounded messages
// (dispatched by rpc.c); a message too large or too deep is passed over by its declared lengths
// and answered for from its first bytes; after bytes that are not msgpack the reader looks for
// the next message; drops are logged a line a second at most.

// --- dropped input -----------------------------------------------------------------------

// Says what `held` drops were (when there are any, and a second has passed or `now`).
void rpc_log_held(KithRpc *rpc, bool now) {
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
void rpc_log_drop(KithRpc *rpc, uint64_t bytes, const char *fmt, ...) {
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
