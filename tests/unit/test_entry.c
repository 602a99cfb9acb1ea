// The lexical rules of SPEC §1: handles, tags and kind tags with weights, the date prefix.

#include "harness.h"

#include "notes/entry.h"

// Length of the handle at `at` in the whole of `text`.
static size_t handle(const char *text, size_t at) {
  return kith_entry_handle_at(text, strlen(text), at);
}

// Finds the tag at `at` in the whole of `text`; `*t` is zeroed first.
static bool tag(const char *text, size_t at, KithTag *t) {
  memset(t, 0, sizeof *t);
  return kith_entry_tag_at(text, strlen(text), at, t);
}

static size_t date_prefix(const char *text) {
  return kith_entry_date_prefix(text, strlen(text));
}

// --- handles -------------------------------------------------------------------------------

static void test_handle_at_text_start(void) {
  CHECK_INT(handle("@alice", 0), 5);
  CHECK_INT(handle("@bob is here", 0), 3);
}

static void test_handle_drops_trailing_dot_and_dash(void) {
  CHECK_INT(handle("@alice.", 0), 5);
  CHECK_INT(handle("@a-b-", 0), 3);
  CHECK_INT(handle("@alice...", 0), 5);
  CHECK_INT(handle("@a.-.-", 0), 1);
  CHECK_INT(handle("thanks @bob.", 7), 3);
}

static void test_handle_keeps_inner_dots_dashes_underscores(void) {
  CHECK_INT(handle("@alice.chen", 0), 10);
  CHECK_INT(handle("@mary-jane_o.k", 0), 13);
  CHECK_INT(handle("@a1_2", 0), 4);
}

static void test_handle_first_char_must_be_word_char(void) {
  CHECK_INT(handle("@_x", 0), 2);
  CHECK_INT(handle("@9lives", 0), 6);
  CHECK_INT(handle("@.x", 0), 0);
  CHECK_INT(handle("@-x", 0), 0);
  CHECK_INT(handle("@", 0), 0);
  CHECK_INT(handle("@ bob", 0), 0);
  CHECK_INT(handle("@@bob", 0), 0);
}

static void test_handle_ends_at_other_characters(void) {
  CHECK_INT(handle("@bob's", 0), 3);
  CHECK_INT(handle("@bob,", 0), 3);
  CHECK_INT(handle("@bob)", 0), 3);
  CHECK_INT(handle("@bob:", 0), 3);
  CHECK_INT(handle("@bob/x", 0), 3);
  CHECK_INT(handle("@bob+x", 0), 3);
  CHECK_INT(handle("@bob\n", 0), 3);
}

static void test_handle_not_inside_email(void) {
  CHECK_INT(handle("bob@acme.com", 3), 0);
  CHECK_INT(handle("x+@bob", 2), 0);
  CHECK_INT(handle("a.@bob", 2), 0);
  CHECK_INT(handle("a-@bob", 2), 0);
  CHECK_INT(handle("a_@bob", 2), 0);
  CHECK_INT(handle("9@bob", 1), 0);
  CHECK_INT(handle("Z@bob", 1), 0);
}

static void test_handle_after_other_characters(void) {
  CHECK_INT(handle("(@bob)", 1), 3);
  CHECK_INT(handle("hi @bob", 3), 3);
  CHECK_INT(handle("\t@bob", 1), 3);
  CHECK_INT(handle("[@bob]", 1), 3);
  CHECK_INT(handle("*@bob*", 1), 3);
  CHECK_INT(handle("/@bob", 1), 3);
  CHECK_INT(handle("\"@bob\"", 1), 3);
  CHECK_INT(handle("\xc3\xa9@bob", 2), 3); // after a non-ASCII letter (é): outside the set
}

static void test_handle_respects_length(void) {
  CHECK_INT(kith_entry_handle_at("@alice", 4, 0), 3);
  CHECK_INT(kith_entry_handle_at("@alice", 1, 0), 0);
  CHECK_INT(kith_entry_handle_at("@al.ce", 4, 0), 2); // "@al." : the trailing dot goes
}

