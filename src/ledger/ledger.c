#include "ledger/ledger.h"

#include <stdlib.h>
#include <string.h>

#include "ledger/pairs.h"
#include "notes/entry.h"

void kith_ledger_options_default(KithLedgerOptions *options) {
  options->today = kith_date_today();
  options->dormant_days = 90;
  options->accept_help_after = 3;
}

static uint64_t ledger_hash(const char *s) {
  uint64_t h = 1469598103934665603ull; // FNV-1a
  for (; *s; s++) {
    h ^= (unsigned char)*s;
    h *= 1099511628211ull;
  }
  return h;
}

// A slot of contact `index` whose handle hashes to `h`.
static uint64_t ledger_slot(uint64_t h, size_t index) {
  return (h & 0xFFFFFFFF00000000u) | ((uint64_t)index + 1);
}

// Rebuilds the hash slots for the current contacts. Returns 0 or -1.
static int ledger_rehash(KithLedger *ledger, size_t slot_count) {
  uint64_t *slots = calloc(slot_count, sizeof *slots);
  if (!slots)
    return -1;
  free(ledger->slots);
  ledger->slots = slots;
  ledger->slot_count = slot_count;
  for (size_t i = 0; i < ledger->count; i++) {
    uint64_t h = ledger_hash(ledger->contacts[i].handle);
    size_t s = h & (slot_count - 1);
    while (slots[s])
      s = (s + 1) & (slot_count - 1);
    slots[s] = ledger_slot(h, i);
  }
  return 0;
}

const KithContact *kith_ledger_find(const KithLedger *ledger, const char *handle) {
  if (!ledger->slot_count)
    return NULL;
  uint64_t h = ledger_hash(handle);
  size_t s = h & (ledger->slot_count - 1);
  for (uint64_t slot; (slot = ledger->slots[s]) != 0; s = (s + 1) & (ledger->slot_count - 1)) {
    if ((slot >> 32) != (h >> 32))
      continue;
    const KithContact *c = &ledger->contacts[(uint32_t)slot - 1];
    if (strcmp(c->handle, handle) == 0)
      return c;
  }
  return NULL;
}

// The contact for `handle` (borrowed), added when missing. NULL when out of memory.
static KithContact *ledger_upsert(KithLedger *ledger, const char *handle) {
  KithContact *found = (KithContact *)kith_ledger_find(ledger, handle);
  if (found)
    return found;
  if ((ledger->count + 1) * 2 > ledger->slot_count &&
      ledger_rehash(ledger, ledger->slot_count ? ledger->slot_count * 2 : 256) != 0)
    return NULL;
  if (ledger->count == ledger->cap) {
    size_t cap = ledger->cap ? ledger->cap * 2 : 64;
    KithContact *grown = realloc(ledger->contacts, cap * sizeof *grown);
    if (!grown)
      return NULL;
    ledger->contacts = grown;
    ledger->cap = cap;
  }
  KithContact *c = &ledger->contacts[ledger->count];
  memset(c, 0, sizeof *c);
  c->handle = strdup(handle);
  if (!c->handle)
    return NULL;
  uint64_t h = ledger_hash(handle);
  size_t s = h & (ledger->slot_count - 1);
  while (ledger->slots[s])
    s = (s + 1) & (ledger->slot_count - 1);
  ledger->slots[s] = ledger_slot(h, ledger->count++);
  return c;
}

static int ledger_declare(KithContact *c, uint32_t note, uint32_t line, const char *name) {
  if (c->declared_count == c->declared_cap) {
    uint32_t cap = c->declared_cap ? c->declared_cap * 2 : 2;
    KithLocation *grown = realloc(c->declared, cap * sizeof *grown);
    if (!grown)
      return -1;
    c->declared = grown;
    c->declared_cap = cap;
  }
  c->declared[c->declared_count++] = (KithLocation){note, line};
  if (!c->name) {
    c->name = strdup(name);
    if (!c->name)
      return -1;
  }
  return 0;
}

// Counts `day` in the month it falls in, when that is one of the months `c` keeps.
static void ledger_month(KithContact *c, KithDay day, KithDay today) {
  if (day > today || day < today - 31 * KITH_LEDGER_MONTHS)
    return; // cheap bounds first: most items are older
  int y, m, d, ty, tm;
  kith_date_to_civil(day, &y, &m, &d);
  kith_date_to_civil(today, &ty, &tm, &d);
  int back = (ty * 12 + tm) - (y * 12 + m);
  if (back >= 0 && back < KITH_LEDGER_MONTHS)
    c->months[KITH_LEDGER_MONTHS - 1 - back]++;
}

