#include "ledger/layout.h"

#include <math.h>
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>

enum { LAYOUT_STRESS_ROUNDS = 300, LAYOUT_OVERLAP_ROUNDS = 400 };

// The layout: each connected component by stress majorization over hop distances, overlaps
// pushed apart (a grid when that fails), then the components packed in rows, the biggest first
// (single contacts last, close together).

int kith_layout_overlap(const KithLayoutNode *a, const KithLayoutNode *b, double gap) {
  return a->x - a->left < b->x + b->right + gap && b->x - b->left < a->x + a->right + gap &&
         a->y - a->up < b->y + b->down + gap && b->y - b->up < a->y + a->down + gap;
}

// Hop distances between every two nodes (breadth first from each), `count` × `count`; a pair in
// different components gets the longest distance found plus one.
static int layout_distances(size_t count, const KithLayoutEdge *edges, size_t edge_count,
                            double *dist) {
  uint32_t *degree = calloc(count + 1, sizeof *degree);
  uint32_t *adjacent = malloc((edge_count * 2 + 1) * sizeof *adjacent);
  uint32_t *queue = malloc((count + 1) * sizeof *queue);
  int *hops = malloc((count + 1) * sizeof *hops);
  int rc = -1;
  if (!degree || !adjacent || !queue || !hops)
    goto done;
  // Adjacency lists, compressed: the neighbours of i are adjacent[degree[i] .. degree[i+1]).
  for (size_t e = 0; e < edge_count; e++) {
    degree[edges[e].a + 1]++;
    degree[edges[e].b + 1]++;
  }
  for (size_t i = 0; i < count; i++)
    degree[i + 1] += degree[i];
  uint32_t *fill = queue; // borrowed as the fill pointers for a moment
  memcpy(fill, degree, count * sizeof *fill);
  for (size_t e = 0; e < edge_count; e++) {
    adjacent[fill[edges[e].a]++] = edges[e].b;
    adjacent[fill[edges[e].b]++] = edges[e].a;
  }
  int longest = 1;
  for (size_t s = 0; s < count; s++) {
    for (size_t i = 0; i < count; i++)
      hops[i] = -1;
    size_t head = 0, tail = 0;
    hops[s] = 0;
    queue[tail++] = (uint32_t)s;
    while (head < tail) {
      uint32_t u = queue[head++];
      for (uint32_t k = degree[u]; k < degree[u + 1]; k++) {
        uint32_t v = adjacent[k];
        if (hops[v] < 0) {
          hops[v] = hops[u] + 1;
          longest = hops[v] > longest ? hops[v] : longest;
          queue[tail++] = v;
        }
      }
    }
    for (size_t i = 0; i < count; i++)
      dist[s * count + i] = hops[i];
  }
  for (size_t i = 0; i < count * count; i++) {
    if (dist[i] < 0)
      dist[i] = longest + 1;
  }
  rc = 0;
done:
  free(degree);
  free(adjacent);
  free(queue);
  free(hops);
  return rc;
}

// Stress majorization (Gansner, Koren and North 2004), the localized update: each round moves
// every node to the weighted mean of where each other node says it should be, at its ideal
// distance `unit * hops`, weighted by 1 / distance². Starts from a spiral of the nodes in order.
static void layout_stress(KithLayoutNode *nodes, size_t count, const double *dist, double unit) {
  for (size_t i = 0; i < count; i++) {
    double angle = 2.399963229728653 * (double)i; // the golden angle: no two nodes coincide
    double radius = unit * 0.6 * sqrt((double)i + 0.5);
    nodes[i].x = radius * cos(angle);
    nodes[i].y = radius * sin(angle);
  }
  for (int round = 0; round < LAYOUT_STRESS_ROUNDS; round++) {
    for (size_t i = 0; i < count; i++) {
      double sx = 0, sy = 0, sw = 0;
      for (size_t j = 0; j < count; j++) {
        if (j == i)
          continue;
        double d = unit * dist[i * count + j];
        double w = 1.0 / (d * d);
        double dx = nodes[i].x - nodes[j].x, dy = nodes[i].y - nodes[j].y;
        double len = sqrt(dx * dx + dy * dy);
        if (len < 1e-9) { // on top of each other: part them along a fixed direction
          dx = (double)(i < j ? 1 : -1);
          dy = 0;
          len = 1;
        }
        sx += w * (nodes[j].x + d * dx / len);
        sy += w * (nodes[j].y + d * dy / len);
        sw += w;
      }
      if (sw > 0) {
        nodes[i].x = sx / sw;
        nodes[i].y = sy / sw;
      }
    }
  }
}

