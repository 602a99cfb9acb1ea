#pragma once

// The lexical rules of the notes format (SPEC §1): handles, tags, kind tags, weights, dates.
// Every function here borrows its text and allocates nothing.

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

typedef enum {
  KITH_KIND_NONE = 0, // an ordinary tag such as #work
  KITH_KIND_GIVE,
  KITH_KIND_RECEIVE,
  KITH_KIND_MET,
} KithKind;

/// One tag found in a text: `#` + word.
typedef struct {
  size_t start;        // offset of the `#`
  size_t end;          // offset just past the word
  KithKind kind;       // KITH_KIND_NONE for ordinary tags
  int weight;          // 1..999 for a kind tag with a good weight; 0 when the weight is bad
  size_t weight_start; // offset of the weight text (after `:`), valid when weight_len > 0
  size_t weight_len;
} KithTag;

/// Finds the handle that starts at `text[at]` (which must be `@`). On success returns the
/// length of the handle name (without `@` and trailing `.`/`-`), else 0. `text` is the whole
/// buffer so the byte before `at` can be checked.
size_t kith_entry_handle_at(const char *text, size_t len, size_t at);

/// Finds the tag that starts at `text[at]` (which must be `#`). Fills `*tag` and returns true
/// when there is one there.
bool kith_entry_tag_at(const char *text, size_t len, size_t at, KithTag *tag);

/// Copies the handle name at `src` (`n` bytes) lower-cased into `dst` (n bytes, caller owns).
void kith_entry_handle_lower(char *dst, const char *src, size_t n);

/// Length of a date token at `text[0..len)` if the text begins with a date-shaped token
/// followed by space, tab, `:`, `,` or the end; else 0. The date may still be invalid.
size_t kith_entry_date_prefix(const char *text, size_t len);
