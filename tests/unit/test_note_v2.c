// The rules of SPEC §1 marked (v2), one note at a time: context dates (date headings and file
// names), counterparties (leading run, section, first handle), planned items, dates in the
// future, weights and cadences, and the text kept for follow-ups and history.

#include "harness.h"

#include <stdio.h>
#include <stdlib.h>

// --- helpers -------------------------------------------------------------------------------

static KithDay day_of(const char *s) {
  KithDay day = 0;
  if (kith_date_parse(s, strlen(s), &day) != 0)
    harness_fail(__FILE__, __LINE__, "bad date %s", s);
  return day;
}

// The n-th (0-based) record of `items` whose list marker is on `line`, or NULL.
static const KithInteraction *nth_at(const KithInteraction *items, uint32_t count, uint32_t line,
                                     uint32_t n) {
  for (uint32_t i = 0; i < count; i++) {
    if (items[i].line == line && n-- == 0)
      return &items[i];
  }
  return NULL;
}

static const KithInteraction *item_at(const KithNote *note, uint32_t line) {
  return nth_at(note->interactions, note->interaction_count, line, 0);
}

static const KithInteraction *followup_at(const KithNote *note, uint32_t line) {
  return nth_at(note->followups, note->followup_count, line, 0);
}

static const char *who(const KithNote *note, const KithInteraction *it) {
  return it ? kith_note_str(note, it->handle) : "(none)";
}

static const char *text_of(const KithNote *note, const KithInteraction *it) {
  return it ? kith_note_str(note, it->text) : "(none)";
}

static void dump(const KithNote *note) {
  for (uint32_t i = 0; i < note->diagnostic_count; i++) {
    const KithDiagnostic *d = &note->diagnostics[i];
    fprintf(stderr, "    %u:%u %s %s\n", d->line, d->column, kith_severity_name(d->severity),
            kith_note_str(note, d->message));
  }
}

// Checks that `text`, as the note at `path` on `today`, gives exactly one clean interaction
// with `handle` on `date`.
static void expect_dated(const char *path, const char *text, const char *handle, const char *date,
                         int line) {
  KithNote note;
  harness_parse_at(path, "2026-11-26", text, &note);
  harness_checks++;
  if (note.interaction_count != 1 || note.diagnostic_count != 0 || note.followup_count != 0) {
    harness_fail(__FILE__, line, "want one clean item from %s: %s; got %u items, %u diags", path,
                 text, note.interaction_count, note.diagnostic_count);
    dump(&note);
  } else {
    const KithInteraction *it = &note.interactions[0];
    char got[11];
    kith_date_format(it->day, got);
    if (strcmp(who(&note, it), handle) != 0 || strcmp(got, date) != 0 || !it->dated)
      harness_fail(__FILE__, line, "%s: %s: got @%s on %s, want @%s on %s", path, text,
                   who(&note, it), got, handle, date);
  }
  kith_note_free(&note);
}

// Checks that `text` as the note at `path` (today 2026-11-26) counts nothing and has exactly
// one diagnostic, at l:c with `severity` and a message holding `needle`.
static void expect_diag(const char *path, const char *text, uint32_t l, uint32_t c,
                        KithSeverity severity, const char *needle, int line) {
  KithNote note;
  harness_parse_at(path, "2026-11-26", text, &note);
  harness_checks++;
  if (note.interaction_count != 0 || note.followup_count != 0 || note.diagnostic_count != 1 ||
      !harness_has_diag(&note, l, c, severity, needle)) {
    harness_fail(__FILE__, line, "want only %s %u:%u '%s' from %s: %s; got %u items, %u diags",
                 kith_severity_name(severity), l, c, needle, path, text, note.interaction_count,
                 note.diagnostic_count);
    dump(&note);
  }
  kith_note_free(&note);
}

#define EXPECT_DATED(path, text, handle, date) expect_dated(path, text, handle, date, __LINE__)
#define EXPECT_DIAG(path, text, l, c, sev, needle)                                                 \
  expect_diag(path, text, l, c, sev, needle, __LINE__)
#define WARN KITH_SEVERITY_WARNING
#define ERR KITH_SEVERITY_ERROR

// --- context dates -------------------------------------------------------------------------

