#include "ledger/template.h"

#include <dirent.h>
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "ledger/agenda.h"

extern const char kith_embedded_template_reflection[];
extern const char kith_embedded_template_contact[];
extern const char kith_embedded_template_meeting[];
extern const char kith_embedded_template_review[];

static const struct {
  const char *name;
  const char *text;
} template_builtins[] = {
    {"contact", kith_embedded_template_contact},
    {"meeting", kith_embedded_template_meeting},
    {"reflection", kith_embedded_template_reflection},
    {"review", kith_embedded_template_review},
};

enum { TEMPLATE_BUILTINS = sizeof template_builtins / sizeof template_builtins[0] };

// Template names are plain file stems: no path separators, no leading dot.
static bool template_name_ok(const char *name) {
  return *name && name[0] != '.' && !strchr(name, '/') && strlen(name) < 128;
}

// Loads the text of template `name` into `out`. Returns 0, or -1 when there is none.
static int template_load(KithBuf *out, const char *name, const char *dir) {
  if (!template_name_ok(name))
    return -1;
  if (dir && *dir) {
    KithBuf path = KITH_BUF_INIT;
    kith_buf_printf(&path, "%s/%s.md", dir, name);
    int rc = path.data ? kith_buf_read_file(out, path.data) : -ENOMEM;
    kith_buf_free(&path);
    if (rc == 0)
      return 0;
    out->len = 0;
  }
  for (size_t i = 0; i < TEMPLATE_BUILTINS; i++) {
    if (strcmp(template_builtins[i].name, name) == 0)
      return kith_buf_puts(out, template_builtins[i].text);
  }
  return -1;
}

// --- the review lists ------------------------------------------------------------------

typedef struct {
  const KithContact *contact;
  int64_t key;
} TemplatePick;

static int template_cmp_pick(const void *a, const void *b) {
  const TemplatePick *x = a, *y = b;
  if (x->key != y->key)
    return x->key < y->key ? -1 : 1;
  return strcmp(x->contact->handle, y->contact->handle);
}

// Appends `- @handle …` lines for contacts of `status`, most pressing first.
static int template_list_status(KithBuf *out, const KithTemplateVars *vars, KithStatus status,
                                const char *indent) {
  const KithLedger *ledger = vars->ledger;
  size_t n = 0;
  TemplatePick *picks = NULL;
  if (ledger && ledger->count) {
    picks = calloc(ledger->count, sizeof *picks);
    if (!picks)
      return -1;
    for (size_t i = 0; i < ledger->count; i++) {
      const KithContact *c = &ledger->contacts[i];
      if (c->status != status)
        continue;
      int64_t key = status == KITH_STATUS_DORMANT ? -c->days_since_last
                    : status == KITH_STATUS_OWE   ? c->gave - c->got
                                                  : -c->gave;
      picks[n++] = (TemplatePick){c, key};
    }
    qsort(picks, n, sizeof *picks, template_cmp_pick);
  }
  int rc = 0;
  for (size_t i = 0; i < n; i++) {
    const KithContact *c = picks[i].contact;
    char last[11];
    kith_date_format(c->last_day, last);
    rc |= kith_buf_printf(out, "%s- @%s (%s): ", indent, c->handle, c->name);
    if (status == KITH_STATUS_DORMANT)
      rc |= kith_buf_printf(out, "last seen %s, %lld days ago — reach out\n", last,
                            (long long)c->days_since_last);
    else if (status == KITH_STATUS_OWE)
      rc |= kith_buf_printf(out, "gave %lld, got %lld — your turn to give\n", (long long)c->gave,
                            (long long)c->got);
    else
      rc |= kith_buf_printf(out, "gave %lld, got nothing yet — let them return the favour\n",
                            (long long)c->gave);
  }
  if (n == 0)
    rc |= kith_buf_printf(out, "%s- none\n", indent);
  free(picks);
  return rc ? -1 : 0;
}

