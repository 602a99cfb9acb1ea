// The sparkline of annotations.sparkline (SPEC §5 v2): the ledger counts each contact's items per
// month over the 12 months ending with today's, and the sparkline draws them, one character per
// month, scaled to the contact's busiest month, a space for a month without any.

#include "harness.h"

#include <stdio.h>

static void spark_vault(HarnessVault *v) {
  harness_vault(v, "2026-11-26", NULL, //
                "a.md",                //
                "## Alice @alice\n"
                "- 2025-11-30 #gave 12 months back: not kept\n"
                "- 2025-12-01 #gave the oldest month kept\n"
                "- 2025-12-31 #met\n"
                "- 2026-10-15 #got\n"
                "- 2026-11-01 #gave\n"
                "- 2026-11-02 #gave\n"
                "- 2026-11-03 #gave #got one item\n"
                "- 2026-11-26 #met today\n"
                "- 2026-11-27 #gave tomorrow: not counted\n"
                "## Bob @bob\n"
                "- 2024-01-01 #gave long ago\n"
                "## Cy @cy\n",
                NULL);
}

static void test_months(void) {
  HarnessVault v;
  spark_vault(&v);
  const KithContact *a = harness_contact(&v, "alice");
  CHECK(a != NULL);
  if (!a)
    return;
  CHECK_INT(a->months[0], 2); // 2025-12
  for (int i = 1; i < 10; i++)
    CHECK_INT(a->months[i], 0);
  CHECK_INT(a->months[10], 1); // 2026-10
  CHECK_INT(a->months[11], 4); // 2026-11: items, not weights or tags
  CHECK_INT(harness_contact(&v, "bob")->months[11], 0);
  harness_vault_free(&v);
}

static void test_sparkline(void) {
  HarnessVault v;
  spark_vault(&v);
  char line[KITH_SPARKLINE_SIZE];
  // 2 of 4 is level 4 of 8 (▄), 1 of 4 level 2 (▂), 4 of 4 the top (█).
  CHECK(kith_report_sparkline(line, harness_contact(&v, "alice"), false));
  CHECK_STR(line, "▄         ▂█");
  CHECK_INT(kith_report_width(line), 12);
  // ASCII: five steps _.-=#: 2 of 4 is 3 (-), 1 of 4 is 2 (.), 4 of 4 is 5 (#).
  CHECK(kith_report_sparkline(line, harness_contact(&v, "alice"), true));
  CHECK_STR(line, "-         .#");
  // No item in the last 12 months, or none at all: nothing to draw.
  CHECK(!kith_report_sparkline(line, harness_contact(&v, "bob"), false));
  CHECK_STR(line, "");
  CHECK(!kith_report_sparkline(line, harness_contact(&v, "cy"), true));
  harness_vault_free(&v);
}

static void test_scale(void) {
  KithContact c;
  memset(&c, 0, sizeof c);
  for (int i = 0; i < KITH_LEDGER_MONTHS; i++)
    c.months[i] = (uint32_t)(i * 100); // 0, 100, ..., 1100
  char line[KITH_SPARKLINE_SIZE];
  CHECK(kith_report_sparkline(line, &c, false));
  // ceil(8 i / 11): 0 1 2 3 3 4 5 6 6 7 8 8 -> " ▁▂▃▃▄▅▆▆▇██"
  CHECK_STR(line, " ▁▂▃▃▄▅▆▆▇██");
  c.months[0] = 1; // the smallest count still shows
  c.months[11] = 1000000;
  CHECK(kith_report_sparkline(line, &c, true));
  CHECK(line[0] == '_');
  CHECK(line[11] == '#');
}

static void test_merged_item(void) {
  // The editor merges a buffer's items into a ledger built without them.
  HarnessVault v;
  spark_vault(&v);
  KithContact c = *harness_contact(&v, "alice");
  KithInteraction it = {0};
  it.day = 0;
  kith_date_parse("2026-06-10", 10, &it.day);
  it.gave = 1;
  kith_ledger_contact_add(&c, UINT32_MAX, &it, &v.ledger.options);
  CHECK_INT(c.months[6], 1); // 2026-06
  kith_date_parse("2025-06-10", 10, &it.day);
  kith_ledger_contact_add(&c, UINT32_MAX, &it, &v.ledger.options);
  int total = 0;
  for (int i = 0; i < KITH_LEDGER_MONTHS; i++)
    total += (int)c.months[i];
  CHECK_INT(total, 2 + 1 + 4 + 1); // 2025-06 is out of the window
  harness_vault_free(&v);
}

int main(void) {
  RUN(test_months);
  RUN(test_sparkline);
  RUN(test_scale);
  RUN(test_merged_item);
  return harness_finish("sparkline");
}
