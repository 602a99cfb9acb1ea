#include "ledger/report.h"

#include <stdio.h>
#include <string.h>

#include "base/utf8.h"

int kith_report_json_string(KithBuf *out, const char *s) {
  size_t len = strlen(s);
  if (kith_buf_putc(out, '"') != 0)
    return -1;
  for (size_t i = 0; i < len;) {
    unsigned char c = (unsigned char)s[i];
    size_t step = 1;
    int rc;
    if (c >= 0x80) {
      // JSON is UTF-8: a valid sequence is copied, an invalid one becomes one U+FFFD.
      int n = kith_utf8_next(s + i, len - i);
      step = (size_t)(n > 0 ? n : -n);
      rc = n > 0 ? kith_buf_append(out, s + i, step) : kith_buf_puts(out, "\xEF\xBF\xBD");
    } else if (c == '"' || c == '\\') {
      rc = kith_buf_putc(out, '\\') || kith_buf_putc(out, (char)c);
    } else if (c == '\n') {
      rc = kith_buf_puts(out, "\\n");
    } else if (c == '\t') {
      rc = kith_buf_puts(out, "\\t");
    } else if (c == '\r') {
      rc = kith_buf_puts(out, "\\r");
    } else if (c < 0x20) {
      rc = kith_buf_printf(out, "\\u%04x", c);
    } else {
      rc = kith_buf_putc(out, (char)c);
    }
    if (rc != 0)
      return -1;
    i += step;
  }
  return kith_buf_putc(out, '"');
}

const char *kith_report_path(const KithNoteSet *set, uint32_t note) {
  return set && note < set->count ? set->paths[note] : "";
}

int kith_report_json_day(KithBuf *out, bool valid, KithDay day) {
  if (!valid)
    return kith_buf_puts(out, "null");
  char date[11];
  kith_date_format(day, date);
  return kith_buf_printf(out, "\"%s\"", date);
}

// (v3) The fields of a contact about what to give: asks, birthday, snooze, introductions.
static int report_contact_v3_json(KithBuf *out, const KithContact *c, const KithNoteSet *set) {
  int rc = kith_buf_puts(out, ",\"asks\":[");
  for (uint32_t i = 0; i < c->ask_count; i++) {
    const KithFollowup *a = &c->asks[i];
    rc |= kith_buf_puts(out, i ? ",{\"path\":" : "{\"path\":");
    rc |= kith_report_json_string(out, kith_report_path(set, a->at.note));
    rc |= kith_buf_printf(out, ",\"line\":%u,\"date\":", a->at.line);
    rc |= kith_report_json_day(out, a->dated, a->day);
    rc |= kith_buf_puts(out, ",\"text\":");
    rc |= kith_report_json_string(out, a->text);
    rc |= kith_buf_putc(out, '}');
  }
  if (c->birthday) {
    char birthday[11];
    kith_birthday_format(c->birthday, birthday);
    rc |= kith_buf_printf(out, "],\"birthday\":\"%s\",\"birthday_in\":%lld", birthday,
                          (long long)c->birthday_in);
    if (c->age >= 0)
      rc |= kith_buf_printf(out, ",\"age\":%d", c->age);
    else
      rc |= kith_buf_puts(out, ",\"age\":null");
  } else {
    rc |= kith_buf_puts(out, "],\"birthday\":null,\"birthday_in\":null,\"age\":null");
  }
  rc |= kith_buf_puts(out, ",\"snoozed_until\":");
  rc |= kith_report_json_day(out, c->snoozing, c->snooze);
  rc |= kith_buf_puts(out, ",\"introduced\":[");
  for (uint32_t i = 0; i < c->introduced_count; i++) {
    const KithIntroduction *in = &c->introduced[i];
    rc |= kith_buf_puts(out, i ? ",{\"handle\":" : "{\"handle\":");
    rc |= kith_report_json_string(out, in->handle);
    rc |= kith_buf_puts(out, ",\"date\":");
    rc |= kith_report_json_day(out, true, in->day);
    rc |= kith_buf_puts(out, ",\"path\":");
    rc |= kith_report_json_string(out, kith_report_path(set, in->at.note));
    rc |= kith_buf_printf(out, ",\"line\":%u}", in->at.line);
  }
  rc |= kith_buf_putc(out, ']');
  return rc ? -1 : 0;
}

