// The fuzz targets' checks of a ledger (tests/fuzz/README.md): what it lists and says of each
// contact against the notes counted the plain way, and (v3) its asks, birthdays, snoozes and
// introductions.

#include <stdlib.h>
#include <string.h>

#include "fuzz.h"
#include "ledger/graph.h"

// What the notes say about one handle (SPEC §2), counted the plain way.
typedef struct {
  uint32_t declared, followups, overdue, cadence, asks;
  KithBirthday birthday; // (v3) the first valid one
  bool snoozed;
  KithDay snooze;
  const char *name;
  int64_t gave, got, met, items;
  KithDay first, last;
} FuzzTally;

// Counts one counted item or follow-up of `handle`.
static void fuzz_tally_item(FuzzTally *t, const KithInteraction *it, bool planned, KithDay today) {
  if (planned) {
    t->followups++;
    t->overdue += it->dated && it->day < today;
    return;
  }
  if (t->items == 0 || it->day < t->first)
    t->first = it->day;
  if (t->items == 0 || it->day > t->last)
    t->last = it->day;
  t->items++;
  t->gave += it->gave;
  t->got += it->got;
  t->met += it->met;
}

// Tallies `handle` over the notes' declarations and items, and over the linked items (wiki
// links) whose counterparty the ledger's resolution made it.
static void fuzz_tally(const char *handle, const KithLedger *l, const KithNote *const *notes,
                       size_t count, KithDay today, FuzzTally *t) {
  memset(t, 0, sizeof *t);
  for (size_t k = 0; k < count; k++) {
    const KithNote *n = notes[k];
    for (uint32_t h = 0; n && h < n->heading_count; h++) {
      const KithHeading *hd = &n->headings[h];
      if (strcmp(kith_note_str(n, hd->handle), handle) != 0)
        continue;
      t->declared++;
      if (!t->name)
        t->name = kith_note_str(n, hd->name);
      if (!t->cadence)
        t->cadence = hd->cadence_days;
      if (!t->birthday)
        t->birthday = hd->birthday;
      if (!t->snoozed && hd->snoozed) {
        t->snoozed = true;
        t->snooze = hd->snooze;
      }
    }
    for (uint32_t i = 0; n && i < n->interaction_count; i++) {
      if (strcmp(kith_note_str(n, n->interactions[i].handle), handle) == 0)
        fuzz_tally_item(t, &n->interactions[i], false, today);
    }
    for (uint32_t i = 0; n && i < n->followup_count; i++) {
      if (strcmp(kith_note_str(n, n->followups[i].handle), handle) == 0)
        fuzz_tally_item(t, &n->followups[i], true, today);
    }
    for (uint32_t i = 0; n && i < n->ask_count; i++)
      t->asks += strcmp(kith_note_str(n, n->asks[i].handle), handle) == 0;
  }
  const KithResolution *r = &l->resolution;
  for (size_t i = 0; i < r->party_count; i++) {
    const KithParty *p = &r->parties[i];
    FUZZ_CHECK(p->note < count && notes[p->note] && p->item < notes[p->note]->linked_count,
               "ledger: a party of item %u of note %u, which is not there", p->item, p->note);
    const KithLinked *linked = &notes[p->note]->linked[p->item];
    if (strcmp(kith_resolution_str(r, p->handle), handle) != 0)
      continue;
    const KithInteraction *it = &linked->item;
    if (linked->planned || it->gave + it->got + it->met > 0) // an ask alone counts nothing
      fuzz_tally_item(t, it, linked->planned, today);
    t->asks += linked->ask;
  }
}

