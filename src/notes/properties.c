// What a note's front matter makes of it (SPEC §1 v2, v3): a contact note, by its `handle` or by
// a rule of the vault settings (a contact folder, a tag, a property) with a handle derived from
// its file name; or a meeting note, one `met` with each of the people its people properties
// list, on its date. Part of the parser (parser_private.h).

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "base/buf.h"
#include "base/utf8.h"
#include "notes/derive.h"
#include "notes/entry.h"
#include "notes/parser_private.h"

// One reading of a note's properties.
typedef struct {
  ParserRun *run;
  const KithFrontMatter *fm;
  const char *stem; // the file name without extension (borrowed from the path; not terminated)
  size_t stem_len;
  KithBuf quoted; // scratch for values quoted in diagnostics
} Props;

// Interns `s` (`n` bytes) with whitespace runs as one space, trimmed. Returns the offset,
// UINT32_MAX when that leaves nothing, or sets *oom.
static uint32_t props_intern_collapsed(KithNote *note, const char *s, size_t n, bool *oom) {
  KithBuf out = KITH_BUF_INIT;
  bool space = false;
  for (size_t i = 0; i < n && !*oom; i++) {
    char c = s[i];
    if (c == ' ' || c == '\t' || c == '\n' || c == '\r') {
      space = out.len > 0;
      continue;
    }
    if ((space && kith_buf_putc(&out, ' ') != 0) || kith_buf_putc(&out, c) != 0)
      *oom = true;
    space = false;
  }
  uint32_t offset = UINT32_MAX;
  if (!*oom && out.len > 0) {
    offset = kith_note_intern(note, out.data, out.len);
    *oom = offset == UINT32_MAX;
  }
  kith_buf_free(&out);
  return offset;
}

static const KithPropertyValue *props_value(const Props *p, const KithProperty *prop, uint32_t i) {
  return &p->fm->values[prop->first + i];
}

static const char *props_text(const Props *p, const KithPropertyValue *v) {
  return kith_frontmatter_str(p->fm, v->text);
}

// Whether `a` (`an` bytes) and `b` (`bn` bytes) are equal but for case.
static bool props_same(const char *a, size_t an, const char *b, size_t bn) {
  if (an != bn || an > 512)
    return false;
  char fa[512], fb[512];
  kith_utf8_fold(fa, a, an);
  kith_utf8_fold(fb, b, bn);
  return memcmp(fa, fb, an) == 0;
}

// A value as the property rules compare it: a wiki link's target (its last path component),
// else the value trimmed.
static const char *props_unwrap(const char *s, size_t n, size_t *len) {
  while (n > 0 && (*s == ' ' || *s == '\t'))
    s++, n--;
  while (n > 0 && (s[n - 1] == ' ' || s[n - 1] == '\t'))
    n--;
  KithWikiLink link;
  if (n >= 4 && kith_entry_wikilink_at(s, n, 0, &link) && link.end == n) {
    *len = link.len;
    return s + link.name;
  }
  *len = n;
  return s;
}

// Whether front matter `tags` (a string of tags separated by commas or spaces, or a list; `#`
// optional) holds one of the settings' tags.
static bool props_tagged(const Props *p) {
  const KithStrings *want = &p->run->settings->tags;
  const KithProperty *tags = kith_frontmatter_get(p->fm, "tags");
  if (!tags || want->count == 0)
    return false;
  for (uint32_t i = 0; i < tags->count; i++) {
    const char *s = props_text(p, props_value(p, tags, i));
    for (size_t at = 0, n = strlen(s); at < n;) {
      while (at < n && (s[at] == ' ' || s[at] == ',' || s[at] == '\t'))
        at++;
      size_t end = at;
      while (end < n && s[end] != ' ' && s[end] != ',' && s[end] != '\t')
        end++;
      size_t from = at < end && s[at] == '#' ? at + 1 : at;
      for (size_t k = 0; k < want->count && from < end; k++) {
        if (props_same(s + from, end - from, want->items[k], strlen(want->items[k])))
          return true;
      }
      at = end;
    }
  }
  return false;
}

// Whether one of the settings' property rules holds.
static bool props_rule(const Props *p) {
  const KithSettings *settings = p->run->settings;
  for (size_t r = 0; r < settings->property_count; r++) {
    const KithPropertyRule *rule = &settings->properties[r];
    const KithProperty *prop = kith_frontmatter_get(p->fm, rule->name);
    for (uint32_t i = 0; prop && i < prop->count; i++) {
      const char *s = props_text(p, props_value(p, prop, i));
      size_t n;
      const char *v = props_unwrap(s, strlen(s), &n);
      for (size_t k = 0; k < rule->values.count; k++) {
        size_t wn;
        const char *w = props_unwrap(rule->values.items[k], strlen(rule->values.items[k]), &wn);
        if (props_same(v, n, w, wn))
          return true;
      }
    }
  }
  return false;
}

