// The network (SPEC §3 v3 `kith graph`): nodes and edges (intro, together) with their counts and
// dates, as JSON, DOT (escaped so that Graphviz's `dot` accepts any name) and text; and the
// layout the HTML report draws it with (deterministic, no two nodes overlapping).

// popen() and mkstemp() are POSIX / XSI.
#define _XOPEN_SOURCE 700

#include "harness.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <unistd.h>

#include "ledger/graph.h"
#include "ledger/layout.h"
#include "ledger/network.h"

static void network_vault(HarnessVault *v) {
  harness_vault(v, "2026-11-26", NULL,                                        //
                "daily/2026-11-20.md",                                        //
                "- #gave #intro @alice @bob\n"                                // 1: intro
                "- 2026-11-10 #met @alice @bob @carol lunch\n"                // 2: together
                "- 2026-11-12 #met @bob, @alice coffee\n"                     // 3: together
                "- 2026-11-13 #got #intro @carol @dan\n"                      // 4: no give:
                "- [ ] 2026-11-30 #met @dan @eve\n"                           // 5: planned
                "- 2026-11-14 #ask @eve @fay\n",                              // 6: an ask
                "meetings/2026-11-18 Sync.md",                                //
                "---\npeople: [\"@carol\", \"@dan\"]\n---\n- #gave #intro\n", // 4: intro
                NULL);
}

static void test_edges(void) {
  HarnessVault v;
  network_vault(&v);
  KithGraph g;
  CHECK_INT(kith_graph_build(&g, &v.ledger, &v.set), 0);
  KithBuf out = KITH_BUF_INIT;
  CHECK_INT(kith_graph_json(&out, &g), 0);
  // Nodes: every listed contact (eve and fay for their ask; eve's follow-up too).
  CHECK(out.data && strstr(out.data, "{\"today\":\"2026-11-26\",\"nodes\":[{\"handle\":\"alice\","
                                     "\"name\":\"alice\",\"gave\":1,\"got\":0,\"met\":2,"
                                     "\"status\":\"ok\"},{\"handle\":\"bob\""));
  CHECK(out.data && strstr(out.data, "{\"handle\":\"fay\",\"name\":\"fay\",\"gave\":0,\"got\":0,"
                                     "\"met\":0,\"status\":\"new\"}]"));
  // Edges: a < b, then kind; the meeting's own record and its give: carol-dan together (the
  // meeting) and intro (its item); 11-13 is a receive: together, not an introduction.
  CHECK_STR(strstr(out.data ? out.data : "", "\"edges\":"),
            "\"edges\":["
            "{\"a\":\"alice\",\"b\":\"bob\",\"kind\":\"intro\",\"count\":1,"
            "\"first_date\":\"2026-11-20\",\"last_date\":\"2026-11-20\"},"
            "{\"a\":\"alice\",\"b\":\"bob\",\"kind\":\"together\",\"count\":2,"
            "\"first_date\":\"2026-11-10\",\"last_date\":\"2026-11-12\"},"
            "{\"a\":\"alice\",\"b\":\"carol\",\"kind\":\"together\",\"count\":1,"
            "\"first_date\":\"2026-11-10\",\"last_date\":\"2026-11-10\"},"
            "{\"a\":\"bob\",\"b\":\"carol\",\"kind\":\"together\",\"count\":1,"
            "\"first_date\":\"2026-11-10\",\"last_date\":\"2026-11-10\"},"
            "{\"a\":\"carol\",\"b\":\"dan\",\"kind\":\"intro\",\"count\":1,"
            "\"first_date\":\"2026-11-18\",\"last_date\":\"2026-11-18\"},"
            "{\"a\":\"carol\",\"b\":\"dan\",\"kind\":\"together\",\"count\":2,"
            "\"first_date\":\"2026-11-13\",\"last_date\":\"2026-11-18\"}]}\n");
  out.len = 0;
  CHECK_INT(kith_graph_text(&out, &g), 0);
  CHECK(out.data && strstr(out.data, "@alice -- @bob    intro       1  2026-11-20\n"));
  CHECK(out.data &&
        strstr(out.data, "@alice -- @bob    together    2  2026-11-10 .. 2026-11-12\n"));
  CHECK_INT(g.degree[0], 3); // alice: bob twice (two kinds), carol
  kith_buf_free(&out);
  kith_graph_free(&g);
  harness_vault_free(&v);
}

