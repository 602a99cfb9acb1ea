// Fuzz target: a note's bytes, read the way `kith check` reads a file
// (kith_parser_parse_file_text), then the ledger over it and every report made from it: the
// balances JSON and table, the check lines and JSON, each contact's annotation (every style)
// and sparkline, the agenda, (v3) the graph (JSON, DOT, text), the history of a few contacts, the
// weekly review and contact templates, and `kith report` by week, month, quarter and year (JSON,
// CSV, text, HTML).
//
// The note's path is daily/2026-11-20.md when the input's size is odd (undated items then take
// the file name's date), else people/fuzz.md; today is 2026-11-26.
//
// Checks: no crash or sanitizer report; the note and the ledger are consistent (fuzz.h); the
// note is the same parsed in pieces of 1 to 64 bytes (as large notes are), with CRLF turned to
// LF, and with a final newline added (as Neovim's buffer of the file holds it); every JSON
// output is valid JSON in UTF-8; the table has one line per contact and check one per
// diagnostic; a note in valid UTF-8 gives text in valid UTF-8.

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "fuzz.h"
#include "ledger/activity.h"
#include "ledger/agenda.h"
#include "ledger/graph.h"
#include "ledger/history.h"
#include "ledger/html.h"
#include "ledger/report.h"
#include "ledger/template.h"
#include "notes/parser.h"

static KithParser *parser, *cut, *plain; // cut: every note in pieces; plain: the text unmasked
static KithDay today;

int LLVMFuzzerInitialize(int *argc, char ***argv) {
  (void)argc;
  (void)argv;
  char *error = NULL;
  parser = kith_parser_new(&error);
  cut = parser ? kith_parser_new(&error) : NULL;
  plain = cut ? kith_parser_new(&error) : NULL;
  FUZZ_CHECK(parser && cut && plain, "cannot make a parser: %s", error ? error : "?");
  kith_parser_set_plain(plain, true);
  FUZZ_CHECK(kith_date_parse("2026-11-26", 10, &today) == 0, "bad today");
  return 0;
}

static size_t count_lines(const KithBuf *b) {
  size_t n = 0;
  for (size_t i = 0; i < b->len; i++)
    n += b->data[i] == '\n';
  return n;
}

static void check_text(const char *what, const KithBuf *out, bool utf8) {
  if (utf8)
    FUZZ_CHECK(fuzz_utf8_valid(out->data, out->len), "%s: output not UTF-8:\n%s", what,
               out->data ? out->data : "");
}

// Parses `text` changed in a way that must not change the note and compares with `note`.
static void check_variant(const char *what, const KithParseContext *context, const char *text,
                          size_t len, const KithNote *note) {
  KithNote other;
  kith_note_init(&other);
  kith_parser_parse_file_text(parser, context, text, len, &other);
  fuzz_check_same_note(what, note, &other);
  kith_note_free(&other);
}

static void check_variants(const KithParseContext *context, const char *text, size_t size,
                           const KithNote *note) {
  // In pieces of 1 to 64 bytes (a large note is parsed in pieces; the note is the same).
  size_t piece = 1 + (size * 7) % 64;
  kith_parser_set_pieces(cut, 0, piece);
  KithNote pieces;
  kith_note_init(&pieces);
  kith_parser_parse_file_text(cut, context, text, size, &pieces);
  char what[48];
  snprintf(what, sizeof what, "in pieces of %zu bytes vs at once", piece);
  fuzz_check_same_note(what, note, &pieces);
  kith_note_free(&pieces);

  // The block grammar given the text as it is, not masked (src/notes/mask.c): the same note.
  KithNote unmasked;
  kith_note_init(&unmasked);
  kith_parser_parse_file_text(plain, context, text, size, &unmasked);
  fuzz_check_same_note("unmasked vs masked", note, &unmasked);
  kith_note_free(&unmasked);

  // A file without its final newline, opened in Neovim, is parsed with one (the mirror ends
  // every line with '\n'): both must give the same note.
  if (size > 0 && text[size - 1] != '\n') {
    char *nl = malloc(size + 1);
    FUZZ_CHECK(nl, "out of memory");
    memcpy(nl, text, size);
    nl[size] = '\n';
    check_variant("with a final newline vs without", context, nl, size + 1, note);
    free(nl);
  }
  // Every CR followed by LF (a lone CR is a line ending of its own, and "\r\r\n" would
  // become one CRLF).
  bool crlf = false, lone_cr = false;
  for (size_t i = 0; i < size; i++) {
    if (text[i] == '\r') {
      bool lf = i + 1 < size && text[i + 1] == '\n';
      crlf |= lf;
      lone_cr |= !lf;
    }
  }
  if (crlf && !lone_cr) {
    char *lf = malloc(size ? size : 1);
    FUZZ_CHECK(lf, "out of memory");
    size_t n = 0;
    for (size_t i = 0; i < size; i++) {
      if (!(text[i] == '\r' && i + 1 < size && text[i + 1] == '\n'))
        lf[n++] = text[i];
    }
    check_variant("LF vs CRLF", context, lf, n, note);
    free(lf);
  }
}

