#include "ledger/activity.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

// What the build keeps per contact of the ledger while it walks the notes.
typedef struct {
  int64_t *cells; // gave, got, met: 3 × periods (NULL until an item falls in the range)
  int64_t opening;
  uint32_t items;
  bool wanted;
} ActivitySlot;

void kith_activity_label(const KithActivity *a, uint32_t i, char out[KITH_PERIOD_LABEL]) {
  kith_period_label(a->periods.unit, a->periods.first + (int32_t)i, out);
}

// Marks the contacts to report: every one, or those of options->handles.
static void activity_want(ActivitySlot *slots, const KithLedger *ledger,
                          const KithActivityOptions *o) {
  for (size_t i = 0; i < ledger->count; i++)
    slots[i].wanted = o->handle_count == 0;
  for (size_t i = 0; i < o->handle_count; i++) {
    const KithContact *c = kith_ledger_find(ledger, o->handles[i]);
    if (c)
      slots[c - ledger->contacts].wanted = true;
  }
}

// Which item a record is: its note, and its place there (line and column of an item naming its
// counterparties; the index of an item with wiki links).
typedef struct {
  size_t note;
  uint32_t line, column, linked;
} ActivityItem;

// Where the build is: the range's bounds, the slots of the ledger's contacts, and the item last
// counted.
typedef struct {
  KithActivity *a;
  const KithLedger *ledger;
  ActivitySlot *slots;
  const KithPeriods *periods;
  KithDay first, last, calendar_first;
  ActivityItem seen;
} ActivityWalk;

// Counts record `it` (borrowed) of item `at` for contact `handle` (borrowed). An item naming
// several contacts is one record per contact, one after the other: the calendar and the item
// count take it once. Returns 0 or -1.
static int activity_add(ActivityWalk *w, const char *handle, const KithInteraction *it,
                        ActivityItem at) {
  KithActivity *a = w->a;
  const KithContact *c = kith_ledger_find(w->ledger, handle);
  ActivitySlot *slot = c ? &w->slots[c - w->ledger->contacts] : NULL;
  if (!slot || !slot->wanted)
    return 0;
  bool again = at.note == w->seen.note && at.line == w->seen.line && at.column == w->seen.column &&
               at.linked == w->seen.linked;
  w->seen = at;
  if (it->day >= w->calendar_first && it->day <= a->calendar_end && !again)
    a->calendar[it->day - w->calendar_first]++;
  if (it->day < w->first) {
    slot->opening += (int64_t)it->gave - it->got;
    return 0;
  }
  if (it->day > w->last)
    return 0;
  uint32_t n = w->periods->count;
  if (!slot->cells && !(slot->cells = calloc(3 * (size_t)n, sizeof *slot->cells)))
    return -1;
  int32_t p = kith_periods_index(w->periods, it->day);
  slot->cells[p] += it->gave;
  slot->cells[n + p] += it->got;
  slot->cells[2 * n + p] += it->met;
  slot->items++;
  a->items += !again;
  return 0;
}