static int report_contact_json(KithBuf *out, const KithContact *c, const KithNoteSet *set) {
  bool any = c->interactions > 0;
  int rc = 0;
  rc |= kith_buf_puts(out, "{\"handle\":");
  rc |= kith_report_json_string(out, c->handle);
  rc |= kith_buf_puts(out, ",\"name\":");
  rc |= kith_report_json_string(out, c->name);
  rc |= kith_buf_printf(out,
                        ",\"gave\":%lld,\"got\":%lld,\"met\":%lld,\"balance\":%lld,"
                        "\"interactions\":%lld,\"first_date\":",
                        (long long)c->gave, (long long)c->got, (long long)c->met,
                        (long long)(c->gave - c->got), (long long)c->interactions);
  rc |= kith_report_json_day(out, any, c->first_day);
  rc |= kith_buf_puts(out, ",\"last_date\":");
  rc |= kith_report_json_day(out, any, c->last_day);
  if (any)
    rc |= kith_buf_printf(out, ",\"days_since_last\":%lld", (long long)c->days_since_last);
  else
    rc |= kith_buf_puts(out, ",\"days_since_last\":null");
  const char *move = kith_first_move_name(c->first_move);
  if (move)
    rc |= kith_buf_printf(out, ",\"first_move\":\"%s\"", move);
  else
    rc |= kith_buf_puts(out, ",\"first_move\":null");
  if (c->cadence_days)
    rc |= kith_buf_printf(out, ",\"cadence_days\":%u", c->cadence_days);
  else
    rc |= kith_buf_puts(out, ",\"cadence_days\":null");
  if (any)
    rc |= kith_buf_printf(out, ",\"due_in\":%lld", (long long)c->due_in);
  else
    rc |= kith_buf_puts(out, ",\"due_in\":null");
  rc |= kith_buf_printf(out, ",\"status\":\"%s\",\"declared\":[", kith_status_name(c->status));
  for (uint32_t i = 0; i < c->declared_count; i++) {
    const KithLocation *at = &c->declared[i];
    rc |= kith_buf_puts(out, i ? ",{\"path\":" : "{\"path\":");
    rc |= kith_report_json_string(out, kith_report_path(set, at->note));
    rc |= kith_buf_printf(out, ",\"line\":%u}", at->line);
  }
  rc |= kith_buf_puts(out, "],\"followups\":[");
  for (uint32_t i = 0; i < c->followup_count; i++) {
    const KithFollowup *f = &c->followups[i];
    rc |= kith_buf_puts(out, i ? ",{\"path\":" : "{\"path\":");
    rc |= kith_report_json_string(out, kith_report_path(set, f->at.note));
    rc |= kith_buf_printf(out, ",\"line\":%u,\"date\":", f->at.line);
    rc |= kith_report_json_day(out, f->dated, f->day);
    rc |= kith_buf_puts(out, ",\"text\":");
    rc |= kith_report_json_string(out, f->text);
    rc |= kith_buf_printf(out, ",\"overdue\":%s}", f->overdue ? "true" : "false");
  }
  rc |= kith_buf_puts(out, "]");
  rc |= report_contact_v3_json(out, c, set);
  rc |= kith_buf_puts(out, "}");
  return rc ? -1 : 0;
}

// One diagnostic on its way out: to a JSON array or to `path:line:col:` lines.
typedef int (*ReportEmit)(KithBuf *out, const char *path, const KithDiagnostic *d,
                          const char *message, bool first);

