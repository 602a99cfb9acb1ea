#include "notes/entry.h"

#include <string.h>

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

bool kith_entry_tag_at(const char *text, size_t len, size_t at, KithTag *tag) {
  if (at >= len || text[at] != '#')
    return false;
  if (at > 0) {
    unsigned char prev = (unsigned char)text[at - 1];
    if (!entry_is_space(prev) && prev != '(')
      return false;
  }
  size_t i = at + 1;
  while (i < len) {
    unsigned char c = (unsigned char)text[i];
    if (entry_is_space(c) || (entry_is_punct(c) && c != ':' && c != '_' && c != '-' && c != '/'))
      break;
    i++;
  }
  if (i == at + 1)
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
  if (!colon) {
    tag->weight = 1;
    return true;
  }
  tag->weight_start = (size_t)(colon + 1 - text);
  tag->weight_len = word_end - tag->weight_start;
  tag->weight = entry_weight(colon + 1, tag->weight_len);
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
