// Balances over a vault (SPEC §2): totals, dates, first move, status, declarations, merging.

#include "harness.h"

static KithDay day_of(const char *s) {
  KithDay day = 0;
  if (kith_date_parse(s, strlen(s), &day) != 0)
    harness_fail(__FILE__, __LINE__, "bad date %s", s);
  return day;
}

// The contact, or a zeroed stand-in (so a missing contact fails checks instead of crashing).
static const KithContact *must(const HarnessVault *v, const char *handle) {
  static KithContact none;
  const KithContact *c = harness_contact(v, handle);
  if (!c) {
    harness_fail(__FILE__, __LINE__, "[%s] no contact @%s", harness_current, handle);
    memset(&none, 0, sizeof none);
    none.status = (KithStatus)-1;
    none.first_move = (KithFirstMove)-1;
    return &none;
  }
  return c;
}

// --- totals --------------------------------------------------------------------------------

static void test_totals_across_files(void) {
  HarnessVault v;
  harness_vault(&v, "2026-03-10", NULL,              //
                "people/alice.md",                   //
                "## Alice Chen @alice\n"             //
                "- 2026-01-04 #gave intro\n"         //
                "- 2026-02-01 #got:2 lunch\n"        //
                "- 2026-03-01 #met\n",               //
                "daily/2026-03-05.md",               //
                "- 2026-03-05 #gave:3 @alice docs\n" //
                "- 2026-03-06 #gave #got @Alice\n",  //
                NULL);
  const KithContact *c = must(&v, "alice");
  CHECK_STR(c->handle, "alice");
  CHECK_STR(c->name, "Alice Chen");
  CHECK_INT(c->gave, 5);
  CHECK_INT(c->got, 3);
  CHECK_INT(c->met, 1);
  CHECK_INT(c->gave - c->got, 2);
  CHECK_INT(c->interactions, 5);
  CHECK_INT(c->first_day, day_of("2026-01-04"));
  CHECK_INT(c->last_day, day_of("2026-03-06"));
  CHECK_INT(c->days_since_last, 4);
  CHECK_INT(c->first_move, KITH_FIRST_MOVE_YOU);
  CHECK_INT(c->status, KITH_STATUS_OK);
  CHECK_INT(c->declared_count, 1);
  if (c->declared_count == 1) {
    CHECK_INT(c->declared[0].note, 1); // daily/... sorts before people/...
    CHECK_INT(c->declared[0].line, 1);
  }
  CHECK_INT(v.ledger.count, 1);
  harness_vault_free(&v);
}

static void test_exchange_is_one_interaction(void) {
  HarnessVault v;
  harness_vault(&v, "2026-03-10", NULL, "a.md", "- 2026-03-01 #gave #got #met @x\n", NULL);
  const KithContact *c = must(&v, "x");
  CHECK_INT(c->interactions, 1);
  CHECK_INT(c->gave, 1);
  CHECK_INT(c->got, 1);
  CHECK_INT(c->met, 1);
  harness_vault_free(&v);
}

static void test_met_counts_tags(void) {
  HarnessVault v;
  harness_vault(&v, "2026-03-10", NULL, "a.md",
                "- 2026-03-01 #met #met @x\n- 2026-03-02 #met:5 @x\n", NULL);
  CHECK_INT(must(&v, "x")->met, 3);
  CHECK_INT(must(&v, "x")->interactions, 2);
  harness_vault_free(&v);
}

static void test_first_and_last_day_ignore_file_order(void) {
  HarnessVault v;
  harness_vault(&v, "2026-12-01", NULL,                                  //
                "a.md", "- 2026-06-01 #met @x\n- 2026-02-01 #gave @x\n", //
                "b.md", "- 2026-01-15 #met @x\n- 2026-09-30 #got @x\n",  //
                "c.md", "- 2026-03-01 #gave @x\n",                       //
                NULL);
  const KithContact *c = must(&v, "x");
  CHECK_INT(c->first_day, day_of("2026-01-15"));
  CHECK_INT(c->last_day, day_of("2026-09-30"));
  CHECK_INT(c->days_since_last, 62);
  harness_vault_free(&v);
}

