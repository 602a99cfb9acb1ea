#pragma once

// Handles derived from names (SPEC §1 v3): a contact note found by a rule and without a
// `handle` key gets its handle from its file name, and a meeting's people from the names it
// lists: `Steph Ango` → `steph-ango`, `Inês Sá` → `ines-sa`, `O'Brien, Pat` → `o-brien-pat`.
// Unicode decomposition comes from utf8proc.

#include <stddef.h>

/// The longest handle derived here, in bytes (a longer one is cut, then trimmed of `-`).
enum { KITH_DERIVE_MAX = 128 };

/// Writes into `out` (caller owns, room for KITH_DERIVE_MAX + 1 bytes; NUL-terminated) the
/// handle derived from `name` (borrowed, `len` bytes of UTF-8; invalid bytes count as
/// separators): each character decomposed (NFKD) with its combining marks dropped, lower case,
/// every run of characters outside [a-z0-9_] turned into one `-`, leading and trailing `-`
/// dropped. Returns its length; 0 when nothing is left (`李雷`).
size_t kith_derive_handle(const char *name, size_t len, char out[KITH_DERIVE_MAX + 1]);
