#include "ledger/html.h"

#include <stdio.h>
#include <string.h>

#include "base/utf8.h"
#include "ledger/chart.h"
#include "ledger/network.h"

#ifndef KITH_VERSION
#define KITH_VERSION "unknown"
#endif

// The page's style: light by default, dark where the screen asks for it, plain in print. Every
// colour the charts use is a class here (the SVG carries no colours of its own).
static const char html_style[] =
    ":root{color-scheme:light dark;--bg:#fff;--fg:#1f2328;--muted:#656d76;--line:#d8dee4;"
    "--soft:#f3f5f7;--gave:#1f883d;--got:#d4651b;--l0:#ebedf0;--l1:#9be9a8;--l2:#40c463;"
    "--l3:#30a14e;--l4:#216e39;--s0:#4e79a7;--s1:#e15759;--s2:#59a14f;--s3:#b07aa1;"
    "--s4:#f28e2b;--s5:#76b7b2;--s6:#9c755f;--s7:#c9a100}\n"
    "@media screen and (prefers-color-scheme:dark){:root{--bg:#0d1117;--fg:#e6edf3;"
    "--muted:#9198a1;--line:#30363d;--soft:#161b22;--gave:#3fb950;--got:#f0883e;--l0:#1c2128;"
    "--l1:#0e4429;--l2:#006d32;--l3:#26a641;--l4:#39d353}}\n"
    "*{box-sizing:border-box}\n"
    "body{margin:0;background:var(--bg);color:var(--fg);font:15px/1.45 system-ui,-apple-system,"
    "\"Segoe UI\",Roboto,\"Helvetica Neue\",Arial,sans-serif}\n"
    "main{max-width:1160px;margin:0 auto;padding:20px 16px 32px}\n"
    "h1{font-size:1.55rem;margin:0 0 2px}h2{font-size:1.05rem;margin:0 0 10px;padding-bottom:4px;"
    "border-bottom:1px solid var(--line)}\n"
    ".sub{color:var(--muted);margin:0 0 14px}\n"
    ".stats{display:flex;flex-wrap:wrap;gap:6px 28px;list-style:none;padding:0;margin:0}\n"
    ".stats li{color:var(--muted);font-size:.85rem}.stats b{display:block;color:var(--fg);"
    "font-size:1.35rem;font-variant-numeric:tabular-nums}\n"
    "section{margin:26px 0;break-inside:avoid}\n"
    // Where a chart or the table is wider than the screen (a phone), it scrolls sideways and
    // shows its right end, the latest periods, first.
    ".scroll{overflow-x:auto;direction:rtl}.scroll>*{direction:ltr;margin-right:auto}\n"
    "svg.chart{display:block;width:100%;height:auto;min-width:560px;font-size:12px}\n"
    "svg.calendar{max-width:880px;min-width:620px}\n"
    ".grid line{stroke:var(--line);stroke-width:1}.grid line.zero,.axis{stroke:var(--muted);"
    "stroke-width:1.3}\n"
    ".grid text,.labels text,.side{fill:var(--muted);font-size:12px}\n"
    ".gave{fill:var(--gave)}.got{fill:var(--got)}.gave-text{fill:var(--gave)}"
    ".got-text{fill:var(--got)}.value{fill:var(--fg);font-size:12px}\n"
    ".hover{fill:transparent}g:hover>.hover{fill:var(--soft)}\n"
    ".note{fill:var(--muted);font-size:14px}\n"
    ".series polyline{fill:none;stroke-width:2.2;stroke-linejoin:round;stroke-linecap:round}"
    ".series circle{stroke:var(--bg);stroke-width:1}.series text{font-size:13px;font-weight:600}\n"
    ".s0{stroke:var(--s0);fill:var(--s0)}.s1{stroke:var(--s1);fill:var(--s1)}"
    ".s2{stroke:var(--s2);fill:var(--s2)}.s3{stroke:var(--s3);fill:var(--s3)}"
    ".s4{stroke:var(--s4);fill:var(--s4)}.s5{stroke:var(--s5);fill:var(--s5)}"
    ".s6{stroke:var(--s6);fill:var(--s6)}.s7{stroke:var(--s7);fill:var(--s7)}"
    ".series text{stroke:none}\n"
    ".l0{fill:var(--l0)}.l1{fill:var(--l1)}.l2{fill:var(--l2)}.l3{fill:var(--l3)}"
    ".l4{fill:var(--l4)}\n"
    ".legend{color:var(--muted);font-size:.85rem;margin:0 0 6px}.key{display:inline-block;"
    "width:10px;height:10px;border-radius:2px;margin:0 5px 0 0}.key+.key{margin-left:0}"
    ".legend span+span{margin-left:14px}.key.gave{background:var(--gave)}"
    ".key.got{background:var(--got)}\n"
    ".cols{display:grid;grid-template-columns:minmax(0,1fr) 17rem;gap:24px;align-items:start}\n"
    "@media (max-width:820px){.cols{grid-template-columns:minmax(0,1fr)}}\n"
    "table{border-collapse:collapse;font-variant-numeric:tabular-nums;font-size:.88rem}\n"
    "th,td{padding:4px 6px;text-align:right;white-space:nowrap;border-bottom:1px solid "
    "var(--line)}\n"
    "th:first-child,td:first-child{text-align:left;position:sticky;left:0;background:var(--bg)}\n"
    "thead th{color:var(--muted);font-weight:600}tfoot td{font-weight:600;border-top:2px solid "
    "var(--muted);border-bottom:0}\n"
    "td small,th small{display:block;color:var(--muted);font-size:.75rem;font-weight:400}\n"
    "thead th{vertical-align:bottom}\n"
    "td .g,td.pos{color:var(--gave)}td .r,td.neg{color:var(--got)}td.zero{color:var(--muted)}\n"
    "aside ol{list-style:none;padding:0;margin:0}aside li{padding:8px 0;border-bottom:1px solid "
    "var(--line)}\n"
    ".badge{display:inline-block;font-size:.72rem;padding:0 7px;border-radius:9px;margin-right:6px;"
    "background:var(--soft);color:var(--muted);border:1px solid var(--line)}\n"
    ".badge.followup-overdue{color:#fff;background:var(--got);border-color:var(--got)}\n"
    ".what{display:block}.reason{display:block;color:var(--muted);font-size:.82rem}\n"
    ".empty{color:var(--muted)}\n"
    "footer{color:var(--muted);font-size:.8rem;border-top:1px solid var(--line);padding-top:8px}\n"
    "@media print{body{font-size:10.5pt}main{max-width:none;padding:0}.scroll{overflow:visible}"
    "svg.chart{min-width:0}.cols{display:block}aside{margin-top:18px}"
    "g:hover>.hover{fill:transparent}}\n";