int kith_activity_build(KithActivity *a, const KithLedger *ledger, const KithNoteSet *set,
                        const KithActivityOptions *o) {
  memset(a, 0, sizeof *a);
  a->periods = o->periods;
  a->today = ledger->options.today;
  a->calendar_end = o->end < a->today ? o->end : a->today;
  uint32_t n = o->periods.count;
  ActivitySlot *slots = calloc(ledger->count + 1, sizeof *slots);
  a->gave = calloc(3 * (size_t)n, sizeof *a->gave);
  if (!slots || !a->gave)
    goto fail;
  a->got = a->gave + n;
  a->met = a->got + n;
  activity_want(slots, ledger, o);
  ActivityWalk w = {a,
                    ledger,
                    slots,
                    &o->periods,
                    kith_period_start(o->periods.unit, o->periods.first),
                    kith_period_end(o->periods.unit, o->periods.first + (int32_t)n - 1),
                    a->calendar_end - (KITH_ACTIVITY_DAYS - 1),
                    {SIZE_MAX, 0, 0, 0}};
  // The items of each note: those that name their counterparties, then those with wiki links,
  // whose counterparties the ledger resolved (its resolution lists them in note order).
  const KithResolution *links = &ledger->resolution;
  size_t party = 0;
  for (size_t k = 0; k < set->count; k++) {
    const KithNote *note = set->notes[k];
    for (uint32_t i = 0; note && i < note->interaction_count; i++) {
      const KithInteraction *it = &note->interactions[i];
      ActivityItem at = {k, it->line, it->column, UINT32_MAX};
      if (activity_add(&w, kith_note_str(note, it->handle), it, at) != 0)
        goto fail;
    }
    for (; party < links->party_count && links->parties[party].note <= k; party++) {
      const KithParty *p = &links->parties[party];
      if (p->note != k || !note || p->item >= note->linked_count ||
          !kith_linked_counted(&note->linked[p->item]))
        continue;
      ActivityItem at = {k, 0, 0, p->item};
      if (activity_add(&w, kith_resolution_str(links, p->handle), &note->linked[p->item].item,
                       at) != 0)
        goto fail;
    }
  }
  // Rows in the ledger's order, which is by handle.
  for (size_t i = 0; i < ledger->count; i++)
    a->row_count += slots[i].cells != NULL;
  a->rows = calloc(a->row_count + 1, sizeof *a->rows);
  if (!a->rows)
    goto fail;
  size_t r = 0;
  for (size_t i = 0; i < ledger->count; i++) {
    ActivitySlot *slot = &slots[i];
    if (!slot->cells)
      continue;
    KithActivityRow *row = &a->rows[r++];
    *row = (KithActivityRow){
        &ledger->contacts[i], slot->cells, slot->cells + n, slot->cells + 2 * n, 0, 0, 0,
        slot->opening,        slot->items};
    slot->cells = NULL; // the row owns them now
    for (uint32_t p = 0; p < n; p++) {
      row->total_gave += row->gave[p];
      row->total_got += row->got[p];
      row->total_met += row->met[p];
      a->gave[p] += row->gave[p];
      a->got[p] += row->got[p];
      a->met[p] += row->met[p];
    }
    a->total_gave += row->total_gave;
    a->total_got += row->total_got;
    a->total_met += row->total_met;
  }
  free(slots);
  return 0;
fail:
  for (size_t i = 0; slots && i < ledger->count; i++)
    free(slots[i].cells);
  free(slots);
  return -1;
}

void kith_activity_free(KithActivity *a) {
  for (size_t i = 0; i < a->row_count; i++)
    free(a->rows[i].gave);
  free(a->rows);
  free(a->gave);
  memset(a, 0, sizeof *a);
}

// --- JSON and CSV ---------------------------------------------------------------------------

static int activity_json_numbers(KithBuf *out, const int64_t *v, uint32_t n) {
  int rc = kith_buf_putc(out, '[');
  for (uint32_t i = 0; i < n; i++)
    rc |= kith_buf_printf(out, i ? ",%lld" : "%lld", (long long)v[i]);
  rc |= kith_buf_putc(out, ']');
  return rc;
}

int kith_activity_json(KithBuf *out, const KithActivity *a) {
  uint32_t n = a->periods.count;
  char today[11], label[KITH_PERIOD_LABEL];
  kith_date_format(a->today, today);
  int rc = kith_buf_printf(out, "{\"today\":\"%s\",\"by\":\"%s\",\"periods\":[", today,
                           kith_period_unit_name(a->periods.unit));
  for (uint32_t i = 0; i < n; i++) {
    kith_activity_label(a, i, label);
    rc |= kith_buf_printf(out, i ? ",\"%s\"" : "\"%s\"", label);
  }
  rc |= kith_buf_puts(out, "],\"rows\":[");
  for (size_t r = 0; r < a->row_count; r++) {
    const KithActivityRow *row = &a->rows[r];
    rc |= kith_buf_puts(out, r ? ",{\"handle\":" : "{\"handle\":");
    rc |= kith_report_json_string(out, row->contact->handle);
    rc |= kith_buf_puts(out, ",\"name\":");
    rc |= kith_report_json_string(out, row->contact->name);
    rc |= kith_buf_puts(out, ",\"gave\":");
    rc |= activity_json_numbers(out, row->gave, n);
    rc |= kith_buf_puts(out, ",\"got\":");
    rc |= activity_json_numbers(out, row->got, n);
    rc |= kith_buf_puts(out, ",\"met\":");
    rc |= activity_json_numbers(out, row->met, n);
    rc |= kith_buf_printf(out, ",\"total\":{\"gave\":%lld,\"got\":%lld,\"met\":%lld}}",
                          (long long)row->total_gave, (long long)row->total_got,
                          (long long)row->total_met);
  }
  rc |= kith_buf_puts(out, "],\"totals\":{\"gave\":");
  rc |= activity_json_numbers(out, a->gave, n);
  rc |= kith_buf_puts(out, ",\"got\":");
  rc |= activity_json_numbers(out, a->got, n);
  rc |= kith_buf_puts(out, ",\"met\":");
  rc |= activity_json_numbers(out, a->met, n);
  rc |= kith_buf_puts(out, "}}\n");
  return rc ? -1 : 0;
}

