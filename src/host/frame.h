#pragma once

// Where one msgpack message ends, found before msgpack-c sees it. msgpack-c 4.0.0 pre-allocates
// 16 bytes per declared element, so a 5-byte array header can ask for 64 GiB; and Neovim 0.7.2
// dies on nesting deeper than 32. A KithFrame walks one message's structure as its bytes
// arrive, in pieces of any size, without keeping them: it reads headers and only counts
// payloads (str, bin and ext bodies, fixed-size scalars). So the same walk bounds a message that
// is kept to be unpacked, and passes over a message that must not be (too large, too deep)
// whole, by its declared lengths, in a few KB of state whatever its size.

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

enum {
  KITH_FRAME_MORE = 0,      // the message is not complete yet
  KITH_FRAME_OK = 1,        // the message is complete
  KITH_FRAME_INVALID = -1,  // a byte that begins no msgpack object (0xc1)
  KITH_FRAME_TOO_DEEP = -2, // KITH_FRAME_MAX_DEPTH or more non-empty containers nested
  KITH_FRAME_TOO_BIG = -3,  // more than KITH_FRAME_MAX_BYTES
  KITH_FRAME_CORRUPT = -4,  // a declaration nothing Neovim sends can have (see below)
};

#define KITH_FRAME_MAX_DEPTH 32
#define KITH_FRAME_MAX_BYTES (64u * 1024u * 1024u)
/// Nesting a skipped message may have. Deeper, the walk would need unbounded state.
#define KITH_FRAME_SKIP_DEPTH 256
/// The most elements or bytes one header may declare. Neovim counts lines, columns and list
/// items in 32-bit signed integers: a larger declaration means the stream itself is damaged,
/// and walking it would swallow gigabytes of what follows. Such a header is CORRUPT.
#define KITH_FRAME_MAX_DECLARED 0x7fffffffu

/// The walk through one message. Plain data: copy or reset it freely.
typedef struct {
  uint64_t pending[KITH_FRAME_SKIP_DEPTH]; // elements still to come at each open level
  int depth;                               // the innermost open level (-1: the message is done)
  uint64_t payload;                        // payload bytes still to pass over
  unsigned char header[5];                 // a header split across pieces: type + length bytes
  int header_len;
  uint64_t size; // bytes of the message walked so far
  bool skipping; // no size or depth limit but KITH_FRAME_SKIP_DEPTH and CORRUPT
} KithFrame;

/// Begins a message.
void kith_frame_init(KithFrame *frame);

/// Walks the next piece of the message: `data` (borrowed, `len` bytes) follows what earlier
/// calls saw. Sets *used to how many of these bytes it took, and returns:
/// - KITH_FRAME_MORE: all of them belong to the message, which goes on (*used == len);
/// - KITH_FRAME_OK: the message ends after *used bytes (what follows is the next message);
/// - KITH_FRAME_INVALID / KITH_FRAME_CORRUPT: its structure is lost at the last of the *used
///   bytes (the bad byte, or the header that declares too much): its end cannot be found;
/// - KITH_FRAME_TOO_BIG / KITH_FRAME_TOO_DEEP (never while skipping): the message, so far
///   well formed, breaks a limit at the last of the *used bytes. The walk keeps its place: call
///   kith_frame_skip() and go on to pass over the rest of it, without limits, to its OK.
/// Call kith_frame_init() before the next message after any result but MORE, TOO_BIG and
/// TOO_DEEP. When a message is OK without having been skipped, every array or map in it
/// declares fewer elements than it has bytes: unpacking it costs at most 16 bytes of memory per
/// byte of message.
int kith_frame_step(KithFrame *frame, const char *data, size_t len, size_t *used);

/// After TOO_BIG or TOO_DEEP: lifts the limits, to pass over the rest of the message.
void kith_frame_skip(KithFrame *frame);

/// Scans `data` (borrowed, `len` bytes) for the first whole message: kith_frame_step() from a
/// new frame. On KITH_FRAME_OK `*frame_len` is its size.
int kith_frame_scan(const char *data, size_t len, size_t *frame_len);

/// When `data` (borrowed, `len` bytes) begins with a whole array header, returns its length in
/// bytes and sets *count; else 0.
size_t kith_frame_array(const char *data, size_t len, uint32_t *count);

/// A short description of a KITH_FRAME_* error code (static).
const char *kith_frame_error(int code);
