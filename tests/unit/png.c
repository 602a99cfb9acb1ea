#include "png.h"

#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

// --- inflate (RFC 1951) ----------------------------------------------------------------------

typedef struct {
  const uint8_t *in;
  size_t len, pos; // pos: the next byte
  uint32_t hold;   // bits not used yet, the next one lowest
  int held;
  uint8_t *out;
  size_t out_len, out_cap;
  const char *why;
} Inflate;

// A canonical Huffman code: how many codes have each length, and the symbols in code order.
typedef struct {
  uint16_t count[16];
  uint16_t symbol[320];
} Huffman;

// The next `n` bits (n <= 16), first bit lowest; -1 past the end.
static int inflate_bits(Inflate *s, int n) {
  while (s->held < n) {
    if (s->pos >= s->len) {
      s->why = "the deflate stream ends early";
      return -1;
    }
    s->hold |= (uint32_t)s->in[s->pos++] << s->held;
    s->held += 8;
  }
  int v = (int)(s->hold & ((1u << n) - 1));
  s->hold >>= n;
  s->held -= n;
  return v;
}

static int inflate_put(Inflate *s, uint8_t byte) {
  if (s->out_len == s->out_cap) {
    size_t cap = s->out_cap ? s->out_cap * 2 : 1 << 16;
    uint8_t *grown = realloc(s->out, cap);
    if (!grown) {
      s->why = "out of memory";
      return -1;
    }
    s->out = grown;
    s->out_cap = cap;
  }
  s->out[s->out_len++] = byte;
  return 0;
}

// Builds the code from the code lengths of `n` symbols. Returns 0, or -1 for an impossible code.
static int huffman_build(Huffman *h, const uint8_t *lengths, int n) {
  memset(h->count, 0, sizeof h->count);
  for (int i = 0; i < n; i++)
    h->count[lengths[i]]++;
  h->count[0] = 0;
  int left = 1; // codes of the current length not yet used
  for (int len = 1; len < 16; len++) {
    left = left * 2 - h->count[len];
    if (left < 0)
      return -1; // over-subscribed
  }
  uint16_t offset[16];
  offset[1] = 0;
  for (int len = 1; len < 15; len++)
    offset[len + 1] = (uint16_t)(offset[len] + h->count[len]);
  for (int i = 0; i < n; i++) {
    if (lengths[i])
      h->symbol[offset[lengths[i]]++] = (uint16_t)i;
  }
  return 0;
}

// Decodes one symbol, reading the code one bit at a time (codes are sent first bit first).
static int huffman_decode(Inflate *s, const Huffman *h) {
  int code = 0, first = 0, index = 0;
  for (int len = 1; len < 16; len++) {
    int bit = inflate_bits(s, 1);
    if (bit < 0)
      return -1;
    code |= bit;
    int count = h->count[len];
    if (code - first < count)
      return h->symbol[index + code - first];
    index += count;
    first = (first + count) << 1;
    code <<= 1;
  }
  s->why = "a Huffman code that is not in the table";
  return -1;
}

static const uint16_t length_base[29] = {3,  4,  5,  6,   7,   8,   9,   10,  11, 13,
                                         15, 17, 19, 23,  27,  31,  35,  43,  51, 59,
                                         67, 83, 99, 115, 131, 163, 195, 227, 258};
static const uint8_t length_extra[29] = {0, 0, 0, 0, 0, 0, 0, 0, 1, 1, 1, 1, 2, 2, 2,
                                         2, 3, 3, 3, 3, 4, 4, 4, 4, 5, 5, 5, 5, 0};
static const uint16_t dist_base[30] = {
    1,   2,   3,   4,   5,   7,    9,    13,   17,   25,   33,   49,   65,    97,    129,
    193, 257, 385, 513, 769, 1025, 1537, 2049, 3073, 4097, 6145, 8193, 12289, 16385, 24577};
static const uint8_t dist_extra[30] = {0, 0, 0, 0, 1, 1, 2, 2,  3,  3,  4,  4,  5,  5,  6,
                                       6, 7, 7, 8, 8, 9, 9, 10, 10, 11, 11, 12, 12, 13, 13};

// The symbols of one compressed block, up to its end-of-block symbol.
static int inflate_codes(Inflate *s, const Huffman *lit, const Huffman *dist) {
  for (;;) {
    int sym = huffman_decode(s, lit);
    if (sym < 0)
      return -1;
    if (sym < 256) {
      if (inflate_put(s, (uint8_t)sym) != 0)
        return -1;
      continue;
    }
    if (sym == 256)
      return 0;
    sym -= 257;
    if (sym >= 29) {
      s->why = "a bad length symbol";
      return -1;
    }
    int extra = inflate_bits(s, length_extra[sym]);
    int d = huffman_decode(s, dist);
    if (extra < 0 || d < 0 || d >= 30) {
      s->why = s->why ? s->why : "a bad distance symbol";
      return -1;
    }
    int dextra = inflate_bits(s, dist_extra[d]);
    if (dextra < 0)
      return -1;
    size_t length = length_base[sym] + (size_t)extra, back = dist_base[d] + (size_t)dextra;
    if (back > s->out_len) {
      s->why = "a distance back past the start";
      return -1;
    }
    for (size_t i = 0; i < length; i++) {
      if (inflate_put(s, s->out[s->out_len - back]) != 0)
        return -1;
    }
  }
}

