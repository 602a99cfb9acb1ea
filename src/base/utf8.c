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

// The small letter of code point `cp` (two-byte range U+0080..U+07FF), or `cp` itself.
static uint32_t utf8_fold_cp(uint32_t cp) {
  if ((cp >= 0xC0 && cp <= 0xDE && cp != 0xD7) || (cp >= 0x391 && cp <= 0x3AB && cp != 0x3A2) ||
      (cp >= 0x410 && cp <= 0x42F))
    return cp + 0x20;
  if (cp >= 0x400 && cp <= 0x40F)
    return cp + 0x50;
  if (cp == 0x178)
    return 0xFF;
  // Latin Extended-A pairs capital/small letters side by side; U+0130/U+0131 (dotted and
  // dotless i) and U+0138, U+0149 (no capital) are left alone.
  if ((cp >= 0x100 && cp <= 0x12F) || (cp >= 0x132 && cp <= 0x137) || (cp >= 0x14A && cp <= 0x177))
    return cp % 2 == 0 ? cp + 1 : cp;
  if ((cp >= 0x139 && cp <= 0x148) || (cp >= 0x179 && cp <= 0x17E))
    return cp % 2 == 1 ? cp + 1 : cp;
  return cp;
}

void kith_utf8_fold(char *dst, const char *s, size_t len) {
  const unsigned char *u = (const unsigned char *)s;
  for (size_t i = 0; i < len;) {
    unsigned char c = u[i];
    if (c < 0x80) {
      dst[i++] = (char)(c >= 'A' && c <= 'Z' ? c + ('a' - 'A') : c);
      continue;
    }
    int n = kith_utf8_next(s + i, len - i);
    if (n == 2) {
      uint32_t cp = utf8_fold_cp(((uint32_t)(c & 0x1F) << 6) | (u[i + 1] & 0x3F));
      dst[i] = (char)(0xC0 | (cp >> 6));
      dst[i + 1] = (char)(0x80 | (cp & 0x3F));
      i += 2;
      continue;
    }
    size_t step = (size_t)(n > 0 ? n : -n);
    memcpy(dst + i, s + i, step);
    i += step;
  }
}
