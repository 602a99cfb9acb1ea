#include "notes/frontmatter.h"

#include <stdio.h>
#include <string.h>
#include <strings.h>
#include <yaml.h>

#include "base/buf.h"

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

// Whether a scalar event is YAML's null (a plain empty, `~` or `null`).
static bool fm_is_null(const yaml_event_t *ev) {
  if (ev->data.scalar.style != YAML_PLAIN_SCALAR_STYLE)
    return false;
  const char *v = (const char *)ev->data.scalar.value;
  return ev->data.scalar.length == 0 || strcmp(v, "~") == 0 || strcmp(v, "null") == 0 ||
         strcmp(v, "Null") == 0 || strcmp(v, "NULL") == 0;
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

// Interns `n` bytes of `s` and a NUL into the front matter's strings. Returns the offset or
// UINT32_MAX.
static uint32_t fm_intern(KithFrontMatter *fm, const char *s, size_t n) {
  size_t at = fm->strings.len;
  if (at >= UINT32_MAX - n - 1 || kith_buf_append(&fm->strings, s, n) != 0 ||
      kith_buf_putc(&fm->strings, '\0') != 0)
    return UINT32_MAX;
  return (uint32_t)at;
}

// Appends a property (its values follow). Returns it, or NULL when out of memory.
static KithProperty *fm_add_property(KithFrontMatter *fm, const yaml_event_t *key, uint32_t line,
                                     KithPropertyKind kind) {
  if (fm->property_count == fm->property_cap) {
    uint32_t cap = fm->property_cap ? fm->property_cap * 2 : 8;
    KithProperty *grown = realloc(fm->properties, cap * sizeof *grown);
    if (!grown)
      return NULL;
    fm->properties = grown;
    fm->property_cap = cap;
  }
  uint32_t k = fm_intern(fm, (const char *)key->data.scalar.value, key->data.scalar.length);
  if (k == UINT32_MAX)
    return NULL;
  KithProperty *p = &fm->properties[fm->property_count++];
  *p = (KithProperty){k, line, kind, fm->value_count, 0};
  return p;
}

// Appends a scalar value to the last property. Returns 0 or -1.
static int fm_add_value(KithFrontMatter *fm, const yaml_event_t *ev) {
  if (fm->value_count == fm->value_cap) {
    uint32_t cap = fm->value_cap ? fm->value_cap * 2 : 8;
    KithPropertyValue *grown = realloc(fm->values, cap * sizeof *grown);
    if (!grown)
      return -1;
    fm->values = grown;
    fm->value_cap = cap;
  }
  size_t n = ev->data.scalar.length;
  uint32_t text = fm_intern(fm, (const char *)ev->data.scalar.value, n);
  if (text == UINT32_MAX || n > UINT32_MAX)
    return -1;
  fm->values[fm->value_count++] = (KithPropertyValue){
      text, (uint32_t)n, fm_is_null(ev), ev->data.scalar.style == YAML_PLAIN_SCALAR_STYLE};
  fm->properties[fm->property_count - 1].count++;
  return 0;
}

// Whether a key of that text was seen before (the first of duplicate keys counts).
static bool fm_seen(const KithFrontMatter *fm, const yaml_event_t *key) {
  for (uint32_t i = 0; i < fm->property_count; i++) {
    const char *k = kith_frontmatter_str(fm, fm->properties[i].key);
    if (strlen(k) == key->data.scalar.length &&
        memcmp(k, key->data.scalar.value, key->data.scalar.length) == 0)
      return true;
  }
  return false;
}

// Reads the YAML of `body` (`n` bytes, its first line being the note's line 2) into `fm`.
// Returns 0, 1 when it is not valid YAML (*reason filled), -1 when out of memory.
static int fm_parse(KithFrontMatter *fm, const char *body, size_t n, char *reason,
                    size_t reason_size) {
  yaml_parser_t parser;
  if (!yaml_parser_initialize(&parser))
    return -1;
  yaml_parser_set_input_string(&parser, (const unsigned char *)body, n);
  // Where we are: the depth of nesting; in the top mapping whether a key or a value comes next,
  // the current key, and whether its value is being kept (a list at depth 2).
  int depth = 0, rc = 0;
  bool top_map = false, want_key = true, keep = false;
  yaml_event_t key;
  bool have_key = false;
  uint32_t key_line = 0;
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
        if (!want_key && have_key && !fm_seen(fm, &key)) {
          bool list = ev.type == YAML_SEQUENCE_START_EVENT;
          if (!fm_add_property(fm, &key, key_line, list ? KITH_PROPERTY_LIST : KITH_PROPERTY_OTHER))
            rc = -1, done = true;
          keep = list;
        }
        // A collection as a key names nothing; either way the next one at the top alternates.
      }
      break;
    case YAML_MAPPING_END_EVENT:
    case YAML_SEQUENCE_END_EVENT:
      if (depth == 2 && top_map) {
        keep = false;
        if (!want_key && have_key) {
          yaml_event_delete(&key);
          have_key = false;
        }
        want_key = !want_key;
      }
      depth--;
      break;
    case YAML_SCALAR_EVENT:
    case YAML_ALIAS_EVENT: {
      bool scalar = ev.type == YAML_SCALAR_EVENT;
      if (depth == 1 && top_map && want_key) {
        want_key = false;
        if (scalar) {
          key = ev; // kept until its value is read
          have_key = true;
          key_line = fm_line(body, n, ev.start_mark.line);
          continue; // not deleted here
        }
      } else if (depth == 1 && top_map) {
        if (have_key && !fm_seen(fm, &key)) {
          if (!fm_add_property(fm, &key, key_line,
                               scalar ? KITH_PROPERTY_SCALAR : KITH_PROPERTY_OTHER) ||
              (scalar && fm_add_value(fm, &ev) != 0))
            rc = -1, done = true;
        }
        if (have_key) {
          yaml_event_delete(&key);
          have_key = false;
        }
        want_key = true;
      } else if (depth == 2 && keep && scalar) {
        if (fm_add_value(fm, &ev) != 0)
          rc = -1, done = true;
      }
      break;
    }
    default:
      break;
    }
    yaml_event_delete(&ev);
  }
  if (have_key)
    yaml_event_delete(&key);
  yaml_parser_delete(&parser);
  return rc;
}

