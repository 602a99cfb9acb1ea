// One note parsed from text (SPEC §1): contact headings and their sections, interactions,
// the places where nothing is recognised, and the diagnostics with exact positions.

#include "harness.h"

#include <stdio.h>
#include <stdlib.h>

#include "notes/parser.h"

// --- helpers -------------------------------------------------------------------------------

static KithDay day_of(const char *s) {
  KithDay day = 0;
  if (kith_date_parse(s, strlen(s), &day) != 0)
    harness_fail(__FILE__, __LINE__, "bad date %s", s);
  return day;
}

// The first heading declaring `handle`, or NULL.
static const KithHeading *heading_for(const KithNote *note, const char *handle) {
  for (uint32_t i = 0; i < note->heading_count; i++)
    if (strcmp(kith_note_str(note, note->headings[i].handle), handle) == 0)
      return &note->headings[i];
  return NULL;
}

static int32_t heading_index(const KithNote *note, const char *handle) {
  const KithHeading *h = heading_for(note, handle);
  return h ? (int32_t)(h - note->headings) : -2;
}

// The interaction whose list marker is on `line`, or NULL.
static const KithInteraction *item_at(const KithNote *note, uint32_t line) {
  for (uint32_t i = 0; i < note->interaction_count; i++)
    if (note->interactions[i].line == line)
      return &note->interactions[i];
  return NULL;
}

static const char *item_handle(const KithNote *note, const KithInteraction *item) {
  return item ? kith_note_str(note, item->handle) : "(no item)";
}

static const char *heading_name(const KithNote *note, const KithHeading *h) {
  return h ? kith_note_str(note, h->name) : "(no heading)";
}

// Checks that `text` gives no heading, no interaction and no diagnostic.
static void expect_nothing(const char *text, int line) {
  KithNote note;
  harness_parse(text, &note);
  if (note.heading_count || note.interaction_count || note.diagnostic_count)
    harness_fail(__FILE__, line, "want nothing from %s; got %u headings, %u items, %u diags", text,
                 note.heading_count, note.interaction_count, note.diagnostic_count);
  harness_checks++;
  kith_note_free(&note);
}

// Checks that `text` is exactly one clean interaction with `handle` and these numbers.
static void expect_item(const char *text, const char *handle, uint32_t gave, uint32_t got,
                        uint32_t met, int line) {
  KithNote note;
  harness_parse(text, &note);
  harness_checks++;
  if (note.interaction_count != 1 || note.diagnostic_count != 0) {
    harness_fail(__FILE__, line, "want one clean item from %s; got %u items, %u diags", text,
                 note.interaction_count, note.diagnostic_count);
  } else {
    const KithInteraction *it = &note.interactions[0];
    const char *h = kith_note_str(&note, it->handle);
    if (strcmp(h, handle) != 0 || it->gave != gave || it->got != got || it->met != met)
      harness_fail(__FILE__, line, "%s: got @%s gave %u got %u met %u, want @%s %u %u %u", text, h,
                   it->gave, it->got, it->met, handle, gave, got, met);
  }
  kith_note_free(&note);
}

// Checks that `text` counts nothing and has exactly one diagnostic, at line:column.
static void expect_one_diag(const char *text, uint32_t dline, uint32_t dcol, KithSeverity sev,
                            const char *needle, int line) {
  KithNote note;
  harness_parse(text, &note);
  harness_checks++;
  if (note.interaction_count != 0 || note.diagnostic_count != 1 ||
      !harness_has_diag(&note, dline, dcol, sev, needle)) {
    harness_fail(__FILE__, line, "want only %s %u:%u '%s' from %s; got %u items, %u diags%s",
                 kith_severity_name(sev), dline, dcol, needle ? needle : "", text,
                 note.interaction_count, note.diagnostic_count, note.diagnostic_count ? ":" : "");
    for (uint32_t i = 0; i < note.diagnostic_count; i++) {
      const KithDiagnostic *d = &note.diagnostics[i];
      fprintf(stderr, "    %u:%u %s %s\n", d->line, d->column, kith_severity_name(d->severity),
              kith_note_str(&note, d->message));
    }
  }
  kith_note_free(&note);
}

#define EXPECT_NOTHING(text) expect_nothing(text, __LINE__)
#define EXPECT_ITEM(text, handle, gave, got, met)                                                  \
  expect_item(text, handle, gave, got, met, __LINE__)
#define EXPECT_ONE_DIAG(text, l, c, sev, needle) expect_one_diag(text, l, c, sev, needle, __LINE__)

#define WARN KITH_SEVERITY_WARNING
#define ERR KITH_SEVERITY_ERROR

// --- contact headings ----------------------------------------------------------------------

static void test_atx_heading_declares_contact(void) {
  KithNote note;
  harness_parse("## Alice Chen @alice\n", &note);
  CHECK_INT(note.heading_count, 1);
  const KithHeading *h = heading_for(&note, "alice");
  CHECK(h != NULL);
  if (h) {
    CHECK_STR(heading_name(&note, h), "Alice Chen");
    CHECK_INT(h->line, 1);
    CHECK_INT(h->level, 2);
  }
  kith_note_free(&note);
}

static void test_atx_heading_any_level(void) {
  for (int level = 1; level <= 6; level++) {
    char text[64];
    snprintf(text, sizeof text, "%.*s Pat @pat\n", level, "######");
    KithNote note;
    harness_parse(text, &note);
    CHECK_INT(note.heading_count, 1);
    if (note.heading_count) {
      CHECK_INT(note.headings[0].level, level);
      CHECK_STR(heading_name(&note, &note.headings[0]), "Pat");
    }
    kith_note_free(&note);
  }
}

static void test_setext_h1_declares_contact(void) {
  KithNote note;
  harness_parse("Carol Diaz @carol\n=====\n", &note);
  const KithHeading *h = heading_for(&note, "carol");
  CHECK(h != NULL);
  if (h) {
    CHECK_INT(h->level, 1);
    CHECK_INT(h->line, 1);
    CHECK_STR(heading_name(&note, h), "Carol Diaz");
  }
  kith_note_free(&note);
}

static void test_setext_h2_declares_contact(void) {
  KithNote note;
  harness_parse("intro\n\nDan @dan\n---\n", &note);
  CHECK_INT(note.heading_count, 1);
  const KithHeading *h = heading_for(&note, "dan");
  CHECK(h != NULL);
  if (h) {
    CHECK_INT(h->level, 2);
    CHECK_INT(h->line, 3);
    CHECK_STR(heading_name(&note, h), "Dan");
  }
  kith_note_free(&note);
}

