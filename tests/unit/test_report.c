// Output: the heading annotations of SPEC §5 and the JSON / text reports of SPEC §3.

#include "harness.h"

#include <stdio.h>
#include <stdlib.h>

#include "base/buf.h"
#include "base/utf8.h"
#include "ledger/report.h"

// --- annotations ---------------------------------------------------------------------------

// A vault with one contact in each state, today 2026-11-26.
static void annotation_vault(HarnessVault *v) {
  harness_vault(v, "2026-11-26", NULL,              //
                "people.md",                        //
                "## New @new\n"                     //
                "\n"                                //
                "# Log\n"                           //
                "- 2026-11-20 #gave:5 #got:2 @ok\n" // +3, 6 days
                "- 2026-11-22 #gave:4 @lth\n"       // let them help, 4 days
                "- 2026-11-26 #met @zero\n"         // ±0, today
                "- 2026-11-16 #gave #got:2 @owe\n"  // -1, 10 days
                "- 2026-08-18 #gave #got @dor\n",   // 100 days: dormant
                NULL);
}

// The annotation of `handle`, into a static buffer.
static const char *annotation(const HarnessVault *v, const char *handle, bool ascii) {
  static char text[256];
  const KithContact *c = harness_contact(v, handle);
  if (!c)
    return "(no contact)";
  KithBuf buf = KITH_BUF_INIT;
  if (kith_report_annotation(&buf, c, &(KithAnnotationStyle){ascii, false, 7}) != 0) {
    kith_buf_free(&buf);
    return "(failed)";
  }
  snprintf(text, sizeof text, "%s", buf.data ? buf.data : "");
  kith_buf_free(&buf);
  return text;
}

static void test_annotation_ok_has_no_hint(void) {
  HarnessVault v;
  annotation_vault(&v);
  CHECK_STR(annotation(&v, "ok", false), "↑5 ↓2 +3 · 6d");
  harness_vault_free(&v);
}

static void test_annotation_let_them_help(void) {
  HarnessVault v;
  annotation_vault(&v);
  CHECK_STR(annotation(&v, "lth", false), "↑4 ↓0 +4 · 4d · let them return the favour");
  harness_vault_free(&v);
}

static void test_annotation_zero_balance(void) {
  HarnessVault v;
  annotation_vault(&v);
  CHECK_STR(annotation(&v, "zero", false), "↑0 ↓0 ±0 · 0d");
  harness_vault_free(&v);
}

static void test_annotation_owe(void) {
  HarnessVault v;
  annotation_vault(&v);
  CHECK_STR(annotation(&v, "owe", false), "↑1 ↓2 -1 · 10d · your turn to give");
  harness_vault_free(&v);
}

static void test_annotation_new_is_hint_alone(void) {
  HarnessVault v;
  annotation_vault(&v);
  CHECK_STR(annotation(&v, "new", false), "give first");
  CHECK_STR(annotation(&v, "new", true), "give first");
  harness_vault_free(&v);
}

static void test_annotation_dormant(void) {
  HarnessVault v;
  annotation_vault(&v);
  CHECK_STR(annotation(&v, "dor", false), "↑1 ↓1 ±0 · 100d · dormant — reach out");
  harness_vault_free(&v);
}

static void test_annotation_ascii_swaps_arrows(void) {
  HarnessVault v;
  annotation_vault(&v);
  CHECK_STR(annotation(&v, "ok", true), "gave 5 got 2 +3 · 6d");
  CHECK_STR(annotation(&v, "owe", true), "gave 1 got 2 -1 · 10d · your turn to give");
  CHECK_STR(annotation(&v, "lth", true), "gave 4 got 0 +4 · 4d · let them return the favour");
  harness_vault_free(&v);
}

static void test_annotation_appends(void) {
  HarnessVault v;
  annotation_vault(&v);
  KithBuf buf = KITH_BUF_INIT;
  kith_buf_puts(&buf, "x:");
  CHECK_INT(kith_report_annotation(&buf, harness_contact(&v, "new"), &(KithAnnotationStyle){0}), 0);
  CHECK_STR(buf.data, "x:give first");
  kith_buf_free(&buf);
  harness_vault_free(&v);
}

