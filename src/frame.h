#pragma once

// Bounds msgpack frames before msgpack-c sees them. msgpack-c 4.0.0 pre-allocates 16 bytes per
// declared element, so a 5-byte array header can ask for 64 GiB; and Neovim 0.7.2 dies on
// nesting deeper than 32. kith_frame_scan() walks the bytes without allocating and says
// whether one whole, well-formed, bounded object is there.

#include <stddef.h>

enum {
  KITH_FRAME_MORE = 0,      // the object is not complete yet
  KITH_FRAME_OK = 1,        // one complete object of *frame_len bytes
  KITH_FRAME_INVALID = -1,  // a byte that begins no msgpack object (0xc1)
  KITH_FRAME_TOO_DEEP = -2, // KITH_FRAME_MAX_DEPTH or more non-empty containers nested
  KITH_FRAME_TOO_BIG = -3,  // declares more than KITH_FRAME_MAX_BYTES
};

#define KITH_FRAME_MAX_DEPTH 32
#define KITH_FRAME_MAX_BYTES (64u * 1024u * 1024u)

/// Scans `data` (borrowed, `len` bytes) for the first msgpack object. Returns one of the
/// KITH_FRAME_* codes; on KITH_FRAME_OK `*frame_len` is its size. When it returns OK, every
/// array or map in the object declares fewer elements than the object has bytes, so unpacking
/// it costs at most 16 bytes of memory per byte of frame.
int kith_frame_scan(const char *data, size_t len, size_t *frame_len);

/// A short description of a KITH_FRAME_* error code (static).
const char *kith_frame_error(int code);