// Appends this week's (today - 6 .. today) gives or receives, by date then path.
static int template_list_week(KithBuf *out, const KithTemplateVars *vars, bool gives,
                              const char *indent) {
  int rc = 0;
  size_t n = 0;
  const KithNoteSet *set = vars->notes;
  for (KithDay day = vars->today - 6; set && day <= vars->today; day++) {
    for (size_t f = 0; f < set->count; f++) {
      const KithNote *note = set->notes[f];
      for (uint32_t i = 0; note && i < note->interaction_count; i++) {
        const KithInteraction *it = &note->interactions[i];
        uint32_t weight = gives ? it->gave : it->got;
        if (it->day != day || weight == 0)
          continue;
        char date[11];
        kith_date_format(day, date);
        rc |= kith_buf_printf(out, "%s- %s @%s %s %u (%s:%u)\n", indent, date,
                              kith_note_str(note, it->handle), gives ? "gave" : "got", weight,
                              set->paths[f], it->line);
        n++;
      }
    }
  }
  if (n == 0)
    rc |= kith_buf_printf(out, "%s- none\n", indent);
  return rc ? -1 : 0;
}

// Appends the agenda's items of groups `first` .. `last`, in agenda order: follow-ups overdue or
// due within the next 7 days, (v3) open asks oldest first, birthdays within dates_days.
static int template_list_agenda(KithBuf *out, const KithTemplateVars *vars, KithAgendaGroup first,
                                KithAgendaGroup last, const char *indent) {
  KithAgenda agenda;
  size_t n = 0;
  int rc = 0;
  if (vars->ledger) {
    if (kith_agenda_build(&agenda, vars->ledger, 7, vars->dates_days) != 0)
      return -1;
    KithBuf reason = KITH_BUF_INIT;
    for (size_t i = 0; i < agenda.count; i++) {
      const KithAgendaItem *item = &agenda.items[i];
      if (item->group < first || item->group > last)
        continue;
      const KithContact *c = item->contact;
      char date[11];
      kith_date_format(item->followup ? item->followup->day : c->birthday_next, date);
      reason.len = 0;
      rc |= kith_agenda_reason(&reason, &agenda, item);
      rc |= kith_buf_printf(out, "%s- %s @%s (%s): ", indent, date, c->handle, c->name);
      if (item->followup)
        rc |= kith_buf_printf(out, "%s — ", item->followup->text);
      rc |= kith_buf_printf(out, "%s (%s:%u)\n", reason.data ? reason.data : "",
                            kith_report_path(vars->notes, item->at.note), item->at.line);
      n++;
    }
    kith_buf_free(&reason);
    kith_agenda_free(&agenda);
  }
  if (n == 0)
    rc |= kith_buf_printf(out, "%s- none\n", indent);
  return rc ? -1 : 0;
}

// The `}}` closing a placeholder in line[from..len), or NULL.
static const char *template_find_close(const char *line, size_t from, size_t len) {
  for (size_t i = from; i + 1 < len; i++) {
    if (line[i] == '}' && line[i + 1] == '}')
      return line + i;
  }
  return NULL;
}

// --- expansion ---------------------------------------------------------------------------

typedef enum {
  TEMPLATE_UNKNOWN,
  TEMPLATE_DATE,
  TEMPLATE_HANDLE,
  TEMPLATE_NAME,
  TEMPLATE_DORMANT,
  TEMPLATE_OWE,
  TEMPLATE_LET_THEM_HELP,
  TEMPLATE_GIVES,
  TEMPLATE_RECEIVES,
  TEMPLATE_FOLLOWUPS,
  TEMPLATE_ASKS,
  TEMPLATE_BIRTHDAYS,
} TemplateSlot;