static void test_hints(void) {
  CHECK_STR(kith_report_hint(KITH_STATUS_NEW), "give first");
  CHECK_STR(kith_report_hint(KITH_STATUS_DORMANT), "dormant — reach out");
  CHECK_STR(kith_report_hint(KITH_STATUS_OWE), "your turn to give");
  CHECK_STR(kith_report_hint(KITH_STATUS_LET_THEM_HELP), "let them return the favour");
  CHECK(kith_report_hint(KITH_STATUS_OK) == NULL);
}

// --- balances JSON -------------------------------------------------------------------------

static void json_vault(HarnessVault *v) {
  harness_vault(v, "2026-11-26", NULL,                //
                "people/a.md",                        //
                "## Alice Chen @alice\n"              //
                "- 2026-01-04 #gave:3 intro\n"        //
                "- 2026-11-20 #got:2 #gave:2 lunch\n" //
                "- 2026-06-01 #met\n",                //
                "people/new.md",                      //
                "## Nel \"Q\" @nel\n",                //
                "daily/2026-11-20.md",                //
                "# Day\n"                             // 1
                "\n"                                  // 2
                "- 2026-11-20 #got:2 @bob\n"          // 3
                "- 2026-11-20 #gave intro\n"          // 4: names no contact
                "- 2026-02-30 #gave:x @bob\n",        // 5: invalid date, bad weight
                "b.md",                               //
                "- #gave @x\n",                       // 1: no date
                NULL);
}

static char *balances_json(const HarnessVault *v) {
  KithBuf buf = KITH_BUF_INIT;
  CHECK_INT(kith_report_balances_json(&buf, &v->ledger, &v->set), 0);
  if (!buf.data)
    kith_buf_puts(&buf, "");
  return kith_buf_take(&buf);
}

// Checks that `fragment` occurs in `json`; returns its offset (or -1).
static long expect_in(const char *json, const char *fragment, int line) {
  const char *at = strstr(json, fragment);
  harness_checks++;
  if (!at) {
    harness_fail(__FILE__, line, "missing %s in %s", fragment, json);
    return -1;
  }
  return at - json;
}
#define EXPECT_IN(json, fragment) expect_in(json, fragment, __LINE__)

// The JSON object of the contact `handle`: from its `{"handle":` to the next `{"handle":`.
static const char *contact_json(const char *json, const char *handle) {
  static char slice[2048];
  char key[128];
  snprintf(key, sizeof key, "{\"handle\":\"%s\"", handle);
  const char *at = strstr(json, key);
  if (!at) {
    harness_fail(__FILE__, __LINE__, "[%s] no %s in %s", harness_current, key, json);
    return "";
  }
  const char *end = strstr(at + 1, "{\"handle\":");
  if (!end)
    end = strstr(at, "\"diagnostics\"");
  size_t n = end ? (size_t)(end - at) : strlen(at);
  if (n >= sizeof slice)
    n = sizeof slice - 1;
  memcpy(slice, at, n);
  slice[n] = 0;
  return slice;
}

static void test_json_is_one_object_with_today(void) {
  HarnessVault v;
  json_vault(&v);
  char *json = balances_json(&v);
  CHECK(json[0] == '{');
  size_t n = strlen(json);
  while (n && (json[n - 1] == '\n' || json[n - 1] == ' '))
    n--;
  CHECK(n && json[n - 1] == '}');
  EXPECT_IN(json, "\"today\":\"2026-11-26\"");
  EXPECT_IN(json, "\"contacts\":[{");
  EXPECT_IN(json, "\"diagnostics\":[{");
  free(json);
  harness_vault_free(&v);
}

