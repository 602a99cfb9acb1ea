// Headings (SPEC §1 v2, v3): the sections they open and close, contact headings with their
// names, cadences, birthdays and snoozes.

#include <stdbool.h>
#include <string.h>

#include "base/buf.h"
#include "notes/date.h"
#include "notes/entry.h"
#include "notes/parser_private.h"

// Closes every open heading of level >= `level` at `last_line`.
void parser_close_sections(ParserRun *run, uint32_t level, uint32_t last_line) {
  KithParser *parser = run->parser;
  while (parser->open_count > 0 && parser->open[parser->open_count - 1].level >= level) {
    int32_t contact = parser->open[--parser->open_count].contact;
    if (contact >= 0)
      run->note->headings[contact].end_line = last_line;
  }
}

// The display name: the heading text without the handle token and without its heading tags
// (cadence, birthday, snooze; valid or not), whitespace collapsed.
static uint32_t parser_intern_name(ParserRun *run, uint32_t start, uint32_t end, uint32_t at,
                                   size_t n) {
  KithBuf name = KITH_BUF_INIT;
  bool space = false;
  for (uint32_t i = start; i < end; i++) {
    KithHeadingTag cadence;
    if (i == at) {
      i += (uint32_t)n; // skip `@` + handle
      space = name.len > 0;
      continue;
    }
    char c = run->text[i];
    // A heading tag goes with the rest of its word (`#every:3w.`), and with the parentheses
    // around it (`(#every:3w)`).
    uint32_t tag = c == '(' ? i + 1 : i;
    if (tag < end && run->text[tag] == '#' && !parser_is_excluded(run->parser, tag) &&
        kith_entry_heading_tag_at(run->text, end, tag, &cadence)) {
      uint32_t word = (uint32_t)cadence.end;
      while (word < end && !memchr(" \t\r\n", run->text[word], 4))
        word++;
      if (c != '(' || run->text[word - 1] == ')') {
        i = word - 1;
        space = name.len > 0;
        continue;
      }
    }
    if (c == ' ' || c == '\t' || c == '\n' || c == '\r') {
      space = name.len > 0;
      continue;
    }
    if (space && kith_buf_putc(&name, ' ') != 0)
      goto fail;
    space = false;
    if (kith_buf_putc(&name, c) != 0)
      goto fail;
  }
  uint32_t offset;
  if (name.len == 0) {
    offset = parser_intern_handle(run, at, n);
  } else {
    offset = kith_note_intern(run->note, name.data, name.len);
  }
  kith_buf_free(&name);
  return offset;
fail:
  kith_buf_free(&name);
  return UINT32_MAX;
}

// The offset of the last `#` in [start, end) that may open a heading tag, or 0 when none.
static uint32_t parser_last_heading_tag(const ParserRun *run, uint32_t start, uint32_t end) {
  uint32_t last = 0;
  KithHeadingTag tag;
  for (uint32_t i = start; i < end; i++) {
    const char *hit = memchr(run->text + i, '#', end - i);
    if (!hit)
      break;
    i = (uint32_t)(hit - run->text);
    if (kith_entry_heading_tag_at(run->text, end, i, &tag))
      last = i;
  }
  return last;
}

// Reads the heading tags of contact heading `h` (content [start, end) in node `content`): the
// first valid cadence, birthday and snooze count, each bad one is an error at its `#`. Returns
// 0 or -1.
static int parser_heading_tags(ParserRun *run, TSNode content, uint32_t start, uint32_t end,
                               KithHeading *h) {
  KithHeadingTag tag;
  for (uint32_t i = start; i < end; i++) {
    const char *hit = memchr(run->text + i, '#', end - i);
    if (!hit)
      break;
    i = (uint32_t)(hit - run->text);
    if (parser_is_excluded(run->parser, i) || !kith_entry_heading_tag_at(run->text, end, i, &tag))
      continue;
    const char *value = run->text + tag.value_start;
    KithBirthday birthday;
    KithDay day;
    const char *bad = NULL;
    if (tag.kind == KITH_HEADING_EVERY) {
      if (tag.days == 0)
        bad = "invalid cadence '%.*s' (expected N followed by d, w, m or y)";
      else if (h->cadence_days == 0)
        h->cadence_days = tag.days;
    } else if (tag.kind == KITH_HEADING_BIRTHDAY) {
      if (kith_birthday_parse(value, tag.value_len, &birthday) != 0)
        bad = "invalid birthday '%.*s' (expected YYYY-MM-DD, MM-DD or --MM-DD)";
      else if (h->birthday == 0)
        h->birthday = birthday;
    } else if (kith_date_parse(value, tag.value_len, &day) != 0) {
      bad = "invalid date '%.*s' (expected YYYY-MM-DD)";
    } else if (!h->snoozed) {
      h->snoozed = true;
      h->snooze = day;
    }
    if (bad) {
      uint32_t line, column;
      parser_position(run, content, i, &line, &column);
      if (kith_note_add_diagnostic(run->note, line, column, KITH_SEVERITY_ERROR, bad,
                                   (int)tag.value_len, value) != 0)
        return -1;
    }
    i = (uint32_t)tag.end - 1;
  }
  return 0;
}