// (v3) What a contact has of asks, birthdays, snoozes and introductions.
static void fuzz_check_contact_v3(const KithLedger *l, const KithContact *c, const FuzzTally *t) {
  KithDay today = l->options.today;
  FUZZ_CHECK(c->ask_count == t->asks && c->open_asks == t->asks,
             "ledger: @%s has %u asks (%u open); the notes say %u", c->handle, c->ask_count,
             c->open_asks, t->asks);
  for (uint32_t i = 0; i < c->ask_count; i++) {
    const KithFollowup *a = &c->asks[i];
    FUZZ_CHECK(a->dated && a->text, "ledger: @%s: ask %u undated or without text", c->handle, i);
    FUZZ_CHECK(i == 0 || c->asks[i - 1].day <= a->day, "ledger: @%s: asks not oldest first",
               c->handle);
  }
  FUZZ_CHECK(c->birthday == t->birthday, "ledger: @%s: birthday %d, the notes say %d", c->handle,
             (int)c->birthday, (int)t->birthday);
  if (c->birthday) {
    char text[11];
    kith_birthday_format(c->birthday, text);
    KithBirthday back;
    int m = c->birthday / 100 % 100, d = c->birthday % 100;
    FUZZ_CHECK(kith_birthday_parse(text, strlen(text), &back) == 0 && back == c->birthday,
               "ledger: @%s: birthday %d formats as %s", c->handle, (int)c->birthday, text);
    int y, bm, bd;
    kith_date_to_civil(c->birthday_next, &y, &bm, &bd);
    FUZZ_CHECK(c->birthday_in >= 0 && c->birthday_in <= 366 &&
                   c->birthday_in == (int64_t)c->birthday_next - today && bm == m &&
                   (bd == d || (m == 2 && d == 29 && bd == 28)),
               "ledger: @%s: birthday %s next on %d-%d-%d in %lld days", c->handle, text, y, bm, bd,
               (long long)c->birthday_in);
    FUZZ_CHECK(c->birthday >= 10000 ? c->age == y - c->birthday / 10000 : c->age == -1,
               "ledger: @%s: birthday %s brings age %d", c->handle, text, c->age);
  }
  FUZZ_CHECK(c->snoozed == t->snoozed && (!c->snoozed || c->snooze == t->snooze) &&
                 c->snoozing == (t->snoozed && t->snooze > today),
             "ledger: @%s: snooze %d/%d, the notes say %d/%d", c->handle, c->snoozed,
             (int)c->snooze, t->snoozed, (int)t->snooze);
  // Introductions are symmetric: each is listed with the other contact, the same day and item.
  for (uint32_t i = 0; i < c->introduced_count; i++) {
    const KithIntroduction *in = &c->introduced[i];
    const KithContact *o = kith_ledger_find(l, in->handle);
    FUZZ_CHECK(o && o != c && c->gave > 0 && o->gave > 0,
               "ledger: @%s introduced to @%s, who is not a contact given to", c->handle,
               in->handle);
    bool mirrored = false;
    for (uint32_t k = 0; k < o->introduced_count && !mirrored; k++) {
      const KithIntroduction *back = &o->introduced[k];
      mirrored = strcmp(back->handle, c->handle) == 0 && back->day == in->day &&
                 back->at.note == in->at.note && back->at.line == in->at.line;
    }
    FUZZ_CHECK(mirrored, "ledger: @%s introduced to @%s, not the other way", c->handle, in->handle);
    FUZZ_CHECK(in->day <= c->last_day && in->day >= c->first_day && c->interactions > 0,
               "ledger: @%s: an introduction outside its counted days", c->handle);
    FUZZ_CHECK(i == 0 || c->introduced[i - 1].day <= in->day,
               "ledger: @%s: introductions not by date", c->handle);
  }
}

static void fuzz_check_listed(const KithLedger *l, const KithNote *n, const KithInteraction *items,
                              uint32_t count, const char *what) {
  for (uint32_t i = 0; i < count; i++)
    FUZZ_CHECK(kith_ledger_find(l, kith_note_str(n, items[i].handle)), "ledger: %s @%s missing",
               what, kith_note_str(n, items[i].handle));
}

void fuzz_check_ledger(const KithLedger *l, const KithNote *const *notes, size_t count) {
  const KithLedgerOptions *o = &l->options;
  for (size_t i = 0; i < l->count; i++) {
    const KithContact *c = &l->contacts[i];
    if (i > 0)
      FUZZ_CHECK(strcmp(l->contacts[i - 1].handle, c->handle) < 0,
                 "ledger: contacts '%s', '%s' not sorted or not unique", l->contacts[i - 1].handle,
                 c->handle);
    FUZZ_CHECK(kith_ledger_find(l, c->handle) == c, "ledger: @%s is not found", c->handle);
    FuzzTally t;
    fuzz_tally(c->handle, l, notes, count, o->today, &t);
    FUZZ_CHECK(t.declared + t.items + t.followups + t.asks > 0, "ledger: @%s is in no note",
               c->handle);
    fuzz_check_contact_v3(l, c, &t);
    FUZZ_CHECK(c->declared_count == t.declared && c->interactions == t.items && c->gave == t.gave &&
                   c->got == t.got && c->met == t.met && c->followup_count == t.followups &&
                   c->overdue == t.overdue && c->cadence_days == t.cadence,
               "ledger: @%s has declared %u items %lld gave %lld got %lld met %lld follow-ups %u "
               "(%u overdue) cadence %u; the notes say %u %lld %lld %lld %lld %u (%u) %u",
               c->handle, c->declared_count, (long long)c->interactions, (long long)c->gave,
               (long long)c->got, (long long)c->met, c->followup_count, c->overdue, c->cadence_days,
               t.declared, (long long)t.items, (long long)t.gave, (long long)t.got,
               (long long)t.met, t.followups, t.overdue, t.cadence);
    FUZZ_CHECK(strcmp(c->name, t.name ? t.name : c->handle) == 0, "ledger: @%s is named '%s'",
               c->handle, c->name);
    int64_t days = t.items > 0 && o->today > t.last ? (int64_t)o->today - t.last : 0;
    int64_t every = t.cadence ? (int64_t)t.cadence : (int64_t)o->dormant_days;
    if (t.items > 0)
      FUZZ_CHECK(c->first_day == t.first && c->last_day == t.last && c->due_in == every - days,
                 "ledger: @%s days %d..%d due in %lld; the notes say %d..%d due in %lld", c->handle,
                 (int)c->first_day, (int)c->last_day, (long long)c->due_in, (int)t.first,
                 (int)t.last, (long long)(every - days));
    KithStatus want;
    if (t.overdue > 0)
      want = KITH_STATUS_OVERDUE;
    else if (t.items == 0)
      want = KITH_STATUS_NEW;
    else if (days > every && !(t.snoozed && t.snooze > o->today))
      want = KITH_STATUS_DORMANT;
    else if (t.gave < t.got)
      want = KITH_STATUS_OWE;
    else if (t.got == 0 && t.gave >= o->accept_help_after)
      want = KITH_STATUS_LET_THEM_HELP;
    else
      want = KITH_STATUS_OK;
    FUZZ_CHECK(c->status == want && (t.items == 0 || c->days_since_last == days),
               "ledger: @%s is %s after %lld days, want %s after %lld", c->handle,
               kith_status_name(c->status), (long long)c->days_since_last, kith_status_name(want),
               (long long)days);
  }
  // Every handle the notes name is listed.
  for (size_t k = 0; k < count; k++) {
    const KithNote *n = notes[k];
    if (!n)
      continue;
    for (uint32_t h = 0; h < n->heading_count; h++)
      FUZZ_CHECK(kith_ledger_find(l, kith_note_str(n, n->headings[h].handle)),
                 "ledger: declared @%s missing", kith_note_str(n, n->headings[h].handle));
    fuzz_check_listed(l, n, n->interactions, n->interaction_count, "counterparty");
    fuzz_check_listed(l, n, n->followups, n->followup_count, "follow-up's");
    fuzz_check_listed(l, n, n->asks, n->ask_count, "ask's");
  }
  for (size_t i = 0; i < l->resolution.party_count; i++) {
    const char *h = kith_resolution_str(&l->resolution, l->resolution.parties[i].handle);
    fuzz_check_handle("party", h);
    FUZZ_CHECK(kith_ledger_find(l, h), "ledger: linked counterparty @%s missing", h);
  }
}