void kith_ledger_contact_add(KithContact *c, uint32_t note, const KithInteraction *it,
                             const KithLedgerOptions *o) {
  ledger_month(c, it->day, o->today);
  if (c->interactions == 0)
    c->first_day = c->last_day = it->day;
  // The earliest-placed item (a note's linked items come after its other items).
  if (c->interactions == 0 || note < c->first_item.note ||
      (note == c->first_item.note && it->line < c->first_item.line))
    c->first_item = (KithLocation){note, it->line};
  c->interactions++;
  c->gave += it->gave;
  c->got += it->got;
  c->met += it->met;
  if (it->day < c->first_day)
    c->first_day = it->day;
  if (it->day > c->last_day)
    c->last_day = it->day;
  if (it->gave == 0 && it->got == 0)
    return;
  if (!c->has_move || it->day < c->move_day) {
    c->has_move = true;
    c->move_day = it->day;
    c->move_gave = c->move_got = false;
  }
  if (it->day == c->move_day) {
    c->move_gave |= it->gave > 0;
    c->move_got |= it->got > 0;
  }
}

void kith_ledger_contact_add_followup(KithContact *c, const KithInteraction *f,
                                      const KithLedgerOptions *o) {
  if (f->dated && f->day < o->today)
    c->overdue++;
}

// Keeps a copy of follow-up or ask `f` (borrowed, from note number `note`, whose strings are
// `from`) in `*list`.
static int ledger_keep(KithFollowup **list, uint32_t *count, uint32_t *cap, uint32_t note,
                       const KithNote *from, const KithInteraction *f, KithDay today) {
  if (*count == *cap) {
    uint32_t grown_cap = *cap ? *cap * 2 : 2;
    KithFollowup *grown = realloc(*list, grown_cap * sizeof *grown);
    if (!grown)
      return -1;
    *list = grown;
    *cap = grown_cap;
  }
  char *text = strdup(kith_note_str(from, f->text));
  if (!text)
    return -1;
  bool overdue = f->dated && f->day < today;
  (*list)[(*count)++] =
      (KithFollowup){{note, f->line}, f->dated ? f->day : 0, f->dated, overdue, text};
  return 0;
}

static int ledger_followup(KithContact *c, uint32_t note, const KithNote *from,
                           const KithInteraction *f, const KithLedgerOptions *o) {
  if (ledger_keep(&c->followups, &c->followup_count, &c->followup_cap, note, from, f, o->today))
    return -1;
  kith_ledger_contact_add_followup(c, f, o);
  return 0;
}

// (v3) An open ask of `c`; asks are always dated.
static int ledger_ask(KithContact *c, uint32_t note, const KithNote *from, const KithInteraction *a,
                      const KithLedgerOptions *o) {
  if (ledger_keep(&c->asks, &c->ask_count, &c->ask_cap, note, from, a, o->today) != 0)
    return -1;
  c->open_asks++;
  return 0;
}

// Follow-ups by date (undated last), then path (the notes are in path order) and line.
static int ledger_cmp_followup(const void *a, const void *b) {
  const KithFollowup *x = a, *y = b;
  if (x->dated != y->dated)
    return x->dated ? -1 : 1;
  if (x->dated && x->day != y->day)
    return x->day < y->day ? -1 : 1;
  if (x->at.note != y->at.note)
    return x->at.note < y->at.note ? -1 : 1;
  return x->at.line < y->at.line ? -1 : x->at.line > y->at.line;
}

bool kith_ledger_contact_snoozed(const KithContact *c, KithDay today) {
  return c->snoozed && c->snooze > today;
}

int64_t kith_ledger_contact_every(const KithContact *c, const KithLedgerOptions *o) {
  return c->cadence_days ? (int64_t)c->cadence_days : (int64_t)o->dormant_days;
}

