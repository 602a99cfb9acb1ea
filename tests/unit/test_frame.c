// kith_frame_scan / kith_frame_step (src/frame.h): where one msgpack message ends, before
// msgpack-c unpacks it. Every type family must give OK with the exact length when whole and MORE
// for every proper prefix, in pieces of any size; 0xc1 is INVALID; sizes past 64 MiB are TOO_BIG
// at once and declarations of 2^31 or more CORRUPT; deep nesting TOO_DEEP; a message too big or
// too deep is then passed over whole, by its declared lengths, without its bytes being kept.

#include "harness.h"

#include <msgpack.h>
#include <stdio.h>
#include <stdlib.h>

#include "host/frame.h"

// --- helpers -------------------------------------------------------------------------------

typedef struct {
  msgpack_sbuffer sb;
  msgpack_packer pk;
} Packed;

static void packed_init(Packed *p) {
  msgpack_sbuffer_init(&p->sb);
  msgpack_packer_init(&p->pk, &p->sb, msgpack_sbuffer_write);
}

static void packed_free(Packed *p) {
  msgpack_sbuffer_destroy(&p->sb);
}

static int scan(const char *data, size_t len, size_t *frame_len) {
  *frame_len = (size_t)-1;
  return kith_frame_scan(data, len, frame_len);
}

// Whole object of `len` bytes -> OK with *frame_len == len; every prefix whose length is a
// multiple of `stride` (and the header bytes and the last 16 prefixes) -> MORE.
static void expect_frame_strided(const char *what, const char *data, size_t len, size_t stride) {
  size_t got = 0;
  int rc = scan(data, len, &got);
  harness_checks++;
  if (rc != KITH_FRAME_OK || got != len)
    harness_fail(__FILE__, __LINE__, "%s: scan(whole %zu bytes) == %d len %zu, want OK len %zu",
                 what, len, rc, got, len);
  int bad = 0;
  for (size_t n = 0; n < len; n++) {
    if (!(n < 16 || n % stride == 0 || len - n <= 16))
      continue;
    size_t ignored;
    rc = scan(data, n, &ignored);
    if (rc != KITH_FRAME_MORE && bad++ < 3)
      fprintf(stderr, "  %s: scan(prefix %zu of %zu bytes) == %d, want MORE\n", what, n, len, rc);
  }
  harness_checks++;
  if (bad)
    harness_fail(__FILE__, __LINE__, "%s: %d proper prefixes were not MORE (first ones above)",
                 what, bad);
}

static void expect_frame(const char *what, const char *data, size_t len) {
  expect_frame_strided(what, data, len, 1);
}

static void expect_packed(const char *what, Packed *p, unsigned char first_byte) {
  CHECK(p->sb.size > 0);
  if (p->sb.size == 0)
    return;
  harness_checks++;
  if ((unsigned char)p->sb.data[0] != first_byte)
    harness_fail(__FILE__, __LINE__, "%s: packed type byte 0x%02x, want 0x%02x", what,
                 (unsigned char)p->sb.data[0], first_byte);
  expect_frame(what, p->sb.data, p->sb.size);
}

// --- scalars -------------------------------------------------------------------------------

static void test_fixint_and_negative_fixint(void) {
  for (int v = 0; v <= 127; v += 127) {
    Packed p;
    packed_init(&p);
    msgpack_pack_int(&p.pk, v);
    expect_packed("positive fixint", &p, (unsigned char)v);
    packed_free(&p);
  }
  Packed p;
  packed_init(&p);
  msgpack_pack_int(&p.pk, -1);
  expect_packed("negative fixint -1", &p, 0xff);
  packed_free(&p);
  packed_init(&p);
  msgpack_pack_int(&p.pk, -32);
  expect_packed("negative fixint -32", &p, 0xe0);
  packed_free(&p);
}

static void test_nil_and_booleans(void) {
  Packed p;
  packed_init(&p);
  msgpack_pack_nil(&p.pk);
  expect_packed("nil", &p, 0xc0);
  packed_free(&p);
  packed_init(&p);
  msgpack_pack_false(&p.pk);
  expect_packed("false", &p, 0xc2);
  packed_free(&p);
  packed_init(&p);
  msgpack_pack_true(&p.pk);
  expect_packed("true", &p, 0xc3);
  packed_free(&p);
}

