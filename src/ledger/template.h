#pragma once

// Templates (SPEC §4): built-ins compiled in from templates/*.md, overridden and extended by
// a user's templates directory.

#include <stddef.h>

#include "base/buf.h"
#include "ledger/ledger.h"
#include "ledger/report.h"
#include "notes/date.h"

typedef struct {
  KithDay today;
  const char *handle;       // borrowed, may be NULL
  const char *name;         // borrowed, may be NULL (then the handle)
  const KithLedger *ledger; // borrowed, may be NULL (review lists are then empty)
  const KithNoteSet *notes; // borrowed, may be NULL
  int dates_days;           // (v3) {{birthdays}} lists those within this many days
} KithTemplateVars;

/// Expands template `name` (borrowed) into `out`. Looks in `dir` (borrowed, may be NULL) for
/// `name.md` first, then the built-ins. Returns 0; -1 when there is no such template; -2 on an
/// unknown placeholder or a bad template (nothing is appended then). *error gets a one-line
/// message naming the template (and line and placeholder); caller frees.
int kith_template_render(KithBuf *out, const char *name, const char *dir,
                         const KithTemplateVars *vars, char **error);

/// Appends the names of all templates (built-ins and those in `dir`), one per line, sorted.
int kith_template_list(KithBuf *out, const char *dir);
