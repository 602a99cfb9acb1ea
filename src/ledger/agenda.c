#include "ledger/agenda.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

const char *kith_agenda_group_name(KithAgendaGroup group) {
  static const char *const names[] = {
      "followup-overdue", "followup-due", "birthday", "ask",
      "reach-out",        "give-first",   "owe",      "let-them-help"};
  return names[group];
}

// The header of a group in the text form.
static void agenda_header(char out[64], KithAgendaGroup group, int days) {
  static const char *const headers[] = {"Overdue follow-ups",
                                        "",
                                        "",
                                        "Open asks: what they need",
                                        "Reach out",
                                        "Give first",
                                        "Your turn to give",
                                        "Let them return the favour"};
  if (group == KITH_AGENDA_BIRTHDAY)
    snprintf(out, 64, "Birthdays in the next %d day%s", days, days == 1 ? "" : "s");
  else if (group != KITH_AGENDA_FOLLOWUP_DUE)
    snprintf(out, 64, "%s", headers[group]);
  else if (days == 0)
    snprintf(out, 64, "Follow-ups due today");
  else
    snprintf(out, 64, "Follow-ups due in the next %d day%s", days, days == 1 ? "" : "s");
}

static int agenda_cmp(const void *a, const void *b) {
  const KithAgendaItem *x = a, *y = b;
  if (x->group != y->group)
    return x->group < y->group ? -1 : 1;
  if (x->key != y->key)
    return x->key < y->key ? -1 : 1;
  int c = strcmp(x->contact->handle, y->contact->handle);
  if (c != 0)
    return c;
  if (x->at.note != y->at.note) // notes are in path order
    return x->at.note < y->at.note ? -1 : 1;
  return x->at.line < y->at.line ? -1 : x->at.line > y->at.line;
}

// Where a contact's line points: its first declaration, else its first counted interaction,
// else its first follow-up.
static KithLocation agenda_contact_at(const KithContact *c) {
  if (c->declared_count)
    return c->declared[0];
  if (c->interactions > 0)
    return c->first_item;
  if (c->followup_count)
    return c->followups[0].at;
  if (c->ask_count)
    return c->asks[0].at;
  return (KithLocation){UINT32_MAX, 0};
}

int kith_agenda_build(KithAgenda *agenda, const KithLedger *ledger, int days, int dates_days) {
  memset(agenda, 0, sizeof *agenda);
  agenda->options = ledger->options;
  agenda->days = days;
  agenda->dates_days = dates_days;
  size_t cap = ledger->count * 2;
  for (size_t i = 0; i < ledger->count; i++)
    cap += ledger->contacts[i].followup_count + ledger->contacts[i].ask_count;
  agenda->items = calloc(cap ? cap : 1, sizeof *agenda->items);
  if (!agenda->items)
    return -1;
  KithDay today = ledger->options.today;
  int64_t horizon = (int64_t)today + days;
  for (size_t i = 0; i < ledger->count; i++) {
    const KithContact *c = &ledger->contacts[i];
    for (uint32_t k = 0; k < c->followup_count; k++) {
      const KithFollowup *f = &c->followups[k];
      KithAgendaItem item = {KITH_AGENDA_FOLLOWUP_OVERDUE, c, f, f->at, f->day};
      if (f->overdue)
        agenda->items[agenda->count++] = item;
      else if (f->dated && f->day >= today && f->day <= horizon) {
        item.group = KITH_AGENDA_FOLLOWUP_DUE;
        agenda->items[agenda->count++] = item;
      }
    }
    if (c->birthday && c->birthday_in <= dates_days) {
      KithAgendaItem birthday = {KITH_AGENDA_BIRTHDAY, c, NULL, agenda_contact_at(c),
                                 c->birthday_in};
      agenda->items[agenda->count++] = birthday;
    }
    for (uint32_t k = 0; k < c->ask_count; k++) {
      const KithFollowup *a = &c->asks[k];
      agenda->items[agenda->count++] = (KithAgendaItem){KITH_AGENDA_ASK, c, a, a->at, a->day};
    }
    KithAgendaItem item = {KITH_AGENDA_REACH_OUT, c, NULL, agenda_contact_at(c), 0};
    switch (c->status) {
    case KITH_STATUS_DORMANT:
      item.key = c->due_in;
      break;
    case KITH_STATUS_NEW:
      item.group = KITH_AGENDA_GIVE_FIRST;
      break;
    case KITH_STATUS_OWE:
      item.group = KITH_AGENDA_OWE;
      item.key = c->gave - c->got;
      break;
    case KITH_STATUS_LET_THEM_HELP:
      item.group = KITH_AGENDA_LET_THEM_HELP;
      item.key = -c->gave;
      break;
    case KITH_STATUS_OK:
    case KITH_STATUS_OVERDUE: // only through its follow-ups
      continue;
    }
    agenda->items[agenda->count++] = item;
  }
  if (agenda->count > 1)
    qsort(agenda->items, agenda->count, sizeof *agenda->items, agenda_cmp);
  return 0;
}

