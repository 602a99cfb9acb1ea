// kith report's numbers and outputs (SPEC §3 v2): gives, receives and touch points per contact
// per period, the totals, the JSON, the CSV (RFC 4180 quoting) and the text table that fits a
// width. Every expected number below is counted by hand from the notes written here.

#include "harness.h"

#include <stdio.h>
#include <stdlib.h>

#include "ledger/activity.h"

static KithDay day_of(const char *s) {
  KithDay day = 0;
  if (kith_date_parse(s, strlen(s), &day) != 0)
    harness_fail(__FILE__, __LINE__, "cannot parse %s", s);
  return day;
}

static void sample_vault(HarnessVault *v) {
  harness_vault(v, "2026-11-26", NULL,                          //
                "people/alice.md",                              //
                "## Alice Chen @alice\n"                        // 1
                "- 2026-08-30 #gave:2 before the range\n"       // 2: opening +2
                "- 2026-09-02 #gave intro\n"                    // 3: 2026-09
                "- 2026-09-20 #got:3 feedback #met\n"           // 4: 2026-09
                "- 2026-11-26 #gave today\n"                    // 5: 2026-11
                "- 2026-11-27 #gave tomorrow: not counted\n",   // 6: future
                "daily/2026-10-05.md",                          //
                "- #met @bob, @alice coffee\n"                  // 1: one item, two contacts
                "- 2026-10-06 #got @bob lunch\n"                // 2
                "- [ ] 2026-10-30 #gave @bob planned: never\n", // 3: a follow-up
                "people/carol.md",                              //
                "## Carol @carol\n"                             //
                "- 2025-01-01 #gave long ago\n",                // only before the range
                NULL);
}

static void sample_activity(KithActivity *a, const HarnessVault *v, KithPeriodUnit unit,
                            const char *from, const char *to, const char *const *handles,
                            size_t handle_count) {
  KithActivityOptions o = {.end = day_of(to), .handles = handles, .handle_count = handle_count};
  CHECK_INT(kith_periods_make(&o.periods, unit, from != NULL, from ? day_of(from) : 0, o.end), 0);
  CHECK_INT(kith_activity_build(a, &v->ledger, &v->set, &o), 0);
}

static void test_rows_and_totals(void) {
  HarnessVault v;
  sample_vault(&v);
  KithActivity a;
  sample_activity(&a, &v, KITH_PERIOD_MONTH, "2026-09-01", "2026-11-26", NULL, 0);
  CHECK_INT(a.periods.count, 3); // 2026-09, 2026-10, 2026-11
  CHECK_INT(a.row_count, 2);     // carol has nothing in the range
  const KithActivityRow *alice = &a.rows[0], *bob = &a.rows[1];
  CHECK_STR(alice->contact->handle, "alice");
  CHECK_STR(bob->contact->handle, "bob");
  CHECK_INT(alice->gave[0], 1);
  CHECK_INT(alice->got[0], 3);
  CHECK_INT(alice->met[0], 1);
  CHECK_INT(alice->met[1], 1); // the coffee of the daily note (its file name's date)
  CHECK_INT(alice->gave[2], 1);
  CHECK_INT(alice->total_gave, 2);
  CHECK_INT(alice->total_got, 3);
  CHECK_INT(alice->total_met, 2);
  CHECK_INT(alice->opening, 2);
  CHECK_INT(alice->items, 4);
  CHECK_INT(bob->met[1], 1);
  CHECK_INT(bob->got[1], 1);
  CHECK_INT(bob->total_gave, 0); // the planned give does not count
  CHECK_INT(bob->opening, 0);
  // Totals are the sums of the rows: the coffee counts for both.
  CHECK_INT(a.gave[0], 1);
  CHECK_INT(a.got[1], 1);
  CHECK_INT(a.met[1], 2);
  CHECK_INT(a.total_gave, 2);
  CHECK_INT(a.total_got, 4);
  CHECK_INT(a.total_met, 3);
  CHECK_INT(a.items, 5); // the coffee once
  kith_activity_free(&a);
  harness_vault_free(&v);
}

