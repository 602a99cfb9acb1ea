// Wiki links (SPEC §1 v2, "Wiki links"): what a link names (contact-note file names, declaration
// names, aliases; each target form; case and spaces), where it stands for a handle (the leading
// run, the first-handle rule), ambiguity, the exclusions, and the names two contacts share.
// Links are kept unresolved by the parser and resolved when the ledger is built.

#include "harness.h"

#include <stdio.h>
#include <stdlib.h>

#include "ledger/history.h"
#include "notes/entry.h"

// --- helpers -------------------------------------------------------------------------------

// The people of most tests: a contact note with aliases, a heading, a contact note named by
// its `name`.
#define PEOPLE                                                                                     \
  "people/Alice Chen.md", "---\nhandle: \"@alice\"\naliases: [Al, \"A. Chen\"]\n---\n",            \
      "people/bob.md", "# Bob Martins @bob\n", "people/carol.md",                                  \
      "---\nhandle: carol\nname: Carol Diaz\n---\n"

// Whom the counted items on `line` of `path` count for, comma-separated in handle order ("" for
// none), from the ledger's contacts (first_item is not enough: use each contact's history).
static void whom(HarnessVault *v, const char *path, uint32_t line, char *out, size_t size) {
  out[0] = '\0';
  for (size_t i = 0; i < v->ledger.count; i++) {
    KithHistory h;
    if (kith_history_build(&h, &v->ledger, &v->set, v->ledger.contacts[i].handle) == 0) {
      for (size_t k = 0; k < h.count; k++) {
        const KithHistoryItem *item = &h.items[k];
        if (item->it->line == line && strcmp(v->set.paths[item->note], path) == 0) {
          size_t used = strlen(out);
          snprintf(out + used, size - used, "%s%s", used ? "," : "", v->ledger.contacts[i].handle);
          break;
        }
      }
    }
    kith_history_free(&h);
  }
}

static void expect_whom(HarnessVault *v, const char *path, uint32_t line, const char *want,
                        int at) {
  char got[256];
  whom(v, path, line, got, sizeof got);
  harness_checks++;
  if (strcmp(got, want) != 0)
    harness_fail(__FILE__, at, "%s:%u counts for \"%s\", want \"%s\"", path, line, got, want);
}
#define EXPECT_WHOM(v, path, line, want) expect_whom(v, path, line, want, __LINE__)

// The `kith check` lines of a vault (caller frees).
static char *check_text(const HarnessVault *v) {
  KithBuf buf = KITH_BUF_INIT;
  size_t errors;
  if (kith_report_check_text(&buf, &v->set, &v->ledger, &errors) != 0)
    harness_fail(__FILE__, __LINE__, "check failed");
  return buf.data ? kith_buf_take(&buf) : strdup("");
}

static void expect_line(const char *text, const char *line, bool present, int at) {
  harness_checks++;
  if ((strstr(text, line) != NULL) != present)
    harness_fail(__FILE__, at, "%s \"%s\" in:\n%s", present ? "no" : "unexpected", line, text);
}
#define EXPECT_LINE(text, line) expect_line(text, line, true, __LINE__)
#define EXPECT_NO_LINE(text, line) expect_line(text, line, false, __LINE__)

// --- the lexer -----------------------------------------------------------------------------

