// The settings files (SPEC §1 v3): `.kith` (YAML) and Obsidian's `.obsidian/templates.json` and
// `.obsidian/app.json` (JSON, which libyaml reads too), each loaded as a libyaml document after
// checking its size and depth. A wrong `.kith` value is a warning on `.kith` and keeps its
// default; Obsidian's files are Obsidian's business: what cannot be read there is skipped.

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <yaml.h>

#include "base/buf.h"
#include "base/utf8.h"
#include "notes/settings_private.h"

// --- reading `.kith` -----------------------------------------------------------------------

// One read of a settings document.
typedef struct {
  KithSettings *s;
  yaml_document_t *doc;
  const char *text; // the file's
  size_t len;
  int rc; // -1 once out of memory
} SettingsRead;

// The 1-based line and byte column (as a buffer counts them: lines end at `\n` only) of libyaml's
// `mark` in `text`: libyaml counts characters, and breaks lines at a lone CR, NEL, LS and PS too.
static void settings_position(const char *text, size_t len, yaml_mark_t mark, uint32_t *line,
                              uint32_t *column) {
  const unsigned char *p = (const unsigned char *)text;
  size_t i = 0;
  for (size_t yaml = 0; i < len && yaml < mark.line; i++) {
    if (p[i] == '\r' && i + 1 < len && p[i + 1] == '\n')
      continue; // CR LF: one break, at its LF
    if (p[i] == '\n' || p[i] == '\r') {
      yaml++;
    } else if (p[i] == 0xC2 && i + 1 < len && p[i + 1] == 0x85) {
      yaml++, i++;
    } else if (p[i] == 0xE2 && i + 2 < len && p[i + 1] == 0x80 &&
               (p[i + 2] == 0xA8 || p[i + 2] == 0xA9)) {
      yaml++, i += 2;
    }
  }
  for (size_t c = 0; i < len && c < mark.column; c++) {
    int step = kith_utf8_next(text + i, len - i);
    i += (size_t)(step > 0 ? step : -step);
  }
  *line = 1;
  size_t start = 0;
  for (size_t k = 0; k < i && k < len; k++) {
    if (p[k] == '\n')
      (*line)++, start = k + 1;
  }
  *column = (uint32_t)(i - start) + 1;
}

static void settings_warn(SettingsRead *r, const yaml_node_t *at, const char *fmt,
                          const char *arg) {
  uint32_t line, column;
  settings_position(r->text, r->len, at->start_mark, &line, &column);
  if (r->rc == 0 &&
      kith_note_add_diagnostic(&r->s->note, line, column, KITH_SEVERITY_WARNING, fmt, arg) != 0)
    r->rc = -1;
}

static bool settings_is_scalar(const yaml_node_t *n) {
  return n && n->type == YAML_SCALAR_NODE;
}

static const char *settings_scalar(const yaml_node_t *n, size_t *len) {
  *len = n->data.scalar.length;
  return (const char *)n->data.scalar.value;
}

// Whether `n` is a sequence of scalars (an empty one too).
static bool settings_is_strings(yaml_document_t *doc, const yaml_node_t *n) {
  if (!n || n->type != YAML_SEQUENCE_NODE)
    return false;
  for (yaml_node_item_t *i = n->data.sequence.items.start; i < n->data.sequence.items.top; i++) {
    if (!settings_is_scalar(yaml_document_get_node(doc, *i)))
      return false;
  }
  return true;
}