static void test_context_date_from_heading(void) {
  EXPECT_DATED("notes.md", "## 2026-11-20\n- #met @bob coffee\n", "bob", "2026-11-20");
  EXPECT_DATED("notes.md", "### 2026-11-20 Friday\n\n- #met @bob\n", "bob", "2026-11-20");
  EXPECT_DATED("notes.md", "# 2026-11-20: standup\n- #met @bob\n", "bob", "2026-11-20");
  EXPECT_DATED("notes.md", "# 2026-11-20, Porto\n- #met @bob\n", "bob", "2026-11-20");
  EXPECT_DATED("notes.md", "#\t2026-11-20\n- #met @bob\n", "bob", "2026-11-20");
  EXPECT_DATED("notes.md", "## 2026-11-20 ##\n- #met @bob\n", "bob", "2026-11-20");
  EXPECT_DATED("notes.md", "2026-11-20\n==========\n- #met @bob\n", "bob", "2026-11-20");
  EXPECT_DATED("notes.md", "## 2026-11-20\n- parent\n  - #met @bob\n", "bob", "2026-11-20");
}

static void test_heading_date_must_begin_the_heading(void) {
  EXPECT_DIAG("notes.md", "## Friday 2026-11-20\n- #met @bob\n", 2, 1, WARN, "no date");
  EXPECT_DIAG("notes.md", "## 2026-11-20x\n- #met @bob\n", 2, 1, WARN, "no date");
  EXPECT_DIAG("notes.md", "## 2026-11-20.\n- #met @bob\n", 2, 1, WARN, "no date");
  EXPECT_DIAG("notes.md", "## `2026-11-20`\n- #met @bob\n", 2, 1, WARN, "no date");
}

static void test_invalid_date_heading_gives_no_date(void) {
  EXPECT_DIAG("notes.md", "## 2026-02-30\n- #met @bob\n", 2, 1, WARN, "no date");
  EXPECT_DIAG("notes.md", "## 2026-13-01 plans\n- #met @bob\n", 2, 1, WARN, "no date");
  // ... and the next enclosing date heading gives it instead.
  EXPECT_DATED("notes.md", "# 2026-11-01\n## 2026-02-30\n- #met @bob\n", "bob", "2026-11-01");
  // A file name date too.
  EXPECT_DATED("daily/2026-11-21.md", "## 2026-02-30\n- #met @bob\n", "bob", "2026-11-21");
}

static void test_nested_date_headings(void) {
  KithNote note;
  harness_parse_at("notes.md", "2026-11-26",
                   "# 2026-11-01 week\n" // 1
                   "- #met @a\n"         // 2: 11-01
                   "## 2026-11-20\n"     // 3
                   "- #met @b\n"         // 4: 11-20, the innermost
                   "### Lunch\n"         // 5: no date: still inside 11-20
                   "- #met @c\n"         // 6: 11-20
                   "## Other\n"          // 7: closes 11-20, not 11-01
                   "- #met @d\n"         // 8: 11-01
                   "# Elsewhere\n"       // 9: closes 11-01
                   "- #met @e\n",        // 10: no date
                   &note);
  CHECK_INT(note.interaction_count, 4);
  CHECK_INT(item_at(&note, 2) ? item_at(&note, 2)->day : 0, day_of("2026-11-01"));
  CHECK_INT(item_at(&note, 4) ? item_at(&note, 4)->day : 0, day_of("2026-11-20"));
  CHECK_INT(item_at(&note, 6) ? item_at(&note, 6)->day : 0, day_of("2026-11-20"));
  CHECK_INT(item_at(&note, 8) ? item_at(&note, 8)->day : 0, day_of("2026-11-01"));
  CHECK(item_at(&note, 10) == NULL);
  CHECK(harness_has_diag(&note, 10, 1, WARN, "no date"));
  CHECK_INT(note.diagnostic_count, 1);
  kith_note_free(&note);
}

