#include "ledger/chart.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "ledger/html.h"

// Geometry is in SVG user units; the page scales each chart to its column (CSS width: 100%)
// and lets a phone scroll it sideways rather than shrink its text below reading size.

enum { CHART_W = 720 };

// The tick step for a span of `span` units split into about `ticks` steps: 1, 2, 5, 10, 20, ...
static int64_t chart_step(int64_t span, int ticks) {
  for (int64_t step = 1;; step *= 10) {
    static const int mul[] = {1, 2, 5};
    for (int i = 0; i < 3; i++) {
      if (span <= step * mul[i] * ticks)
        return step * mul[i];
    }
  }
}

static int64_t chart_ceil_to(int64_t v, int64_t step) {
  return v <= 0 ? -((-v) / step) * step : (v + step - 1) / step * step;
}

static int64_t chart_floor_to(int64_t v, int64_t step) {
  return -chart_ceil_to(-v, step);
}

// Show every k-th period label so that about `most` fit.
static uint32_t chart_label_every(uint32_t n, uint32_t most) {
  return n <= most ? 1 : (n + most - 1) / most;
}

// A note in the middle of an empty chart.
static int chart_empty(KithBuf *out, double y, const char *text) {
  int rc = kith_buf_printf(out, "<text class=\"note\" x=\"%d\" y=\"%.1f\" text-anchor=\"middle\">",
                           CHART_W / 2, y);
  rc |= kith_html_escape(out, text);
  rc |= kith_buf_puts(out, "</text>");
  return rc;
}

// --- gives and receives per period ----------------------------------------------------------

int kith_chart_flow(KithBuf *out, const KithActivity *a) {
  // T and B leave room for the values over the tallest bars and the labels under the plot.
  enum { H = 300, L = 44, R = 12, T = 26, B = 44 };
  const double plot_w = CHART_W - L - R, plot_h = H - T - B;
  uint32_t n = a->periods.count;
  int64_t max_gave = 0, max_got = 0;
  for (uint32_t p = 0; p < n; p++) {
    max_gave = a->gave[p] > max_gave ? a->gave[p] : max_gave;
    max_got = a->got[p] > max_got ? a->got[p] : max_got;
  }
  int rc = kith_buf_printf(out,
                           "<svg class=\"chart\" viewBox=\"0 0 %d %d\" role=\"img\" "
                           "aria-label=\"gives above and receives below the axis, per %s\">",
                           CHART_W, (int)H, kith_period_unit_name(a->periods.unit));
  int64_t step = chart_step(max_gave > max_got ? max_gave : max_got, 4);
  int64_t top = chart_ceil_to(max_gave, step), bottom = chart_ceil_to(max_got, step);
  if (top + bottom == 0)
    top = bottom = 1;
  double unit = plot_h / (double)(top + bottom);
  double y0 = T + (double)top * unit;
  // Grid and its labels: gives counted up from the axis, receives down.
  rc |= kith_buf_puts(out, "<g class=\"grid\">");
  for (int side = 0; side < 2; side++) {
    int64_t limit = side ? bottom : top;
    for (int64_t v = step; v <= limit && (max_gave || max_got); v += step) {
      double y = side ? y0 + v * unit : y0 - v * unit;
      rc |= kith_buf_printf(out,
                            "<line x1=\"%d\" x2=\"%d\" y1=\"%.1f\" y2=\"%.1f\"/>"
                            "<text x=\"%d\" y=\"%.1f\" text-anchor=\"end\">%lld</text>",
                            L, CHART_W - R, y, y, L - 6, y + 4, (long long)v);
    }
  }
  // "gave" and "got" along the left edge, each in the middle of its side of the axis.
  double mid_gave = (T + y0) / 2, mid_got = (y0 + H - B) / 2;
  rc |= kith_buf_puts(out, "</g>");
  if (top > 0 && max_gave > 0)
    rc |= kith_buf_printf(out,
                          "<text class=\"side gave-text\" transform=\"translate(12 %.1f) "
                          "rotate(-90)\" text-anchor=\"middle\">gave</text>",
                          mid_gave);
  if (bottom > 0 && max_got > 0)
    rc |= kith_buf_printf(out,
                          "<text class=\"side got-text\" transform=\"translate(12 %.1f) "
                          "rotate(-90)\" text-anchor=\"middle\">got</text>",
                          mid_got);
  double slot = plot_w / n;
  double bar = slot * 0.6 > 40 ? 40 : slot * 0.6;
  bool values = n <= 16;
  char label[KITH_PERIOD_LABEL];
  for (uint32_t p = 0; p < n; p++) {
    double x = L + slot * (p + 0.5);
    kith_activity_label(a, p, label);
    rc |= kith_buf_printf(out, "<g><title>%s: gave %lld, got %lld, met %lld</title>", label,
                          (long long)a->gave[p], (long long)a->got[p], (long long)a->met[p]);
    // An invisible band over the whole slot, so the title shows wherever the period is hovered.
    rc |= kith_buf_printf(out,
                          "<rect class=\"hover\" x=\"%.1f\" y=\"%d\" width=\"%.1f\" "
                          "height=\"%.1f\"/>",
                          L + slot * p, T, slot, plot_h);
    if (a->gave[p] > 0) {
      double h = a->gave[p] * unit;
      rc |= kith_buf_printf(out,
                            "<rect class=\"gave\" x=\"%.1f\" y=\"%.1f\" width=\"%.1f\" "
                            "height=\"%.1f\" rx=\"2\"/>",
                            x - bar / 2, y0 - h, bar, h);
      if (values)
        rc |= kith_buf_printf(out,
                              "<text class=\"value\" x=\"%.1f\" y=\"%.1f\" "
                              "text-anchor=\"middle\">%lld</text>",
                              x, y0 - h - 4, (long long)a->gave[p]);
    }
    if (a->got[p] > 0) {
      double h = a->got[p] * unit;
      rc |= kith_buf_printf(out,
                            "<rect class=\"got\" x=\"%.1f\" y=\"%.1f\" width=\"%.1f\" "
                            "height=\"%.1f\" rx=\"2\"/>",
                            x - bar / 2, y0, bar, h);
      if (values)
        rc |= kith_buf_printf(out,
                              "<text class=\"value\" x=\"%.1f\" y=\"%.1f\" "
                              "text-anchor=\"middle\">%lld</text>",
                              x, y0 + h + 12, (long long)a->got[p]);
    }
    rc |= kith_buf_puts(out, "</g>");
  }
  rc |= kith_buf_printf(out, "<line class=\"axis\" x1=\"%d\" x2=\"%d\" y1=\"%.1f\" y2=\"%.1f\"/>",
                        L, CHART_W - R, y0, y0);
  uint32_t every = chart_label_every(n, 12);
  rc |= kith_buf_puts(out, "<g class=\"labels\">");
  for (uint32_t p = 0; p < n; p++) {
    if ((n - 1 - p) % every != 0) // keep the last period's label
      continue;
    kith_activity_label(a, p, label);
    rc |= kith_buf_printf(out, "<text x=\"%.1f\" y=\"%d\" text-anchor=\"middle\">%s</text>",
                          L + slot * (p + 0.5), H - 8, label);
  }
  rc |= kith_buf_puts(out, "</g>");
  if (max_gave == 0 && max_got == 0)
    rc |= chart_empty(out, y0 - 10, "Nothing given or received in this range");
  rc |= kith_buf_puts(out, "</svg>\n");
  return rc ? -1 : 0;
}