// The value of a scalar property as written, for a diagnostic.
static const char *props_quote(Props *p, const KithProperty *prop) {
  if (prop->kind != KITH_PROPERTY_SCALAR || prop->count == 0)
    return "(a list or mapping)";
  const KithPropertyValue *v = props_value(p, prop, 0);
  if (kith_frontmatter_quote(&p->quoted, props_text(p, v), v->len) != 0)
    return NULL;
  return p->quoted.data;
}

// The handle the `handle` key declares, interned lower case; UINT32_MAX when there is none
// (then a bad one has its error). Sets *oom.
static uint32_t props_handle(Props *p, bool *oom) {
  const KithProperty *prop = kith_frontmatter_get(p->fm, "handle");
  if (!prop)
    return UINT32_MAX;
  const KithPropertyValue *v = prop->count ? props_value(p, prop, 0) : NULL;
  if (prop->kind == KITH_PROPERTY_SCALAR && v->null)
    return UINT32_MAX; // `handle:` left empty (a template): no contact, nothing to say
  if (prop->kind == KITH_PROPERTY_SCALAR) {
    const char *h = props_text(p, v);
    size_t n = v->len;
    if (n > 0 && h[0] == '@')
      h++, n--;
    if (n > 0 && n <= 255 && kith_entry_is_handle(h, n)) {
      char lower[256];
      kith_entry_handle_lower(lower, h, n);
      uint32_t offset = kith_note_intern(p->run->note, lower, n);
      *oom = offset == UINT32_MAX;
      return offset;
    }
  }
  const char *shown = props_quote(p, prop);
  *oom = !shown || kith_note_add_diagnostic(p->run->note, prop->line, 1, KITH_SEVERITY_ERROR,
                                            "invalid handle '%s' in front matter (expected a "
                                            "handle such as alice or \"@alice\")",
                                            shown) != 0;
  return UINT32_MAX;
}

// Makes the note a contact note of `handle`: name, aliases and cadence from its properties, a
// level-0 heading at line 1 opened on the heading stack. Returns 0 or -1.
static int props_contact(Props *p, uint32_t handle) {
  KithNote *note = p->run->note;
  bool oom = false;
  KithHeading h = {.handle = handle, .name = UINT32_MAX, .line = 1, .end_line = 1};
  const KithProperty *name = kith_frontmatter_get(p->fm, "name");
  if (name && name->kind == KITH_PROPERTY_SCALAR && !props_value(p, name, 0)->null) {
    const KithPropertyValue *v = props_value(p, name, 0);
    h.name = props_intern_collapsed(note, props_text(p, v), v->len, &oom);
  }
  const KithProperty *aliases = kith_frontmatter_get(p->fm, "aliases");
  for (uint32_t i = 0; aliases && i < aliases->count && !oom; i++) {
    const KithPropertyValue *v = props_value(p, aliases, i);
    if (v->null)
      continue;
    uint32_t alias = props_intern_collapsed(note, props_text(p, v), v->len, &oom);
    if (alias != UINT32_MAX && kith_note_add_alias(note, alias) != 0)
      oom = true;
  }
  const KithProperty *every = kith_frontmatter_get(p->fm, "every");
  if (every && !oom) {
    const KithPropertyValue *v = every->count ? props_value(p, every, 0) : NULL;
    if (every->kind == KITH_PROPERTY_SCALAR)
      h.cadence_days = kith_entry_cadence_days(props_text(p, v), v->len);
    if (h.cadence_days == 0) {
      const char *shown = props_quote(p, every);
      oom = !shown || kith_note_add_diagnostic(
                          note, every->line, 1, KITH_SEVERITY_ERROR,
                          "invalid cadence '%s' (expected N followed by d, w, m or y)", shown) != 0;
    }
  }
  // (v3) A birthday (`1990-04-12`, `04-12`, `--04-12`; a YAML date too) and a snooze.
  const KithProperty *birthday = kith_frontmatter_get(p->fm, "birthday");
  if (birthday && !oom &&
      !(birthday->kind == KITH_PROPERTY_SCALAR && props_value(p, birthday, 0)->null)) {
    const KithPropertyValue *v = birthday->count ? props_value(p, birthday, 0) : NULL;
    if (birthday->kind != KITH_PROPERTY_SCALAR ||
        kith_birthday_parse(props_text(p, v), v->len, &h.birthday) != 0) {
      const char *shown = props_quote(p, birthday);
      oom = !shown || kith_note_add_diagnostic(note, birthday->line, 1, KITH_SEVERITY_ERROR,
                                               "invalid birthday '%s' (expected YYYY-MM-DD, "
                                               "MM-DD or --MM-DD)",
                                               shown) != 0;
      h.birthday = 0;
    }
  }
  const KithProperty *snooze = kith_frontmatter_get(p->fm, "snooze");
  if (snooze && !oom &&
      !(snooze->kind == KITH_PROPERTY_SCALAR && props_value(p, snooze, 0)->null)) {
    const KithPropertyValue *v = snooze->count ? props_value(p, snooze, 0) : NULL;
    h.snoozed = snooze->kind == KITH_PROPERTY_SCALAR &&
                kith_date_parse(props_text(p, v), v->len, &h.snooze) == 0;
    if (!h.snoozed) {
      const char *shown = props_quote(p, snooze);
      oom =
          !shown || kith_note_add_diagnostic(note, snooze->line, 1, KITH_SEVERITY_ERROR,
                                             "invalid date '%s' (expected YYYY-MM-DD)", shown) != 0;
    }
  }
  if (oom)
    return -1;
  if (h.name == UINT32_MAX)
    h.name = p->stem_len > 0 ? note->stem : handle;
  if (kith_note_add_heading(note, &h) != 0)
    return -1;
  KithParser *parser = p->run->parser;
  parser->open[parser->open_count++] = (ParserOpen){0, 0, false, 0};
  return 0;
}