static void test_context_date_from_file_name(void) {
  EXPECT_DATED("daily/2026-11-20.md", "- #met @bob coffee\n", "bob", "2026-11-20");
  EXPECT_DATED("2026-11-20 standup.md", "- #met @bob\n", "bob", "2026-11-20");
  EXPECT_DATED("meetings/2026-11-20-retro.markdown", "- #met @bob\n", "bob", "2026-11-20");
  EXPECT_DATED("a/b/2026-11-20_notes.md", "- #met @bob\n", "bob", "2026-11-20");
  EXPECT_DATED("2024-02-29.md", "- #met @bob\n", "bob", "2024-02-29");
  // A date heading in the note wins over the file name; outside it, the file name's.
  KithNote note;
  harness_parse_at("daily/2026-11-20.md", "2026-11-26",
                   "- #met @a\n"
                   "## 2026-11-21\n"
                   "- #met @b\n",
                   &note);
  CHECK_INT(item_at(&note, 1) ? item_at(&note, 1)->day : 0, day_of("2026-11-20"));
  CHECK_INT(item_at(&note, 3) ? item_at(&note, 3)->day : 0, day_of("2026-11-21"));
  kith_note_free(&note);
}

static void test_file_name_must_begin_with_a_real_date(void) {
  EXPECT_DIAG("daily/note 2026-11-20.md", "- #met @bob\n", 1, 1, WARN, "no date");
  EXPECT_DIAG("daily/2026-11-201.md", "- #met @bob\n", 1, 1, WARN, "no date");
  EXPECT_DIAG("daily/2026-11-20x.md", "- #met @bob\n", 1, 1, WARN, "no date");
  EXPECT_DIAG("daily/2026-02-30.md", "- #met @bob\n", 1, 1, WARN, "no date");
  EXPECT_DIAG("daily/2026-11-2.md", "- #met @bob\n", 1, 1, WARN, "no date");
  // Only the file's own name counts, not its directory's.
  EXPECT_DIAG("2026-11-20/notes.md", "- #met @bob\n", 1, 1, WARN, "no date");
}

static void test_own_date_wins_over_context_date(void) {
  EXPECT_DATED("daily/2026-11-20.md", "## 2026-11-21\n- 2026-11-03 #met @bob\n", "bob",
               "2026-11-03");
  // An invalid own date is an error, not replaced by the context date.
  EXPECT_DIAG("daily/2026-11-20.md", "- 2026-02-30 #met @bob\n", 1, 3, ERR, "invalid date");
}

// --- counterparties ------------------------------------------------------------------------

static void test_leading_run_gives_every_handle(void) {
  KithNote note;
  harness_parse("- 2026-11-20 #met:2 @bob, @Carol lunch with @dan\n", &note);
  CHECK_INT(note.interaction_count, 2);
  const KithInteraction *a = nth_at(note.interactions, note.interaction_count, 1, 0);
  const KithInteraction *b = nth_at(note.interactions, note.interaction_count, 1, 1);
  CHECK_STR(who(&note, a), "bob");
  CHECK_STR(who(&note, b), "carol");
  if (a && b) {
    CHECK_INT(a->met, 1);
    CHECK_INT(b->met, 1);
    CHECK_INT(a->day, day_of("2026-11-20"));
    CHECK_STR(text_of(&note, a), "#met:2 @bob, @Carol lunch with @dan");
    CHECK_INT(a->text, b->text);
  }
  kith_note_free(&note);
}

static void test_leading_run_credits_full_weights_each(void) {
  KithNote note;
  harness_parse("- 2026-11-20 #gave:3 @a; @b #got:2 intro\n", &note);
  CHECK_INT(note.interaction_count, 2);
  for (uint32_t i = 0; i < note.interaction_count; i++) {
    CHECK_INT(note.interactions[i].gave, 3);
    CHECK_INT(note.interactions[i].got, 2);
  }
  CHECK_STR(who(&note, nth_at(note.interactions, 2, 1, 0)), "a");
  CHECK_STR(who(&note, nth_at(note.interactions, 2, 1, 1)), "b");
  kith_note_free(&note);
}

static void test_leading_run_handles_are_distinct(void) {
  KithNote note;
  harness_parse("- 2026-11-20 #met @bob @Bob, @carol @BOB\n", &note);
  CHECK_INT(note.interaction_count, 2);
  CHECK_STR(who(&note, nth_at(note.interactions, note.interaction_count, 1, 0)), "bob");
  CHECK_STR(who(&note, nth_at(note.interactions, note.interaction_count, 1, 1)), "carol");
  kith_note_free(&note);
}