static void test_multiline_setext_name_collapses_newline(void) {
  KithNote note;
  harness_parse("Dan\nDoe @dan\n===\n", &note);
  const KithHeading *h = heading_for(&note, "dan");
  CHECK(h != NULL);
  if (h) {
    CHECK_STR(heading_name(&note, h), "Dan Doe");
    CHECK_INT(h->line, 1);
  }
  kith_note_free(&note);
}

static void test_name_without_handle_whitespace_collapsed(void) {
  KithNote note;
  harness_parse("######   Deep   Person \t @deep   here  \n", &note);
  CHECK_STR(heading_name(&note, heading_for(&note, "deep")), "Deep Person here");
  kith_note_free(&note);
  harness_parse("## @alice Chen\n", &note);
  CHECK_STR(heading_name(&note, heading_for(&note, "alice")), "Chen");
  kith_note_free(&note);
}

static void test_name_defaults_to_handle(void) {
  KithNote note;
  harness_parse("# @bob\n", &note);
  CHECK_INT(note.heading_count, 1);
  CHECK_STR(heading_name(&note, heading_for(&note, "bob")), "bob");
  kith_note_free(&note);
}

static void test_atx_closing_sequence_not_in_name(void) {
  KithNote note;
  harness_parse("## Alice @alice ##\n", &note);
  CHECK_STR(heading_name(&note, heading_for(&note, "alice")), "Alice");
  kith_note_free(&note);
}

static void test_first_handle_in_heading_wins(void) {
  KithNote note;
  harness_parse("## @alice meets @bob\n", &note);
  CHECK_INT(note.heading_count, 1);
  CHECK(heading_for(&note, "alice") != NULL);
  CHECK(heading_for(&note, "bob") == NULL);
  CHECK_STR(heading_name(&note, heading_for(&note, "alice")), "meets @bob");
  kith_note_free(&note);
}

static void test_heading_handle_is_lower_cased(void) {
  KithNote note;
  harness_parse("## Alice @ALICE\n", &note);
  CHECK(heading_for(&note, "alice") != NULL);
  CHECK_STR(heading_name(&note, heading_for(&note, "alice")), "Alice");
  kith_note_free(&note);
}

static void test_handle_in_code_span_of_heading_ignored(void) {
  KithNote note;
  harness_parse("## Call `@x` then @real\n", &note);
  CHECK_INT(note.heading_count, 1);
  CHECK(heading_for(&note, "real") != NULL);
  CHECK(heading_for(&note, "x") == NULL);
  kith_note_free(&note);
  EXPECT_NOTHING("## Call `@x`\n");
}

static void test_handle_in_heading_link_or_html_ignored(void) {
  KithNote note;
  harness_parse("## Alice [site](https://x.com/(@x)) @alice\n", &note);
  CHECK_INT(note.heading_count, 1);
  CHECK(heading_for(&note, "alice") != NULL);
  kith_note_free(&note);
  harness_parse("## <span title=\"@x\">Bob</span> @bob\n", &note);
  CHECK_INT(note.heading_count, 1);
  CHECK(heading_for(&note, "bob") != NULL);
  kith_note_free(&note);
}

static void test_hash_without_space_is_no_heading(void) {
  EXPECT_NOTHING("#Alice @alice\n");
}

static void test_headings_without_handle_declare_nothing(void) {
  EXPECT_NOTHING("# People\n\n## Notes\n\n## Mail bob@acme.com\n");
}

static void test_several_headings_in_document_order(void) {
  KithNote note;
  harness_parse("# Zed @zed\n\n# Amy @amy\n", &note);
  CHECK_INT(note.heading_count, 2);
  if (note.heading_count == 2) {
    CHECK_STR(kith_note_str(&note, note.headings[0].handle), "zed");
    CHECK_INT(note.headings[0].line, 1);
    CHECK_STR(kith_note_str(&note, note.headings[1].handle), "amy");
    CHECK_INT(note.headings[1].line, 3);
  }
  kith_note_free(&note);
}

// --- sections ------------------------------------------------------------------------------

static void test_section_runs_to_same_or_higher_level_heading(void) {
  KithNote note;
  harness_parse("# People\n"        // 1
                "## Alice @alice\n" // 2
                "text\n"            // 3
                "### Notes\n"       // 4
                "more\n"            // 5
                "## Bob @bob\n"     // 6
                "- x\n"             // 7
                "# Other\n"         // 8
                "end\n",            // 9
                &note);
  const KithHeading *alice = heading_for(&note, "alice"), *bob = heading_for(&note, "bob");
  CHECK(alice && bob);
  if (alice && bob) {
    CHECK_INT(alice->line, 2);
    CHECK_INT(alice->end_line, 5);
    CHECK_INT(bob->line, 6);
    CHECK_INT(bob->end_line, 7);
  }
  kith_note_free(&note);
}

static void test_nested_contact_sections_end_together(void) {
  KithNote note;
  harness_parse("## A @a\n### B @b\nx\n# Top\ny\n", &note);
  const KithHeading *a = heading_for(&note, "a"), *b = heading_for(&note, "b");
  CHECK(a && b);
  if (a && b) {
    CHECK_INT(a->end_line, 3);
    CHECK_INT(b->line, 2);
    CHECK_INT(b->end_line, 3);
    CHECK_INT(b->level, 3);
  }
  kith_note_free(&note);
}

static void test_last_section_runs_to_end_of_file(void) {
  KithNote note;
  harness_parse("## Carol @carol\na\nb\n", &note);
  CHECK_INT(heading_for(&note, "carol") ? heading_for(&note, "carol")->end_line : 0, 3);
  kith_note_free(&note);
  harness_parse("## Carol @carol\na\nb", &note);
  CHECK_INT(heading_for(&note, "carol") ? heading_for(&note, "carol")->end_line : 0, 3);
  kith_note_free(&note);
}

static void test_section_includes_blank_line_before_next_heading(void) {
  KithNote note;
  harness_parse("## A @a\ntext\n\n## B @b\n", &note);
  const KithHeading *a = heading_for(&note, "a"), *b = heading_for(&note, "b");
  CHECK(a && b);
  if (a && b) {
    CHECK_INT(a->end_line, 3);
    CHECK_INT(b->line, 4);
    CHECK_INT(b->end_line, 4);
  }
  kith_note_free(&note);
}

static void test_setext_sections(void) {
  KithNote note;
  harness_parse("Dan @dan\n"    // 1
                "---\n"         // 2
                "text\n"        // 3
                "\n"            // 4
                "Eve @eve\n"    // 5
                "---\n"         // 6
                "more\n"        // 7
                "## Sub @sub\n" // 8: same level as the setext h2: ends Eve's section
                "x\n",          // 9
                &note);
  const KithHeading *dan = heading_for(&note, "dan"), *eve = heading_for(&note, "eve");
  CHECK(dan && eve);
  if (dan && eve) {
    CHECK_INT(dan->end_line, 4);
    CHECK_INT(eve->line, 5);
    CHECK_INT(eve->end_line, 7);
  }
  kith_note_free(&note);
}