static void test_no_edges(void) {
  HarnessVault v;
  harness_vault(&v, "2026-11-26", NULL, "a.md", "## Ann @ann\n- 2026-11-01 #gave\n", NULL);
  KithGraph g;
  CHECK_INT(kith_graph_build(&g, &v.ledger, &v.set), 0);
  KithBuf out = KITH_BUF_INIT;
  CHECK_INT(kith_graph_text(&out, &g), 0);
  CHECK(out.data && strstr(out.data, "No introductions and no time together yet"));
  out.len = 0;
  CHECK_INT(kith_graph_json(&out, &g), 0);
  CHECK(out.data && strstr(out.data, "\"edges\":[]}"));
  kith_buf_free(&out);
  kith_graph_free(&g);
  harness_vault_free(&v);
}

// A name no DOT or HTML writer can take as it is (and as YAML writes it).
static const char *const HOSTILE = "Eve \"<b>\" \\ O'Brien";
#define HOSTILE_YAML "\"Eve \\\"<b>\\\" \\\\ O'Brien\""

static void test_dot_escaping(void) {
  KithBuf out = KITH_BUF_INIT;
  CHECK_INT(kith_graph_dot_string(&out, HOSTILE), 0);
  CHECK_STR(out.data, "\"Eve \\\"<b>\\\" \\\\ O'Brien\"");
  out.len = 0;
  CHECK_INT(kith_graph_dot_string(&out, "two\nlines\r\nand\ta \x01 bell \xff"), 0);
  CHECK_STR(out.data, "\"two\\nlines\\nand a   bell \xEF\xBF\xBD\"");
  kith_buf_free(&out);
}

// Whether Graphviz's `dot` turns `text` into SVG (with the hostile name as text). -1: no dot.
static int dot_accepts(const char *text, const char *must_hold) {
  if (system("command -v dot >/dev/null 2>&1") != 0)
    return -1;
  char in[] = "/tmp/kith-test-graph-XXXXXX";
  int fd = mkstemp(in);
  if (fd < 0)
    return 0;
  FILE *f = fdopen(fd, "w");
  fputs(text, f);
  fclose(f);
  char cmd[256];
  snprintf(cmd, sizeof cmd, "dot -Tsvg '%s' 2>&1", in);
  FILE *p = popen(cmd, "r");
  KithBuf svg = KITH_BUF_INIT;
  char chunk[4096];
  size_t n;
  while (p && (n = fread(chunk, 1, sizeof chunk, p)) > 0)
    kith_buf_append(&svg, chunk, n);
  int status = p ? pclose(p) : -1;
  unlink(in);
  int ok = status == 0 && svg.data && strstr(svg.data, "<svg") && strstr(svg.data, must_hold) &&
           !strstr(svg.data, "Warning") && !strstr(svg.data, "Error");
  if (!ok)
    fprintf(stderr, "dot said:\n%s\n", svg.data ? svg.data : "(nothing)");
  kith_buf_free(&svg);
  return ok;
}

static void test_dot(void) {
  const char *note = "---\nhandle: \"@eve\"\nname: " HOSTILE_YAML "\n---\n"
                     "- 2026-11-02 #gave #intro @eve @bob\n";
  HarnessVault v;
  harness_vault(&v, "2026-11-26", NULL, "people/eve.md", note, NULL);
  KithGraph g;
  CHECK_INT(kith_graph_build(&g, &v.ledger, &v.set), 0);
  KithBuf out = KITH_BUF_INIT;
  CHECK_INT(kith_graph_dot(&out, &g), 0);
  CHECK(out.data && strstr(out.data, "graph kith {\n"));
  CHECK(out.data && strstr(out.data, "  \"eve\" [label=\"Eve \\\"<b>\\\" \\\\ O'Brien\", "
                                     "status=\"let-them-help\"];\n") == NULL); // gave 1 < 3
  CHECK(out.data && strstr(out.data, "  \"eve\" [label=\"Eve \\\"<b>\\\" \\\\ O'Brien\", "
                                     "status=\"ok\"];\n"));
  CHECK(out.data && strstr(out.data, "  \"bob\" -- \"eve\" [kind=\"intro\", count=1, penwidth=1, "
                                     "style=bold];\n"));
  // As Graphviz writes text in SVG: the quotes, the brackets and the backslash as they are.
  int accepted = dot_accepts(out.data ? out.data : "", "Eve &quot;&lt;b&gt;&quot; \\ O&#39;Brien");
  if (accepted < 0)
    printf("graph: dot -Tsvg skipped: no Graphviz (make test installs Debian's graphviz)\n");
  else
    CHECK(accepted == 1);
  kith_buf_free(&out);
  kith_graph_free(&g);
  harness_vault_free(&v);
}

// --- the layout ------------------------------------------------------------------------------