static int inflate_stored(Inflate *s) {
  s->hold = 0; // to the next byte boundary
  s->held = 0;
  if (s->pos + 4 > s->len) {
    s->why = "a stored block ends early";
    return -1;
  }
  size_t n = s->in[s->pos] | (size_t)s->in[s->pos + 1] << 8;
  size_t check = s->in[s->pos + 2] | (size_t)s->in[s->pos + 3] << 8;
  s->pos += 4;
  if (n != (~check & 0xffff) || s->pos + n > s->len) {
    s->why = "a bad stored block";
    return -1;
  }
  for (size_t i = 0; i < n; i++) {
    if (inflate_put(s, s->in[s->pos++]) != 0)
      return -1;
  }
  return 0;
}

static int inflate_fixed(Inflate *s) {
  static Huffman lit, dist;
  static bool built;
  if (!built) {
    uint8_t lengths[288];
    for (int i = 0; i < 288; i++)
      lengths[i] = i < 144 ? 8 : i < 256 ? 9 : i < 280 ? 7 : 8;
    huffman_build(&lit, lengths, 288);
    for (int i = 0; i < 30; i++)
      lengths[i] = 5;
    huffman_build(&dist, lengths, 30);
    built = true;
  }
  return inflate_codes(s, &lit, &dist);
}

static int inflate_dynamic(Inflate *s) {
  static const uint8_t order[19] = {16, 17, 18, 0, 8,  7, 9,  6, 10, 5,
                                    11, 4,  12, 3, 13, 2, 14, 1, 15};
  int nlit = inflate_bits(s, 5), ndist = inflate_bits(s, 5), ncode = inflate_bits(s, 4);
  if (nlit < 0 || ndist < 0 || ncode < 0)
    return -1;
  nlit += 257;
  ndist += 1;
  ncode += 4;
  uint8_t lengths[320] = {0};
  for (int i = 0; i < ncode; i++) {
    int v = inflate_bits(s, 3);
    if (v < 0)
      return -1;
    lengths[order[i]] = (uint8_t)v;
  }
  Huffman lencode, lit, dist;
  if (huffman_build(&lencode, lengths, 19) != 0) {
    s->why = "a bad code length code";
    return -1;
  }
  memset(lengths, 0, sizeof lengths);
  for (int i = 0; i < nlit + ndist;) {
    int sym = huffman_decode(s, &lencode);
    if (sym < 0)
      return -1;
    if (sym < 16) {
      lengths[i++] = (uint8_t)sym;
      continue;
    }
    int repeat, value = 0;
    if (sym == 16) {
      if (i == 0) {
        s->why = "a repeat with nothing before it";
        return -1;
      }
      value = lengths[i - 1];
      repeat = 3 + inflate_bits(s, 2);
    } else if (sym == 17) {
      repeat = 3 + inflate_bits(s, 3);
    } else {
      repeat = 11 + inflate_bits(s, 7);
    }
    if (repeat < 3 || i + repeat > nlit + ndist) {
      s->why = "code lengths that run past the table";
      return -1;
    }
    while (repeat--)
      lengths[i++] = (uint8_t)value;
  }
  if (huffman_build(&lit, lengths, nlit) != 0 || huffman_build(&dist, lengths + nlit, ndist) != 0) {
    s->why = "a bad literal or distance code";
    return -1;
  }
  return inflate_codes(s, &lit, &dist);
}

int png_inflate(const uint8_t *in, size_t len, uint8_t **out, size_t *out_len, const char **why) {
  Inflate s = {0};
  s.in = in;
  s.len = len;
  *out = NULL;
  *out_len = 0;
  // RFC 1950: CMF, FLG (no preset dictionary), deflate data, Adler-32 (not checked).
  if (len < 6 || (in[0] & 0x0f) != 8 || ((in[0] << 8) | in[1]) % 31 != 0 || (in[1] & 0x20)) {
    *why = "not a zlib stream";
    return -1;
  }
  s.pos = 2;
  int last = 0;
  while (!last) {
    last = inflate_bits(&s, 1);
    int type = inflate_bits(&s, 2);
    int rc = last < 0 || type < 0 ? -1
             : type == 0          ? inflate_stored(&s)
             : type == 1          ? inflate_fixed(&s)
             : type == 2          ? inflate_dynamic(&s)
                                  : (s.why = "a block of type 3", -1);
    if (rc != 0) {
      free(s.out);
      *why = s.why ? s.why : "bad deflate data";
      return -1;
    }
  }
  *out = s.out;
  *out_len = s.out_len;
  return 0;
}

// --- PNG ---------------------------------------------------------------------------------------