static void test_setext_h1_section_holds_atx_h2(void) {
  KithNote note;
  harness_parse("Top @top\n===\n## Sub @sub\nx\n", &note);
  const KithHeading *top = heading_for(&note, "top"), *sub = heading_for(&note, "sub");
  CHECK(top && sub);
  if (top && sub) {
    CHECK_INT(top->end_line, 4);
    CHECK_INT(sub->line, 3);
    CHECK_INT(sub->end_line, 4);
  }
  kith_note_free(&note);
}

static void test_setext_h1_ends_atx_h3_section(void) {
  KithNote note;
  harness_parse("### C @c\n"            // 1
                "- 2026-01-05 #gave\n"  // 2
                "\n"                    // 3
                "Top\n"                 // 4
                "===\n"                 // 5
                "- 2026-01-06 #gave\n", // 6
                &note);
  CHECK_INT(heading_for(&note, "c") ? heading_for(&note, "c")->end_line : 0, 3);
  CHECK_INT(note.interaction_count, 1);
  CHECK_STR(item_handle(&note, item_at(&note, 2)), "c");
  CHECK(harness_has_diag(&note, 6, 1, WARN, "no contact"));
  kith_note_free(&note);
}

// --- interactions and counterparties --------------------------------------------------------

static void test_counterparty_is_innermost_contact_section(void) {
  KithNote note;
  harness_parse("## Alice @alice\n"           // 1
                "- 2026-01-05 #gave intro\n"  // 2
                "### Notes\n"                 // 3
                "- 2026-01-06 #got lunch\n"   // 4
                "### Bob @bob\n"              // 5
                "- 2026-01-07 #met\n"         // 6
                "## Other\n"                  // 7
                "- 2026-01-08 #gave @carol\n" // 8
                "- 2026-01-09 #gave\n",       // 9
                &note);
  CHECK_INT(note.interaction_count, 4);
  const KithInteraction *a = item_at(&note, 2), *b = item_at(&note, 4), *c = item_at(&note, 6),
                        *d = item_at(&note, 8);
  CHECK_STR(item_handle(&note, a), "alice");
  CHECK_STR(item_handle(&note, b), "alice"); // ### Notes is no contact: stays in Alice's section
  CHECK_STR(item_handle(&note, c), "bob");
  CHECK_STR(item_handle(&note, d), "carol"); // ## Other ended Alice's section
  if (a && b && c && d) {
    CHECK_INT(a->gave, 1);
    CHECK_INT(b->got, 1);
    CHECK_INT(c->met, 1);
    CHECK_INT(a->section, heading_index(&note, "alice"));
    CHECK_INT(b->section, heading_index(&note, "alice"));
    CHECK_INT(c->section, heading_index(&note, "bob"));
    CHECK_INT(d->section, -1);
    CHECK_INT(a->day, day_of("2026-01-05"));
    CHECK_INT(d->day, day_of("2026-01-08"));
  }
  CHECK(harness_has_diag(&note, 9, 1, WARN, "no contact"));
  CHECK_INT(note.diagnostic_count, 1);
  kith_note_free(&note);
}

static void test_section_wins_over_handle_in_item(void) {
  KithNote note;
  harness_parse("## Alice @alice\n- 2026-01-05 #gave intro to @bob\n", &note);
  CHECK_INT(note.interaction_count, 1);
  CHECK_STR(item_handle(&note, item_at(&note, 2)), "alice");
  kith_note_free(&note);
}

static void test_heading_with_handle_only_in_code_is_no_section(void) {
  EXPECT_ITEM("## `@x` notes\n- 2026-01-05 #gave @bob\n", "bob", 1, 0, 0);
}

static void test_section_counterparty_is_lower_case(void) {
  KithNote note;
  harness_parse("## Alice @Alice\n- 2026-01-05 #gave\n", &note);
  CHECK_STR(item_handle(&note, item_at(&note, 2)), "alice");
  kith_note_free(&note);
}

static void test_outside_sections_first_handle_in_item(void) {
  EXPECT_ITEM("- 2026-01-05 #gave @Bob and @carol\n", "bob", 1, 0, 0);
  EXPECT_ITEM("- 2026-01-05 #gave (@bob)\n", "bob", 1, 0, 0);
  EXPECT_ITEM("- 2026-01-05 #gave **@bob**\n", "bob", 1, 0, 0);
  EXPECT_ITEM("- 2026-01-05 #gave [@bob](https://b.example)\n", "bob", 1, 0, 0);
  EXPECT_ITEM("- 2026-01-05 #gave thanks @bob.\n", "bob", 1, 0, 0);
}

static void test_handle_in_nested_item_is_not_counterparty(void) {
  EXPECT_ONE_DIAG("- 2026-01-05 #gave\n  - @bob was there\n", 1, 1, WARN, "no contact");
}

static void test_counterparty_on_continuation_line(void) {
  KithNote note;
  harness_parse("- 2026-01-05 #gave intro\n  to @bob\n", &note);
  CHECK_INT(note.interaction_count, 1);
  const KithInteraction *it = item_at(&note, 1);
  CHECK_STR(item_handle(&note, it), "bob");
  if (it)
    CHECK_INT(it->end_line, 2);
  kith_note_free(&note);
}

static void test_kind_tag_on_continuation_line(void) {
  EXPECT_ITEM("- 2026-01-05 intro\n  #gave @bob\n", "bob", 1, 0, 0);
}

static void test_kind_tag_in_nested_item_not_the_parents(void) {
  // The parent has no kind tag of its own; the child has one but no date.
  EXPECT_ONE_DIAG("- 2026-01-05 met up with @bob\n  - #gave something\n", 2, 3, WARN, "no date");
}

static void test_nested_items_are_interactions_too(void) {
  KithNote note;
  harness_parse("- 2026-01-05 #met @alice\n"
                "  - 2026-01-06 #gave @bob\n"
                "    - note\n",
                &note);
  CHECK_INT(note.interaction_count, 2);
  const KithInteraction *outer = item_at(&note, 1), *inner = item_at(&note, 2);
  CHECK_STR(item_handle(&note, outer), "alice");
  CHECK_STR(item_handle(&note, inner), "bob");
  if (outer && inner) {
    CHECK_INT(outer->column, 1);
    CHECK_INT(outer->met, 1);
    CHECK_INT(outer->gave, 0);
    CHECK_INT(outer->end_line, 3);
    CHECK_INT(inner->column, 3);
    CHECK_INT(inner->gave, 1);
    CHECK_INT(inner->end_line, 3);
  }
  CHECK_INT(note.diagnostic_count, 0);
  kith_note_free(&note);
}