static void test_handle_lower_case(void) {
  char out[16] = {0};
  kith_entry_handle_lower(out, "AliCE_9.X-y", 11);
  CHECK_STR(out, "alice_9.x-y");
  char two[3] = {'x', 'x', 0};
  kith_entry_handle_lower(two, "BOB", 2);
  CHECK_STR(two, "bo");
}

// --- tags ----------------------------------------------------------------------------------

static void test_kind_names(void) {
  KithTag t;
  CHECK(tag("#gave", 0, &t));
  CHECK_INT(t.kind, KITH_KIND_GIVE);
  CHECK(tag("#give", 0, &t));
  CHECK_INT(t.kind, KITH_KIND_GIVE);
  CHECK(tag("#got", 0, &t));
  CHECK_INT(t.kind, KITH_KIND_RECEIVE);
  CHECK(tag("#received", 0, &t));
  CHECK_INT(t.kind, KITH_KIND_RECEIVE);
  CHECK(tag("#receive", 0, &t));
  CHECK_INT(t.kind, KITH_KIND_RECEIVE);
  CHECK(tag("#met", 0, &t));
  CHECK_INT(t.kind, KITH_KIND_MET);
}

static void test_kind_names_are_case_insensitive(void) {
  KithTag t;
  CHECK(tag("#GAVE", 0, &t));
  CHECK_INT(t.kind, KITH_KIND_GIVE);
  CHECK(tag("#Got", 0, &t));
  CHECK_INT(t.kind, KITH_KIND_RECEIVE);
  CHECK(tag("#mEt", 0, &t));
  CHECK_INT(t.kind, KITH_KIND_MET);
  CHECK(tag("#RECEIVED", 0, &t));
  CHECK_INT(t.kind, KITH_KIND_RECEIVE);
}

static void test_kind_tag_extent_and_default_weight(void) {
  KithTag t;
  CHECK(tag("#gave intro", 0, &t));
  CHECK_INT(t.start, 0);
  CHECK_INT(t.end, 5);
  CHECK_INT(t.weight, 1);
  CHECK_INT(t.weight_len, 0);
}

static void test_weight(void) {
  KithTag t;
  CHECK(tag("#gave:3", 0, &t));
  CHECK_INT(t.kind, KITH_KIND_GIVE);
  CHECK_INT(t.weight, 3);
  CHECK_INT(t.end, 7);
  CHECK_INT(t.weight_start, 6);
  CHECK_INT(t.weight_len, 1);
  CHECK(tag("#got:999 lunch", 0, &t));
  CHECK_INT(t.kind, KITH_KIND_RECEIVE);
  CHECK_INT(t.weight, 999);
  CHECK_INT(t.end, 8);
  CHECK(tag("#gave:1", 0, &t));
  CHECK_INT(t.weight, 1);
  CHECK(tag("#GAVE:12", 0, &t));
  CHECK_INT(t.kind, KITH_KIND_GIVE);
  CHECK_INT(t.weight, 12);
}

static void test_weight_ends_word_at_comma(void) {
  KithTag t;
  CHECK(tag("#gave:3, then", 0, &t));
  CHECK_INT(t.end, 7);
  CHECK_INT(t.weight, 3);
}

static void test_bad_weights(void) {
  KithTag t;
  CHECK(tag("#gave:0", 0, &t));
  CHECK_INT(t.kind, KITH_KIND_GIVE);
  CHECK_INT(t.weight, 0);
  CHECK(tag("#gave:1000", 0, &t));
  CHECK_INT(t.kind, KITH_KIND_GIVE);
  CHECK_INT(t.weight, 0);
  CHECK_INT(t.weight_start, 6);
  CHECK_INT(t.weight_len, 4);
  CHECK(tag("#gave:x", 0, &t));
  CHECK_INT(t.kind, KITH_KIND_GIVE);
  CHECK_INT(t.weight, 0);
  CHECK_INT(t.weight_start, 6);
  CHECK_INT(t.weight_len, 1);
  CHECK(tag("#got:-1", 0, &t));
  CHECK_INT(t.kind, KITH_KIND_RECEIVE);
  CHECK_INT(t.weight, 0);
  CHECK(tag("#met:2x", 0, &t));
  CHECK_INT(t.kind, KITH_KIND_MET);
  CHECK_INT(t.weight, 0);
}

