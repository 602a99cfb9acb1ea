#pragma once

// <ctype.h> made safe for any int, for the tree-sitter-markdown grammar only: CMakeLists.txt
// force-includes this header (-include) into the compile of kith_grammar_block and
// kith_grammar_inline. kith's own sources do not include it (tests/unit/test_grammar.c does, to
// test it).
//
// Why: the grammar's block scanner (npm @tree-sitter-grammars/tree-sitter-markdown 0.3.2,
// tree-sitter-markdown/src/scanner.c, parse_ordered_list_marker) calls isdigit() on
// `lexer->lookahead`, a Unicode code point. C defines the <ctype.h> classifiers only for EOF and
// the values of unsigned char; glibc looks the argument up in a table of 384 entries, so a digit
// followed by U+F7410..U+10FFFF reads far past it and kills kith (issue #8: the 6-byte note
// `1` U+10FFFF crashed `kith check` and `kith serve`). ASan does not see it: glibc's table is
// not instrumented. The grammar stays as npm ships it; the fix for upstream is
// doc/upstream/tree-sitter-markdown-isdigit.patch.
//
// How: <ctype.h> is included first, so the scanner's own `#include <ctype.h>` is a no-op; then
// every classifier and case mapping is redefined as a macro over an inline function that answers
// as <ctype.h> does for EOF and 0..255, false for any other value (the case mappings return it
// unchanged). The wide-character functions of <wctype.h> (iswalpha, towlower, ...) take a wint_t
// and are defined for every value, so they are left alone.

#include <ctype.h>
#include <limits.h>
#include <stdio.h> // EOF

// Whether <ctype.h> defines its functions for `c`.
static inline int kith_ctype_in_range(int c) {
  return c == EOF || (c >= 0 && c <= UCHAR_MAX);
}

// kith_ctype_NAME(c): NAME(c) where C defines it, else 0. NAME(c) below is still <ctype.h>'s.
#define KITH_CTYPE_CLASS(name)                                                                     \
  static inline int kith_ctype_##name(int c) {                                                     \
    return kith_ctype_in_range(c) ? name(c) : 0;                                                   \
  }
KITH_CTYPE_CLASS(isalnum)
KITH_CTYPE_CLASS(isalpha)
KITH_CTYPE_CLASS(isblank)
KITH_CTYPE_CLASS(iscntrl)
KITH_CTYPE_CLASS(isdigit)
KITH_CTYPE_CLASS(isgraph)
KITH_CTYPE_CLASS(islower)
KITH_CTYPE_CLASS(isprint)
KITH_CTYPE_CLASS(ispunct)
KITH_CTYPE_CLASS(isspace)
KITH_CTYPE_CLASS(isupper)
KITH_CTYPE_CLASS(isxdigit)
#undef KITH_CTYPE_CLASS

static inline int kith_ctype_tolower(int c) {
  return kith_ctype_in_range(c) ? tolower(c) : c;
}

static inline int kith_ctype_toupper(int c) {
  return kith_ctype_in_range(c) ? toupper(c) : c;
}

#undef isalnum
#undef isalpha
#undef isblank
#undef iscntrl
#undef isdigit
#undef isgraph
#undef islower
#undef isprint
#undef ispunct
#undef isspace
#undef isupper
#undef isxdigit
#undef tolower
#undef toupper
#define isalnum(c) kith_ctype_isalnum(c)
#define isalpha(c) kith_ctype_isalpha(c)
#define isblank(c) kith_ctype_isblank(c)
#define iscntrl(c) kith_ctype_iscntrl(c)
#define isdigit(c) kith_ctype_isdigit(c)
#define isgraph(c) kith_ctype_isgraph(c)
#define islower(c) kith_ctype_islower(c)
#define isprint(c) kith_ctype_isprint(c)
#define ispunct(c) kith_ctype_ispunct(c)
#define isspace(c) kith_ctype_isspace(c)
#define isupper(c) kith_ctype_isupper(c)
#define isxdigit(c) kith_ctype_isxdigit(c)
#define tolower(c) kith_ctype_tolower(c)
#define toupper(c) kith_ctype_toupper(c)