void kith_agenda_free(KithAgenda *agenda) {
  free(agenda->items);
  memset(agenda, 0, sizeof *agenda);
}

static const char *agenda_plural(int64_t n) {
  return n == 1 || n == -1 ? "" : "s";
}

int kith_agenda_reason(KithBuf *out, const KithAgenda *agenda, const KithAgendaItem *item) {
  const KithContact *c = item->contact;
  KithDay today = agenda->options.today;
  switch (item->group) {
  case KITH_AGENDA_FOLLOWUP_OVERDUE: {
    int64_t late = (int64_t)today - item->followup->day;
    return kith_buf_printf(out, "%lld day%s overdue", (long long)late, agenda_plural(late));
  }
  case KITH_AGENDA_FOLLOWUP_DUE: {
    int64_t left = (int64_t)item->followup->day - today;
    if (left == 0)
      return kith_buf_puts(out, "due today");
    if (left == 1)
      return kith_buf_puts(out, "due tomorrow");
    return kith_buf_printf(out, "due in %lld days", (long long)left);
  }
  case KITH_AGENDA_BIRTHDAY: {
    int64_t in = c->birthday_in;
    int rc = in == 0   ? kith_buf_puts(out, "birthday today")
             : in == 1 ? kith_buf_puts(out, "birthday tomorrow")
                       : kith_buf_printf(out, "birthday in %lld days", (long long)in);
    if (c->age >= 0)
      rc |= kith_buf_printf(out, ", turns %d", c->age);
    return rc;
  }
  case KITH_AGENDA_ASK: {
    int64_t ago = (int64_t)today - item->followup->day;
    if (ago <= 0)
      return ago == 0 ? kith_buf_puts(out, "asked today")
                      : kith_buf_printf(out, "open ask dated in %lld day%s", (long long)-ago,
                                        agenda_plural(ago));
    return kith_buf_printf(out, "asked %lld day%s ago", (long long)ago, agenda_plural(ago));
  }
  case KITH_AGENDA_REACH_OUT: {
    int64_t every = kith_ledger_contact_every(c, &agenda->options);
    return kith_buf_printf(out, "last contact %lld day%s ago, every %lld day%s",
                           (long long)c->days_since_last, agenda_plural(c->days_since_last),
                           (long long)every, agenda_plural(every));
  }
  case KITH_AGENDA_GIVE_FIRST:
    return kith_buf_puts(out, "nothing exchanged yet");
  case KITH_AGENDA_OWE:
    return kith_buf_printf(out, "gave %lld, got %lld", (long long)c->gave, (long long)c->got);
  case KITH_AGENDA_LET_THEM_HELP:
    return kith_buf_printf(out, "gave %lld, got nothing yet", (long long)c->gave);
  }
  return -1;
}

// The date of an item: the follow-up's or ask's, the coming birthday, or the contact's last
// counted interaction's.
static bool agenda_day(const KithAgendaItem *item, KithDay *day) {
  if (item->group == KITH_AGENDA_BIRTHDAY) {
    *day = item->contact->birthday_next;
    return true;
  }
  if (item->followup) {
    *day = item->followup->day;
    return item->followup->dated;
  }
  *day = item->contact->last_day;
  return item->contact->interactions > 0;
}

int kith_agenda_json(KithBuf *out, const KithAgenda *agenda, const KithNoteSet *set) {
  char today[11];
  kith_date_format(agenda->options.today, today);
  int rc = kith_buf_printf(out, "{\"today\":\"%s\",\"items\":[", today);
  KithBuf reason = KITH_BUF_INIT;
  for (size_t i = 0; i < agenda->count; i++) {
    const KithAgendaItem *item = &agenda->items[i];
    KithDay day;
    bool dated = agenda_day(item, &day);
    rc |= kith_buf_printf(out, "%s{\"group\":\"%s\",\"handle\":", i ? "," : "",
                          kith_agenda_group_name(item->group));
    rc |= kith_report_json_string(out, item->contact->handle);
    rc |= kith_buf_puts(out, ",\"name\":");
    rc |= kith_report_json_string(out, item->contact->name);
    if (item->at.note == UINT32_MAX) {
      rc |= kith_buf_puts(out, ",\"path\":null,\"line\":null,\"date\":");
    } else {
      rc |= kith_buf_puts(out, ",\"path\":");
      rc |= kith_report_json_string(out, kith_report_path(set, item->at.note));
      rc |= kith_buf_printf(out, ",\"line\":%u,\"date\":", item->at.line);
    }
    rc |= kith_report_json_day(out, dated, day);
    rc |= kith_buf_puts(out, ",\"text\":");
    if (item->followup)
      rc |= kith_report_json_string(out, item->followup->text);
    else
      rc |= kith_buf_puts(out, "null");
    reason.len = 0;
    rc |= kith_agenda_reason(&reason, agenda, item);
    rc |= kith_buf_puts(out, ",\"reason\":");
    rc |= kith_report_json_string(out, reason.data ? reason.data : "");
    rc |= kith_buf_putc(out, '}');
  }
  kith_buf_free(&reason);
  rc |= kith_buf_puts(out, "]}\n");
  return rc ? -1 : 0;
}