static void test_empty_weight_is_one(void) {
  KithTag t;
  CHECK(tag("#gave: intro", 0, &t));
  CHECK_INT(t.kind, KITH_KIND_GIVE);
  CHECK_INT(t.weight, 1);
}

static void test_met_with_weight_is_met(void) {
  KithTag t;
  CHECK(tag("#met:2", 0, &t));
  CHECK_INT(t.kind, KITH_KIND_MET);
  CHECK_INT(t.weight, 2);
}

static void test_ordinary_tags(void) {
  KithTag t;
  CHECK(tag("#gavel", 0, &t));
  CHECK_INT(t.kind, KITH_KIND_NONE);
  CHECK_INT(t.end, 6);
  CHECK(tag("#work", 0, &t));
  CHECK_INT(t.kind, KITH_KIND_NONE);
  CHECK(tag("#gave-back", 0, &t));
  CHECK_INT(t.kind, KITH_KIND_NONE);
  CHECK(tag("#gave_x", 0, &t));
  CHECK_INT(t.kind, KITH_KIND_NONE);
  CHECK(tag("#gave/x", 0, &t));
  CHECK_INT(t.kind, KITH_KIND_NONE);
  CHECK(tag("#forgave", 0, &t));
  CHECK_INT(t.kind, KITH_KIND_NONE);
  CHECK(tag("#metro", 0, &t));
  CHECK_INT(t.kind, KITH_KIND_NONE);
}

static void test_word_keeps_colon_underscore_dash_slash(void) {
  KithTag t;
  CHECK(tag("#work/project-x_1:2 rest", 0, &t));
  CHECK_INT(t.end, 19);
  CHECK_INT(t.kind, KITH_KIND_NONE);
}

static void test_word_ends_at_whitespace_and_punctuation(void) {
  KithTag t;
  CHECK(tag("#gave, then", 0, &t));
  CHECK_INT(t.kind, KITH_KIND_GIVE);
  CHECK_INT(t.end, 5);
  CHECK(tag("#gave.", 0, &t));
  CHECK_INT(t.end, 5);
  CHECK_INT(t.kind, KITH_KIND_GIVE);
  CHECK(tag("#gave!", 0, &t));
  CHECK_INT(t.end, 5);
  CHECK(tag("#gave\tx", 0, &t));
  CHECK_INT(t.end, 5);
  CHECK(tag("#gave\nx", 0, &t));
  CHECK_INT(t.end, 5);
  CHECK(tag("#met;", 0, &t));
  CHECK_INT(t.end, 4);
  CHECK_INT(t.kind, KITH_KIND_MET);
}

static void test_hash_must_begin_text_or_follow_space_or_paren(void) {
  KithTag t;
  CHECK(!tag("a#gave", 1, &t));
  CHECK(!tag("x.#gave", 2, &t));
  CHECK(!tag("@#gave", 1, &t));
  CHECK(!tag("##gave", 1, &t));
  CHECK(!tag("[#gave]", 1, &t));
  CHECK(tag("(#gave)", 1, &t));
  CHECK_INT(t.kind, KITH_KIND_GIVE);
  CHECK_INT(t.start, 1);
  CHECK_INT(t.end, 6);
  CHECK(tag("intro #gave", 6, &t));
  CHECK_INT(t.start, 6);
  CHECK_INT(t.end, 11);
  CHECK(tag("x\t#got", 2, &t));
  CHECK_INT(t.kind, KITH_KIND_RECEIVE);
  CHECK(tag("x\n#met", 2, &t));
  CHECK_INT(t.kind, KITH_KIND_MET);
}