// --- meeting notes -------------------------------------------------------------------------

// The meeting's date: the first date property holding a date (`2026-11-12`, or a timestamp that
// begins with one), else the date its file name begins with. False when there is none.
static bool props_meeting_day(const Props *p, KithDay *day) {
  const KithStrings *dates = &p->run->settings->dates;
  for (size_t d = 0; d < dates->count; d++) {
    const KithProperty *prop = kith_frontmatter_get(p->fm, dates->items[d]);
    if (!prop || prop->kind != KITH_PROPERTY_SCALAR)
      continue;
    const char *s = props_text(p, props_value(p, prop, 0));
    size_t n = strlen(s);
    if (n >= 10 && (n == 10 || s[10] == 'T' || s[10] == 't' || s[10] == ' ') &&
        kith_date_parse(s, 10, day) == 0)
      return true;
  }
  return p->run->file_dated && (*day = p->run->file_day, true);
}

// Adds the ref of one entry of a people property (a handle, a wiki link or a name), found at
// the property's line. Returns 0 or -1.
static int props_person(Props *p, const char *s, size_t n, uint32_t line) {
  KithNote *note = p->run->note;
  while (n > 0 && (*s == ' ' || *s == '\t'))
    s++, n--;
  while (n > 0 && (s[n - 1] == ' ' || s[n - 1] == '\t'))
    n--;
  if (n == 0)
    return 0;
  KithRef ref = {UINT32_MAX, UINT32_MAX, line, 1, UINT32_MAX, UINT32_MAX};
  if (s[0] == '@' && n > 1 && n <= 256 && kith_entry_is_handle(s + 1, n - 1)) {
    char lower[256];
    kith_entry_handle_lower(lower, s + 1, n - 1);
    ref.key = kith_note_intern(note, lower, n - 1);
    return ref.key == UINT32_MAX ? -1 : kith_note_add_ref(note, &ref);
  }
  // A wiki link names its target; anything else is a name as it is.
  size_t name_len = n < 256 ? n : 256;
  const char *name = s;
  KithWikiLink link;
  if (n >= 4 && kith_entry_wikilink_at(s, n, 0, &link) && link.end == n) {
    name = s + link.name;
    name_len = link.len;
  }
  bool oom = false;
  ref.name = props_intern_collapsed(note, name, name_len, &oom);
  if (oom)
    return -1;
  if (ref.name == UINT32_MAX)
    return 0; // `[[#heading]]`: no one
  // A copy: interning may move the note's strings.
  char shown[260];
  snprintf(shown, sizeof shown, "%s", kith_note_str(note, ref.name));
  char key[sizeof shown];
  size_t key_len = kith_entry_name_key(key, shown, strlen(shown));
  ref.key = kith_note_intern(note, key, key_len);
  ref.link = kith_note_intern(note, s, n < 256 ? n : 256);
  char derived[KITH_DERIVE_MAX + 1];
  size_t d = kith_derive_handle(shown, strlen(shown), derived);
  if (d > 0)
    ref.derived = kith_note_intern(note, derived, d);
  if (ref.key == UINT32_MAX || ref.link == UINT32_MAX || (d > 0 && ref.derived == UINT32_MAX))
    return -1;
  return kith_note_add_ref(note, &ref);
}