// Calls `emit` for every diagnostic of `set` in path, line and column order: each note's own,
// merged with what `ledger` (may be NULL) adds to it (the notes are in path order, each list in
// line and column order). `*errors` gets the number of errors. Returns 0 or -1.
static int report_each_diagnostic(KithBuf *out, const KithNoteSet *set, const KithLedger *ledger,
                                  size_t *errors, ReportEmit emit) {
  int rc = 0;
  bool first = true;
  *errors = 0;
  for (size_t n = 0; n < set->count; n++) {
    const KithNote *note = set->notes[n];
    size_t extra = 0, i = 0, k = 0;
    const KithLedgerDiagnostic *more =
        ledger ? kith_resolution_diagnostics(&ledger->resolution, (uint32_t)n, &extra) : NULL;
    uint32_t own = note ? note->diagnostic_count : 0;
    while (i < own || k < extra) {
      const KithDiagnostic *d = i < own ? &note->diagnostics[i] : NULL;
      const KithDiagnostic *e = k < extra ? &more[k].at : NULL;
      bool take_own =
          d && (!e || d->line < e->line || (d->line == e->line && d->column <= e->column));
      const KithDiagnostic *next = take_own ? d : e;
      const char *message = take_own ? kith_note_str(note, d->message)
                                     : kith_resolution_str(&ledger->resolution, e->message);
      take_own ? i++ : k++;
      if (next->severity == KITH_SEVERITY_ERROR)
        (*errors)++;
      rc |= emit(out, set->paths[n], next, message, first);
      first = false;
    }
  }
  return rc ? -1 : 0;
}

static int report_emit_json(KithBuf *out, const char *path, const KithDiagnostic *d,
                            const char *message, bool first) {
  int rc = kith_buf_puts(out, first ? "{\"path\":" : ",{\"path\":");
  rc |= kith_report_json_string(out, path);
  rc |= kith_buf_printf(out, ",\"line\":%u,\"column\":%u,\"severity\":\"%s\",\"message\":", d->line,
                        d->column, kith_severity_name(d->severity));
  rc |= kith_report_json_string(out, message);
  rc |= kith_buf_putc(out, '}');
  return rc;
}

static int report_emit_text(KithBuf *out, const char *path, const KithDiagnostic *d,
                            const char *message, bool first) {
  (void)first;
  return kith_buf_printf(out, "%s:%u:%u: %s: %s\n", path, d->line, d->column,
                         kith_severity_name(d->severity), message);
}

// Appends the diagnostics array (sorted by path, line, column).
static int report_diagnostics_json(KithBuf *out, const KithNoteSet *set, const KithLedger *ledger,
                                   size_t *errors) {
  int rc = kith_buf_putc(out, '[');
  rc |= report_each_diagnostic(out, set, ledger, errors, report_emit_json);
  rc |= kith_buf_putc(out, ']');
  return rc ? -1 : 0;
}

int kith_report_balances_json(KithBuf *out, const KithLedger *ledger, const KithNoteSet *set) {
  char today[11];
  size_t errors;
  kith_date_format(ledger->options.today, today);
  int rc = kith_buf_printf(out, "{\"today\":\"%s\",\"contacts\":[", today);
  for (size_t i = 0; i < ledger->count; i++) {
    if (i)
      rc |= kith_buf_putc(out, ',');
    rc |= report_contact_json(out, &ledger->contacts[i], set);
  }
  rc |= kith_buf_puts(out, "],\"diagnostics\":");
  rc |= report_diagnostics_json(out, set, ledger, &errors);
  rc |= kith_buf_puts(out, "}\n");
  return rc ? -1 : 0;
}

int kith_report_check_json(KithBuf *out, const KithNoteSet *set, const KithLedger *ledger,
                           size_t *errors) {
  int rc = kith_buf_puts(out, "{\"diagnostics\":");
  rc |= report_diagnostics_json(out, set, ledger, errors);
  rc |= kith_buf_puts(out, "}\n");
  return rc ? -1 : 0;
}

