#include "fuzz.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "notes/date.h"

void fuzz_fail(const char *fmt, ...) {
  va_list ap;
  va_start(ap, fmt);
  fputs("fuzz: ", stderr);
  vfprintf(stderr, fmt, ap);
  fputc('\n', stderr);
  va_end(ap);
  abort();
}

bool fuzz_known(const char *issue) {
  const char *list = getenv("KITH_FUZZ_KNOWN");
  size_t n = strlen(issue);
  for (const char *p = list; p && *p;) {
    const char *end = strchr(p, ',');
    size_t len = end ? (size_t)(end - p) : strlen(p);
    if (len == n && memcmp(p, issue, n) == 0)
      return true;
    p = end ? end + 1 : p + len;
  }
  return false;
}

// --- UTF-8 and JSON ------------------------------------------------------------------------

// Length of the well-formed UTF-8 sequence at s[0..len), or 0 (RFC 3629 table 3-7).
static size_t fuzz_utf8_char(const unsigned char *s, size_t len) {
  unsigned char c = s[0];
  if (c < 0x80)
    return 1;
  size_t n;
  unsigned char lo = 0x80, hi = 0xbf;
  if (c >= 0xc2 && c <= 0xdf) {
    n = 2;
  } else if (c >= 0xe0 && c <= 0xef) {
    n = 3;
    if (c == 0xe0)
      lo = 0xa0;
    if (c == 0xed)
      hi = 0x9f;
  } else if (c >= 0xf0 && c <= 0xf4) {
    n = 4;
    if (c == 0xf0)
      lo = 0x90;
    if (c == 0xf4)
      hi = 0x8f;
  } else {
    return 0;
  }
  if (len < n || s[1] < lo || s[1] > hi)
    return 0;
  for (size_t i = 2; i < n; i++) {
    if (s[i] < 0x80 || s[i] > 0xbf)
      return 0;
  }
  return n;
}

bool fuzz_utf8_valid(const char *s, size_t len) {
  const unsigned char *u = (const unsigned char *)s;
  for (size_t i = 0; i < len;) {
    size_t n = fuzz_utf8_char(u + i, len - i);
    if (n == 0)
      return false;
    i += n;
  }
  return true;
}

typedef struct {
  const char *what;
  const char *s;
  size_t len, at;
  bool utf8;
} FuzzJson;

static void __attribute__((noreturn)) fuzz_json_fail(const FuzzJson *j, const char *why) {
  size_t from = j->at > 40 ? j->at - 40 : 0;
  size_t to = j->at + 40 < j->len ? j->at + 40 : j->len;
  fuzz_fail("%s: invalid JSON at byte %zu of %zu: %s; around: «%.*s»", j->what, j->at, j->len, why,
            (int)(to - from), j->s + from);
}

static void fuzz_json_space(FuzzJson *j) {
  while (j->at < j->len && strchr(" \t\r\n", j->s[j->at]) && j->s[j->at])
    j->at++;
}

static bool fuzz_json_literal(FuzzJson *j, const char *word) {
  size_t n = strlen(word);
  if (j->len - j->at < n || memcmp(j->s + j->at, word, n) != 0)
    return false;
  j->at += n;
  return true;
}

static bool fuzz_is_digit(char c) {
  return c >= '0' && c <= '9';
}

static bool fuzz_is_hex(char c) {
  return fuzz_is_digit(c) || (c >= 'a' && c <= 'f') || (c >= 'A' && c <= 'F');
}

static void fuzz_json_number(FuzzJson *j) {
  if (j->at < j->len && j->s[j->at] == '-')
    j->at++;
  if (j->at >= j->len || !fuzz_is_digit(j->s[j->at]))
    fuzz_json_fail(j, "a number needs a digit");
  if (j->s[j->at] == '0')
    j->at++;
  else
    while (j->at < j->len && fuzz_is_digit(j->s[j->at]))
      j->at++;
  if (j->at < j->len && j->s[j->at] == '.') {
    j->at++;
    if (j->at >= j->len || !fuzz_is_digit(j->s[j->at]))
      fuzz_json_fail(j, "a fraction needs a digit");
    while (j->at < j->len && fuzz_is_digit(j->s[j->at]))
      j->at++;
  }
  if (j->at < j->len && (j->s[j->at] == 'e' || j->s[j->at] == 'E')) {
    j->at++;
    if (j->at < j->len && (j->s[j->at] == '+' || j->s[j->at] == '-'))
      j->at++;
    if (j->at >= j->len || !fuzz_is_digit(j->s[j->at]))
      fuzz_json_fail(j, "an exponent needs a digit");
    while (j->at < j->len && fuzz_is_digit(j->s[j->at]))
      j->at++;
  }
}