static void test_unsigned_integers_8_to_64(void) {
  Packed p;
  packed_init(&p);
  msgpack_pack_fix_uint8(&p.pk, 200);
  expect_packed("uint8", &p, 0xcc);
  packed_free(&p);
  packed_init(&p);
  msgpack_pack_fix_uint16(&p.pk, 60000);
  expect_packed("uint16", &p, 0xcd);
  packed_free(&p);
  packed_init(&p);
  msgpack_pack_fix_uint32(&p.pk, 4000000000u);
  expect_packed("uint32", &p, 0xce);
  packed_free(&p);
  packed_init(&p);
  msgpack_pack_fix_uint64(&p.pk, 18000000000000000000ull);
  expect_packed("uint64", &p, 0xcf);
  packed_free(&p);
}

static void test_signed_integers_8_to_64(void) {
  Packed p;
  packed_init(&p);
  msgpack_pack_fix_int8(&p.pk, -100);
  expect_packed("int8", &p, 0xd0);
  packed_free(&p);
  packed_init(&p);
  msgpack_pack_fix_int16(&p.pk, -30000);
  expect_packed("int16", &p, 0xd1);
  packed_free(&p);
  packed_init(&p);
  msgpack_pack_fix_int32(&p.pk, -2000000000);
  expect_packed("int32", &p, 0xd2);
  packed_free(&p);
  packed_init(&p);
  msgpack_pack_fix_int64(&p.pk, -9000000000000000000ll);
  expect_packed("int64", &p, 0xd3);
  packed_free(&p);
}

static void test_float32_and_float64(void) {
  Packed p;
  packed_init(&p);
  msgpack_pack_float(&p.pk, 1.5f);
  expect_packed("float32", &p, 0xca);
  CHECK_INT(p.sb.size, 5);
  packed_free(&p);
  packed_init(&p);
  msgpack_pack_double(&p.pk, 2.25);
  expect_packed("float64", &p, 0xcb);
  CHECK_INT(p.sb.size, 9);
  packed_free(&p);
}

// Packs a string or bin of `n` bytes ('x' repeated).
static void pack_blob(Packed *p, bool bin, size_t n) {
  char *body = malloc(n ? n : 1);
  memset(body, 'x', n);
  if (bin) {
    msgpack_pack_bin(&p->pk, n);
    msgpack_pack_bin_body(&p->pk, body, n);
  } else {
    msgpack_pack_str(&p->pk, n);
    msgpack_pack_str_body(&p->pk, body, n);
  }
  free(body);
}

static void test_strings_fixstr_str8_str16_str32(void) {
  struct {
    size_t n;
    unsigned char type;
    const char *what;
  } cases[] = {{0, 0xa0, "fixstr empty"}, {31, 0xbf, "fixstr 31"}, {32, 0xd9, "str8"},
               {255, 0xd9, "str8 255"},   {256, 0xda, "str16"},    {65535, 0xda, "str16 max"},
               {65536, 0xdb, "str32"}};
  for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
    Packed p;
    packed_init(&p);
    pack_blob(&p, false, cases[i].n);
    expect_packed(cases[i].what, &p, cases[i].type);
    CHECK_INT(p.sb.size, cases[i].n + (cases[i].n < 32      ? 1
                                       : cases[i].n < 256   ? 2
                                       : cases[i].n < 65536 ? 3
                                                            : 5));
    packed_free(&p);
  }
}

static void test_binaries_bin8_bin16_bin32(void) {
  struct {
    size_t n;
    unsigned char type;
    const char *what;
  } cases[] = {
      {0, 0xc4, "bin8 empty"}, {200, 0xc4, "bin8"}, {300, 0xc5, "bin16"}, {65536, 0xc6, "bin32"}};
  for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
    Packed p;
    packed_init(&p);
    pack_blob(&p, true, cases[i].n);
    expect_packed(cases[i].what, &p, cases[i].type);
    packed_free(&p);
  }
}

static void test_ext_fixext_and_ext8_16_32(void) {
  struct {
    size_t n;
    unsigned char type;
    const char *what;
  } cases[] = {{1, 0xd4, "fixext1"},  {2, 0xd5, "fixext2"},    {4, 0xd6, "fixext4"},
               {8, 0xd7, "fixext8"},  {16, 0xd8, "fixext16"},  {0, 0xc7, "ext8 empty"},
               {3, 0xc7, "ext8 3"},   {255, 0xc7, "ext8 255"}, {256, 0xc8, "ext16"},
               {65536, 0xc9, "ext32"}};
  for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
    Packed p;
    packed_init(&p);
    char *body = malloc(cases[i].n ? cases[i].n : 1);
    memset(body, 0x7, cases[i].n);
    msgpack_pack_ext(&p.pk, cases[i].n, 5);
    msgpack_pack_ext_body(&p.pk, body, cases[i].n);
    free(body);
    expect_packed(cases[i].what, &p, cases[i].type);
    packed_free(&p);
  }
}