// The annotation of `c` in one style: not empty, its parts joined, UTF-8.
static void check_annotation(const KithContact *c, bool ascii, bool due) {
  KithAnnotationStyle style = {ascii, due, KITH_REPORT_DUE_DAYS};
  KithBuf text = KITH_BUF_INIT;
  FUZZ_CHECK(kith_report_annotation(&text, c, &style) == 0, "annotation failed");
  FUZZ_CHECK(text.len > 0, "@%s: empty annotation", c->handle);
  FUZZ_CHECK(fuzz_utf8_valid(text.data, text.len), "@%s: annotation not UTF-8", c->handle);
  KithAnnotationPart parts[KITH_ANNOTATION_PARTS];
  size_t n = kith_report_annotation_parts(c, &style, parts);
  KithBuf joined = KITH_BUF_INIT;
  for (size_t i = 0; i < n; i++)
    kith_buf_puts(&joined, parts[i].text);
  FUZZ_CHECK(joined.len == text.len && memcmp(joined.data, text.data, text.len) == 0,
             "@%s: parts '%s' differ from the annotation '%s'", c->handle, joined.data, text.data);
  kith_buf_free(&joined);
  kith_buf_free(&text);
}

static void check_template(const char *name, const KithTemplateVars *vars, bool utf8) {
  KithBuf out = KITH_BUF_INIT;
  char *error = NULL;
  int rc = kith_template_render(&out, name, NULL, vars, &error);
  FUZZ_CHECK(rc == 0, "template %s: %s", name, error ? error : "failed");
  check_text(name, &out, utf8);
  free(error);
  kith_buf_free(&out);
}

static void check_history(const KithLedger *ledger, const KithNoteSet *set, const char *handle,
                          bool utf8) {
  KithHistory history;
  FUZZ_CHECK(kith_history_build(&history, ledger, set, handle) == 0, "history of @%s failed",
             handle);
  KithBuf out = KITH_BUF_INIT;
  FUZZ_CHECK(kith_history_json(&out, &history, set) == 0, "history --json failed");
  fuzz_check_json("history --json", out.data, out.len, true);
  kith_buf_free(&out);
  FUZZ_CHECK(kith_history_text(&out, &history, set) == 0, "history failed");
  check_text("history", &out, utf8);
  kith_buf_free(&out);
  kith_history_free(&history);
}

// The sparkline of `c`: its months count no more than its items, and it draws 12 columns (or
// nothing when those months hold no item).
static void check_sparkline(const KithContact *c, bool ascii) {
  int64_t items = 0;
  for (int i = 0; i < KITH_LEDGER_MONTHS; i++)
    items += c->months[i];
  FUZZ_CHECK(items <= c->interactions, "@%s: %lld items in its months, %lld in all", c->handle,
             (long long)items, (long long)c->interactions);
  char line[KITH_SPARKLINE_SIZE];
  bool drawn = kith_report_sparkline(line, c, ascii);
  FUZZ_CHECK(drawn == (items > 0) && kith_report_width(line) == (drawn ? 12u : 0u),
             "@%s: sparkline '%s' for %lld items", c->handle, line, (long long)items);
}

// Every geometry attribute of the page (x, y, width, height, points, ...) holds only digits,
// '.', '-', ',' and spaces: no NaN, no inf, nothing a browser would drop.
static void check_page(const KithBuf *page) {
  static const char *const numeric[] = {" x=\"",     " y=\"",      " x1=\"",    " x2=\"",
                                        " y1=\"",    " y2=\"",     " cx=\"",    " cy=\"",
                                        " width=\"", " height=\"", " points=\""};
  FUZZ_CHECK(fuzz_utf8_valid(page->data, page->len), "report --html: not UTF-8");
  FUZZ_CHECK(!strstr(page->data, "<script"), "report --html: a script");
  for (size_t i = 0; i < sizeof numeric / sizeof *numeric; i++) {
    for (const char *at = strstr(page->data, numeric[i]); at; at = strstr(at + 1, numeric[i])) {
      const char *v = at + strlen(numeric[i]);
      size_t n = strcspn(v, "\"");
      FUZZ_CHECK(n > 0 && strspn(v, "0123456789.-, ") == n, "report --html: %.*s",
                 (int)(n + strlen(numeric[i]) + 1), at + 1);
    }
  }
}

