#include "notes/frontmatter.h"

#include <stdio.h>
#include <string.h>
#include <yaml.h>

#include "base/buf.h"
#include "notes/entry.h"

// The keys kith reads; every other key is skipped.
typedef enum {
  FM_OTHER = 0,
  FM_HANDLE,
  FM_NAME,
  FM_ALIASES,
  FM_EVERY,
  FM_KEYS,
} FmKey;

// One read of a front matter.
typedef struct {
  KithNote *note;
  KithFrontMatter *fm;
  bool seen[FM_KEYS]; // the first of duplicate keys counts
  // What the ledger needs only when the note turns out to declare a contact.
  uint32_t aliases_from; // note->alias_count before this front matter
  uint32_t every_line;   // the `every` key's line, 0 when absent
  bool every_bad;
  KithBuf every_value; // the `every` value as written, for the diagnostic
  uint32_t handle_line;
  bool handle_bad;
  KithBuf handle_value;
} FmRead;

// Whether line [s, s + n) (without its `\n`) is `fence` followed by nothing but spaces, tabs
// and a `\r`.
static bool fm_is_fence(const char *s, size_t n, const char *fence) {
  if (n < 3 || memcmp(s, fence, 3) != 0)
    return false;
  for (size_t i = 3; i < n; i++) {
    if (s[i] != ' ' && s[i] != '\t' && !(s[i] == '\r' && i == n - 1))
      return false;
  }
  return true;
}

static FmKey fm_key(const char *s, size_t n) {
  static const char *const names[FM_KEYS] = {NULL, "handle", "name", "aliases", "every"};
  for (int k = 1; k < FM_KEYS; k++) {
    if (strlen(names[k]) == n && memcmp(names[k], s, n) == 0)
      return (FmKey)k;
  }
  return FM_OTHER;
}

// Whether a scalar event is YAML's null (a plain empty, `~` or `null`).
static bool fm_is_null(const yaml_event_t *ev) {
  if (ev->data.scalar.style != YAML_PLAIN_SCALAR_STYLE)
    return false;
  const char *v = (const char *)ev->data.scalar.value;
  return ev->data.scalar.length == 0 || strcmp(v, "~") == 0 || strcmp(v, "null") == 0 ||
         strcmp(v, "Null") == 0 || strcmp(v, "NULL") == 0;
}

// Interns `s` (`n` bytes) with whitespace runs as one space, trimmed. Returns the offset,
// UINT32_MAX when that leaves nothing, or -1 in *oom.
static uint32_t fm_intern_collapsed(KithNote *note, const char *s, size_t n, bool *oom) {
  KithBuf out = KITH_BUF_INIT;
  bool space = false;
  for (size_t i = 0; i < n; i++) {
    char c = s[i];
    if (c == ' ' || c == '\t' || c == '\n' || c == '\r') {
      space = out.len > 0;
      continue;
    }
    if ((space && kith_buf_putc(&out, ' ') != 0) || kith_buf_putc(&out, c) != 0) {
      *oom = true;
      kith_buf_free(&out);
      return UINT32_MAX;
    }
    space = false;
  }
  uint32_t offset = UINT32_MAX;
  if (out.len > 0) {
    offset = kith_note_intern(note, out.data, out.len);
    *oom = offset == UINT32_MAX;
  }
  kith_buf_free(&out);
  return offset;
}

// A value of key `key` at 0-based YAML line `line`: a scalar (`ev`), or a collection (`ev`
// NULL). Returns 0 or -1 when out of memory.
static int fm_value(FmRead *r, FmKey key, uint32_t line, const yaml_event_t *ev) {
  KithFrontMatter *fm = r->fm;
  const char *v = ev ? (const char *)ev->data.scalar.value : "";
  size_t n = ev ? ev->data.scalar.length : 0;
  bool null = ev && fm_is_null(ev);
  bool oom = false;
  switch (key) {
  case FM_HANDLE: {
    if (null)
      return 0; // `handle:` left empty (a template): no contact, nothing to say
    r->handle_line = line;
    const char *h = v;
    size_t hn = n;
    if (hn > 0 && h[0] == '@')
      h++, hn--;
    if (!ev || hn == 0 || hn > 255 || !kith_entry_is_handle(h, hn)) {
      r->handle_bad = true;
      return kith_buf_append(&r->handle_value, ev ? v : "(a list or mapping)",
                             ev ? n : strlen("(a list or mapping)"));
    }
    char lower[256];
    kith_entry_handle_lower(lower, h, hn);
    fm->handle = kith_note_intern(r->note, lower, hn);
    if (fm->handle == UINT32_MAX)
      return -1;
    fm->declares = true;
    return 0;
  }
  case FM_NAME:
    if (ev && !null)
      fm->name = fm_intern_collapsed(r->note, v, n, &oom);
    return oom ? -1 : 0;
  case FM_ALIASES:
    if (ev && !null) {
      uint32_t alias = fm_intern_collapsed(r->note, v, n, &oom);
      if (alias != UINT32_MAX && kith_note_add_alias(r->note, alias) != 0)
        return -1;
    }
    return oom ? -1 : 0;
  case FM_EVERY:
    r->every_line = line;
    fm->cadence_days = ev ? kith_entry_cadence_days(v, n) : 0;
    r->every_bad = fm->cadence_days == 0;
    if (r->every_bad)
      return kith_buf_append(&r->every_value, ev ? v : "(a list or mapping)",
                             ev ? n : strlen("(a list or mapping)"));
    return 0;
  default:
    return 0;
  }
}