int kith_html_escape(KithBuf *out, const char *s) {
  size_t len = strlen(s);
  int rc = 0;
  for (size_t i = 0; i < len && rc == 0;) {
    unsigned char c = (unsigned char)s[i];
    if (c >= 0x80) {
      int n = kith_utf8_next(s + i, len - i);
      size_t step = (size_t)(n > 0 ? n : -n);
      rc = n > 0 ? kith_buf_append(out, s + i, step) : kith_buf_puts(out, "\xEF\xBF\xBD");
      i += step;
      continue;
    }
    switch (c) {
    case '&':
      rc = kith_buf_puts(out, "&amp;");
      break;
    case '<':
      rc = kith_buf_puts(out, "&lt;");
      break;
    case '>':
      rc = kith_buf_puts(out, "&gt;");
      break;
    case '"':
      rc = kith_buf_puts(out, "&quot;");
      break;
    case '\'':
      rc = kith_buf_puts(out, "&#39;");
      break;
    default:
      rc = kith_buf_putc(out, c < 0x20 && c != '\t' && c != '\n' ? ' ' : (char)c);
    }
    i++;
  }
  return rc;
}

static void html_signed(char out[32], int64_t v) {
  if (v == 0)
    snprintf(out, 32, "±0");
  else
    snprintf(out, 32, "%+lld", (long long)v);
}

