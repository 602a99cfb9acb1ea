#include "ledger/names.h"

#include <stdlib.h>
#include <string.h>

#include "notes/entry.h"

static uint64_t names_hash(const char *s, size_t len) {
  uint64_t h = 1469598103934665603ull; // FNV-1a
  for (size_t i = 0; i < len; i++) {
    h ^= (unsigned char)s[i];
    h *= 1099511628211ull;
  }
  return h;
}

const char *kith_names_str(const KithNames *names, uint32_t offset) {
  return names->strings.data ? names->strings.data + offset : "";
}

static uint32_t names_intern(KithNames *names, const char *s, size_t len) {
  size_t offset = names->strings.len;
  if (offset >= UINT32_MAX - len - 1)
    return UINT32_MAX;
  if (kith_buf_append(&names->strings, s, len) != 0 || kith_buf_putc(&names->strings, '\0') != 0)
    return UINT32_MAX;
  return (uint32_t)offset;
}

static int names_rehash(KithNames *names, uint32_t slot_count) {
  uint32_t *slots = calloc(slot_count, sizeof *slots);
  if (!slots)
    return -1;
  free(names->slots);
  names->slots = slots;
  names->slot_count = slot_count;
  for (uint32_t i = 0; i < names->key_count; i++) {
    const char *key = kith_names_str(names, names->keys[i].key);
    uint32_t s = (uint32_t)(names_hash(key, strlen(key)) & (slot_count - 1));
    while (slots[s])
      s = (s + 1) & (slot_count - 1);
    slots[s] = i + 1;
  }
  return 0;
}

const KithNameKey *kith_names_find(const KithNames *names, const char *key, size_t len) {
  if (!names->slot_count)
    return NULL;
  uint32_t s = (uint32_t)(names_hash(key, len) & (names->slot_count - 1));
  while (names->slots[s]) {
    const KithNameKey *k = &names->keys[names->slots[s] - 1];
    const char *have = kith_names_str(names, k->key);
    if (strncmp(have, key, len) == 0 && have[len] == '\0')
      return k;
    s = (s + 1) & (names->slot_count - 1);
  }
  return NULL;
}

// Adds one name (all strings borrowed). Returns 0 or -1.
static int names_add(KithNames *names, const char *text, const char *handle, uint32_t path,
                     uint32_t note, uint32_t line, KithNameKind kind) {
  size_t text_len = strlen(text);
  char stack[256];
  char *key = text_len <= sizeof stack ? stack : malloc(text_len);
  if (!key)
    return -1;
  size_t key_len = kith_entry_name_key(key, text, text_len);
  int rc = -1;
  if (key_len == 0) {
    rc = 0; // a name of nothing but spaces names nothing
    goto done;
  }
  if (names->count == names->cap) {
    uint32_t cap = names->cap ? names->cap * 2 : 64;
    KithName *grown = realloc(names->names, cap * sizeof *grown);
    if (!grown)
      goto done;
    names->names = grown;
    names->cap = cap;
  }
  KithNameKey *k = (KithNameKey *)kith_names_find(names, key, key_len);
  if (!k) {
    if ((names->key_count + 1) * 2 > names->slot_count &&
        names_rehash(names, names->slot_count ? names->slot_count * 2 : 256) != 0)
      goto done;
    if (names->key_count == names->key_cap) {
      uint32_t cap = names->key_cap ? names->key_cap * 2 : 64;
      KithNameKey *grown = realloc(names->keys, cap * sizeof *grown);
      if (!grown)
        goto done;
      names->keys = grown;
      names->key_cap = cap;
    }
    uint32_t offset = names_intern(names, key, key_len);
    if (offset == UINT32_MAX)
      goto done;
    k = &names->keys[names->key_count];
    *k = (KithNameKey){offset, UINT32_MAX, UINT32_MAX};
    uint32_t s = (uint32_t)(names_hash(key, key_len) & (names->slot_count - 1));
    while (names->slots[s])
      s = (s + 1) & (names->slot_count - 1);
    names->slots[s] = ++names->key_count;
  }
  KithName n = {k->key,
                names_intern(names, text, text_len),
                names_intern(names, handle, strlen(handle)),
                path,
                note,
                line,
                kind,
                UINT32_MAX};
  if (n.text == UINT32_MAX || n.handle == UINT32_MAX)
    goto done;
  uint32_t at = names->count++;
  names->names[at] = n;
  if (k->last == UINT32_MAX)
    k->first = at;
  else
    names->names[k->last].next = at;
  k->last = at;
  rc = 0;
done:
  if (key != stack)
    free(key);
  return rc;
}