// `kith report` over the 12 periods of each kind ending today: the rows' numbers add up to the
// row totals and the totals, no contact has more in the range than in the ledger, the JSON is
// valid, the CSV has a line per row and period, the table fits 100 columns.
static void check_activity(const KithLedger *ledger, const KithNoteSet *set,
                           const KithAgenda *agenda, const KithGraph *graph, bool utf8) {
  for (int unit = KITH_PERIOD_WEEK; unit <= KITH_PERIOD_YEAR; unit++) {
    KithActivityOptions o = {.end = today};
    FUZZ_CHECK(kith_periods_make(&o.periods, (KithPeriodUnit)unit, false, 0, today) == 0,
               "no periods");
    KithActivity a;
    FUZZ_CHECK(kith_activity_build(&a, ledger, set, &o) == 0, "report failed");
    uint32_t n = a.periods.count;
    for (uint32_t p = 0; p < n; p++) {
      int64_t gave = 0, got = 0, met = 0;
      for (size_t r = 0; r < a.row_count; r++) {
        gave += a.rows[r].gave[p];
        got += a.rows[r].got[p];
        met += a.rows[r].met[p];
      }
      FUZZ_CHECK(gave == a.gave[p] && got == a.got[p] && met == a.met[p],
                 "report: period %u's totals are not the rows' sums", p);
    }
    for (size_t r = 0; r < a.row_count; r++) {
      const KithActivityRow *row = &a.rows[r];
      int64_t gave = 0, got = 0, met = 0;
      for (uint32_t p = 0; p < n; p++) {
        gave += row->gave[p];
        got += row->got[p];
        met += row->met[p];
      }
      const KithContact *c = row->contact;
      FUZZ_CHECK(gave == row->total_gave && got == row->total_got && met == row->total_met &&
                     row->items > 0 && row->items <= c->interactions && gave <= c->gave &&
                     got <= c->got && met <= c->met,
                 "report: @%s's row does not add up", c->handle);
      FUZZ_CHECK(r == 0 || strcmp(a.rows[r - 1].contact->handle, c->handle) < 0,
                 "report: rows not sorted by handle");
    }
    KithBuf out = KITH_BUF_INIT;
    FUZZ_CHECK(kith_activity_json(&out, &a) == 0, "report --json failed");
    fuzz_check_json("report --json", out.data, out.len, true);
    kith_buf_free(&out);
    FUZZ_CHECK(kith_activity_csv(&out, &a) == 0, "report --csv failed");
    FUZZ_CHECK(count_lines(&out) == a.row_count * n + 1, "report --csv: %zu lines",
               count_lines(&out));
    kith_buf_free(&out);
    FUZZ_CHECK(kith_activity_text(&out, &a, KITH_ACTIVITY_WIDTH) == 0, "report failed");
    check_text("report", &out, utf8);
    for (char *line = out.data; line && *line;) {
      char *end = strchr(line, '\n');
      FUZZ_CHECK(end, "report: no final newline");
      *end = '\0';
      FUZZ_CHECK(kith_report_width(line) <= KITH_ACTIVITY_WIDTH, "report: a line too wide: %s",
                 line);
      line = end + 1;
    }
    kith_buf_free(&out);
    // The page costs the most: once per input, and only when it draws something (the empty
    // page is the same for every input, and test_html renders it).
    if (unit == KITH_PERIOD_WEEK && a.items > 0) {
      FUZZ_CHECK(kith_html_report(&out, &a, agenda, graph, "fuzz") == 0, "report --html failed");
      check_page(&out);
      kith_buf_free(&out);
    }
    kith_activity_free(&a);
  }
}

