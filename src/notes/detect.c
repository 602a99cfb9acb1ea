#include "notes/detect.h"

#include <stdbool.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "notes/entry.h"
#include "notes/frontmatter.h"
#include "notes/settings.h"
#include "notes/vault.h"

// The words that name people in a folder, a tag or a property value, and the properties that
// list who was at a meeting (the default meetings.people).
static const char *const detect_people_words[] = {"people", "person", "contacts", "contact", "crm"};
static const char *const detect_meeting_keys[] = {"people", "attendees", "participants", "with"};
enum { DETECT_MAX = 16 }; // distinct values remembered per setting

// A value found, and in how many notes.
typedef struct {
  char text[96];
  size_t notes;
} DetectSeen;

typedef struct {
  DetectSeen items[DETECT_MAX];
  size_t count;
} DetectList;

// Counts `s` (`n` bytes; compared case-insensitively, kept as first written) once for this note.
static void detect_count(DetectList *list, const char *s, size_t n) {
  if (n == 0 || n >= sizeof list->items[0].text)
    return;
  for (size_t i = 0; i < list->count; i++) {
    if (strlen(list->items[i].text) == n && strncasecmp(list->items[i].text, s, n) == 0) {
      list->items[i].notes++;
      return;
    }
  }
  if (list->count == DETECT_MAX)
    return;
  memcpy(list->items[list->count].text, s, n);
  list->items[list->count].text[n] = '\0';
  list->items[list->count++].notes = 1;
}

static bool detect_names_people(const char *s, size_t n) {
  for (size_t i = 0; i < sizeof detect_people_words / sizeof *detect_people_words; i++) {
    if (strlen(detect_people_words[i]) == n && strncasecmp(detect_people_words[i], s, n) == 0)
      return true;
  }
  return false;
}

// A value as the property rules compare it: a wiki link's target, else the value trimmed.
static const char *detect_unwrap(const char *s, size_t *n) {
  while (*n > 0 && (*s == ' ' || *s == '#'))
    s++, (*n)--;
  while (*n > 0 && s[*n - 1] == ' ')
    (*n)--;
  KithWikiLink link;
  if (*n >= 4 && kith_entry_wikilink_at(s, *n, 0, &link) && link.end == *n) {
    *n = link.len;
    return s + link.name;
  }
  return s;
}

typedef struct {
  DetectList folders, categories, types, tags, meetings;
  size_t folder_notes, notes;
} Detected;

// Looks at the front matter of one note.
static void detect_note(Detected *d, const KithFrontMatter *fm) {
  static const struct {
    const char *key;
    size_t offset;
  } rules[] = {{"categories", offsetof(Detected, categories)},
               {"type", offsetof(Detected, types)},
               {"tags", offsetof(Detected, tags)}};
  for (size_t r = 0; r < sizeof rules / sizeof *rules; r++) {
    const KithProperty *p = kith_frontmatter_get(fm, rules[r].key);
    DetectList *list = (DetectList *)((char *)d + rules[r].offset);
    bool found = false;
    for (uint32_t i = 0; p && i < p->count && !found; i++) {
      const char *s = kith_frontmatter_str(fm, fm->values[p->first + i].text);
      // Tags may be one string of several, separated by commas or spaces.
      for (size_t at = 0, len = strlen(s); at < len && !found;) {
        size_t end = at;
        while (end < len && !(r == 2 && (s[end] == ',' || s[end] == ' ')))
          end++;
        size_t n = end - at;
        const char *v = detect_unwrap(s + at, &n);
        if (detect_names_people(v, n)) {
          detect_count(list, v, n); // once per note
          found = true;
        }
        at = end + 1;
      }
    }
  }
  for (size_t k = 0; k < sizeof detect_meeting_keys / sizeof *detect_meeting_keys; k++) {
    const KithProperty *p = kith_frontmatter_get(fm, detect_meeting_keys[k]);
    if (p && p->count > 0 && !fm->values[p->first].null)
      detect_count(&d->meetings, detect_meeting_keys[k], strlen(detect_meeting_keys[k]));
  }
}

// Appends `s` as a YAML scalar: plain when it is safe so, else double-quoted.
static int detect_scalar(KithBuf *out, const char *s) {
  bool plain = *s != '\0';
  for (const char *p = s; *p && plain; p++)
    plain = (*p >= 'a' && *p <= 'z') || (*p >= 'A' && *p <= 'Z') || (*p >= '0' && *p <= '9') ||
            *p == '_' || *p == '-' || *p == '/' || *p == '.' || (*p == ' ' && p != s && p[1]) ||
            (unsigned char)*p >= 0x80;
  if (plain)
    return kith_buf_puts(out, s);
  int rc = kith_buf_putc(out, '"');
  for (const char *p = s; *p; p++)
    rc |= (*p == '"' || *p == '\\') ? kith_buf_printf(out, "\\%c", *p) : kith_buf_putc(out, *p);
  return rc | kith_buf_putc(out, '"');
}

// Appends `[a, b]` of the items of `list`.
static int detect_flow(KithBuf *out, const DetectList *list) {
  int rc = kith_buf_putc(out, '[');
  for (size_t i = 0; i < list->count; i++) {
    if (i)
      rc |= kith_buf_puts(out, ", ");
    rc |= detect_scalar(out, list->items[i].text);
  }
  return rc | kith_buf_putc(out, ']');
}