// Reads a list of strings (`value`, under key node `key`) into `*out`, replacing its default;
// a value of another type is a warning and the default holds.
static void settings_read_list(SettingsRead *r, KithSettingKey which, const yaml_node_t *key,
                               const yaml_node_t *value, KithStrings *out) {
  if (!settings_is_strings(r->doc, value)) {
    settings_warn(r, key, "setting '%s' must be a list of strings", settings_names[which]);
    return;
  }
  KithStrings list = {0};
  int rc = 0;
  for (yaml_node_item_t *i = value->data.sequence.items.start;
       rc == 0 && i < value->data.sequence.items.top; i++) {
    size_t n;
    const char *s = settings_scalar(yaml_document_get_node(r->doc, *i), &n);
    if (which == KITH_SETTING_CONTACT_FOLDERS || which == KITH_SETTING_IGNORE) {
      rc = settings_add_folder(&list, s, n);
    } else if (which == KITH_SETTING_CONTACT_TAGS) {
      while (n > 0 && s[0] == '#')
        s++, n--;
      rc = n > 0 ? settings_strings_add(&list, s, n, true) : 0;
    } else if (n > 0) {
      rc = settings_strings_add(&list, s, n, false);
    }
  }
  if (rc != 0) {
    settings_strings_free(&list);
    r->rc = -1;
    return;
  }
  settings_strings_free(out);
  *out = list;
  r->s->origin[which] = KITH_FROM_FILE;
}

// contacts.properties: a mapping of property names to a string or a list of strings.
static void settings_read_rules(SettingsRead *r, const yaml_node_t *key, const yaml_node_t *value) {
  bool ok = value && value->type == YAML_MAPPING_NODE;
  for (yaml_node_pair_t *p = ok ? value->data.mapping.pairs.start : NULL;
       ok && p < value->data.mapping.pairs.top; p++) {
    const yaml_node_t *v = yaml_document_get_node(r->doc, p->value);
    ok = settings_is_scalar(yaml_document_get_node(r->doc, p->key)) &&
         (settings_is_scalar(v) || settings_is_strings(r->doc, v));
  }
  if (!ok) {
    settings_warn(r, key, "setting '%s' must map property names to a string or a list of strings",
                  settings_names[KITH_SETTING_CONTACT_PROPERTIES]);
    return;
  }
  settings_rules_free(r->s);
  for (yaml_node_pair_t *p = value->data.mapping.pairs.start;
       r->rc == 0 && p < value->data.mapping.pairs.top; p++) {
    size_t n;
    const char *name = settings_scalar(yaml_document_get_node(r->doc, p->key), &n);
    KithPropertyRule *rule = settings_add_rule(r->s, name, n);
    const yaml_node_t *v = yaml_document_get_node(r->doc, p->value);
    if (!rule) {
      r->rc = -1;
    } else if (settings_is_scalar(v)) {
      const char *s = settings_scalar(v, &n);
      if (n > 0 && settings_strings_add(&rule->values, s, n, false) != 0)
        r->rc = -1;
    } else {
      for (yaml_node_item_t *i = v->data.sequence.items.start;
           r->rc == 0 && i < v->data.sequence.items.top; i++) {
        const char *s = settings_scalar(yaml_document_get_node(r->doc, *i), &n);
        if (n > 0 && settings_strings_add(&rule->values, s, n, false) != 0)
          r->rc = -1;
      }
    }
  }
  r->s->origin[KITH_SETTING_CONTACT_PROPERTIES] = KITH_FROM_FILE;
}

// A whole number setting (0 to 1000000 days, or times for accept_help_after).
static void settings_read_int(SettingsRead *r, KithSettingKey which, const yaml_node_t *key,
                              const yaml_node_t *value, int *out) {
  char buf[32];
  size_t n = 0;
  const char *s = settings_is_scalar(value) ? settings_scalar(value, &n) : "";
  long v = -1;
  if (n > 0 && n < sizeof buf) {
    memcpy(buf, s, n);
    buf[n] = '\0';
    char *end = NULL;
    v = strtol(buf, &end, 10);
    if (*end || buf[0] == '-' || buf[0] == '+' || buf[0] == ' ')
      v = -1;
  }
  if (v < 0 || v > 1000000) {
    settings_warn(r, key,
                  which == KITH_SETTING_ACCEPT_HELP_AFTER
                      ? "setting '%s' must be a whole number"
                      : "setting '%s' must be a whole number of days",
                  settings_names[which]);
    return;
  }
  *out = (int)v;
  r->s->origin[which] = KITH_FROM_FILE;
}

// The keys of mapping `map` (under key node `key`, named `section`), each read by `read`.
typedef void (*SettingsReadKey)(SettingsRead *r, const char *name, const yaml_node_t *key,
                                const yaml_node_t *value);

