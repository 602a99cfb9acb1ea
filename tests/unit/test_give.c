// What to give (SPEC §1-§3 v3): asks (open until ticked, counting nothing), birthdays (heading
// tag or property; 29 February; the age it brings), snoozes (never dormant, no due hint),
// introductions (a give tagged #intro naming two or more contacts), and what the balances, the
// agenda, the annotation and the review template make of them.

#include "harness.h"

#include <stdio.h>
#include <stdlib.h>

#include "ledger/activity.h"
#include "ledger/agenda.h"
#include "ledger/history.h"
#include "ledger/template.h"

static KithDay day_of(const char *s) {
  KithDay day = 0;
  if (kith_date_parse(s, strlen(s), &day) != 0)
    harness_fail(__FILE__, __LINE__, "bad date %s", s);
  return day;
}

static const KithContact *must(const HarnessVault *v, const char *handle) {
  static KithContact none;
  const KithContact *c = harness_contact(v, handle);
  if (!c) {
    harness_fail(__FILE__, __LINE__, "[%s] no contact @%s", harness_current, handle);
    memset(&none, 0, sizeof none);
    return &none;
  }
  return c;
}

// --- birthdays: the dates -----------------------------------------------------------------

static void test_birthday_values(void) {
  KithBirthday b;
  CHECK_INT(kith_birthday_parse("1990-04-12", 10, &b), 0);
  CHECK_INT(b, 19900412);
  CHECK_INT(kith_birthday_parse("04-12", 5, &b), 0);
  CHECK_INT(b, 412);
  CHECK_INT(kith_birthday_parse("--04-12", 7, &b), 0);
  CHECK_INT(b, 412);
  CHECK_INT(kith_birthday_parse("02-29", 5, &b), 0); // a day some year has
  CHECK_INT(kith_birthday_parse("2000-02-29", 10, &b), 0);
  CHECK_INT(kith_birthday_parse("2001-02-29", 10, &b), -1); // not a real date
  CHECK_INT(kith_birthday_parse("02-30", 5, &b), -1);
  CHECK_INT(kith_birthday_parse("13-01", 5, &b), -1);
  CHECK_INT(kith_birthday_parse("4-12", 4, &b), -1);
  CHECK_INT(kith_birthday_parse("", 0, &b), -1);
  CHECK_INT(kith_birthday_parse("1990-04-12x", 11, &b), -1);
  char text[11];
  kith_birthday_format(19900412, text);
  CHECK_STR(text, "1990-04-12");
  kith_birthday_format(1224, text);
  CHECK_STR(text, "--12-24");
}

static void expect_next(const char *birthday, const char *today, const char *next, int age,
                        int line) {
  KithBirthday b;
  KithDay got;
  int got_age;
  harness_checks++;
  if (kith_birthday_parse(birthday, strlen(birthday), &b) != 0) {
    harness_fail(__FILE__, line, "cannot parse %s", birthday);
    return;
  }
  kith_birthday_next(b, day_of(today), &got, &got_age);
  char text[11];
  kith_date_format(got, text);
  if (got != day_of(next) || got_age != age)
    harness_fail(__FILE__, line, "%s on %s: next %s age %d, want %s age %d", birthday, today, text,
                 got_age, next, age);
}

static void test_birthday_next(void) {
  expect_next("1990-04-12", "2026-11-26", "2027-04-12", 37, __LINE__);
  expect_next("1980-11-26", "2026-11-26", "2026-11-26", 46, __LINE__); // today: 0 days
  expect_next("1980-11-25", "2026-11-26", "2027-11-25", 47, __LINE__); // just passed
  expect_next("--12-31", "2026-12-31", "2026-12-31", -1, __LINE__);
  expect_next("01-01", "2026-12-31", "2027-01-01", -1, __LINE__); // over the year's end
  // 29 February falls on 28 February in other years, on the 29th in leap years.
  expect_next("2000-02-29", "2026-11-26", "2027-02-28", 27, __LINE__);
  expect_next("2000-02-29", "2027-11-26", "2028-02-29", 28, __LINE__);
  expect_next("02-29", "2027-02-28", "2027-02-28", -1, __LINE__);
  expect_next("02-29", "2027-03-01", "2028-02-29", -1, __LINE__);
}

