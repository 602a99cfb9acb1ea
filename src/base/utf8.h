#pragma once

// UTF-8 as Unicode 3.9 (table 3-7) defines it: what is valid, and where it stops being valid.
// Invalid: stray continuation bytes, C0, C1 and F5..FF, overlong forms, surrogates
// (ED A0..ED BF), code points above U+10FFFF, and sequences cut short.

#include <stddef.h>

/// The UTF-8 sequence at the start of `s` (borrowed, `len` > 0 bytes). Returns its length (1..4)
/// when it is valid, else minus the length of its "maximal subpart" (Unicode 3.9, U+FFFD
/// substitution): the lead byte and the continuation bytes that could still have completed it,
/// which one U+FFFD replaces (-1..-3).
int kith_utf8_next(const char *s, size_t len);

/// The offset of the first byte of `s` (borrowed, `len` bytes) that is not part of a valid
/// UTF-8 sequence, or `len` when all of it is valid.
size_t kith_utf8_invalid_at(const char *s, size_t len);

/// Copies `s` (borrowed, `len` bytes) into `dst` (caller owns, room for `len` bytes) with
/// capital letters folded to small ones: ASCII, Latin-1, Latin Extended-A, Greek and Cyrillic
/// (the scripts whose case pairs have UTF-8 sequences of the same length, so the text keeps its
/// length). Everything else, invalid bytes included, is copied as it is.
void kith_utf8_fold(char *dst, const char *s, size_t len);
