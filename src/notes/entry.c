#include "notes/entry.h"

#include <string.h>

#include "base/utf8.h"
#include "notes/date.h"

static bool entry_is_alnum_(unsigned char c) {
  return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '_';
}

static bool entry_is_space(unsigned char c) {
  return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\f' || c == '\v';
}

static bool entry_is_punct(unsigned char c) {
  return (c >= '!' && c <= '/') || (c >= ':' && c <= '@') || (c >= '[' && c <= '`') ||
         (c >= '{' && c <= '~');
}

size_t kith_entry_handle_at(const char *text, size_t len, size_t at) {
  if (at >= len || text[at] != '@')
    return 0;
  if (at > 0) {
    unsigned char prev = (unsigned char)text[at - 1];
    if (entry_is_alnum_(prev) || prev == '.' || prev == '+' || prev == '-')
      return 0;
  }
  size_t i = at + 1;
  if (i >= len || !entry_is_alnum_((unsigned char)text[i]))
    return 0;
  while (i < len) {
    unsigned char c = (unsigned char)text[i];
    if (!entry_is_alnum_(c) && c != '.' && c != '-')
      break;
    i++;
  }
  while (text[i - 1] == '.' || text[i - 1] == '-')
    i--;
  return i - at - 1;
}

void kith_entry_handle_lower(char *dst, const char *src, size_t n) {
  for (size_t i = 0; i < n; i++) {
    char c = src[i];
    dst[i] = (c >= 'A' && c <= 'Z') ? (char)(c - 'A' + 'a') : c;
  }
}

static bool entry_word_is(const char *w, size_t n, const char *name) {
  size_t m = strlen(name);
  if (n != m)
    return false;
  for (size_t i = 0; i < n; i++) {
    char c = w[i];
    if (c >= 'A' && c <= 'Z')
      c = (char)(c - 'A' + 'a');
    if (c != name[i])
      return false;
  }
  return true;
}

static KithKind entry_kind(const char *w, size_t n) {
  if (entry_word_is(w, n, "gave") || entry_word_is(w, n, "give"))
    return KITH_KIND_GIVE;
  if (entry_word_is(w, n, "got") || entry_word_is(w, n, "received") ||
      entry_word_is(w, n, "receive"))
    return KITH_KIND_RECEIVE;
  if (entry_word_is(w, n, "met"))
    return KITH_KIND_MET;
  return KITH_KIND_NONE;
}

static int entry_weight(const char *w, size_t n) {
  if (n == 0 || n > 3)
    return 0;
  int value = 0;
  for (size_t i = 0; i < n; i++) {
    if (w[i] < '0' || w[i] > '9')
      return 0;
    value = value * 10 + (w[i] - '0');
  }
  return value >= 1 && value <= 999 ? value : 0;
}

// Where a value that begins at `from` ends (SPEC §1 v2): at the next whitespace or `len`, less
// trailing `.`, `,`, `;`, `!`, `?` and `)`.
static size_t entry_value_end(const char *text, size_t len, size_t from) {
  size_t end = from;
  while (end < len && !entry_is_space((unsigned char)text[end]))
    end++;
  while (end > from && memchr(".,;!?)", text[end - 1], 6))
    end--;
  return end;
}

// The word of a tag at `text[at]` (`#` + word): its end, or 0 when there is no tag there.
static size_t entry_tag_word_end(const char *text, size_t len, size_t at) {
  if (at >= len || text[at] != '#')
    return 0;
  if (at > 0) {
    unsigned char prev = (unsigned char)text[at - 1];
    if (!entry_is_space(prev) && prev != '(')
      return 0;
  }
  size_t i = at + 1;
  while (i < len) {
    unsigned char c = (unsigned char)text[i];
    if (entry_is_space(c) || (entry_is_punct(c) && c != ':' && c != '_' && c != '-' && c != '/'))
      break;
    i++;
  }
  return i == at + 1 ? 0 : i;
}

