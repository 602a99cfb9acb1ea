// One contact's history (SPEC §3 v2): counted interactions and follow-ups across the vault,
// newest first with undated follow-ups before everything, then path and line.

#include "harness.h"

#include <stdio.h>
#include <stdlib.h>

#include "ledger/history.h"

static void history_vault(HarnessVault *v) {
  harness_vault(v, "2026-11-26", NULL,                //
                "b.md",                               //
                "- 2026-11-01 #met @alice, @bob\n"    // 1
                "- [ ] #got @alice undated too\n"     // 2
                "- 2026-11-20 #gave:3 @alice\n"       // 3
                "- 2026-11-27 #gave @alice future\n", // 4: not counted (a warning)
                "a.md",                               //
                "## Alice @alice\n"                   // 1
                "- 2026-11-01 #gave\n"                // 2
                "- [ ] #gave send\n"                  // 3
                "- [ ] 2026-12-01 #met lunch\n"       // 4
                "- 2026-11-01 #got:2 same day\n"      // 5
                "## Bob @bob\n"                       // 6
                "- 2026-10-01 #gave\n",               // 7
                NULL);
}

static void test_order(void) {
  HarnessVault v;
  history_vault(&v);
  KithHistory h;
  CHECK_INT(kith_history_build(&h, &v.ledger, &v.set, "alice"), 0);
  static const struct {
    const char *path;
    uint32_t line;
    bool planned;
  } want[] = {
      {"a.md", 3, true},  // undated follow-ups first, by path then line
      {"b.md", 2, true},  //
      {"a.md", 4, true},  // 2026-12-01
      {"b.md", 3, false}, // 2026-11-20
      {"a.md", 2, false}, // 2026-11-01: by path, then line
      {"a.md", 5, false}, //
      {"b.md", 1, false}, //
  };
  CHECK_INT(h.count, 7);
  for (size_t i = 0; i < h.count && i < 7; i++) {
    CHECK_STR(kith_report_path(&v.set, h.items[i].note), want[i].path);
    CHECK_INT(h.items[i].it->line, want[i].line);
    CHECK_INT(h.items[i].planned, want[i].planned);
  }
  CHECK_STR(h.contact ? h.contact->name : "", "Alice");
  kith_history_free(&h);
  harness_vault_free(&v);
}

static void test_handle_forms_and_unknown(void) {
  HarnessVault v;
  history_vault(&v);
  KithHistory h;
  CHECK_INT(kith_history_build(&h, &v.ledger, &v.set, "@ALICE"), 0);
  CHECK_INT(h.count, 7);
  kith_history_free(&h);
  CHECK_INT(kith_history_build(&h, &v.ledger, &v.set, "bob"), 0);
  CHECK_INT(h.count, 2); // b.md:1 (the leading run) and a.md:7
  kith_history_free(&h);
  CHECK_INT(kith_history_build(&h, &v.ledger, &v.set, "nobody"), -2);
  kith_history_free(&h);
  CHECK_INT(kith_history_build(&h, &v.ledger, &v.set, "@"), -2);
  kith_history_free(&h);
  harness_vault_free(&v);
}

static char *history_output(const HarnessVault *v, const char *handle, bool json) {
  KithHistory h;
  KithBuf buf = KITH_BUF_INIT;
  CHECK_INT(kith_history_build(&h, &v->ledger, &v->set, handle), 0);
  CHECK_INT(json ? kith_history_json(&buf, &h, &v->set) : kith_history_text(&buf, &h, &v->set), 0);
  kith_history_free(&h);
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
  history_vault(&v);
  char *json = history_output(&v, "alice", true);
  EXPECT_IN(json, "{\"handle\":\"alice\",\"name\":\"Alice\",\"items\":[{\"path\":\"a.md\","
                  "\"line\":3,\"date\":null,\"gave\":1,\"got\":0,\"met\":0,\"planned\":true,"
                  "\"text\":\"#gave send\"},");
  EXPECT_IN(json, "{\"path\":\"a.md\",\"line\":4,\"date\":\"2026-12-01\",\"gave\":0,\"got\":0,"
                  "\"met\":1,\"planned\":true,\"text\":\"#met lunch\"}");
  EXPECT_IN(json, "{\"path\":\"b.md\",\"line\":1,\"date\":\"2026-11-01\",\"gave\":0,\"got\":0,"
                  "\"met\":1,\"planned\":false,\"text\":\"#met @alice, @bob\"}]}\n");
  free(json);
  harness_vault_free(&v);
}

static void test_text(void) {
  HarnessVault v;
  history_vault(&v);
  char *text = history_output(&v, "alice", false);
  EXPECT_IN(text, "Alice @alice\n");
  EXPECT_IN(text, "gave 4, got 2, met 1 (balance +2) in 4 interactions; last 2026-11-20, 6 days "
                  "ago; 3 open follow-ups\n");
  EXPECT_IN(text, "status: ok\n");
  EXPECT_IN(text, "\n  [ ]  undated     gave 1  #gave send");
  EXPECT_IN(text, "  [ ]  2026-12-01  met 1   #met lunch");
  EXPECT_IN(text, "       2026-11-01  got 2   #got:2 same day");
  free(text);
  text = history_output(&v, "bob", false);
  EXPECT_IN(text, "\n  2026-11-01  met 1   #met @alice, @bob  b.md:1\n");
  free(text);
  harness_vault_free(&v);
}

int main(void) {
  RUN(test_order);
  RUN(test_handle_forms_and_unknown);
  RUN(test_json);
  RUN(test_text);
  return harness_finish("test_history");
}