static void test_nested_item_in_section(void) {
  KithNote note;
  harness_parse("## A @a\n- Project X\n  - 2026-01-05 #gave\n", &note);
  CHECK_INT(note.interaction_count, 1);
  const KithInteraction *it = item_at(&note, 3);
  CHECK_STR(item_handle(&note, it), "a");
  if (it)
    CHECK_INT(it->column, 3);
  kith_note_free(&note);
}

static void test_task_items(void) {
  KithNote note;
  harness_parse("- [ ] 2026-01-05 #gave @bob\n"
                "- [x] 2026-01-06 #got @bob\n"
                "- [X] 2026-01-07 #met @bob\n",
                &note);
  // (v2) The unchecked box is planned: a follow-up, not counted.
  CHECK_INT(note.interaction_count, 2);
  CHECK_INT(note.followup_count, 1);
  CHECK_INT(note.diagnostic_count, 0);
  const KithInteraction *b = item_at(&note, 2), *c = item_at(&note, 3);
  CHECK(item_at(&note, 1) == NULL);
  if (b && c) {
    CHECK_INT(b->day, day_of("2026-01-06"));
    CHECK_INT(b->got, 1);
    CHECK_INT(c->met, 1);
  }
  if (note.followup_count == 1) {
    CHECK_INT(note.followups[0].day, day_of("2026-01-05"));
    CHECK_INT(note.followups[0].gave, 1);
  }
  kith_note_free(&note);
}

static void test_ordered_items(void) {
  KithNote note;
  harness_parse("1. 2026-01-05 #gave @bob\n"
                "2. 2026-01-06 #got @bob\n"
                "\n"
                "1) 2026-01-07 #met @bob\n"
                "\n"
                "10. 2026-01-08 #gave @bob\n",
                &note);
  CHECK_INT(note.interaction_count, 4);
  CHECK_INT(note.diagnostic_count, 0);
  CHECK(item_at(&note, 1) && item_at(&note, 2) && item_at(&note, 4) && item_at(&note, 6));
  if (item_at(&note, 6))
    CHECK_INT(item_at(&note, 6)->column, 1);
  kith_note_free(&note);
}

static void test_star_and_plus_bullets(void) {
  EXPECT_ITEM("* 2026-01-05 #gave @bob\n", "bob", 1, 0, 0);
  EXPECT_ITEM("+ 2026-01-05 #got @bob\n", "bob", 0, 1, 0);
}

static void test_items_in_block_quotes(void) {
  KithNote note;
  harness_parse("> - 2026-01-05 #gave @bob\n> - 2026-01-06 #got @bob\n", &note);
  CHECK_INT(note.interaction_count, 2);
  if (item_at(&note, 1))
    CHECK_INT(item_at(&note, 1)->column, 3);
  kith_note_free(&note);
  harness_parse("## A @a\n> - 2026-01-05 #gave\n", &note);
  CHECK_STR(item_handle(&note, item_at(&note, 2)), "a");
  kith_note_free(&note);
}

static void test_exchange_counts_each_kind_tag(void) {
  EXPECT_ITEM("- 2026-01-05 #gave intro #got lunch @bob\n", "bob", 1, 1, 0);
}

static void test_weights_are_summed(void) {
  EXPECT_ITEM("- 2026-01-05 #gave:2 #gave:3 @bob\n", "bob", 5, 0, 0);
  EXPECT_ITEM("- 2026-01-05 #got:4 #met @bob\n", "bob", 0, 4, 1);
  EXPECT_ITEM("- 2026-01-05 #gave:999 @bob\n", "bob", 999, 0, 0);
}

static void test_met_counts_tags(void) {
  EXPECT_ITEM("- 2026-01-05 #met #met @bob\n", "bob", 0, 0, 2);
  EXPECT_ITEM("- 2026-01-05 #met:3 @bob\n", "bob", 0, 0, 1);
}

static void test_empty_weight_is_one(void) {
  EXPECT_ITEM("- 2026-01-05 #gave: @bob\n", "bob", 1, 0, 0);
}

static void test_kind_tags_any_case_and_synonyms(void) {
  EXPECT_ITEM("- 2026-01-05 #GAVE #Got @bob\n", "bob", 1, 1, 0);
  EXPECT_ITEM("- 2026-01-05 #give #received #receive @bob\n", "bob", 1, 2, 0);
}

static void test_tag_in_parens_counts(void) {
  EXPECT_ITEM("- 2026-01-05 lunch (#got) @bob\n", "bob", 0, 1, 0);
}

static void test_tag_glued_to_word_does_not_count(void) {
  EXPECT_NOTHING("- 2026-01-05 lunch a#gave @bob\n");
}

static void test_date_followers(void) {
  KithNote note;
  harness_parse("- 2026-01-05: #gave @bob\n"
                "- 2026-01-06, #got @bob\n"
                "- 2026-01-07\t#met @bob\n",
                &note);
  CHECK_INT(note.interaction_count, 3);
  CHECK_INT(note.diagnostic_count, 0);
  if (item_at(&note, 3))
    CHECK_INT(item_at(&note, 3)->day, day_of("2026-01-07"));
  kith_note_free(&note);
}

static void test_date_must_begin_the_item(void) {
  EXPECT_ONE_DIAG("- 2026-01-05x #gave @bob\n", 1, 1, WARN, "no date");
  EXPECT_ONE_DIAG("- met on 2026-01-05 #gave @bob\n", 1, 1, WARN, "no date");
}

static void test_ordinary_tags_are_not_interactions(void) {
  EXPECT_NOTHING("- 2026-01-05 #work #gavel @bob\n");
}

// --- places where nothing is recognised ------------------------------------------------------

static void test_ignored_in_fenced_code(void) {
  EXPECT_NOTHING("```\n## Alice @alice\n- 2026-01-05 #gave @bob\n- #gave @x\n```\n");
  EXPECT_NOTHING("~~~md\n## Alice @alice\n- 2026-01-05 #gave @bob\n~~~\n");
  EXPECT_NOTHING("- note\n\n  ```\n  - 2026-01-05 #gave @bob\n  ```\n");
}

static void test_ignored_in_indented_code(void) {
  EXPECT_NOTHING("text\n\n    ## Alice @alice\n    - 2026-01-05 #gave @bob\n    - #gave\n");
}

static void test_ignored_in_code_span(void) {
  EXPECT_NOTHING("- 2026-01-05 `#gave` @bob\n");
  EXPECT_ONE_DIAG("- 2026-01-05 #gave `@bob`\n", 1, 1, WARN, "no contact");
  EXPECT_ONE_DIAG("- `2026-01-05` #gave @bob\n", 1, 1, WARN, "no date");
  EXPECT_ITEM("- 2026-01-05 #gave `@carol` @bob\n", "bob", 1, 0, 0);
}

