#pragma once

// msgpack-RPC over a pair of libuv streams (Neovim's channel protocol): requests, responses and
// notifications both ways. Incoming messages are bounded (frame.h) before msgpack-c unpacks them;
// requests are answered in the order they came (Neovim 0.7.2 requires it), because handlers
// answer synchronously; responses to our requests are matched by id.
//
// Input that cannot be read never costs what follows it. A message over 64 MiB or nested too
// deep is passed over whole, by its declared lengths, without keeping its bytes; bytes that are
// not msgpack are dropped up to the next byte pair that begins an RPC message (0x94 0x00 a
// request, 0x94 0x01 a response, 0x93 0x02 a notification). What such a message's first bytes
// say is not lost: a request gets an error response with its id, a response fails its callback,
// a notification goes to the KithRpcLostFn. The log says so at most once a second (with counts).

#include <msgpack.h>
#include <stdbool.h>
#include <stdint.h>
#include <uv.h>

typedef struct KithRpc KithRpc;

/// A request or notification handler. `params` is the (borrowed) params array. For a request
/// `result` is a packer to pack exactly one object into (the result) and the handler returns
/// 0, or returns -1 with *error set (caller frees) and packs nothing. For a notification
/// `result` is NULL.
typedef int (*KithRpcHandler)(void *ctx, const msgpack_object *params, msgpack_packer *result,
                              char **error);

typedef struct {
  const char *name;
  KithRpcHandler handler;
} KithRpcMethod;

/// Called with the response to one of our requests: `error` is nil-type when there was none.
/// Both objects are borrowed for the duration of the call. On a closed channel both are NULL.
typedef void (*KithRpcCallback)(void *data, const msgpack_object *error,
                                const msgpack_object *result);

/// Called once when the peer closes its end (EOF) or the stream fails.
typedef void (*KithRpcCloseFn)(void *ctx);

/// Called when a notification could not be read whole: `reason` is the KITH_FRAME_* code
/// (frame.h). `method` and `params` (borrowed, for the call) are what its first bytes held:
/// params has the leading parameters that were whole there (maybe none). With `method` NULL,
/// bytes were dropped whose messages are unknown: any notification may have been among them.
typedef void (*KithRpcLostFn)(void *ctx, const msgpack_object *method, const msgpack_object *params,
                              int reason);

/// Makes an RPC endpoint reading `in` and writing `out` (borrowed; both already initialised on
/// `loop`). `methods` (borrowed, ends with {NULL, NULL}) is the dispatch table; `ctx` is passed
/// to handlers. Caller frees with kith_rpc_free(). Returns NULL when out of memory.
KithRpc *kith_rpc_new(uv_stream_t *in, uv_stream_t *out, const KithRpcMethod *methods, void *ctx,
                      KithRpcCloseFn on_close);

/// Sets the function told about notifications that could not be read (default: none).
void kith_rpc_on_lost(KithRpc *rpc, KithRpcLostFn on_lost);

/// Starts reading. Returns 0 or a negative libuv error.
int kith_rpc_start(KithRpc *rpc);

/// Feeds bytes as if they had been read (used by the reader and by tests).
void kith_rpc_feed(KithRpc *rpc, const char *data, size_t len);

/// Begins a request (`callback` may be NULL: the response is then ignored) or, with
/// `notify`, a notification. Returns the packer to pack the params array into; finish with
/// kith_rpc_end(). Only one message may be open at a time.
msgpack_packer *kith_rpc_begin(KithRpc *rpc, const char *method, bool notify,
                               KithRpcCallback callback, void *data);

/// Sends the message begun with kith_rpc_begin(). Returns 0 or a negative libuv error.
int kith_rpc_end(KithRpc *rpc);

/// Frees the endpoint (fails pending callbacks with NULL). Does not close the streams.
void kith_rpc_free(KithRpc *rpc);

/// Without an `out` stream (tests), what would have been written: the bytes (caller frees;
/// NULL when none) and their length.
char *kith_rpc_take_output(KithRpc *rpc, size_t *len);

/// Counters for tests and logs. `frames_dropped` counts messages (or runs of bytes that are not
/// msgpack) dropped; `bytes_dropped` their bytes; `input_peak` the most bytes of input held.
typedef struct {
  uint64_t frames_in, frames_dropped, requests_out, responses_in, notifications_in;
  uint64_t bytes_dropped, input_peak;
} KithRpcStats;
KithRpcStats kith_rpc_stats(const KithRpc *rpc);

/// Helpers to read msgpack objects (borrowed). Return false when the type does not match.
bool kith_rpc_int(const msgpack_object *o, int64_t *out);
bool kith_rpc_str(const msgpack_object *o, const char **s, size_t *len);
bool kith_rpc_is(const msgpack_object *o, const char *s);
/// The field `key` of a map, or NULL.
const msgpack_object *kith_rpc_field(const msgpack_object *map, const char *key);
/// Packs a NUL-terminated string.
int kith_rpc_pack_str(msgpack_packer *pk, const char *s);
/// Packs `len` bytes of `data` (borrowed; may be NULL when `len` is 0) as a string.
int kith_rpc_pack_bytes(msgpack_packer *pk, const char *data, size_t len);
/// Packs a boolean.
int kith_rpc_pack_bool(msgpack_packer *pk, bool value);