int kith_report_check_text(KithBuf *out, const KithNoteSet *set, const KithLedger *ledger,
                           size_t *errors) {
  return report_each_diagnostic(out, set, ledger, errors, report_emit_text);
}

const char *kith_report_hint(KithStatus status) {
  switch (status) {
  case KITH_STATUS_NEW:
    return "give first";
  case KITH_STATUS_DORMANT:
    return "dormant — reach out";
  case KITH_STATUS_OWE:
    return "your turn to give";
  case KITH_STATUS_LET_THEM_HELP:
    return "let them return the favour";
  case KITH_STATUS_OVERDUE:
    return "follow-up overdue";
  case KITH_STATUS_OK:
    break;
  }
  return NULL;
}

// The balance signed as SPEC §5 writes it: +3, -1, ±0.
static void report_signed(char out[32], int64_t balance) {
  if (balance == 0)
    snprintf(out, 32, "±0");
  else
    snprintf(out, 32, "%+lld", (long long)balance);
}

// (v3) How far off a birthday is in an annotation: `birthday today`, `birthday in 3d`.
enum { REPORT_BIRTHDAY_DAYS = 7 };

size_t kith_report_annotation_parts(const KithContact *c, const KithAnnotationStyle *style,
                                    KithAnnotationPart parts[KITH_ANNOTATION_PARTS]) {
  size_t n = 0;
  bool ascii = style->ascii;
  const char *hint = kith_report_hint(c->status);
  char due_hint[32];
  if (!hint && c->snoozing) {
    // (v3) Snoozed: no due hint, the date it wakes up instead.
    char date[11];
    kith_date_format(c->snooze, date);
    snprintf(due_hint, sizeof due_hint, "snoozed to %s", date);
    hint = due_hint;
  } else if (!hint && style->due && c->interactions > 0 && c->due_in >= 0 &&
             c->due_in <= style->due_days) {
    if (c->due_in == 0)
      snprintf(due_hint, sizeof due_hint, "due today");
    else
      snprintf(due_hint, sizeof due_hint, "due in %lldd", (long long)c->due_in);
    hint = due_hint;
  }
  if (c->status != KITH_STATUS_NEW && !(c->status == KITH_STATUS_OVERDUE && c->interactions == 0)) {
    char signed_balance[32];
    report_signed(signed_balance, c->gave - c->got);
    parts[n].kind = KITH_PART_GAVE;
    snprintf(parts[n++].text, sizeof parts->text, "%s%lld", ascii ? "gave " : "↑",
             (long long)c->gave);
    parts[n].kind = KITH_PART_BALANCE;
    snprintf(parts[n++].text, sizeof parts->text, " ");
    parts[n].kind = KITH_PART_GOT;
    snprintf(parts[n++].text, sizeof parts->text, "%s%lld", ascii ? "got " : "↓",
             (long long)c->got);
    parts[n].kind = KITH_PART_BALANCE;
    snprintf(parts[n++].text, sizeof parts->text, " ");
    parts[n].kind = KITH_PART_BALANCE;
    snprintf(parts[n++].text, sizeof parts->text, "%s · %lldd", signed_balance,
             (long long)c->days_since_last);
  }
  if (hint) {
    parts[n].kind = KITH_PART_HINT;
    snprintf(parts[n].text, sizeof parts->text, "%s%s", n ? " · " : "", hint);
    n++;
  }
  if (c->open_asks > 0) { // (v3)
    parts[n].kind = KITH_PART_HINT;
    snprintf(parts[n].text, sizeof parts->text, "%s%u open ask%s", n ? " · " : "", c->open_asks,
             c->open_asks == 1 ? "" : "s");
    n++;
  }
  if (c->birthday && c->birthday_in <= REPORT_BIRTHDAY_DAYS) { // (v3)
    parts[n].kind = KITH_PART_HINT;
    if (c->birthday_in == 0)
      snprintf(parts[n].text, sizeof parts->text, "%sbirthday today", n ? " · " : "");
    else
      snprintf(parts[n].text, sizeof parts->text, "%sbirthday in %lldd", n ? " · " : "",
               (long long)c->birthday_in);
    n++;
  }
  return n;
}