static void test_leading_run_may_mix_tags_and_handles(void) {
  KithNote note;
  harness_parse("- 2026-11-20: @bob #work, #met @carol; lunch @dan\n", &note);
  CHECK_INT(note.interaction_count, 2);
  CHECK_STR(who(&note, nth_at(note.interactions, note.interaction_count, 1, 0)), "bob");
  CHECK_STR(who(&note, nth_at(note.interactions, note.interaction_count, 1, 1)), "carol");
  kith_note_free(&note);
  EXPECT_DATED("n.md", "- 2026-11-20, @bob #gave intro\n", "bob", "2026-11-20");
  EXPECT_DATED("n.md", "- 2026-11-20\t#gave\t@bob\tintro\n", "bob", "2026-11-20");
}

static void test_leading_run_ends_at_other_tokens(void) {
  // `@bob.` is a handle followed by `.`, not by `,` or `;`: the run ends before it, holding
  // no handle, so the first handle counts (bob), not carol.
  KithNote note;
  harness_parse("- 2026-11-20 #met @bob. @carol\n"
                "- 2026-11-20 #met with @dan, @erin\n"
                "- 2026-11-20 #met (@fay) @gus\n"
                "- 2026-11-20 #met @hal's team, @ivy\n",
                &note);
  CHECK_INT(note.interaction_count, 4);
  CHECK_STR(who(&note, item_at(&note, 1)), "bob");
  CHECK_STR(who(&note, item_at(&note, 2)), "dan");
  CHECK_STR(who(&note, item_at(&note, 3)), "fay");
  CHECK_STR(who(&note, item_at(&note, 4)), "hal");
  kith_note_free(&note);
}

static void test_leading_run_wins_inside_another_contacts_section(void) {
  KithNote note;
  harness_parse("## Bob @bob\n"                        // 1
                "- 2026-11-20 #gave @alice intro\n"    // 2: alice, in bob's section
                "- 2026-11-21 #gave intro to @alice\n" // 3: bob (the run holds no handle)
                "- 2026-11-22 #met @bob, @carol\n",    // 4: bob and carol
                &note);
  CHECK_INT(note.interaction_count, 4);
  const KithInteraction *two = item_at(&note, 2);
  CHECK_STR(who(&note, two), "alice");
  CHECK_INT(two ? two->section : -2, 0); // the physical section stays bob's (the outline)
  CHECK_STR(who(&note, item_at(&note, 3)), "bob");
  CHECK_STR(who(&note, nth_at(note.interactions, note.interaction_count, 4, 0)), "bob");
  CHECK_STR(who(&note, nth_at(note.interactions, note.interaction_count, 4, 1)), "carol");
  kith_note_free(&note);
}

static void test_leading_run_with_context_date(void) {
  KithNote note;
  harness_parse_at("daily/2026-11-20.md", "2026-11-26",
                   "## Bob @bob\n"
                   "- #met @alice, @carol lunch\n"
                   "- [x] #gave @dan intro\n"
                   "- lunch #met @erin\n",
                   &note);
  CHECK_INT(note.interaction_count, 4);
  CHECK_STR(who(&note, nth_at(note.interactions, note.interaction_count, 2, 0)), "alice");
  CHECK_STR(who(&note, nth_at(note.interactions, note.interaction_count, 2, 1)), "carol");
  CHECK_STR(who(&note, item_at(&note, 3)), "dan");
  CHECK_STR(text_of(&note, item_at(&note, 3)), "#gave @dan intro");
  CHECK_STR(who(&note, item_at(&note, 4)), "bob"); // the run ends at "lunch": the section
  CHECK_INT(item_at(&note, 4) ? item_at(&note, 4)->day : 0, day_of("2026-11-20"));
  kith_note_free(&note);
}

static void test_section_then_first_handle(void) {
  KithNote note;
  harness_parse("## Bob @bob\n"                              // 1
                "- 2026-11-20 #gave intro to @carol\n"       // 2: bob's section
                "# Log\n"                                    // 3: ends bob's section
                "- 2026-11-21 #gave intro to @carol, @dan\n" // 4: first handle: carol only
                "- 2026-11-22 #gave `@x` to @erin\n",        // 5: the code span is no handle
                &note);
  CHECK_STR(who(&note, item_at(&note, 2)), "bob");
  CHECK_STR(who(&note, item_at(&note, 4)), "carol");
  CHECK_STR(who(&note, item_at(&note, 5)), "erin");
  CHECK_INT(note.interaction_count, 3);
  kith_note_free(&note);
}

