#include "frame.h"

#include <stdint.h>

// Reads a big-endian unsigned integer of `n` bytes at `p`.
static uint64_t frame_be(const unsigned char *p, int n) {
  uint64_t v = 0;
  for (int i = 0; i < n; i++)
    v = (v << 8) | p[i];
  return v;
}

// The shape of the object whose first byte is `b`: how many header bytes follow the type byte,
// how to read a payload length or element count from them, and what it counts.
typedef struct {
  int header;     // bytes after the type byte that hold a length/count (0 = fixed)
  uint64_t fixed; // payload bytes after the header when header == 0 (or immediate count)
  int children;   // 0 = scalar, 1 = array (count elements), 2 = map (count pairs)
  int extra;      // bytes after the header before the payload (ext type byte)
  int immediate;  // the count/length lives in the type byte itself
} FrameShape;

static int frame_shape(unsigned char b, FrameShape *s) {
  *s = (FrameShape){0, 0, 0, 0, 0};
  if (b <= 0x7f || b >= 0xe0 || b == 0xc0 || b == 0xc2 || b == 0xc3)
    return 0;
  if (b >= 0x80 && b <= 0x8f) {
    s->children = 2;
    s->fixed = b & 0x0f;
    s->immediate = 1;
    return 0;
  }
  if (b >= 0x90 && b <= 0x9f) {
    s->children = 1;
    s->fixed = b & 0x0f;
    s->immediate = 1;
    return 0;
  }
  if (b >= 0xa0 && b <= 0xbf) {
    s->fixed = b & 0x1f;
    return 0;
  }
  switch (b) {
  case 0xc4:
    s->header = 1;
    return 0; // bin 8
  case 0xc5:
    s->header = 2;
    return 0;
  case 0xc6:
    s->header = 4;
    return 0;
  case 0xc7:
    s->header = 1;
    s->extra = 1;
    return 0; // ext 8
  case 0xc8:
    s->header = 2;
    s->extra = 1;
    return 0;
  case 0xc9:
    s->header = 4;
    s->extra = 1;
    return 0;
  case 0xca:
    s->fixed = 4;
    return 0; // float 32
  case 0xcb:
    s->fixed = 8;
    return 0;
  case 0xcc:
  case 0xd0:
    s->fixed = 1;
    return 0;
  case 0xcd:
  case 0xd1:
    s->fixed = 2;
    return 0;
  case 0xce:
  case 0xd2:
    s->fixed = 4;
    return 0;
  case 0xcf:
  case 0xd3:
    s->fixed = 8;
    return 0;
  case 0xd4:
    s->fixed = 2;
    return 0; // fixext 1: type + 1
  case 0xd5:
    s->fixed = 3;
    return 0;
  case 0xd6:
    s->fixed = 5;
    return 0;
  case 0xd7:
    s->fixed = 9;
    return 0;
  case 0xd8:
    s->fixed = 17;
    return 0;
  case 0xd9:
    s->header = 1;
    return 0; // str 8
  case 0xda:
    s->header = 2;
    return 0;
  case 0xdb:
    s->header = 4;
    return 0;
  case 0xdc:
    s->header = 2;
    s->children = 1;
    return 0; // array 16
  case 0xdd:
    s->header = 4;
    s->children = 1;
    return 0;
  case 0xde:
    s->header = 2;
    s->children = 2;
    return 0; // map 16
  case 0xdf:
    s->header = 4;
    s->children = 2;
    return 0;
  default:
    return KITH_FRAME_INVALID; // 0xc1
  }
}

int kith_frame_scan(const char *data, size_t len, size_t *frame_len) {
  const unsigned char *p = (const unsigned char *)data;
  uint64_t pending[KITH_FRAME_MAX_DEPTH + 1]; // objects still to read at each open level
  int depth = 0;
  pending[0] = 1;
  size_t at = 0;
  while (depth >= 0) {
    if (pending[depth] == 0) {
      depth--;
      continue;
    }
    if (at >= KITH_FRAME_MAX_BYTES)
      return KITH_FRAME_TOO_BIG;
    if (at >= len)
      return KITH_FRAME_MORE;
    FrameShape s;
    if (frame_shape(p[at], &s) != 0)
      return KITH_FRAME_INVALID;
    pending[depth]--;
    at++;
    uint64_t n = s.fixed;
    if (s.header) {
      if (len - at < (size_t)s.header)
        return at + s.header > KITH_FRAME_MAX_BYTES ? KITH_FRAME_TOO_BIG : KITH_FRAME_MORE;
      n = frame_be(p + at, s.header);
      at += (size_t)s.header;
    }
    if (s.children) {
      uint64_t count = s.children == 2 ? n * 2 : n;
      if (count > KITH_FRAME_MAX_BYTES)
        return KITH_FRAME_TOO_BIG;
      if (depth + 1 > KITH_FRAME_MAX_DEPTH - 1 && count > 0)
        return KITH_FRAME_TOO_DEEP;
      if (count > 0)
        pending[++depth] = count;
      continue;
    }
    uint64_t payload = n + (uint64_t)s.extra;
    if (payload > KITH_FRAME_MAX_BYTES || at + payload > KITH_FRAME_MAX_BYTES)
      return KITH_FRAME_TOO_BIG;
    at += (size_t)payload;
    if (at > len)
      return KITH_FRAME_MORE;
  }
  *frame_len = at;
  return KITH_FRAME_OK;
}

const char *kith_frame_error(int code) {
  switch (code) {
  case KITH_FRAME_INVALID:
    return "bytes that are not msgpack";
  case KITH_FRAME_TOO_DEEP:
    return "a message nested too deep";
  case KITH_FRAME_TOO_BIG:
    return "a message too large";
  default:
    return "no error";
  }
}