static void test_json_contact_fields(void) {
  HarnessVault v;
  json_vault(&v);
  char *json = balances_json(&v);
  const char *a = contact_json(json, "alice");
  EXPECT_IN(a, "\"name\":\"Alice Chen\"");
  EXPECT_IN(a, "\"gave\":5");
  EXPECT_IN(a, "\"got\":2");
  EXPECT_IN(a, "\"met\":1");
  EXPECT_IN(a, "\"balance\":3");
  EXPECT_IN(a, "\"interactions\":3");
  EXPECT_IN(a, "\"first_date\":\"2026-01-04\"");
  EXPECT_IN(a, "\"last_date\":\"2026-11-20\"");
  EXPECT_IN(a, "\"days_since_last\":6");
  EXPECT_IN(a, "\"first_move\":\"you\"");
  EXPECT_IN(a, "\"status\":\"ok\"");
  EXPECT_IN(a, "\"declared\":[{\"path\":\"people/a.md\",\"line\":1}]");
  free(json);
  harness_vault_free(&v);
}

static void test_json_new_contact_has_nulls(void) {
  HarnessVault v;
  json_vault(&v);
  char *json = balances_json(&v);
  const char *n = contact_json(json, "nel");
  EXPECT_IN(n, "\"name\":\"Nel \\\"Q\\\"\"");
  EXPECT_IN(n, "\"gave\":0");
  EXPECT_IN(n, "\"balance\":0");
  EXPECT_IN(n, "\"interactions\":0");
  EXPECT_IN(n, "\"first_date\":null");
  EXPECT_IN(n, "\"last_date\":null");
  EXPECT_IN(n, "\"days_since_last\":null");
  EXPECT_IN(n, "\"first_move\":null");
  EXPECT_IN(n, "\"status\":\"new\"");
  EXPECT_IN(n, "\"declared\":[{\"path\":\"people/new.md\",\"line\":1}]");
  free(json);
  harness_vault_free(&v);
}

static void test_json_undeclared_contact(void) {
  HarnessVault v;
  json_vault(&v);
  char *json = balances_json(&v);
  const char *b = contact_json(json, "bob");
  EXPECT_IN(b, "\"name\":\"bob\"");
  EXPECT_IN(b, "\"got\":2");
  EXPECT_IN(b, "\"balance\":-2");
  EXPECT_IN(b, "\"first_move\":\"them\"");
  EXPECT_IN(b, "\"status\":\"owe\"");
  EXPECT_IN(b, "\"declared\":[]");
  CHECK(strstr(json, "{\"handle\":\"x\"") == NULL); // the uncounted item made no contact
  free(json);
  harness_vault_free(&v);
}

static void test_json_contacts_sorted_by_handle(void) {
  HarnessVault v;
  json_vault(&v);
  char *json = balances_json(&v);
  long a = EXPECT_IN(json, "{\"handle\":\"alice\"");
  long b = EXPECT_IN(json, "{\"handle\":\"bob\"");
  long n = EXPECT_IN(json, "{\"handle\":\"nel\"");
  CHECK(a >= 0 && a < b && b < n);
  free(json);
  harness_vault_free(&v);
}

static void test_json_diagnostics_sorted_by_path_line_column(void) {
  HarnessVault v;
  json_vault(&v);
  char *json = balances_json(&v);
  long d = EXPECT_IN(json, "\"diagnostics\":[");
  long p1 = EXPECT_IN(json, "{\"path\":\"b.md\",\"line\":1,\"column\":1,\"severity\":\"warning\"");
  long p2 = EXPECT_IN(json, "{\"path\":\"daily/2026-11-20.md\",\"line\":4,\"column\":1,"
                            "\"severity\":\"warning\",\"message\":\"");
  long p3 = EXPECT_IN(json, "{\"path\":\"daily/2026-11-20.md\",\"line\":5,\"column\":3,"
                            "\"severity\":\"error\",\"message\":\"invalid date 2026-02-30");
  long p4 = EXPECT_IN(json, "{\"path\":\"daily/2026-11-20.md\",\"line\":5,\"column\":14,"
                            "\"severity\":\"error\",\"message\":\"invalid weight 'x'");
  CHECK(d >= 0 && d < p1 && p1 < p2 && p2 < p3 && p3 < p4);
  free(json);
  harness_vault_free(&v);
}