static void test_calendar(void) {
  HarnessVault v;
  sample_vault(&v);
  KithActivity a;
  sample_activity(&a, &v, KITH_PERIOD_MONTH, NULL, "2026-11-26", NULL, 0);
  CHECK_INT(a.calendar_end, day_of("2026-11-26"));
  uint32_t last = KITH_ACTIVITY_DAYS - 1;
  CHECK_INT(a.calendar[last], 1);                                                 // 2026-11-26
  CHECK_INT(a.calendar[last - (day_of("2026-11-26") - day_of("2026-10-05"))], 1); // once
  CHECK_INT(a.calendar[last - (day_of("2026-11-26") - day_of("2026-09-20"))], 1);
  uint32_t total = 0;
  for (int i = 0; i < KITH_ACTIVITY_DAYS; i++)
    total += a.calendar[i];
  CHECK_INT(total, 6); // 08-30, 09-02, 09-20, 10-05, 10-06, 11-26; carol's 2025 item is older
  kith_activity_free(&a);
  // The calendar ends with --to when that is before today.
  sample_activity(&a, &v, KITH_PERIOD_MONTH, NULL, "2026-10-05", NULL, 0);
  CHECK_INT(a.calendar_end, day_of("2026-10-05"));
  CHECK_INT(a.calendar[last], 1);
  kith_activity_free(&a);
  // ... and with today when --to is later.
  sample_activity(&a, &v, KITH_PERIOD_MONTH, NULL, "2027-03-01", NULL, 0);
  CHECK_INT(a.calendar_end, day_of("2026-11-26"));
  kith_activity_free(&a);
  harness_vault_free(&v);
}

static void test_handles(void) {
  HarnessVault v;
  sample_vault(&v);
  KithActivity a;
  const char *const only_bob[] = {"bob", "nobody"};
  sample_activity(&a, &v, KITH_PERIOD_MONTH, "2026-09-01", "2026-11-26", only_bob, 2);
  CHECK_INT(a.row_count, 1);
  CHECK_STR(a.rows[0].contact->handle, "bob");
  CHECK_INT(a.total_got, 1);
  CHECK_INT(a.total_met, 1);
  CHECK_INT(a.items, 2);
  uint32_t total = 0;
  for (int i = 0; i < KITH_ACTIVITY_DAYS; i++)
    total += a.calendar[i];
  CHECK_INT(total, 2); // only bob's items
  kith_activity_free(&a);
  const char *const carol[] = {"carol"};
  sample_activity(&a, &v, KITH_PERIOD_MONTH, "2026-09-01", "2026-11-26", carol, 1);
  CHECK_INT(a.row_count, 0); // listed only with an item in the range
  kith_activity_free(&a);
  harness_vault_free(&v);
}

static uint32_t calendar_total(const KithActivity *a) {
  uint32_t total = 0;
  for (int i = 0; i < KITH_ACTIVITY_DAYS; i++)
    total += a->calendar[i];
  return total;
}

static void test_wiki_links_and_shared_items(void) {
  // Items whose counterparties are wiki links count for the contacts they name (the ledger
  // resolves them); an item naming two contacts is one item, also when only the second one is
  // reported.
  HarnessVault v;
  harness_vault(&v, "2026-11-26", NULL,                           //
                "people/Dana Lee.md", "---\nhandle: dana\n---\n", //
                "people/bob.md", "# Bob @bob\n",                  //
                "daily/2026-11-20.md",                            //
                "- #gave:2 [[Dana Lee]] an intro\n"               // 1
                "- 2026-11-21 #met @bob, [[Dana Lee]] lunch\n"    // 2
                "- 2026-10-02 #got @bob, @dana review\n"          // 3
                "- [ ] 2026-11-30 #gave [[Dana Lee]] planned\n",  // 4
                NULL);
  KithActivity a;
  sample_activity(&a, &v, KITH_PERIOD_MONTH, "2026-10-01", "2026-11-26", NULL, 0);
  CHECK_INT(a.row_count, 2);
  const KithActivityRow *bob = &a.rows[0], *dana = &a.rows[1];
  CHECK_STR(dana->contact->handle, "dana");
  CHECK_INT(dana->gave[1], 2); // the linked give of 2026-11-20
  CHECK_INT(dana->met[1], 1);  // the lunch, through its link
  CHECK_INT(dana->got[0], 1);
  CHECK_INT(dana->items, 3);
  CHECK_INT(bob->met[1], 1);
  CHECK_INT(bob->got[0], 1);
  CHECK_INT(a.items, 3);
  CHECK_INT(calendar_total(&a), 3);
  kith_activity_free(&a);
  const char *const only_dana[] = {"dana"};
  sample_activity(&a, &v, KITH_PERIOD_MONTH, "2026-10-01", "2026-11-26", only_dana, 1);
  CHECK_INT(a.row_count, 1);
  CHECK_INT(a.items, 3); // bob's record of the shared items comes first, and is left out
  CHECK_INT(calendar_total(&a), 3);
  kith_activity_free(&a);
  harness_vault_free(&v);
}

