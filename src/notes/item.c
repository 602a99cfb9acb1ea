// List items (SPEC §1 v2): kind tags, the leading run, counterparties, follow-ups and the
// item's text.

#include <stdbool.h>
#include <string.h>
#include <strings.h>

#include "base/buf.h"
#include "notes/date.h"
#include "notes/entry.h"
#include "notes/parser_private.h"

// The next tag at or after `*at` before `end` (outside the excluded spans when `excluding`);
// moves `*at` past it. False when there is none.
static bool parser_next_tag(const ParserRun *run, uint32_t *at, uint32_t end, bool excluding,
                            KithTag *tag) {
  const char *text = run->text;
  for (uint32_t i = *at; i < end; i++) {
    const char *hit = memchr(text + i, '#', end - i);
    if (!hit)
      return false;
    i = (uint32_t)(hit - text);
    if (excluding && parser_is_excluded(run->parser, i))
      continue;
    if (kith_entry_tag_at(text, end, i, tag)) {
      *at = (uint32_t)tag->end;
      return true;
    }
  }
  return false;
}

// Whether `tag` (found in `text`) marks an ask (SPEC §1 v3): `#ask`, `#need` or `#needs`.
static bool parser_is_ask(const char *text, const KithTag *tag) {
  return kith_entry_tag_is(text, tag, "ask") || kith_entry_tag_is(text, tag, "need") ||
         kith_entry_tag_is(text, tag, "needs");
}

static int32_t parser_innermost_contact(const KithParser *parser) {
  for (uint32_t i = parser->open_count; i > 0; i--) {
    if (parser->open[i - 1].contact >= 0)
      return parser->open[i - 1].contact;
  }
  return -1;
}

void parser_bound_today(KithNote *note, KithDay day, bool future) {
  if (!note->today_bounded) {
    note->today_bounded = true;
    note->today_min = INT32_MIN;
    note->today_max = INT32_MAX;
  }
  if (future && day - 1 < note->today_max)
    note->today_max = day - 1;
  else if (!future && day > note->today_min)
    note->today_min = day;
}

// The context date of an item (SPEC §1 v2): the innermost open heading whose text begins with a
// real date, else (v3) the meeting note's date, else the date the file name begins with. False
// when there is none.
static bool parser_context_date(const ParserRun *run, KithDay *day) {
  const KithParser *parser = run->parser;
  for (uint32_t i = parser->open_count; i > 0; i--) {
    if (parser->open[i - 1].dated) {
      *day = parser->open[i - 1].day;
      return true;
    }
  }
  if (run->meeting_dated) {
    *day = run->meeting_day; // (v3) a meeting note's date
    return true;
  }
  *day = run->file_day;
  return run->file_dated;
}

// Appends a counterparty (a handle, or the wiki link `wiki` when not NULL) to
// parser->handles. Returns 0 or -1.
static int parser_push_handle(KithParser *parser, size_t at, size_t n, const KithWikiLink *wiki) {
  if (parser->handle_count == parser->handle_cap) {
    size_t cap = parser->handle_cap ? parser->handle_cap * 2 : 8;
    ParserHandle *grown = realloc(parser->handles, cap * sizeof *grown);
    if (!grown)
      return -1;
    parser->handles = grown;
    parser->handle_cap = cap;
  }
  ParserHandle *h = &parser->handles[parser->handle_count++];
  *h = (ParserHandle){(uint32_t)at, (uint32_t)n, wiki != NULL, {0}};
  if (wiki)
    h->wiki = *wiki;
  return 0;
}