static void test_json_declared_in_path_line_order(void) {
  HarnessVault v;
  harness_vault(&v, "2026-11-26", NULL,                   //
                "a.md", "# Intro\n\n## Alpha @dup\n",     //
                "B.md", "## Bee @dup\n\n## Again @dup\n", //
                NULL);
  char *json = balances_json(&v);
  const char *d = contact_json(json, "dup");
  EXPECT_IN(d, "\"name\":\"Bee\"");
  EXPECT_IN(d, "\"declared\":[{\"path\":\"B.md\",\"line\":1},{\"path\":\"B.md\",\"line\":3},"
               "{\"path\":\"a.md\",\"line\":3}]");
  free(json);
  harness_vault_free(&v);
}

static void test_json_empty(void) {
  HarnessVault v;
  harness_vault(&v, "2026-11-26", NULL, "a.md", "# Nothing\n", NULL);
  char *json = balances_json(&v);
  EXPECT_IN(json, "\"today\":\"2026-11-26\"");
  EXPECT_IN(json, "\"contacts\":[]");
  EXPECT_IN(json, "\"diagnostics\":[]");
  free(json);
  harness_vault_free(&v);
}

static void test_json_string_escapes(void) {
  KithBuf buf = KITH_BUF_INIT;
  CHECK_INT(kith_report_json_string(&buf, "a\"b\\c"), 0);
  CHECK_STR(buf.data, "\"a\\\"b\\\\c\"");
  kith_buf_free(&buf);
  kith_report_json_string(&buf, "\x01");
  CHECK(buf.data && (strcmp(buf.data, "\"\\u0001\"") == 0));
  kith_buf_free(&buf);
  kith_report_json_string(&buf, "\n");
  CHECK(buf.data && (strcmp(buf.data, "\"\\n\"") == 0 || strcmp(buf.data, "\"\\u000a\"") == 0 ||
                     strcmp(buf.data, "\"\\u000A\"") == 0));
  kith_buf_free(&buf);
  kith_report_json_string(&buf, "caf\xc3\xa9 \xe2\x86\x91");
  CHECK_STR(buf.data, "\"caf\xc3\xa9 \xe2\x86\x91\"");
  kith_buf_free(&buf);
}

// Bytes that are not UTF-8 never reach the JSON: each maximal subpart becomes one U+FFFD.
static void test_json_string_replaces_invalid_utf8(void) {
  static const struct {
    const char *in, *want;
  } cases[] = {
      {"a\xff"
       "b",
       "\"a\xef\xbf\xbd"
       "b\""},                                                      // never a lead byte
      {"\x80", "\"\xef\xbf\xbd\""},                                 // stray continuation
      {"\xc0\xaf", "\"\xef\xbf\xbd\xef\xbf\xbd\""},                 // overlong '/'
      {"\xe0\x80\xaf", "\"\xef\xbf\xbd\xef\xbf\xbd\xef\xbf\xbd\""}, // overlong, 3 bytes
      {"\xed\xa0\x80", "\"\xef\xbf\xbd\xef\xbf\xbd\xef\xbf\xbd\""}, // surrogate U+D800
      {"\xf4\x90\x80\x80", "\"\xef\xbf\xbd\xef\xbf\xbd\xef\xbf\xbd\xef\xbf\xbd\""},
      {"\xf5\xfe", "\"\xef\xbf\xbd\xef\xbf\xbd\""},
      {"caf\xc3", "\"caf\xef\xbf\xbd\""},       // cut at the end
      {"\xf0\x9f\x98", "\"\xef\xbf\xbd\""},     // one subpart, one U+FFFD
      {"\xe2\x82\"x", "\"\xef\xbf\xbd\\\"x\""}, // cut, then escaped
      {"ok \xf4\x8f\xbf\xbf \xf0\x9f\x98\x80", "\"ok \xf4\x8f\xbf\xbf \xf0\x9f\x98\x80\""},
  };
  for (size_t i = 0; i < sizeof cases / sizeof *cases; i++) {
    KithBuf buf = KITH_BUF_INIT;
    CHECK_INT(kith_report_json_string(&buf, cases[i].in), 0);
    CHECK_STR(buf.data, cases[i].want);
    kith_buf_free(&buf);
  }
}