static char *output(const KithActivity *a, int kind, size_t width) {
  KithBuf buf = KITH_BUF_INIT;
  int rc = kind == 0   ? kith_activity_json(&buf, a)
           : kind == 1 ? kith_activity_csv(&buf, a)
                       : kith_activity_text(&buf, a, width);
  CHECK_INT(rc, 0);
  return kith_buf_take(&buf);
}

static void test_json(void) {
  HarnessVault v;
  sample_vault(&v);
  KithActivity a;
  sample_activity(&a, &v, KITH_PERIOD_MONTH, "2026-09-01", "2026-11-26", NULL, 0);
  char *json = output(&a, 0, 0);
  CHECK_STR(json, "{\"today\":\"2026-11-26\",\"by\":\"month\","
                  "\"periods\":[\"2026-09\",\"2026-10\",\"2026-11\"],\"rows\":["
                  "{\"handle\":\"alice\",\"name\":\"Alice Chen\",\"gave\":[1,0,1],\"got\":[3,0,0],"
                  "\"met\":[1,1,0],\"total\":{\"gave\":2,\"got\":3,\"met\":2}},"
                  "{\"handle\":\"bob\",\"name\":\"bob\",\"gave\":[0,0,0],\"got\":[0,1,0],"
                  "\"met\":[0,1,0],\"total\":{\"gave\":0,\"got\":1,\"met\":1}}],"
                  "\"totals\":{\"gave\":[1,0,1],\"got\":[3,1,0],\"met\":[1,2,0]}}\n");
  free(json);
  kith_activity_free(&a);
  // By ISO week across the year end of 2020 (week 53).
  HarnessVault w;
  harness_vault(&w, "2021-01-10", NULL, "a.md",
                "- 2020-12-31 #gave @x\n- 2021-01-03 #got @x\n- 2021-01-04 #met @x\n", NULL);
  sample_activity(&a, &w, KITH_PERIOD_WEEK, "2020-12-28", "2021-01-10", NULL, 0);
  json = output(&a, 0, 0);
  CHECK_STR(json, "{\"today\":\"2021-01-10\",\"by\":\"week\",\"periods\":[\"2020-W53\","
                  "\"2021-W01\"],\"rows\":[{\"handle\":\"x\",\"name\":\"x\",\"gave\":[1,0],"
                  "\"got\":[1,0],\"met\":[0,1],\"total\":{\"gave\":1,\"got\":1,\"met\":1}}],"
                  "\"totals\":{\"gave\":[1,0],\"got\":[1,0],\"met\":[0,1]}}\n");
  free(json);
  kith_activity_free(&a);
  harness_vault_free(&w);
  harness_vault_free(&v);
}

static void test_empty(void) {
  HarnessVault v;
  harness_vault(&v, "2026-11-26", NULL, "a.md", "# nothing here\n", NULL);
  KithActivity a;
  sample_activity(&a, &v, KITH_PERIOD_QUARTER, "2026-11-26", "2026-11-26", NULL, 0);
  char *json = output(&a, 0, 0);
  CHECK_STR(json, "{\"today\":\"2026-11-26\",\"by\":\"quarter\",\"periods\":[\"2026-Q4\"],"
                  "\"rows\":[],\"totals\":{\"gave\":[0],\"got\":[0],\"met\":[0]}}\n");
  free(json);
  char *csv = output(&a, 1, 0);
  CHECK_STR(csv, "handle,name,period,gave,got,met\n");
  free(csv);
  char *text = output(&a, 2, 100);
  CHECK(strstr(text, "No counted interaction") != NULL);
  free(text);
  kith_activity_free(&a);
  harness_vault_free(&v);
}

static void test_csv_quoting(void) {
  HarnessVault v;
  harness_vault(&v, "2026-11-26", NULL, "a.md",
                "## Smith, \"Jo\" @jo\n- 2026-11-02 #gave:2 x\n"
                "## Plain Name @plain\n- 2026-10-02 #got x\n",
                NULL);
  KithActivity a;
  sample_activity(&a, &v, KITH_PERIOD_MONTH, "2026-10-01", "2026-11-26", NULL, 0);
  char *csv = output(&a, 1, 0);
  CHECK_STR(csv, "handle,name,period,gave,got,met\n"
                 "jo,\"Smith, \"\"Jo\"\"\",2026-10,0,0,0\n"
                 "jo,\"Smith, \"\"Jo\"\"\",2026-11,2,0,0\n"
                 "plain,Plain Name,2026-10,0,1,0\n"
                 "plain,Plain Name,2026-11,0,0,0\n");
  free(csv);
  kith_activity_free(&a);
  harness_vault_free(&v);
}

