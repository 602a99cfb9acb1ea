#include "ledger/pairs.h"

#include <stdlib.h>

// The counterparties of the item being walked.
typedef struct {
  const char **handles;
  size_t count, cap;
} PairsRun;

static int pairs_push(PairsRun *run, const char *handle) {
  if (run->count == run->cap) {
    size_t cap = run->cap ? run->cap * 2 : 8;
    const char **grown = realloc(run->handles, cap * sizeof *grown);
    if (!grown)
      return -1;
    run->handles = grown;
    run->cap = cap;
  }
  run->handles[run->count++] = handle;
  return 0;
}

// Hands the item `it` of note `note` to `fn` when it has two or more counterparties.
static int pairs_emit(PairsRun *run, uint32_t note, const KithInteraction *it, KithPairFn fn,
                      void *data) {
  if (run->count < 2)
    return 0;
  KithPairItem item = {note, it->line, it->day, it->intro, run->handles, run->count};
  return fn(data, &item);
}

int kith_pairs_walk(const KithNoteSet *set, const KithResolution *r, size_t overlay, KithPairFn fn,
                    void *data) {
  PairsRun run = {0};
  size_t party = 0;
  int rc = 0;
  for (size_t n = 0; n < set->count && rc == 0; n++) {
    const KithNote *note = set->notes[n];
    if (!note || n == overlay)
      continue;
    // Direct items: the records of one item are consecutive and share its marker's position.
    for (uint32_t i = 0; i < note->interaction_count && rc == 0;) {
      const KithInteraction *first = &note->interactions[i];
      run.count = 0;
      uint32_t k = i;
      for (; k < note->interaction_count && note->interactions[k].line == first->line &&
             note->interactions[k].column == first->column;
           k++) {
        if (pairs_push(&run, kith_note_str(note, note->interactions[k].handle)) != 0)
          rc = -1;
      }
      if (rc == 0)
        rc = pairs_emit(&run, (uint32_t)n, first, fn, data);
      i = k;
    }
    // Linked items: their parties, in set order, grouped by item.
    while (party < r->party_count && r->parties[party].note < n)
      party++;
    while (party < r->party_count && r->parties[party].note == n && rc == 0) {
      uint32_t item = r->parties[party].item;
      const KithLinked *l = &note->linked[item];
      run.count = 0;
      for (;
           party < r->party_count && r->parties[party].note == n && r->parties[party].item == item;
           party++) {
        if (pairs_push(&run, kith_resolution_str(r, r->parties[party].handle)) != 0)
          rc = -1;
      }
      if (rc == 0 && kith_linked_counted(l))
        rc = pairs_emit(&run, (uint32_t)n, &l->item, fn, data);
    }
  }
  free(run.handles);
  return rc;
}