// The end of an ATX heading's text without its optional closing sequence (`## Title ##`).
static uint32_t parser_strip_closing(const char *text, uint32_t start, uint32_t end) {
  uint32_t e = end;
  while (e > start &&
         (text[e - 1] == ' ' || text[e - 1] == '\t' || text[e - 1] == '\r' || text[e - 1] == '\n'))
    e--;
  uint32_t hashes = e;
  while (hashes > start && text[hashes - 1] == '#')
    hashes--;
  if (hashes == e || (hashes > start && text[hashes - 1] != ' ' && text[hashes - 1] != '\t'))
    return end;
  return hashes;
}

int parser_read_heading(ParserRun *run, TSNode heading) {
  KithParser *parser = run->parser;
  uint32_t level = 0;
  TSNode content = {0};
  bool has_content = false;
  uint32_t children = ts_node_child_count(heading);
  for (uint32_t i = 0; i < children; i++) {
    TSNode child = ts_node_child(heading, i);
    TSSymbol sym = ts_node_symbol(child);
    if (sym == parser->sym_inline || sym == parser->sym_paragraph) {
      content = child;
      has_content = true;
    } else if (sym == parser->sym_setext_h1) {
      level = 1;
    } else if (sym == parser->sym_setext_h2) {
      level = 2;
    } else {
      for (uint32_t l = 1; l <= 6; l++) {
        if (sym == parser->sym_atx[l])
          level = l;
      }
    }
  }
  if (level == 0)
    return 0;
  uint32_t line = run->row + ts_node_start_point(heading).row + 1;
  // A heading that begins after a lone CR (which ends a Markdown line but not a line of the
  // buffer: Neovim shows it as ^M) shares its line with the section before it.
  uint32_t before = line > 1 ? line - 1 : 1;
  for (uint32_t i = ts_node_start_byte(heading); i > 0 && run->text[i - 1] != '\n'; i--) {
    if (run->text[i - 1] == '\r') {
      before = line;
      break;
    }
  }
  parser_close_sections(run, level, before);
  ParserOpen open = {level, -1, false, 0};
  if (has_content) {
    uint32_t start = ts_node_start_byte(content), end = ts_node_end_byte(content);
    if (ts_node_symbol(content) == parser->sym_inline)
      end = parser_strip_closing(run->text, start, end);
    // A heading whose text begins with a real date gives the items in its section that date.
    uint32_t p = start;
    while (p < end && (run->text[p] == ' ' || run->text[p] == '\t'))
      p++;
    size_t date_len = kith_entry_date_prefix(run->text + p, end - p);
    open.dated = date_len > 0 && kith_date_parse(run->text + p, date_len, &open.day) == 0;
    if (memchr(run->text + start, '@', end - start)) {
      uint32_t at = 0;
      parser->excluded_count = 0;
      size_t n = parser_first_handle(run, start, end, &at);
      if (n > 0) {
        uint32_t last = parser_last_heading_tag(run, start, end);
        if (parser_find_exclusions(run, content, last > at ? last : at) != 0)
          return -1;
      }
      if (n > 0 && parser->excluded_count > 0)
        n = parser_first_handle(run, start, end, &at);
      if (n > 0) {
        KithHeading h = {0};
        h.handle = parser_intern_handle(run, at, n);
        h.name = parser_intern_name(run, start, end, at, n);
        h.line = line;
        h.end_line = line;
        h.level = level;
        if (h.handle == UINT32_MAX || h.name == UINT32_MAX ||
            parser_heading_tags(run, content, start, end, &h) != 0 ||
            kith_note_add_heading(run->note, &h) != 0)
          return -1;
        open.contact = (int32_t)run->note->heading_count - 1;
      }
    }
  }
  if (parser->open_count < sizeof parser->open / sizeof *parser->open)
    parser->open[parser->open_count++] = open;
  return 0;
}