// The longest line of `text`, in columns.
static size_t widest(const char *text, size_t skip_after_blank) {
  size_t most = 0, blanks = 0;
  for (const char *line = text; *line;) {
    const char *end = strchr(line, '\n');
    size_t len = end ? (size_t)(end - line) : strlen(line);
    char copy[1024];
    snprintf(copy, sizeof copy, "%.*s", (int)len, line);
    blanks += len == 0;
    size_t w = kith_report_width(copy);
    if (blanks < skip_after_blank && w > most)
      most = w;
    line = end ? end + 1 : line + len;
  }
  return most;
}

// The header line of a table (the one beginning with "Contact"), copied.
static const char *header_line(const char *text) {
  static char line[1024];
  const char *at = strstr(text, "\nContact");
  line[0] = '\0';
  if (at)
    snprintf(line, sizeof line, "%.*s", (int)strcspn(at + 1, "\n"), at + 1);
  return line;
}

static void test_text_table(void) {
  HarnessVault v;
  sample_vault(&v);
  KithActivity a;
  sample_activity(&a, &v, KITH_PERIOD_MONTH, "2026-09-01", "2026-11-26", NULL, 0);
  char *text = output(&a, 2, 100);
  CHECK_STR(text, "Gave/got per month, 2026-09 to 2026-11 (today 2026-11-26)\n"
                  "\n"
                  "Contact  2026-09  2026-10  2026-11  Total  Average  Balance\n"
                  "@alice       1/3      0/0      1/0    2/3  0.7/1.0       -1\n"
                  "@bob           -      0/1        -    0/1  0.0/0.3       -1\n"
                  "-----------------------------------------------------------\n"
                  "Total        1/3      0/1      1/0    2/4  0.7/1.3       -2\n");
  free(text);
  kith_activity_free(&a);
  harness_vault_free(&v);
}

static void test_text_fits_the_width(void) {
  HarnessVault v;
  sample_vault(&v);
  KithActivity a;
  sample_activity(&a, &v, KITH_PERIOD_WEEK, NULL, "2026-11-26", NULL, 0);
  CHECK_INT(a.periods.count, 12);
  char *all = output(&a, 2, 0);
  size_t full = widest(all, 99);
  CHECK(full > 100);
  CHECK(strstr(all, "2026-W37") != NULL);
  CHECK(strstr(all, "left out") == NULL);
  char *fit = output(&a, 2, 100);
  CHECK(widest(fit, 2) <= 100);           // title and table; the note follows the second blank line
  CHECK(strstr(fit, "2026-W48") != NULL); // the latest periods stay
  CHECK(strstr(header_line(fit), "2026-W37") == NULL);
  CHECK(strstr(header_line(all), "2026-W37") != NULL);
  char note[160];
  snprintf(note, sizeof note, "are left out to fit 100 columns; --width %zu shows them.", full);
  CHECK(strstr(fit, note) != NULL);
  CHECK(strstr(fit, "2026-W37 to ") != NULL);
  // Totals still count the periods left out: the same Total row as the full table.
  const char *total_all = strstr(all, "\nTotal"), *total_fit = strstr(fit, "\nTotal");
  CHECK(total_all && total_fit);
  if (total_all && total_fit) {
    const char *end_all = strchr(total_all + 1, '\n'), *end_fit = strchr(total_fit + 1, '\n');
    size_t tail = 30; // Total, Average and Balance, right-aligned at the end of the line
    CHECK(strncmp(end_all - tail, end_fit - tail, tail) == 0);
  }
  // A width too small for even one period keeps one.
  char *narrow = output(&a, 2, 10);
  CHECK(strstr(header_line(narrow), "2026-W48") != NULL);
  CHECK(strstr(header_line(narrow), "2026-W47") == NULL);
  free(all);
  free(fit);
  free(narrow);
  kith_activity_free(&a);
  harness_vault_free(&v);
}

int main(void) {
  RUN(test_rows_and_totals);
  RUN(test_calendar);
  RUN(test_handles);
  RUN(test_wiki_links_and_shared_items);
  RUN(test_json);
  RUN(test_empty);
  RUN(test_csv_quoting);
  RUN(test_text_table);
  RUN(test_text_fits_the_width);
  return harness_finish("activity");
}