// Pushes overlapping boxes apart, each pair along the axis where they overlap least, half each
// way. Returns whether the boxes are free of overlaps.
static int layout_separate(KithLayoutNode *nodes, size_t count) {
  for (int round = 0; round < LAYOUT_OVERLAP_ROUNDS; round++) {
    int moved = 0;
    for (size_t i = 0; i < count; i++) {
      for (size_t j = i + 1; j < count; j++) {
        KithLayoutNode *a = &nodes[i], *b = &nodes[j];
        if (!kith_layout_overlap(a, b, KITH_LAYOUT_GAP))
          continue;
        moved = 1;
        // How far b must go right / left / down / up to clear a (plus a little).
        double right = a->x + a->right + KITH_LAYOUT_GAP - (b->x - b->left) + 0.5;
        double left = b->x + b->right + KITH_LAYOUT_GAP - (a->x - a->left) + 0.5;
        double down = a->y + a->down + KITH_LAYOUT_GAP - (b->y - b->up) + 0.5;
        double up = b->y + b->down + KITH_LAYOUT_GAP - (a->y - a->up) + 0.5;
        double horizontal = b->x >= a->x ? right : -left;
        double vertical = b->y >= a->y ? down : -up;
        if (fabs(horizontal) <= fabs(vertical)) {
          a->x -= horizontal / 2;
          b->x += horizontal / 2;
        } else {
          a->y -= vertical / 2;
          b->y += vertical / 2;
        }
      }
    }
    if (!moved)
      return 1;
  }
  for (size_t i = 0; i < count; i++) {
    for (size_t j = i + 1; j < count; j++) {
      if (kith_layout_overlap(&nodes[i], &nodes[j], KITH_LAYOUT_GAP))
        return 0;
    }
  }
  return 1;
}

// The fallback that always works: the nodes in rows, in order, each cell as big as the biggest
// box.
static void layout_grid(KithLayoutNode *nodes, size_t count) {
  double w = 0, h = 0;
  for (size_t i = 0; i < count; i++) {
    w = fmax(w, nodes[i].left + nodes[i].right);
    h = fmax(h, nodes[i].up + nodes[i].down);
  }
  size_t columns = (size_t)ceil(sqrt((double)count));
  for (size_t i = 0; i < count; i++) {
    nodes[i].x = (double)(i % columns) * (w + KITH_LAYOUT_GAP + 1) + nodes[i].left;
    nodes[i].y = (double)(i / columns) * (h + KITH_LAYOUT_GAP + 1) + nodes[i].up;
  }
}

// Lays out one connected component (`count` nodes joined by `edges`, indexes local) and moves
// it so that its boxes begin at 0, 0; sets its extent. Returns 0 or -1.
static int layout_component(KithLayoutNode *nodes, size_t count, const KithLayoutEdge *edges,
                            size_t edge_count, double unit, double *width, double *height) {
  if (count > 1) {
    double *dist = malloc(count * count * sizeof *dist);
    if (!dist || layout_distances(count, edges, edge_count, dist) != 0) {
      free(dist);
      return -1;
    }
    layout_stress(nodes, count, dist, unit);
    free(dist);
    if (!layout_separate(nodes, count))
      layout_grid(nodes, count);
  } else {
    nodes[0].x = nodes[0].y = 0;
  }
  double x0 = nodes[0].x - nodes[0].left, y0 = nodes[0].y - nodes[0].up;
  double x1 = nodes[0].x + nodes[0].right, y1 = nodes[0].y + nodes[0].down;
  for (size_t i = 1; i < count; i++) {
    x0 = fmin(x0, nodes[i].x - nodes[i].left);
    y0 = fmin(y0, nodes[i].y - nodes[i].up);
    x1 = fmax(x1, nodes[i].x + nodes[i].right);
    y1 = fmax(y1, nodes[i].y + nodes[i].down);
  }
  for (size_t i = 0; i < count; i++) {
    nodes[i].x -= x0;
    nodes[i].y -= y0;
  }
  *width = x1 - x0;
  *height = y1 - y0;
  return 0;
}

// A connected component while the layout packs them.
typedef struct {
  uint32_t first; // its first member (the lowest index): the tie-break
  uint32_t size;  // how many members
  double width, height, x, y;
} LayoutPart;

static int layout_cmp_part(const void *l, const void *r) {
  const LayoutPart *a = l, *b = r;
  if (a->size != b->size)
    return a->size > b->size ? -1 : 1;
  return a->first < b->first ? -1 : a->first > b->first;
}