static void test_hash_without_word_is_no_tag(void) {
  KithTag t;
  CHECK(!tag("#", 0, &t));
  CHECK(!tag("# gave", 0, &t));
  CHECK(!tag("#,", 0, &t));
  CHECK(!tag("##gave", 0, &t));
}

static void test_tag_respects_length(void) {
  KithTag t;
  memset(&t, 0, sizeof t);
  CHECK(kith_entry_tag_at("#gavel", 5, 0, &t));
  CHECK_INT(t.kind, KITH_KIND_GIVE);
  CHECK_INT(t.end, 5);
}

// --- date prefix ---------------------------------------------------------------------------

static void test_date_prefix_followers(void) {
  CHECK_INT(date_prefix("2026-01-01"), 10);
  CHECK_INT(date_prefix("2026-01-01 #gave"), 10);
  CHECK_INT(date_prefix("2026-01-01\t#gave"), 10);
  CHECK_INT(date_prefix("2026-01-01: #gave"), 10);
  CHECK_INT(date_prefix("2026-01-01, #gave"), 10);
  CHECK_INT(date_prefix("2026-01-01:#gave"), 10);
}

static void test_date_prefix_rejects_glued_text(void) {
  CHECK_INT(date_prefix("2026-01-01x"), 0);
  CHECK_INT(date_prefix("2026-01-01x #gave"), 0);
  CHECK_INT(date_prefix("2026-01-01-02"), 0);
  CHECK_INT(date_prefix("2026-01-011"), 0);
  CHECK_INT(date_prefix("2026-01-01."), 0);
  CHECK_INT(date_prefix("2026-01-01#gave"), 0);
}

static void test_date_prefix_must_start_the_text(void) {
  CHECK_INT(date_prefix(""), 0);
  CHECK_INT(date_prefix(" 2026-01-01"), 0);
  CHECK_INT(date_prefix("on 2026-01-01 #gave"), 0);
  CHECK_INT(date_prefix("2026-1-01 #gave"), 0);
  CHECK_INT(date_prefix("2026-01-0"), 0);
  CHECK_INT(date_prefix("#gave 2026-01-01"), 0);
}

static void test_date_prefix_does_not_judge_validity(void) {
  CHECK_INT(date_prefix("2026-02-30 #gave"), 10);
  CHECK_INT(date_prefix("2026-13-01"), 10);
}

static void test_date_prefix_respects_length(void) {
  CHECK_INT(kith_entry_date_prefix("2026-01-01x", 10), 10);
  CHECK_INT(kith_entry_date_prefix("2026-01-01", 9), 0);
}

int main(void) {
  RUN(test_handle_at_text_start);
  RUN(test_handle_drops_trailing_dot_and_dash);
  RUN(test_handle_keeps_inner_dots_dashes_underscores);
  RUN(test_handle_first_char_must_be_word_char);
  RUN(test_handle_ends_at_other_characters);
  RUN(test_handle_not_inside_email);
  RUN(test_handle_after_other_characters);
  RUN(test_handle_respects_length);
  RUN(test_handle_lower_case);
  RUN(test_kind_names);
  RUN(test_kind_names_are_case_insensitive);
  RUN(test_kind_tag_extent_and_default_weight);
  RUN(test_weight);
  RUN(test_weight_ends_word_at_comma);
  RUN(test_bad_weights);
  RUN(test_empty_weight_is_one);
  RUN(test_met_with_weight_is_met);
  RUN(test_ordinary_tags);
  RUN(test_word_keeps_colon_underscore_dash_slash);
  RUN(test_word_ends_at_whitespace_and_punctuation);
  RUN(test_hash_must_begin_text_or_follow_space_or_paren);
  RUN(test_hash_without_word_is_no_tag);
  RUN(test_tag_respects_length);
  RUN(test_date_prefix_followers);
  RUN(test_date_prefix_rejects_glued_text);
  RUN(test_date_prefix_must_start_the_text);
  RUN(test_date_prefix_does_not_judge_validity);
  RUN(test_date_prefix_respects_length);
  return harness_finish("test_entry");
}
