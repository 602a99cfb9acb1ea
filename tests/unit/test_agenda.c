// The agenda (SPEC §3 v2): its groups in order, the order within each group, ties, the window
// of follow-ups due, the JSON and text forms, and dates across month and year ends.

#include "harness.h"

#include <stdio.h>
#include <stdlib.h>

#include "ledger/agenda.h"

// today 2026-12-28. The expected agenda, worked out by hand, is in test_groups_and_order.
static void agenda_vault(HarnessVault *v) {
  harness_vault(v, "2026-12-28", NULL,                          //
                "people/a.md",                                  //
                "## Ann @ann #every:1w\n"                       // 1
                "- 2026-12-20 #gave\n"                          // 2: 8 days ago, every 7
                "- [ ] 2026-12-27 #gave send the deck\n"        // 3: 1 day overdue
                "- [ ] 2027-01-04 #met lunch\n"                 // 4: due in 7 days
                "## Ben @ben\n"                                 // 5
                "- 2026-09-01 #gave\n"                          // 6: 118 days ago, every 90
                "## Cat @cat #every:2w\n"                       // 7
                "- 2026-12-01 #met\n"                           // 8: 27 days ago, every 14
                "- [ ] 2027-01-05 #gave intro\n"                // 9: due in 8 days
                "## Dan @dan\n"                                 // 10: new
                "## Eve @eve\n"                                 // 11
                "- 2026-12-20 #got:3\n"                         // 12: owe -3
                "## Fox @fox\n"                                 // 13
                "- 2026-12-20 #got\n"                           // 14: owe -1
                "## Gil @gil\n"                                 // 15
                "- 2026-12-20 #gave:5\n"                        // 16: let them help, gave 5
                "## Hal @hal\n"                                 // 17
                "- 2026-12-20 #gave:3\n",                       // 18: let them help, gave 3
                "daily/2026-12-24.md",                          //
                "- [ ] #gave @ivy, @ann the intro\n"            // 1: 12-24, 4 days overdue
                "- [ ] 2026-12-28 #met @dan coffee\n"           // 2: due today
                "- [ ] 2027-01-01 #gave @gil @hal the books\n", // 3: due in 4 days
                "notes/z.md",                                   //
                "- [ ] #gave @zed something\n"                  // 1: undated: zed is new
                "- 2026-12-01 #got @yan\n",                     // 2: yan owes -1, undeclared
                NULL);
}

typedef struct {
  KithAgendaGroup group;
  const char *handle, *path;
  uint32_t line;
  const char *reason;
} Want;

static void expect_agenda(const HarnessVault *v, int days, const Want *want, size_t n, int line) {
  KithAgenda agenda;
  if (kith_agenda_build(&agenda, &v->ledger, days, 14) != 0) {
    harness_fail(__FILE__, line, "kith_agenda_build failed");
    return;
  }
  harness_checks++;
  if (agenda.count != n)
    harness_fail(__FILE__, line, "%zu items, want %zu", agenda.count, n);
  KithBuf reason = KITH_BUF_INIT;
  for (size_t i = 0; i < agenda.count && i < n; i++) {
    const KithAgendaItem *it = &agenda.items[i];
    const char *path = kith_report_path(&v->set, it->at.note);
    reason.len = 0;
    kith_agenda_reason(&reason, &agenda, it);
    harness_checks++;
    if (it->group != want[i].group || strcmp(it->contact->handle, want[i].handle) != 0 ||
        strcmp(path, want[i].path) != 0 || it->at.line != want[i].line ||
        (want[i].reason && strcmp(reason.data ? reason.data : "", want[i].reason) != 0))
      harness_fail(__FILE__, line, "item %zu: %s @%s %s:%u '%s', want %s @%s %s:%u '%s'", i,
                   kith_agenda_group_name(it->group), it->contact->handle, path, it->at.line,
                   reason.data ? reason.data : "", kith_agenda_group_name(want[i].group),
                   want[i].handle, want[i].path, want[i].line,
                   want[i].reason ? want[i].reason : "");
  }
  kith_buf_free(&reason);
  kith_agenda_free(&agenda);
}