static size_t detect_total(const DetectList *list) {
  size_t n = 0;
  for (size_t i = 0; i < list->count; i++)
    n += list->items[i].notes;
  return n;
}

static int detect_write(KithBuf *out, const Detected *d, const KithSettings *s) {
  int rc = kith_buf_printf(out,
                           "# kith vault settings, written by `kith init` from the %zu notes "
                           "it found here.\n"
                           "# A setting given here replaces its default; remove it to keep "
                           "the default (`:help kith-vaults`).\n",
                           d->notes);
  bool any_contacts = d->folders.count || d->tags.count || d->categories.count || d->types.count;
  rc |= kith_buf_puts(out, any_contacts ? "contacts:\n" : "# contacts:\n");
  if (d->folders.count) {
    rc |= kith_buf_puts(out, "  folders: ");
    rc |= detect_flow(out, &d->folders);
    rc |= kith_buf_printf(out, "  # the %zu notes below are contact notes\n", d->folder_notes);
  } else {
    rc |= kith_buf_puts(out, "#   folders: [People]  # notes below these folders are contact "
                             "notes (none found)\n");
  }
  if (d->tags.count) {
    rc |= kith_buf_puts(out, "  tags: ");
    rc |= detect_flow(out, &d->tags);
    rc |= kith_buf_printf(out, "  # %zu notes are tagged so\n", detect_total(&d->tags));
  } else {
    rc |= kith_buf_puts(out, "#   tags: [person, contact]  # the default\n");
  }
  if (d->categories.count || d->types.count) {
    rc |= kith_buf_puts(out, "  properties:\n");
    const DetectList *lists[2] = {&d->categories, &d->types};
    const char *keys[2] = {"categories", "type"};
    for (int k = 0; k < 2; k++) {
      if (!lists[k]->count)
        continue;
      rc |= kith_buf_printf(out, "    %s: ", keys[k]);
      rc |= detect_flow(out, lists[k]);
      rc |= kith_buf_printf(out, "  # %zu note%s\n", detect_total(lists[k]),
                            detect_total(lists[k]) == 1 ? "" : "s");
    }
  } else {
    rc |= kith_buf_puts(out, "#   properties: {categories: People, type: person}  # the default\n");
  }
  if (d->meetings.count) {
    rc |= kith_buf_puts(out, "meetings:\n  people: ");
    rc |= detect_flow(out, &d->meetings);
    rc |= kith_buf_printf(out, "  # %zu notes list who was there: meeting notes\n",
                          detect_total(&d->meetings));
    rc |= kith_buf_puts(out, "  date: [date]  # else the date their file name begins with\n");
  } else {
    rc |= kith_buf_puts(out, "# meetings:\n#   people: [people, attendees, participants, with]"
                             "  # the default\n#   date: [date]\n");
  }
  if (s->ignore.count) {
    DetectList ignore = {0};
    for (size_t i = 0; i < s->ignore.count; i++)
      detect_count(&ignore, s->ignore.items[i], strlen(s->ignore.items[i]));
    rc |= kith_buf_puts(out, "ignore: ");
    rc |= detect_flow(out, &ignore);
    rc |= kith_buf_puts(out, "  # Obsidian's templates and excluded folders: never read\n");
  } else {
    rc |= kith_buf_puts(out, "# ignore: [Templates]  # folders whose notes are not read\n");
  }
  rc |= kith_buf_puts(out, "# dormant_days: 90  # days without contact before a contact is "
                           "dormant\n"
                           "# accept_help_after: 3  # gives before \"let them return the "
                           "favour\"\n"
                           "# due_days: 7  # follow-ups due this soon are on the agenda\n"
                           "# dates_days: 14  # birthdays this soon are on the agenda\n");
  return rc;
}

int kith_detect_settings(const char *root, KithBuf *out, char **error) {
  KithSettings settings;
  KithVault vault;
  if (kith_settings_read(&settings, root) != 0) {
    *error = strdup("out of memory");
    return -1;
  }
  if (kith_vault_open(&vault, root, &settings, error) != 0) {
    kith_settings_free(&settings);
    return -1;
  }
  Detected d = {0};
  KithBuf path = KITH_BUF_INIT, text = KITH_BUF_INIT;
  for (size_t i = 0; i < vault.count; i++) {
    const char *rel = vault.entries[i].path;
    const char *slash = strchr(rel, '/');
    d.notes++;
    if (slash && detect_names_people(rel, (size_t)(slash - rel))) {
      detect_count(&d.folders, rel, (size_t)(slash - rel));
      d.folder_notes++;
    }
    path.len = text.len = 0;
    if (vault.entries[i].error || kith_buf_printf(&path, "%s/%s", root, rel) != 0 ||
        kith_buf_read_file(&text, path.data) != 0 || !text.data)
      continue;
    KithNote scratch; // front matter diagnostics are not init's business
    kith_note_init(&scratch);
    KithFrontMatter fm;
    if (kith_frontmatter_read(text.data, text.len, &scratch, &fm) == 0)
      detect_note(&d, &fm);
    kith_frontmatter_free(&fm);
    kith_note_free(&scratch);
  }
  int rc = detect_write(out, &d, &settings);
  kith_buf_free(&path);
  kith_buf_free(&text);
  kith_vault_free(&vault);
  kith_settings_free(&settings);
  if (rc != 0)
    *error = strdup("out of memory");
  return rc != 0 ? -1 : 0;
}
