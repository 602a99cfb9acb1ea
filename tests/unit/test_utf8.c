// UTF-8 validity (Unicode 3.9, table 3-7): which sequences are valid, how much of an invalid
// one a single U+FFFD replaces, and where the first invalid byte of a text is.

#include "harness.h"

#include <stdio.h>

#include "base/utf8.h"

#define NEXT(bytes) kith_utf8_next(bytes, sizeof bytes - 1)
#define INVALID_AT(bytes) kith_utf8_invalid_at(bytes, sizeof bytes - 1)

static void test_valid_sequences_at_every_boundary(void) {
  CHECK_INT(NEXT("A"), 1);
  CHECK_INT(NEXT("\x7f"), 1);
  CHECK_INT(NEXT("\xc2\x80"), 2);         // U+0080
  CHECK_INT(NEXT("\xdf\xbf"), 2);         // U+07FF
  CHECK_INT(NEXT("\xe0\xa0\x80"), 3);     // U+0800
  CHECK_INT(NEXT("\xed\x9f\xbf"), 3);     // U+D7FF, below the surrogates
  CHECK_INT(NEXT("\xee\x80\x80"), 3);     // U+E000, above them
  CHECK_INT(NEXT("\xef\xbf\xbf"), 3);     // U+FFFF
  CHECK_INT(NEXT("\xf0\x90\x80\x80"), 4); // U+10000
  CHECK_INT(NEXT("\xf4\x8f\xbf\xbf"), 4); // U+10FFFF
  CHECK_INT(NEXT("\xc3\xa9rest"), 2);     // only the first sequence counts
}

static void test_overlong_forms_are_invalid(void) {
  CHECK_INT(NEXT("\xc0\x80"), -1); // U+0000 in two bytes
  CHECK_INT(NEXT("\xc1\xbf"), -1);
  CHECK_INT(NEXT("\xe0\x80\x80"), -1);
  CHECK_INT(NEXT("\xe0\x9f\xbf"), -1); // U+07FF in three bytes
  CHECK_INT(NEXT("\xf0\x80\x80\x80"), -1);
  CHECK_INT(NEXT("\xf0\x8f\xbf\xbf"), -1); // U+FFFF in four bytes
}

static void test_surrogates_are_invalid(void) {
  CHECK_INT(NEXT("\xed\xa0\x80"), -1); // U+D800
  CHECK_INT(NEXT("\xed\xaf\xbf"), -1);
  CHECK_INT(NEXT("\xed\xbf\xbf"), -1); // U+DFFF
}

static void test_bytes_that_never_begin_a_sequence(void) {
  CHECK_INT(NEXT("\x80"), -1);
  CHECK_INT(NEXT("\xbf"), -1);
  CHECK_INT(NEXT("\xf4\x90\x80\x80"), -1); // U+110000
  for (int b = 0xF5; b <= 0xFF; b++) {
    char s[4] = {(char)b, '\x80', '\x80', '\x80'};
    CHECK_INT(kith_utf8_next(s, 4), -1);
  }
}

static void test_truncated_sequences(void) {
  // At the end of the text: the lead byte and the continuations so far are one subpart.
  CHECK_INT(NEXT("\xc3"), -1);
  CHECK_INT(NEXT("\xe2\x82"), -2);
  CHECK_INT(NEXT("\xf0\x9f\x98"), -3);
  CHECK_INT(NEXT("\xf4\x8f\xbf"), -3);
  // Cut by a byte that is not a continuation.
  CHECK_INT(NEXT("\xe2\x82\x41"), -2);
  CHECK_INT(NEXT("\xf0\x9f\x41\x41"), -2);
  CHECK_INT(NEXT("\xc3\xc3\xa9"), -1);
  // `len` ends the text even when more bytes follow in memory.
  CHECK_INT(kith_utf8_next("\xc3\xa9", 1), -1);
  CHECK_INT(kith_utf8_next("\xf4\x8f\xbf\xbf", 3), -3);
}

