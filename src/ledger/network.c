#include "ledger/network.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "ledger/html.h"
#include "ledger/layout.h"
#include "ledger/report.h"

// Status colours are used for nothing else on the page (test_html finds the discs by them).
const char kith_network_style[] =
    ":root{--st-new:#8250df;--st-dormant:#768390;--st-owe:#cf222e;--st-let-them-help:#b08800;"
    "--st-ok:#0969da;--st-overdue:#a40e26;--intro:#e16f24}\n"
    "@media screen and (prefers-color-scheme:dark){:root{--st-new:#a371f7;--st-dormant:#8b949e;"
    "--st-owe:#f85149;--st-let-them-help:#d29922;--st-ok:#4493f8;--st-overdue:#ff7b72;"
    "--intro:#f0883e}}\n"
    "svg.network{display:block;max-width:100%;height:auto;font-size:12px}\n"
    ".network .edge{stroke:var(--muted);stroke-opacity:.55;stroke-linecap:round}"
    ".network .edge.intro{stroke:var(--intro);stroke-opacity:.9}\n"
    ".network circle{stroke:var(--bg);stroke-width:2}.network text{fill:var(--fg);"
    "text-anchor:middle;paint-order:stroke;stroke:var(--bg);stroke-width:4px;"
    "stroke-linejoin:round}\n"
    ".st-new{fill:var(--st-new)}.st-dormant{fill:var(--st-dormant)}.st-owe{fill:var(--st-owe)}"
    ".st-let-them-help{fill:var(--st-let-them-help)}.st-ok{fill:var(--st-ok)}"
    ".st-overdue{fill:var(--st-overdue)}\n"
    ".key.dot{border-radius:50%;opacity:.8}.key.line{height:3px;width:16px;border-radius:0;"
    "vertical-align:middle;background:var(--muted)}.key.line.intro{background:var(--intro)}\n"
    ".key.st-new{background:var(--st-new)}.key.st-dormant{background:var(--st-dormant)}"
    ".key.st-owe{background:var(--st-owe)}.key.st-let-them-help{background:var(--st-let-them-help)}"
    ".key.st-ok{background:var(--st-ok)}.key.st-overdue{background:var(--st-overdue)}\n";

enum { NETWORK_LABEL_CHARS = 22 };

// A contact in the order they are drawn in: the most edges first, then the most active, then
// by handle (the contacts are sorted by handle).
typedef struct {
  uint32_t degree;
  int64_t interactions;
  uint32_t contact;
} NetworkRank;

static int network_cmp(const void *l, const void *r) {
  const NetworkRank *x = l, *y = r;
  if (x->degree != y->degree)
    return x->degree > y->degree ? -1 : 1;
  if (x->interactions != y->interactions)
    return x->interactions > y->interactions ? -1 : 1;
  return x->contact < y->contact ? -1 : x->contact > y->contact;
}

static int network_edge(KithBuf *out, const KithLayoutNode *a, const KithLayoutNode *b,
                        const KithEdge *e) {
  double width = e->kind == KITH_EDGE_INTRO ? 3.5 : 1.2 + 0.6 * fmin(e->count - 1, 5);
  return kith_buf_printf(out,
                         "<line class=\"edge%s\" x1=\"%.1f\" y1=\"%.1f\" x2=\"%.1f\" y2=\"%.1f\" "
                         "stroke-width=\"%.1f\"/>",
                         e->kind == KITH_EDGE_INTRO ? " intro" : "", a->x, a->y, b->x, b->y, width);
}

static int network_node(KithBuf *out, const KithContact *c, const KithLayoutNode *n, double r) {
  char label[NETWORK_LABEL_CHARS * 4 + 4];
  kith_report_clip(label, sizeof label, c->name, NETWORK_LABEL_CHARS);
  int rc = kith_buf_puts(out, "<g><title>");
  rc |= kith_html_escape(out, c->name);
  rc |= kith_buf_puts(out, " (@");
  rc |= kith_html_escape(out, c->handle);
  rc |= kith_buf_printf(out, "): gave %lld, got %lld, met %lld, %s</title>", (long long)c->gave,
                        (long long)c->got, (long long)c->met, kith_status_name(c->status));
  rc |= kith_buf_printf(out, "<circle class=\"st-%s\" cx=\"%.1f\" cy=\"%.1f\" r=\"%.1f\"/>",
                        kith_status_name(c->status), n->x, n->y, r);
  rc |= kith_buf_printf(out, "<text x=\"%.1f\" y=\"%.1f\">", n->x, n->y + r + 14);
  rc |= kith_html_escape(out, label);
  rc |= kith_buf_puts(out, "</text></g>");
  return rc;
}