// A reproducible graph of `n` nodes (a ring with chords, and a few loose nodes) and node boxes
// of varied sizes.
static size_t layout_case(uint32_t seed, size_t n, KithLayoutNode *nodes, KithLayoutEdge *edges) {
  uint32_t x = seed * 2654435761u + 1;
  size_t count = 0;
  for (size_t i = 0; i < n; i++) {
    x = x * 1103515245u + 12345u;
    double r = 7 + (x >> 16) % 16, label = 10 + (x >> 8) % 80;
    nodes[i] = (KithLayoutNode){label > r ? label : r, label > r ? label : r, r, r + 18, 0, 0};
    if (i > 0 && i < n - 3)
      edges[count++] = (KithLayoutEdge){(uint32_t)(i - 1), (uint32_t)i};
    if (i > 4 && (x >> 20) % 3 == 0)
      edges[count++] = (KithLayoutEdge){(uint32_t)((x >> 4) % i), (uint32_t)i};
  }
  return count;
}

static void test_layout(void) {
  enum { N = KITH_NETWORK_NODES };
  KithLayoutNode a[N], b[N];
  KithLayoutEdge edges[2 * N];
  for (uint32_t seed = 1; seed <= 12; seed++) {
    size_t n = seed == 1 ? 1 : seed == 2 ? 2 : seed * 5;
    n = n > N ? N : n;
    size_t m = layout_case(seed, n, a, edges);
    memcpy(b, a, sizeof a);
    double w1, h1, w2, h2;
    CHECK_INT(kith_layout_run(a, n, edges, m, 110, 12, &w1, &h1), 0);
    CHECK_INT(kith_layout_run(b, n, edges, m, 110, 12, &w2, &h2), 0);
    CHECK(memcmp(a, b, n * sizeof *a) == 0 && w1 == w2 && h1 == h2); // to the bit
    for (size_t i = 0; i < n; i++) {
      harness_checks++;
      if (a[i].x - a[i].left < 11.999 || a[i].y - a[i].up < 11.999 ||
          a[i].x + a[i].right > w1 - 11.999 || a[i].y + a[i].down > h1 - 11.999)
        harness_fail(__FILE__, __LINE__, "seed %u: node %zu's box outside %gx%g", seed, i, w1, h1);
      for (size_t j = i + 1; j < n; j++) {
        harness_checks++;
        if (kith_layout_overlap(&a[i], &a[j], KITH_LAYOUT_GAP - 0.01))
          harness_fail(__FILE__, __LINE__, "seed %u: nodes %zu and %zu overlap", seed, i, j);
      }
    }
    // Neighbours are nearer than the average pair: the layout shows the structure.
    double near = 0, all = 0;
    for (size_t e = 0; e < m; e++)
      near += hypot(a[edges[e].a].x - a[edges[e].b].x, a[edges[e].a].y - a[edges[e].b].y);
    for (size_t i = 0; i < n; i++)
      for (size_t j = i + 1; j < n; j++)
        all += hypot(a[i].x - a[j].x, a[i].y - a[j].y);
    if (n >= 10 && m > 0)
      CHECK(near / (double)m < all / ((double)n * (double)(n - 1) / 2));
  }
}

// The section: at most KITH_NETWORK_NODES discs, names escaped.
static void test_section(void) {
  char text[8192];
  size_t at = 0;
  at += (size_t)snprintf(text + at, sizeof text - at,
                         "---\nhandle: \"@eve\"\nname: %s\n---\n- 2026-11-01 #gave #intro @eve",
                         HOSTILE_YAML);
  for (int i = 0; i < 70; i++)
    at += (size_t)snprintf(text + at, sizeof text - at, " @p%02d", i);
  snprintf(text + at, sizeof text - at, "\n");
  HarnessVault v;
  harness_vault(&v, "2026-11-26", NULL, "people/eve.md", text, NULL);
  KithGraph g;
  CHECK_INT(kith_graph_build(&g, &v.ledger, &v.set), 0);
  KithBuf out = KITH_BUF_INIT;
  CHECK_INT(kith_network_section(&out, &g), 0);
  size_t discs = 0;
  for (const char *p = out.data; p && (p = strstr(p, "<circle")); p++)
    discs++;
  CHECK_INT(discs, KITH_NETWORK_NODES);
  CHECK(out.data && strstr(out.data, "Eve &quot;&lt;b&gt;&quot; \\ O&#39;Brien"));
  CHECK(out.data && !strstr(out.data, "<b>"));
  CHECK(out.data && strstr(out.data, "the 60 contacts with the most connections, of 71"));
  kith_buf_free(&out);
  kith_graph_free(&g);
  harness_vault_free(&v);
}

int main(void) {
  RUN(test_edges);
  RUN(test_no_edges);
  RUN(test_dot_escaping);
  RUN(test_dot);
  RUN(test_layout);
  RUN(test_section);
  return harness_finish("graph");
}