// --- asks ----------------------------------------------------------------------------------

static void test_asks_parse(void) {
  KithNote n;
  harness_parse("## Alice @alice\n"                              // 1
                "- 2026-11-10 #ask a frontend contractor\n"      // 2: open
                "- [x] 2026-11-11 #ask a reviewer\n"             // 3: done
                "- 2026-11-12 #NEEDS beta testers #met coffee\n" // 4: open, and a counted met
                "- [ ] 2026-11-13 #need a flat\n"                // 5: open; no kind: no follow-up
                "- 2026-12-01 #ask later\n"                      // 6: open, after today
                "- #ask no date\n"                               // 7: no date: warning
                "- 2026-11-14 #asking is no ask\n",              // 8: nothing
                &n);
  CHECK_INT(n.ask_count, 4);
  uint32_t lines[] = {2, 4, 5, 6};
  for (uint32_t i = 0; i < n.ask_count && i < 4; i++) {
    CHECK_INT(n.asks[i].line, lines[i]);
    CHECK_STR(kith_note_str(&n, n.asks[i].handle), "alice");
  }
  if (n.ask_count >= 1)
    CHECK_STR(kith_note_str(&n, n.asks[0].text), "#ask a frontend contractor");
  CHECK_INT(n.interaction_count, 1); // line 4's met only; the done ask counts nothing
  if (n.interaction_count == 1) {
    CHECK_INT(n.interactions[0].line, 4);
    CHECK_INT(n.interactions[0].met, 1);
  }
  CHECK_INT(n.followup_count, 0);
  CHECK(harness_has_diag(&n, 7, 1, KITH_SEVERITY_WARNING, "interaction has no date"));
  CHECK(!harness_has_diag(&n, 6, 0, KITH_SEVERITY_WARNING, "future"));
  CHECK_INT(n.diagnostic_count, 1);
  kith_note_free(&n);
}

static void test_asks_ledger(void) {
  HarnessVault v;
  harness_vault(&v, "2026-11-26", NULL,                      //
                "daily/2026-11-20.md",                       //
                "- #ask @ivan a flat in Lisbon\n"            // 1: only an ask
                "- 2026-11-05 #ask @bob @carol a venue\n"    // 2: two of them
                "- [x] 2026-11-06 #ask @jon done already\n", // 3: done: not listed
                "people/bob.md",                             //
                "## Bob @bob\n- 2026-11-01 #ask an older one\n- 2026-11-02 #gave\n", //
                NULL);
  const KithContact *ivan = must(&v, "ivan"), *bob = must(&v, "bob");
  CHECK(!harness_contact(&v, "jon"));
  CHECK_INT(ivan->ask_count, 1);
  CHECK_INT(ivan->interactions, 0); // an ask counts nothing
  CHECK_INT(ivan->status, KITH_STATUS_NEW);
  CHECK_INT(bob->ask_count, 2);
  CHECK_INT(bob->open_asks, 2);
  CHECK_INT(bob->interactions, 1);
  if (bob->ask_count == 2) { // oldest first
    CHECK_INT(bob->asks[0].day, day_of("2026-11-01"));
    CHECK_INT(bob->asks[1].day, day_of("2026-11-05"));
    CHECK_STR(bob->asks[1].text, "#ask @bob @carol a venue");
  }
  CHECK_INT(must(&v, "carol")->ask_count, 1);
  harness_vault_free(&v);
}