static TemplateSlot template_slot(const char *s, size_t n) {
  static const char *const names[] = {"",         "date",      "handle",        "name",
                                      "dormant",  "owe",       "let_them_help", "gives",
                                      "receives", "followups", "asks",          "birthdays"};
  for (size_t i = 1; i < sizeof names / sizeof *names; i++) {
    if (strlen(names[i]) == n && memcmp(names[i], s, n) == 0)
      return (TemplateSlot)i;
  }
  return TEMPLATE_UNKNOWN;
}

static bool template_is_list(TemplateSlot slot) {
  return slot >= TEMPLATE_DORMANT;
}

static int template_list(KithBuf *out, const KithTemplateVars *vars, TemplateSlot slot,
                         const char *indent) {
  switch (slot) {
  case TEMPLATE_DORMANT:
    return template_list_status(out, vars, KITH_STATUS_DORMANT, indent);
  case TEMPLATE_OWE:
    return template_list_status(out, vars, KITH_STATUS_OWE, indent);
  case TEMPLATE_LET_THEM_HELP:
    return template_list_status(out, vars, KITH_STATUS_LET_THEM_HELP, indent);
  case TEMPLATE_GIVES:
    return template_list_week(out, vars, true, indent);
  case TEMPLATE_RECEIVES:
    return template_list_week(out, vars, false, indent);
  case TEMPLATE_FOLLOWUPS:
    return template_list_agenda(out, vars, KITH_AGENDA_FOLLOWUP_OVERDUE, KITH_AGENDA_FOLLOWUP_DUE,
                                indent);
  case TEMPLATE_ASKS:
    return template_list_agenda(out, vars, KITH_AGENDA_ASK, KITH_AGENDA_ASK, indent);
  case TEMPLATE_BIRTHDAYS:
    return template_list_agenda(out, vars, KITH_AGENDA_BIRTHDAY, KITH_AGENDA_BIRTHDAY, indent);
  default:
    return -1;
  }
}

// Expands one line (without its newline) into `out`. Returns 0, -1 out of memory, -2 with
// `*error` set on a bad placeholder.
static int template_line(KithBuf *out, const char *line, size_t len, const char *name,
                         size_t lineno, const KithTemplateVars *vars, char **error) {
  // A list placeholder alone on its line (after indentation) becomes lines of its own.
  size_t lead = 0;
  while (lead < len && (line[lead] == ' ' || line[lead] == '\t'))
    lead++;
  size_t tail = len;
  while (tail > lead && (line[tail - 1] == ' ' || line[tail - 1] == '\t' || line[tail - 1] == '\r'))
    tail--;
  if (tail - lead > 4 && memcmp(line + lead, "{{", 2) == 0 &&
      memcmp(line + tail - 2, "}}", 2) == 0) {
    TemplateSlot slot = template_slot(line + lead + 2, tail - lead - 4);
    if (template_is_list(slot)) {
      char indent[64];
      size_t k = lead < sizeof indent - 1 ? lead : sizeof indent - 1;
      memcpy(indent, line, k);
      indent[k] = '\0';
      return template_list(out, vars, slot, indent);
    }
  }
  for (size_t i = 0; i < len; i++) {
    const char *close;
    if (line[i] != '{' || i + 1 >= len || line[i + 1] != '{' ||
        !(close = template_find_close(line, i + 2, len))) {
      if (kith_buf_putc(out, line[i]) != 0)
        return -1;
      continue;
    }
    const char *key = line + i + 2;
    size_t key_len = (size_t)(close - key);
    TemplateSlot slot = template_slot(key, key_len);
    char date[11];
    const char *value = NULL;
    switch (slot) {
    case TEMPLATE_DATE:
      kith_date_format(vars->today, date);
      value = date;
      break;
    case TEMPLATE_HANDLE:
      value = vars->handle;
      break;
    case TEMPLATE_NAME:
      value = vars->name ? vars->name : vars->handle;
      break;
    case TEMPLATE_UNKNOWN: {
      KithBuf msg = KITH_BUF_INIT;
      kith_buf_printf(&msg, "template '%s' line %zu: unknown placeholder {{%.*s}}", name, lineno,
                      (int)key_len, key);
      *error = kith_buf_take(&msg);
      return -2;
    }
    default: {
      KithBuf list = KITH_BUF_INIT;
      if (template_list(&list, vars, slot, "") != 0) {
        kith_buf_free(&list);
        return -1;
      }
      // Inline use: the list items joined on one line.
      for (size_t k = 0; k < list.len; k++) {
        if (list.data[k] == '\n')
          list.data[k] = k + 1 < list.len ? ';' : '\0';
      }
      int rc = kith_buf_puts(out, list.data ? list.data : "");
      kith_buf_free(&list);
      if (rc != 0)
        return -1;
      i = (size_t)(close - line) + 1;
      continue;
    }
    }
    if (!value) {
      KithBuf msg = KITH_BUF_INIT;
      kith_buf_printf(&msg, "template '%s' line %zu: {{%.*s}} needs a contact (give a handle)",
                      name, lineno, (int)key_len, key);
      *error = kith_buf_take(&msg);
      return -2;
    }
    if (kith_buf_puts(out, value) != 0)
      return -1;
    i = (size_t)(close - line) + 1;
  }
  return kith_buf_putc(out, '\n');
}