// A note's name with invalid bytes: the JSON of balances and check is UTF-8 and still says it.
static void test_json_of_a_note_with_invalid_utf8(void) {
  HarnessVault v;
  harness_vault(&v, "2026-11-26", NULL, "a.md", "## Jos\xe9 @jose\n- 2026-01-01 #gave\n", NULL);
  KithBuf buf = KITH_BUF_INIT;
  size_t errors = 0;
  CHECK_INT(kith_report_balances_json(&buf, &v.ledger, &v.set), 0);
  CHECK_INT(kith_report_check_json(&buf, &v.set, &v.ledger, &errors), 0);
  const char *t = buf.data ? buf.data : "";
  CHECK_INT(kith_utf8_invalid_at(t, buf.len), buf.len);
  EXPECT_IN(t, "\"name\":\"Jos\xef\xbf\xbd\"");
  long first = EXPECT_IN(t, "{\"path\":\"a.md\",\"line\":1,\"column\":7,\"severity\":\"warning\","
                            "\"message\":\"invalid UTF-8\"}");
  CHECK(first >= 0 && strstr(t + first + 1, "\"message\":\"invalid UTF-8\"") != NULL);
  kith_buf_free(&buf);
  harness_vault_free(&v);
}

// --- check output and the text table ---------------------------------------------------------

static void test_check_text_lines(void) {
  HarnessVault v;
  json_vault(&v);
  KithBuf buf = KITH_BUF_INIT;
  size_t errors = 99;
  CHECK_INT(kith_report_check_text(&buf, &v.set, &v.ledger, &errors), 0);
  CHECK_INT(errors, 2);
  const char *t = buf.data ? buf.data : "";
  long p1 = EXPECT_IN(t, "b.md:1:1: warning: ");
  long p2 = EXPECT_IN(t, "daily/2026-11-20.md:4:1: warning: ");
  long p3 = EXPECT_IN(t, "daily/2026-11-20.md:5:3: error: invalid date 2026-02-30");
  long p4 = EXPECT_IN(t, "daily/2026-11-20.md:5:14: error: invalid weight 'x'");
  CHECK(p1 == 0 && p1 < p2 && p2 < p3 && p3 < p4);
  kith_buf_free(&buf);
  harness_vault_free(&v);
}

static void test_check_json(void) {
  HarnessVault v;
  json_vault(&v);
  KithBuf buf = KITH_BUF_INIT;
  size_t errors = 99;
  CHECK_INT(kith_report_check_json(&buf, &v.set, &v.ledger, &errors), 0);
  CHECK_INT(errors, 2);
  const char *t = buf.data ? buf.data : "";
  CHECK(strncmp(t, "{\"diagnostics\":[", 16) == 0);
  EXPECT_IN(t, "{\"path\":\"daily/2026-11-20.md\",\"line\":5,\"column\":3,\"severity\":\"error\"");
  kith_buf_free(&buf);
  harness_vault_free(&v);
}

static void test_check_without_diagnostics(void) {
  HarnessVault v;
  harness_vault(&v, "2026-11-26", NULL, "a.md", "## A @a\n- 2026-01-01 #gave\n", NULL);
  KithBuf buf = KITH_BUF_INIT;
  size_t errors = 99;
  CHECK_INT(kith_report_check_text(&buf, &v.set, &v.ledger, &errors), 0);
  CHECK_INT(errors, 0);
  CHECK_INT(buf.len, 0);
  kith_buf_free(&buf);
  harness_vault_free(&v);
}

static void test_balances_text_names_every_contact(void) {
  HarnessVault v;
  json_vault(&v);
  KithBuf buf = KITH_BUF_INIT;
  CHECK_INT(kith_report_balances_text(&buf, &v.ledger, &v.set), 0);
  const char *t = buf.data ? buf.data : "";
  long a = EXPECT_IN(t, "alice");
  EXPECT_IN(t, "Alice Chen");
  long b = EXPECT_IN(t, "bob");
  long n = EXPECT_IN(t, "nel");
  CHECK(a < b && b < n);
  kith_buf_free(&buf);
  harness_vault_free(&v);
}