static void settings_read_map(SettingsRead *r, const char *section, const yaml_node_t *key,
                              const yaml_node_t *map, SettingsReadKey read) {
  if (!map || map->type != YAML_MAPPING_NODE) {
    settings_warn(r, key, "setting '%s' must be a mapping (key: value)", section);
    return;
  }
  for (yaml_node_pair_t *p = map->data.mapping.pairs.start; p < map->data.mapping.pairs.top; p++) {
    const yaml_node_t *k = yaml_document_get_node(r->doc, p->key);
    if (!settings_is_scalar(k)) {
      settings_warn(r, k, "a setting's name must be a string (in '%s')", section);
      continue;
    }
    bool twice = false;
    for (yaml_node_pair_t *q = map->data.mapping.pairs.start; q < p && !twice; q++) {
      const yaml_node_t *before = yaml_document_get_node(r->doc, q->key);
      twice = settings_is_scalar(before) && before->data.scalar.length == k->data.scalar.length &&
              memcmp(before->data.scalar.value, k->data.scalar.value, k->data.scalar.length) == 0;
    }
    if (twice) {
      settings_warn(r, k, "setting '%s' is given twice: the first counts",
                    (const char *)k->data.scalar.value);
      continue;
    }
    read(r, (const char *)k->data.scalar.value, k, yaml_document_get_node(r->doc, p->value));
  }
}

static void settings_unknown(SettingsRead *r, const char *prefix, const char *name,
                             const yaml_node_t *key) {
  char full[160];
  snprintf(full, sizeof full, "%s%.120s", prefix, name);
  settings_warn(r, key, "unknown setting '%s'", full);
}

static void settings_read_contacts(SettingsRead *r, const char *name, const yaml_node_t *key,
                                   const yaml_node_t *value) {
  KithSettings *s = r->s;
  if (strcmp(name, "folders") == 0)
    settings_read_list(r, KITH_SETTING_CONTACT_FOLDERS, key, value, &s->folders);
  else if (strcmp(name, "tags") == 0)
    settings_read_list(r, KITH_SETTING_CONTACT_TAGS, key, value, &s->tags);
  else if (strcmp(name, "properties") == 0)
    settings_read_rules(r, key, value);
  else
    settings_unknown(r, "contacts.", name, key);
}

static void settings_read_meetings(SettingsRead *r, const char *name, const yaml_node_t *key,
                                   const yaml_node_t *value) {
  if (strcmp(name, "people") == 0)
    settings_read_list(r, KITH_SETTING_MEETING_PEOPLE, key, value, &r->s->people);
  else if (strcmp(name, "date") == 0)
    settings_read_list(r, KITH_SETTING_MEETING_DATE, key, value, &r->s->dates);
  else
    settings_unknown(r, "meetings.", name, key);
}

static void settings_read_top(SettingsRead *r, const char *name, const yaml_node_t *key,
                              const yaml_node_t *value) {
  KithSettings *s = r->s;
  if (strcmp(name, "contacts") == 0)
    settings_read_map(r, "contacts", key, value, settings_read_contacts);
  else if (strcmp(name, "meetings") == 0)
    settings_read_map(r, "meetings", key, value, settings_read_meetings);
  else if (strcmp(name, "ignore") == 0)
    settings_read_list(r, KITH_SETTING_IGNORE, key, value, &s->ignore);
  else if (strcmp(name, "dormant_days") == 0)
    settings_read_int(r, KITH_SETTING_DORMANT_DAYS, key, value, &s->dormant_days);
  else if (strcmp(name, "accept_help_after") == 0)
    settings_read_int(r, KITH_SETTING_ACCEPT_HELP_AFTER, key, value, &s->accept_help_after);
  else if (strcmp(name, "due_days") == 0)
    settings_read_int(r, KITH_SETTING_DUE_DAYS, key, value, &s->due_days);
  else if (strcmp(name, "dates_days") == 0)
    settings_read_int(r, KITH_SETTING_DATES_DAYS, key, value, &s->dates_days);
  else
    settings_unknown(r, "", name, key);
}