int kith_template_render(KithBuf *out, const char *name, const char *dir,
                         const KithTemplateVars *vars, char **error) {
  KithBuf text = KITH_BUF_INIT;
  KithBuf result = KITH_BUF_INIT;
  int rc = 0;
  if (template_load(&text, name, dir) != 0) {
    KithBuf msg = KITH_BUF_INIT;
    kith_buf_printf(&msg, "unknown template '%s'", name);
    *error = kith_buf_take(&msg);
    rc = -1;
    goto done;
  }
  const char *s = text.data ? text.data : "";
  size_t lineno = 1;
  while (*s) {
    const char *nl = strchr(s, '\n');
    size_t len = nl ? (size_t)(nl - s) : strlen(s);
    rc = template_line(&result, s, len, name, lineno, vars, error);
    if (rc == -1) {
      *error = strdup("out of memory");
      goto done;
    }
    if (rc != 0)
      goto done;
    s += len + (nl ? 1 : 0);
    lineno++;
  }
  rc = kith_buf_append(out, result.data ? result.data : "", result.len);
done:
  kith_buf_free(&text);
  kith_buf_free(&result);
  return rc;
}

static int template_cmp_name(const void *a, const void *b) {
  return strcmp(*(char *const *)a, *(char *const *)b);
}

int kith_template_list(KithBuf *out, const char *dir) {
  char *names[512];
  size_t n = 0;
  int rc = 0;
  for (size_t i = 0; i < TEMPLATE_BUILTINS; i++)
    names[n++] = strdup(template_builtins[i].name);
  DIR *d = dir && *dir ? opendir(dir) : NULL;
  struct dirent *ent;
  while (d && (ent = readdir(d)) != NULL && n < sizeof names / sizeof *names) {
    size_t len = strlen(ent->d_name);
    if (ent->d_name[0] == '.' || len <= 3 || strcmp(ent->d_name + len - 3, ".md") != 0)
      continue;
    char *stem = strdup(ent->d_name);
    if (stem)
      stem[len - 3] = '\0';
    bool dup = false;
    for (size_t i = 0; stem && i < n; i++)
      dup |= names[i] && strcmp(names[i], stem) == 0;
    if (dup)
      free(stem);
    else
      names[n++] = stem;
  }
  if (d)
    closedir(d);
  qsort(names, n, sizeof *names, template_cmp_name);
  for (size_t i = 0; i < n; i++) {
    rc |= names[i] ? kith_buf_printf(out, "%s\n", names[i]) : -1;
    free(names[i]);
  }
  return rc ? -1 : 0;
}
