#include "notes/derive.h"

#include <stdbool.h>
#include <stdint.h>
#include <utf8proc.h>

#include "base/utf8.h"

// Appends code point `cp` (after decomposition) to the handle being written: a letter, digit or
// `_` of ASCII as it is (lower case), anything else as a separator. `*sep`: a `-` is owed
// before the next kept character.
static void derive_put(utf8proc_int32_t cp, char *out, size_t *n, bool *sep) {
  if (cp >= 'A' && cp <= 'Z')
    cp += 'a' - 'A';
  bool keep = (cp >= 'a' && cp <= 'z') || (cp >= '0' && cp <= '9') || cp == '_';
  if (!keep) {
    *sep = *n > 0;
    return;
  }
  if (*sep && *n < KITH_DERIVE_MAX)
    out[(*n)++] = '-';
  *sep = false;
  if (*n < KITH_DERIVE_MAX)
    out[(*n)++] = (char)cp;
}

size_t kith_derive_handle(const char *name, size_t len, char out[KITH_DERIVE_MAX + 1]) {
  size_t n = 0;
  bool sep = false;
  const utf8proc_option_t options = UTF8PROC_COMPAT | UTF8PROC_DECOMPOSE | UTF8PROC_STRIPMARK;
  for (size_t at = 0; at < len && n < KITH_DERIVE_MAX;) {
    int step = kith_utf8_next(name + at, len - at);
    if (step < 0) {
      sep = n > 0; // invalid bytes separate like any other character outside [a-z0-9_]
      at += (size_t)-step;
      continue;
    }
    utf8proc_int32_t cp;
    utf8proc_iterate((const utf8proc_uint8_t *)name + at, step, &cp);
    at += (size_t)step;
    if (cp < 0x80) {
      derive_put(cp, out, &n, &sep);
      continue;
    }
    utf8proc_int32_t parts[32];
    int last_boundclass = 0;
    utf8proc_ssize_t count = utf8proc_decompose_char(cp, parts, 32, options, &last_boundclass);
    if (count < 0 || count > 32) {
      sep = n > 0;
      continue;
    }
    for (utf8proc_ssize_t i = 0; i < count; i++)
      derive_put(parts[i], out, &n, &sep);
  }
  while (n > 0 && out[n - 1] == '-')
    n--; // cut at the limit right after a separator
  out[n] = '\0';
  return n;
}