static void test_days_since_last_never_below_zero(void) {
  // Notes parsed without a today (so 2026-03-20 counts), a ledger on 2026-03-10: the editor can
  // hold notes parsed before its today changed.
  KithNote note;
  harness_parse_at("a.md", NULL,
                   "- 2026-03-20 #gave @later\n"
                   "- 2026-03-10 #gave @today\n",
                   &note);
  const KithNote *notes[] = {&note};
  const char *paths[] = {"a.md"};
  KithNoteSet set = {paths, notes, 1};
  KithLedgerOptions o;
  kith_ledger_options_default(&o);
  o.today = day_of("2026-03-10");
  KithLedger ledger;
  CHECK_INT(kith_ledger_build(&ledger, &set, SIZE_MAX, &o), 0);
  const KithContact *later = kith_ledger_find(&ledger, "later");
  const KithContact *today = kith_ledger_find(&ledger, "today");
  CHECK(later && later->days_since_last == 0);
  CHECK(today && today->days_since_last == 0);
  kith_ledger_free(&ledger);
  kith_note_free(&note);
}

// --- first move ----------------------------------------------------------------------------

static void test_first_move_you(void) {
  HarnessVault v;
  harness_vault(&v, "2026-06-01", NULL,            //
                "a.md", "- 2026-05-01 #got @w\n",  //
                "b.md", "- 2026-01-01 #gave @w\n", //
                NULL);
  CHECK_INT(must(&v, "w")->first_move, KITH_FIRST_MOVE_YOU);
  harness_vault_free(&v);
}

static void test_first_move_them_ignores_earlier_met(void) {
  HarnessVault v;
  harness_vault(&v, "2026-06-01", NULL, "a.md",
                "- 2026-01-01 #met @x\n- 2026-01-05 #got @x\n- 2026-01-06 #gave @x\n", NULL);
  CHECK_INT(must(&v, "x")->first_move, KITH_FIRST_MOVE_THEM);
  harness_vault_free(&v);
}

static void test_first_move_both_on_tie_across_files(void) {
  HarnessVault v;
  harness_vault(&v, "2026-06-01", NULL,                                  //
                "a.md", "- 2026-05-01 #gave @y\n- 2026-01-02 #got @y\n", //
                "b.md", "- 2026-01-02 #gave @y\n",                       //
                NULL);
  CHECK_INT(must(&v, "y")->first_move, KITH_FIRST_MOVE_BOTH);
  harness_vault_free(&v);
}

static void test_first_move_both_in_an_exchange(void) {
  HarnessVault v;
  harness_vault(&v, "2026-06-01", NULL, "a.md",
                "- 2026-01-02 #gave intro #got lunch @z\n- 2026-03-01 #gave @z\n", NULL);
  CHECK_INT(must(&v, "z")->first_move, KITH_FIRST_MOVE_BOTH);
  harness_vault_free(&v);
}

static void test_first_move_none(void) {
  HarnessVault v;
  harness_vault(&v, "2026-06-01", NULL, "a.md",
                "## Nel @nel\n\n# Log\n- 2026-01-02 #met @m\n- 2026-01-03 #met @m\n", NULL);
  CHECK_INT(must(&v, "m")->first_move, KITH_FIRST_MOVE_NONE);
  CHECK_INT(must(&v, "nel")->first_move, KITH_FIRST_MOVE_NONE);
  harness_vault_free(&v);
}

static void test_first_move_names(void) {
  CHECK_STR(kith_first_move_name(KITH_FIRST_MOVE_YOU), "you");
  CHECK_STR(kith_first_move_name(KITH_FIRST_MOVE_THEM), "them");
  CHECK_STR(kith_first_move_name(KITH_FIRST_MOVE_BOTH), "both");
  CHECK(kith_first_move_name(KITH_FIRST_MOVE_NONE) == NULL);
}

