#include "ledger/history.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static int history_push(KithHistory *h, size_t *cap, uint32_t note, const KithInteraction *it,
                        bool planned) {
  if (h->count == *cap) {
    size_t next = *cap ? *cap * 2 : 16;
    KithHistoryItem *grown = realloc(h->items, next * sizeof *grown);
    if (!grown)
      return -1;
    h->items = grown;
    *cap = next;
  }
  h->items[h->count++] = (KithHistoryItem){note, it, planned};
  return 0;
}

// Newest first (undated follow-ups before everything), then path (notes are in path order),
// then line.
static int history_cmp(const void *a, const void *b) {
  const KithHistoryItem *x = a, *y = b;
  if (x->it->dated != y->it->dated)
    return x->it->dated ? 1 : -1;
  if (x->it->dated && x->it->day != y->it->day)
    return x->it->day > y->it->day ? -1 : 1;
  if (x->note != y->note)
    return x->note < y->note ? -1 : 1;
  return x->it->line < y->it->line ? -1 : x->it->line > y->it->line;
}

int kith_history_build(KithHistory *history, const KithLedger *ledger, const KithNoteSet *set,
                       const char *handle) {
  memset(history, 0, sizeof *history);
  history->options = ledger->options;
  char lower[256];
  if (handle[0] == '@')
    handle++;
  size_t n = strlen(handle);
  if (n == 0 || n >= sizeof lower)
    return -2;
  for (size_t i = 0; i <= n; i++)
    lower[i] = (handle[i] >= 'A' && handle[i] <= 'Z') ? (char)(handle[i] - 'A' + 'a') : handle[i];
  history->contact = kith_ledger_find(ledger, lower);
  if (!history->contact)
    return -2;
  size_t cap = 0;
  for (size_t f = 0; f < set->count; f++) {
    const KithNote *note = set->notes[f];
    for (uint32_t i = 0; note && i < note->interaction_count + note->followup_count; i++) {
      bool planned = i >= note->interaction_count;
      const KithInteraction *it =
          planned ? &note->followups[i - note->interaction_count] : &note->interactions[i];
      if (strcmp(kith_note_str(note, it->handle), lower) == 0 &&
          history_push(history, &cap, (uint32_t)f, it, planned) != 0)
        return -1;
    }
  }
  // Items with wiki links, whose counterparties the ledger resolved.
  const KithResolution *r = &ledger->resolution;
  for (size_t p = 0; p < r->party_count; p++) {
    const KithParty *party = &r->parties[p];
    const KithNote *note = party->note < set->count ? set->notes[party->note] : NULL;
    if (!note || strcmp(kith_resolution_str(r, party->handle), lower) != 0)
      continue;
    const KithLinked *l = &note->linked[party->item];
    if (!l->planned && !kith_linked_counted(l))
      continue; // an ask alone (v3): not an interaction
    if (history_push(history, &cap, party->note, &l->item, l->planned) != 0)
      return -1;
  }
  if (history->count > 1)
    qsort(history->items, history->count, sizeof *history->items, history_cmp);
  return 0;
}

void kith_history_free(KithHistory *history) {
  free(history->items);
  memset(history, 0, sizeof *history);
}

static const char *history_text(const KithNoteSet *set, const KithHistoryItem *item) {
  return kith_note_str(set->notes[item->note], item->it->text);
}

int kith_history_json(KithBuf *out, const KithHistory *history, const KithNoteSet *set) {
  const KithContact *c = history->contact;
  int rc = kith_buf_puts(out, "{\"handle\":");
  rc |= kith_report_json_string(out, c->handle);
  rc |= kith_buf_puts(out, ",\"name\":");
  rc |= kith_report_json_string(out, c->name);
  rc |= kith_buf_puts(out, ",\"items\":[");
  for (size_t i = 0; i < history->count; i++) {
    const KithHistoryItem *item = &history->items[i];
    rc |= kith_buf_puts(out, i ? ",{\"path\":" : "{\"path\":");
    rc |= kith_report_json_string(out, kith_report_path(set, item->note));
    rc |= kith_buf_printf(out, ",\"line\":%u,\"date\":", item->it->line);
    rc |= kith_report_json_day(out, item->it->dated, item->it->day);
    rc |= kith_buf_printf(
        out, ",\"gave\":%u,\"got\":%u,\"met\":%u,\"planned\":%s,\"text\":", item->it->gave,
        item->it->got, item->it->met, item->planned ? "true" : "false");
    rc |= kith_report_json_string(out, history_text(set, item));
    rc |= kith_buf_putc(out, '}');
  }
  rc |= kith_buf_puts(out, "]}\n");
  return rc ? -1 : 0;
}