static void test_ignored_in_link_destination(void) {
  EXPECT_NOTHING("- 2026-01-05 [x](<https://a.com/@bob #gave>)\n");
  EXPECT_ITEM("- 2026-01-05 #gave [intro](<https://a.com/@carol #got>) @bob\n", "bob", 1, 0, 0);
  EXPECT_ITEM("- 2026-01-05 #gave [intro](https://a.com/(@carol)) @bob\n", "bob", 1, 0, 0);
}

static void test_ignored_in_autolink(void) {
  EXPECT_NOTHING("- 2026-01-05 <https://x.com/(#gave)> @bob\n");
  EXPECT_ITEM("- 2026-01-05 #gave <https://x.com/(@carol)> @bob\n", "bob", 1, 0, 0);
}

static void test_email_holds_no_handle(void) {
  EXPECT_ONE_DIAG("- 2026-01-05 #gave bob@acme.com\n", 1, 1, WARN, "no contact");
  EXPECT_ONE_DIAG("- 2026-01-05 #gave <bob@acme.com>\n", 1, 1, WARN, "no contact");
}

static void test_ignored_in_inline_html(void) {
  EXPECT_ITEM("- 2026-01-05 #met <span title=\"x #gave @carol\">hi</span> @bob\n", "bob", 0, 0, 1);
  EXPECT_NOTHING("- 2026-01-05 <span title=\"x #gave @carol\">hi</span>\n");
}

static void test_ignored_in_html_block(void) {
  EXPECT_NOTHING("<div>\n## Alice @alice\n- 2026-01-05 #gave @bob\n- #gave @x\n</div>\n");
  EXPECT_NOTHING("<!--\n## Alice @alice\n- 2026-01-05 #gave @bob\n-->\n");
}

static void test_ignored_in_front_matter(void) {
  EXPECT_NOTHING("---\ntags: #gave @x\n---\n");
  KithNote note;
  harness_parse("---\n"                     // 1
                "title: x\n"                // 2
                "- 2026-01-05 #gave @bob\n" // 3
                "---\n"                     // 4
                "## Alice @alice\n"         // 5
                "- 2026-01-06 #gave\n",     // 6
                &note);
  CHECK_INT(note.heading_count, 1);
  CHECK(heading_for(&note, "alice") && heading_for(&note, "alice")->line == 5);
  CHECK_INT(note.interaction_count, 1);
  CHECK_STR(item_handle(&note, item_at(&note, 6)), "alice");
  // (v2) A list after a mapping is not YAML: the one error, at line 1, and the rest is read.
  CHECK_INT(note.diagnostic_count, 1);
  CHECK(harness_has_diag(&note, 1, 1, KITH_SEVERITY_ERROR, "front matter is not valid YAML: "));
  kith_note_free(&note);
}

// --- diagnostics ---------------------------------------------------------------------------

static void test_no_date_warns_at_marker(void) {
  EXPECT_ONE_DIAG("- #gave @bob\n", 1, 1, WARN, "no date");
  EXPECT_ONE_DIAG("  - #gave @bob\n", 1, 3, WARN, "no date");
  EXPECT_ONE_DIAG("- parent\n  - #gave @bob\n", 2, 3, WARN, "no date");
  EXPECT_ONE_DIAG("12. #got @bob\n", 1, 1, WARN, "no date");
  EXPECT_ONE_DIAG("> - #gave @bob\n", 1, 3, WARN, "no date");
  EXPECT_ONE_DIAG("- [x] #gave @bob\n", 1, 1, WARN, "no date");
}

static void test_invalid_date_errors_at_date(void) {
  EXPECT_ONE_DIAG("- 2026-02-30 #gave @bob\n", 1, 3, ERR, "invalid date 2026-02-30");
  EXPECT_ONE_DIAG("- [ ] 2026-13-01 #got @bob\n", 1, 7, ERR, "invalid date 2026-13-01");
  EXPECT_ONE_DIAG("- a\n  - 2026-02-30 #met @bob\n", 2, 5, ERR, "invalid date 2026-02-30");
  EXPECT_ONE_DIAG("## A @a\n\n> - 2026-04-31 #gave\n", 3, 5, ERR, "invalid date 2026-04-31");
}

static void test_tab_after_marker_column_in_bytes(void) {
  EXPECT_ONE_DIAG("-\t2026-02-30 #gave @bob\n", 1, 3, ERR, "invalid date 2026-02-30");
}

static void test_invalid_date_without_kind_tag_is_silent(void) {
  EXPECT_NOTHING("- 2026-02-30 lunch with @bob #work\n");
}

static void test_bad_weight_errors_at_tag(void) {
  EXPECT_ONE_DIAG("- 2026-01-05 #gave:x @bob\n", 1, 14, ERR, "invalid weight 'x'");
  EXPECT_ONE_DIAG("- 2026-01-05 #gave:0 @bob\n", 1, 14, ERR, "invalid weight '0'");
  EXPECT_ONE_DIAG("- 2026-01-05 #gave:1000 @bob\n", 1, 14, ERR, "invalid weight '1000'");
}

static void test_bad_weight_spoils_the_whole_item(void) {
  EXPECT_ONE_DIAG("- 2026-01-05 #gave #got:x @bob\n", 1, 20, ERR, "invalid weight 'x'");
}

static void test_each_bad_weight_is_reported(void) {
  KithNote note;
  harness_parse("- 2026-01-05 #gave:0 #got:x @bob\n", &note);
  CHECK_INT(note.interaction_count, 0);
  CHECK_INT(note.diagnostic_count, 2);
  CHECK(harness_has_diag(&note, 1, 14, ERR, "invalid weight '0'"));
  CHECK(harness_has_diag(&note, 1, 22, ERR, "invalid weight 'x'"));
  kith_note_free(&note);
}

static void test_bad_weight_on_continuation_line(void) {
  EXPECT_ONE_DIAG("- 2026-01-05 intro\n  #gave:x @bob\n", 2, 3, ERR, "invalid weight 'x'");
}

static void test_columns_are_bytes(void) {
  // "- [x] 2026-01-05 " is 17 bytes, "é" two more, then a space: the '#' is byte 21.
  EXPECT_ONE_DIAG("- [x] 2026-01-05 \xc3\xa9 #gave:x @bob\n", 1, 21, ERR, "invalid weight 'x'");
}

static void test_date_and_weight_problems_both_reported(void) {
  KithNote note;
  harness_parse("- 2026-02-30 #gave:x @bob\n", &note);
  CHECK_INT(note.interaction_count, 0);
  CHECK_INT(note.diagnostic_count, 2);
  CHECK(harness_has_diag(&note, 1, 3, ERR, "invalid date 2026-02-30"));
  CHECK(harness_has_diag(&note, 1, 14, ERR, "invalid weight 'x'"));
  kith_note_free(&note);

  harness_parse("- #gave:x\n", &note); // no date, bad weight, and no contact
  CHECK_INT(note.interaction_count, 0);
  CHECK_INT(note.diagnostic_count, 2);
  CHECK(harness_has_diag(&note, 1, 1, WARN, "no date"));
  CHECK(harness_has_diag(&note, 1, 3, ERR, "invalid weight 'x'"));
  kith_note_free(&note);
}