// Appends `s` as one CSV field: quoted, with `"` doubled, when it holds `"`, `,`, CR or LF.
static int activity_csv_field(KithBuf *out, const char *s) {
  if (!s[strcspn(s, "\",\r\n")])
    return kith_buf_puts(out, s);
  int rc = kith_buf_putc(out, '"');
  for (; *s; s++)
    rc |= *s == '"' ? kith_buf_puts(out, "\"\"") : kith_buf_putc(out, *s);
  rc |= kith_buf_putc(out, '"');
  return rc;
}

int kith_activity_csv(KithBuf *out, const KithActivity *a) {
  int rc = kith_buf_puts(out, "handle,name,period,gave,got,met\n");
  char label[KITH_PERIOD_LABEL];
  for (size_t r = 0; r < a->row_count; r++) {
    const KithActivityRow *row = &a->rows[r];
    for (uint32_t i = 0; i < a->periods.count; i++) {
      kith_activity_label(a, i, label);
      rc |= activity_csv_field(out, row->contact->handle);
      rc |= kith_buf_putc(out, ',');
      rc |= activity_csv_field(out, row->contact->name);
      rc |= kith_buf_printf(out, ",%s,%lld,%lld,%lld\n", label, (long long)row->gave[i],
                            (long long)row->got[i], (long long)row->met[i]);
    }
  }
  return rc ? -1 : 0;
}

// --- text -----------------------------------------------------------------------------------

enum { ACTIVITY_HANDLE_MAX = 24, ACTIVITY_CELL = 48 };

static void activity_pair(char out[ACTIVITY_CELL], int64_t gave, int64_t got) {
  snprintf(out, ACTIVITY_CELL, "%lld/%lld", (long long)gave, (long long)got);
}

// A period's cell: `gave/got`, or `-` when nothing at all happened in it.
static void activity_cell(char out[ACTIVITY_CELL], int64_t gave, int64_t got, int64_t met) {
  if (gave == 0 && got == 0 && met == 0)
    snprintf(out, ACTIVITY_CELL, "-");
  else
    activity_pair(out, gave, got);
}

static void activity_average(char out[ACTIVITY_CELL], int64_t gave, int64_t got, uint32_t n) {
  snprintf(out, ACTIVITY_CELL, "%.1f/%.1f", (double)gave / n, (double)got / n);
}

static void activity_balance(char out[ACTIVITY_CELL], int64_t balance) {
  if (balance == 0)
    snprintf(out, ACTIVITY_CELL, "±0");
  else
    snprintf(out, ACTIVITY_CELL, "%+lld", (long long)balance);
}

// The three closing cells of a line: Total, Average, Balance.
static void activity_closing(char cells[3][ACTIVITY_CELL], int64_t gave, int64_t got, uint32_t n) {
  activity_pair(cells[0], gave, got);
  activity_average(cells[1], gave, got, n);
  activity_balance(cells[2], gave - got);
}

static size_t activity_max(size_t a, size_t b) {
  return a > b ? a : b;
}