bool kith_report_sparkline(char out[KITH_SPARKLINE_SIZE], const KithContact *c, bool ascii) {
  static const char *const bars[] = {"▁", "▂", "▃", "▄", "▅", "▆", "▇", "█"};
  static const char steps[] = "_.-=#";
  uint32_t most = 0;
  for (int i = 0; i < KITH_LEDGER_MONTHS; i++)
    most = c->months[i] > most ? c->months[i] : most;
  out[0] = '\0';
  if (most == 0)
    return false;
  uint32_t levels = ascii ? 5 : 8;
  size_t n = 0;
  for (int i = 0; i < KITH_LEDGER_MONTHS; i++) {
    uint32_t count = c->months[i];
    // 1..levels, the busiest month the top one; any month with an item at least the lowest.
    uint32_t level = count == 0 ? 0 : (uint32_t)(((uint64_t)count * levels + most - 1) / most);
    if (level == 0) {
      out[n++] = ' ';
    } else if (ascii) {
      out[n++] = steps[level - 1];
    } else {
      memcpy(out + n, bars[level - 1], 3); // U+2581..U+2588: 3 bytes each
      n += 3;
    }
  }
  out[n] = '\0';
  return true;
}

int kith_report_annotation(KithBuf *out, const KithContact *c, const KithAnnotationStyle *style) {
  KithAnnotationPart parts[KITH_ANNOTATION_PARTS];
  size_t n = kith_report_annotation_parts(c, style, parts);
  int rc = 0;
  for (size_t i = 0; i < n; i++)
    rc |= kith_buf_puts(out, parts[i].text);
  return rc ? -1 : 0;
}

size_t kith_report_width(const char *s) {
  size_t w = 0;
  for (; *s; s++) {
    if (((unsigned char)*s & 0xC0) != 0x80)
      w++;
  }
  return w;
}

void kith_report_clip(char *dst, size_t size, const char *s, size_t columns) {
  if (size == 0)
    return;
  size_t total = kith_report_width(s);
  bool cut = total > columns;
  size_t keep = cut ? (columns > 0 ? columns - 1 : 0) : total; // characters kept
  size_t n = 0;
  for (size_t w = 0; s[n] && w < keep; w++) {
    n++;
    while (((unsigned char)s[n] & 0xC0) == 0x80)
      n++;
  }
  size_t extra = cut ? 3 : 0; // "…" is 3 bytes
  while (n > 0 && n + extra + 1 > size) {
    do
      n--;
    while (n > 0 && ((unsigned char)s[n] & 0xC0) == 0x80);
  }
  memcpy(dst, s, n);
  if (cut && n + extra + 1 <= size) {
    memcpy(dst + n, "…", 3);
    n += 3;
  }
  dst[n] = '\0';
}

int kith_report_cell(KithBuf *out, const char *s, size_t width, bool right) {
  size_t w = kith_report_width(s);
  size_t pad = width > w ? width - w : 0;
  int rc = 0;
  if (right)
    rc |= kith_buf_printf(out, "%*s", (int)pad, "");
  rc |= kith_buf_puts(out, s);
  if (!right)
    rc |= kith_buf_printf(out, "%*s", (int)pad, "");
  return rc;
}

enum { REPORT_COLUMNS = 10 };