bool kith_entry_tag_at(const char *text, size_t len, size_t at, KithTag *tag) {
  size_t i = entry_tag_word_end(text, len, at);
  if (i == 0)
    return false;
  memset(tag, 0, sizeof *tag);
  tag->start = at;
  tag->end = i;
  // A colon closing the word is punctuation of the sentence: `#gave: intro` is `#gave`.
  size_t word_end = text[i - 1] == ':' ? i - 1 : i;
  const char *word = text + at + 1;
  size_t word_len = word_end - at - 1;
  const char *colon = memchr(word, ':', word_len);
  size_t name_len = colon ? (size_t)(colon - word) : word_len;
  tag->kind = entry_kind(word, name_len);
  if (tag->kind == KITH_KIND_NONE)
    return true;
  tag->weight = 1;
  if (!colon && word_end == i)
    return true;
  // The weight runs to the next whitespace, less trailing punctuation (`#gave:2.` is 2).
  size_t from = colon ? (size_t)(colon + 1 - text) : word_end + 1;
  size_t end = entry_value_end(text, len, from);
  if (end == from)
    return true; // `#gave:` or `#gave:.`: no weight, so 1
  tag->weight_start = from;
  tag->weight_len = end - from;
  tag->weight = entry_weight(text + from, tag->weight_len);
  if (end > tag->end)
    tag->end = end;
  return true;
}

bool kith_entry_heading_tag_at(const char *text, size_t len, size_t at, KithHeadingTag *tag) {
  static const struct {
    const char *word;
    KithHeadingTagKind kind;
  } words[] = {{"every", KITH_HEADING_EVERY},
               {"birthday", KITH_HEADING_BIRTHDAY},
               {"snooze", KITH_HEADING_SNOOZE}};
  size_t i = entry_tag_word_end(text, len, at);
  for (size_t w = 0; i > 0 && w < sizeof words / sizeof *words; w++) {
    size_t n = strlen(words[w].word);
    if (i < at + 1 + n || !entry_word_is(text + at + 1, n, words[w].word))
      continue;
    size_t after = at + 1 + n;
    if (after < i && text[after] != ':')
      continue; // `#everyone`, `#birthday-party`: ordinary tags
    memset(tag, 0, sizeof *tag);
    tag->kind = words[w].kind;
    tag->start = at;
    tag->end = i;
    if (after == i)
      return true; // without a value
    size_t from = after + 1;
    size_t end = entry_value_end(text, len, from);
    if (end > tag->end)
      tag->end = end;
    tag->value_start = from;
    tag->value_len = end - from;
    if (tag->kind == KITH_HEADING_EVERY)
      tag->days = kith_entry_cadence_days(text + from, tag->value_len);
    return true;
  }
  return false;
}

bool kith_entry_tag_is(const char *text, const KithTag *tag, const char *name) {
  size_t n = tag->end - tag->start - 1;
  if (n > 0 && text[tag->end - 1] == ':')
    n--; // `#ask:` at the end of a sentence
  return entry_word_is(text + tag->start + 1, n, name);
}

uint32_t kith_entry_cadence_days(const char *value, size_t n) {
  // N (1-999) then one unit.
  if (n < 2 || n > 4)
    return 0;
  int count = entry_weight(value, n - 1);
  static const struct {
    char unit;
    uint32_t days;
  } units[] = {{'d', 1}, {'w', 7}, {'m', 30}, {'y', 365}};
  char unit = value[n - 1];
  if (unit >= 'A' && unit <= 'Z')
    unit = (char)(unit - 'A' + 'a');
  for (size_t k = 0; count > 0 && k < sizeof units / sizeof *units; k++) {
    if (units[k].unit == unit)
      return (uint32_t)count * units[k].days;
  }
  return 0;
}

// Whether `s` (`n` bytes) ends with `ext` (lower case), any case.
static bool entry_ends_with(const char *s, size_t n, const char *ext) {
  size_t m = strlen(ext);
  return n > m && entry_word_is(s + n - m, m, ext);
}