// --- text --------------------------------------------------------------------------------

enum { AGENDA_COLUMNS = 5, AGENDA_WHAT_MAX = 40 };

// The cells of one line: date, @handle, what (follow-up text or name), reason, path:line.
static int agenda_cells(const KithAgenda *agenda, const KithAgendaItem *item,
                        const KithNoteSet *set, char cells[AGENDA_COLUMNS][256]) {
  KithDay day;
  if (agenda_day(item, &day))
    kith_date_format(day, cells[0]);
  else
    snprintf(cells[0], 256, "%s", item->followup ? "undated" : "");
  snprintf(cells[1], 256, "@%s", item->contact->handle);
  kith_report_clip(cells[2], 256, item->followup ? item->followup->text : item->contact->name,
                   AGENDA_WHAT_MAX);
  KithBuf reason = KITH_BUF_INIT;
  int rc = kith_agenda_reason(&reason, agenda, item);
  kith_report_clip(cells[3], 256, reason.data ? reason.data : "", 80);
  kith_buf_free(&reason);
  if (item->at.note == UINT32_MAX)
    cells[4][0] = '\0';
  else
    snprintf(cells[4], 256, "%s:%u", kith_report_path(set, item->at.note), item->at.line);
  return rc;
}

// Day names for the header (1970-01-01 was a Thursday).
static const char *agenda_weekday(KithDay day) {
  static const char *const names[] = {"Thursday", "Friday",  "Saturday", "Sunday",
                                      "Monday",   "Tuesday", "Wednesday"};
  return names[((day % 7) + 7) % 7];
}

int kith_agenda_text(KithBuf *out, const KithAgenda *agenda, const KithNoteSet *set) {
  char today[11];
  kith_date_format(agenda->options.today, today);
  int rc = kith_buf_printf(out, "Agenda for %s %s\n", agenda_weekday(agenda->options.today), today);
  if (agenda->count == 0) {
    rc |= kith_buf_puts(
        out, "\nNothing to do: no follow-up is due, nobody asked, and every contact is fine.\n");
    return rc ? -1 : 0;
  }
  // Date, handle and what line up across the agenda; the reason within its group.
  char cells[AGENDA_COLUMNS][256];
  size_t width[AGENDA_COLUMNS] = {0};
  size_t reason_width[KITH_AGENDA_LET_THEM_HELP + 1] = {0};
  for (size_t i = 0; i < agenda->count; i++) {
    rc |= agenda_cells(agenda, &agenda->items[i], set, cells);
    for (int k = 0; k < AGENDA_COLUMNS; k++) {
      size_t w = kith_report_width(cells[k]);
      size_t *slot = k == 3 ? &reason_width[agenda->items[i].group] : &width[k];
      if (w > *slot)
        *slot = w;
    }
  }
  for (size_t i = 0; i < agenda->count; i++) {
    const KithAgendaItem *item = &agenda->items[i];
    if (i == 0 || agenda->items[i - 1].group != item->group) {
      char header[64];
      agenda_header(header, item->group,
                    item->group == KITH_AGENDA_BIRTHDAY ? agenda->dates_days : agenda->days);
      rc |= kith_buf_printf(out, "\n%s\n", header);
    }
    rc |= agenda_cells(agenda, item, set, cells);
    rc |= kith_buf_puts(out, "  ");
    for (int k = 0; k < AGENDA_COLUMNS; k++) {
      bool last = k == AGENDA_COLUMNS - 1;
      size_t w = last ? 0 : k == 3 ? reason_width[item->group] : width[k];
      rc |= kith_report_cell(out, cells[k], w, false);
      rc |= kith_buf_puts(out, last ? "\n" : "  ");
    }
  }
  return rc ? -1 : 0;
}