void kith_ledger_contact_finish(KithContact *c, const KithLedgerOptions *o) {
  if (!c->has_move)
    c->first_move = KITH_FIRST_MOVE_NONE;
  else if (c->move_gave && c->move_got)
    c->first_move = KITH_FIRST_MOVE_BOTH;
  else
    c->first_move = c->move_gave ? KITH_FIRST_MOVE_YOU : KITH_FIRST_MOVE_THEM;
  c->days_since_last = 0;
  c->due_in = 0;
  int64_t every = kith_ledger_contact_every(c, o);
  if (c->interactions > 0) {
    int64_t days = (int64_t)o->today - c->last_day;
    c->days_since_last = days > 0 ? days : 0;
    c->due_in = every - c->days_since_last;
  }
  c->snoozing = kith_ledger_contact_snoozed(c, o->today);
  c->birthday_next = 0;
  c->birthday_in = 0;
  c->age = -1;
  if (c->birthday) {
    kith_birthday_next(c->birthday, o->today, &c->birthday_next, &c->age);
    c->birthday_in = (int64_t)c->birthday_next - o->today;
  }
  int64_t balance = c->gave - c->got;
  if (c->overdue > 0)
    c->status = KITH_STATUS_OVERDUE;
  else if (c->interactions == 0)
    c->status = KITH_STATUS_NEW;
  else if (c->days_since_last > every && !c->snoozing)
    c->status = KITH_STATUS_DORMANT;
  else if (balance < 0)
    c->status = KITH_STATUS_OWE;
  else if (c->got == 0 && c->gave >= o->accept_help_after)
    c->status = KITH_STATUS_LET_THEM_HELP;
  else
    c->status = KITH_STATUS_OK;
}

static int ledger_cmp(const void *a, const void *b) {
  const KithContact *x = a, *y = b;
  return strcmp(x->handle, y->handle);
}

// --- building ------------------------------------------------------------------------------

// A display name, a file name or an alias.
static int ledger_name_class(KithNameKind kind) {
  return kind == KITH_NAME_NOTE ? KITH_NAME_HEADING : (int)kind;
}

// Gives each contact the names a wiki link may use for it (one per key and class).
static int ledger_names(KithLedger *ledger) {
  const KithNames *names = &ledger->names;
  for (uint32_t i = 0; i < names->count; i++) {
    const KithName *name = &names->names[i];
    KithContact *c = (KithContact *)kith_ledger_find(ledger, kith_names_str(names, name->handle));
    if (!c)
      continue; // declared only in the overlay
    bool seen = false;
    for (uint32_t k = 0; k < c->name_count && !seen; k++) {
      const KithName *had = &names->names[c->names[k]];
      seen = had->key == name->key && ledger_name_class(had->kind) == ledger_name_class(name->kind);
    }
    if (seen)
      continue;
    if (c->name_count == c->name_cap) {
      uint32_t cap = c->name_cap ? c->name_cap * 2 : 4;
      uint32_t *grown = realloc(c->names, cap * sizeof *grown);
      if (!grown)
        return -1;
      c->names = grown;
      c->name_cap = cap;
    }
    c->names[c->name_count++] = i;
  }
  return 0;
}

static int ledger_cmp_str(const void *a, const void *b) {
  return strcmp(*(const char *const *)a, *(const char *const *)b);
}

// (v3) The names meetings give undeclared contacts (SPEC §1 v3): an entry of a people property
// that names no declared contact is the contact whose handle is derived from it; when no note
// declares that handle, the entry's text becomes a name of it, for wiki links too. Each
// note's people are those of its first linked item that has any. Returns 0 or -1.
static int ledger_meeting_names(KithLedger *ledger, const KithNoteSet *set) {
  size_t count = 0, at = 0;
  for (size_t n = 0; n < set->count; n++)
    count += set->notes[n] ? set->notes[n]->heading_count : 0;
  const char **declared = malloc((count ? count : 1) * sizeof *declared);
  if (!declared)
    return -1;
  for (size_t n = 0; n < set->count; n++) {
    const KithNote *note = set->notes[n];
    for (uint32_t i = 0; note && i < note->heading_count; i++)
      declared[at++] = kith_note_str(note, note->headings[i].handle);
  }
  qsort(declared, count, sizeof *declared, ledger_cmp_str);
  int rc = 0;
  for (size_t n = 0; n < set->count && rc == 0; n++) {
    const KithNote *note = set->notes[n];
    if (!note || !note->meeting)
      continue;
    const KithLinked *with = NULL;
    for (uint32_t i = 0; i < note->linked_count && !with; i++)
      with = note->linked[i].people > 0 ? &note->linked[i] : NULL;
    for (uint32_t k = 0; with && k < with->people && rc == 0; k++) {
      const KithRef *ref = &note->refs[with->refs + with->run + k];
      if (ref->name == UINT32_MAX || ref->derived == UINT32_MAX)
        continue;
      const char *key = kith_note_str(note, ref->key);
      const KithNameKey *known = kith_names_find(&ledger->names, key, strlen(key));
      if (known && kith_names_declared_handles(&ledger->names, known, NULL, 0) > 0)
        continue; // names a declared contact (or several)
      const char *handle = kith_note_str(note, ref->derived);
      if (bsearch(&handle, declared, count, sizeof *declared, ledger_cmp_str))
        continue;
      rc = kith_names_add_meeting(&ledger->names, (uint32_t)n, set->paths ? set->paths[n] : "",
                                  kith_note_str(note, ref->name), handle, ref->line);
    }
  }
  free(declared);
  return rc;
}