bool kith_entry_wikilink_at(const char *text, size_t len, size_t at, KithWikiLink *link) {
  if (at + 4 > len || text[at] != '[' || text[at + 1] != '[' || (at > 0 && text[at - 1] == '!'))
    return false;
  size_t i = at + 2, bar = 0, hash = 0;
  for (; i + 1 < len; i++) {
    char c = text[i];
    if (c == ']')
      break;
    if (c == '[' || c == '\n' || c == '\r')
      return false;
    if (c == '|' && !bar)
      bar = i;
    if (c == '#' && !hash && !bar)
      hash = i;
  }
  if (i + 1 >= len || text[i + 1] != ']' || i == at + 2)
    return false;
  size_t stop = hash ? hash : bar ? bar : i;
  size_t name = at + 2;
  for (size_t k = at + 2; k < stop; k++) {
    if (text[k] == '/')
      name = k + 1;
  }
  size_t n = stop - name;
  if (entry_ends_with(text + name, n, ".md"))
    n -= 3;
  else if (entry_ends_with(text + name, n, ".markdown"))
    n -= 9;
  *link = (KithWikiLink){at, i + 2, name, n};
  return true;
}

size_t kith_entry_name_key(char *dst, const char *name, size_t len) {
  size_t n = 0;
  bool space = false;
  for (size_t i = 0; i < len; i++) {
    unsigned char c = (unsigned char)name[i];
    if (entry_is_space(c)) {
      space = n > 0;
      continue;
    }
    if (space)
      dst[n++] = ' ';
    space = false;
    dst[n++] = (char)c;
  }
  kith_utf8_fold(dst, dst, n);
  return n;
}

bool kith_entry_is_handle(const char *s, size_t len) {
  if (len == 0 || !entry_is_alnum_((unsigned char)s[0]) || s[len - 1] == '.' || s[len - 1] == '-')
    return false;
  for (size_t i = 1; i < len; i++) {
    unsigned char c = (unsigned char)s[i];
    if (!entry_is_alnum_(c) && c != '.' && c != '-')
      return false;
  }
  return true;
}

bool kith_entry_run_token(const char *text, size_t len, size_t *at, KithRunToken *token) {
  size_t i = *at;
  while (i < len && entry_is_space((unsigned char)text[i]))
    i++;
  if (i >= len)
    return false;
  size_t token_end;
  token->start = i;
  token->len = 0;
  if (text[i] == '#') {
    KithTag tag;
    if (!kith_entry_tag_at(text, len, i, &tag))
      return false;
    token->kind = KITH_RUN_TAG;
    token_end = tag.end;
  } else if (text[i] == '@') {
    size_t n = kith_entry_handle_at(text, len, i);
    if (n == 0)
      return false;
    token->kind = KITH_RUN_HANDLE;
    token->len = n;
    token_end = i + 1 + n;
  } else if (text[i] == '[' && kith_entry_wikilink_at(text, len, i, &token->link)) {
    token->kind = KITH_RUN_LINK;
    token_end = token->link.end;
  } else {
    return false;
  }
  if (token_end < len && (text[token_end] == ',' || text[token_end] == ';'))
    token_end++;
  if (token_end < len && !entry_is_space((unsigned char)text[token_end]))
    return false;
  *at = token_end;
  return true;
}

size_t kith_entry_date_prefix(const char *text, size_t len) {
  if (len < 10 || !kith_date_is_shaped(text, 10))
    return 0;
  if (len == 10)
    return 10;
  char c = text[10];
  if (c == ' ' || c == '\t' || c == ':' || c == ',' || c == '\n' || c == '\r')
    return 10;
  return 0;
}

static bool entry_is_alnum(unsigned char c) {
  return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9');
}

bool kith_entry_path_date(const char *path, KithDay *day) {
  const char *name = strrchr(path, '/');
  name = name ? name + 1 : path;
  size_t len = strlen(name);
  if (len < 10 || (len > 10 && entry_is_alnum((unsigned char)name[10])))
    return false;
  return kith_date_parse(name, 10, day) == 0;
}