// --- status --------------------------------------------------------------------------------

static void test_status_in_order_of_precedence(void) {
  HarnessVault v;
  harness_vault(&v, "2026-04-01", NULL,             //
                "people.md",                        //
                "## Nel @nel\n"                     // declared, never met: new
                "\n"                                //
                "# Log\n"                           //
                "- 2025-12-31 #gave #got @dora\n"   // 91 days: dormant
                "- 2026-01-01 #gave #got @edge\n"   // exactly 90 days: not dormant
                "- 2025-12-01 #got @dowe\n"         // dormant beats owe
                "- 2025-01-01 #gave:5 @old\n"       // dormant beats let-them-help
                "- 2026-03-01 #gave @owen\n"        //
                "- 2026-03-02 #got:2 @owen\n"       // balance -1: owe
                "- 2026-03-01 #gave:3 @lt\n"        // gave 3, got 0: let them help
                "- 2026-03-01 #gave @lt3\n"         //
                "- 2026-03-02 #gave @lt3\n"         //
                "- 2026-03-03 #gave @lt3\n"         // three gives: let them help
                "- 2026-03-01 #gave:2 @two\n"       // gave 2 < 3: ok
                "- 2026-03-01 #gave:5 #got @paid\n" // got > 0: ok
                "- 2026-03-01 #met @metonly\n",     // met only: ok
                NULL);
  CHECK_INT(must(&v, "nel")->status, KITH_STATUS_NEW);
  CHECK_INT(must(&v, "nel")->interactions, 0);
  CHECK_INT(must(&v, "dora")->status, KITH_STATUS_DORMANT);
  CHECK_INT(must(&v, "dora")->days_since_last, 91);
  CHECK_INT(must(&v, "edge")->status, KITH_STATUS_OK);
  CHECK_INT(must(&v, "edge")->days_since_last, 90);
  CHECK_INT(must(&v, "dowe")->status, KITH_STATUS_DORMANT);
  CHECK_INT(must(&v, "old")->status, KITH_STATUS_DORMANT);
  CHECK_INT(must(&v, "owen")->status, KITH_STATUS_OWE);
  CHECK_INT(must(&v, "owen")->gave - must(&v, "owen")->got, -1);
  CHECK_INT(must(&v, "lt")->status, KITH_STATUS_LET_THEM_HELP);
  CHECK_INT(must(&v, "lt3")->status, KITH_STATUS_LET_THEM_HELP);
  CHECK_INT(must(&v, "two")->status, KITH_STATUS_OK);
  CHECK_INT(must(&v, "paid")->status, KITH_STATUS_OK);
  CHECK_INT(must(&v, "metonly")->status, KITH_STATUS_OK);
  CHECK_INT(must(&v, "metonly")->interactions, 1);
  harness_vault_free(&v);
}

static void test_declared_with_only_uncounted_items_is_new(void) {
  HarnessVault v;
  harness_vault(&v, "2026-04-01", NULL, "a.md",
                "## A @a\n- 2026-02-30 #gave\n- #got\n- 2026-03-01 #gave:0\n", NULL);
  CHECK_INT(must(&v, "a")->status, KITH_STATUS_NEW);
  CHECK_INT(must(&v, "a")->interactions, 0);
  CHECK_INT(must(&v, "a")->gave, 0);
  CHECK_INT(must(&v, "a")->got, 0);
  harness_vault_free(&v);
}