#define EXPECT_AGENDA(v, days, want)                                                               \
  expect_agenda(v, days, want, sizeof want / sizeof *want, __LINE__)

#define OVERDUE KITH_AGENDA_FOLLOWUP_OVERDUE
#define DUE KITH_AGENDA_FOLLOWUP_DUE
#define REACH KITH_AGENDA_REACH_OUT
#define FIRST KITH_AGENDA_GIVE_FIRST
#define OWE KITH_AGENDA_OWE
#define HELP KITH_AGENDA_LET_THEM_HELP

static void test_groups_and_order(void) {
  HarnessVault v;
  agenda_vault(&v);
  static const Want want[] = {
      // Overdue follow-ups, oldest first; the same date goes by handle. The one item names ann
      // and ivy: once per counterparty. Ann's status is overdue: she is in no contact group.
      {OVERDUE, "ann", "daily/2026-12-24.md", 1, "4 days overdue"},
      {OVERDUE, "ivy", "daily/2026-12-24.md", 1, "4 days overdue"},
      {OVERDUE, "ann", "people/a.md", 3, "1 day overdue"},
      // Due from today to today + 7 = 2027-01-04, soonest first (cat's 2027-01-05 is not).
      {DUE, "dan", "daily/2026-12-24.md", 2, "due today"},
      {DUE, "gil", "daily/2026-12-24.md", 3, "due in 4 days"},
      {DUE, "hal", "daily/2026-12-24.md", 3, "due in 4 days"},
      {DUE, "ann", "people/a.md", 4, "due in 7 days"},
      // Dormant by each one's own cadence, smallest due_in first: ben 90 - 118 = -28, cat
      // 14 - 27 = -13.
      {REACH, "ben", "people/a.md", 5, "last contact 118 days ago, every 90 days"},
      {REACH, "cat", "people/a.md", 7, "last contact 27 days ago, every 14 days"},
      // New: dan (declared), zed (only a follow-up: placed at it).
      {FIRST, "dan", "people/a.md", 10, "nothing exchanged yet"},
      {FIRST, "zed", "notes/z.md", 1, NULL},
      // Smallest balance first; fox and yan tie at -1: by handle. Yan is undeclared: placed at
      // its first counted interaction.
      {OWE, "eve", "people/a.md", 11, "gave 0, got 3"},
      {OWE, "fox", "people/a.md", 13, "gave 0, got 1"},
      {OWE, "yan", "notes/z.md", 2, NULL},
      // Largest gave first.
      {HELP, "gil", "people/a.md", 15, "gave 5, got nothing yet"},
      {HELP, "hal", "people/a.md", 17, NULL},
  };
  EXPECT_AGENDA(&v, 7, want);
  harness_vault_free(&v);
}

static void test_days_sets_the_window(void) {
  HarnessVault v;
  agenda_vault(&v);
  KithAgenda a0, a8;
  CHECK_INT(kith_agenda_build(&a0, &v.ledger, 0, 14), 0);
  CHECK_INT(kith_agenda_build(&a8, &v.ledger, 8, 14), 0);
  size_t due0 = 0, due8 = 0;
  for (size_t i = 0; i < a0.count; i++)
    due0 += a0.items[i].group == KITH_AGENDA_FOLLOWUP_DUE;
  for (size_t i = 0; i < a8.count; i++)
    due8 += a8.items[i].group == KITH_AGENDA_FOLLOWUP_DUE;
  CHECK_INT(due0, 1); // only today's
  CHECK_INT(due8, 5); // and cat's on 2027-01-05
  CHECK_INT(a0.count, 16 - 3);
  CHECK_INT(a8.count, 16 + 1);
  kith_agenda_free(&a0);
  kith_agenda_free(&a8);
  harness_vault_free(&v);
}

static void test_undated_followups_are_never_due(void) {
  HarnessVault v;
  harness_vault(&v, "2026-12-28", NULL, "a.md", "## A @a\n- 2026-12-27 #met\n- [ ] #gave x\n",
                NULL);
  KithAgenda a;
  CHECK_INT(kith_agenda_build(&a, &v.ledger, 100000, 14), 0);
  CHECK_INT(a.count, 0);
  kith_agenda_free(&a);
  harness_vault_free(&v);
}