// Checks that `text` nests no deeper than KITH_SETTINGS_MAX_DEPTH and is YAML. Returns 0, 1
// with *why (and the 1-based *line) when it is not, -1 when out of memory.
static int settings_check(const char *text, size_t len, char *why, size_t why_size,
                          unsigned long *line) {
  yaml_parser_t parser;
  if (!yaml_parser_initialize(&parser))
    return -1;
  yaml_parser_set_input_string(&parser, (const unsigned char *)text, len);
  int depth = 0, rc = 0;
  for (bool done = false; !done;) {
    yaml_event_t ev;
    if (!yaml_parser_parse(&parser, &ev)) {
      if (parser.error == YAML_MEMORY_ERROR) {
        rc = -1;
      } else {
        snprintf(why, why_size, "%s", parser.problem ? parser.problem : "cannot be read");
        uint32_t l, c;
        settings_position(text, len, parser.problem_mark, &l, &c);
        *line = l;
        rc = 1;
      }
      break;
    }
    if (ev.type == YAML_MAPPING_START_EVENT || ev.type == YAML_SEQUENCE_START_EVENT) {
      if (++depth > KITH_SETTINGS_MAX_DEPTH) {
        snprintf(why, why_size, "nested deeper than %d levels", KITH_SETTINGS_MAX_DEPTH);
        uint32_t l, c;
        settings_position(text, len, ev.start_mark, &l, &c);
        *line = l;
        rc = 1;
        done = true;
      }
    } else if (ev.type == YAML_MAPPING_END_EVENT || ev.type == YAML_SEQUENCE_END_EVENT) {
      depth--;
    } else if (ev.type == YAML_STREAM_END_EVENT) {
      done = true;
    }
    yaml_event_delete(&ev);
  }
  yaml_parser_delete(&parser);
  return rc;
}

int settings_file_read(KithSettings *s, const char *text, size_t len) {
  char why[160] = "";
  unsigned long line = 1;
  if (len > KITH_SETTINGS_MAX_BYTES) {
    return kith_note_add_diagnostic(&s->note, 1, 1, KITH_SEVERITY_ERROR,
                                    "settings are not valid YAML: longer than %d KiB; every "
                                    "default holds",
                                    KITH_SETTINGS_MAX_BYTES / 1024);
  }
  int rc = settings_check(text, len, why, sizeof why, &line);
  if (rc != 0) {
    return rc < 0 ? -1
                  : kith_note_add_diagnostic(&s->note, 1, 1, KITH_SEVERITY_ERROR,
                                             "settings are not valid YAML: %s (line %lu); every "
                                             "default holds",
                                             why, line);
  }
  yaml_parser_t parser;
  yaml_document_t doc;
  if (!yaml_parser_initialize(&parser))
    return -1;
  yaml_parser_set_input_string(&parser, (const unsigned char *)text, len);
  if (!yaml_parser_load(&parser, &doc)) {
    rc = parser.error == YAML_MEMORY_ERROR
             ? -1
             : kith_note_add_diagnostic(&s->note, 1, 1, KITH_SEVERITY_ERROR,
                                        "settings are not valid YAML: %s; every default "
                                        "holds",
                                        parser.problem ? parser.problem : "cannot be read");
    yaml_parser_delete(&parser);
    return rc;
  }
  const yaml_node_t *root = yaml_document_get_root_node(&doc);
  SettingsRead r = {s, &doc, text, len, 0};
  if (!root || (root->type == YAML_SCALAR_NODE && root->data.scalar.length == 0)) {
    // empty, or comments only: every default holds
  } else if (root->type != YAML_MAPPING_NODE) {
    r.rc = kith_note_add_diagnostic(&s->note, 1, 1, KITH_SEVERITY_ERROR,
                                    "settings must be a mapping (key: value); every default holds");
  } else {
    settings_read_map(&r, "", NULL, root, settings_read_top);
  }
  yaml_document_delete(&doc);
  yaml_parser_delete(&parser);
  return r.rc;
}

// --- Obsidian's settings -------------------------------------------------------------------