// --- containers ----------------------------------------------------------------------------

static void test_fixarray_array16_array32(void) {
  Packed p;
  packed_init(&p);
  msgpack_pack_array(&p.pk, 0);
  expect_packed("fixarray empty", &p, 0x90);
  packed_free(&p);

  packed_init(&p);
  msgpack_pack_array(&p.pk, 3);
  msgpack_pack_int(&p.pk, 1);
  msgpack_pack_str(&p.pk, 2);
  msgpack_pack_str_body(&p.pk, "ab", 2);
  msgpack_pack_nil(&p.pk);
  expect_packed("fixarray of 3", &p, 0x93);
  packed_free(&p);

  packed_init(&p);
  msgpack_pack_array(&p.pk, 16);
  for (int i = 0; i < 16; i++)
    msgpack_pack_fix_uint16(&p.pk, (uint16_t)(1000 + i));
  expect_packed("array16", &p, 0xdc);
  packed_free(&p);

  // array32 as the packer writes it (65536 elements): strided prefixes, since each scan of a
  // prefix walks it from the start.
  packed_init(&p);
  msgpack_pack_array(&p.pk, 65536);
  for (int i = 0; i < 65536; i++)
    msgpack_pack_int(&p.pk, i & 0x7f);
  CHECK_INT((unsigned char)p.sb.data[0], 0xdd);
  expect_frame_strided("array32 of 65536", p.sb.data, p.sb.size, 251);
  packed_free(&p);

  // array16/array32 headers with small counts (valid, if not minimal): every prefix.
  const char a16[] = {(char)0xdc, 0x00, 0x02, 0x01, (char)0xa1, 'z'};
  expect_frame("array16 of 2 (hand-made)", a16, sizeof a16);
  const char a32[] = {(char)0xdd, 0x00, 0x00, 0x00, 0x03, 0x01, (char)0xc0, (char)0x91, 0x05};
  expect_frame("array32 of 3 (hand-made)", a32, sizeof a32);
  const char a32_empty[] = {(char)0xdd, 0x00, 0x00, 0x00, 0x00};
  expect_frame("array32 empty (hand-made)", a32_empty, sizeof a32_empty);
}

static void test_fixmap_map16_map32(void) {
  Packed p;
  packed_init(&p);
  msgpack_pack_map(&p.pk, 0);
  expect_packed("fixmap empty", &p, 0x80);
  packed_free(&p);

  packed_init(&p);
  msgpack_pack_map(&p.pk, 2);
  msgpack_pack_str(&p.pk, 1);
  msgpack_pack_str_body(&p.pk, "a", 1);
  msgpack_pack_int(&p.pk, 1);
  msgpack_pack_str(&p.pk, 1);
  msgpack_pack_str_body(&p.pk, "b", 1);
  msgpack_pack_array(&p.pk, 1);
  msgpack_pack_double(&p.pk, 0.5);
  expect_packed("fixmap of 2", &p, 0x82);
  packed_free(&p);

  packed_init(&p);
  msgpack_pack_map(&p.pk, 16);
  for (int i = 0; i < 16; i++) {
    msgpack_pack_int(&p.pk, i);
    msgpack_pack_fix_int32(&p.pk, -i);
  }
  expect_packed("map16", &p, 0xde);
  packed_free(&p);

  packed_init(&p);
  msgpack_pack_map(&p.pk, 65536);
  for (int i = 0; i < 65536; i++) {
    msgpack_pack_fix_uint16(&p.pk, (uint16_t)i);
    msgpack_pack_nil(&p.pk);
  }
  CHECK_INT((unsigned char)p.sb.data[0], 0xdf);
  expect_frame_strided("map32 of 65536", p.sb.data, p.sb.size, 1009);
  packed_free(&p);

  const char m16[] = {(char)0xde, 0x00, 0x01, (char)0xa1, 'k', (char)0xc3};
  expect_frame("map16 of 1 (hand-made)", m16, sizeof m16);
  const char m32[] = {(char)0xdf, 0x00, 0x00, 0x00, 0x02, 0x01, 0x02, 0x03, (char)0x80};
  expect_frame("map32 of 2 (hand-made)", m32, sizeof m32);
}

// --- errors and bounds ---------------------------------------------------------------------