// --- text --------------------------------------------------------------------------------

// The summary above the items: what was exchanged, when, and what to do.
static int history_summary(KithBuf *out, const KithHistory *history) {
  const KithContact *c = history->contact;
  int rc = kith_buf_printf(out, "%s @%s\n", c->name, c->handle);
  if (c->interactions > 0) {
    char last[11];
    kith_date_format(c->last_day, last);
    int64_t balance = c->gave - c->got;
    rc |= kith_buf_printf(out,
                          "gave %lld, got %lld, met %lld (balance %s%lld) in %lld "
                          "interaction%s; last %s, %lld day%s ago",
                          (long long)c->gave, (long long)c->got, (long long)c->met,
                          balance > 0    ? "+"
                          : balance == 0 ? "±"
                                         : "",
                          (long long)balance, (long long)c->interactions,
                          c->interactions == 1 ? "" : "s", last, (long long)c->days_since_last,
                          c->days_since_last == 1 ? "" : "s");
  } else {
    rc |= kith_buf_puts(out, "no counted interaction yet");
  }
  if (c->cadence_days)
    rc |=
        kith_buf_printf(out, "; every %u day%s", c->cadence_days, c->cadence_days == 1 ? "" : "s");
  if (c->followup_count)
    rc |= kith_buf_printf(out, "; %u open follow-up%s", c->followup_count,
                          c->followup_count == 1 ? "" : "s");
  if (c->overdue)
    rc |= kith_buf_printf(out, ", %u overdue", c->overdue);
  const char *hint = kith_report_hint(c->status);
  rc |= kith_buf_printf(out, "\nstatus: %s%s%s%s\n", kith_status_name(c->status), hint ? " (" : "",
                        hint ? hint : "", hint ? ")" : "");
  return rc;
}

enum { HISTORY_COLUMNS = 5, HISTORY_TEXT_MAX = 60 };

// The cells of one item: task box, date, what was exchanged, text, path:line.
static void history_cells(const KithHistoryItem *item, const KithNoteSet *set,
                          char cells[HISTORY_COLUMNS][256]) {
  const KithInteraction *it = item->it;
  snprintf(cells[0], 256, "%s", item->planned ? "[ ]" : "");
  if (it->dated)
    kith_date_format(it->day, cells[1]);
  else
    snprintf(cells[1], 256, "undated");
  size_t n = 0;
  cells[2][0] = '\0';
  const struct {
    const char *what;
    uint32_t count;
  } kinds[] = {{"gave", it->gave}, {"got", it->got}, {"met", it->met}};
  for (size_t k = 0; k < 3; k++) {
    if (kinds[k].count && n < 200)
      n += (size_t)snprintf(cells[2] + n, 256 - n, "%s%s %u", n ? ", " : "", kinds[k].what,
                            kinds[k].count);
  }
  kith_report_clip(cells[3], 256, history_text(set, item), HISTORY_TEXT_MAX);
  snprintf(cells[4], 256, "%s:%u", kith_report_path(set, item->note), it->line);
}

int kith_history_text(KithBuf *out, const KithHistory *history, const KithNoteSet *set) {
  int rc = history_summary(out, history);
  if (history->count == 0)
    return rc ? -1 : 0;
  char cells[HISTORY_COLUMNS][256];
  size_t width[HISTORY_COLUMNS] = {0};
  for (size_t i = 0; i < history->count; i++) {
    history_cells(&history->items[i], set, cells);
    for (int k = 0; k < HISTORY_COLUMNS; k++) {
      size_t w = kith_report_width(cells[k]);
      if (w > width[k])
        width[k] = w;
    }
  }
  rc |= kith_buf_putc(out, '\n');
  for (size_t i = 0; i < history->count; i++) {
    history_cells(&history->items[i], set, cells);
    rc |= kith_buf_puts(out, "  ");
    for (int k = 0; k < HISTORY_COLUMNS; k++) {
      bool last = k == HISTORY_COLUMNS - 1;
      if (k == 0 && width[0] == 0)
        continue; // no follow-up: no task box column
      rc |= kith_report_cell(out, cells[k], last ? 0 : width[k], false);
      rc |= kith_buf_puts(out, last ? "\n" : "  ");
    }
  }
  return rc ? -1 : 0;
}
