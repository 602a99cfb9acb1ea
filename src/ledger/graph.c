#include "ledger/graph.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "base/utf8.h"
#include "ledger/pairs.h"
#include "ledger/report.h"

const char *kith_graph_edge_kind_name(KithEdgeKind kind) {
  return kind == KITH_EDGE_INTRO ? "intro" : "together";
}

// The edges while they are gathered: one per pair and item, merged once sorted.
typedef struct {
  KithGraph *graph;
  size_t cap;
} GraphBuild;

static int graph_pair(void *data, const KithPairItem *item) {
  GraphBuild *b = data;
  KithGraph *g = b->graph;
  const KithContact *base = g->ledger->contacts;
  KithEdgeKind kind = item->intro ? KITH_EDGE_INTRO : KITH_EDGE_TOGETHER;
  for (size_t i = 0; i < item->count; i++) {
    const KithContact *x = kith_ledger_find(g->ledger, item->handles[i]);
    for (size_t k = i + 1; x && k < item->count; k++) {
      const KithContact *y = kith_ledger_find(g->ledger, item->handles[k]);
      if (!y || y == x)
        continue;
      if (g->edge_count == b->cap) {
        size_t cap = b->cap ? b->cap * 2 : 64;
        KithEdge *grown = realloc(g->edges, cap * sizeof *grown);
        if (!grown)
          return -1;
        g->edges = grown;
        b->cap = cap;
      }
      uint32_t p = (uint32_t)(x - base), q = (uint32_t)(y - base);
      g->edges[g->edge_count++] =
          (KithEdge){p < q ? p : q, p < q ? q : p, kind, 1, item->day, item->day};
    }
  }
  return 0;
}

static int graph_cmp_edge(const void *l, const void *r) {
  const KithEdge *x = l, *y = r;
  if (x->a != y->a)
    return x->a < y->a ? -1 : 1;
  if (x->b != y->b)
    return x->b < y->b ? -1 : 1;
  return (int)x->kind - (int)y->kind;
}

int kith_graph_build(KithGraph *g, const KithLedger *ledger, const KithNoteSet *set) {
  memset(g, 0, sizeof *g);
  g->ledger = ledger;
  GraphBuild b = {g, 0};
  g->degree = calloc(ledger->count ? ledger->count : 1, sizeof *g->degree);
  if (!g->degree || kith_pairs_walk(set, &ledger->resolution, SIZE_MAX, graph_pair, &b) != 0)
    goto fail;
  if (g->edge_count > 1)
    qsort(g->edges, g->edge_count, sizeof *g->edges, graph_cmp_edge);
  // One edge per pair and kind: how many items, the first and last date.
  size_t kept = 0;
  for (size_t i = 0; i < g->edge_count; i++) {
    KithEdge *e = &g->edges[i];
    KithEdge *last = kept ? &g->edges[kept - 1] : NULL;
    if (last && last->a == e->a && last->b == e->b && last->kind == e->kind) {
      last->count++;
      last->first = e->first < last->first ? e->first : last->first;
      last->last = e->last > last->last ? e->last : last->last;
      continue;
    }
    g->edges[kept++] = *e;
  }
  g->edge_count = kept;
  for (size_t i = 0; i < kept; i++) {
    g->degree[g->edges[i].a]++;
    g->degree[g->edges[i].b]++;
  }
  return 0;
fail:
  kith_graph_free(g);
  return -1;
}

void kith_graph_free(KithGraph *g) {
  free(g->edges);
  free(g->degree);
  memset(g, 0, sizeof *g);
}

int kith_graph_json(KithBuf *out, const KithGraph *g) {
  const KithLedger *l = g->ledger;
  char today[11];
  kith_date_format(l->options.today, today);
  int rc = kith_buf_printf(out, "{\"today\":\"%s\",\"nodes\":[", today);
  for (size_t i = 0; i < l->count; i++) {
    const KithContact *c = &l->contacts[i];
    rc |= kith_buf_puts(out, i ? ",{\"handle\":" : "{\"handle\":");
    rc |= kith_report_json_string(out, c->handle);
    rc |= kith_buf_puts(out, ",\"name\":");
    rc |= kith_report_json_string(out, c->name);
    rc |= kith_buf_printf(out, ",\"gave\":%lld,\"got\":%lld,\"met\":%lld,\"status\":\"%s\"}",
                          (long long)c->gave, (long long)c->got, (long long)c->met,
                          kith_status_name(c->status));
  }
  rc |= kith_buf_puts(out, "],\"edges\":[");
  for (size_t i = 0; i < g->edge_count; i++) {
    const KithEdge *e = &g->edges[i];
    rc |= kith_buf_puts(out, i ? ",{\"a\":" : "{\"a\":");
    rc |= kith_report_json_string(out, l->contacts[e->a].handle);
    rc |= kith_buf_puts(out, ",\"b\":");
    rc |= kith_report_json_string(out, l->contacts[e->b].handle);
    rc |= kith_buf_printf(out, ",\"kind\":\"%s\",\"count\":%u,\"first_date\":",
                          kith_graph_edge_kind_name(e->kind), e->count);
    rc |= kith_report_json_day(out, true, e->first);
    rc |= kith_buf_puts(out, ",\"last_date\":");
    rc |= kith_report_json_day(out, true, e->last);
    rc |= kith_buf_putc(out, '}');
  }
  rc |= kith_buf_puts(out, "]}\n");
  return rc ? -1 : 0;
}