static void test_c1_is_invalid(void) {
  size_t len;
  const char c1[] = {(char)0xc1};
  CHECK_INT(scan(c1, 1, &len), KITH_FRAME_INVALID);
  const char in_array[] = {(char)0x92, 0x01, (char)0xc1};
  CHECK_INT(scan(in_array, sizeof in_array, &len), KITH_FRAME_INVALID);
  const char as_map_key[] = {(char)0x81, (char)0xc1, 0x01};
  CHECK_INT(scan(as_map_key, sizeof as_map_key, &len), KITH_FRAME_INVALID);
  CHECK(kith_frame_error(KITH_FRAME_INVALID) != NULL);
}

static void test_declarations_no_neovim_object_can_have_are_corrupt_at_once(void) {
  // 2^31 elements or bytes or more: Neovim counts lines, columns and items in 32-bit signed
  // integers, so the stream is damaged; walking it would swallow gigabytes of what follows.
  size_t len;
  const char header[] = {(char)0xdd, (char)0xff, (char)0xff, (char)0xff, (char)0xff};
  CHECK_INT(scan(header, sizeof header, &len), KITH_FRAME_CORRUPT);
  const char more[] = {(char)0xdd, (char)0xff, (char)0xff, (char)0xff, (char)0xff, 1, 2, 3};
  CHECK_INT(scan(more, sizeof more, &len), KITH_FRAME_CORRUPT);
  // Inside a request, as the params.
  const char nested[] = {(char)0x94, 0x00,       0x01, (char)0xa1, 'm',
                         (char)0xdd, (char)0xf0, 0x00, 0x00,       0x00};
  CHECK_INT(scan(nested, sizeof nested, &len), KITH_FRAME_CORRUPT);
  const char map32[] = {(char)0xdf, (char)0xff, (char)0xff, (char)0xff, (char)0xff};
  CHECK_INT(scan(map32, sizeof map32, &len), KITH_FRAME_CORRUPT);
  const char str32[] = {(char)0xdb, (char)0xff, (char)0xff, (char)0xff, (char)0xff};
  CHECK_INT(scan(str32, sizeof str32, &len), KITH_FRAME_CORRUPT);
  const char bin32[] = {(char)0xc6, (char)0x80, 0x00, 0x00, 0x00}; // exactly 2^31
  CHECK_INT(scan(bin32, sizeof bin32, &len), KITH_FRAME_CORRUPT);
  const char ext32[] = {(char)0xc9, (char)0xff, (char)0xff, (char)0xff, (char)0xff, 0x00};
  CHECK_INT(scan(ext32, sizeof ext32, &len), KITH_FRAME_CORRUPT);
  CHECK(kith_frame_error(KITH_FRAME_CORRUPT) != NULL);
}

static void test_declarations_past_64_mib_are_too_big_at_once(void) {
  size_t len;
  const char str[] = {(char)0xdb, 0x06, 0x40, 0x00, 0x00}; // 100 MiB
  CHECK_INT(scan(str, sizeof str, &len), KITH_FRAME_TOO_BIG);
  const char bin[] = {(char)0xc6, 0x7f, (char)0xff, (char)0xff, (char)0xff}; // 2^31 - 1
  CHECK_INT(scan(bin, sizeof bin, &len), KITH_FRAME_TOO_BIG);
  const char ext[] = {(char)0xc9, 0x04, 0x00, 0x00, 0x01, 0x00}; // 64 MiB + 1 + type byte
  CHECK_INT(scan(ext, sizeof ext, &len), KITH_FRAME_TOO_BIG);
  const char array[] = {(char)0xdd, 0x05, (char)0xf5, (char)0xe1, 0x00}; // 1e8 elements
  CHECK_INT(scan(array, sizeof array, &len), KITH_FRAME_TOO_BIG);
  const char map[] = {(char)0xdf, 0x02, 0x00, 0x00, 0x00}; // 2^25 pairs: 2^26 objects
  CHECK_INT(scan(map, sizeof map, &len), KITH_FRAME_TOO_BIG);
  // Just under the limit is not too big: it is only incomplete.
  const char str_ok[] = {(char)0xdb, 0x00, 0x10, 0x00, 0x00}; // 1 MiB declared
  CHECK_INT(scan(str_ok, sizeof str_ok, &len), KITH_FRAME_MORE);
  const char str_max[] = {(char)0xdb, 0x03, (char)0xff, (char)0xff, (char)0xfb}; // 64 MiB - 5
  CHECK_INT(scan(str_max, sizeof str_max, &len), KITH_FRAME_MORE);
  const char str_over[] = {(char)0xdb, 0x03, (char)0xff, (char)0xff, (char)0xfc}; // + 1 byte
  CHECK_INT(scan(str_over, sizeof str_over, &len), KITH_FRAME_TOO_BIG);
}