static void fuzz_json_string(FuzzJson *j) {
  j->at++; // the opening quote
  while (true) {
    if (j->at >= j->len)
      fuzz_json_fail(j, "unterminated string");
    unsigned char c = (unsigned char)j->s[j->at];
    if (c == '"') {
      j->at++;
      return;
    }
    if (c < 0x20)
      fuzz_json_fail(j, "control character in a string");
    if (c == '\\') {
      j->at++;
      if (j->at >= j->len)
        fuzz_json_fail(j, "unterminated escape");
      char e = j->s[j->at];
      if (e == 'u') {
        for (int i = 1; i <= 4; i++) {
          if (j->at + (size_t)i >= j->len || !fuzz_is_hex(j->s[j->at + (size_t)i]))
            fuzz_json_fail(j, "\\u needs four hex digits");
        }
        j->at += 5;
      } else if (strchr("\"\\/bfnrt", e) && e) {
        j->at++;
      } else {
        fuzz_json_fail(j, "unknown escape");
      }
      continue;
    }
    if (c < 0x80 || !j->utf8) {
      j->at++;
      continue;
    }
    size_t n = fuzz_utf8_char((const unsigned char *)j->s + j->at, j->len - j->at);
    if (n == 0)
      fuzz_json_fail(j, "invalid UTF-8 in a string");
    j->at += n;
  }
}

static void fuzz_json_value(FuzzJson *j, int depth) {
  if (depth > 64)
    fuzz_json_fail(j, "nested deeper than 64");
  fuzz_json_space(j);
  if (j->at >= j->len)
    fuzz_json_fail(j, "a value is missing");
  char c = j->s[j->at];
  if (c == '{' || c == '[') {
    char close = c == '{' ? '}' : ']';
    j->at++;
    fuzz_json_space(j);
    if (j->at < j->len && j->s[j->at] == close) {
      j->at++;
      return;
    }
    while (true) {
      if (c == '{') {
        fuzz_json_space(j);
        if (j->at >= j->len || j->s[j->at] != '"')
          fuzz_json_fail(j, "an object key must be a string");
        fuzz_json_string(j);
        fuzz_json_space(j);
        if (j->at >= j->len || j->s[j->at] != ':')
          fuzz_json_fail(j, "':' expected");
        j->at++;
      }
      fuzz_json_value(j, depth + 1);
      fuzz_json_space(j);
      if (j->at < j->len && j->s[j->at] == ',') {
        j->at++;
        continue;
      }
      if (j->at < j->len && j->s[j->at] == close) {
        j->at++;
        return;
      }
      fuzz_json_fail(j, "',' or a closing bracket expected");
    }
  }
  if (c == '"') {
    fuzz_json_string(j);
  } else if (c == '-' || fuzz_is_digit(c)) {
    fuzz_json_number(j);
  } else if (!fuzz_json_literal(j, "true") && !fuzz_json_literal(j, "false") &&
             !fuzz_json_literal(j, "null")) {
    fuzz_json_fail(j, "unexpected character");
  }
}

void fuzz_check_json(const char *what, const char *s, size_t len, bool utf8) {
  FuzzJson j = {what, s ? s : "", s ? len : 0, 0, utf8};
  fuzz_json_value(&j, 0);
  fuzz_json_space(&j);
  if (j.at != j.len)
    fuzz_json_fail(&j, "bytes after the value");
}

// --- notes ---------------------------------------------------------------------------------

// Checks a lower-case handle: [a-z0-9_] first and last, then [a-z0-9_.-] (SPEC §1).
void fuzz_check_handle(const char *what, const char *h) {
  size_t n = strlen(h);
  FUZZ_CHECK(n > 0, "%s: empty handle", what);
  for (size_t i = 0; i < n; i++) {
    char c = h[i];
    bool word = (c >= 'a' && c <= 'z') || fuzz_is_digit(c) || c == '_';
    bool inner = i > 0 && i + 1 < n && (c == '.' || c == '-');
    FUZZ_CHECK(word || inner, "%s: handle '%s' has '%c' at %zu", what, h, c, i);
  }
}