// Puts a value as written into `out` (emptied first) for a diagnostic: at most 64 bytes of it,
// cut between UTF-8 characters, on one line (control characters as \n, \r, \t or \xHH).
// Returns 0 or -1.
int kith_frontmatter_quote(KithBuf *out, const char *s, size_t n) {
  s = s ? s : "";
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

const char *kith_frontmatter_str(const KithFrontMatter *fm, uint32_t offset) {
  return fm->strings.data ? fm->strings.data + offset : "";
}

const KithProperty *kith_frontmatter_get(const KithFrontMatter *fm, const char *name) {
  for (uint32_t i = 0; i < fm->property_count; i++) {
    if (strcasecmp(kith_frontmatter_str(fm, fm->properties[i].key), name) == 0)
      return &fm->properties[i];
  }
  return NULL;
}

void kith_frontmatter_free(KithFrontMatter *fm) {
  free(fm->properties);
  free(fm->values);
  kith_buf_free(&fm->strings);
  memset(fm, 0, sizeof *fm);
}

int kith_frontmatter_read(const char *text, size_t len, KithNote *note, KithFrontMatter *fm) {
  memset(fm, 0, sizeof *fm);
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
    fm->invalid = true;
    return kith_note_add_diagnostic(
        note, 1, 1, KITH_SEVERITY_ERROR, "front matter is not valid YAML: %s",
        limit < len ? "no closing '---' or '...' line in its first 64 KiB"
                    : "no closing '---' or '...' line");
  }
  fm->end = end;
  char reason[256] = "";
  int rc = fm_parse(fm, text + body, close - body, reason, sizeof reason);
  if (rc == 1) {
    // Not YAML: it holds nothing.
    size_t keep_end = fm->end;
    kith_frontmatter_free(fm);
    fm->end = keep_end;
    fm->invalid = true;
    rc = kith_note_add_diagnostic(note, 1, 1, KITH_SEVERITY_ERROR,
                                  "front matter is not valid YAML: %s", reason);
  }
  return rc < 0 ? -1 : 0;
}