// `depth` nested one-element arrays around the fixint 7.
static char *nested_arrays(int depth, size_t *len) {
  char *b = malloc((size_t)depth + 1);
  memset(b, (char)0x91, (size_t)depth);
  b[depth] = 0x07;
  *len = (size_t)depth + 1;
  return b;
}

static void test_nesting_31_deep_is_ok(void) {
  size_t n;
  char *b = nested_arrays(31, &n);
  size_t len = 0;
  CHECK_INT(scan(b, n, &len), KITH_FRAME_OK);
  CHECK_INT(len, 32);
  expect_frame("31 nested arrays", b, n);
  // msgpack-c agrees it can unpack it.
  msgpack_unpacked u;
  msgpack_unpacked_init(&u);
  size_t off = 0;
  CHECK_INT(msgpack_unpack_next(&u, b, n, &off), MSGPACK_UNPACK_SUCCESS);
  msgpack_unpacked_destroy(&u);
  free(b);
}

static void test_nesting_40_deep_is_too_deep(void) {
  size_t n, len;
  char *b = nested_arrays(40, &n);
  CHECK_INT(scan(b, n, &len), KITH_FRAME_TOO_DEEP);
  // At once, from the headers alone.
  CHECK_INT(scan(b, 40, &len), KITH_FRAME_TOO_DEEP);
  free(b);
  // Maps nest too: {1: {1: ... }}.
  char m[81];
  for (int i = 0; i < 40; i++) {
    m[2 * i] = (char)0x81;
    m[2 * i + 1] = 0x01;
  }
  m[80] = 0x02;
  CHECK_INT(scan(m, sizeof m, &len), KITH_FRAME_TOO_DEEP);
}

static void test_nesting_past_what_msgpack_c_unpacks_is_never_ok(void) {
  // Whatever the scanner accepts, msgpack-c must unpack (it fails past 32 levels).
  for (int depth = 28; depth <= 36; depth++) {
    size_t n, len;
    char *b = nested_arrays(depth, &n);
    int rc = scan(b, n, &len);
    msgpack_unpacked u;
    msgpack_unpacked_init(&u);
    size_t off = 0;
    int urc = msgpack_unpack_next(&u, b, n, &off);
    msgpack_unpacked_destroy(&u);
    harness_checks++;
    if (rc == KITH_FRAME_OK && urc != MSGPACK_UNPACK_SUCCESS)
      harness_fail(__FILE__, __LINE__, "depth %d: scan OK but msgpack-c says %d", depth, urc);
    harness_checks++;
    if (rc != KITH_FRAME_OK && rc != KITH_FRAME_TOO_DEEP)
      harness_fail(__FILE__, __LINE__, "depth %d: scan == %d", depth, rc);
    free(b);
  }
}

static void test_two_frames_back_to_back_give_the_first_length(void) {
  Packed p;
  packed_init(&p);
  msgpack_pack_array(&p.pk, 4);
  msgpack_pack_int(&p.pk, 0);
  msgpack_pack_int(&p.pk, 7);
  msgpack_pack_str(&p.pk, 4);
  msgpack_pack_str_body(&p.pk, "echo", 4);
  msgpack_pack_array(&p.pk, 1);
  msgpack_pack_int(&p.pk, 1);
  size_t first = p.sb.size;
  msgpack_pack_array(&p.pk, 3);
  msgpack_pack_int(&p.pk, 2);
  msgpack_pack_str(&p.pk, 4);
  msgpack_pack_str_body(&p.pk, "note", 4);
  msgpack_pack_array(&p.pk, 0);
  size_t len = 0;
  CHECK_INT(scan(p.sb.data, p.sb.size, &len), KITH_FRAME_OK);
  CHECK_INT(len, first);
  // The second frame alone.
  CHECK_INT(scan(p.sb.data + first, p.sb.size - first, &len), KITH_FRAME_OK);
  CHECK_INT(len, p.sb.size - first);
  // A whole frame followed by garbage: the frame is still OK.
  char buf[64];
  memcpy(buf, p.sb.data, first);
  buf[first] = (char)0xc1;
  CHECK_INT(scan(buf, first + 1, &len), KITH_FRAME_OK);
  CHECK_INT(len, first);
  // Two scalars.
  const char two[] = {0x05, 0x06};
  CHECK_INT(scan(two, 2, &len), KITH_FRAME_OK);
  CHECK_INT(len, 1);
  packed_free(&p);
}

