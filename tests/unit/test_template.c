// Templates (SPEC §4): the review's follow-ups (v2).

#include "harness.h"

#include <stdio.h>
#include <stdlib.h>

#include "ledger/template.h"

static char *render(const char *name, const HarnessVault *v, const char *today) {
  KithTemplateVars vars = {0, NULL, NULL, v ? &v->ledger : NULL, v ? &v->set : NULL, 14};
  kith_date_parse(today, strlen(today), &vars.today);
  KithBuf out = KITH_BUF_INIT;
  char *error = NULL;
  CHECK_INT(kith_template_render(&out, name, NULL, &vars, &error), 0);
  if (error)
    fprintf(stderr, "%s\n", error);
  free(error);
  if (!out.data)
    kith_buf_puts(&out, "");
  return kith_buf_take(&out);
}

static void expect_in(const char *text, const char *fragment, bool want, int line) {
  harness_checks++;
  if ((strstr(text, fragment) != NULL) != want)
    harness_fail(__FILE__, line, "%s %s in\n%s", want ? "missing" : "unexpected", fragment, text);
}
#define EXPECT_IN(text, fragment) expect_in(text, fragment, true, __LINE__)
#define EXPECT_NOT_IN(text, fragment) expect_in(text, fragment, false, __LINE__)

static void test_review_lists_followups_overdue_or_due_this_week(void) {
  HarnessVault v;
  harness_vault(&v, "2026-11-26", NULL,                  //
                "people/a.md",                           //
                "## Alice Chen @alice\n"                 // 1
                "- 2026-11-20 #gave\n"                   // 2
                "- [ ] 2026-11-24 #gave send the deck\n" // 3: 2 days overdue
                "- [ ] 2026-12-03 #met lunch\n"          // 4: due in 7 days
                "- [ ] 2026-12-04 #met too late\n"       // 5: not this week
                "- [ ] #gave undated\n",                 // 6: never due
                NULL);
  char *text = render("review", &v, "2026-11-26");
  EXPECT_IN(text, "### Follow-ups overdue or due this week\n"
                  "- 2026-11-24 @alice (Alice Chen): #gave send the deck — 2 days overdue "
                  "(people/a.md:3)\n"
                  "- 2026-12-03 @alice (Alice Chen): #met lunch — due in 7 days (people/a.md:4)\n"
                  "\n");
  EXPECT_NOT_IN(text, "too late");
  EXPECT_NOT_IN(text, "undated");
  free(text);
  harness_vault_free(&v);
  text = render("review", NULL, "2026-11-26"); // no vault: an empty list
  EXPECT_IN(text, "### Follow-ups overdue or due this week\n- none\n");
  free(text);
}

int main(void) {
  RUN(test_review_lists_followups_overdue_or_due_this_week);
  return harness_finish("test_template");
}
