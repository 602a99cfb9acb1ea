#pragma once

// What src/rpc.c (the endpoint: writing, dispatch) and src/rpc_read.c (reading) share. Private
// to those two files.

#include <msgpack.h>
#include <stdbool.h>
#include <stdint.h>
#include <uv.h>

#include "base/buf.h"
#include "host/frame.h"
#include "host/rpc.h"

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

// --- rpc.c ---------------------------------------------------------------------------------

/// A plain msgpack integer (message types and ids are never EXT objects).
bool rpc_plain_int(const msgpack_object *o, int64_t *out);
/// Sends what is in the output buffer. Returns 0 or a negative libuv error.
int rpc_flush(KithRpc *rpc);
/// Packs an error response to request `id` with `message` (borrowed) into the output buffer.
void rpc_respond_error(KithRpc *rpc, uint64_t id, const char *message);
/// Takes our request `id` off the pending list into *out. False when it is not there.
bool rpc_take_pending(KithRpc *rpc, int64_t id, RpcPending *out);
/// Unpacks one whole, bounded message (`data`, `len` bytes, borrowed) and dispatches it.
void rpc_unpack(KithRpc *rpc, const char *data, size_t len);

// --- rpc_read.c ----------------------------------------------------------------------------

/// Logs the drops counted but not logged yet, when a second has passed since the last line
/// about dropped input, or `now`.
void rpc_log_held(KithRpc *rpc, bool now);
/// Logs a drop of `bytes` bytes, or only counts it when a line about dropped input was logged
/// less than a second ago.
void rpc_log_drop(KithRpc *rpc, uint64_t bytes, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));