// --- walking a message in pieces (kith_frame_step) ------------------------------------------

// Steps over `data` in pieces of `piece` bytes; returns the first result that is not MORE (or
// MORE), with *at the bytes taken in all.
static int step_pieces(KithFrame *f, const char *data, size_t len, size_t piece, size_t *at) {
  *at = 0;
  while (*at < len) {
    size_t n = len - *at < piece ? len - *at : piece, used = 0;
    int rc = kith_frame_step(f, data + *at, n, &used);
    *at += used;
    if (rc != KITH_FRAME_MORE)
      return rc;
    if (used != n) {
      harness_fail(__FILE__, __LINE__, "MORE took %zu of %zu bytes", used, n);
      return -100;
    }
  }
  return KITH_FRAME_MORE;
}

static void test_any_pieces_give_the_same_end_as_one_scan(void) {
  Packed p;
  packed_init(&p);
  // [0, 7, "nvim_buf_lines_event", [ext, 300, -1, [str8, str16, bin, fixext, map], false]]
  msgpack_pack_array(&p.pk, 4);
  msgpack_pack_int(&p.pk, 0);
  msgpack_pack_int(&p.pk, 7);
  msgpack_pack_str(&p.pk, 20);
  msgpack_pack_str_body(&p.pk, "nvim_buf_lines_event", 20);
  msgpack_pack_array(&p.pk, 4);
  msgpack_pack_ext(&p.pk, 3, 0);
  msgpack_pack_ext_body(&p.pk, "\xcd\x01\x2c", 3);
  msgpack_pack_int(&p.pk, 300);
  msgpack_pack_int(&p.pk, -1);
  msgpack_pack_array(&p.pk, 5);
  pack_blob(&p, false, 200);
  pack_blob(&p, false, 3000);
  pack_blob(&p, true, 70000);
  msgpack_pack_ext(&p.pk, 4, 1);
  msgpack_pack_ext_body(&p.pk, "abcd", 4);
  msgpack_pack_map(&p.pk, 1);
  msgpack_pack_double(&p.pk, 1.5);
  msgpack_pack_fix_uint64(&p.pk, 1);
  size_t whole = p.sb.size;
  msgpack_pack_false(&p.pk); // the next message
  size_t frame_len = 0;
  CHECK_INT(scan(p.sb.data, p.sb.size, &frame_len), KITH_FRAME_OK);
  CHECK_INT(frame_len, whole);
  const size_t pieces[] = {1, 2, 3, 5, 7, 64, 4096, (size_t)-1};
  for (size_t i = 0; i < sizeof pieces / sizeof pieces[0]; i++) {
    KithFrame f;
    kith_frame_init(&f);
    size_t at = 0;
    int rc = step_pieces(&f, p.sb.data, p.sb.size, pieces[i], &at);
    harness_checks++;
    if (rc != KITH_FRAME_OK || at != whole || f.size != whole)
      harness_fail(__FILE__, __LINE__,
                   "pieces of %zu: %d after %zu bytes (size %llu), want OK "
                   "after %zu",
                   pieces[i], rc, at, (unsigned long long)f.size, whole);
  }
  packed_free(&p);
}

// Steps over `n` bytes of filler ('x'), BLOCK at a time: all MORE.
#define BLOCK (64 * 1024)
static bool step_filler(KithFrame *f, uint64_t n) {
  static char block[BLOCK];
  memset(block, 'x', sizeof block);
  while (n > 0) {
    size_t piece = n < BLOCK ? (size_t)n : BLOCK, used = 0;
    if (kith_frame_step(f, block, piece, &used) != KITH_FRAME_MORE || used != piece)
      return false;
    n -= piece;
  }
  return true;
}