static void test_custom_options(void) {
  KithLedgerOptions o;
  kith_ledger_options_default(&o);
  o.dormant_days = 30;
  o.accept_help_after = 1;
  HarnessVault v;
  harness_vault(&v, "2026-04-01", &o,             //
                "a.md",                           //
                "- 2026-03-01 #gave @a\n"         // 31 days > 30: dormant
                "- 2026-03-02 #gave @b\n"         // 30 days; gave 1 >= 1, got 0: let them help
                "- 2026-03-02 #met @c\n"          // gave 0 < 1: ok
                "- 2026-03-02 #gave #got:2 @d\n", // owe
                NULL);
  CHECK_INT(v.ledger.options.dormant_days, 30);
  CHECK_INT(v.ledger.options.accept_help_after, 1);
  CHECK_INT(v.ledger.options.today, day_of("2026-04-01"));
  CHECK_INT(must(&v, "a")->status, KITH_STATUS_DORMANT);
  CHECK_INT(must(&v, "b")->status, KITH_STATUS_LET_THEM_HELP);
  CHECK_INT(must(&v, "c")->status, KITH_STATUS_OK);
  CHECK_INT(must(&v, "d")->status, KITH_STATUS_OWE);
  harness_vault_free(&v);
}

static void test_default_options(void) {
  KithLedgerOptions o;
  memset(&o, 0x55, sizeof o);
  kith_ledger_options_default(&o);
  CHECK_INT(o.dormant_days, 90);
  CHECK_INT(o.accept_help_after, 3);
  KithDay today = kith_date_today();
  CHECK(o.today == today || o.today + 1 == today); // allow for midnight between the two calls
}

static void test_status_names(void) {
  CHECK_STR(kith_status_name(KITH_STATUS_NEW), "new");
  CHECK_STR(kith_status_name(KITH_STATUS_DORMANT), "dormant");
  CHECK_STR(kith_status_name(KITH_STATUS_OWE), "owe");
  CHECK_STR(kith_status_name(KITH_STATUS_LET_THEM_HELP), "let-them-help");
  CHECK_STR(kith_status_name(KITH_STATUS_OK), "ok");
}

// --- declarations and handles --------------------------------------------------------------

static void test_declared_in_two_files_name_from_first_path(void) {
  HarnessVault v;
  harness_vault(&v, "2026-03-10", NULL,                                  //
                "a.md", "# Intro\n\n## Alpha @dup\n- 2026-01-02 #got\n", //
                "B.md", "## Bee @dup\n- 2026-01-01 #gave\n",             // "B" < "a" bytewise
                NULL);
  const KithContact *c = must(&v, "dup");
  CHECK_STR(c->name, "Bee");
  CHECK_INT(c->declared_count, 2);
  if (c->declared_count == 2) {
    CHECK_INT(c->declared[0].note, 0); // B.md
    CHECK_INT(c->declared[0].line, 1);
    CHECK_INT(c->declared[1].note, 1); // a.md
    CHECK_INT(c->declared[1].line, 3);
  }
  CHECK_INT(c->gave, 1);
  CHECK_INT(c->got, 1);
  CHECK_INT(c->interactions, 2);
  CHECK_INT(v.ledger.count, 1);
  harness_vault_free(&v);
}

static void test_declared_twice_in_one_file(void) {
  HarnessVault v;
  harness_vault(&v, "2026-03-10", NULL, "x.md", "## One @two\n\n## Other @TWO\n", NULL);
  const KithContact *c = must(&v, "two");
  CHECK_STR(c->name, "One");
  CHECK_INT(c->declared_count, 2);
  if (c->declared_count == 2) {
    CHECK_INT(c->declared[0].line, 1);
    CHECK_INT(c->declared[1].line, 3);
  }
  harness_vault_free(&v);
}

static void test_name_comes_from_declaration_not_first_mention(void) {
  HarnessVault v;
  harness_vault(&v, "2026-03-10", NULL,              //
                "a.md", "- 2026-01-01 #gave @kim\n", //
                "b.md", "## Kim Lee @kim\n",         //
                NULL);
  const KithContact *c = must(&v, "kim");
  CHECK_STR(c->name, "Kim Lee");
  CHECK_INT(c->declared_count, 1);
  if (c->declared_count == 1) {
    CHECK_INT(c->declared[0].note, 1);
    CHECK_INT(c->declared[0].line, 1);
  }
  CHECK_INT(c->interactions, 1);
  harness_vault_free(&v);
}