// --- planned items -------------------------------------------------------------------------

static void test_planned_item_is_a_followup(void) {
  KithNote note;
  harness_parse("## Bob @bob\n"
                "- [ ] 2026-12-01 #gave send the deck\n"
                "- [x] 2026-11-20 #gave sent the draft\n"
                "- [X] 2026-11-21 #met\n",
                &note);
  CHECK_INT(note.interaction_count, 2);
  CHECK_INT(note.followup_count, 1);
  CHECK_INT(note.diagnostic_count, 0);
  const KithInteraction *f = followup_at(&note, 2);
  CHECK_STR(who(&note, f), "bob");
  if (f) {
    CHECK(f->dated);
    CHECK_INT(f->day, day_of("2026-12-01")); // after today, and still no warning
    CHECK_INT(f->gave, 1);
    CHECK_INT(f->section, 0);
    CHECK_STR(text_of(&note, f), "#gave send the deck");
  }
  kith_note_free(&note);
}

static void test_planned_item_needs_no_date(void) {
  KithNote note;
  harness_parse("- [ ] #gave @bob, @carol send the write-up\n"
                "- [ ] call @dan about #met\n",
                &note);
  CHECK_INT(note.diagnostic_count, 0);
  CHECK_INT(note.interaction_count, 0);
  CHECK_INT(note.followup_count, 3);
  const KithInteraction *a = nth_at(note.followups, note.followup_count, 1, 0);
  const KithInteraction *b = nth_at(note.followups, note.followup_count, 1, 1);
  CHECK_STR(who(&note, a), "bob");
  CHECK_STR(who(&note, b), "carol");
  CHECK(a && !a->dated);
  CHECK_STR(text_of(&note, a), "#gave @bob, @carol send the write-up");
  CHECK_STR(who(&note, followup_at(&note, 2)), "dan");
  kith_note_free(&note);
}

static void test_planned_item_takes_the_context_date(void) {
  KithNote note;
  harness_parse_at("daily/2026-11-20.md", "2026-11-26", "- [ ] #gave @bob the intro\n", &note);
  const KithInteraction *f = followup_at(&note, 1);
  CHECK(f && f->dated && f->day == day_of("2026-11-20"));
  kith_note_free(&note);
}

static void test_planned_items_keep_their_diagnostics(void) {
  EXPECT_DIAG("n.md", "- [ ] 2026-02-30 #gave @bob\n", 1, 7, ERR, "invalid date 2026-02-30");
  EXPECT_DIAG("n.md", "- [ ] #gave:0 @bob\n", 1, 7, ERR, "invalid weight '0'");
  EXPECT_DIAG("n.md", "- [ ] 2026-12-01 #gave send the deck\n", 1, 1, WARN, "names no contact");
  // Without a kind tag a task is no follow-up.
  KithNote note;
  harness_parse("- [ ] 2026-12-01 send @bob the deck #work\n", &note);
  CHECK_INT(note.followup_count + note.interaction_count + note.diagnostic_count, 0);
  kith_note_free(&note);
}

// --- dates in the future -------------------------------------------------------------------

static void test_future_date_warns_and_is_not_counted(void) {
  EXPECT_DIAG("n.md", "- 2026-11-27 #gave @bob\n", 1, 3, WARN, "date is in the future");
  EXPECT_DIAG("n.md", "- [x] 2027-01-01 #gave @bob\n", 1, 7, WARN, "date is in the future");
  EXPECT_DIAG("n.md", "  1. 2026-12-01: #met @bob\n", 1, 6, WARN, "date is in the future");
  EXPECT_DATED("n.md", "- 2026-11-26 #gave @bob\n", "bob", "2026-11-26"); // today counts
}

static void test_future_context_date_warns_at_the_marker(void) {
  EXPECT_DIAG("daily/2026-11-27.md", "text\n\n  - #met @bob\n", 3, 3, WARN,
              "date is in the future");
  EXPECT_DIAG("n.md", "## 2026-12-24\n* [x] #gave @bob\n", 2, 1, WARN, "date is in the future");
}

