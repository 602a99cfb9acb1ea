#include "host/frame.h"

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

// Whether `extra` more bytes would take the message past KITH_FRAME_MAX_BYTES.
static bool frame_over(const KithFrame *f, uint64_t extra) {
  return f->size > KITH_FRAME_MAX_BYTES || extra > KITH_FRAME_MAX_BYTES - f->size;
}

void kith_frame_init(KithFrame *frame) {
  frame->depth = 0;
  frame->pending[0] = 1; // the message itself
  frame->payload = 0;
  frame->header_len = 0;
  frame->size = 0;
  frame->skipping = false;
}

void kith_frame_skip(KithFrame *frame) {
  frame->skipping = true;
}

int kith_frame_step(KithFrame *f, const char *data, size_t len, size_t *used) {
  const unsigned char *p = (const unsigned char *)data;
  size_t at = 0;
  int rc;
  while (true) {
    if (f->payload > 0) {
      size_t n = len - at < f->payload ? len - at : (size_t)f->payload;
      at += n;
      f->payload -= n;
      f->size += n;
      if (f->payload > 0) {
        rc = KITH_FRAME_MORE;
        break;
      }
    }
    while (f->depth >= 0 && f->pending[f->depth] == 0)
      f->depth--;
    if (f->depth < 0) {
      rc = KITH_FRAME_OK;
      break;
    }
    if (f->header_len == 0 && !f->skipping && f->size >= KITH_FRAME_MAX_BYTES) {
      rc = KITH_FRAME_TOO_BIG; // another element would pass the limit
      break;
    }
    if (at == len) {
      rc = KITH_FRAME_MORE;
      break;
    }
    if (f->header_len == 0) {
      f->header[f->header_len++] = p[at++];
      f->size++;
    }
    FrameShape s;
    if (frame_shape(f->header[0], &s) != 0) {
      rc = KITH_FRAME_INVALID;
      break;
    }
    while (f->header_len < 1 + s.header && at < len) {
      f->header[f->header_len++] = p[at++];
      f->size++;
    }
    if (f->header_len < 1 + s.header) {
      rc = KITH_FRAME_MORE;
      break;
    }
    f->header_len = 0;
    f->pending[f->depth]--;
    uint64_t n = s.header ? frame_be(f->header + 1, s.header) : s.fixed;
    if (n > KITH_FRAME_MAX_DECLARED) {
      rc = KITH_FRAME_CORRUPT;
      break;
    }
    if (s.children) {
      uint64_t count = s.children == 2 ? n * 2 : n;
      if (count > 0) {
        if (f->depth + 1 >= KITH_FRAME_SKIP_DEPTH) {
          rc = KITH_FRAME_CORRUPT;
          break;
        }
        f->pending[++f->depth] = count; // open the level first: a skip resumes inside it
      }
      if (f->skipping)
        continue;
      if (count > 0 && f->depth >= KITH_FRAME_MAX_DEPTH) {
        rc = KITH_FRAME_TOO_DEEP;
        break;
      }
      if (frame_over(f, count)) {
        rc = KITH_FRAME_TOO_BIG; // each element takes at least a byte
        break;
      }
      continue;
    }
    f->payload = n + (uint64_t)s.extra;
    if (!f->skipping && frame_over(f, f->payload)) {
      rc = KITH_FRAME_TOO_BIG;
      break;
    }
  }
  *used = at;
  return rc;
}

int kith_frame_scan(const char *data, size_t len, size_t *frame_len) {
  KithFrame frame;
  kith_frame_init(&frame);
  size_t used = 0;
  int rc = kith_frame_step(&frame, data, len, &used);
  if (rc == KITH_FRAME_OK)
    *frame_len = used;
  return rc;
}

size_t kith_frame_array(const char *data, size_t len, uint32_t *count) {
  const unsigned char *p = (const unsigned char *)data;
  FrameShape s;
  if (len == 0 || frame_shape(p[0], &s) != 0 || s.children != 1 || len < 1 + (size_t)s.header)
    return 0;
  *count = (uint32_t)(s.header ? frame_be(p + 1, s.header) : s.fixed);
  return 1 + (size_t)s.header;
}

const char *kith_frame_error(int code) {
  switch (code) {
  case KITH_FRAME_INVALID:
    return "bytes that are not msgpack";
  case KITH_FRAME_TOO_DEEP:
    return "a message nested too deep";
  case KITH_FRAME_TOO_BIG:
    return "a message too large";
  case KITH_FRAME_CORRUPT:
    return "a length no message can have";
  default:
    return "no error";
  }
}