static void test_no_contact_only_when_date_and_weights_fine(void) {
  EXPECT_ONE_DIAG("- 2026-02-30 #gave\n", 1, 3, ERR, "invalid date 2026-02-30");
  EXPECT_ONE_DIAG("- #gave\n", 1, 1, WARN, "no date");
  EXPECT_ONE_DIAG("- 2026-01-05 #gave:x\n", 1, 14, ERR, "invalid weight 'x'");
}

static void test_no_counterparty_warns_at_marker(void) {
  EXPECT_ONE_DIAG("- 2026-01-05 #gave intro\n", 1, 1, WARN, "no contact");
  EXPECT_ONE_DIAG("- a\n    - 2026-01-05 #met\n", 2, 5, WARN, "no contact");
}

static void test_items_without_kind_tags_are_silent(void) {
  EXPECT_NOTHING("- lunch with @bob #work\n- 2026-01-05 coffee\n- just text\n- #gavel\n");
}

static void test_bad_items_do_not_stop_the_rest(void) {
  KithNote note;
  harness_parse("- #gave @bob\n"              // 1
                "- 2026-02-30 #gave @bob\n"   // 2
                "- 2026-01-05 #gave:x @bob\n" // 3
                "- 2026-01-05 #gave\n"        // 4
                "- 2026-01-06 #gave @bob\n"   // 5
                "\n"                          // 6
                "## Carol @carol\n"           // 7
                "- 2026-01-07 #got\n",        // 8
                &note);
  CHECK_INT(note.interaction_count, 2);
  CHECK_STR(item_handle(&note, item_at(&note, 5)), "bob");
  CHECK_STR(item_handle(&note, item_at(&note, 8)), "carol");
  CHECK_INT(note.heading_count, 1);
  CHECK_INT(note.diagnostic_count, 4);
  CHECK(harness_has_diag(&note, 1, 1, WARN, "no date"));
  CHECK(harness_has_diag(&note, 2, 3, ERR, "invalid date 2026-02-30"));
  CHECK(harness_has_diag(&note, 3, 14, ERR, "invalid weight 'x'"));
  CHECK(harness_has_diag(&note, 4, 1, WARN, "no contact"));
  kith_note_free(&note);
}

static void test_severity_names(void) {
  CHECK_STR(kith_severity_name(KITH_SEVERITY_ERROR), "error");
  CHECK_STR(kith_severity_name(KITH_SEVERITY_WARNING), "warning");
}

// --- binary files --------------------------------------------------------------------------

static void expect_binary_skipped(const char *text, size_t len, int line) {
  char *error = NULL;
  KithParser *parser = kith_parser_new(&error);
  harness_checks++;
  if (!parser) {
    harness_fail(__FILE__, line, "kith_parser_new: %s", error ? error : "?");
    free(error);
    return;
  }
  KithNote note;
  kith_note_init(&note);
  CHECK_INT(kith_parser_parse_file_text(parser, NULL, text, len, &note), 0);
  if (note.heading_count != 0 || note.interaction_count != 0 || note.diagnostic_count != 1 ||
      !harness_has_diag(&note, 1, 1, WARN, "binary file skipped"))
    harness_fail(__FILE__, line,
                 "want only 1:1 'binary file skipped'; got %u headings, %u items, "
                 "%u diags",
                 note.heading_count, note.interaction_count, note.diagnostic_count);
  kith_note_free(&note);
  kith_parser_free(parser);
}

static void test_nul_byte_skips_the_file(void) {
  static const char mid[] = "## A @a\n- 2026-01-05 #gave\0 @a\n- #gave\n";
  static const char first[] = "\0## A @a\n- 2026-01-05 #gave\n";
  static const char last[] = "## A @a\n- 2026-01-05 #gave\n\0";
  expect_binary_skipped(mid, sizeof mid - 1, __LINE__);
  expect_binary_skipped(first, sizeof first - 1, __LINE__);
  expect_binary_skipped(last, sizeof last - 1, __LINE__);
}

// --- invalid UTF-8 -------------------------------------------------------------------------

// One warning, at the first byte that is not UTF-8 (1-based line, byte column); the rest of
// the note still counts.
static void test_invalid_utf8_warns_at_first_bad_byte(void) {
  EXPECT_ONE_DIAG("## Jos\xe9 @jose\n", 1, 7, WARN, "invalid UTF-8");          // Latin-1
  EXPECT_ONE_DIAG("ok\nab\x80\n", 2, 3, WARN, "invalid UTF-8");                // stray byte
  EXPECT_ONE_DIAG("x \xc0\xaf\n", 1, 3, WARN, "invalid UTF-8");                // overlong
  EXPECT_ONE_DIAG("\xe0\x80\xaf\n", 1, 1, WARN, "invalid UTF-8");              // overlong
  EXPECT_ONE_DIAG("a\n\nb\xed\xa0\x80\n", 3, 2, WARN, "invalid UTF-8");        // surrogate
  EXPECT_ONE_DIAG("\xf5\x80\x80\x80\n", 1, 1, WARN, "invalid UTF-8");          // F5
  EXPECT_ONE_DIAG("\xff", 1, 1, WARN, "invalid UTF-8");                        // FF
  EXPECT_ONE_DIAG("\xf4\x90\x80\x80", 1, 1, WARN, "invalid UTF-8");            // > U+10FFFF
  EXPECT_ONE_DIAG("caf\xc3\xa9\ncaf\xc3", 2, 4, WARN, "invalid UTF-8");        // cut at EOF
  EXPECT_ONE_DIAG("\xf0\x9f\x98", 1, 1, WARN, "invalid UTF-8");                // cut at EOF
  EXPECT_ONE_DIAG("line one\r\n\tx\xe2\x82\r\n", 2, 3, WARN, "invalid UTF-8"); // CRLF, tab
  EXPECT_ONE_DIAG("\xff\n\xfe\n\xc0\n", 1, 1, WARN, "invalid UTF-8");          // only first
}

static void test_valid_utf8_is_silent(void) {
  EXPECT_NOTHING("caf\xc3\xa9 \xe2\x86\x91 \xf0\x9f\x98\x80 \xef\xbb\xbf\n");
  EXPECT_NOTHING("1\xf4\x8f\xbf\xbf\n");         // U+10FFFF is valid (a noncharacter, still UTF-8)
  EXPECT_NOTHING("\xed\x9f\xbf \xee\x80\x80\n"); // U+D7FF and U+E000, around the surrogates
}

