#include "base/utf8.h"

#include <stdint.h>
#include <string.h>

int kith_utf8_next(const char *s, size_t len) {
  const unsigned char *u = (const unsigned char *)s;
  unsigned char c = u[0];
  if (c < 0x80)
    return 1;
  // The continuation bytes each lead byte takes, and the range of the first one (which rules
  // out overlong forms, surrogates and code points above U+10FFFF).
  int need;
  unsigned char lo = 0x80, hi = 0xBF;
  if (c >= 0xC2 && c <= 0xDF) {
    need = 1;
  } else if (c >= 0xE0 && c <= 0xEF) {
    need = 2;
    lo = c == 0xE0 ? 0xA0 : 0x80;
    hi = c == 0xED ? 0x9F : 0xBF;
  } else if (c >= 0xF0 && c <= 0xF4) {
    need = 3;
    lo = c == 0xF0 ? 0x90 : 0x80;
    hi = c == 0xF4 ? 0x8F : 0xBF;
  } else {
    return -1; // a continuation byte, C0, C1 or F5..FF
  }
  for (int i = 1; i <= need; i++) {
    if ((size_t)i >= len || u[i] < lo || u[i] > hi)
      return -i;
    lo = 0x80;
    hi = 0xBF;
  }
  return need + 1;
}

size_t kith_utf8_invalid_at(const char *s, size_t len) {
  size_t i = 0;
  while (i < len) {
    // Eight ASCII bytes at a time: most notes are mostly ASCII.
    uint64_t word;
    if (len - i >= sizeof word) {
      memcpy(&word, s + i, sizeof word);
      if ((word & 0x8080808080808080ULL) == 0) {
        i += sizeof word;
        continue;
      }
    }
    int n = kith_utf8_next(s + i, len - i);
    if (n < 0)
      return i;
    i += (size_t)n;
  }
  return len;
}