// Checks a one-line text: no newline, no leading or trailing space.
static void fuzz_check_line_text(const char *what, uint32_t i, const char *s) {
  size_t n = strlen(s);
  FUZZ_CHECK(!strchr(s, '\n') && (n == 0 || (s[0] != ' ' && s[n - 1] != ' ')),
             "%s %u: text '%s' not one trimmed line", what, i, s);
}

// Checks an interaction or a follow-up (`what`) against the note's lines and headings.
// `weighed`: it must have a kind tag (an ask's record need not: v3).
static void fuzz_check_item(const char *what, uint32_t i, const KithNote *n,
                            const KithInteraction *it, uint32_t max_line, bool weighed) {
  if (it->handle != UINT32_MAX) // a linked item's counterparties are the ledger's to find
    fuzz_check_handle(what, kith_note_str(n, it->handle));
  fuzz_check_line_text(what, i, kith_note_str(n, it->text));
  FUZZ_CHECK(it->line >= 1 && it->line <= it->end_line && it->end_line <= max_line &&
                 it->column >= 1,
             "%s %u: lines %u..%u column %u, the text has %u lines", what, i, it->line,
             it->end_line, it->column, max_line);
  FUZZ_CHECK(!weighed || it->gave + it->got + it->met >= 1, "%s %u: no kind tag", what, i);
  FUZZ_CHECK(!it->intro || it->gave > 0, "%s %u: an introduction that gives nothing", what, i);
  if (it->dated) {
    char date[11];
    kith_date_format(it->day, date);
    KithDay back;
    FUZZ_CHECK(kith_date_parse(date, 10, &back) == 0 && back == it->day,
               "%s %u: day %d formats as %s", what, i, (int)it->day, date);
  }
  if (it->section >= 0) {
    FUZZ_CHECK((uint32_t)it->section < n->heading_count, "%s %u: section %d of %u", what, i,
               (int)it->section, n->heading_count);
    const KithHeading *h = &n->headings[it->section];
    FUZZ_CHECK(h->line <= it->line && it->line <= h->end_line,
               "%s %u at line %u outside its section %d (lines %u..%u)", what, i, it->line,
               (int)it->section, h->line, h->end_line);
  } else {
    FUZZ_CHECK(it->section == -1, "%s %u: section %d", what, i, (int)it->section);
  }
}