// An ask whose counterparties hang on wiki links, in a meeting note and in an item.
static void test_asks_linked(void) {
  HarnessVault v;
  harness_vault(&v, "2026-11-26", NULL,                                 //
                "meetings/2026-11-18 Sync.md",                          //
                "---\npeople: [\"[[Kai Tanaka]]\", \"@zoe\"]\n---\n"    //
                "- #ask a mentor for the management track\n"            // 4: both
                "- [ ] #ask [[Kai Tanaka]] an intro to a manager\n",    // 5: kai
                "people/Kai Tanaka.md", "---\nhandle: \"@kai\"\n---\n", //
                NULL);
  const KithContact *kai = must(&v, "kai"), *zoe = must(&v, "zoe");
  CHECK_INT(kai->ask_count, 2);
  CHECK_INT(zoe->ask_count, 1);
  CHECK_INT(kai->interactions, 1); // the meeting itself; the asks count nothing
  CHECK_INT(kai->met, 1);
  CHECK_INT(kai->followup_count, 0); // an unticked ask without kind tags is no follow-up
  // Nor is it an interaction in a contact's history or a row of the report (fuzz_note found
  // such an ask counted there).
  KithHistory history;
  CHECK_INT(kith_history_build(&history, &v.ledger, &v.set, "kai"), 0);
  CHECK_INT(history.count, 1); // the meeting
  kith_history_free(&history);
  CHECK_INT(kith_history_build(&history, &v.ledger, &v.set, "zoe"), 0);
  CHECK_INT(history.count, 1);
  kith_history_free(&history);
  KithActivityOptions options = {.end = v.ledger.options.today};
  CHECK_INT(kith_periods_make(&options.periods, KITH_PERIOD_MONTH, false, 0, options.end), 0);
  KithActivity activity;
  CHECK_INT(kith_activity_build(&activity, &v.ledger, &v.set, &options), 0);
  CHECK_INT(activity.items, 1);
  for (size_t r = 0; r < activity.row_count; r++)
    CHECK_INT(activity.rows[r].total_met, 1);
  kith_activity_free(&activity);
  harness_vault_free(&v);
}

// --- birthdays and snoozes in the ledger -------------------------------------------------

static void test_birthdays_in_the_ledger(void) {
  HarnessVault v;
  harness_vault(&v, "2026-11-26", NULL,                                                //
                "people/a.md",                                                         //
                "---\nhandle: \"@ann\"\nbirthday: 1990-11-26\n---\n"                   // today
                "# Ann @ann #birthday:03-03\n",                                        // later
                "people/b.md",                                                         //
                "## Ben @ben #birthday:02-30\n"                                        // bad
                "## Ben again @ben #birthday:--12-24\n",                               //
                "people/c.md", "## Cy @cy #birthday:2000-02-29\n- 2026-11-01 #gave\n", //
                NULL);
  const KithContact *ann = must(&v, "ann"), *ben = must(&v, "ben"), *cy = must(&v, "cy");
  CHECK_INT(ann->birthday, 19901126); // the first declaration with a valid one
  CHECK_INT(ann->birthday_in, 0);
  CHECK_INT(ann->age, 36);
  CHECK_INT(ben->birthday, 1224);
  CHECK_INT(ben->birthday_in, 28);
  CHECK_INT(ben->age, -1);
  CHECK(harness_has_diag(&v.notes[1], 1, 13, KITH_SEVERITY_ERROR, "invalid birthday '02-30'"));
  CHECK_INT(cy->birthday_next, day_of("2027-02-28"));
  CHECK_INT(cy->birthday_in, 94);
  CHECK_INT(cy->age, 27);
  KithAnnotationStyle style = {false, true, 7};
  KithBuf out = KITH_BUF_INIT;
  kith_report_annotation(&out, ann, &style);
  CHECK_STR(out.data, "give first · birthday today");
  out.len = 0;
  kith_report_annotation(&out, ben, &style);
  CHECK_STR(out.data, "give first"); // 28 days off: no hint
  kith_buf_free(&out);
  // The names keep no tags.
  CHECK_STR(ben->name, "Ben");
  harness_vault_free(&v);
}