static void test_handles_are_case_insensitive(void) {
  HarnessVault v;
  harness_vault(&v, "2026-03-10", NULL,                                          //
                "p.md", "## Alice @Alice\n",                                     //
                "d.md", "- 2026-01-01 #gave @ALICE\n- 2026-01-02 #got @alice\n", //
                NULL);
  CHECK_INT(v.ledger.count, 1);
  const KithContact *c = must(&v, "alice");
  CHECK_STR(c->handle, "alice");
  CHECK_STR(c->name, "Alice");
  CHECK_INT(c->interactions, 2);
  CHECK_INT(c->declared_count, 1);
  harness_vault_free(&v);
}

static void test_counterparty_only_handle(void) {
  HarnessVault v;
  harness_vault(&v, "2026-03-10", NULL, "a.md", "- 2026-01-01 #gave @Zed\n", NULL);
  const KithContact *c = must(&v, "zed");
  CHECK_STR(c->handle, "zed");
  CHECK_STR(c->name, "zed");
  CHECK_INT(c->declared_count, 0);
  CHECK_INT(c->interactions, 1);
  harness_vault_free(&v);
}

static void test_uncounted_items_create_no_contacts(void) {
  HarnessVault v;
  harness_vault(&v, "2026-03-10", NULL, "a.md",
                "- 2026-02-30 #gave @ghost\n"
                "- #gave @ghost2\n"
                "- 2026-01-01 #gave:x @ghost3\n"
                "- 2026-01-01 #work @ghost4\n"
                "- 2026-01-01 lunch @ghost5\n"
                "- 2026-01-01 #gave `@ghost6`\n"
                "```\n- 2026-01-01 #gave @ghost7\n```\n",
                NULL);
  CHECK_INT(v.ledger.count, 0);
  CHECK(harness_contact(&v, "ghost") == NULL);
  CHECK(harness_contact(&v, "ghost3") == NULL);
  CHECK(harness_contact(&v, "ghost7") == NULL);
  harness_vault_free(&v);
}

static void test_mention_inside_section_is_no_contact(void) {
  HarnessVault v;
  harness_vault(&v, "2026-03-10", NULL, "a.md",
                "## Alice @alice\n- 2026-01-01 #gave intro to @bob\n", NULL);
  CHECK_INT(v.ledger.count, 1);
  CHECK(harness_contact(&v, "bob") == NULL);
  CHECK_INT(must(&v, "alice")->gave, 1);
  harness_vault_free(&v);
}

static void test_find_unknown_is_null(void) {
  HarnessVault v;
  harness_vault(&v, "2026-03-10", NULL, "a.md", "## Alice @alice\n", NULL);
  CHECK(kith_ledger_find(&v.ledger, "nobody") == NULL);
  CHECK(kith_ledger_find(&v.ledger, "alic") == NULL);
  CHECK(kith_ledger_find(&v.ledger, "alice") != NULL);
  harness_vault_free(&v);
}

static void test_empty_vault(void) {
  HarnessVault v;
  harness_vault(&v, "2026-03-10", NULL, "a.md", "# Nothing here\n", NULL);
  CHECK_INT(v.ledger.count, 0);
  CHECK(kith_ledger_find(&v.ledger, "x") == NULL);
  harness_vault_free(&v);
}

static void test_contacts_sorted_by_handle(void) {
  HarnessVault v;
  harness_vault(&v, "2026-03-10", NULL,                                       //
                "z.md", "## Zed @zed\n- 2026-01-01 #gave @bob\n",             //
                "a.md", "- 2026-01-01 #gave @Bob\n- 2026-01-01 #met @al_x\n", //
                "m.md", "## Alice @alice\n\n# Log\n- 2026-01-01 #got @al9\n", //
                NULL);
  const char *want[] = {"al9", "al_x", "alice", "bob", "zed"};
  CHECK_INT(v.ledger.count, 5);
  for (size_t i = 0; i < 5 && i < v.ledger.count; i++)
    CHECK_STR(v.ledger.contacts[i].handle, want[i]);
  for (size_t i = 0; i < 5; i++)
    CHECK(kith_ledger_find(&v.ledger, want[i]) != NULL);
  harness_vault_free(&v);
}