// Collects the distinct handles and the wiki links of the leading run that starts at `from`
// (SPEC §1 v2) into parser->handles, in order, and where the run ends. Returns 0 or -1.
static int parser_leading_run(ParserRun *run, uint32_t from, uint32_t end) {
  KithParser *parser = run->parser;
  parser->handle_count = parser->plain_count = 0;
  size_t at = from;
  KithRunToken token;
  while (kith_entry_run_token(run->text, end, &at, &token)) {
    if (token.kind == KITH_RUN_LINK) {
      if (parser_push_handle(parser, token.start, token.link.end - token.start, &token.link) != 0)
        return -1;
      continue;
    }
    if (token.kind != KITH_RUN_HANDLE)
      continue;
    size_t n = token.len;
    bool seen = false;
    for (size_t k = 0; k < parser->handle_count && !seen; k++) {
      const ParserHandle *h = &parser->handles[k];
      seen = !h->link && h->len == n &&
             strncasecmp(run->text + h->at + 1, run->text + token.start + 1, n) == 0;
    }
    if (!seen) {
      if (parser_push_handle(parser, token.start, n, NULL) != 0)
        return -1;
      parser->plain_count++;
    }
  }
  parser->run_end = (uint32_t)at;
  return 0;
}

// The offset of the first `[[` in [from, to), or `to`.
static uint32_t parser_find_brackets(const ParserRun *run, uint32_t from, uint32_t to) {
  for (uint32_t i = from; i + 1 < to; i++) {
    const char *hit = memchr(run->text + i, '[', to - i - 1);
    if (!hit)
      break;
    i = (uint32_t)(hit - run->text);
    if (run->text[i + 1] == '[')
      return i;
  }
  return to;
}

// Appends the candidates of the first-handle rule to parser->handles: the wiki links in
// [from, end) outside the excluded spans up to the first handle, then that handle. Returns how
// many links it found, or -1 when out of memory.
static long parser_fallback(ParserRun *run, uint32_t from, uint32_t end) {
  KithParser *parser = run->parser;
  const char *text = run->text;
  long links = 0;
  for (uint32_t i = from; i < end; i++) {
    char c = text[i];
    if (c != '[' && c != '@')
      continue;
    if (parser_is_excluded(parser, i))
      continue;
    KithWikiLink wiki;
    if (c == '[' && kith_entry_wikilink_at(text, end, i, &wiki)) {
      if (parser_push_handle(parser, i, wiki.end - i, &wiki) != 0)
        return -1;
      links++;
      i = (uint32_t)wiki.end - 1;
    } else if (c == '@') {
      size_t n = kith_entry_handle_at(text, end, i);
      if (n > 0)
        return parser_push_handle(parser, i, n, NULL) != 0 ? -1 : links;
    }
  }
  return links;
}

// Interns the ref of counterparty `h` (found in node `from`) and appends it to the note.
// Returns 0 or -1.
static int parser_add_ref(ParserRun *run, TSNode from, const ParserHandle *h) {
  KithRef ref = {.name = UINT32_MAX, .derived = UINT32_MAX};
  parser_position(run, from, h->at, &ref.line, &ref.column);
  if (!h->link) {
    ref.key = parser_intern_handle(run, h->at, h->len);
    ref.link = UINT32_MAX;
  } else {
    char key[512];
    size_t n = h->wiki.len < sizeof key ? h->wiki.len : sizeof key;
    n = kith_entry_name_key(key, run->text + h->wiki.name, n);
    ref.key = kith_note_intern(run->note, key, n);
    size_t shown = h->len < 256 ? h->len : 256;
    ref.link = kith_note_intern(run->note, run->text + h->at, shown);
    if (ref.link == UINT32_MAX)
      return -1;
  }
  if (ref.key == UINT32_MAX)
    return -1;
  return kith_note_add_ref(run->note, &ref);
}