// --- (v2) cadence, due, follow-ups ---------------------------------------------------------

static void v2_vault(HarnessVault *v) {
  harness_vault(v, "2026-11-26", NULL,                      //
                "people/a.md",                              //
                "## Alice @alice #every:2w\n"               // 1
                "- 2026-11-20 #gave:2\n"                    // 2
                "- [ ] 2026-11-24 #gave send the deck\n"    // 3: overdue
                "- [ ] #met  coffee \"soon\"\n"             // 4: undated
                "## Dee @dee #every:1w\n"                   // 5
                "- 2026-11-22 #gave\n"                      // 6: due in 3 days
                "## Ed @ed\n"                               // 7
                "- 2026-11-20 #gave\n"                      // 8: due in 84 days
                "## Fay @fay #every:1w\n"                   // 9
                "- 2026-11-19 #gave\n"                      // 10: due today
                "## Gus @gus #every:1w\n"                   // 11
                "- 2026-11-22 #got:2\n"                     // 12: owe, due in 3
                "- [ ] 2026-12-01 #gave @olga the intro\n", // 13: olga, not overdue
                NULL);
}

static const char *annotation_due(const HarnessVault *v, const char *handle, bool due) {
  static char text[256];
  const KithContact *c = harness_contact(v, handle);
  KithBuf buf = KITH_BUF_INIT;
  if (!c || kith_report_annotation(&buf, c, &(KithAnnotationStyle){false, due, 7}) != 0) {
    kith_buf_free(&buf);
    return "(no contact)";
  }
  snprintf(text, sizeof text, "%s", buf.data ? buf.data : "");
  kith_buf_free(&buf);
  return text;
}

static void test_annotation_followup_overdue(void) {
  HarnessVault v;
  v2_vault(&v);
  CHECK_STR(annotation_due(&v, "alice", true), "↑2 ↓0 +2 · 6d · follow-up overdue");
  CHECK_STR(kith_report_hint(KITH_STATUS_OVERDUE), "follow-up overdue");
  harness_vault_free(&v);
  // Overdue without any counted interaction: the hint alone, like `give first`.
  harness_vault(&v, "2026-11-26", NULL, "a.md", "## N @n\n- [ ] 2026-11-01 #gave intro\n", NULL);
  CHECK_STR(annotation_due(&v, "n", true), "follow-up overdue");
  harness_vault_free(&v);
}

static void test_annotation_due_hint(void) {
  HarnessVault v;
  v2_vault(&v);
  CHECK_STR(annotation_due(&v, "dee", true), "↑1 ↓0 +1 · 4d · due in 3d");
  CHECK_STR(annotation_due(&v, "dee", false), "↑1 ↓0 +1 · 4d");
  CHECK_STR(annotation_due(&v, "fay", true), "↑1 ↓0 +1 · 7d · due today");
  CHECK_STR(annotation_due(&v, "ed", true), "↑1 ↓0 +1 · 6d");                      // due in 84 days
  CHECK_STR(annotation_due(&v, "gus", true), "↑0 ↓2 -2 · 4d · your turn to give"); // not ok
  KithAnnotationPart parts[KITH_ANNOTATION_PARTS];
  size_t n = kith_report_annotation_parts(harness_contact(&v, "dee"),
                                          &(KithAnnotationStyle){false, true, 7}, parts);
  CHECK(n > 0 && parts[n - 1].kind == KITH_PART_HINT);
  CHECK_STR(n > 0 ? parts[n - 1].text : "", " · due in 3d");
  harness_vault_free(&v);
}