// The note's line (1-based, counted by `\n` as Neovim counts them) of 0-based YAML line `line`
// of `body` (`n` bytes, the note's line 2 onwards). libyaml also breaks lines at a lone CR,
// NEL, LS and PS, which a buffer shows inside a line.
static uint32_t fm_line(const char *body, size_t n, size_t line) {
  const unsigned char *p = (const unsigned char *)body;
  uint32_t ours = 2;
  for (size_t i = 0, yaml = 0; i < n && yaml < line; i++) {
    if (p[i] == '\r' && i + 1 < n && p[i + 1] == '\n')
      continue; // CR LF: one break, counted at its LF
    if (p[i] == '\n') {
      ours++;
      yaml++;
    } else if (p[i] == '\r' || (p[i] == 0xC2 && i + 1 < n && p[i + 1] == 0x85) ||
               (p[i] == 0xE2 && i + 2 < n && p[i + 1] == 0x80 &&
                (p[i + 2] == 0xA8 || p[i + 2] == 0xA9))) {
      yaml++;
    }
  }
  return ours;
}

// Reads the YAML of `body` (`n` bytes, its first line being the note's line 2). Returns 0, 1
// when it is not valid YAML (*reason filled), -1 when out of memory.
static int fm_parse(FmRead *r, const char *body, size_t n, char *reason, size_t reason_size) {
  yaml_parser_t parser;
  if (!yaml_parser_initialize(&parser))
    return -1;
  yaml_parser_set_input_string(&parser, (const unsigned char *)body, n);
  // Where we are: the depth of nesting, and in the top-level mapping whether a key or a value
  // comes next, the current key and where its value (a collection) began.
  int depth = 0, rc = 0;
  bool top_map = false, want_key = true;
  FmKey key = FM_OTHER;
  uint32_t key_line = 0;
  int slot_depth = 0; // > 0: inside a collection that is a value (or a key) of the top mapping
  bool slot_is_key = false, slot_is_list = false;
  for (bool done = false; !done;) {
    yaml_event_t ev;
    if (!yaml_parser_parse(&parser, &ev)) {
      if (parser.error == YAML_MEMORY_ERROR) {
        rc = -1;
      } else {
        // `handle: @alice` is the likely mistake: `@` cannot begin a plain YAML value.
        size_t at = parser.problem_mark.index;
        bool at_sign = parser.error == YAML_SCANNER_ERROR && at < n && body[at] == '@';
        snprintf(reason, reason_size, "%s (line %lu)%s",
                 parser.problem ? parser.problem : "cannot be read",
                 (unsigned long)fm_line(body, n, parser.problem_mark.line),
                 at_sign ? "; a value that begins with @ must be quoted: \"@alice\"" : "");
        rc = 1;
      }
      break;
    }
    switch (ev.type) {
    case YAML_STREAM_END_EVENT:
      done = true;
      break;
    case YAML_MAPPING_START_EVENT:
    case YAML_SEQUENCE_START_EVENT:
      if (++depth > KITH_FRONTMATTER_MAX_DEPTH) {
        snprintf(reason, reason_size, "nested deeper than %d levels (line %lu)",
                 KITH_FRONTMATTER_MAX_DEPTH, (unsigned long)fm_line(body, n, ev.start_mark.line));
        rc = 1;
        done = true;
        break;
      }
      if (depth == 1) {
        top_map = ev.type == YAML_MAPPING_START_EVENT;
      } else if (depth == 2 && top_map) {
        slot_depth = depth;
        slot_is_key = want_key;
        slot_is_list = ev.type == YAML_SEQUENCE_START_EVENT;
        if (!want_key && key != FM_ALIASES && key != FM_OTHER && !r->seen[key]) {
          r->seen[key] = true;
          if (fm_value(r, key, key_line, NULL) != 0)
            rc = -1, done = true;
        }
      }
      break;
    case YAML_MAPPING_END_EVENT:
    case YAML_SEQUENCE_END_EVENT:
      if (depth == slot_depth) {
        // A collection was the key or the value: the next one at the top is a value / a key.
        slot_depth = 0;
        if (slot_is_key)
          key = FM_OTHER;
        else if (key == FM_ALIASES)
          r->seen[FM_ALIASES] = true;
        want_key = !slot_is_key;
      }
      depth--;
      break;
    case YAML_SCALAR_EVENT:
    case YAML_ALIAS_EVENT: {
      bool scalar = ev.type == YAML_SCALAR_EVENT;
      if (depth == 1 && top_map && want_key) {
        key = scalar ? fm_key((const char *)ev.data.scalar.value, ev.data.scalar.length) : FM_OTHER;
        key_line = fm_line(body, n, ev.start_mark.line);
        want_key = false;
      } else if (depth == 1 && top_map) {
        if (key != FM_OTHER && !r->seen[key]) {
          r->seen[key] = true;
          if (fm_value(r, key, key_line, scalar ? &ev : NULL) != 0)
            rc = -1, done = true;
        }
        want_key = true;
      } else if (depth == 2 && slot_depth == 2 && !slot_is_key && slot_is_list &&
                 key == FM_ALIASES && !r->seen[FM_ALIASES] && scalar) {
        if (fm_value(r, FM_ALIASES, key_line, &ev) != 0)
          rc = -1, done = true;
      }
      break;
    }
    default:
      break;
    }
    yaml_event_delete(&ev);
  }
  yaml_parser_delete(&parser);
  return rc;
}