static int network_legend(KithBuf *out, size_t shown, size_t total) {
  static const KithStatus statuses[] = {KITH_STATUS_OK,      KITH_STATUS_NEW,
                                        KITH_STATUS_OWE,     KITH_STATUS_LET_THEM_HELP,
                                        KITH_STATUS_DORMANT, KITH_STATUS_OVERDUE};
  int rc = kith_buf_puts(out, "<p class=\"legend\">");
  for (size_t i = 0; i < sizeof statuses / sizeof *statuses; i++)
    rc |= kith_buf_printf(out, "<span><i class=\"key dot st-%s\"></i>%s</span>",
                          kith_status_name(statuses[i]), kith_status_name(statuses[i]));
  rc |= kith_buf_puts(out, "<span><i class=\"key line intro\"></i>you introduced them</span>"
                           "<span><i class=\"key line\"></i>together (items, meetings)</span>");
  if (shown < total)
    rc |= kith_buf_printf(out, "<span>the %zu contacts with the most connections, of %zu</span>",
                          shown, total);
  rc |= kith_buf_puts(out, "<span>a disc: as big as what you exchanged</span></p>");
  return rc;
}

int kith_network_section(KithBuf *out, const KithGraph *g) {
  const KithLedger *l = g->ledger;
  if (l->count == 0)
    return kith_buf_puts(out, "<p class=\"empty\">No contact yet.</p>");
  size_t count = l->count < KITH_NETWORK_NODES ? l->count : KITH_NETWORK_NODES;
  NetworkRank *order = malloc(l->count * sizeof *order);
  uint32_t *slot = malloc(l->count * sizeof *slot); // contact -> node + 1, 0 when not drawn
  KithLayoutNode *nodes = calloc(count, sizeof *nodes);
  KithLayoutEdge *edges = malloc((g->edge_count + 1) * sizeof *edges);
  double *radius = malloc(count * sizeof *radius);
  int rc = -1;
  if (!order || !slot || !nodes || !edges || !radius)
    goto done;
  for (size_t i = 0; i < l->count; i++) {
    order[i] = (NetworkRank){g->degree[i], l->contacts[i].interactions, (uint32_t)i};
    slot[i] = 0;
  }
  qsort(order, l->count, sizeof *order, network_cmp);
  int64_t most = 1;
  for (size_t i = 0; i < count; i++) {
    slot[order[i].contact] = (uint32_t)i + 1;
    most = order[i].interactions > most ? order[i].interactions : most;
  }
  for (size_t i = 0; i < count; i++) {
    const KithContact *c = &l->contacts[order[i].contact];
    radius[i] = 7 + 15 * sqrt((double)c->interactions / (double)most);
    char label[NETWORK_LABEL_CHARS * 4 + 4];
    kith_report_clip(label, sizeof label, c->name, NETWORK_LABEL_CHARS);
    double half = fmax(radius[i], kith_report_width(label) * 3.6 + 2);
    nodes[i] = (KithLayoutNode){half, half, radius[i], radius[i] + 18, 0, 0};
  }
  size_t drawn = 0;
  for (size_t i = 0; i < g->edge_count; i++) {
    const KithEdge *e = &g->edges[i];
    if (slot[e->a] && slot[e->b])
      edges[drawn++] = (KithLayoutEdge){slot[e->a] - 1, slot[e->b] - 1};
  }
  double width, height;
  if (kith_layout_run(nodes, count, edges, drawn, 110, 12, &width, &height) != 0)
    goto done;
  rc = network_legend(out, count, l->count);
  rc |= kith_buf_printf(out,
                        "<svg class=\"network\" "
                        "viewBox=\"0 0 %.0f %.0f\" width=\"%.0f\" height=\"%.0f\" role=\"img\" "
                        "aria-label=\"your network\"><g class=\"edges\">",
                        ceil(width), ceil(height), ceil(width), ceil(height));
  // Together first, introductions over them; then the discs over every line.
  for (int kind = KITH_EDGE_TOGETHER; kind >= KITH_EDGE_INTRO; kind--) {
    for (size_t i = 0; i < g->edge_count; i++) {
      const KithEdge *e = &g->edges[i];
      if ((int)e->kind == kind && slot[e->a] && slot[e->b])
        rc |= network_edge(out, &nodes[slot[e->a] - 1], &nodes[slot[e->b] - 1], e);
    }
  }
  rc |= kith_buf_puts(out, "</g><g class=\"nodes\">");
  for (size_t i = 0; i < count; i++)
    rc |= network_node(out, &l->contacts[order[i].contact], &nodes[i], radius[i]);
  rc |= kith_buf_puts(out, "</g></svg>");
done:
  free(order);
  free(slot);
  free(nodes);
  free(edges);
  free(radius);
  return rc ? -1 : 0;
}