// --- running balances -----------------------------------------------------------------------

static int chart_cmp_active(const void *x, const void *y) {
  const KithActivityRow *a = *(const KithActivityRow *const *)x;
  const KithActivityRow *b = *(const KithActivityRow *const *)y;
  if (a->items != b->items)
    return a->items > b->items ? -1 : 1;
  return strcmp(a->contact->handle, b->contact->handle);
}

size_t kith_chart_top(const KithActivity *a, const KithActivityRow *top[KITH_CHART_LINES]) {
  // A partial selection: keep the best KITH_CHART_LINES seen so far, sorted.
  size_t count = 0;
  for (size_t r = 0; r < a->row_count; r++) {
    const KithActivityRow *row = &a->rows[r];
    if (count == KITH_CHART_LINES && chart_cmp_active(&row, &top[count - 1]) >= 0)
      continue;
    size_t i = count < KITH_CHART_LINES ? count++ : count - 1;
    while (i > 0 && chart_cmp_active(&row, &top[i - 1]) < 0) {
      top[i] = top[i - 1];
      i--;
    }
    top[i] = row;
  }
  return count;
}

int kith_chart_balance(KithBuf *out, const KithActivity *a) {
  enum { H = 300, L = 44, R = 150, T = 16, B = 30, LABEL_GAP = 14 };
  const double plot_w = CHART_W - L - R, plot_h = H - T - B;
  uint32_t n = a->periods.count;
  const KithActivityRow *top[KITH_CHART_LINES];
  size_t lines = kith_chart_top(a, top);
  int64_t *values = calloc((lines ? lines : 1) * n, sizeof *values);
  if (!values)
    return -1;
  int64_t lo = 0, hi = 0;
  for (size_t k = 0; k < lines; k++) {
    int64_t v = top[k]->opening;
    for (uint32_t p = 0; p < n; p++) {
      v += top[k]->gave[p] - top[k]->got[p];
      values[k * n + p] = v;
      lo = v < lo ? v : lo;
      hi = v > hi ? v : hi;
    }
  }
  int64_t step = chart_step(hi - lo > 0 ? hi - lo : 1, 5);
  lo = chart_floor_to(lo, step);
  hi = chart_ceil_to(hi, step);
  if (hi == lo) { // every balance is 0 (or there is none): the zero line in the middle
    lo = -step;
    hi = step;
  }
  double unit = plot_h / (double)(hi - lo);
#define CHART_Y(v) (T + (double)(hi - (v)) * unit)
#define CHART_X(p) (n == 1 ? L + plot_w / 2 : L + plot_w * (double)(p) / (n - 1))
  int rc = kith_buf_printf(out,
                           "<svg class=\"chart\" viewBox=\"0 0 %d %d\" role=\"img\" "
                           "aria-label=\"running balance of the most active contacts\">",
                           CHART_W, (int)H);
  rc |= kith_buf_puts(out, "<g class=\"grid\">");
  for (int64_t v = lo; v <= hi; v += step) {
    double y = CHART_Y(v);
    rc |= kith_buf_printf(out,
                          "<line%s x1=\"%d\" x2=\"%.1f\" y1=\"%.1f\" y2=\"%.1f\"/>"
                          "<text x=\"%d\" y=\"%.1f\" text-anchor=\"end\">%s%lld</text>",
                          v == 0 ? " class=\"zero\"" : "", L, L + plot_w, y, y, L - 6, y + 4,
                          v > 0 ? "+" : "", (long long)v);
  }
  rc |= kith_buf_puts(out, "</g><g class=\"labels\">");
  uint32_t every = chart_label_every(n, 10);
  char label[KITH_PERIOD_LABEL];
  for (uint32_t p = 0; p < n; p++) {
    if ((n - 1 - p) % every != 0)
      continue;
    kith_activity_label(a, p, label);
    rc |= kith_buf_printf(out, "<text x=\"%.1f\" y=\"%d\" text-anchor=\"middle\">%s</text>",
                          CHART_X(p), H - 8, label);
  }
  rc |= kith_buf_puts(out, "</g>");
  // The end labels, pushed apart so that none overlaps another.
  double label_y[KITH_CHART_LINES];
  size_t order[KITH_CHART_LINES];
  for (size_t k = 0; k < lines; k++) {
    label_y[k] = CHART_Y(values[k * n + n - 1]) + 4;
    size_t i = k;
    while (i > 0 && label_y[order[i - 1]] > label_y[k]) {
      order[i] = order[i - 1];
      i--;
    }
    order[i] = k;
  }
  for (size_t i = 1; i < lines; i++) {
    if (label_y[order[i]] < label_y[order[i - 1]] + LABEL_GAP)
      label_y[order[i]] = label_y[order[i - 1]] + LABEL_GAP;
  }
  for (size_t i = lines; i-- > 0;) { // then back up from the bottom edge
    double limit = i + 1 < lines ? label_y[order[i + 1]] - LABEL_GAP : H - B + 4;
    if (label_y[order[i]] > limit)
      label_y[order[i]] = limit;
  }
  for (size_t k = 0; k < lines; k++) {
    rc |= kith_buf_printf(out, "<g class=\"series s%zu\"><title>@", k);
    rc |= kith_html_escape(out, top[k]->contact->handle);
    char first[KITH_PERIOD_LABEL], last[KITH_PERIOD_LABEL];
    kith_activity_label(a, 0, first);
    kith_activity_label(a, n - 1, last);
    rc |=
        kith_buf_printf(out, ": balance %+lld before %s, %+lld after %s</title>",
                        (long long)top[k]->opening, first, (long long)values[k * n + n - 1], last);
    if (n > 1) {
      rc |= kith_buf_puts(out, "<polyline points=\"");
      for (uint32_t p = 0; p < n; p++)
        rc |= kith_buf_printf(out, "%s%.1f,%.1f", p ? " " : "", CHART_X(p),
                              CHART_Y(values[k * n + p]));
      rc |= kith_buf_puts(out, "\"/>");
    }
    for (uint32_t p = 0; p < n; p++) {
      if (n > 24 && p != n - 1)
        continue;
      rc |= kith_buf_printf(out, "<circle cx=\"%.1f\" cy=\"%.1f\" r=\"3\"/>", CHART_X(p),
                            CHART_Y(values[k * n + p]));
    }
    rc |= kith_buf_printf(out, "<text x=\"%.1f\" y=\"%.1f\">@", L + plot_w + 10, label_y[k]);
    char clipped[64];
    kith_report_clip(clipped, sizeof clipped, top[k]->contact->handle, 14);
    rc |= kith_html_escape(out, clipped);
    int64_t end = values[k * n + n - 1];
    if (end == 0)
      rc |= kith_buf_puts(out, " ±0</text></g>");
    else
      rc |= kith_buf_printf(out, " %+lld</text></g>", (long long)end);
  }
  if (lines == 0)
    rc |= chart_empty(out, CHART_Y(0) - 10, "No counted interaction in this range");
#undef CHART_X
#undef CHART_Y
  rc |= kith_buf_puts(out, "</svg>\n");
  free(values);
  return rc ? -1 : 0;
}