// Makes the note a meeting note when its people properties list anyone (SPEC §1 v3): its
// people become refs of the note and, when it has a date, its record (one `met` with each,
// a follow-up of each when it is after today). Returns 0 or -1.
static int props_meeting(Props *p) {
  ParserRun *run = p->run;
  KithNote *note = run->note;
  const KithStrings *names = &run->settings->people;
  uint32_t first = note->ref_count;
  uint32_t line = 1;
  for (size_t k = 0; k < names->count; k++) {
    const KithProperty *prop = kith_frontmatter_get(p->fm, names->items[k]);
    for (uint32_t i = 0; prop && i < prop->count; i++) {
      const KithPropertyValue *v = props_value(p, prop, i);
      if (!v->null && props_person(p, props_text(p, v), v->len, prop->line) != 0)
        return -1;
    }
    if (prop && note->ref_count > first && line == 1)
      line = prop->line;
  }
  if (note->ref_count == first)
    return 0; // nobody: not a meeting note
  note->meeting = true;
  run->people_refs = first;
  run->people_count = note->ref_count - first;
  KithDay day;
  if (!props_meeting_day(p, &day))
    return kith_note_add_diagnostic(note, 1, 1, KITH_SEVERITY_WARNING, "meeting has no date");
  run->meeting_dated = true;
  run->meeting_day = day;
  KithLinked record = {.planned = day > run->today, .refs = first, .people = run->people_count};
  record.item = (KithInteraction){.handle = UINT32_MAX,
                                  .day = day,
                                  .dated = true,
                                  .line = 1,
                                  .column = 1,
                                  .end_line = 1,
                                  .section = -1,
                                  .met = 1};
  // A meeting to come is a follow-up: its text is read by every count (KithNote.texts).
  record.item.text = record.planned ? kith_note_intern(note, p->stem, p->stem_len)
                                    : kith_note_intern_text(note, p->stem, p->stem_len);
  if (record.item.text == UINT32_MAX)
    return -1;
  parser_bound_today(note, day, record.planned);
  return kith_note_add_linked(note, &record);
}

// --- the whole -----------------------------------------------------------------------------

int parser_properties(ParserRun *run, KithFrontMatter *fm) {
  KithNote *note = run->note;
  Props p = {.run = run, .fm = fm};
  if (run->path) {
    const char *name = strrchr(run->path, '/');
    name = name ? name + 1 : run->path;
    const char *dot = strrchr(name, '.');
    p.stem = name;
    p.stem_len = dot && dot > name ? (size_t)(dot - name) : strlen(name);
  } else {
    p.stem = "";
  }
  const char *text = run->text;
  if (run->len >= 4 && (text[0] == '-' || text[0] == '\xEF') &&
      kith_frontmatter_read(text, run->len, note, fm) != 0)
    return -1;
  note->front_matter = fm->end > 0 || fm->invalid;
  note->in_contact_folder = run->path && kith_settings_below(&run->settings->folders, run->path);
  int rc = -1;
  bool oom = false;
  uint32_t handle = props_handle(&p, &oom);
  if (oom)
    goto done;
  if (handle == UINT32_MAX && (note->in_contact_folder || props_tagged(&p) || props_rule(&p))) {
    char derived[KITH_DERIVE_MAX + 1];
    size_t n = kith_derive_handle(p.stem, p.stem_len, derived);
    if (n > 0) {
      handle = kith_note_intern(note, derived, n);
      if (handle == UINT32_MAX)
        goto done;
    } else if (kith_note_add_diagnostic(note, 1, 1, KITH_SEVERITY_WARNING,
                                        "cannot derive a handle from '%.*s' (add handle: to its "
                                        "front matter)",
                                        (int)p.stem_len, p.stem) != 0) {
      goto done;
    }
  }
  if (handle != UINT32_MAX) {
    note->stem = kith_note_intern(note, p.stem, p.stem_len);
    rc = note->stem == UINT32_MAX ? -1 : props_contact(&p, handle);
  } else {
    rc = props_meeting(&p);
  }
done:
  kith_buf_free(&p.quoted);
  return rc;
}