static void test_invalid_utf8_still_counts(void) {
  KithNote note;
  harness_parse("## Jos\xe9 @jose\n- 2026-01-05 #gave caf\xe9\n- 2026-01-06 #got\n", &note);
  CHECK_INT(note.heading_count, 1);
  CHECK_INT(note.interaction_count, 2);
  CHECK_INT(note.diagnostic_count, 1);
  CHECK(harness_has_diag(&note, 1, 7, WARN, "invalid UTF-8"));
  CHECK_STR(heading_name(&note, heading_for(&note, "jose")), "Jos\xe9");
  kith_note_free(&note);
  // Sorted among the other diagnostics of the note.
  harness_parse("- 2026-02-30 #gave @a\n- #gave @b \xff\n", &note);
  CHECK_INT(note.diagnostic_count, 3);
  if (note.diagnostic_count == 3) {
    CHECK_INT(note.diagnostics[0].line, 1);
    CHECK_INT(note.diagnostics[1].line, 2);
    CHECK_INT(note.diagnostics[1].column, 1);
    CHECK_STR(kith_note_str(&note, note.diagnostics[2].message), "invalid UTF-8");
    CHECK_INT(note.diagnostics[2].column, 12);
  }
  kith_note_free(&note);
}

// --- CRLF ----------------------------------------------------------------------------------

static char *to_crlf(const char *text) {
  size_t n = strlen(text), lines = 0;
  for (size_t i = 0; i < n; i++)
    lines += text[i] == '\n';
  char *out = malloc(n + lines + 1), *p = out;
  for (size_t i = 0; i < n; i++) {
    if (text[i] == '\n')
      *p++ = '\r';
    *p++ = text[i];
  }
  *p = 0;
  return out;
}

static void test_crlf_gives_same_results_as_lf(void) {
  const char *lf = "# People\n"
                   "\n"
                   "## Alice Chen @alice\n"
                   "- 2026-01-05 #gave intro\n"
                   "  to @bob\n"
                   "  - 2026-01-06 #got:2 lunch\n"
                   "- 2026-02-30 #gave\n"
                   "- 2026-01-07 #gave:x\n"
                   "\n"
                   "Bob @bob\n"
                   "---\n"
                   "- [x] 2026-01-08 #met\n"
                   "\n"
                   "# Log\n"
                   "- #gave @carol\n"
                   "- 2026-01-09 #gave intro\n"
                   "- 2026-01-10 #gave #got @Dan\n";
  char *crlf = to_crlf(lf);
  KithNote a, b;
  harness_parse(lf, &a);
  harness_parse(crlf, &b);
  CHECK_INT(a.heading_count, 2);
  CHECK_INT(a.interaction_count, 4);
  CHECK_INT(a.diagnostic_count, 4);
  CHECK_INT(b.heading_count, a.heading_count);
  CHECK_INT(b.interaction_count, a.interaction_count);
  CHECK_INT(b.diagnostic_count, a.diagnostic_count);
  CHECK_STR(heading_name(&b, heading_for(&b, "alice")), "Alice Chen");
  CHECK_STR(heading_name(&b, heading_for(&b, "bob")), "Bob");
  for (uint32_t i = 0; i < a.heading_count && i < b.heading_count; i++) {
    const KithHeading *x = &a.headings[i], *y = &b.headings[i];
    CHECK_STR(kith_note_str(&b, y->handle), kith_note_str(&a, x->handle));
    CHECK_STR(kith_note_str(&b, y->name), kith_note_str(&a, x->name));
    CHECK_INT(y->line, x->line);
    CHECK_INT(y->end_line, x->end_line);
    CHECK_INT(y->level, x->level);
  }
  for (uint32_t i = 0; i < a.interaction_count && i < b.interaction_count; i++) {
    const KithInteraction *x = &a.interactions[i], *y = &b.interactions[i];
    CHECK_STR(kith_note_str(&b, y->handle), kith_note_str(&a, x->handle));
    CHECK_INT(y->day, x->day);
    CHECK_INT(y->line, x->line);
    CHECK_INT(y->column, x->column);
    CHECK_INT(y->end_line, x->end_line);
    CHECK_INT(y->section, x->section);
    CHECK_INT(y->gave, x->gave);
    CHECK_INT(y->got, x->got);
    CHECK_INT(y->met, x->met);
  }
  for (uint32_t i = 0; i < a.diagnostic_count && i < b.diagnostic_count; i++) {
    const KithDiagnostic *x = &a.diagnostics[i], *y = &b.diagnostics[i];
    CHECK_INT(y->line, x->line);
    CHECK_INT(y->column, x->column);
    CHECK_INT(y->severity, x->severity);
    CHECK_STR(kith_note_str(&b, y->message), kith_note_str(&a, x->message));
  }
  // And the LF results themselves are right.
  CHECK_STR(item_handle(&a, item_at(&a, 4)), "alice");
  CHECK_STR(item_handle(&a, item_at(&a, 6)), "alice");
  CHECK_STR(item_handle(&a, item_at(&a, 12)), "bob");
  CHECK_STR(item_handle(&a, item_at(&a, 17)), "dan");
  CHECK(item_at(&a, 6) && item_at(&a, 6)->got == 2 && item_at(&a, 6)->column == 3);
  CHECK(heading_for(&a, "alice") && heading_for(&a, "alice")->end_line == 9);
  CHECK(heading_for(&a, "bob") && heading_for(&a, "bob")->end_line == 13);
  CHECK(harness_has_diag(&b, 7, 3, ERR, "invalid date 2026-02-30"));
  CHECK(harness_has_diag(&b, 8, 14, ERR, "invalid weight 'x'"));
  CHECK(harness_has_diag(&b, 15, 1, WARN, "no date"));
  CHECK(harness_has_diag(&b, 16, 1, WARN, "no contact"));
  kith_note_free(&a);
  kith_note_free(&b);
  free(crlf);
}

// Found by fuzzing (tests/fuzz/fuzz_note.c): a lone CR ends a Markdown line but not a line as
// kith counts them (Neovim shows it as ^M inside the line). An item that runs on, after a CR,
// into the next heading belongs to the section before that heading, so that section's lines
// must reach the item's line: else kith_outline answers last_item past end_line for @a.
static void test_lone_cr_item_stays_inside_its_section_lines(void) {
  KithNote note;
  harness_parse("## A @a\n- 2026-11-01 #gave x\r## B @b\n- 2026-11-02 #got y\n", &note);
  CHECK_INT(note.heading_count, 2);
  CHECK_INT(note.interaction_count, 2);
  if (note.heading_count == 2 && note.interaction_count == 2) {
    const KithInteraction *it = &note.interactions[0];
    CHECK_INT(it->section, 0);
    CHECK_INT(it->line, 2);
    CHECK_INT(note.headings[1].line, 2);
    CHECK_INT(note.interactions[1].section, 1);
    harness_checks++;
    if (it->line > note.headings[0].end_line)
      harness_fail(__FILE__, __LINE__, "the item on line %u is outside its section, lines %u..%u",
                   it->line, note.headings[0].line, note.headings[0].end_line);
  }
  kith_note_free(&note);
}

