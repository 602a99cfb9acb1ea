#pragma once

// The lexical rules of the notes format (SPEC §1): handles, tags, kind tags, weights, dates,
// cadences, the leading run of an item and the date of a file name.
// Every function here borrows its text and allocates nothing.

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "notes/date.h"

typedef enum {
  KITH_KIND_NONE = 0, // an ordinary tag such as #work
  KITH_KIND_GIVE,
  KITH_KIND_RECEIVE,
  KITH_KIND_MET,
} KithKind;

/// One tag found in a text: `#` + word.
typedef struct {
  size_t start;        // offset of the `#`
  size_t end;          // offset just past the word (for a kind tag with a weight: the weight)
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
/// when there is one there. A kind tag's weight runs from the `:` to the next whitespace (or
/// `len`), less trailing `.`, `,`, `;`, `!`, `?` and `)`: `#gave:2.` is 2, `#gave:2.5` is bad.
bool kith_entry_tag_at(const char *text, size_t len, size_t at, KithTag *tag);

/// The tags a contact heading may hold besides its handle, none part of its name: a cadence
/// (SPEC §1 v2, `#every:N` + unit d, w, m or y: 1, 7, 30, 365 days, N 1-999), and (v3) a
/// birthday (`#birthday:1990-04-12`, `#birthday:04-12`) and a snooze (`#snooze:2026-12-15`).
typedef enum {
  KITH_HEADING_EVERY = 1,
  KITH_HEADING_BIRTHDAY,
  KITH_HEADING_SNOOZE,
} KithHeadingTagKind;

typedef struct {
  KithHeadingTagKind kind;
  size_t start;       // offset of the `#`
  size_t end;         // offset just past the tag (its value less trailing punctuation)
  size_t value_start; // offset of the value (after `:`)
  size_t value_len;   // 0 for `#every` or `#every:`
  uint32_t days;      // a cadence's days; 0 when the value is bad (or no cadence)
} KithHeadingTag;

/// Finds the heading tag (`#every`, `#birthday`, `#snooze`, any case, with or without a value)
/// that starts at `text[at]` (which must be `#`). Fills `*tag` and returns true when there is
/// one there; the value of a birthday or a snooze is for the caller to read.
bool kith_entry_heading_tag_at(const char *text, size_t len, size_t at, KithHeadingTag *tag);

/// Whether the tag `tag` (found by kith_entry_tag_at in `text`) is the ordinary tag `#name`
/// (`name` lower case; the tag any case).
bool kith_entry_tag_is(const char *text, const KithTag *tag, const char *name);

/// The days of a cadence value (`3w`: N 1-999 then d, w, m or y, any case), 0 when it is not
/// one. `value` is borrowed, `len` bytes.
uint32_t kith_entry_cadence_days(const char *value, size_t len);

/// A wiki link (SPEC §1 v2): `[[` + target + `]]` on one line, the target without `[` or `]`,
/// optionally followed by `#heading` and `|label` inside the brackets. `![[...]]` is an embed,
/// not a link.
typedef struct {
  size_t start, end; // offsets of the `[[` and just past the `]]`
  size_t name, len;  // the target's last path component (before `#` and `|`), without a
                     // `.md` / `.markdown` extension; `len` may be 0 (`[[#Log]]`)
} KithWikiLink;

/// Finds the wiki link that starts at `text[at]` (which must be `[`). Fills `*link` and returns
/// true when there is one there.
bool kith_entry_wikilink_at(const char *text, size_t len, size_t at, KithWikiLink *link);

/// Writes into `dst` (caller owns, room for `len` bytes; not NUL-terminated) the key a name is
/// compared by (SPEC §1 v2): `name` (borrowed, `len` bytes) trimmed, whitespace runs as one
/// space, capitals folded to small letters (kith_utf8_fold). Returns the key's length.
size_t kith_entry_name_key(char *dst, const char *name, size_t len);

/// Whether `s` (borrowed, `len` bytes) is exactly a handle name (without its `@`).
bool kith_entry_is_handle(const char *s, size_t len);

/// A token of the leading run of an item (SPEC §1 v2).
typedef enum {
  KITH_RUN_TAG,
  KITH_RUN_HANDLE, // `start` is the `@`, `len` the handle's length
  KITH_RUN_LINK,   // `link` is the wiki link
} KithRunKind;

typedef struct {
  KithRunKind kind;
  size_t start;
  size_t len;
  KithWikiLink link;
} KithRunToken;

/// One step through the leading run of an item (SPEC §1 v2): skips whitespace from `*at`; if
/// the next token (a run of non-whitespace, or a wiki link, spaces and all) is a tag, a handle
/// or a wiki link, optionally followed by `,` or `;`, moves `*at` past it, fills `*token` and
/// returns true. Returns false where the run ends.
bool kith_entry_run_token(const char *text, size_t len, size_t *at, KithRunToken *token);

/// Copies the handle name at `src` (`n` bytes) lower-cased into `dst` (n bytes, caller owns).
void kith_entry_handle_lower(char *dst, const char *src, size_t n);

/// Length of a date token at `text[0..len)` if the text begins with a date-shaped token
/// followed by space, tab, `:`, `,` or the end; else 0. The date may still be invalid.
size_t kith_entry_date_prefix(const char *text, size_t len);

/// The date a note's file name begins with (`daily/2026-11-20.md`, `2026-11-20 standup.md`,
/// `2026-11-20-retro.md`): the last component of `path` (NUL-terminated) must begin with a real
/// date followed by the end or a character that is neither a letter nor a digit. Returns true
/// and sets `*day` when it does.
bool kith_entry_path_date(const char *path, KithDay *day);