// Puts a value as written into `out` (emptied first) for a diagnostic: at most 64 bytes of it,
// cut between UTF-8 characters, on one line (control characters as \n, \r, \t or \xHH).
// Returns 0 or -1.
static int fm_quote(KithBuf *out, const KithBuf *value) {
  const char *s = value->data ? value->data : "";
  size_t n = value->len;
  if (n > 64) {
    n = 64;
    while (n > 0 && ((unsigned char)s[n] & 0xC0) == 0x80)
      n--;
  }
  out->len = 0;
  int rc = kith_buf_puts(out, "");
  for (size_t i = 0; i < n && rc == 0; i++) {
    unsigned char c = (unsigned char)s[i];
    if (c == '\n')
      rc = kith_buf_puts(out, "\\n");
    else if (c == '\r')
      rc = kith_buf_puts(out, "\\r");
    else if (c == '\t')
      rc = kith_buf_puts(out, "\\t");
    else if (c < 0x20 || c == 0x7f)
      rc = kith_buf_printf(out, "\\x%02x", c);
    else
      rc = kith_buf_putc(out, (char)c);
  }
  return rc;
}

int kith_frontmatter_read(const char *text, size_t len, KithNote *note, KithFrontMatter *fm) {
  memset(fm, 0, sizeof *fm);
  fm->name = UINT32_MAX;
  size_t start = len >= 3 && memcmp(text, "\xEF\xBB\xBF", 3) == 0 ? 3 : 0;
  const char *nl = memchr(text + start, '\n', len - start);
  if (!nl || !fm_is_fence(text + start, (size_t)(nl - text) - start, "---"))
    return 0;
  // The closing line, within the bound.
  size_t body = (size_t)(nl - text) + 1, at = body, close = 0, end = 0;
  size_t limit =
      len - start <= KITH_FRONTMATTER_MAX_BYTES ? len : start + KITH_FRONTMATTER_MAX_BYTES;
  while (at < limit) {
    const char *next = memchr(text + at, '\n', len - at);
    size_t line_end = next ? (size_t)(next - text) : len;
    if (fm_is_fence(text + at, line_end - at, "---") ||
        fm_is_fence(text + at, line_end - at, "...")) {
      close = at;
      end = next ? line_end + 1 : len;
      break;
    }
    at = line_end + 1;
  }
  if (end == 0 || end - start > KITH_FRONTMATTER_MAX_BYTES) {
    return kith_note_add_diagnostic(
        note, 1, 1, KITH_SEVERITY_ERROR, "front matter is not valid YAML: %s",
        limit < len ? "no closing '---' or '...' line in its first 64 KiB"
                    : "no closing '---' or '...' line");
  }
  fm->end = end;

  FmRead r = {.note = note, .fm = fm, .aliases_from = note->alias_count};
  KithBuf quoted = KITH_BUF_INIT;
  char reason[256] = "";
  int rc = fm_parse(&r, text + body, close - body, reason, sizeof reason);
  if (rc == 1) {
    fm->declares = false; // not YAML: declares nothing
    rc = kith_note_add_diagnostic(note, 1, 1, KITH_SEVERITY_ERROR,
                                  "front matter is not valid YAML: %s", reason);
  } else if (rc == 0 && r.handle_bad) {
    rc = fm_quote(&quoted, &r.handle_value);
    if (rc == 0)
      rc = kith_note_add_diagnostic(note, r.handle_line, 1, KITH_SEVERITY_ERROR,
                                    "invalid handle '%s' in front matter (expected a handle "
                                    "such as alice or \"@alice\")",
                                    quoted.data);
  } else if (rc == 0 && fm->declares && r.every_bad) {
    rc = fm_quote(&quoted, &r.every_value);
    if (rc == 0)
      rc = kith_note_add_diagnostic(note, r.every_line, 1, KITH_SEVERITY_ERROR,
                                    "invalid cadence '%s' (expected N followed by d, w, m or y)",
                                    quoted.data);
  }
  kith_buf_free(&quoted);
  kith_buf_free(&r.every_value);
  kith_buf_free(&r.handle_value);
  if (!fm->declares) {
    // No contact note: its aliases and cadence mean nothing.
    note->alias_count = r.aliases_from;
    fm->cadence_days = 0;
    fm->name = UINT32_MAX;
  }
  return rc < 0 ? -1 : 0;
}