// Found by fuzzing (tests/fuzz/fuzz_note.c), the same cause: after '## @f' and a lone CR, a
// setext heading begins on the same line, so @f's section ended on the line before its own.
static void test_lone_cr_heading_section_does_not_end_before_it(void) {
  KithNote note;
  harness_parse("\n## @f\r=\r-\n", &note);
  CHECK_INT(note.heading_count, 1);
  if (note.heading_count == 1) {
    const KithHeading *h = &note.headings[0];
    CHECK_INT(h->line, 2);
    harness_checks++;
    if (h->end_line < h->line)
      harness_fail(__FILE__, __LINE__, "@f's section is lines %u..%u", h->line, h->end_line);
  }
  kith_note_free(&note);
}

// Found by fuzzing (tests/fuzz/fuzz_note.c): a file whose last line has no newline is not
// always read as the same file in a Neovim buffer (the mirror ends every line with '\n'): the
// grammar takes a lone '#' or '-' at the very end of the text for paragraph text. So '@e\n-'
// declares nothing on disk but @e (a setext heading) in the editor, and '# @i\n#' gives @i's
// section lines 1..2 on disk, 1..1 in the editor (the '#' is an empty heading there).
static void test_file_without_final_newline_reads_as_its_buffer(void) {
  KithNote file, buffer;
  harness_parse("@e\n-", &file);
  harness_parse("@e\n-\n", &buffer);
  CHECK_INT(buffer.heading_count, 1);
  CHECK_INT(file.heading_count, buffer.heading_count);
  kith_note_free(&file);
  kith_note_free(&buffer);
  harness_parse("# @i\n#", &file);
  harness_parse("# @i\n#\n", &buffer);
  CHECK_INT(file.heading_count, 1);
  CHECK_INT(buffer.heading_count, 1);
  if (file.heading_count == 1 && buffer.heading_count == 1)
    CHECK_INT(file.headings[0].end_line, buffer.headings[0].end_line);
  kith_note_free(&file);
  kith_note_free(&buffer);
}

int main(void) {
  RUN(test_atx_heading_declares_contact);
  RUN(test_atx_heading_any_level);
  RUN(test_setext_h1_declares_contact);
  RUN(test_setext_h2_declares_contact);
  RUN(test_multiline_setext_name_collapses_newline);
  RUN(test_name_without_handle_whitespace_collapsed);
  RUN(test_name_defaults_to_handle);
  RUN(test_atx_closing_sequence_not_in_name);
  RUN(test_first_handle_in_heading_wins);
  RUN(test_heading_handle_is_lower_cased);
  RUN(test_handle_in_code_span_of_heading_ignored);
  RUN(test_handle_in_heading_link_or_html_ignored);
  RUN(test_hash_without_space_is_no_heading);
  RUN(test_headings_without_handle_declare_nothing);
  RUN(test_several_headings_in_document_order);

  RUN(test_section_runs_to_same_or_higher_level_heading);
  RUN(test_nested_contact_sections_end_together);
  RUN(test_last_section_runs_to_end_of_file);
  RUN(test_section_includes_blank_line_before_next_heading);
  RUN(test_setext_sections);
  RUN(test_setext_h1_section_holds_atx_h2);
  RUN(test_setext_h1_ends_atx_h3_section);

  RUN(test_counterparty_is_innermost_contact_section);
  RUN(test_section_wins_over_handle_in_item);
  RUN(test_heading_with_handle_only_in_code_is_no_section);
  RUN(test_section_counterparty_is_lower_case);
  RUN(test_outside_sections_first_handle_in_item);
  RUN(test_handle_in_nested_item_is_not_counterparty);
  RUN(test_counterparty_on_continuation_line);
  RUN(test_kind_tag_on_continuation_line);
  RUN(test_kind_tag_in_nested_item_not_the_parents);
  RUN(test_nested_items_are_interactions_too);
  RUN(test_nested_item_in_section);
  RUN(test_task_items);
  RUN(test_ordered_items);
  RUN(test_star_and_plus_bullets);
  RUN(test_items_in_block_quotes);
  RUN(test_exchange_counts_each_kind_tag);
  RUN(test_weights_are_summed);
  RUN(test_met_counts_tags);
  RUN(test_empty_weight_is_one);
  RUN(test_kind_tags_any_case_and_synonyms);
  RUN(test_tag_in_parens_counts);
  RUN(test_tag_glued_to_word_does_not_count);
  RUN(test_date_followers);
  RUN(test_date_must_begin_the_item);
  RUN(test_ordinary_tags_are_not_interactions);

  RUN(test_ignored_in_fenced_code);
  RUN(test_ignored_in_indented_code);
  RUN(test_ignored_in_code_span);
  RUN(test_ignored_in_link_destination);
  RUN(test_ignored_in_autolink);
  RUN(test_email_holds_no_handle);
  RUN(test_ignored_in_inline_html);
  RUN(test_ignored_in_html_block);
  RUN(test_ignored_in_front_matter);

  RUN(test_no_date_warns_at_marker);
  RUN(test_invalid_date_errors_at_date);
  RUN(test_tab_after_marker_column_in_bytes);
  RUN(test_invalid_date_without_kind_tag_is_silent);
  RUN(test_bad_weight_errors_at_tag);
  RUN(test_bad_weight_spoils_the_whole_item);
  RUN(test_each_bad_weight_is_reported);
  RUN(test_bad_weight_on_continuation_line);
  RUN(test_columns_are_bytes);
  RUN(test_date_and_weight_problems_both_reported);
  RUN(test_no_contact_only_when_date_and_weights_fine);
  RUN(test_no_counterparty_warns_at_marker);
  RUN(test_items_without_kind_tags_are_silent);
  RUN(test_bad_items_do_not_stop_the_rest);
  RUN(test_severity_names);

  RUN(test_nul_byte_skips_the_file);
  RUN(test_invalid_utf8_warns_at_first_bad_byte);
  RUN(test_valid_utf8_is_silent);
  RUN(test_invalid_utf8_still_counts);
  RUN(test_crlf_gives_same_results_as_lf);
  RUN(test_lone_cr_item_stays_inside_its_section_lines);
  RUN(test_lone_cr_heading_section_does_not_end_before_it);
  RUN(test_file_without_final_newline_reads_as_its_buffer);
  return harness_finish("test_note");
}