// The title, the range and the numbers of the range at a glance.
static int html_header(KithBuf *out, const KithActivity *a, const char *vault) {
  char first[KITH_PERIOD_LABEL], last[KITH_PERIOD_LABEL], today[11], balance[32];
  kith_activity_label(a, 0, first);
  kith_activity_label(a, a->periods.count - 1, last);
  kith_date_format(a->today, today);
  html_signed(balance, a->total_gave - a->total_got);
  int rc = kith_buf_puts(out, "<header><h1>Your network, ");
  if (a->periods.count == 1)
    rc |= kith_buf_printf(out, "%s</h1>", first);
  else
    rc |= kith_buf_printf(out, "%s to %s</h1>", first, last);
  rc |= kith_buf_puts(out, "<p class=\"sub\">");
  rc |= kith_html_escape(out, vault);
  rc |= kith_buf_printf(out, " · by %s · today %s</p>", kith_period_unit_name(a->periods.unit),
                        today);
  rc |= kith_buf_printf(out,
                        "<ul class=\"stats\"><li><b>%lld</b>given</li><li><b>%lld</b>received"
                        "</li><li><b>%s</b>balance</li><li><b>%lld</b>touch points</li>"
                        "<li><b>%u</b>items</li><li><b>%zu</b>contacts</li></ul></header>\n",
                        (long long)a->total_gave, (long long)a->total_got, balance,
                        (long long)a->total_met, a->items, a->row_count);
  return rc;
}

// One table cell `gave/got` (a dot when nothing happened in it).
static int html_cell(KithBuf *out, int64_t gave, int64_t got, int64_t met) {
  if (gave == 0 && got == 0 && met == 0)
    return kith_buf_puts(out, "<td class=\"zero\">·</td>");
  return kith_buf_printf(out,
                         "<td title=\"gave %lld, got %lld, met %lld\"><span class=\"g\">%lld</span>"
                         "/<span class=\"r\">%lld</span></td>",
                         (long long)gave, (long long)got, (long long)met, (long long)gave,
                         (long long)got);
}

static int html_balance(KithBuf *out, int64_t balance) {
  char text[32];
  html_signed(text, balance);
  return kith_buf_printf(out, "<td class=\"%s\">%s</td>",
                         balance > 0   ? "pos"
                         : balance < 0 ? "neg"
                                       : "zero",
                         text);
}

// A period's column header, short: the period within its year (`Nov`, `W48`, `Q4`) under the
// year, which is written only where it changes (years are written whole).
static int html_period_header(KithBuf *out, const KithActivity *a, uint32_t p) {
  static const char *const months[] = {"Jan", "Feb", "Mar", "Apr", "May", "Jun",
                                       "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"};
  char label[KITH_PERIOD_LABEL], before[KITH_PERIOD_LABEL];
  kith_activity_label(a, p, label);
  if (a->periods.unit == KITH_PERIOD_YEAR)
    return kith_buf_printf(out, "<th>%s</th>", label);
  label[4] = '\0'; // the year, then what follows its '-'
  const char *within = label + 5;
  if (a->periods.unit == KITH_PERIOD_MONTH)
    within = months[(within[0] - '0') * 10 + (within[1] - '0') - 1];
  bool year = p == 0;
  if (!year) {
    kith_activity_label(a, p - 1, before);
    year = strncmp(before, label, 4) != 0;
  }
  return kith_buf_printf(out, "<th title=\"%s-%s\"><small>%s</small>%s</th>", label, label + 5,
                         year ? label : "&nbsp;", within);
}