static void test_future_date_and_bad_weight_both_reported(void) {
  KithNote note;
  harness_parse("- 2026-12-01 #gave:0 @bob\n", &note);
  CHECK_INT(note.interaction_count, 0);
  CHECK_INT(note.diagnostic_count, 2);
  CHECK(harness_has_diag(&note, 1, 3, WARN, "date is in the future"));
  CHECK(harness_has_diag(&note, 1, 14, ERR, "invalid weight '0'"));
  kith_note_free(&note);
}

// --- weights -------------------------------------------------------------------------------

static void test_weights_v2(void) {
  KithNote note;
  harness_parse("- 2026-11-20 #gave:2. @bob\n"         // 1: 2
                "- 2026-11-20 #gave:2.5 @bob\n"        // 2: bad
                "- 2026-11-20 (#got:3) @bob\n"         // 3: 3
                "- 2026-11-20 #got:4!? @bob\n"         // 4: 4
                "- 2026-11-20 #gave:5, #got:6; @bob\n" // 5: 5 and 6
                "- 2026-11-20 #gave:.5 @bob\n"         // 6: bad
                "- 2026-11-20 #gave:2,5 @bob\n"        // 7: bad
                "- 2026-11-20 @bob #gave:7\n",         // 8: 7 at the end of the paragraph
                &note);
  CHECK_INT(item_at(&note, 1) ? item_at(&note, 1)->gave : 0, 2);
  CHECK(item_at(&note, 2) == NULL);
  CHECK(harness_has_diag(&note, 2, 14, ERR, "invalid weight '2.5' (expected 1-999)"));
  CHECK_INT(item_at(&note, 3) ? item_at(&note, 3)->got : 0, 3);
  CHECK_INT(item_at(&note, 4) ? item_at(&note, 4)->got : 0, 4);
  CHECK(item_at(&note, 5) && item_at(&note, 5)->gave == 5 && item_at(&note, 5)->got == 6);
  CHECK(harness_has_diag(&note, 6, 14, ERR, "invalid weight '.5'"));
  CHECK(harness_has_diag(&note, 7, 14, ERR, "invalid weight '2,5'"));
  CHECK_INT(item_at(&note, 8) ? item_at(&note, 8)->gave : 0, 7);
  CHECK_INT(note.interaction_count, 5);
  CHECK_INT(note.diagnostic_count, 3);
  kith_note_free(&note);
}

// --- cadences ------------------------------------------------------------------------------

static const KithHeading *first_heading(const KithNote *note) {
  return note->heading_count ? &note->headings[0] : NULL;
}

static void expect_cadence(const char *text, uint32_t days, const char *name, int line) {
  KithNote note;
  harness_parse(text, &note);
  const KithHeading *h = first_heading(&note);
  harness_checks++;
  if (!h || h->cadence_days != days || strcmp(kith_note_str(&note, h->name), name) != 0 ||
      note.diagnostic_count != 0) {
    harness_fail(__FILE__, line, "%s: got cadence %u, name '%s', %u diags; want %u, '%s'", text,
                 h ? h->cadence_days : 0, h ? kith_note_str(&note, h->name) : "(no heading)",
                 note.diagnostic_count, days, name);
    dump(&note);
  }
  kith_note_free(&note);
}

static void expect_bad_cadence(const char *text, uint32_t column, const char *message,
                               const char *name, int line) {
  KithNote note;
  harness_parse(text, &note);
  const KithHeading *h = first_heading(&note);
  harness_checks++;
  if (!h || h->cadence_days != 0 || strcmp(kith_note_str(&note, h->name), name) != 0 ||
      note.diagnostic_count != 1 || !harness_has_diag(&note, 1, column, ERR, message)) {
    harness_fail(__FILE__, line, "%s: want error 1:%u '%s' and name '%s'; got name '%s'", text,
                 column, message, name, h ? kith_note_str(&note, h->name) : "(no heading)");
    dump(&note);
  }
  kith_note_free(&note);
}