// (v3) Records that `c` was introduced to `other` (borrowed) by the item at `at`.
static int ledger_introduced(KithContact *c, const char *other, KithDay day, KithLocation at) {
  if (c->introduced_count == c->introduced_cap) {
    uint32_t cap = c->introduced_cap ? c->introduced_cap * 2 : 2;
    KithIntroduction *grown = realloc(c->introduced, cap * sizeof *grown);
    if (!grown)
      return -1;
    c->introduced = grown;
    c->introduced_cap = cap;
  }
  char *handle = strdup(other);
  if (!handle)
    return -1;
  c->introduced[c->introduced_count++] = (KithIntroduction){handle, day, at};
  return 0;
}

// (v3) An introduction (kith_pairs_walk): each of its contacts was introduced to every other.
static int ledger_introductions(void *data, const KithPairItem *item) {
  KithLedger *ledger = data;
  if (!item->intro)
    return 0;
  for (size_t i = 0; i < item->count; i++) {
    KithContact *c = (KithContact *)kith_ledger_find(ledger, item->handles[i]);
    for (size_t k = 0; c && k < item->count; k++) {
      if (k != i && ledger_introduced(c, item->handles[k], item->day,
                                      (KithLocation){item->note, item->line}) != 0)
        return -1;
    }
  }
  return 0;
}

// Introductions by date, then handle, then path and line.
static int ledger_cmp_introduction(const void *a, const void *b) {
  const KithIntroduction *x = a, *y = b;
  if (x->day != y->day)
    return x->day < y->day ? -1 : 1;
  int c = strcmp(x->handle, y->handle);
  if (c != 0)
    return c;
  if (x->at.note != y->at.note)
    return x->at.note < y->at.note ? -1 : 1;
  return x->at.line < y->at.line ? -1 : x->at.line > y->at.line;
}

