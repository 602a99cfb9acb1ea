// kith_frame_scan (src/frame.h): bounds one msgpack object before msgpack-c unpacks it.
// Every type family must give OK with the exact length when whole and MORE for every proper
// prefix; 0xc1 is INVALID; absurd declared sizes are TOO_BIG at once; deep nesting TOO_DEEP.

#include "harness.h"

#include <msgpack.h>
#include <stdio.h>
#include <stdlib.h>

#include "frame.h"

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

static void test_array32_declaring_4g_elements_is_too_big_at_once(void) {
  size_t len;
  const char header[] = {(char)0xdd, (char)0xff, (char)0xff, (char)0xff, (char)0xff};
  CHECK_INT(scan(header, sizeof header, &len), KITH_FRAME_TOO_BIG);
  // Still too big when a few elements follow.
  const char more[] = {(char)0xdd, (char)0xff, (char)0xff, (char)0xff, (char)0xff, 1, 2, 3};
  CHECK_INT(scan(more, sizeof more, &len), KITH_FRAME_TOO_BIG);
  // Inside a request, as the params.
  const char nested[] = {(char)0x94, 0x00,       0x01, (char)0xa1, 'm',
                         (char)0xdd, (char)0xf0, 0x00, 0x00,       0x00};
  CHECK_INT(scan(nested, sizeof nested, &len), KITH_FRAME_TOO_BIG);
}

static void test_other_huge_declarations_are_too_big(void) {
  size_t len;
  const char map32[] = {(char)0xdf, (char)0xff, (char)0xff, (char)0xff, (char)0xff};
  CHECK_INT(scan(map32, sizeof map32, &len), KITH_FRAME_TOO_BIG);
  const char str32[] = {(char)0xdb, (char)0xff, (char)0xff, (char)0xff, (char)0xff};
  CHECK_INT(scan(str32, sizeof str32, &len), KITH_FRAME_TOO_BIG);
  const char bin32[] = {(char)0xc6, (char)0x80, 0x00, 0x00, 0x00};
  CHECK_INT(scan(bin32, sizeof bin32, &len), KITH_FRAME_TOO_BIG);
  const char ext32[] = {(char)0xc9, (char)0xff, (char)0xff, (char)0xff, (char)0xff, 0x00};
  CHECK_INT(scan(ext32, sizeof ext32, &len), KITH_FRAME_TOO_BIG);
  // Just under the limit is not too big: it is only incomplete.
  const char str_ok[] = {(char)0xdb, 0x00, 0x10, 0x00, 0x00}; // 1 MiB declared
  CHECK_INT(scan(str_ok, sizeof str_ok, &len), KITH_FRAME_MORE);
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
  RUN(test_array32_declaring_4g_elements_is_too_big_at_once);
  RUN(test_other_huge_declarations_are_too_big);
  RUN(test_nesting_31_deep_is_ok);
  RUN(test_nesting_40_deep_is_too_deep);
  RUN(test_nesting_past_what_msgpack_c_unpacks_is_never_ok);
  RUN(test_two_frames_back_to_back_give_the_first_length);
  return harness_finish("test_frame");
}