static int html_table(KithBuf *out, const KithActivity *a) {
  uint32_t n = a->periods.count;
  int rc = kith_buf_puts(out, "<div><h2>Per contact: gave/got</h2>");
  if (a->row_count == 0)
    return rc | kith_buf_puts(out, "<p class=\"empty\">No counted interaction in this range.</p>"
                                   "</div>\n");
  rc |= kith_buf_puts(out, "<div class=\"scroll\"><table><thead><tr><th>Contact</th>");
  for (uint32_t p = 0; p < n; p++)
    rc |= html_period_header(out, a, p);
  rc |= kith_buf_puts(out, "<th>Total</th><th>Balance</th></tr></thead><tbody>");
  for (size_t r = 0; r < a->row_count; r++) {
    const KithActivityRow *row = &a->rows[r];
    rc |= kith_buf_puts(out, "<tr><td>");
    rc |= kith_html_escape(out, row->contact->name);
    rc |= kith_buf_puts(out, "<small>@");
    rc |= kith_html_escape(out, row->contact->handle);
    rc |= kith_buf_puts(out, "</small></td>");
    for (uint32_t p = 0; p < n; p++)
      rc |= html_cell(out, row->gave[p], row->got[p], row->met[p]);
    rc |= html_cell(out, row->total_gave, row->total_got, row->total_met);
    rc |= html_balance(out, row->total_gave - row->total_got);
    rc |= kith_buf_puts(out, "</tr>");
  }
  rc |= kith_buf_puts(out, "</tbody><tfoot><tr><td>Total</td>");
  for (uint32_t p = 0; p < n; p++)
    rc |= html_cell(out, a->gave[p], a->got[p], a->met[p]);
  rc |= html_cell(out, a->total_gave, a->total_got, a->total_met);
  rc |= html_balance(out, a->total_gave - a->total_got);
  rc |= kith_buf_puts(out, "</tr></tfoot></table></div></div>\n");
  return rc;
}

static int html_agenda(KithBuf *out, const KithAgenda *agenda) {
  static const char *const badges[] = {"overdue",   "due",        "birthday",  "ask",
                                       "reach out", "give first", "your turn", "let them help"};
  int rc = kith_buf_puts(out, "<aside><h2>Agenda</h2>");
  if (agenda->count == 0)
    return rc | kith_buf_puts(out, "<p class=\"empty\">Nothing to do: no follow-up is due, nobody "
                                   "asked, and every contact is fine.</p></aside>\n");
  rc |= kith_buf_puts(out, "<ol>");
  KithBuf reason = KITH_BUF_INIT;
  size_t shown = agenda->count < KITH_HTML_AGENDA_ITEMS ? agenda->count : KITH_HTML_AGENDA_ITEMS;
  for (size_t i = 0; i < shown; i++) {
    const KithAgendaItem *item = &agenda->items[i];
    rc |= kith_buf_printf(out, "<li><span class=\"badge %s\">%s</span><b>@",
                          kith_agenda_group_name(item->group), badges[item->group]);
    rc |= kith_html_escape(out, item->contact->handle);
    rc |= kith_buf_puts(out, "</b><span class=\"what\">");
    char what[256];
    kith_report_clip(what, sizeof what, item->followup ? item->followup->text : item->contact->name,
                     70);
    rc |= kith_html_escape(out, what);
    reason.len = 0;
    rc |= kith_agenda_reason(&reason, agenda, item);
    rc |= kith_buf_puts(out, "</span><span class=\"reason\">");
    rc |= kith_html_escape(out, reason.data ? reason.data : "");
    rc |= kith_buf_puts(out, "</span></li>");
  }
  kith_buf_free(&reason);
  rc |= kith_buf_puts(out, "</ol>");
  if (agenda->count > shown)
    rc |= kith_buf_printf(out, "<p class=\"reason\">and %zu more: kith agenda lists them all.</p>",
                          agenda->count - shown);
  rc |= kith_buf_puts(out, "</aside>\n");
  return rc;
}

// The page up to <main>: `<title>` holds `title`, then `vault` (escaped), then `more` (HTML).
static int html_head(KithBuf *out, const char *title, const char *vault, const char *more) {
  int rc = kith_buf_puts(out, "<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\">"
                              "<meta name=\"viewport\" content=\"width=device-width, "
                              "initial-scale=1\"><title>");
  rc |= kith_buf_puts(out, title);
  rc |= kith_html_escape(out, vault);
  rc |= kith_buf_printf(out, "%s</title>\n<style>\n%s%s</style></head>\n<body><main>\n", more,
                        html_style, kith_network_style);
  return rc;
}