static void test_wikilink_forms(void) {
  static const struct {
    const char *text, *name; // name NULL: not a link
  } cases[] = {
      {"[[Alice Chen]]", "Alice Chen"},
      {"[[Alice Chen|her]]", "Alice Chen"},
      {"[[Alice Chen#Log]]", "Alice Chen"},
      {"[[Alice Chen#Log|her]]", "Alice Chen"},
      {"[[people/Alice Chen]]", "Alice Chen"},
      {"[[a/b/Alice Chen.md]]", "Alice Chen"},
      {"[[Alice Chen.markdown|x]]", "Alice Chen"},
      {"[[#Log]]", ""},
      {"[[]]", NULL},
      {"[[Alice", NULL},
      {"[[Alice]", NULL},
      {"[[Al\nice]]", NULL},
      {"[[Al[ice]]", NULL},
      {"![[Alice Chen]]", NULL}, // an embed (checked at offset 1)
  };
  for (size_t i = 0; i < sizeof cases / sizeof *cases; i++) {
    const char *t = cases[i].text;
    size_t at = t[0] == '!' ? 1 : 0;
    KithWikiLink link;
    bool found = kith_entry_wikilink_at(t, strlen(t), at, &link);
    harness_checks++;
    if (found != (cases[i].name != NULL) ||
        (found && (link.len != strlen(cases[i].name) ||
                   strncmp(t + link.name, cases[i].name, link.len) != 0 || link.end != strlen(t))))
      harness_fail(__FILE__, __LINE__, "%s: found %d, name \"%.*s\"", t, found,
                   found ? (int)link.len : 0, found ? t + link.name : "");
  }
}

static void test_name_key(void) {
  static const struct {
    const char *in, *key;
  } cases[] = {
      {"Alice Chen", "alice chen"},     {"  ALICE \t  chen\n", "alice chen"},
      {"Émile Ørsted", "émile ørsted"}, {"ŁUKASZ ÇELIK", "łukasz çelik"},
      {"ΣΟΦΙΑ Иван", "σοφια иван"},     {"", ""},
  };
  for (size_t i = 0; i < sizeof cases / sizeof *cases; i++) {
    char key[64];
    size_t n = kith_entry_name_key(key, cases[i].in, strlen(cases[i].in));
    key[n] = '\0';
    CHECK_STR(key, cases[i].key);
  }
}

// --- what a link names -----------------------------------------------------------------------

static void test_link_targets(void) {
  HarnessVault v;
  harness_vault(&v, "2026-11-26", NULL, PEOPLE, "daily/2026-11-20.md",
                "- #met [[Alice Chen]] coffee\n"         // 1 file name
                "- #met [[alice   CHEN|her]] coffee\n"   // 2 case and spaces, label
                "- #met [[people/Alice Chen#Log]]\n"     // 3 folder and heading
                "- #met [[Alice Chen.md]]\n"             // 4 extension
                "- #met [[Al]]\n"                        // 5 alias
                "- #met [[a. chen]]\n"                   // 6 alias, case
                "- #met [[Bob Martins]]\n"               // 7 heading name
                "- #met [[bob]]\n"                       // 8 bob.md declares by heading: no
                "- #met [[Carol Diaz]]\n"                // 9 `name`
                "- #met [[carol]]\n"                     // 10 and its file name
                "- #met [[x/y/CAROL|c]], [[Al]] lunch\n" // 11 two links
                "- #met [[Nobody]] @bob\n"               // 12 unresolved, then a handle
                "- #met [[Alice Chen]] @alice @Alice\n", // 13 once each
                NULL);
  const char *daily = "daily/2026-11-20.md";
  EXPECT_WHOM(&v, daily, 1, "alice");
  EXPECT_WHOM(&v, daily, 2, "alice");
  EXPECT_WHOM(&v, daily, 3, "alice");
  EXPECT_WHOM(&v, daily, 4, "alice");
  EXPECT_WHOM(&v, daily, 5, "alice");
  EXPECT_WHOM(&v, daily, 6, "alice");
  EXPECT_WHOM(&v, daily, 7, "bob");
  EXPECT_WHOM(&v, daily, 8, "");
  EXPECT_WHOM(&v, daily, 9, "carol");
  EXPECT_WHOM(&v, daily, 10, "carol");
  EXPECT_WHOM(&v, daily, 11, "alice,carol");
  EXPECT_WHOM(&v, daily, 12, "bob");
  EXPECT_WHOM(&v, daily, 13, "alice");
  const KithContact *alice = harness_contact(&v, "alice");
  CHECK(alice && alice->met == 8 && alice->interactions == 8);
  char *check = check_text(&v);
  EXPECT_LINE(check, "daily/2026-11-20.md:8:1: warning: interaction names no contact\n");
  EXPECT_NO_LINE(check, ":12:");
  free(check);
  harness_vault_free(&v);
}