static void test_dates_across_month_and_year_ends(void) {
  HarnessVault v;
  harness_vault(&v, "2028-03-01", NULL, "a.md",
                "## A @a\n"
                "- 2028-02-28 #met\n"
                "- [ ] 2028-02-28 #gave leap\n"  // 2 days overdue: 2028-02-29 exists
                "- [ ] 2028-03-08 #gave week\n", // due in 7 days
                NULL);
  static const Want leap[] = {
      {OVERDUE, "a", "a.md", 3, "2 days overdue"},
      {DUE, "a", "a.md", 4, "due in 7 days"},
  };
  EXPECT_AGENDA(&v, 7, leap);
  harness_vault_free(&v);

  harness_vault(&v, "2027-01-02", NULL, "a.md",
                "## A @a\n"
                "- 2027-01-01 #met\n"
                "- [ ] 2026-12-30 #gave old\n"    // 3 days overdue across the year end
                "- [ ] 2027-01-09 #gave soon\n"   // due in 7 days
                "- [ ] 2027-01-10 #gave later\n", // not yet
                NULL);
  static const Want year[] = {
      {OVERDUE, "a", "a.md", 3, "3 days overdue"},
      {DUE, "a", "a.md", 4, "due in 7 days"},
  };
  EXPECT_AGENDA(&v, 7, year);
  harness_vault_free(&v);

  harness_vault(&v, "2026-01-31", NULL, "a.md",
                "## A @a\n"
                "- 2025-11-02 #met\n"               // 90 days before: not dormant yet
                "- [ ] 2026-02-01 #gave tomorrow\n" // across a month end
                "- [ ] 2026-02-07 #gave week\n"
                "- [ ] 2026-02-08 #gave later\n",
                NULL);
  static const Want month[] = {
      {DUE, "a", "a.md", 3, "due tomorrow"},
      {DUE, "a", "a.md", 4, "due in 7 days"},
  };
  EXPECT_AGENDA(&v, 7, month);
  CHECK_INT(harness_contact(&v, "a") ? harness_contact(&v, "a")->due_in : -1, 0);
  harness_vault_free(&v);
}

static char *agenda_output(const HarnessVault *v, int days, bool json) {
  KithAgenda agenda;
  KithBuf buf = KITH_BUF_INIT;
  CHECK_INT(kith_agenda_build(&agenda, &v->ledger, days, 14), 0);
  CHECK_INT(json ? kith_agenda_json(&buf, &agenda, &v->set)
                 : kith_agenda_text(&buf, &agenda, &v->set),
            0);
  kith_agenda_free(&agenda);
  if (!buf.data)
    kith_buf_puts(&buf, "");
  return kith_buf_take(&buf);
}

static void expect_in(const char *text, const char *fragment, int line) {
  harness_checks++;
  if (!strstr(text, fragment))
    harness_fail(__FILE__, line, "missing %s in\n%s", fragment, text);
}
#define EXPECT_IN(text, fragment) expect_in(text, fragment, __LINE__)

static void test_json(void) {
  HarnessVault v;
  agenda_vault(&v);
  char *json = agenda_output(&v, 7, true);
  const char *start = "{\"today\":\"2026-12-28\",\"items\":[{\"group\":\"followup-overdue\"";
  CHECK(strncmp(json, start, strlen(start)) == 0);
  EXPECT_IN(json, "{\"group\":\"followup-overdue\",\"handle\":\"ann\",\"name\":\"Ann\","
                  "\"path\":\"daily/2026-12-24.md\",\"line\":1,\"date\":\"2026-12-24\","
                  "\"text\":\"#gave @ivy, @ann the intro\",\"reason\":\"4 days overdue\"}");
  EXPECT_IN(json, "{\"group\":\"reach-out\",\"handle\":\"ben\",\"name\":\"Ben\","
                  "\"path\":\"people/a.md\",\"line\":5,\"date\":\"2026-09-01\",\"text\":null,"
                  "\"reason\":\"last contact 118 days ago, every 90 days\"}");
  EXPECT_IN(json, "{\"group\":\"give-first\",\"handle\":\"dan\",\"name\":\"Dan\","
                  "\"path\":\"people/a.md\",\"line\":10,\"date\":null,\"text\":null,");
  EXPECT_IN(json, "{\"group\":\"owe\",\"handle\":\"yan\",\"name\":\"yan\","
                  "\"path\":\"notes/z.md\",\"line\":2,\"date\":\"2026-12-01\",\"text\":null,");
  EXPECT_IN(json, "\"group\":\"let-them-help\",\"handle\":\"hal\"");
  EXPECT_IN(json, "}]}\n");
  free(json);
  harness_vault_free(&v);
}