static void test_json_v2_fields(void) {
  HarnessVault v;
  v2_vault(&v);
  char *json = balances_json(&v);
  const char *a = contact_json(json, "alice");
  EXPECT_IN(a, "\"first_move\":\"you\",\"cadence_days\":14,\"due_in\":8,\"status\":\"overdue\"");
  EXPECT_IN(a, "\"declared\":[{\"path\":\"people/a.md\",\"line\":1}],\"followups\":["
               "{\"path\":\"people/a.md\",\"line\":3,\"date\":\"2026-11-24\","
               "\"text\":\"#gave send the deck\",\"overdue\":true},"
               "{\"path\":\"people/a.md\",\"line\":4,\"date\":null,"
               "\"text\":\"#met coffee \\\"soon\\\"\",\"overdue\":false}],");
  const char *e = contact_json(json, "ed");
  EXPECT_IN(e, "\"cadence_days\":null,\"due_in\":84,\"status\":\"ok\"");
  EXPECT_IN(e, "\"followups\":[]");
  const char *o = contact_json(json, "olga"); // listed for a follow-up alone
  EXPECT_IN(o, "\"name\":\"olga\"");
  EXPECT_IN(o, "\"interactions\":0");
  EXPECT_IN(o, "\"cadence_days\":null,\"due_in\":null,\"status\":\"new\",\"declared\":[]");
  EXPECT_IN(o, "\"followups\":[{\"path\":\"people/a.md\",\"line\":13,\"date\":\"2026-12-01\"");
  free(json);
  harness_vault_free(&v);
}

static void test_balances_text_shows_overdue(void) {
  HarnessVault v;
  v2_vault(&v);
  KithBuf buf = KITH_BUF_INIT;
  CHECK_INT(kith_report_balances_text(&buf, &v.ledger, &v.set), 0);
  const char *t = buf.data ? buf.data : "";
  EXPECT_IN(t, "overdue (follow-up overdue)");
  kith_buf_free(&buf);
  harness_vault_free(&v);
}

// Notes that could not be read are left out of the balances: the table's last line says so.
static void test_balances_text_names_unreadable_notes(void) {
  HarnessVault v;
  harness_vault(&v, "2026-11-26", NULL, "a.md", "## A @a\n- 2026-01-01 #gave\n", "b.md", "",
                "c/d.md", "", NULL);
  KithBuf buf = KITH_BUF_INIT;
  CHECK_INT(kith_report_balances_text(&buf, &v.ledger, &v.set), 0);
  CHECK(buf.data && !strstr(buf.data, "could not be read"));
  kith_buf_free(&buf);
  kith_note_cannot_read(&v.notes[1], "Permission denied");
  CHECK(v.notes[1].unreadable);
  CHECK(harness_has_diag(&v.notes[1], 1, 1, KITH_SEVERITY_ERROR, "cannot read: Permission denied"));
  CHECK_INT(kith_report_balances_text(&buf, &v.ledger, &v.set), 0);
  const char *t = buf.data ? buf.data : "";
  long row = EXPECT_IN(t, "@a ");
  long footer = EXPECT_IN(t, "\n\n1 note could not be read (see kith check): b.md\n");
  CHECK(row < footer);
  CHECK_INT(strlen(t) - (size_t)footer,
            strlen("\n\n1 note could not be read (see kith check): b.md\n"));
  kith_buf_free(&buf);
  kith_note_cannot_read(&v.notes[2], "Is a directory");
  CHECK_INT(kith_report_balances_text(&buf, &v.ledger, &v.set), 0);
  EXPECT_IN(buf.data ? buf.data : "",
            "\n2 notes could not be read (see kith check): b.md, c/d.md\n");
  kith_buf_free(&buf);
  harness_vault_free(&v);
}

static void test_clip(void) {
  char out[32];
  kith_report_clip(out, sizeof out, "short", 10);
  CHECK_STR(out, "short");
  kith_report_clip(out, sizeof out, "exactly10!", 10);
  CHECK_STR(out, "exactly10!");
  kith_report_clip(out, sizeof out, "eleven char", 10);
  CHECK_STR(out, "eleven ch…");
  kith_report_clip(out, sizeof out, "ééééééééééé", 4);
  CHECK_STR(out, "ééé…");
  kith_report_clip(out, 8, "abcdefghijkl", 20); // bounded by the buffer too
  CHECK_STR(out, "abcdefg");
  kith_report_clip(out, 8, "abcdefghijkl", 10);
  CHECK_STR(out, "abcd…");
}