int kith_activity_text(KithBuf *out, const KithActivity *a, size_t width) {
  uint32_t n = a->periods.count;
  char first[KITH_PERIOD_LABEL], last[KITH_PERIOD_LABEL], today[11];
  kith_activity_label(a, 0, first);
  kith_activity_label(a, n - 1, last);
  kith_date_format(a->today, today);
  int rc;
  if (n == 1)
    rc = kith_buf_printf(out, "Gave/got in %s %s (today %s)\n",
                         kith_period_unit_name(a->periods.unit), first, today);
  else
    rc = kith_buf_printf(out, "Gave/got per %s, %s to %s (today %s)\n",
                         kith_period_unit_name(a->periods.unit), first, last, today);
  if (a->row_count == 0) {
    rc |= kith_buf_puts(out, "\nNo counted interaction in this range.\n");
    return rc ? -1 : 0;
  }
  size_t *col = calloc(n, sizeof *col);
  if (!col)
    return -1;
  static const char *const closing_header[3] = {"Total", "Average", "Balance"};
  size_t handle_w = 7; // "Contact"
  size_t closing_w[3];
  char cell[ACTIVITY_CELL], closing[3][ACTIVITY_CELL], label[KITH_PERIOD_LABEL];
  for (int k = 0; k < 3; k++)
    closing_w[k] = kith_report_width(closing_header[k]);
  for (uint32_t p = 0; p < n; p++) {
    kith_activity_label(a, p, label);
    col[p] = strlen(label);
    activity_cell(cell, a->gave[p], a->got[p], a->met[p]);
    col[p] = activity_max(col[p], strlen(cell));
  }
  for (size_t r = 0; r <= a->row_count; r++) {
    bool total = r == a->row_count;
    const KithActivityRow *row = total ? NULL : &a->rows[r];
    if (row) {
      size_t w = kith_report_width(row->contact->handle) + 1; // "@handle", clipped when long
      handle_w = activity_max(handle_w, w > ACTIVITY_HANDLE_MAX ? ACTIVITY_HANDLE_MAX : w);
      for (uint32_t p = 0; p < n; p++) {
        activity_cell(cell, row->gave[p], row->got[p], row->met[p]);
        col[p] = activity_max(col[p], strlen(cell));
      }
    }
    activity_closing(closing, total ? a->total_gave : row->total_gave,
                     total ? a->total_got : row->total_got, n);
    for (int k = 0; k < 3; k++)
      closing_w[k] = activity_max(closing_w[k], kith_report_width(closing[k]));
  }
  // Leave out the earliest periods until the table fits (at least one stays).
  size_t line_w = handle_w;
  for (int k = 0; k < 3; k++)
    line_w += 2 + closing_w[k];
  for (uint32_t p = 0; p < n; p++)
    line_w += 2 + col[p];
  uint32_t skip = 0;
  while (width && line_w > width && skip + 1 < n)
    line_w -= 2 + col[skip++];
  // Header.
  rc |= kith_buf_putc(out, '\n');
  rc |= kith_report_cell(out, "Contact", handle_w, false);
  for (uint32_t p = skip; p < n; p++) {
    kith_activity_label(a, p, label);
    rc |= kith_buf_puts(out, "  ");
    rc |= kith_report_cell(out, label, col[p], true);
  }
  for (int k = 0; k < 3; k++) {
    rc |= kith_buf_puts(out, "  ");
    rc |= kith_report_cell(out, closing_header[k], closing_w[k], true);
  }
  rc |= kith_buf_putc(out, '\n');
  // Rows, a rule, the Total row.
  for (size_t r = 0; r <= a->row_count; r++) {
    bool total = r == a->row_count;
    const KithActivityRow *row = total ? NULL : &a->rows[r];
    if (total) {
      for (size_t i = 0; i < line_w; i++)
        rc |= kith_buf_putc(out, '-');
      rc |= kith_buf_putc(out, '\n');
      rc |= kith_report_cell(out, "Total", handle_w, false);
    } else {
      char handle[ACTIVITY_HANDLE_MAX * 4 + 8], at[512];
      snprintf(at, sizeof at, "@%s", row->contact->handle);
      kith_report_clip(handle, sizeof handle, at, handle_w);
      rc |= kith_report_cell(out, handle, handle_w, false);
    }
    for (uint32_t p = skip; p < n; p++) {
      if (total)
        activity_cell(cell, a->gave[p], a->got[p], a->met[p]);
      else
        activity_cell(cell, row->gave[p], row->got[p], row->met[p]);
      rc |= kith_buf_puts(out, "  ");
      rc |= kith_report_cell(out, cell, col[p], true);
    }
    activity_closing(closing, total ? a->total_gave : row->total_gave,
                     total ? a->total_got : row->total_got, n);
    for (int k = 0; k < 3; k++) {
      rc |= kith_buf_puts(out, "  ");
      rc |= kith_report_cell(out, closing[k], closing_w[k], true);
    }
    rc |= kith_buf_putc(out, '\n');
  }
  if (skip > 0) {
    char left_first[KITH_PERIOD_LABEL], left_last[KITH_PERIOD_LABEL];
    kith_activity_label(a, 0, left_first);
    kith_activity_label(a, skip - 1, left_last);
    size_t full = line_w;
    for (uint32_t p = 0; p < skip; p++)
      full += 2 + col[p];
    if (skip == 1)
      rc |= kith_buf_printf(out, "\n%s is left out to fit %zu columns; --width %zu shows it.\n",
                            left_first, width, full);
    else
      rc |= kith_buf_printf(out,
                            "\n%s to %s (%u %ss) are left out to fit %zu columns; --width %zu "
                            "shows them.\n",
                            left_first, left_last, skip, kith_period_unit_name(a->periods.unit),
                            width, full);
    rc |= kith_buf_printf(out, "Total and Average count every %s of the range.\n",
                          kith_period_unit_name(a->periods.unit));
  }
  free(col);
  return rc ? -1 : 0;
}