// kith_utf8_next() against a decoder written from the definition, over every sequence of one
// to three bytes (and every four-byte one with a fixed last byte).
static int oracle(const unsigned char *u, int len) {
  int n = u[0] < 0x80                   ? 1
          : u[0] >= 0xC0 && u[0] < 0xE0 ? 2
          : u[0] >= 0xE0 && u[0] < 0xF0 ? 3
          : u[0] >= 0xF0 && u[0] < 0xF8 ? 4
                                        : 0;
  if (n == 0 || n > len)
    return 0;
  uint32_t cp = n == 1 ? u[0] : (uint32_t)(u[0] & (0x7F >> n));
  for (int i = 1; i < n; i++) {
    if ((u[i] & 0xC0) != 0x80)
      return 0;
    cp = cp << 6 | (u[i] & 0x3F);
  }
  static const uint32_t least[] = {0, 0, 0x80, 0x800, 0x10000};
  if (cp < least[n] || cp > 0x10FFFF || (cp >= 0xD800 && cp <= 0xDFFF))
    return 0;
  return n;
}

static void test_agrees_with_a_decoder(void) {
  long disagree = 0;
  unsigned char u[4];
  for (uint32_t x = 0; x < 0x1000000; x++) {
    u[0] = (unsigned char)(x >> 16), u[1] = (unsigned char)(x >> 8), u[2] = (unsigned char)x;
    for (int len = 1; len <= 3; len++) {
      if (len < 3 && (x & ((1u << (8 * (3 - len))) - 1)) != 0)
        continue; // shorter texts: each prefix once
      int want = oracle(u, len), got = kith_utf8_next((const char *)u, (size_t)len);
      if ((want > 0 ? want : -1) != (got > 0 ? got : -1) && disagree++ < 5)
        fprintf(stderr, "  %02x %02x %02x (len %d): got %d, want %d\n", u[0], u[1], u[2], len, got,
                want);
    }
    if (u[0] >= 0xF0) {
      u[3] = 0xBF;
      int want = oracle(u, 4), got = kith_utf8_next((const char *)u, 4);
      if ((want > 0 ? want : -1) != (got > 0 ? got : -1) && disagree++ < 5)
        fprintf(stderr, "  %02x %02x %02x bf: got %d, want %d\n", u[0], u[1], u[2], got, want);
    }
  }
  CHECK_INT(disagree, 0);
}

static void test_first_invalid_byte(void) {
  CHECK_INT(kith_utf8_invalid_at("", 0), 0);
  CHECK_INT(INVALID_AT("plain ascii text, longer than one word"), 38);
  CHECK_INT(INVALID_AT("caf\xc3\xa9 \xe2\x86\x91 \xf0\x9f\x98\x80 \xf4\x8f\xbf\xbf"), 19);
  CHECK_INT(INVALID_AT("ab\xff"), 2);
  CHECK_INT(INVALID_AT("\xffxxxxxxxxxxxxxxxx"), 0);
  CHECK_INT(INVALID_AT("0123456789abcdef\x80"), 16);       // after two ASCII words
  CHECK_INT(INVALID_AT("0123456\xc3\xa9\xed\xa0\x80"), 9); // a word that is not all ASCII
  CHECK_INT(INVALID_AT("0123456789abcd\xc0\xaf"), 14);
  CHECK_INT(INVALID_AT("0123456789abcdefg\xe2\x82"), 17); // cut at the end of the text
  CHECK_INT(INVALID_AT("xx\xc3\xa9\xc3"), 4);
}

int main(void) {
  RUN(test_valid_sequences_at_every_boundary);
  RUN(test_overlong_forms_are_invalid);
  RUN(test_surrogates_are_invalid);
  RUN(test_bytes_that_never_begin_a_sequence);
  RUN(test_truncated_sequences);
  RUN(test_agrees_with_a_decoder);
  RUN(test_first_invalid_byte);
  return harness_finish("test_utf8");
}