static void test_first_item_is_earliest_placed(void) {
  HarnessVault v;
  harness_vault(&v, "2026-06-01", NULL,                  //
                "a.md", "## X @x\n- 2026-05-01 #gave\n", //
                "b.md", "- 2026-01-01 #gave @x\n",       //
                NULL);
  const KithContact *c = must(&v, "x");
  CHECK_INT(c->first_item.note, 0);
  CHECK_INT(c->first_item.line, 2);
  harness_vault_free(&v);
}

// --- (v2) cadences, follow-ups, overdue ----------------------------------------------------

static void test_cadence_from_first_declaration_carrying_one(void) {
  HarnessVault v;
  harness_vault(&v, "2026-11-26", NULL,                                //
                "a.md", "## A @a\n## A again @a #every:3x\n",          // none, bad
                "b.md", "# x\n## A @a #every:2w\n## A @a #every:1w\n", // 14 wins
                "c.md", "## A @a #every:1d\n",                         //
                "d.md", "## B @b #every:1m\n- 2026-11-20 #met @b\n",   //
                NULL);
  CHECK_INT(must(&v, "a")->cadence_days, 14);
  CHECK_INT(must(&v, "a")->declared_count, 5);
  CHECK_INT(must(&v, "b")->cadence_days, 30);
  harness_vault_free(&v);
}

static void test_due_in_uses_cadence_or_dormant_days(void) {
  HarnessVault v;
  harness_vault(&v, "2026-11-26", NULL,                   //
                "a.md",                                   //
                "## A @a #every:2w\n- 2026-11-16 #met\n"  // 10 days, every 14: 4
                "## B @b\n- 2026-11-16 #met\n"            // every 90: 80
                "## C @c #every:1w\n- 2026-11-16 #met\n"  // every 7: -3, dormant
                "## D @d #every:1y\n- 2026-06-01 #gave\n" // 178 days, every 365: ok
                "## E @e #every:3d\n- 2026-11-23 #met\n"  // due_in 0: not yet dormant
                "## F @f #every:3d\n",                    // no interaction
                NULL);
  CHECK_INT(must(&v, "a")->due_in, 4);
  CHECK_INT(must(&v, "a")->status, KITH_STATUS_OK);
  CHECK_INT(must(&v, "b")->due_in, 80);
  CHECK_INT(must(&v, "c")->due_in, -3);
  CHECK_INT(must(&v, "c")->status, KITH_STATUS_DORMANT);
  CHECK_INT(must(&v, "d")->due_in, 365 - 178);
  CHECK_INT(must(&v, "d")->status, KITH_STATUS_OK); // 178 days > 90, but its own cadence is 365
  CHECK_INT(must(&v, "e")->due_in, 0);
  CHECK_INT(must(&v, "e")->status, KITH_STATUS_OK);
  CHECK_INT(must(&v, "f")->status, KITH_STATUS_NEW);
  harness_vault_free(&v);
}