// Keeps item `it` with its counterparties unresolved (SPEC §1 v2): parser->handles holds the
// leading run's `run_count` handles and links, then `fallback` candidates of the first-handle
// rule; with `people`, the meeting's people go between them (v3). `ask`: it is also an open
// ask. Returns 0 or -1.
static int parser_add_linked(ParserRun *run, TSNode paragraph, const KithInteraction *it,
                             bool planned, bool ask, size_t run_count, bool people,
                             size_t fallback) {
  KithParser *parser = run->parser;
  KithNote *note = run->note;
  KithLinked linked = {*it,
                       planned,
                       ask,
                       note->ref_count,
                       (uint32_t)run_count,
                       people ? run->people_count : 0,
                       (uint32_t)fallback};
  linked.item.handle = UINT32_MAX;
  for (size_t k = 0; k < run_count; k++) {
    if (parser_add_ref(run, paragraph, &parser->handles[k]) != 0)
      return -1;
  }
  for (uint32_t m = 0; m < linked.people; m++) {
    KithRef person = note->refs[run->people_refs + m]; // a copy: the array may move
    if (kith_note_add_ref(note, &person) != 0)
      return -1;
  }
  for (size_t k = run_count; k < run_count + fallback; k++) {
    if (parser_add_ref(run, paragraph, &parser->handles[k]) != 0)
      return -1;
  }
  return kith_note_add_linked(note, &linked);
}

enum { PARSER_TEXT_MAX = 1024 };

// Interns the text of an item: text[from, end) with whitespace runs (and the `>` of block quote
// continuation lines) as one space, trimmed, at most PARSER_TEXT_MAX bytes (cut at a character
// boundary), into the note's texts, or with `keep` its strings: a follow-up's or an ask's text
// is read by every count that lists it, a counted item's only by what prints that item
// (KithNote.texts). Returns the offset or UINT32_MAX.
static uint32_t parser_intern_text(ParserRun *run, uint32_t from, uint32_t end, bool keep) {
  KithBuf *strings = keep ? &run->note->strings : &run->note->texts;
  size_t start = strings->len;
  size_t room = end - from < PARSER_TEXT_MAX + 4 ? end - from : PARSER_TEXT_MAX + 4;
  if (start >= KITH_NOTE_TEXT - room - 1 || kith_buf_reserve(strings, room + 1) != 0)
    return UINT32_MAX;
  // Written in place: at most one byte per byte read, and at most PARSER_TEXT_MAX plus the
  // rest of one character.
  char *out = strings->data + start;
  size_t kept = 0;
  bool space = false, line_start = false;
  for (uint32_t i = from; i < end; i++) {
    char c = run->text[i];
    if (c == '\n') {
      line_start = true;
      space = kept > 0;
      continue;
    }
    if (c == ' ' || c == '\t' || c == '\r' || (line_start && c == '>')) {
      space = kept > 0;
      continue;
    }
    line_start = false;
    if (kept >= PARSER_TEXT_MAX && ((unsigned char)c & 0xC0) != 0x80)
      break;
    if (space && kept + 1 < room)
      out[kept++] = ' ';
    space = false;
    if (kept < room)
      out[kept++] = c;
  }
  out[kept] = '\0';
  strings->len = start + kept + 1;
  return keep ? (uint32_t)start : (uint32_t)start | KITH_NOTE_TEXT;
}

