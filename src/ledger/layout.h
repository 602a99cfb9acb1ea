#pragma once

// Where to draw the nodes of a small graph (the HTML report's network, SPEC §3 v3): stress
// majorization over hop distances per connected component, overlap removal, the components
// packed in rows; all deterministic (no randomness: the same graph and sizes give the same
// positions, to the bit).

#include <stddef.h>
#include <stdint.h>

/// A node as the layout sees it: the box it needs around its centre (the disc and the label
/// under it), and where the layout put that centre.
typedef struct {
  double left, right, up, down; // extent of its box from the centre (all >= 0)
  double x, y;                  // the centre (set by kith_layout_run)
} KithLayoutNode;

/// An edge between nodes `a` and `b` (indexes), drawn as a straight line.
typedef struct {
  uint32_t a, b;
} KithLayoutEdge;

/// The gap kept between any two nodes' boxes.
enum { KITH_LAYOUT_GAP = 6 };

/// Lays out `count` nodes (caller owns; their boxes set) joined by `edges` (borrowed): nodes
/// one hop apart about `unit` apart, boxes never overlapping (KITH_LAYOUT_GAP apart), the
/// whole moved so that every box lies in x, y >= 0 from `margin` on. Sets `*width`, `*height`
/// to the extent of the boxes plus the margin on each side. Returns 0 or -1 (out of memory).
int kith_layout_run(KithLayoutNode *nodes, size_t count, const KithLayoutEdge *edges,
                    size_t edge_count, double unit, double margin, double *width, double *height);

/// Whether the boxes of nodes `a` and `b` (borrowed) come closer than `gap`.
int kith_layout_overlap(const KithLayoutNode *a, const KithLayoutNode *b, double gap);