long kith_names_of_note(const KithNote *note, KithNoteName **out) {
  *out = NULL;
  const KithHeading *contact = kith_note_contact_note(note);
  size_t count = note->heading_count + (contact ? 1 + note->alias_count : 0);
  if (count == 0)
    return 0;
  KithNoteName *list = malloc(count * sizeof *list);
  if (!list)
    return -1;
  size_t n = 0;
  for (uint32_t i = 0; i < note->heading_count; i++) {
    const KithHeading *h = &note->headings[i];
    const char *handle = kith_note_str(note, h->handle);
    list[n++] = (KithNoteName){kith_note_str(note, h->name), handle, h->line,
                               h == contact ? KITH_NAME_NOTE : KITH_NAME_HEADING};
    if (h != contact)
      continue;
    list[n++] = (KithNoteName){kith_note_str(note, note->stem), handle, 1, KITH_NAME_FILE};
    for (uint32_t a = 0; a < note->alias_count; a++)
      list[n++] = (KithNoteName){kith_note_str(note, note->aliases[a]), handle, 1, KITH_NAME_ALIAS};
  }
  *out = list;
  return (long)n;
}

int kith_names_add_note(KithNames *names, uint32_t index, const char *path, const KithNote *note) {
  if (note->heading_count == 0)
    return 0;
  KithNoteName *list;
  long n = kith_names_of_note(note, &list);
  if (n < 0)
    return -1;
  uint32_t at = names_intern(names, path ? path : "", path ? strlen(path) : 0);
  int rc = at == UINT32_MAX ? -1 : 0;
  for (long i = 0; rc == 0 && i < n; i++)
    rc = names_add(names, list[i].text, list[i].handle, at, index, list[i].line, list[i].kind);
  free(list);
  return rc;
}

int kith_names_add_meeting(KithNames *names, uint32_t index, const char *path, const char *text,
                           const char *handle, uint32_t line) {
  uint32_t at = names_intern(names, path ? path : "", path ? strlen(path) : 0);
  if (at == UINT32_MAX)
    return -1;
  return names_add(names, text, handle, at, index, line, KITH_NAME_MEETING);
}

// The distinct handles of the names of `k` (those of declarations only when `declared`).
static uint32_t names_handles(const KithNames *names, const KithNameKey *k, const char **handles,
                              uint32_t max, bool declared) {
  uint32_t count = 0;
  uint32_t seen[8];
  for (uint32_t i = k->first; i != UINT32_MAX; i = names->names[i].next) {
    if (declared && names->names[i].kind == KITH_NAME_MEETING)
      continue;
    uint32_t h = names->names[i].handle;
    const char *handle = kith_names_str(names, h);
    bool dup = false;
    for (uint32_t s = 0; s < count && s < 8 && !dup; s++)
      dup = strcmp(kith_names_str(names, seen[s]), handle) == 0;
    if (dup)
      continue;
    if (count < 8)
      seen[count] = h;
    if (count < max)
      handles[count] = handle;
    count++;
  }
  return count;
}

uint32_t kith_names_handles(const KithNames *names, const KithNameKey *k, const char **handles,
                            uint32_t max) {
  return names_handles(names, k, handles, max, false);
}

uint32_t kith_names_declared_handles(const KithNames *names, const KithNameKey *k,
                                     const char **handles, uint32_t max) {
  return names_handles(names, k, handles, max, true);
}

void kith_names_free(KithNames *names) {
  free(names->names);
  free(names->keys);
  free(names->slots);
  kith_buf_free(&names->strings);
  memset(names, 0, sizeof *names);
}
