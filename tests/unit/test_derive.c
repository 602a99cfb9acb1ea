// Handles derived from names (SPEC §1 v3): NFKD with combining marks dropped, lower case, every
// run of other characters one `-`, no `-` at the ends; nothing left when the name has no Latin
// letter or digit.

#include "harness.h"

#include "notes/derive.h"
#include "notes/entry.h"

static void expect(const char *name, const char *want, int line) {
  char out[KITH_DERIVE_MAX + 1];
  size_t n = kith_derive_handle(name, strlen(name), out);
  harness_checks++;
  if (strcmp(out, want) != 0 || n != strlen(want))
    harness_fail(__FILE__, line, "'%s' gives '%s', want '%s'", name, out, want);
  if (n > 0 && !kith_entry_is_handle(out, n))
    harness_fail(__FILE__, line, "'%s' is no handle", out);
}

#define EXPECT(name, want) expect(name, want, __LINE__)

static void test_spec_examples(void) {
  EXPECT("Steph Ango", "steph-ango");
  EXPECT("Inês Sá", "ines-sa");
  EXPECT("O'Brien, Pat", "o-brien-pat");
  EXPECT("李雷", "");
}

static void test_decomposition(void) {
  EXPECT("Zoë Çelik-Łukasz", "zoe-celik-ukasz"); // Ł has no decomposition: a separator
  EXPECT("Ｆｕｌｌ Ｗｉｄｔｈ", "full-width");   // compatibility forms (NFKD)
  EXPECT("ﬁne", "fine");                         // a ligature
  EXPECT("José María Núñez", "jose-maria-nunez");
  EXPECT("Åsa Ångström", "asa-angstrom");
  EXPECT("Ine\xcc\x82s Sa\xcc\x81 (NFD)", "ines-sa-nfd"); // marks already apart
}

static void test_separators_and_ends(void) {
  EXPECT("  --Jane   Doe--  ", "jane-doe");
  EXPECT("jane_doe 2", "jane_doe-2");
  EXPECT("A.B.C", "a-b-c");
  EXPECT("李雷 Li Lei", "li-lei");
  EXPECT("@bob", "bob");
  EXPECT("", "");
  EXPECT("---", "");
  EXPECT("bad \xff\xfe bytes", "bad-bytes");
}

static void test_long_names_are_cut(void) {
  char name[400];
  memset(name, 'a', sizeof name);
  name[150] = ' ';
  name[sizeof name - 1] = '\0';
  char out[KITH_DERIVE_MAX + 1];
  size_t n = kith_derive_handle(name, strlen(name), out);
  CHECK(n <= KITH_DERIVE_MAX && n > 0);
  CHECK(out[n - 1] != '-');
  CHECK(kith_entry_is_handle(out, n));
  // Cut right after a separator: no `-` at the end.
  memset(name, 'b', sizeof name);
  name[KITH_DERIVE_MAX] = ' ';
  name[sizeof name - 1] = '\0';
  n = kith_derive_handle(name, strlen(name), out);
  CHECK_INT(n, KITH_DERIVE_MAX);
  CHECK(out[n - 1] == 'b');
}

int main(void) {
  RUN(test_spec_examples);
  RUN(test_decomposition);
  RUN(test_separators_and_ends);
  RUN(test_long_names_are_cut);
  return harness_finish("test_derive");
}