// Loads `root`/.obsidian/`name` (JSON, which libyaml reads) into `doc`. False when there is no
// such file or it cannot be read (Obsidian's files are Obsidian's: kith says nothing of them).
static bool settings_load_json(const char *root, const char *name, yaml_document_t *doc) {
  KithBuf path = KITH_BUF_INIT, text = KITH_BUF_INIT;
  bool ok = kith_buf_printf(&path, "%s/.obsidian/%s", root, name) == 0 &&
            kith_buf_read_file(&text, path.data) == 0 && text.len <= KITH_SETTINGS_MAX_BYTES;
  char why[64];
  unsigned long line;
  ok = ok && settings_check(text.data ? text.data : "", text.len, why, sizeof why, &line) == 0;
  yaml_parser_t parser;
  if (ok && yaml_parser_initialize(&parser)) {
    yaml_parser_set_input_string(&parser, (const unsigned char *)(text.data ? text.data : ""),
                                 text.len);
    ok = yaml_parser_load(&parser, doc) != 0;
    yaml_parser_delete(&parser);
    if (ok && !yaml_document_get_root_node(doc)) {
      yaml_document_delete(doc);
      ok = false;
    }
  } else {
    ok = false;
  }
  kith_buf_free(&path);
  kith_buf_free(&text);
  return ok;
}

// The value of key `name` in the top mapping of `doc`, or NULL.
static const yaml_node_t *settings_json_get(yaml_document_t *doc, const char *name) {
  const yaml_node_t *root = yaml_document_get_root_node(doc);
  if (!root || root->type != YAML_MAPPING_NODE)
    return NULL;
  for (yaml_node_pair_t *p = root->data.mapping.pairs.start; p < root->data.mapping.pairs.top;
       p++) {
    const yaml_node_t *k = yaml_document_get_node(doc, p->key);
    if (settings_is_scalar(k) && strcmp((const char *)k->data.scalar.value, name) == 0)
      return yaml_document_get_node(doc, p->value);
  }
  return NULL;
}

// Whether `rel` (`n` bytes, relative to `root`) is a directory of the vault.
static bool settings_is_dir(const char *root, const char *rel, size_t n) {
  KithBuf path = KITH_BUF_INIT;
  struct stat st;
  bool dir = kith_buf_printf(&path, "%s/%.*s", root, (int)n, rel) == 0 &&
             stat(path.data, &st) == 0 && S_ISDIR(st.st_mode);
  kith_buf_free(&path);
  return dir;
}

int settings_obsidian_read(KithSettings *s, const char *root) {
  yaml_document_t doc;
  int rc = 0;
  bool any = false;
  if (settings_load_json(root, "templates.json", &doc)) {
    const yaml_node_t *folder = settings_json_get(&doc, "folder");
    if (settings_is_scalar(folder) && folder->data.scalar.length > 0) {
      size_t before = s->ignore.count;
      rc |= settings_add_folder(&s->ignore, (const char *)folder->data.scalar.value,
                                folder->data.scalar.length);
      any |= s->ignore.count > before;
    }
    yaml_document_delete(&doc);
  }
  if (settings_load_json(root, "app.json", &doc)) {
    const yaml_node_t *filters = settings_json_get(&doc, "userIgnoreFilters");
    if (settings_is_strings(&doc, filters)) {
      for (yaml_node_item_t *i = filters->data.sequence.items.start;
           rc == 0 && i < filters->data.sequence.items.top; i++) {
        size_t n;
        const char *f = settings_scalar(yaml_document_get_node(&doc, *i), &n);
        // Folder paths only: not a /regex/, and a directory of the vault.
        if (n == 0 || f[0] == '/')
          continue;
        size_t trimmed = n;
        while (trimmed > 0 && f[trimmed - 1] == '/')
          trimmed--;
        if (trimmed > 0 && settings_is_dir(root, f, trimmed)) {
          rc |= settings_add_folder(&s->ignore, f, trimmed);
          any = true;
        }
      }
    }
    yaml_document_delete(&doc);
  }
  if (any && s->origin[KITH_SETTING_IGNORE] == KITH_FROM_DEFAULT)
    s->origin[KITH_SETTING_IGNORE] = KITH_FROM_OBSIDIAN;
  return rc;
}
