#include "notes/settings.h"
#include "notes/settings_private.h"

#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/stat.h>

#include "base/buf.h"
#include "base/utf8.h"

const char *const settings_names[KITH_SETTING_COUNT] = {
    [KITH_SETTING_CONTACT_FOLDERS] = "contacts.folders",
    [KITH_SETTING_CONTACT_TAGS] = "contacts.tags",
    [KITH_SETTING_CONTACT_PROPERTIES] = "contacts.properties",
    [KITH_SETTING_MEETING_PEOPLE] = "meetings.people",
    [KITH_SETTING_MEETING_DATE] = "meetings.date",
    [KITH_SETTING_IGNORE] = "ignore",
    [KITH_SETTING_DORMANT_DAYS] = "dormant_days",
    [KITH_SETTING_ACCEPT_HELP_AFTER] = "accept_help_after",
    [KITH_SETTING_DUE_DAYS] = "due_days",
    [KITH_SETTING_DATES_DAYS] = "dates_days",
};

const char *kith_settings_name(KithSettingKey key) {
  return key < KITH_SETTING_COUNT ? settings_names[key] : "";
}

const char *kith_settings_origin_name(KithSettingOrigin origin) {
  static const char *const names[] = {"default", ".kith", ".obsidian", "option"};
  return names[origin];
}

static uint64_t settings_digest(const KithSettings *s);

// --- lists of strings ----------------------------------------------------------------------

void settings_strings_free(KithStrings *list) {
  for (size_t i = 0; i < list->count; i++)
    free(list->items[i]);
  free(list->items);
  memset(list, 0, sizeof *list);
}

int settings_strings_add(KithStrings *list, const char *s, size_t n, bool fold) {
  char *copy = malloc(n + 1);
  char **grown = realloc(list->items, (list->count + 1) * sizeof *grown);
  if (!copy || !grown) {
    free(copy);
    if (grown)
      list->items = grown;
    return -1;
  }
  list->items = grown;
  if (fold)
    kith_utf8_fold(copy, s, n);
  else
    memcpy(copy, s, n);
  copy[n] = '\0';
  list->items[list->count++] = copy;
  return 0;
}

int settings_add_folder(KithStrings *list, const char *s, size_t n) {
  for (;;) {
    if (n > 0 && (*s == ' ' || *s == '/'))
      s++, n--;
    else if (n > 1 && s[0] == '.' && s[1] == '/')
      s += 2, n -= 2;
    else
      break;
  }
  while (n > 0 && (s[n - 1] == ' ' || s[n - 1] == '/'))
    n--;
  return n == 0 ? 0 : settings_strings_add(list, s, n, false);
}

void settings_rules_free(KithSettings *s) {
  for (size_t i = 0; i < s->property_count; i++) {
    free(s->properties[i].name);
    settings_strings_free(&s->properties[i].values);
  }
  free(s->properties);
  s->properties = NULL;
  s->property_count = 0;
}

KithPropertyRule *settings_add_rule(KithSettings *s, const char *name, size_t n) {
  KithPropertyRule *grown = realloc(s->properties, (s->property_count + 1) * sizeof *grown);
  if (!grown)
    return NULL;
  s->properties = grown;
  KithPropertyRule *r = &s->properties[s->property_count];
  memset(r, 0, sizeof *r);
  if (!(r->name = strndup(name, n)))
    return NULL;
  s->property_count++;
  return r;
}

static int settings_strings_copy(KithStrings *dst, const KithStrings *src) {
  for (size_t i = 0; i < src->count; i++) {
    if (settings_strings_add(dst, src->items[i], strlen(src->items[i]), false) != 0)
      return -1;
  }
  return 0;
}

int kith_settings_copy(KithSettings *dst, const KithSettings *src) {
  memset(dst, 0, sizeof *dst);
  kith_note_init(&dst->note);
  int rc = settings_strings_copy(&dst->folders, &src->folders);
  rc |= settings_strings_copy(&dst->tags, &src->tags);
  for (size_t i = 0; rc == 0 && i < src->property_count; i++) {
    const KithPropertyRule *from = &src->properties[i];
    KithPropertyRule *r = settings_add_rule(dst, from->name, strlen(from->name));
    rc = r ? settings_strings_copy(&r->values, &from->values) : -1;
  }
  rc |= settings_strings_copy(&dst->people, &src->people);
  rc |= settings_strings_copy(&dst->dates, &src->dates);
  rc |= settings_strings_copy(&dst->ignore, &src->ignore);
  dst->dormant_days = src->dormant_days;
  dst->accept_help_after = src->accept_help_after;
  dst->due_days = src->due_days;
  dst->dates_days = src->dates_days;
  memcpy(dst->origin, src->origin, sizeof dst->origin);
  dst->has_file = src->has_file;
  dst->digest = src->digest;
  if (rc != 0)
    kith_settings_free(dst);
  return rc == 0 ? 0 : -1;
}

static bool settings_strings_same(const KithStrings *a, const KithStrings *b) {
  if (a->count != b->count)
    return false;
  for (size_t i = 0; i < a->count; i++) {
    if (strcmp(a->items[i], b->items[i]) != 0)
      return false;
  }
  return true;
}

bool kith_settings_same(const KithSettings *a, const KithSettings *b) {
  if (a->digest != b->digest || a->has_file != b->has_file ||
      !settings_strings_same(&a->ignore, &b->ignore) || a->dormant_days != b->dormant_days ||
      a->accept_help_after != b->accept_help_after || a->due_days != b->due_days ||
      a->dates_days != b->dates_days || memcmp(a->origin, b->origin, sizeof a->origin) != 0 ||
      a->note.diagnostic_count != b->note.diagnostic_count)
    return false;
  for (uint32_t i = 0; i < a->note.diagnostic_count; i++) {
    const KithDiagnostic *x = &a->note.diagnostics[i], *y = &b->note.diagnostics[i];
    if (x->line != y->line || x->column != y->column || x->severity != y->severity ||
        strcmp(kith_note_str(&a->note, x->message), kith_note_str(&b->note, y->message)) != 0)
      return false;
  }
  return true;
}