int kith_graph_dot_string(KithBuf *out, const char *s) {
  size_t len = strlen(s);
  int rc = kith_buf_putc(out, '"');
  for (size_t i = 0; i < len && rc == 0;) {
    unsigned char c = (unsigned char)s[i];
    if (c >= 0x80) {
      int n = kith_utf8_next(s + i, len - i);
      size_t step = (size_t)(n > 0 ? n : -n);
      rc = n > 0 ? kith_buf_append(out, s + i, step) : kith_buf_puts(out, "\xEF\xBF\xBD");
      i += step;
      continue;
    }
    if (c == '"' || c == '\\')
      rc = kith_buf_putc(out, '\\') || kith_buf_putc(out, (char)c);
    else if (c == '\n')
      rc = kith_buf_puts(out, "\\n");
    else if (c == '\r')
      rc = i + 1 < len && s[i + 1] == '\n' ? 0 : kith_buf_puts(out, "\\n");
    else
      rc = kith_buf_putc(out, c < 0x20 || c == 0x7f ? ' ' : (char)c);
    i++;
  }
  return rc | kith_buf_putc(out, '"');
}

int kith_graph_dot(KithBuf *out, const KithGraph *g) {
  const KithLedger *l = g->ledger;
  char today[11];
  kith_date_format(l->options.today, today);
  int rc = kith_buf_printf(out,
                           "// kith graph, %s: introductions (bold) and time together\n"
                           "graph kith {\n  node [shape=ellipse];\n",
                           today);
  for (size_t i = 0; i < l->count; i++) {
    const KithContact *c = &l->contacts[i];
    rc |= kith_buf_puts(out, "  ");
    rc |= kith_graph_dot_string(out, c->handle);
    rc |= kith_buf_puts(out, " [label=");
    rc |= kith_graph_dot_string(out, c->name);
    rc |= kith_buf_printf(out, ", status=\"%s\"];\n", kith_status_name(c->status));
  }
  for (size_t i = 0; i < g->edge_count; i++) {
    const KithEdge *e = &g->edges[i];
    rc |= kith_buf_puts(out, "  ");
    rc |= kith_graph_dot_string(out, l->contacts[e->a].handle);
    rc |= kith_buf_puts(out, " -- ");
    rc |= kith_graph_dot_string(out, l->contacts[e->b].handle);
    rc |= kith_buf_printf(out, " [kind=\"%s\", count=%u, penwidth=%u%s];\n",
                          kith_graph_edge_kind_name(e->kind), e->count, e->count < 5 ? e->count : 5,
                          e->kind == KITH_EDGE_INTRO ? ", style=bold" : "");
  }
  rc |= kith_buf_puts(out, "}\n");
  return rc ? -1 : 0;
}

int kith_graph_text(KithBuf *out, const KithGraph *g) {
  const KithLedger *l = g->ledger;
  if (g->edge_count == 0)
    return kith_buf_puts(out, "No introductions and no time together yet: a give tagged #intro "
                              "naming two contacts, or an item or meeting with two, makes an "
                              "edge.\n");
  size_t wa = 0, wb = 0;
  for (size_t i = 0; i < g->edge_count; i++) {
    size_t a = kith_report_width(l->contacts[g->edges[i].a].handle) + 1;
    size_t b = kith_report_width(l->contacts[g->edges[i].b].handle) + 1;
    wa = a > wa ? a : wa;
    wb = b > wb ? b : wb;
  }
  int rc = 0;
  char cell[256];
  for (size_t i = 0; i < g->edge_count; i++) {
    const KithEdge *e = &g->edges[i];
    char first[11], last[11];
    kith_date_format(e->first, first);
    kith_date_format(e->last, last);
    snprintf(cell, sizeof cell, "@%s", l->contacts[e->a].handle);
    rc |= kith_report_cell(out, cell, wa, false);
    rc |= kith_buf_puts(out, " -- ");
    snprintf(cell, sizeof cell, "@%s", l->contacts[e->b].handle);
    rc |= kith_report_cell(out, cell, wb, false);
    rc |= kith_buf_printf(out, "  %-8s  %3u  %s", kith_graph_edge_kind_name(e->kind), e->count,
                          first);
    if (e->last != e->first)
      rc |= kith_buf_printf(out, " .. %s", last);
    rc |= kith_buf_putc(out, '\n');
  }
  return rc ? -1 : 0;
}