#define EXPECT_CADENCE(text, days, name) expect_cadence(text, days, name, __LINE__)
#define EXPECT_BAD_CADENCE(text, column, message, name)                                            \
  expect_bad_cadence(text, column, message, name, __LINE__)

static void test_cadence_units(void) {
  EXPECT_CADENCE("## Alice Chen @alice #every:3w\n", 21, "Alice Chen");
  EXPECT_CADENCE("## Alice @alice #every:10d\n", 10, "Alice");
  EXPECT_CADENCE("## Alice @alice #every:2m\n", 60, "Alice");
  EXPECT_CADENCE("## Alice @alice #every:1y\n", 365, "Alice");
  EXPECT_CADENCE("## Alice @alice #EVERY:2W\n", 14, "Alice");
  EXPECT_CADENCE("## Alice @alice #every:1d\n", 1, "Alice");
  EXPECT_CADENCE("## Alice @alice #every:999d\n", 999, "Alice");
  EXPECT_CADENCE("## #every:3w Alice @alice\n", 21, "Alice");
  EXPECT_CADENCE("## Alice (#every:3w) @alice\n", 21, "Alice");
  EXPECT_CADENCE("## Alice (#every:3w, mostly) @alice\n", 21, "Alice ( mostly)");
  EXPECT_CADENCE("## Alice @alice #every:3w.\n", 21, "Alice");
  EXPECT_CADENCE("Alice @alice #every:4w\n---\n", 28, "Alice");
}

static void test_bad_cadence_is_an_error_at_the_tag(void) {
  const char *why = "(expected N followed by d, w, m or y)";
  char message[128];
  snprintf(message, sizeof message, "invalid cadence '3x' %s", why);
  EXPECT_BAD_CADENCE("## Alice @alice #every:3x\n", 17, message, "Alice");
  snprintf(message, sizeof message, "invalid cadence '0d' %s", why);
  EXPECT_BAD_CADENCE("## Alice #every:0d @alice\n", 10, message, "Alice");
  EXPECT_BAD_CADENCE("## Alice @alice #every:1000d\n", 17, "invalid cadence '1000d'", "Alice");
  EXPECT_BAD_CADENCE("## Alice @alice #every:\n", 17, "invalid cadence ''", "Alice");
  EXPECT_BAD_CADENCE("## Alice @alice #every\n", 17, "invalid cadence ''", "Alice");
  EXPECT_BAD_CADENCE("## Alice @alice #every:3.5w\n", 17, "invalid cadence '3.5w'", "Alice");
  EXPECT_BAD_CADENCE("## Alice @alice #every:w\n", 17, "invalid cadence 'w'", "Alice");
  EXPECT_BAD_CADENCE("## Alice @alice #every:3wk\n", 17, "invalid cadence '3wk'", "Alice");
}

static void test_first_valid_cadence_of_a_heading_counts(void) {
  KithNote note;
  harness_parse("## Alice @alice #every:3x #every:2d #every:5d\n", &note);
  const KithHeading *h = first_heading(&note);
  CHECK(h && h->cadence_days == 2);
  CHECK_STR(h ? kith_note_str(&note, h->name) : "", "Alice");
  CHECK_INT(note.diagnostic_count, 1);
  CHECK(harness_has_diag(&note, 1, 17, ERR, "invalid cadence '3x'"));
  kith_note_free(&note);
}

static void test_cadence_only_on_contact_headings_and_outside_code(void) {
  KithNote note;
  harness_parse("## Weekly #every:1w\n"               // no contact: nothing, no error
                "## Bob @bob `#every:3x` #everyone\n" // code span, ordinary tag: in the name
                "- 2026-11-20 #met #every:3x\n",      // an item: an ordinary tag
                &note);
  CHECK_INT(note.heading_count, 1);
  CHECK_INT(note.diagnostic_count, 0);
  const KithHeading *h = first_heading(&note);
  CHECK(h && h->cadence_days == 0);
  CHECK_STR(h ? kith_note_str(&note, h->name) : "", "Bob `#every:3x` #everyone");
  CHECK_INT(note.interaction_count, 1);
  kith_note_free(&note);
}

// --- the text of an item -------------------------------------------------------------------