static void test_followups_are_kept_sorted(void) {
  HarnessVault v;
  harness_vault(&v, "2026-11-26", NULL,                           //
                "b.md",                                           //
                "## Alice @alice\n"                               // 1
                "- [ ] #gave send the deck\n"                     // 2: undated
                "- [ ] 2026-12-01 #gave call back\n"              // 3
                "- [ ] 2026-11-25 #met  lunch\n"                  // 4: overdue
                "- [ ] 2026-11-26 #gave today's\n",               // 5: due today, not overdue
                "a.md",                                           //
                "- [ ] 2026-12-01 #got @alice, @bob her review\n" // 1
                "- [ ] #met @alice\n",                            // 2: undated
                NULL);
  const KithContact *a = must(&v, "alice");
  CHECK_INT(a->followup_count, 6);
  CHECK_INT(a->interactions, 0);
  CHECK_INT(a->overdue, 1);
  CHECK_INT(a->status, KITH_STATUS_OVERDUE);
  const struct {
    uint32_t note, line;
    const char *date, *text;
    bool overdue;
  } want[] = {
      {1, 4, "2026-11-25", "#met lunch", true},
      {1, 5, "2026-11-26", "#gave today's", false},
      {0, 1, "2026-12-01", "#got @alice, @bob her review", false}, // a.md before b.md
      {1, 3, "2026-12-01", "#gave call back", false},
      {0, 2, NULL, "#met @alice", false}, // undated last, then by path
      {1, 2, NULL, "#gave send the deck", false},
  };
  for (uint32_t i = 0; i < 6 && i < a->followup_count; i++) {
    const KithFollowup *f = &a->followups[i];
    CHECK_INT(f->at.note, want[i].note);
    CHECK_INT(f->at.line, want[i].line);
    CHECK_INT(f->dated, want[i].date != NULL);
    if (want[i].date)
      CHECK_INT(f->day, day_of(want[i].date));
    CHECK_STR(f->text, want[i].text);
    CHECK_INT(f->overdue, want[i].overdue);
  }
  const KithContact *b = must(&v, "bob"); // listed for its follow-up alone
  CHECK_STR(b->name, "bob");
  CHECK_INT(b->declared_count, 0);
  CHECK_INT(b->followup_count, 1);
  CHECK_INT(b->status, KITH_STATUS_NEW);
  harness_vault_free(&v);
}

static void test_overdue_comes_first(void) {
  HarnessVault v;
  harness_vault(&v, "2026-11-26", NULL,                     //
                "a.md",                                     //
                "## Dormant @d\n- 2026-01-01 #got:5\n"      // dormant and owe ...
                "- [ ] 2026-11-01 #gave send the paper\n"   // ... but overdue first
                "## New @n\n- [ ] 2026-11-25 #gave intro\n" // new, overdue
                "## Later @l\n- 2026-11-20 #gave\n"         //
                "- [ ] 2026-11-27 #gave call\n",            // not overdue yet: ok
                NULL);
  CHECK_INT(must(&v, "d")->status, KITH_STATUS_OVERDUE);
  CHECK_INT(must(&v, "n")->status, KITH_STATUS_OVERDUE);
  CHECK_INT(must(&v, "n")->interactions, 0);
  CHECK_INT(must(&v, "l")->status, KITH_STATUS_OK);
  CHECK_STR(kith_status_name(KITH_STATUS_OVERDUE), "overdue");
  harness_vault_free(&v);
}

static void test_planned_and_future_items_are_not_counted(void) {
  HarnessVault v;
  harness_vault(&v, "2026-11-26", NULL,               //
                "a.md",                               //
                "## A @a\n"                           //
                "- 2026-11-01 #gave\n"                //
                "- [ ] 2026-11-02 #gave:5 promised\n" // planned
                "- 2026-11-27 #got:5 tomorrow\n"      // future: a warning
                "- [x] 2026-11-03 #got\n",            //
                NULL);
  const KithContact *a = must(&v, "a");
  CHECK_INT(a->gave, 1);
  CHECK_INT(a->got, 1);
  CHECK_INT(a->interactions, 2);
  CHECK_INT(a->last_day, day_of("2026-11-03"));
  CHECK_INT(v.notes[0].diagnostic_count, 1);
  harness_vault_free(&v);
}

