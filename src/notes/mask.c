// The block grammar's view of a note: its text with the middle of each line of plain prose
// folded into one word.
//
// The block grammar tokenises a paragraph's text word by word and sign by sign, though the
// blocks it finds depend only on where each line starts, on `|` (tables) and, inside an HTML
// block, on `>` (where it ends); this grammar's fences look at backticks and tildes further
// along a line (and math blocks at `$`); a link reference definition's title may end at a quote
// on a later line. kith reads what a line says from the note's own text, never from those
// tokens. So a line whose content (after its indentation and container, list and task markers)
// opens with a letter or digit, holds none of `|`, `<`, `>`, `` ` ``, `~` and `$`, and follows
// no line opening with `[` in its block is given to the grammar with every byte between its
// first and its last character replaced by `a`: the same lines, the same blocks at the same
// offsets, a few tokens instead of dozens. Lines that open with anything else (headings,
// fences, HTML, tables, link reference definitions, thematic breaks, setext underlines, a lone
// marker) are left as they are. test_pieces and fuzz_note check that a note parses to the same
// thing either way.

#include <stdbool.h>
#include <string.h>

#include "notes/parser_private.h"

static bool mask_is_space(char c) {
  return c == ' ' || c == '\t';
}

static bool mask_is_alnum(char c) {
  return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9');
}

// Whether [at, end) opens with a marker followed by a space, a tab or the end of the content;
// sets *next past the marker.
static bool mask_marker(const char *text, size_t at, size_t end, size_t *next) {
  size_t p = at;
  char c = text[p];
  if (c == '>') {
    *next = p + 1; // a block quote needs no space after it
    return true;
  }
  if (c == '-' || c == '*' || c == '+') {
    p++;
  } else if (c >= '0' && c <= '9') {
    while (p < end && p - at < 10 && text[p] >= '0' && text[p] <= '9')
      p++;
    if (p >= end || p - at > 9 || (text[p] != '.' && text[p] != ')'))
      return false;
    p++;
  } else if (c == '[' && end - p >= 3 && text[p + 2] == ']' &&
             (text[p + 1] == ' ' || text[p + 1] == 'x' || text[p + 1] == 'X')) {
    p += 3;
  } else {
    return false;
  }
  if (p < end && !mask_is_space(text[p]))
    return false;
  *next = p;
  return true;
}

// Masks the line [at, end) (without its line ending) of `out`, a copy of `text`. `*defining`
// says whether a link reference definition may be going on from the lines before: one opens
// where a line's content opens with `[`, and its title may run over lines, ended by a quote or
// parenthesis anywhere in a line (then the definition may not hold, and the lines are a
// paragraph after all); a blank line ends it. Such lines are left as they are.
static void mask_line(const char *text, char *out, size_t at, size_t end, bool *defining) {
  while (end > at && mask_is_space(text[end - 1]))
    end--;
  size_t p = at;
  bool item = false; // a list item starts on this line: a new block
  for (;;) {
    while (p < end && mask_is_space(text[p]))
      p++;
    if (p >= end || !mask_marker(text, p, end, &p))
      break;
    item |= text[p - 1] != '>';
  }
  if (p >= end || item)
    *defining = false;
  if (p >= end)
    return;
  if (text[p] == '[' && (p + 1 >= end || text[p + 1] != '[')) // `[[` opens no label
    *defining = true;
  if (*defining || !mask_is_alnum(text[p]))
    return;
  // Keep the last character whole (a UTF-8 sequence is never cut).
  size_t last = end - 1;
  while (last > p && ((unsigned char)text[last] & 0xC0) == 0x80)
    last--;
  if (last <= p + 1)
    return;
  for (size_t i = p + 1; i < last; i++) {
    char c = text[i];
    if (c == '|' || c == '<' || c == '>' || c == '`' || c == '~' || c == '$')
      return;
  }
  memset(out + p + 1, 'a', last - p - 1);
}

void parser_mask(const char *text, size_t len, char *out) {
  memcpy(out, text, len);
  // A line ends at "\n", "\r\n" or a lone "\r" (CommonMark).
  bool defining = false;
  for (size_t at = 0; at < len;) {
    size_t end = at;
    while (end < len && text[end] != '\n' && text[end] != '\r')
      end++;
    mask_line(text, out, at, end, &defining);
    at = end + 1;
  }
}