static uint32_t png_be32(const uint8_t *p) {
  return (uint32_t)p[0] << 24 | (uint32_t)p[1] << 16 | (uint32_t)p[2] << 8 | p[3];
}

static int png_paeth(int a, int b, int c) {
  int p = a + b - c, pa = abs(p - a), pb = abs(p - b), pc = abs(p - c);
  return pa <= pb && pa <= pc ? a : pb <= pc ? b : c;
}

int png_decode(const uint8_t *data, size_t len, PngImage *image, const char **why) {
  memset(image, 0, sizeof *image);
  static const uint8_t signature[8] = {0x89, 'P', 'N', 'G', '\r', '\n', 0x1a, '\n'};
  if (len < 8 || memcmp(data, signature, 8) != 0) {
    *why = "not a PNG file";
    return -1;
  }
  uint8_t *idat = NULL;
  size_t idat_len = 0, pos = 8;
  int channels = 0;
  bool header = false;
  while (pos + 12 <= len) {
    uint32_t n = png_be32(data + pos);
    const uint8_t *type = data + pos + 4, *body = data + pos + 8;
    if (n > len - pos - 12) {
      *why = "a chunk runs past the end";
      goto fail;
    }
    if (memcmp(type, "IHDR", 4) == 0 && n >= 13) {
      image->width = png_be32(body);
      image->height = png_be32(body + 4);
      int depth = body[8], colour = body[9], interlace = body[12];
      channels = colour == 2 ? 3 : colour == 6 ? 4 : 0;
      if (depth != 8 || !channels || interlace != 0 || !image->width || !image->height ||
          image->width > 20000 || image->height > 20000) {
        *why = "only 8-bit RGB or RGBA PNGs without interlacing are read";
        goto fail;
      }
      header = true;
    } else if (memcmp(type, "IDAT", 4) == 0) {
      uint8_t *grown = realloc(idat, idat_len + n + 1);
      if (!grown) {
        *why = "out of memory";
        goto fail;
      }
      idat = grown;
      memcpy(idat + idat_len, body, n);
      idat_len += n;
    } else if (memcmp(type, "IEND", 4) == 0) {
      break;
    }
    pos += 12 + (size_t)n;
  }
  if (!header || !idat) {
    *why = "no IHDR or no IDAT";
    goto fail;
  }
  uint8_t *raw = NULL;
  size_t raw_len = 0;
  if (png_inflate(idat, idat_len, &raw, &raw_len, why) != 0)
    goto fail;
  size_t stride = (size_t)image->width * channels;
  if (raw_len < (stride + 1) * image->height) {
    free(raw);
    *why = "the image data is too short";
    goto fail;
  }
  image->rgb = malloc((size_t)image->width * image->height * 3);
  uint8_t *prior = calloc(stride, 1), *row = malloc(stride);
  if (!image->rgb || !prior || !row) {
    free(raw);
    free(prior);
    free(row);
    *why = "out of memory";
    goto fail;
  }
  for (uint32_t y = 0; y < image->height; y++) {
    const uint8_t *line = raw + y * (stride + 1);
    int filter = line[0];
    for (size_t i = 0; i < stride; i++) {
      int a = i >= (size_t)channels ? row[i - channels] : 0, b = prior[i],
          c = i >= (size_t)channels ? prior[i - channels] : 0;
      int x = line[1 + i];
      int predicted = filter == 0   ? 0
                      : filter == 1 ? a
                      : filter == 2 ? b
                      : filter == 3 ? (a + b) / 2
                                    : png_paeth(a, b, c);
      row[i] = (uint8_t)(x + predicted);
    }
    if (filter > 4) {
      free(raw);
      free(prior);
      free(row);
      *why = "an unknown row filter";
      goto fail;
    }
    for (uint32_t x = 0; x < image->width; x++)
      memcpy(image->rgb + ((size_t)y * image->width + x) * 3, row + (size_t)x * channels, 3);
    memcpy(prior, row, stride);
  }
  free(raw);
  free(prior);
  free(row);
  free(idat);
  return 0;
fail:
  free(idat);
  png_free(image);
  return -1;
}

int png_read(const char *path, PngImage *image, const char **why) {
  memset(image, 0, sizeof *image);
  FILE *f = fopen(path, "rb");
  if (!f) {
    *why = "cannot open the file";
    return -1;
  }
  size_t cap = 1 << 20, len = 0;
  uint8_t *data = malloc(cap);
  for (size_t n; data && (n = fread(data + len, 1, cap - len, f)) > 0;) {
    len += n;
    uint8_t *grown = len == cap ? realloc(data, cap *= 2) : data;
    if (!grown)
      free(data);
    data = grown;
  }
  fclose(f);
  if (!data) {
    *why = "out of memory";
    return -1;
  }
  int rc = png_decode(data, len, image, why);
  free(data);
  return rc;
}

void png_free(PngImage *image) {
  free(image->rgb);
  memset(image, 0, sizeof *image);
}