void fuzz_check_note(const KithNote *n, const char *text, size_t len, KithDay today) {
  // Line numbers are 1-based; tree-sitter counts rows by '\n' only.
  uint32_t max_line = 1;
  for (size_t i = 0; i < len; i++)
    max_line += text[i] == '\n';
  for (uint32_t i = 0; i < n->heading_count; i++) {
    const KithHeading *h = &n->headings[i];
    const char *name = kith_note_str(n, h->name);
    fuzz_check_handle("heading", kith_note_str(n, h->handle));
    FUZZ_CHECK(*name && !strchr(name, '\n'), "heading %u: name '%s' empty or multi-line", i, name);
    // Level 0: a contact note's declaration (front matter), always first, at line 1.
    FUZZ_CHECK(h->level <= 6 && (h->level > 0 || (i == 0 && h->line == 1)),
               "heading %u: level %u at line %u", i, h->level, h->line);
    FUZZ_CHECK(h->cadence_days <= 999u * 365, "heading %u: cadence of %u days", i, h->cadence_days);
    FUZZ_CHECK(h->line >= 1 && h->line <= h->end_line && h->end_line <= max_line,
               "heading %u: lines %u..%u, the text has %u", i, h->line, h->end_line, max_line);
    // (A lone CR ends a Markdown line but not a line as kith counts them: two headings, or a
    // heading and an item, may share a line.)
    if (i > 0)
      FUZZ_CHECK(n->headings[i - 1].line <= h->line, "heading %u: line %u before line %u", i,
                 h->line, n->headings[i - 1].line);
    // Sections nest: a heading inside another's section is deeper and ends within it (one
    // that begins on the last line of another's, after a CR, may be its sibling).
    for (uint32_t k = 0; k < i; k++) {
      const KithHeading *o = &n->headings[k];
      if (h->line < o->end_line)
        FUZZ_CHECK(h->level > o->level && h->end_line <= o->end_line,
                   "heading %u (line %u, level %u, to %u) overlaps heading %u (line %u, level %u, "
                   "to %u) without nesting",
                   i, h->line, h->level, h->end_line, k, o->line, o->level, o->end_line);
    }
  }
  for (uint32_t i = 0; i < n->interaction_count; i++) {
    const KithInteraction *it = &n->interactions[i];
    fuzz_check_item("interaction", i, n, it, max_line, true);
    FUZZ_CHECK(it->dated && it->day <= today, "interaction %u: counted, dated %d, today %d", i,
               it->dated ? (int)it->day : -1, (int)today);
    if (i > 0)
      FUZZ_CHECK(n->interactions[i - 1].line <= it->line, "interaction %u: out of order", i);
  }
  for (uint32_t i = 0; i < n->followup_count; i++) {
    fuzz_check_item("follow-up", i, n, &n->followups[i], max_line, true);
    if (i > 0)
      FUZZ_CHECK(n->followups[i - 1].line <= n->followups[i].line, "follow-up %u: out of order", i);
  }
  // (v3) Asks: always dated; one without kind tags is no interaction and no follow-up (an ask
  // counts nothing by itself).
  for (uint32_t i = 0; i < n->ask_count; i++) {
    const KithInteraction *a = &n->asks[i];
    fuzz_check_item("ask", i, n, a, max_line, false);
    FUZZ_CHECK(a->dated, "ask %u: undated", i);
    if (i > 0)
      FUZZ_CHECK(n->asks[i - 1].line <= a->line, "ask %u: out of order", i);
    for (uint32_t k = 0; a->gave + a->got + a->met == 0 && k < n->interaction_count; k++)
      FUZZ_CHECK(n->interactions[k].line != a->line || n->interactions[k].column != a->column,
                 "ask %u: an ask without kind tags is counted", i);
    for (uint32_t k = 0; a->gave + a->got + a->met == 0 && k < n->followup_count; k++)
      FUZZ_CHECK(n->followups[k].line != a->line || n->followups[k].column != a->column,
                 "ask %u: an ask without kind tags is a follow-up", i);
  }
  for (uint32_t i = 0; i < n->linked_count; i++) {
    const KithLinked *l = &n->linked[i];
    bool weighed = l->item.gave + l->item.got + l->item.met > 0;
    fuzz_check_item("linked item", i, n, &l->item, max_line, !l->ask);
    FUZZ_CHECK(l->planned || l->ask || weighed, "linked item %u: neither counted nor planned", i);
    FUZZ_CHECK(!l->ask || l->item.dated, "linked item %u: an undated ask", i);
    FUZZ_CHECK(l->planned || !weighed || (l->item.dated && l->item.day <= today),
               "linked item %u: counted, dated %d, today %d", i,
               l->item.dated ? (int)l->item.day : -1, (int)today);
    uint32_t refs = l->run + l->people + l->fallback;
    FUZZ_CHECK(refs >= 1 && l->refs + refs <= n->ref_count,
               "linked item %u: refs %u + %u + %u + %u of %u", i, l->refs, l->run, l->people,
               l->fallback, n->ref_count);
    FUZZ_CHECK(l->people == 0 || n->meeting, "linked item %u: people outside a meeting note", i);
    for (uint32_t k = l->refs; k < l->refs + refs && k < n->ref_count; k++) {
      const KithRef *r = &n->refs[k];
      bool person = k >= l->refs + l->run && k < l->refs + l->run + l->people;
      const char *link = r->link == UINT32_MAX ? NULL : kith_note_str(n, r->link);
      // A link's key may be empty: `[[#heading]]` links into this note and names no contact
      // (no name has an empty key). A meeting's person is a handle, a link or a name (v3).
      FUZZ_CHECK(r->line >= 1 && r->line <= max_line && r->column >= 1 &&
                     (!link || person || strncmp(link, "[[", 2) == 0) &&
                     (link || *kith_note_str(n, r->key) != '\0'),
                 "linked item %u: ref %u '%s' %s at %u:%u", i, k, kith_note_str(n, r->key),
                 link ? link : "(a handle)", r->line, r->column);
      FUZZ_CHECK((r->name == UINT32_MAX) == (!person || !link),
                 "linked item %u: ref %u: a name only for a meeting's person", i, k);
      if (!link)
        fuzz_check_handle("ref", kith_note_str(n, r->key));
      if (r->derived != UINT32_MAX)
        fuzz_check_handle("derived", kith_note_str(n, r->derived));
    }
  }
  for (uint32_t i = 0; i < n->diagnostic_count; i++) {
    const KithDiagnostic *d = &n->diagnostics[i];
    FUZZ_CHECK(d->severity == KITH_SEVERITY_ERROR || d->severity == KITH_SEVERITY_WARNING,
               "diagnostic %u: severity %d", i, (int)d->severity);
    FUZZ_CHECK(*kith_note_str(n, d->message), "diagnostic %u: no message", i);
    FUZZ_CHECK(d->line >= 1 && d->line <= max_line && d->column >= 1,
               "diagnostic %u at %u:%u, the text has %u lines", i, d->line, d->column, max_line);
    if (i > 0) {
      const KithDiagnostic *p = &n->diagnostics[i - 1];
      FUZZ_CHECK(p->line < d->line || (p->line == d->line && p->column <= d->column),
                 "diagnostic %u at %u:%u sorted after %u:%u", i, d->line, d->column, p->line,
                 p->column);
    }
  }
}