void kith_settings_free(KithSettings *s) {
  settings_strings_free(&s->folders);
  settings_strings_free(&s->tags);
  settings_rules_free(s);
  settings_strings_free(&s->people);
  settings_strings_free(&s->dates);
  settings_strings_free(&s->ignore);
  kith_note_free(&s->note);
  memset(s, 0, sizeof *s);
}

int kith_settings_default(KithSettings *s) {
  memset(s, 0, sizeof *s);
  kith_note_init(&s->note);
  s->dormant_days = 90;
  s->accept_help_after = 3;
  s->due_days = 7;
  s->dates_days = 14;
  static const char *const people[] = {"people", "attendees", "participants", "with"};
  int rc = settings_strings_add(&s->tags, "person", 6, true);
  rc |= settings_strings_add(&s->tags, "contact", 7, true);
  KithPropertyRule *r = settings_add_rule(s, "categories", 10);
  rc |= r ? settings_strings_add(&r->values, "People", 6, false) : -1;
  r = settings_add_rule(s, "type", 4);
  rc |= r ? settings_strings_add(&r->values, "person", 6, false) : -1;
  for (size_t i = 0; i < sizeof people / sizeof *people; i++)
    rc |= settings_strings_add(&s->people, people[i], strlen(people[i]), false);
  rc |= settings_strings_add(&s->dates, "date", 4, false);
  return rc == 0 ? 0 : -1;
}

static KithSettings settings_fallback;
static pthread_once_t settings_fallback_once = PTHREAD_ONCE_INIT;

static void settings_make_fallback(void) {
  if (kith_settings_default(&settings_fallback) == 0)
    settings_fallback.digest = settings_digest(&settings_fallback);
}

const KithSettings *kith_settings_defaults(void) {
  pthread_once(&settings_fallback_once, settings_make_fallback);
  return &settings_fallback;
}

// Whether `rel` is folder `f` (when `same` allows) or lies below it, but for case.
static bool settings_under(const char *f, const char *rel, size_t n, bool same) {
  size_t fn = strlen(f);
  char folded[256], want[256];
  if (n < fn || fn > sizeof folded || (n == fn && !same) || (n > fn && rel[fn] != '/'))
    return false;
  kith_utf8_fold(folded, rel, fn);
  kith_utf8_fold(want, f, fn);
  return memcmp(folded, want, fn) == 0;
}

bool kith_settings_below(const KithStrings *folders, const char *rel) {
  size_t n = strlen(rel);
  for (size_t i = 0; i < folders->count; i++) {
    if (settings_under(folders->items[i], rel, n, false))
      return true;
  }
  return false;
}

bool kith_settings_ignored(const KithSettings *settings, const char *rel) {
  size_t n = strlen(rel);
  for (size_t i = 0; i < settings->ignore.count; i++) {
    if (settings_under(settings->ignore.items[i], rel, n, true))
      return true;
  }
  return false;
}

// --- the whole -----------------------------------------------------------------------------

static void settings_hash(uint64_t *h, const char *s) {
  for (;; s++) {
    *h ^= (unsigned char)*s;
    *h *= 1099511628211ull;
    if (!*s)
      break;
  }
}

static void settings_hash_list(uint64_t *h, const KithStrings *list) {
  for (size_t i = 0; i < list->count; i++)
    settings_hash(h, list->items[i]);
  settings_hash(h, "\x01");
}

// What a note's parse depends on: the contact rules and the meeting properties.
static uint64_t settings_digest(const KithSettings *s) {
  uint64_t h = 1469598103934665603ull;
  settings_hash_list(&h, &s->folders);
  settings_hash_list(&h, &s->tags);
  for (size_t i = 0; i < s->property_count; i++) {
    settings_hash(&h, s->properties[i].name);
    settings_hash_list(&h, &s->properties[i].values);
  }
  settings_hash(&h, "\x02");
  settings_hash_list(&h, &s->people);
  settings_hash_list(&h, &s->dates);
  return h;
}

int kith_settings_parse(KithSettings *s, const char *text, size_t len, const char *root) {
  if (kith_settings_default(s) != 0)
    goto fail;
  s->has_file = text != NULL;
  if (text && settings_file_read(s, text, len) != 0)
    goto fail;
  if (root && settings_obsidian_read(s, root) != 0)
    goto fail;
  kith_note_sort_diagnostics(&s->note);
  s->digest = settings_digest(s);
  return 0;
fail:
  kith_settings_free(s);
  return -1;
}

int kith_settings_read(KithSettings *s, const char *root) {
  KithBuf path = KITH_BUF_INIT, text = KITH_BUF_INIT;
  int rc = -1, err = -1;
  if (kith_buf_printf(&path, "%s/.kith", root) == 0) {
    err = kith_buf_read_file(&text, path.data);
    rc = kith_settings_parse(s, err == 0 ? (text.data ? text.data : "") : NULL, text.len, root);
  }
  // A .kith that is there but cannot be read (a directory, no permission): say so.
  struct stat st;
  if (rc == 0 && err != 0 && path.data && lstat(path.data, &st) == 0 && !S_ISDIR(st.st_mode)) {
    s->has_file = true;
    rc = kith_note_add_diagnostic(&s->note, 1, 1, KITH_SEVERITY_ERROR, "cannot read: %s",
                                  strerror(-err));
  }
  kith_buf_free(&path);
  kith_buf_free(&text);
  return rc;
}