static void test_snooze(void) {
  HarnessVault v;
  harness_vault(&v, "2026-11-26", NULL,                                                 //
                "people/a.md",                                                          //
                "## Al @al #snooze:2026-12-15\n- 2026-06-01 #gave\n- 2026-06-02 #got\n" // 1-3
                "## Bo @bo #snooze:2026-11-01\n- 2026-06-01 #gave\n- 2026-06-02 #got\n" // 4-6
                "## Cy @cy #snooze:2026-12-15 #every:30d\n- 2026-11-20 #met\n"          // 7-8
                "## Di @di #snooze:2026-13-40\n",                                       // 9
                NULL);
  const KithContact *al = must(&v, "al"), *bo = must(&v, "bo"), *cy = must(&v, "cy");
  CHECK(al->snoozing);
  CHECK_INT(al->status, KITH_STATUS_OK); // 177 days, but snoozed: never dormant
  CHECK(!bo->snoozing);                  // a past snooze changes nothing
  CHECK_INT(bo->status, KITH_STATUS_DORMANT);
  CHECK(harness_has_diag(&v.notes[0], 9, 11, KITH_SEVERITY_ERROR, "invalid date '2026-13-40'"));
  KithAnnotationStyle style = {false, true, 7};
  KithBuf out = KITH_BUF_INIT;
  kith_report_annotation(&out, al, &style);
  CHECK_STR(out.data, "↑1 ↓1 ±0 · 177d · snoozed to 2026-12-15");
  out.len = 0;
  kith_report_annotation(&out, cy, &style); // due in 24d: no due hint anyway; snoozed instead
  CHECK_STR(out.data, "↑0 ↓0 ±0 · 6d · snoozed to 2026-12-15");
  kith_buf_free(&out);
  // Not in the agenda's reach-out group.
  KithAgenda agenda;
  CHECK_INT(kith_agenda_build(&agenda, &v.ledger, 7, 14), 0);
  for (size_t i = 0; i < agenda.count; i++)
    CHECK(agenda.items[i].contact != al);
  kith_agenda_free(&agenda);
  harness_vault_free(&v);
}

// --- introductions --------------------------------------------------------------------------

static void test_introductions(void) {
  HarnessVault v;
  harness_vault(&v, "2026-11-26", NULL,                                        //
                "daily/2026-11-20.md",                                         //
                "- #gave #intro @alice @bob\n"                                 // 1: a pair
                "- 2026-11-21 #gave #INTRO @carol, @dan, @eve to each other\n" // 2: three
                "- #got #intro @fay @gus\n"                                    // 3: no give
                "- #gave @hal @ivy #intro\n"                                   // 4: tag later
                "- [ ] #gave #intro @jo @kim\n"                                // 5: planned
                "- #gave #intro @lee\n",                                       // 6: one person
                NULL);
  const KithContact *alice = must(&v, "alice"), *dan = must(&v, "dan");
  CHECK_INT(alice->introduced_count, 1);
  if (alice->introduced_count == 1) {
    CHECK_STR(alice->introduced[0].handle, "bob");
    CHECK_INT(alice->introduced[0].day, day_of("2026-11-20"));
    CHECK_INT(alice->introduced[0].at.line, 1);
  }
  CHECK_INT(alice->gave, 1); // and the give counts as before
  CHECK_INT(must(&v, "bob")->introduced_count, 1);
  CHECK_INT(dan->introduced_count, 2);
  if (dan->introduced_count == 2) { // by date, then handle
    CHECK_STR(dan->introduced[0].handle, "carol");
    CHECK_STR(dan->introduced[1].handle, "eve");
  }
  CHECK_INT(must(&v, "fay")->introduced_count, 0);
  CHECK_INT(must(&v, "hal")->introduced_count, 1);
  CHECK_INT(must(&v, "jo")->introduced_count, 0);
  CHECK_INT(must(&v, "lee")->introduced_count, 0);
  harness_vault_free(&v);
}

// --- the agenda and the review -------------------------------------------------------------

