#pragma once

// The items that bring contacts together (SPEC §1 v3): every counted interaction with two or
// more counterparties, an introduction or not. The ledger takes its introductions from them,
// the graph its edges.

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "ledger/ledger.h"

/// One counted item with two or more distinct counterparties.
typedef struct {
  uint32_t note; // index of its note in the set
  uint32_t line; // its line (1 for a meeting note's own record)
  KithDay day;
  bool intro;                 // a give tagged `#intro`: an introduction of each pair
  const char *const *handles; // its counterparties, lower case, distinct (borrowed for the call)
  size_t count;               // two or more
} KithPairItem;

/// Called once per item; returns 0 to go on, non-zero to stop (kith_pairs_walk returns it).
typedef int (*KithPairFn)(void *data, const KithPairItem *item);

/// Calls `fn` for each counted item with two or more counterparties of the notes of `set`
/// (borrowed) but note number `overlay` (SIZE_MAX: none), in set order, then line order within a
/// note's direct items and its linked items; the counterparties of linked items are those of
/// `resolution` (borrowed: the ledger's). Returns 0, -1 when out of memory, or what `fn` returned.
int kith_pairs_walk(const KithNoteSet *set, const KithResolution *resolution, size_t overlay,
                    KithPairFn fn, void *data);