void fuzz_check_graph(const KithGraph *g) {
  const KithLedger *l = g->ledger;
  uint64_t degrees = 0;
  for (size_t i = 0; i < l->count; i++)
    degrees += g->degree[i];
  FUZZ_CHECK(degrees == 2 * (uint64_t)g->edge_count, "graph: degrees add up to %llu, %zu edges",
             (unsigned long long)degrees, g->edge_count);
  for (size_t i = 0; i < g->edge_count; i++) {
    const KithEdge *e = &g->edges[i];
    FUZZ_CHECK(e->a < e->b && e->b < l->count && e->count > 0 && e->first <= e->last,
               "graph: edge %zu is %u-%u x%u", i, e->a, e->b, e->count);
    if (i > 0) {
      const KithEdge *p = &g->edges[i - 1];
      FUZZ_CHECK(p->a < e->a ||
                     (p->a == e->a && (p->b < e->b || (p->b == e->b && p->kind < e->kind))),
                 "graph: edges not sorted or not unique at %zu", i);
    }
    const KithContact *a = &l->contacts[e->a], *b = &l->contacts[e->b];
    FUZZ_CHECK(a->interactions > 0 && b->interactions > 0 && e->first >= a->first_day &&
                   e->last <= a->last_day && e->first >= b->first_day && e->last <= b->last_day,
               "graph: edge @%s-@%s outside their counted days", a->handle, b->handle);
    // An intro edge is as many introductions as each of the pair lists of the other.
    uint32_t listed_a = 0, listed_b = 0;
    for (uint32_t k = 0; k < a->introduced_count; k++)
      listed_a += strcmp(a->introduced[k].handle, b->handle) == 0;
    for (uint32_t k = 0; k < b->introduced_count; k++)
      listed_b += strcmp(b->introduced[k].handle, a->handle) == 0;
    if (e->kind == KITH_EDGE_INTRO)
      FUZZ_CHECK(listed_a == e->count && listed_b == e->count,
                 "graph: intro edge @%s-@%s x%u, listed %u and %u", a->handle, b->handle, e->count,
                 listed_a, listed_b);
  }
  // Every introduction has its edge.
  for (size_t i = 0; i < l->count; i++) {
    for (uint32_t k = 0; k < l->contacts[i].introduced_count; k++) {
      const KithContact *o = kith_ledger_find(l, l->contacts[i].introduced[k].handle);
      uint32_t a = (uint32_t)i, b = o ? (uint32_t)(o - l->contacts) : 0;
      bool found = false;
      for (size_t e = 0; o && e < g->edge_count && !found; e++)
        found = g->edges[e].kind == KITH_EDGE_INTRO && g->edges[e].a == (a < b ? a : b) &&
                g->edges[e].b == (a < b ? b : a);
      FUZZ_CHECK(found, "graph: @%s's introduction to @%s has no edge", l->contacts[i].handle,
                 l->contacts[i].introduced[k].handle);
    }
  }
}