// A handle or string offset of note `n` as text ("-" for UINT32_MAX: none).
static const char *fuzz_str(const KithNote *n, uint32_t offset) {
  return offset == UINT32_MAX ? "-" : kith_note_str(n, offset);
}

// Compares two interactions or follow-ups of notes `a` and `b` (a linked item's has no handle).
static void fuzz_check_same_item(const char *what, const char *kind, uint32_t i, const KithNote *a,
                                 const KithInteraction *x, const KithNote *b,
                                 const KithInteraction *y) {
  FUZZ_CHECK(
      x->line == y->line && x->column == y->column && x->end_line == y->end_line &&
          x->dated == y->dated && (!x->dated || x->day == y->day) && x->section == y->section &&
          x->gave == y->gave && x->got == y->got && x->met == y->met && x->intro == y->intro &&
          strcmp(fuzz_str(a, x->handle), fuzz_str(b, y->handle)) == 0 &&
          strcmp(kith_note_str(a, x->text), kith_note_str(b, y->text)) == 0,
      "%s: %s %u differs: @%s %u:%u..%u section %d %u/%u/%u '%s' vs @%s %u:%u..%u "
      "section %d %u/%u/%u '%s'",
      what, kind, i, fuzz_str(a, x->handle), x->line, x->column, x->end_line, (int)x->section,
      x->gave, x->got, x->met, kith_note_str(a, x->text), fuzz_str(b, y->handle), y->line,
      y->column, y->end_line, (int)y->section, y->gave, y->got, y->met, kith_note_str(b, y->text));
}