int kith_layout_run(KithLayoutNode *nodes, size_t count, const KithLayoutEdge *edges,
                    size_t edge_count, double unit, double margin, double *width, double *height) {
  *width = *height = 2 * margin;
  if (count == 0)
    return 0;
  // Components by union-find (with path halving), each labelled by its lowest member.
  uint32_t *parent = malloc(count * sizeof *parent);
  uint32_t *local = malloc(count * sizeof *local);     // a node's index within its part
  uint32_t *order = malloc(count * sizeof *order);     // members, part by part
  uint32_t *part_of = malloc(count * sizeof *part_of); // a root's part
  LayoutPart *parts = calloc(count, sizeof *parts);
  KithLayoutNode *work = malloc(count * sizeof *work);
  KithLayoutEdge *sub = malloc((edge_count + 1) * sizeof *sub);
  int rc = -1;
  if (!parent || !local || !order || !part_of || !parts || !work || !sub)
    goto done;
  for (size_t i = 0; i < count; i++)
    parent[i] = (uint32_t)i;
  for (size_t e = 0; e < edge_count; e++) {
    uint32_t a = edges[e].a, b = edges[e].b;
    while (parent[a] != a)
      a = parent[a] = parent[parent[a]];
    while (parent[b] != b)
      b = parent[b] = parent[parent[b]];
    if (a != b)
      parent[a > b ? a : b] = a < b ? a : b;
  }
  size_t part_count = 0;
  for (size_t i = 0; i < count; i++) {
    uint32_t r = (uint32_t)i;
    while (parent[r] != r)
      r = parent[r];
    parent[i] = r;
    if (r == i) {
      part_of[i] = (uint32_t)part_count;
      parts[part_count++] = (LayoutPart){(uint32_t)i, 0, 0, 0, 0, 0};
    }
    local[i] = parts[part_of[r]].size++;
  }
  // Each part on its own.
  size_t at = 0;
  for (size_t p = 0; p < part_count; p++) {
    size_t n = 0, m = 0;
    for (size_t i = 0; i < count; i++) {
      if (part_of[parent[i]] == p) {
        order[at + n] = (uint32_t)i;
        work[n++] = nodes[i];
      }
    }
    for (size_t e = 0; e < edge_count; e++) {
      if (part_of[parent[edges[e].a]] == p)
        sub[m++] = (KithLayoutEdge){local[edges[e].a], local[edges[e].b]};
    }
    if (layout_component(work, n, sub, m, unit, &parts[p].width, &parts[p].height) != 0)
      goto done;
    for (size_t k = 0; k < n; k++)
      nodes[order[at + k]] = work[k];
    at += n;
  }
  // Packing, the biggest part first, each at the highest (then leftmost) free place: the
  // left edge or the right of a placed part, the top or the bottom of one; rows no wider than
  // the widest part or a square's side, whichever is more.
  double area = 0, widest = 0;
  for (size_t p = 0; p < part_count; p++) {
    area += (parts[p].width + unit / 2) * (parts[p].height + unit / 2);
    widest = fmax(widest, parts[p].width);
  }
  double row_width = fmax(widest, sqrt(area) * 1.4), gap = unit / 3;
  LayoutPart *sorted = malloc(part_count * sizeof *sorted);
  double *xs = malloc((part_count + 1) * sizeof *xs), *ys = malloc((part_count + 1) * sizeof *ys);
  if (!sorted || !xs || !ys) {
    free(sorted);
    free(xs);
    free(ys);
    goto done;
  }
  memcpy(sorted, parts, part_count * sizeof *sorted);
  qsort(sorted, part_count, sizeof *sorted, layout_cmp_part);
  double right = 0, bottom = 0;
  for (size_t p = 0; p < part_count; p++) {
    LayoutPart *q = &sorted[p];
    xs[0] = ys[0] = 0;
    for (size_t k = 0; k < p; k++) {
      xs[k + 1] = sorted[k].x + sorted[k].width + gap;
      ys[k + 1] = sorted[k].y + sorted[k].height + gap;
    }
    double best_x = 0, best_y = HUGE_VAL;
    for (size_t i = 0; i <= p; i++) {
      for (size_t j = 0; j <= p; j++) {
        double x = xs[i], y = ys[j];
        if ((x > 0 && x + q->width > row_width) || y > best_y || (y == best_y && x >= best_x))
          continue;
        bool free_here = true;
        for (size_t k = 0; k < p && free_here; k++) {
          const LayoutPart *o = &sorted[k];
          free_here = x >= o->x + o->width + gap || o->x >= x + q->width + gap ||
                      y >= o->y + o->height + gap || o->y >= y + q->height + gap;
        }
        if (free_here) {
          best_x = x;
          best_y = y;
        }
      }
    }
    if (best_y == HUGE_VAL) { // nowhere in the rows: below everything
      best_x = 0;
      best_y = bottom > 0 ? bottom + gap : 0;
    }
    q->x = best_x;
    q->y = best_y;
    parts[part_of[q->first]].x = best_x;
    parts[part_of[q->first]].y = best_y;
    right = fmax(right, best_x + q->width);
    bottom = fmax(bottom, best_y + q->height);
  }
  free(sorted);
  free(xs);
  free(ys);
  for (size_t i = 0; i < count; i++) {
    const LayoutPart *p = &parts[part_of[parent[i]]];
    nodes[i].x += p->x + margin;
    nodes[i].y += p->y + margin;
  }
  *width = right + 2 * margin;
  *height = bottom + 2 * margin;
  rc = 0;
done:
  free(parent);
  free(local);
  free(order);
  free(part_of);
  free(parts);
  free(work);
  free(sub);
  return rc;
}