static void test_balances_text_names_at_most_five(void) {
  HarnessVault v;
  harness_vault(&v, "2026-11-26", NULL, "1.md", "", "2.md", "", "3.md", "", "4.md", "", "5.md", "",
                "6.md", "", "7.md", "", NULL);
  for (size_t i = 0; i < v.count; i++)
    kith_note_cannot_read(&v.notes[i], "Input/output error");
  KithBuf buf = KITH_BUF_INIT;
  CHECK_INT(kith_report_balances_text(&buf, &v.ledger, &v.set), 0);
  EXPECT_IN(
      buf.data ? buf.data : "",
      "7 notes could not be read (see kith check): 1.md, 2.md, 3.md, 4.md, 5.md and 2 more\n");
  kith_buf_free(&buf);
  harness_vault_free(&v);
}

// Found with fuzz_note's check that a note in valid UTF-8 gives a table in valid UTF-8 (on a
// hand-made note): the table cut a long name at 255 bytes, inside a character.
static void test_balances_text_cuts_long_names_between_characters(void) {
  KithBuf name = KITH_BUF_INIT, note = KITH_BUF_INIT;
  for (int i = 0; i < 200; i++)
    kith_buf_puts(&name, "\xc3\xa9"); // é: 400 bytes in all
  kith_buf_printf(&note, "## %s @x\n\n- 2026-11-01 #gave y\n", name.data);
  HarnessVault v;
  harness_vault(&v, "2026-11-26", NULL, "a.md", note.data, NULL);
  KithBuf buf = KITH_BUF_INIT;
  CHECK_INT(kith_report_balances_text(&buf, &v.ledger, &v.set), 0);
  // Every byte after a lead byte of é is its continuation byte.
  bool whole = buf.data != NULL;
  for (size_t i = 0; whole && i < buf.len; i++) {
    if ((unsigned char)buf.data[i] == 0xc3)
      whole = i + 1 < buf.len && (unsigned char)buf.data[i + 1] == 0xa9;
  }
  CHECK(whole);
  CHECK(strstr(buf.data ? buf.data : "", "\xc3\xa9\xc3\xa9") != NULL);
  kith_buf_free(&buf);
  kith_buf_free(&note);
  kith_buf_free(&name);
  harness_vault_free(&v);
}

int main(void) {
  RUN(test_annotation_ok_has_no_hint);
  RUN(test_annotation_let_them_help);
  RUN(test_annotation_zero_balance);
  RUN(test_annotation_owe);
  RUN(test_annotation_new_is_hint_alone);
  RUN(test_annotation_dormant);
  RUN(test_annotation_ascii_swaps_arrows);
  RUN(test_annotation_appends);
  RUN(test_hints);
  RUN(test_json_is_one_object_with_today);
  RUN(test_json_contact_fields);
  RUN(test_json_new_contact_has_nulls);
  RUN(test_json_undeclared_contact);
  RUN(test_json_contacts_sorted_by_handle);
  RUN(test_json_diagnostics_sorted_by_path_line_column);
  RUN(test_json_declared_in_path_line_order);
  RUN(test_json_empty);
  RUN(test_json_string_escapes);
  RUN(test_json_string_replaces_invalid_utf8);
  RUN(test_json_of_a_note_with_invalid_utf8);
  RUN(test_check_text_lines);
  RUN(test_check_json);
  RUN(test_check_without_diagnostics);
  RUN(test_balances_text_names_every_contact);

  RUN(test_annotation_followup_overdue);
  RUN(test_annotation_due_hint);
  RUN(test_json_v2_fields);
  RUN(test_balances_text_shows_overdue);
  RUN(test_clip);
  RUN(test_balances_text_names_unreadable_notes);
  RUN(test_balances_text_names_at_most_five);
  RUN(test_balances_text_cuts_long_names_between_characters);
  return harness_finish("test_report");
}