int kith_ledger_build(KithLedger *ledger, const KithNoteSet *set, size_t overlay,
                      const KithLedgerOptions *options) {
  memset(ledger, 0, sizeof *ledger);
  ledger->options = *options;
  for (size_t n = 0; n < set->count; n++) {
    const KithNote *note = set->notes[n];
    const char *path = set->paths ? set->paths[n] : "";
    if (note && kith_names_add_note(&ledger->names, (uint32_t)n, path, note) != 0)
      goto fail;
  }
  if (ledger_meeting_names(ledger, set) != 0)
    goto fail;
  for (size_t n = 0; n < set->count; n++) {
    const KithNote *note = set->notes[n];
    if (!note || n == overlay)
      continue;
    for (uint32_t i = 0; i < note->heading_count; i++) {
      const KithHeading *h = &note->headings[i];
      KithContact *c = ledger_upsert(ledger, kith_note_str(note, h->handle));
      if (!c || ledger_declare(c, (uint32_t)n, h->line, kith_note_str(note, h->name)) != 0)
        goto fail;
      if (c->cadence_days == 0)
        c->cadence_days = h->cadence_days;
      if (c->birthday == 0)
        c->birthday = h->birthday;
      if (!c->snoozed && h->snoozed) {
        c->snoozed = true;
        c->snooze = h->snooze;
      }
    }
    // The items of a contact section share their handle's offset: one lookup for them all.
    uint32_t last_handle = UINT32_MAX;
    size_t last = 0;
    for (uint32_t i = 0; i < note->interaction_count; i++) {
      const KithInteraction *it = &note->interactions[i];
      if (it->handle != last_handle) {
        KithContact *c = ledger_upsert(ledger, kith_note_str(note, it->handle));
        if (!c)
          goto fail;
        last_handle = it->handle;
        last = (size_t)(c - ledger->contacts);
      }
      kith_ledger_contact_add(&ledger->contacts[last], (uint32_t)n, it, options);
    }
    for (uint32_t i = 0; i < note->followup_count; i++) {
      const KithInteraction *f = &note->followups[i];
      KithContact *c = ledger_upsert(ledger, kith_note_str(note, f->handle));
      if (!c || ledger_followup(c, (uint32_t)n, note, f, options) != 0)
        goto fail;
    }
    for (uint32_t i = 0; i < note->ask_count; i++) {
      const KithInteraction *a = &note->asks[i];
      KithContact *c = ledger_upsert(ledger, kith_note_str(note, a->handle));
      if (!c || ledger_ask(c, (uint32_t)n, note, a, options) != 0)
        goto fail;
    }
    if (note->linked_count == 0 && note->heading_count == 0)
      continue;
    KithResolution *r = &ledger->resolution;
    size_t first = r->party_count;
    if (kith_ledger_resolve(ledger, (uint32_t)n, set->paths ? set->paths[n] : "", note, r) != 0)
      goto fail;
    for (size_t p = first; p < r->party_count; p++) {
      const KithLinked *l = &note->linked[r->parties[p].item];
      KithContact *c = ledger_upsert(ledger, kith_resolution_str(r, r->parties[p].handle));
      if (!c)
        goto fail;
      if (l->ask && ledger_ask(c, (uint32_t)n, note, &l->item, options) != 0)
        goto fail;
      if (l->planned) {
        if (ledger_followup(c, (uint32_t)n, note, &l->item, options) != 0)
          goto fail;
      } else if (kith_linked_counted(l)) {
        kith_ledger_contact_add(c, (uint32_t)n, &l->item, options);
      }
    }
  }
  if (ledger_names(ledger) != 0 ||
      kith_pairs_walk(set, &ledger->resolution, overlay, ledger_introductions, ledger) != 0)
    goto fail;
  // An undeclared contact a meeting listed is named by the first meeting's text (v3).
  for (uint32_t i = 0; i < ledger->names.count; i++) {
    const KithName *name = &ledger->names.names[i];
    if (name->kind != KITH_NAME_MEETING)
      continue;
    KithContact *c =
        (KithContact *)kith_ledger_find(ledger, kith_names_str(&ledger->names, name->handle));
    if (c && !c->name && !(c->name = strdup(kith_names_str(&ledger->names, name->text))))
      goto fail;
  }
  for (size_t i = 0; i < ledger->count; i++) {
    KithContact *c = &ledger->contacts[i];
    if (!c->name && !(c->name = strdup(c->handle)))
      goto fail;
    if (c->followup_count > 1)
      qsort(c->followups, c->followup_count, sizeof *c->followups, ledger_cmp_followup);
    if (c->ask_count > 1)
      qsort(c->asks, c->ask_count, sizeof *c->asks, ledger_cmp_followup);
    if (c->introduced_count > 1)
      qsort(c->introduced, c->introduced_count, sizeof *c->introduced, ledger_cmp_introduction);
    kith_ledger_contact_finish(c, options);
  }
  if (ledger->count > 1)
    qsort(ledger->contacts, ledger->count, sizeof *ledger->contacts, ledger_cmp);
  if (ledger->slot_count && ledger_rehash(ledger, ledger->slot_count) != 0)
    goto fail;
  return 0;
fail:
  kith_ledger_free(ledger);
  return -1;
}

void kith_ledger_free(KithLedger *ledger) {
  for (size_t i = 0; i < ledger->count; i++) {
    free(ledger->contacts[i].handle);
    free(ledger->contacts[i].name);
    free(ledger->contacts[i].declared);
    for (uint32_t k = 0; k < ledger->contacts[i].followup_count; k++)
      free(ledger->contacts[i].followups[k].text);
    free(ledger->contacts[i].followups);
    for (uint32_t k = 0; k < ledger->contacts[i].ask_count; k++)
      free(ledger->contacts[i].asks[k].text);
    free(ledger->contacts[i].asks);
    for (uint32_t k = 0; k < ledger->contacts[i].introduced_count; k++)
      free(ledger->contacts[i].introduced[k].handle);
    free(ledger->contacts[i].introduced);
    free(ledger->contacts[i].names);
  }
  free(ledger->contacts);
  free(ledger->slots);
  kith_names_free(&ledger->names);
  kith_resolution_free(&ledger->resolution);
  memset(ledger, 0, sizeof *ledger);
}

const char *kith_status_name(KithStatus status) {
  static const char *const names[] = {"new", "dormant", "owe", "let-them-help", "ok", "overdue"};
  return names[status];
}

const char *kith_first_move_name(KithFirstMove move) {
  static const char *const names[] = {NULL, "you", "them", "both"};
  return names[move];
}