static void test_too_big_string_is_skipped_whole_by_its_length(void) {
  // [2, "nvim_buf_lines_event", [1, 2, 0, 1, [<str of 100 MiB>, "tail"], false]], then 5.
  Packed p;
  packed_init(&p);
  msgpack_pack_array(&p.pk, 3);
  msgpack_pack_int(&p.pk, 2);
  msgpack_pack_str(&p.pk, 20);
  msgpack_pack_str_body(&p.pk, "nvim_buf_lines_event", 20);
  msgpack_pack_array(&p.pk, 6);
  for (int i = 0; i < 4; i++)
    msgpack_pack_int(&p.pk, i);
  msgpack_pack_array(&p.pk, 2);
  uint32_t n = 100u * 1024u * 1024u;
  msgpack_pack_str(&p.pk, n);
  size_t head = p.sb.size;
  KithFrame f;
  kith_frame_init(&f);
  size_t used = 0;
  CHECK_INT(kith_frame_step(&f, p.sb.data, head, &used), KITH_FRAME_TOO_BIG);
  CHECK_INT(used, head); // at once, from the header
  kith_frame_skip(&f);
  CHECK(step_filler(&f, n - 10));
  // The last bytes of the string, the rest of the message and the next one, in one piece.
  msgpack_sbuffer_clear(&p.sb);
  msgpack_sbuffer_write(&p.sb, "0123456789", 10);
  msgpack_pack_str(&p.pk, 4);
  msgpack_pack_str_body(&p.pk, "tail", 4);
  msgpack_pack_false(&p.pk);
  size_t rest = p.sb.size;
  msgpack_pack_int(&p.pk, 5);
  CHECK_INT(kith_frame_step(&f, p.sb.data, p.sb.size, &used), KITH_FRAME_OK);
  CHECK_INT(used, rest);
  CHECK_INT(f.size, head + n + rest - 10);
  kith_frame_init(&f);
  CHECK_INT(kith_frame_step(&f, p.sb.data + used, p.sb.size - used, &used), KITH_FRAME_OK);
  CHECK_INT(used, 1);
  packed_free(&p);
}

static void test_many_elements_past_64_mib_are_too_big_then_skipped(void) {
  // An array of 80 strings of 1 MiB: too big once the 65th would pass 64 MiB.
  Packed p;
  packed_init(&p);
  msgpack_pack_array(&p.pk, 80);
  KithFrame f;
  kith_frame_init(&f);
  size_t used = 0;
  CHECK_INT(kith_frame_step(&f, p.sb.data, p.sb.size, &used), KITH_FRAME_MORE);
  char header[5];
  header[0] = (char)0xdb;
  header[1] = 0x00;
  header[2] = 0x10;
  header[3] = header[4] = 0x00;
  int rc = KITH_FRAME_MORE;
  int strings = 0;
  while (rc == KITH_FRAME_MORE && strings < 80) {
    rc = kith_frame_step(&f, header, 5, &used);
    if (rc == KITH_FRAME_MORE && step_filler(&f, 1024 * 1024))
      strings++;
  }
  CHECK_INT(rc, KITH_FRAME_TOO_BIG);
  CHECK_INT(strings, 63); // 63 whole ones and the 64th's header fit; its body would not
  kith_frame_skip(&f);
  CHECK(step_filler(&f, 1024 * 1024)); // the 64th
  for (strings = 64; strings < 80; strings++) {
    CHECK_INT(kith_frame_step(&f, header, 5, &used), KITH_FRAME_MORE);
    if (strings < 79)
      CHECK(step_filler(&f, 1024 * 1024));
  }
  CHECK(step_filler(&f, 1024 * 1024 - 1));
  CHECK_INT(kith_frame_step(&f, "xy", 2, &used), KITH_FRAME_OK);
  CHECK_INT(used, 1);
  packed_free(&p);
}

static void test_too_deep_message_is_skipped_whole(void) {
  size_t n;
  char *b = nested_arrays(40, &n); // 40 arrays around 7, then the next message (0x05)
  b = realloc(b, n + 1);
  b[n] = 0x05;
  KithFrame f;
  kith_frame_init(&f);
  size_t used = 0;
  CHECK_INT(kith_frame_step(&f, b, n + 1, &used), KITH_FRAME_TOO_DEEP);
  CHECK_INT(used, 32); // the 32nd array's header
  kith_frame_skip(&f);
  size_t more = 0;
  CHECK_INT(kith_frame_step(&f, b + used, n + 1 - used, &more), KITH_FRAME_OK);
  CHECK_INT(used + more, n);
  free(b);
  // Past KITH_FRAME_SKIP_DEPTH even a skip gives up: the structure cannot be kept.
  b = nested_arrays(KITH_FRAME_SKIP_DEPTH + 10, &n);
  kith_frame_init(&f);
  CHECK_INT(kith_frame_step(&f, b, n, &used), KITH_FRAME_TOO_DEEP);
  kith_frame_skip(&f);
  CHECK_INT(kith_frame_step(&f, b + used, n - used, &more), KITH_FRAME_CORRUPT);
  CHECK_INT(used + more, KITH_FRAME_SKIP_DEPTH);
  free(b);
}