// One row of the table as strings in `cells` (each at most 255 bytes + NUL).
static void report_row(const KithContact *c, char cells[REPORT_COLUMNS][256]) {
  char first[11] = "-", last[11] = "-";
  if (c->interactions > 0) {
    kith_date_format(c->first_day, first);
    kith_date_format(c->last_day, last);
  }
  report_signed(cells[4], c->gave - c->got);
  snprintf(cells[0], 256, "@%s", c->handle);
  kith_report_clip(cells[1], 256, c->name, SIZE_MAX); // whole characters only
  snprintf(cells[2], 256, "%lld", (long long)c->gave);
  snprintf(cells[3], 256, "%lld", (long long)c->got);
  snprintf(cells[5], 256, "%lld", (long long)c->met);
  snprintf(cells[6], 256, "%lld", (long long)c->interactions);
  snprintf(cells[7], 256, "%s", last);
  if (c->interactions > 0)
    snprintf(cells[8], 256, "%lld", (long long)c->days_since_last);
  else
    snprintf(cells[8], 256, "-");
  const char *hint = kith_report_hint(c->status);
  snprintf(cells[9], 256, "%s%s%s", kith_status_name(c->status), hint ? " (" : "",
           hint ? hint : "");
  if (hint)
    strncat(cells[9], ")", 255 - strlen(cells[9]));
}

enum { REPORT_UNREADABLE_NAMED = 5 };

// The footer of the table: `2 notes could not be read (see kith check): a.md, b.md`, naming at
// most REPORT_UNREADABLE_NAMED; nothing when every note was read.
static int report_unreadable_text(KithBuf *out, const KithNoteSet *set) {
  size_t count = 0;
  for (size_t n = 0; n < set->count; n++)
    count += set->notes[n] && set->notes[n]->unreadable;
  if (count == 0)
    return 0;
  int rc = kith_buf_printf(out, "\n%zu note%s could not be read (see kith check): ", count,
                           count == 1 ? "" : "s");
  size_t named = 0;
  for (size_t n = 0; n < set->count && named < REPORT_UNREADABLE_NAMED; n++) {
    if (set->notes[n] && set->notes[n]->unreadable)
      rc |= kith_buf_printf(out, "%s%s", named++ ? ", " : "", set->paths[n]);
  }
  if (count > named)
    rc |= kith_buf_printf(out, " and %zu more", count - named);
  rc |= kith_buf_putc(out, '\n');
  return rc;
}

int kith_report_balances_text(KithBuf *out, const KithLedger *ledger, const KithNoteSet *set) {
  static const char *const header[REPORT_COLUMNS] = {"HANDLE", "NAME",  "GAVE", "GOT",  "BALANCE",
                                                     "MET",    "ITEMS", "LAST", "DAYS", "STATUS"};
  static const bool right[REPORT_COLUMNS] = {false, false, true,  true, true,
                                             true,  true,  false, true, false};
  size_t width[REPORT_COLUMNS];
  char cells[REPORT_COLUMNS][256];
  for (int k = 0; k < REPORT_COLUMNS; k++)
    width[k] = kith_report_width(header[k]);
  for (size_t i = 0; i < ledger->count; i++) {
    report_row(&ledger->contacts[i], cells);
    for (int k = 0; k < REPORT_COLUMNS; k++) {
      size_t w = kith_report_width(cells[k]);
      if (w > width[k])
        width[k] = w;
    }
  }
  int rc = 0;
  for (int k = 0; k < REPORT_COLUMNS; k++) {
    rc |= kith_report_cell(out, header[k], k == REPORT_COLUMNS - 1 ? 0 : width[k], right[k]);
    rc |= kith_buf_puts(out, k == REPORT_COLUMNS - 1 ? "\n" : "  ");
  }
  for (size_t i = 0; i < ledger->count; i++) {
    report_row(&ledger->contacts[i], cells);
    for (int k = 0; k < REPORT_COLUMNS; k++) {
      rc |= kith_report_cell(out, cells[k], k == REPORT_COLUMNS - 1 ? 0 : width[k], right[k]);
      rc |= kith_buf_puts(out, k == REPORT_COLUMNS - 1 ? "\n" : "  ");
    }
  }
  rc |= report_unreadable_text(out, set);
  return rc ? -1 : 0;
}