// --- where a link counts ---------------------------------------------------------------------

static void test_leading_run_and_first_handle(void) {
  HarnessVault v;
  harness_vault(&v, "2026-11-26", NULL, PEOPLE, "notes.md",
                "- 2026-11-01 #met [[Al]], @bob; [[Carol Diaz]] lunch\n" // 1 run: all three
                "- 2026-11-02 #met lunch with [[Al]]\n"                  // 2 first link
                "- 2026-11-03 #met lunch with [[Nobody]] and @bob\n"     // 3 then the handle
                "- 2026-11-04 #met lunch [[Bob Martins]] then @alice\n"  // 4 link before handle
                "- 2026-11-05 #met lunch [[Nobody]]\n"                   // 5 no one
                "## Carol Diaz @carol\n"                                 // 6
                "- 2026-11-06 #met [[Al]] lunch\n"                       // 7 run beats section
                "- 2026-11-07 #met lunch with [[Al]]\n"                  // 8 section beats link
                "- 2026-11-08 #met [[Nobody]] lunch\n"                   // 9 section
                "- [ ] 2026-12-01 #gave [[Al]] the notes\n",             // 10 a follow-up
                NULL);
  EXPECT_WHOM(&v, "notes.md", 1, "alice,bob,carol");
  EXPECT_WHOM(&v, "notes.md", 2, "alice");
  EXPECT_WHOM(&v, "notes.md", 3, "bob");
  EXPECT_WHOM(&v, "notes.md", 4, "bob");
  EXPECT_WHOM(&v, "notes.md", 5, "");
  EXPECT_WHOM(&v, "notes.md", 7, "alice");
  EXPECT_WHOM(&v, "notes.md", 8, "carol");
  EXPECT_WHOM(&v, "notes.md", 9, "carol");
  EXPECT_WHOM(&v, "notes.md", 10, "alice");
  const KithContact *alice = harness_contact(&v, "alice");
  CHECK(alice && alice->followup_count == 1);
  if (alice && alice->followup_count == 1) {
    CHECK_INT(alice->followups[0].at.line, 10);
    CHECK_STR(alice->followups[0].text, "#gave [[Al]] the notes");
  }
  char *check = check_text(&v);
  EXPECT_LINE(check, "notes.md:5:1: warning: interaction names no contact\n");
  free(check);
  harness_vault_free(&v);
}

static void test_links_in_code_and_html_do_not_count(void) {
  HarnessVault v;
  harness_vault(&v, "2026-11-26", NULL, PEOPLE, "notes.md",
                "- 2026-11-01 #met lunch `[[Al]]`\n"                        // 1 code span
                "- 2026-11-02 #met lunch <span title=\"[[Al]]\">x</span>\n" // 2 inline HTML
                "- 2026-11-03 #met lunch [x]([[Al]])\n"                     // 3 link destination
                "```\n"                                                     // 4
                "- 2026-11-04 #met [[Al]]\n"                                // 5 code block
                "```\n"                                                     // 6
                "    - 2026-11-05 #met [[Al]]\n"                            // 7 indented code
                "- 2026-11-06 #met lunch `x` [[Al]]\n",                     // 8 after a code span
                NULL);
  EXPECT_WHOM(&v, "notes.md", 1, "");
  EXPECT_WHOM(&v, "notes.md", 2, "");
  EXPECT_WHOM(&v, "notes.md", 3, "");
  EXPECT_WHOM(&v, "notes.md", 5, "");
  EXPECT_WHOM(&v, "notes.md", 8, "alice");
  const KithContact *alice = harness_contact(&v, "alice");
  CHECK(alice && alice->interactions == 1);
  char *check = check_text(&v);
  EXPECT_LINE(check, "notes.md:1:1: warning: interaction names no contact\n");
  EXPECT_LINE(check, "notes.md:2:1: warning: interaction names no contact\n");
  EXPECT_LINE(check, "notes.md:3:1: warning: interaction names no contact\n");
  EXPECT_NO_LINE(check, "notes.md:5:");
  free(check);
  harness_vault_free(&v);
}