static void test_text_is_grouped_and_aligned(void) {
  HarnessVault v;
  agenda_vault(&v);
  char *text = agenda_output(&v, 7, false);
  const char *headers[] = {"Agenda for Monday 2026-12-28\n",
                           "\nOverdue follow-ups\n",
                           "\nFollow-ups due in the next 7 days\n",
                           "\nReach out\n",
                           "\nGive first\n",
                           "\nYour turn to give\n",
                           "\nLet them return the favour\n"};
  const char *at = text;
  for (size_t i = 0; i < sizeof headers / sizeof *headers; i++) {
    const char *h = strstr(at, headers[i]);
    harness_checks++;
    if (!h)
      harness_fail(__FILE__, __LINE__, "missing or out of order: %s in\n%s", headers[i], text);
    else
      at = h;
  }
  // One line per item (16), each indented, with the reason and the place; the places line up
  // within a group, the texts (after date and handle) across the agenda.
  size_t items = 0, column = 0, what = 0;
  bool aligned = true;
  for (const char *line = text; line && *line;) {
    const char *nl = strchr(line, '\n');
    if (line[0] != ' ')
      column = 0; // a header: a new group
    if (strncmp(line, "  ", 2) == 0) {
      const char *mark = strchr(line, '@');
      const char *after = mark ? strchr(mark, ' ') : NULL;
      while (after && *after == ' ')
        after++;
      size_t w = after ? (size_t)(after - line) : 0;
      if (what == 0)
        what = w;
      aligned &= w == what;
      items++;
      const char *where = strstr(line, "people/");
      if (!where || (nl && where > nl))
        where = strstr(line, "daily/");
      if (!where || (nl && where > nl))
        where = strstr(line, "notes/");
      size_t col = where ? (size_t)(where - line) : 0;
      // (all lines are ASCII up to the place: column = byte offset)
      if (column == 0)
        column = col;
      aligned &= col == column;
    }
    line = nl ? nl + 1 : NULL;
  }
  CHECK_INT(items, 16);
  CHECK(aligned);
  EXPECT_IN(text, "  2026-12-24  @ann  #gave @ivy, @ann the intro");
  EXPECT_IN(text, "4 days overdue");
  EXPECT_IN(text, "@ben  Ben");
  free(text);
  harness_vault_free(&v);

  harness_vault(&v, "2026-12-28", NULL, "a.md", "## A @a\n- 2026-12-27 #met\n", NULL);
  text = agenda_output(&v, 7, false);
  EXPECT_IN(text, "Nothing to do");
  free(text);
  harness_vault_free(&v);
}

static void test_group_names(void) {
  CHECK_STR(kith_agenda_group_name(KITH_AGENDA_FOLLOWUP_OVERDUE), "followup-overdue");
  CHECK_STR(kith_agenda_group_name(KITH_AGENDA_FOLLOWUP_DUE), "followup-due");
  CHECK_STR(kith_agenda_group_name(KITH_AGENDA_REACH_OUT), "reach-out");
  CHECK_STR(kith_agenda_group_name(KITH_AGENDA_GIVE_FIRST), "give-first");
  CHECK_STR(kith_agenda_group_name(KITH_AGENDA_OWE), "owe");
  CHECK_STR(kith_agenda_group_name(KITH_AGENDA_LET_THEM_HELP), "let-them-help");
}

int main(void) {
  RUN(test_groups_and_order);
  RUN(test_days_sets_the_window);
  RUN(test_undated_followups_are_never_due);
  RUN(test_dates_across_month_and_year_ends);
  RUN(test_json);
  RUN(test_text_is_grouped_and_aligned);
  RUN(test_group_names);
  return harness_finish("test_agenda");
}