static void test_leading_run_credits_each_contact(void) {
  HarnessVault v;
  harness_vault(&v, "2026-11-26", NULL,                          //
                "daily/2026-11-20.md",                           //
                "## Bob @bob\n"                                  //
                "- #gave:2 @alice, @carol intro to each other\n" //
                "- #got lunch\n",                                //
                NULL);
  CHECK_INT(must(&v, "alice")->gave, 2);
  CHECK_INT(must(&v, "carol")->gave, 2);
  CHECK_INT(must(&v, "alice")->last_day, day_of("2026-11-20"));
  CHECK_INT(must(&v, "bob")->gave, 0);
  CHECK_INT(must(&v, "bob")->got, 1);
  CHECK_INT(v.ledger.count, 3);
  harness_vault_free(&v);
}

static void test_ledger_copies_followups(void) {
  HarnessVault v;
  harness_vault(&v, "2026-11-26", NULL, "a.md", "- [ ] 2026-12-01 #gave @a the deck\n", NULL);
  for (size_t i = 0; i < v.count; i++) // the notes go; the ledger keeps its copy
    kith_note_free(&v.notes[i]);
  v.count = 0;
  const KithContact *a = must(&v, "a");
  CHECK(a->followup_count == 1 && strcmp(a->followups[0].text, "#gave @a the deck") == 0);
  harness_vault_free(&v);
}

static void test_followup_merged_from_one_note(void) {
  // What the editor does: a ledger without one note, that note's records added on top.
  HarnessVault v;
  harness_vault(&v, "2026-11-26", NULL, "a.md", "## A @a\n- 2026-11-20 #gave\n", NULL);
  KithNote overlay;
  harness_parse_at("b.md", "2026-11-26", "- [ ] 2026-11-21 #gave @a the deck\n", &overlay);
  KithContact tmp = *must(&v, "a");
  CHECK_INT(tmp.status, KITH_STATUS_OK);
  CHECK_INT(overlay.followup_count, 1);
  if (overlay.followup_count)
    kith_ledger_contact_add_followup(&tmp, &overlay.followups[0], &v.ledger.options);
  kith_ledger_contact_finish(&tmp, &v.ledger.options);
  CHECK_INT(tmp.overdue, 1);
  CHECK_INT(tmp.status, KITH_STATUS_OVERDUE);
  kith_note_free(&overlay);
  harness_vault_free(&v);
}

int main(void) {
  RUN(test_totals_across_files);
  RUN(test_exchange_is_one_interaction);
  RUN(test_met_counts_tags);
  RUN(test_first_and_last_day_ignore_file_order);
  RUN(test_days_since_last_never_below_zero);
  RUN(test_first_move_you);
  RUN(test_first_move_them_ignores_earlier_met);
  RUN(test_first_move_both_on_tie_across_files);
  RUN(test_first_move_both_in_an_exchange);
  RUN(test_first_move_none);
  RUN(test_first_move_names);
  RUN(test_status_in_order_of_precedence);
  RUN(test_declared_with_only_uncounted_items_is_new);
  RUN(test_custom_options);
  RUN(test_default_options);
  RUN(test_status_names);
  RUN(test_declared_in_two_files_name_from_first_path);
  RUN(test_declared_twice_in_one_file);
  RUN(test_name_comes_from_declaration_not_first_mention);
  RUN(test_handles_are_case_insensitive);
  RUN(test_counterparty_only_handle);
  RUN(test_uncounted_items_create_no_contacts);
  RUN(test_mention_inside_section_is_no_contact);
  RUN(test_find_unknown_is_null);
  RUN(test_empty_vault);
  RUN(test_contacts_sorted_by_handle);
  RUN(test_first_item_is_earliest_placed);

  RUN(test_cadence_from_first_declaration_carrying_one);
  RUN(test_due_in_uses_cadence_or_dormant_days);
  RUN(test_followups_are_kept_sorted);
  RUN(test_overdue_comes_first);
  RUN(test_planned_and_future_items_are_not_counted);
  RUN(test_leading_run_credits_each_contact);
  RUN(test_ledger_copies_followups);
  RUN(test_followup_merged_from_one_note);
  return harness_finish("test_ledger");
}