int parser_read_item(ParserRun *run, TSNode item) {
  KithParser *parser = run->parser;
  TSNode marker = ts_node_child(item, 0);
  TSNode paragraph = {0};
  bool found = false, planned = false, ticked = false;
  uint32_t children = ts_node_child_count(item);
  for (uint32_t i = 1; i < children; i++) {
    TSNode child = ts_node_child(item, i);
    TSSymbol sym = ts_node_symbol(child);
    if (sym == parser->sym_task_unchecked) {
      planned = true;
    } else if (sym == parser->sym_task_checked) {
      ticked = true;
    } else if (sym == parser->sym_paragraph) {
      paragraph = child;
      found = true;
      break;
    }
  }
  if (!found || ts_node_is_null(marker))
    return 0;
  const char *text = run->text;
  uint32_t start = ts_node_start_byte(paragraph), end = ts_node_end_byte(paragraph);
  if (!memchr(text + start, '#', end - start))
    return 0; // no tag at all: not an interaction, nothing to say

  // Where the kind tags are, before exclusions: the inline pass is needed only when something
  // that can open an excluded span comes before the last kind tag or handle that matters.
  uint32_t last = 0;
  bool any_kind = false, any_ask = false;
  KithTag tag;
  for (uint32_t at = start; parser_next_tag(run, &at, end, false, &tag);) {
    if (tag.kind != KITH_KIND_NONE) {
      any_kind = true;
      last = (uint32_t)tag.start;
    } else if (parser_is_ask(text, &tag)) {
      any_ask = true;
      last = (uint32_t)tag.start > last ? (uint32_t)tag.start : last;
    }
  }
  if (!any_kind && !any_ask)
    return 0; // not an interaction, nor an ask

  // The date at the start of the paragraph; the leading run follows it (and its `:` or `,`).
  uint32_t p = start;
  while (p < end && (text[p] == ' ' || text[p] == '\t'))
    p++;
  size_t date_len = kith_entry_date_prefix(text + p, end - p);
  uint32_t body = p;
  if (date_len > 0) {
    body = p + (uint32_t)date_len;
    if (body < end && (text[body] == ':' || text[body] == ','))
      body++;
  }
  // No token of a leading run can lie in an excluded span (none begins with '`', '<' or '$',
  // and a wiki link is a whole token), so the run is read before the inline pass.
  if (parser_leading_run(run, body, end) != 0)
    return -1;
  int32_t section = parser_innermost_contact(parser);
  parser->excluded_count = 0;
  uint32_t handle_at = 0;
  // The first-handle rule may be needed: it reads up to the first handle, and the wiki links
  // before it (the inline pass then runs, as they open with '[').
  bool fallback = parser->plain_count == 0 && section < 0;
  if (fallback) {
    uint32_t to = end;
    if (parser_first_handle(run, start, end, &handle_at)) {
      last = handle_at > last ? handle_at : last;
      to = handle_at;
    }
    uint32_t brackets = parser_find_brackets(run, parser->run_end, to);
    if (brackets < to && brackets > last)
      last = brackets;
  }
  if (parser_find_exclusions(run, paragraph, last) != 0)
    return -1;

  // Kind tags; (v3) asks and introductions.
  uint32_t gave = 0, got = 0, met = 0, kinds = 0, bad = 0;
  bool ask = false, intro = false;
  uint32_t line, column;
  for (uint32_t at = start; parser_next_tag(run, &at, end, true, &tag);) {
    if (tag.kind == KITH_KIND_NONE) {
      ask |= parser_is_ask(text, &tag);
      intro |= kith_entry_tag_is(text, &tag, "intro");
      continue;
    }
    kinds++;
    if (tag.weight == 0) {
      bad++;
      parser_position(run, paragraph, (uint32_t)tag.start, &line, &column);
      if (kith_note_add_diagnostic(run->note, line, column, KITH_SEVERITY_ERROR,
                                   "invalid weight '%.*s' (expected 1-999)", (int)tag.weight_len,
                                   text + tag.weight_start) != 0)
        return -1;
      continue;
    }
    if (tag.kind == KITH_KIND_GIVE)
      gave += (uint32_t)tag.weight;
    else if (tag.kind == KITH_KIND_RECEIVE)
      got += (uint32_t)tag.weight;
    else
      met++;
  }
  // An ask is open until it is ticked; a ticked one is done and is no more than its kind tags.
  bool open_ask = ask && !ticked;
  if (kinds == 0 && !open_ask)
    return 0;

  // The list marker's position (the node may begin with indentation).
  uint32_t marker_at = ts_node_start_byte(marker);
  while (marker_at < ts_node_end_byte(marker) &&
         (text[marker_at] == ' ' || text[marker_at] == '\t'))
    marker_at++;
  uint32_t marker_line, marker_column;
  parser_position(run, marker, marker_at, &marker_line, &marker_column);

  // The date: its own, else the context date; a planned item needs none, an open ask does.
  KithDay day = 0;
  bool dated = true;
  if (date_len > 0) {
    if (kith_date_parse(text + p, date_len, &day) != 0) {
      parser_position(run, paragraph, p, &line, &column);
      return kith_note_add_diagnostic(run->note, line, column, KITH_SEVERITY_ERROR,
                                      "invalid date %.*s", (int)date_len, text + p);
    }
  } else if (!parser_context_date(run, &day)) {
    if (!planned || open_ask)
      return kith_note_add_diagnostic(run->note, marker_line, marker_column, KITH_SEVERITY_WARNING,
                                      "interaction has no date (expected YYYY-MM-DD at the start)");
    dated = false;
  }
  // What the item is: counted (its kind tags, unless planned or in the future), a follow-up
  // (planned, with kind tags), an open ask (v3: it counts nothing, whatever its date), or
  // several of these.
  bool counted = kinds > 0 && !planned;
  if (counted)
    parser_bound_today(run->note, day, day > run->today);
  if (counted && day > run->today) {
    if (date_len > 0)
      parser_position(run, paragraph, p, &line, &column);
    else
      line = marker_line, column = marker_column;
    if (kith_note_add_diagnostic(run->note, line, column, KITH_SEVERITY_WARNING,
                                 "date is in the future") != 0)
      return -1;
    counted = false;
  }
  if (bad > 0)
    return 0;
  bool followup = kinds > 0 && planned;
  if (!counted && !followup && !open_ask)
    return 0;

  // The counterparties: the leading run's handles, else the innermost contact section, else
  // the first handle in the paragraph. Wiki links among them are resolved by the ledger.
  uint32_t section_handle = UINT32_MAX;
  size_t run_count = parser->handle_count;
  long fallback_links = 0;
  if (fallback) {
    fallback_links = parser_fallback(run, parser->run_end, end);
    if (fallback_links < 0)
      return -1;
  }
  // (v3) In a meeting note, outside any contact section and without a handle of its own in
  // the run, an item is with the meeting's people.
  bool people = fallback && run->people_count > 0;
  bool linked = run_count > parser->plain_count || fallback_links > 0 || people;
  if (!linked && parser->handle_count == 0) {
    if (section >= 0)
      section_handle = run->note->headings[section].handle;
    else
      return kith_note_add_diagnostic(run->note, marker_line, marker_column, KITH_SEVERITY_WARNING,
                                      "interaction names no contact");
  }

  KithInteraction it = {0};
  it.section = section;
  it.day = day;
  it.dated = dated;
  it.line = marker_line;
  it.column = marker_column;
  // The item's last line with text (tree-sitter lets an item swallow the blank lines after it).
  uint32_t item_end = ts_node_end_byte(item);
  while (item_end > start && (text[item_end - 1] == '\n' || text[item_end - 1] == '\r' ||
                              text[item_end - 1] == ' ' || text[item_end - 1] == '\t'))
    item_end--;
  parser_position(run, item, item_end > 0 ? item_end - 1 : 0, &it.end_line, &column);
  if (counted || followup) {
    it.gave = gave;
    it.got = got;
    it.met = met;
    it.intro = intro && gave > 0; // an introduction gives (SPEC §1 v3)
  }
  it.text = parser_intern_text(run, body, end, followup || open_ask);
  if (it.text == UINT32_MAX)
    return -1;
  if (linked)
    return parser_add_linked(run, paragraph, &it, followup, open_ask, run_count, people,
                             parser->handle_count - run_count);
  size_t count = section_handle != UINT32_MAX ? 1 : parser->handle_count;
  for (size_t k = 0; k < count; k++) {
    if (section_handle != UINT32_MAX) {
      it.handle = section_handle;
    } else {
      it.handle = parser_intern_handle(run, parser->handles[k].at, parser->handles[k].len);
      if (it.handle == UINT32_MAX)
        return -1;
    }
    if ((counted && kith_note_add_interaction(run->note, &it) != 0) ||
        (followup && kith_note_add_followup(run->note, &it) != 0) ||
        (open_ask && kith_note_add_ask(run->note, &it) != 0))
      return -1;
  }
  return 0;
}