void fuzz_check_same_note(const char *what, const KithNote *a, const KithNote *b) {
  FUZZ_CHECK(a->heading_count == b->heading_count, "%s: %u headings, %u in the other", what,
             a->heading_count, b->heading_count);
  for (uint32_t i = 0; i < a->heading_count; i++) {
    const KithHeading *x = &a->headings[i], *y = &b->headings[i];
    FUZZ_CHECK(x->line == y->line && x->end_line == y->end_line && x->level == y->level &&
                   x->cadence_days == y->cadence_days && x->birthday == y->birthday &&
                   x->snoozed == y->snoozed && (!x->snoozed || x->snooze == y->snooze) &&
                   strcmp(kith_note_str(a, x->handle), kith_note_str(b, y->handle)) == 0 &&
                   strcmp(kith_note_str(a, x->name), kith_note_str(b, y->name)) == 0,
               "%s: heading %u differs: @%s '%s' h%u lines %u..%u vs @%s '%s' h%u lines %u..%u",
               what, i, kith_note_str(a, x->handle), kith_note_str(a, x->name), x->level, x->line,
               x->end_line, kith_note_str(b, y->handle), kith_note_str(b, y->name), y->level,
               y->line, y->end_line);
  }
  FUZZ_CHECK(a->interaction_count == b->interaction_count, "%s: %u interactions, %u in the other",
             what, a->interaction_count, b->interaction_count);
  for (uint32_t i = 0; i < a->interaction_count; i++)
    fuzz_check_same_item(what, "interaction", i, a, &a->interactions[i], b, &b->interactions[i]);
  FUZZ_CHECK(a->followup_count == b->followup_count, "%s: %u follow-ups, %u in the other", what,
             a->followup_count, b->followup_count);
  for (uint32_t i = 0; i < a->followup_count; i++)
    fuzz_check_same_item(what, "follow-up", i, a, &a->followups[i], b, &b->followups[i]);
  FUZZ_CHECK(a->ask_count == b->ask_count, "%s: %u asks, %u in the other", what, a->ask_count,
             b->ask_count);
  for (uint32_t i = 0; i < a->ask_count; i++)
    fuzz_check_same_item(what, "ask", i, a, &a->asks[i], b, &b->asks[i]);
  // Items whose counterparties hang on wiki links, with their refs; a contact note's names.
  FUZZ_CHECK(a->linked_count == b->linked_count, "%s: %u linked items, %u in the other", what,
             a->linked_count, b->linked_count);
  for (uint32_t i = 0; i < a->linked_count; i++) {
    const KithLinked *x = &a->linked[i], *y = &b->linked[i];
    fuzz_check_same_item(what, "linked item", i, a, &x->item, b, &y->item);
    FUZZ_CHECK(x->planned == y->planned && x->ask == y->ask && x->run == y->run &&
                   x->fallback == y->fallback,
               "%s: linked item %u differs: planned %d ask %d run %u fallback %u vs %d %d %u %u",
               what, i, x->planned, x->ask, x->run, x->fallback, y->planned, y->ask, y->run,
               y->fallback);
    for (uint32_t k = 0; k < x->run + x->fallback; k++) {
      FUZZ_CHECK(x->refs + k < a->ref_count && y->refs + k < b->ref_count,
                 "%s: linked item %u: ref %u missing", what, i, k);
      const KithRef *p = &a->refs[x->refs + k], *q = &b->refs[y->refs + k];
      FUZZ_CHECK(p->line == q->line && p->column == q->column &&
                     strcmp(fuzz_str(a, p->key), fuzz_str(b, q->key)) == 0 &&
                     strcmp(fuzz_str(a, p->link), fuzz_str(b, q->link)) == 0,
                 "%s: linked item %u, ref %u differs: %s %s at %u:%u vs %s %s at %u:%u", what, i, k,
                 fuzz_str(a, p->key), fuzz_str(a, p->link), p->line, p->column, fuzz_str(b, q->key),
                 fuzz_str(b, q->link), q->line, q->column);
    }
  }
  FUZZ_CHECK(a->alias_count == b->alias_count, "%s: %u aliases, %u in the other", what,
             a->alias_count, b->alias_count);
  for (uint32_t i = 0; i < a->alias_count; i++)
    FUZZ_CHECK(strcmp(fuzz_str(a, a->aliases[i]), fuzz_str(b, b->aliases[i])) == 0,
               "%s: alias %u differs: %s vs %s", what, i, fuzz_str(a, a->aliases[i]),
               fuzz_str(b, b->aliases[i]));
  if (kith_note_contact_note(a))
    FUZZ_CHECK(strcmp(fuzz_str(a, a->stem), fuzz_str(b, b->stem)) == 0,
               "%s: contact note stem %s vs %s", what, fuzz_str(a, a->stem), fuzz_str(b, b->stem));
  FUZZ_CHECK(a->diagnostic_count == b->diagnostic_count, "%s: %u diagnostics, %u in the other",
             what, a->diagnostic_count, b->diagnostic_count);
  for (uint32_t i = 0; i < a->diagnostic_count; i++) {
    const KithDiagnostic *x = &a->diagnostics[i], *y = &b->diagnostics[i];
    FUZZ_CHECK(x->line == y->line && x->column == y->column && x->severity == y->severity &&
                   strcmp(kith_note_str(a, x->message), kith_note_str(b, y->message)) == 0,
               "%s: diagnostic %u differs: %u:%u %s vs %u:%u %s", what, i, x->line, x->column,
               kith_note_str(a, x->message), y->line, y->column, kith_note_str(b, y->message));
  }
}