static int html_foot(KithBuf *out, const char *vault) {
  int rc = kith_buf_puts(out, "<footer>Written by kith " KITH_VERSION " from the notes of ");
  rc |= kith_html_escape(out, vault);
  rc |= kith_buf_puts(out, ". The page is self-contained: it loads nothing.</footer>\n"
                           "</main></body></html>\n");
  return rc;
}

static int html_network(KithBuf *out, const KithGraph *graph) {
  int rc = kith_buf_puts(out, "<section><h2>Your network: introductions and time together</h2>"
                              "<div class=\"scroll\">");
  rc |= kith_network_section(out, graph);
  rc |= kith_buf_puts(out, "</div></section>\n");
  return rc;
}

int kith_html_network_page(KithBuf *out, const KithGraph *graph, const char *vault) {
  char today[11];
  kith_date_format(graph->ledger->options.today, today);
  int rc = html_head(out, "kith network: ", vault, "");
  rc |= kith_buf_puts(out, "<header><h1>Your network</h1><p class=\"sub\">");
  rc |= kith_html_escape(out, vault);
  rc |= kith_buf_printf(out, " · today %s · %zu contacts, %zu connections</p></header>\n", today,
                        graph->ledger->count, graph->edge_count);
  rc |= html_network(out, graph);
  rc |= html_foot(out, vault);
  return rc ? -1 : 0;
}

int kith_html_report(KithBuf *out, const KithActivity *a, const KithAgenda *agenda,
                     const KithGraph *graph, const char *vault) {
  char first[KITH_PERIOD_LABEL], last[KITH_PERIOD_LABEL];
  kith_activity_label(a, 0, first);
  kith_activity_label(a, a->periods.count - 1, last);
  const char *unit = kith_period_unit_name(a->periods.unit);
  char range[2 * KITH_PERIOD_LABEL + 8];
  snprintf(range, sizeof range, ", %s to %s", first, last);
  int rc = html_head(out, "kith report: ", vault, range);
  rc |= html_header(out, a, vault);
  rc |= kith_buf_printf(out,
                        "<section><h2>Gives and receives per %s</h2><p class=\"legend\"><span>"
                        "<i class=\"key gave\"></i>gave (above the line)</span><span>"
                        "<i class=\"key got\"></i>got (below)</span></p><div class=\"scroll\">",
                        unit);
  rc |= kith_chart_flow(out, a);
  const KithActivityRow *top[KITH_CHART_LINES];
  size_t lines = kith_chart_top(a, top);
  rc |= kith_buf_puts(out, "</div></section>\n<section><h2>Running balance ");
  if (lines < a->row_count)
    rc |= kith_buf_printf(out, "of the %zu most active contacts", lines);
  else
    rc |= kith_buf_puts(out, "per contact");
  rc |= kith_buf_printf(out,
                        "</h2><p class=\"legend\">gave minus got, from where it stood before %s, "
                        "at the end of each %s</p><div class=\"scroll\">",
                        first, unit);
  rc |= kith_chart_balance(out, a);
  char end[11];
  kith_date_format(a->calendar_end, end);
  rc |= kith_buf_printf(out,
                        "</div></section>\n<section><h2>Activity over the last %d days</h2>"
                        "<p class=\"legend\">counted items per day, to %s</p>"
                        "<div class=\"scroll\">",
                        KITH_ACTIVITY_DAYS, end);
  rc |= kith_chart_calendar(out, a);
  rc |= kith_buf_puts(out, "</div></section>\n");
  if (graph)
    rc |= html_network(out, graph);
  rc |= kith_buf_puts(out, "<section class=\"cols\">");
  rc |= html_table(out, a);
  rc |= html_agenda(out, agenda);
  rc |= kith_buf_puts(out, "</section>\n");
  rc |= html_foot(out, vault);
  return rc ? -1 : 0;
}