static void test_bad_byte_and_corrupt_header_while_skipping(void) {
  // A too-deep message holding 0xc1, and one holding a 4e9-element array: both lose their
  // structure inside, at the bad byte / header.
  char b[48];
  memset(b, (char)0x91, 40);
  b[40] = (char)0xc1;
  KithFrame f;
  kith_frame_init(&f);
  size_t used = 0, more = 0;
  CHECK_INT(kith_frame_step(&f, b, 41, &used), KITH_FRAME_TOO_DEEP);
  kith_frame_skip(&f);
  CHECK_INT(kith_frame_step(&f, b + used, 41 - used, &more), KITH_FRAME_INVALID);
  CHECK_INT(used + more, 41);
  memcpy(b + 40, "\xdd\xee\x6b\x28\x00\x01", 6);
  kith_frame_init(&f);
  CHECK_INT(kith_frame_step(&f, b, 46, &used), KITH_FRAME_TOO_DEEP);
  kith_frame_skip(&f);
  CHECK_INT(kith_frame_step(&f, b + used, 46 - used, &more), KITH_FRAME_CORRUPT);
  CHECK_INT(used + more, 45);
  // Not skipping: the bad byte is the last one taken.
  const char bad[] = {(char)0x93, 0x02, (char)0xc1, 0x00};
  kith_frame_init(&f);
  CHECK_INT(kith_frame_step(&f, bad, sizeof bad, &used), KITH_FRAME_INVALID);
  CHECK_INT(used, 3);
}

static void test_header_split_across_pieces(void) {
  // A str32 header one byte at a time, then its body.
  const char m[] = {(char)0xdb, 0x00, 0x00, 0x00, 0x03, 'a', 'b', 'c', 0x01};
  KithFrame f;
  kith_frame_init(&f);
  size_t used = 0;
  for (int i = 0; i < 5; i++) {
    CHECK_INT(kith_frame_step(&f, m + i, 1, &used), KITH_FRAME_MORE);
    CHECK_INT(used, 1);
  }
  CHECK_INT(kith_frame_step(&f, m + 5, 4, &used), KITH_FRAME_OK);
  CHECK_INT(used, 3);
  // A 100 MiB declaration split the same way is too big when its last length byte arrives.
  const char big[] = {(char)0xdb, 0x06, 0x40, 0x00, 0x00};
  kith_frame_init(&f);
  for (int i = 0; i < 4; i++)
    CHECK_INT(kith_frame_step(&f, big + i, 1, &used), KITH_FRAME_MORE);
  CHECK_INT(kith_frame_step(&f, big + 4, 1, &used), KITH_FRAME_TOO_BIG);
  CHECK_INT(used, 1);
}

static void test_array_header_helper(void) {
  uint32_t count = 0;
  CHECK_INT(kith_frame_array("\x94\x00", 2, &count), 1);
  CHECK_INT(count, 4);
  CHECK_INT(kith_frame_array("\xdc\x01\x00", 3, &count), 3);
  CHECK_INT(count, 256);
  CHECK_INT(kith_frame_array("\xdd\x00\x00\x01", 4, &count), 0); // not whole
  CHECK_INT(kith_frame_array("\x81\x00\x00", 3, &count), 0);     // a map
  CHECK_INT(kith_frame_array("", 0, &count), 0);
}

int main(void) {
  RUN(test_fixint_and_negative_fixint);
  RUN(test_nil_and_booleans);
  RUN(test_unsigned_integers_8_to_64);
  RUN(test_signed_integers_8_to_64);
  RUN(test_float32_and_float64);
  RUN(test_strings_fixstr_str8_str16_str32);
  RUN(test_binaries_bin8_bin16_bin32);
  RUN(test_ext_fixext_and_ext8_16_32);
  RUN(test_fixarray_array16_array32);
  RUN(test_fixmap_map16_map32);
  RUN(test_c1_is_invalid);
  RUN(test_declarations_no_neovim_object_can_have_are_corrupt_at_once);
  RUN(test_declarations_past_64_mib_are_too_big_at_once);
  RUN(test_nesting_31_deep_is_ok);
  RUN(test_nesting_40_deep_is_too_deep);
  RUN(test_nesting_past_what_msgpack_c_unpacks_is_never_ok);
  RUN(test_two_frames_back_to_back_give_the_first_length);
  RUN(test_any_pieces_give_the_same_end_as_one_scan);
  RUN(test_too_big_string_is_skipped_whole_by_its_length);
  RUN(test_many_elements_past_64_mib_are_too_big_then_skipped);
  RUN(test_too_deep_message_is_skipped_whole);
  RUN(test_bad_byte_and_corrupt_header_while_skipping);
  RUN(test_header_split_across_pieces);
  RUN(test_array_header_helper);
  return harness_finish("test_frame");
}