// --- ambiguity -------------------------------------------------------------------------------

static void test_ambiguous_link(void) {
  HarnessVault v;
  harness_vault(&v, "2026-11-26", NULL,                                    //
                "people/sam.md", "---\nhandle: sam\nname: Sam Lee\n---\n", //
                "people/samuel.md", "# Sam Lee @samuel\n",                 //
                "z.md",
                "- 2026-11-01 #met [[sam lee]] lunch\n"    // 1 ambiguous: names none
                "- 2026-11-02 #met [[Sam Lee]] @sam\n"     // 2 ambiguous, then a handle
                "- 2026-11-03 #met lunch, [[Sam Lee|S]]\n" // 3 fallback: ambiguous
                "- 2026-11-04 #met [[sam]] lunch\n",       // 4 the file name: one
                NULL);
  EXPECT_WHOM(&v, "z.md", 1, "");
  EXPECT_WHOM(&v, "z.md", 2, "sam");
  EXPECT_WHOM(&v, "z.md", 3, "");
  EXPECT_WHOM(&v, "z.md", 4, "sam");
  char *check = check_text(&v);
  EXPECT_LINE(check, "z.md:1:1: warning: interaction names no contact\n"
                     "z.md:1:19: warning: ambiguous link [[sam lee]]: @sam, @samuel\n"
                     "z.md:2:19: warning: ambiguous link [[Sam Lee]]: @sam, @samuel\n"
                     "z.md:3:1: warning: interaction names no contact\n"
                     "z.md:3:26: warning: ambiguous link [[Sam Lee|S]]: @sam, @samuel\n");
  // The shared name is said once, at the later declaration.
  EXPECT_LINE(check, "people/samuel.md:1:1: warning: name 'Sam Lee' is also @sam's "
                     "(people/sam.md:1)\n");
  EXPECT_NO_LINE(check, "people/sam.md:1:1: warning");
  free(check);
  harness_vault_free(&v);
}

static void test_ambiguity_in_balances_json_in_order(void) {
  HarnessVault v;
  harness_vault(&v, "2026-11-26", NULL,                         //
                "a.md", "---\nhandle: x1\naliases: [X]\n---\n", //
                "b.md",
                "---\nhandle: x2\naliases: [X]\n---\n" // 1-4
                "- 2026-11-01 #gave:x\n"               // 5 own error
                "- 2026-11-02 #met [[X]]\n"            // 6 ambiguous: x2's section
                "- 2026-11-03 #met @x1\n",             // 7
                NULL);
  KithBuf buf = KITH_BUF_INIT;
  CHECK_INT(kith_report_balances_json(&buf, &v.ledger, &v.set), 0);
  const char *t = buf.data ? buf.data : "";
  const char *want =
      "\"diagnostics\":["
      "{\"path\":\"b.md\",\"line\":1,\"column\":1,\"severity\":\"warning\",\"message\":\"alias 'X' "
      "is also @x1's (a.md:1)\"},"
      "{\"path\":\"b.md\",\"line\":5,\"column\":14,\"severity\":\"error\",\"message\":\"invalid "
      "weight 'x' (expected 1-999)\"},"
      "{\"path\":\"b.md\",\"line\":6,\"column\":19,\"severity\":\"warning\",\"message\":"
      "\"ambiguous link [[X]]: @x1, @x2\"}]}\n";
  harness_checks++;
  if (!strstr(t, want))
    harness_fail(__FILE__, __LINE__, "balances JSON diagnostics:\n%s", t);
  // check --json says the same.
  KithBuf check = KITH_BUF_INIT;
  size_t errors;
  CHECK_INT(kith_report_check_json(&check, &v.set, &v.ledger, &errors), 0);
  CHECK_INT(errors, 1);
  CHECK(check.data && strstr(t, check.data + strlen("{")) != NULL);
  kith_buf_free(&check);
  kith_buf_free(&buf);
  harness_vault_free(&v);
}

// --- shared names ----------------------------------------------------------------------------