static void check_reports(const KithNote *note, const char *path, bool utf8) {
  KithLedgerOptions options = {today, 90, 3};
  const KithNote *notes[1] = {note};
  const char *paths[1] = {path};
  KithNoteSet set = {paths, notes, 1};
  KithLedger ledger;
  FUZZ_CHECK(kith_ledger_build(&ledger, &set, SIZE_MAX, &options) == 0, "ledger failed");
  fuzz_check_ledger(&ledger, notes, 1);

  KithBuf out = KITH_BUF_INIT;
  FUZZ_CHECK(kith_report_balances_json(&out, &ledger, &set) == 0, "balances --json failed");
  fuzz_check_json("balances --json", out.data, out.len, true);
  kith_buf_free(&out);

  FUZZ_CHECK(kith_report_balances_text(&out, &ledger, &set) == 0, "balances failed");
  FUZZ_CHECK(count_lines(&out) == ledger.count + 1, "balances: %zu lines for %zu contacts",
             count_lines(&out), ledger.count);
  check_text("balances", &out, utf8);
  kith_buf_free(&out);

  // The note's own diagnostics and those the ledger adds (wiki links, shared names).
  size_t added = 0;
  const KithLedgerDiagnostic *more = kith_resolution_diagnostics(&ledger.resolution, 0, &added);
  size_t errors = 0, want_errors = 0, want_lines = note->diagnostic_count + added;
  for (uint32_t i = 0; i < note->diagnostic_count; i++)
    want_errors += note->diagnostics[i].severity == KITH_SEVERITY_ERROR;
  for (uint32_t i = 0; i < added; i++)
    want_errors += more[i].at.severity == KITH_SEVERITY_ERROR;
  FUZZ_CHECK(kith_report_check_text(&out, &set, &ledger, &errors) == 0, "check failed");
  FUZZ_CHECK(errors == want_errors && count_lines(&out) == want_lines,
             "check: %zu errors in %zu lines for %zu diagnostics", errors, count_lines(&out),
             want_lines);
  check_text("check", &out, utf8);
  kith_buf_free(&out);

  FUZZ_CHECK(kith_report_check_json(&out, &set, &ledger, &errors) == 0 && errors == want_errors,
             "check --json failed");
  fuzz_check_json("check --json", out.data, out.len, true);
  kith_buf_free(&out);

  for (size_t i = 0; i < ledger.count; i++) {
    for (int style = 0; style < 4; style++)
      check_annotation(&ledger.contacts[i], style & 1, style & 2);
    check_sparkline(&ledger.contacts[i], i % 2);
  }

  KithAgenda agenda;
  FUZZ_CHECK(kith_agenda_build(&agenda, &ledger, 7, 14) == 0, "agenda failed");
  FUZZ_CHECK(kith_agenda_json(&out, &agenda, &set) == 0, "agenda --json failed");
  fuzz_check_json("agenda --json", out.data, out.len, true);
  kith_buf_free(&out);
  FUZZ_CHECK(kith_agenda_text(&out, &agenda, &set) == 0, "agenda failed");
  check_text("agenda", &out, utf8);
  kith_buf_free(&out);
  // (v3) The graph: consistent with the ledger; JSON valid; DOT and text in UTF-8.
  KithGraph graph;
  FUZZ_CHECK(kith_graph_build(&graph, &ledger, &set) == 0, "graph failed");
  fuzz_check_graph(&graph);
  FUZZ_CHECK(kith_graph_json(&out, &graph) == 0, "graph --json failed");
  fuzz_check_json("graph --json", out.data, out.len, true);
  kith_buf_free(&out);
  FUZZ_CHECK(kith_graph_dot(&out, &graph) == 0, "graph --dot failed");
  check_text("graph --dot", &out, utf8);
  kith_buf_free(&out);
  FUZZ_CHECK(kith_graph_text(&out, &graph) == 0, "graph failed");
  check_text("graph", &out, utf8);
  kith_buf_free(&out);
  check_activity(&ledger, &set, &agenda, &graph, utf8);
  kith_graph_free(&graph);
  kith_agenda_free(&agenda);

  for (size_t i = 0; i < ledger.count && i < 3; i++)
    check_history(&ledger, &set, ledger.contacts[i].handle, utf8);

  KithTemplateVars vars = {today, NULL, NULL, &ledger, &set, 14};
  check_template("review", &vars, utf8);
  if (ledger.count > 0) {
    vars.handle = ledger.contacts[0].handle;
    vars.name = ledger.contacts[0].name;
    check_template("contact", &vars, utf8);
  }
  kith_ledger_free(&ledger);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
  const char *text = (const char *)data;
  const char *path = size % 2 ? "daily/2026-11-20.md" : "people/fuzz.md";
  KithParseContext context = {path, today, NULL};
  KithNote note;
  kith_note_init(&note);
  kith_parser_parse_file_text(parser, &context, text, size, &note);
  if (memchr(text, '\0', size)) {
    FUZZ_CHECK(note.heading_count == 0 && note.interaction_count == 0 && note.followup_count == 0 &&
                   note.diagnostic_count == 1,
               "a binary note holds more than its one warning");
  } else {
    fuzz_check_note(&note, text, size, today);
    check_variants(&context, text, size, &note);
  }
  check_reports(&note, path, fuzz_utf8_valid(text, size));
  kith_note_free(&note);
  return 0;
}