// --- the calendar ---------------------------------------------------------------------------

int kith_chart_calendar(KithBuf *out, const KithActivity *a) {
  enum { CELL = 11, PITCH = 13, L = 30, T = 18 };
  static const char *const months[] = {"Jan", "Feb", "Mar", "Apr", "May", "Jun",
                                       "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"};
  KithDay first = a->calendar_end - (KITH_ACTIVITY_DAYS - 1);
  KithDay monday = first - kith_date_weekday(first);
  int weeks = (int)((a->calendar_end - monday) / 7 + 1);
  int width = L + weeks * PITCH + 2, height = T + 7 * PITCH + 26;
  uint32_t most = 0, total = 0, days = 0;
  for (int i = 0; i < KITH_ACTIVITY_DAYS; i++) {
    most = a->calendar[i] > most ? a->calendar[i] : most;
    total += a->calendar[i];
    days += a->calendar[i] > 0;
  }
  int rc = kith_buf_printf(out,
                           "<svg class=\"chart calendar\" viewBox=\"0 0 %d %d\" role=\"img\" "
                           "aria-label=\"counted items per day, last %d days\">",
                           width, height, KITH_ACTIVITY_DAYS);
  rc |= kith_buf_printf(out,
                        "<g class=\"labels\"><text x=\"0\" y=\"%d\">Mon</text>"
                        "<text x=\"0\" y=\"%d\">Wed</text><text x=\"0\" y=\"%d\">Fri</text>",
                        T + 9, T + 2 * PITCH + 9, T + 4 * PITCH + 9);
  int last_label = -4;
  for (KithDay d = first; d <= a->calendar_end; d++) {
    int y, m, dd;
    kith_date_to_civil(d, &y, &m, &dd);
    int col = (int)((d - monday) / 7);
    if ((dd == 1 || d == first) && col - last_label >= 3 && col < weeks - 1) {
      rc |= kith_buf_printf(out, "<text x=\"%d\" y=\"%d\">%s</text>", L + col * PITCH, T - 6,
                            months[m - 1]);
      last_label = col;
    }
  }
  rc |= kith_buf_puts(out, "</g><g class=\"days\">");
  char date[11];
  for (int i = 0; i < KITH_ACTIVITY_DAYS; i++) {
    KithDay d = first + i;
    uint32_t count = a->calendar[i];
    int level = count == 0 ? 0 : (int)((4 * count + most - 1) / most);
    kith_date_format(d, date);
    rc |= kith_buf_printf(out,
                          "<rect class=\"l%d\" x=\"%d\" y=\"%d\" width=\"%d\" height=\"%d\" "
                          "rx=\"2\"><title>%s: %u item%s</title></rect>",
                          level, L + (int)((d - monday) / 7) * PITCH,
                          T + kith_date_weekday(d) * PITCH, CELL, CELL, date, count,
                          count == 1 ? "" : "s");
  }
  rc |= kith_buf_puts(out, "</g>");
  // The legend: less .. more, at the bottom right; a summary at the bottom left.
  int ly = T + 7 * PITCH + 12;
  int lx = width - 5 * PITCH - 34;
  rc |= kith_buf_printf(out,
                        "<g class=\"labels\"><text x=\"%d\" y=\"%d\" "
                        "text-anchor=\"end\">less</text>",
                        lx - 4, ly + 9);
  for (int level = 0; level <= 4; level++)
    rc |= kith_buf_printf(out,
                          "<rect class=\"l%d\" x=\"%d\" y=\"%d\" width=\"%d\" height=\"%d\" "
                          "rx=\"2\"/>",
                          level, lx + level * PITCH, ly, CELL, CELL);
  rc |= kith_buf_printf(out, "<text x=\"%d\" y=\"%d\">more</text>", lx + 5 * PITCH + 2, ly + 9);
  rc |= kith_buf_printf(out, "<text x=\"%d\" y=\"%d\">%u item%s on %u day%s</text></g>", L, ly + 9,
                        total, total == 1 ? "" : "s", days, days == 1 ? "" : "s");
  rc |= kith_buf_puts(out, "</svg>\n");
  return rc ? -1 : 0;
}