static void test_shared_names(void) {
  HarnessVault v;
  harness_vault(&v, "2026-11-26", NULL,                            //
                "a/one.md", "## Kim Lee @kim\n## Kim Lee @kim2\n", // headings only: no warning
                "b/Kim Lee.md", "---\nhandle: kim3\n---\n",        // its file name
                "c/al.md", "---\nhandle: al\nname: Al Stone\naliases: [Al, Kim]\n---\n", "d/al2.md",
                "---\nhandle: al2\naliases: [Al]\n---\n" // 1: alias shared with @al
                "## Al Stone @al\n",                     // 5: the same contact
                "e/me.md", "---\nhandle: kim\naliases: [Kim Lee]\n---\n", // @kim's own name
                NULL);
  char *check = check_text(&v);
  CHECK(strncmp(check, "a/one.md", 8) != 0 && !strstr(check, "\na/one.md"));
  // Its name is its file name: one warning for both.
  EXPECT_LINE(check, "b/Kim Lee.md:1:1: warning: name 'Kim Lee' is also @kim's "
                     "(a/one.md:1)\n");
  EXPECT_NO_LINE(check, "b/Kim Lee.md:1:1: warning: file name");
  EXPECT_NO_LINE(check, "c/al.md:1:1:"); // `Kim` is no one else's name
  EXPECT_LINE(check, "d/al2.md:1:1: warning: alias 'Al' is also @al's (c/al.md:1)\n");
  EXPECT_NO_LINE(check, "d/al2.md:5");
  EXPECT_NO_LINE(check, "e/me.md");
  free(check);
  // A contact's names, for completion: every name a link may use, once per key.
  const KithContact *al = harness_contact(&v, "al");
  // Al Stone (twice: one display name), al (its file name), Al and Kim (aliases).
  CHECK(al && al->name_count == 4);
  harness_vault_free(&v);
}

// --- the editor's overlay ---------------------------------------------------------------------

static void test_overlay_lends_its_names(void) {
  // The ledger built with people/Alice Chen.md as the overlay: its names resolve the links of
  // the other notes, its own items and declarations are left to the editor.
  KithNote notes[2];
  harness_parse_at("daily/2026-11-20.md", "2026-11-26", "- #met [[Al]] coffee\n", &notes[0]);
  harness_parse_at("people/Alice Chen.md", "2026-11-26",
                   "---\nhandle: alice\naliases: [Al]\n---\n- 2026-11-21 #gave x\n"
                   "- 2026-11-22 #met [[Al]] and [[Nobody]]\n",
                   &notes[1]);
  const KithNote *ptrs[] = {&notes[0], &notes[1]};
  const char *paths[] = {"daily/2026-11-20.md", "people/Alice Chen.md"};
  KithNoteSet set = {paths, ptrs, 2};
  KithLedgerOptions o;
  kith_ledger_options_default(&o);
  KithLedger ledger;
  CHECK_INT(kith_ledger_build(&ledger, &set, 1, &o), 0);
  const KithContact *alice = kith_ledger_find(&ledger, "alice");
  CHECK(alice && alice->interactions == 1 && alice->declared_count == 0);
  KithResolution r = {0};
  CHECK_INT(kith_ledger_resolve(&ledger, 1, paths[1], &notes[1], &r), 0);
  CHECK_INT(r.party_count, 1);
  CHECK(r.party_count == 1 && strcmp(kith_resolution_str(&r, r.parties[0].handle), "alice") == 0);
  kith_resolution_free(&r);
  kith_ledger_free(&ledger);
  kith_note_free(&notes[0]);
  kith_note_free(&notes[1]);
}

int main(void) {
  RUN(test_wikilink_forms);
  RUN(test_name_key);
  RUN(test_link_targets);
  RUN(test_leading_run_and_first_handle);
  RUN(test_links_in_code_and_html_do_not_count);
  RUN(test_ambiguous_link);
  RUN(test_ambiguity_in_balances_json_in_order);
  RUN(test_shared_names);
  RUN(test_overlay_lends_its_names);
  return harness_finish("test_links");
}