static void test_agenda_groups(void) {
  HarnessVault v;
  harness_vault(&v, "2026-11-26", NULL,                   //
                "people/a.md",                            //
                "## Ann @ann #birthday:11-30\n"           // 1
                "- 2026-11-20 #gave\n- 2026-11-21 #got\n" // 2-3
                "- 2026-11-01 #ask a designer\n"          // 4
                "## Ben @ben #birthday:1980-11-26\n"      // 5
                "## Cy @cy #birthday:12-11\n"             // 6: 15 days
                "- 2026-10-01 #need a reference\n",       // 7
                NULL);
  KithAgenda agenda;
  CHECK_INT(kith_agenda_build(&agenda, &v.ledger, 7, 14), 0);
  // birthday: ben (today), ann (4 days); ask: cy's (older), ann's; give first: ben, cy.
  KithAgendaGroup groups[] = {KITH_AGENDA_BIRTHDAY, KITH_AGENDA_BIRTHDAY,   KITH_AGENDA_ASK,
                              KITH_AGENDA_ASK,      KITH_AGENDA_GIVE_FIRST, KITH_AGENDA_GIVE_FIRST};
  const char *handles[] = {"ben", "ann", "cy", "ann", "ben", "cy"};
  uint32_t lines[] = {5, 1, 7, 4, 5, 6};
  CHECK_INT(agenda.count, 6);
  for (size_t i = 0; i < agenda.count && i < 6; i++) {
    CHECK_INT(agenda.items[i].group, groups[i]);
    CHECK_STR(agenda.items[i].contact->handle, handles[i]);
    CHECK_INT(agenda.items[i].at.line, lines[i]);
  }
  KithBuf out = KITH_BUF_INIT;
  CHECK_INT(kith_agenda_json(&out, &agenda, &v.set), 0);
  CHECK(out.data && strstr(out.data, "{\"group\":\"birthday\",\"handle\":\"ben\",\"name\":\"Ben\","
                                     "\"path\":\"people/a.md\",\"line\":5,\"date\":\"2026-11-26\","
                                     "\"text\":null,"));
  CHECK(out.data && strstr(out.data, "{\"group\":\"ask\",\"handle\":\"cy\",\"name\":\"Cy\","
                                     "\"path\":\"people/a.md\",\"line\":7,\"date\":\"2026-10-01\","
                                     "\"text\":\"#need a reference\","));
  kith_buf_free(&out);
  kith_agenda_free(&agenda);
  // --dates-days 20 takes cy's birthday in.
  CHECK_INT(kith_agenda_build(&agenda, &v.ledger, 7, 20), 0);
  CHECK_INT(agenda.count, 7);
  kith_agenda_free(&agenda);
  // The review: {{asks}}, oldest first; {{birthdays}} within dates_days.
  KithTemplateVars vars = {v.ledger.options.today, NULL, NULL, &v.ledger, &v.set, 14};
  char *error = NULL;
  CHECK_INT(kith_template_render(&out, "review", NULL, &vars, &error), 0);
  const char *asks = out.data ? strstr(out.data, "### Open asks") : NULL;
  const char *cy = asks ? strstr(asks, "- 2026-10-01 @cy (Cy): #need a reference") : NULL;
  const char *ann = asks ? strstr(asks, "- 2026-11-01 @ann (Ann): #ask a designer") : NULL;
  CHECK(cy && ann && cy < ann);
  const char *birthdays = out.data ? strstr(out.data, "### Birthdays") : NULL;
  CHECK(birthdays && strstr(birthdays, "- 2026-11-26 @ben (Ben): birthday today, turns 46"));
  CHECK(birthdays && strstr(birthdays, "- 2026-11-30 @ann (Ann): birthday in 4 days"));
  CHECK(birthdays && !strstr(birthdays, "@cy"));
  free(error);
  kith_buf_free(&out);
  harness_vault_free(&v);
}

// --- the balances JSON ------------------------------------------------------------------------

static void test_json_fields(void) {
  HarnessVault v;
  harness_vault(&v, "2026-11-26", NULL,                                 //
                "people/a.md",                                          //
                "## Ann @ann #birthday:1990-04-12 #snooze:2026-12-24\n" // 1
                "- 2026-11-02 #ask a \"designer\"\n"                    // 2
                "- 2026-11-03 #gave #intro @ann @bob\n",                // 3
                NULL);
  KithBuf out = KITH_BUF_INIT;
  CHECK_INT(kith_report_balances_json(&out, &v.ledger, &v.set), 0);
  CHECK(out.data &&
        strstr(out.data, "\"asks\":[{\"path\":\"people/a.md\",\"line\":2,\"date\":\"2026-11-02\","
                         "\"text\":\"#ask a \\\"designer\\\"\"}],\"birthday\":\"1990-04-12\","
                         "\"birthday_in\":137,\"age\":37,\"snoozed_until\":\"2026-12-24\","
                         "\"introduced\":[{\"handle\":\"bob\",\"date\":\"2026-11-03\","
                         "\"path\":\"people/a.md\",\"line\":3}]"));
  kith_buf_free(&out);
  harness_vault_free(&v);
}

int main(void) {
  RUN(test_birthday_values);
  RUN(test_birthday_next);
  RUN(test_asks_parse);
  RUN(test_asks_ledger);
  RUN(test_asks_linked);
  RUN(test_birthdays_in_the_ledger);
  RUN(test_snooze);
  RUN(test_introductions);
  RUN(test_agenda_groups);
  RUN(test_json_fields);
  return harness_finish("give");
}