static void test_item_text(void) {
  KithNote note;
  harness_parse_at("daily/2026-11-20.md", "2026-11-26",
                   "- [ ] 2026-12-01:  #gave  send\n" // 1
                   "  her\tdeck   \n"                 // 2
                   "- #met   @bob  coffee\n"          // 3
                   "> - 2026-11-02 #got @bob lunch\n" // 4
                   ">   and   advice\n"               // 5
                   "- 2026-11-03\n"                   // 6
                   "  #met @bob\n",                   // 7
                   &note);
  CHECK_STR(text_of(&note, followup_at(&note, 1)), "(none)"); // no contact: not kept
  CHECK_STR(text_of(&note, item_at(&note, 3)), "#met @bob coffee");
  CHECK_STR(text_of(&note, item_at(&note, 4)), "#got @bob lunch and advice");
  CHECK_STR(text_of(&note, item_at(&note, 6)), "#met @bob");
  kith_note_free(&note);
  harness_parse("## Bob @bob\n- [ ] 2026-12-01:  #gave  send\n  her\tdeck   \n", &note);
  CHECK_STR(text_of(&note, followup_at(&note, 2)), "#gave send her deck");
  kith_note_free(&note);
}

static void test_item_text_is_bounded(void) {
  size_t n = 5000;
  char *text = malloc(n + 64);
  int k = snprintf(text, 64, "- 2026-11-20 #met @bob ");
  for (size_t i = 0; i < n; i++)
    text[k + i] = i % 2 ? "é"[1] : "é"[0];
  strcpy(text + k + n, "\n");
  KithNote note;
  harness_parse(text, &note);
  const char *kept = text_of(&note, item_at(&note, 1));
  CHECK(strlen(kept) <= 1026);
  CHECK(strlen(kept) >= 1000);
  CHECK(((unsigned char)kept[strlen(kept) - 1] & 0xC0) == 0x80); // ends on a whole character
  kith_note_free(&note);
  free(text);
}

static void test_parsed_note_keeps_no_spare_room(void) {
  KithNote note;
  harness_parse("## A @a\n- 2026-11-20 #met\n- [ ] #gave x\n- 2026-02-30 #gave\n", &note);
  CHECK_INT(note.interaction_cap, note.interaction_count);
  CHECK_INT(note.followup_cap, note.followup_count);
  CHECK_INT(note.heading_cap, note.heading_count);
  CHECK_INT(note.diagnostic_cap, note.diagnostic_count);
  CHECK_INT(note.strings.cap, note.strings.len + 1);
  CHECK_STR(text_of(&note, item_at(&note, 2)), "#met"); // still readable
  kith_note_free(&note);
}

int main(void) {
  RUN(test_context_date_from_heading);
  RUN(test_heading_date_must_begin_the_heading);
  RUN(test_invalid_date_heading_gives_no_date);
  RUN(test_nested_date_headings);
  RUN(test_context_date_from_file_name);
  RUN(test_file_name_must_begin_with_a_real_date);
  RUN(test_own_date_wins_over_context_date);

  RUN(test_leading_run_gives_every_handle);
  RUN(test_leading_run_credits_full_weights_each);
  RUN(test_leading_run_handles_are_distinct);
  RUN(test_leading_run_may_mix_tags_and_handles);
  RUN(test_leading_run_ends_at_other_tokens);
  RUN(test_leading_run_wins_inside_another_contacts_section);
  RUN(test_leading_run_with_context_date);
  RUN(test_section_then_first_handle);

  RUN(test_planned_item_is_a_followup);
  RUN(test_planned_item_needs_no_date);
  RUN(test_planned_item_takes_the_context_date);
  RUN(test_planned_items_keep_their_diagnostics);

  RUN(test_future_date_warns_and_is_not_counted);
  RUN(test_future_context_date_warns_at_the_marker);
  RUN(test_future_date_and_bad_weight_both_reported);

  RUN(test_weights_v2);

  RUN(test_cadence_units);
  RUN(test_bad_cadence_is_an_error_at_the_tag);
  RUN(test_first_valid_cadence_of_a_heading_counts);
  RUN(test_cadence_only_on_contact_headings_and_outside_code);

  RUN(test_item_text);
  RUN(test_item_text_is_bounded);
  RUN(test_parsed_note_keeps_no_spare_room);
  return harness_finish("test_note_v2");
}
