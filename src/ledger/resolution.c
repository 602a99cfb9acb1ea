// Wiki links (SPEC §1 v2): the counterparties of a note's linked items, resolved against the
// names of the ledger's contacts, and the diagnostics that resolving gives (ambiguous links,
// names shared by two contacts). kith_ledger_build() resolves every note but the overlay; the
// host resolves a buffer's note on its own.

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "ledger/ledger.h"
#include "notes/entry.h"

const char *kith_resolution_str(const KithResolution *r, uint32_t offset) {
  return r->strings.data ? r->strings.data + offset : "";
}

void kith_resolution_free(KithResolution *r) {
  free(r->parties);
  free(r->diagnostics);
  kith_buf_free(&r->strings);
  memset(r, 0, sizeof *r);
}

static uint32_t resolution_intern(KithResolution *r, const char *s) {
  size_t offset = r->strings.len, len = strlen(s);
  if (offset >= UINT32_MAX - len - 1 || kith_buf_append(&r->strings, s, len + 1) != 0)
    return UINT32_MAX; // `s` with its NUL
  return (uint32_t)offset;
}

// Adds `handle` (borrowed) as a counterparty of linked item `item` of note `note`, unless the
// parties from `from` on already have it. Returns 0 or -1.
static int resolution_party(KithResolution *r, size_t from, uint32_t note, uint32_t item,
                            const char *handle) {
  for (size_t i = from; i < r->party_count; i++) {
    if (strcmp(kith_resolution_str(r, r->parties[i].handle), handle) == 0)
      return 0;
  }
  if (r->party_count == r->party_cap) {
    size_t cap = r->party_cap ? r->party_cap * 2 : 16;
    KithParty *grown = realloc(r->parties, cap * sizeof *grown);
    if (!grown)
      return -1;
    r->parties = grown;
    r->party_cap = cap;
  }
  uint32_t h = resolution_intern(r, handle);
  if (h == UINT32_MAX)
    return -1;
  r->parties[r->party_count++] = (KithParty){note, item, h};
  return 0;
}

static int resolution_diagnostic(KithResolution *r, uint32_t note, uint32_t line, uint32_t column,
                                 KithSeverity severity, const char *fmt, ...)
    __attribute__((format(printf, 6, 7)));

static int resolution_diagnostic(KithResolution *r, uint32_t note, uint32_t line, uint32_t column,
                                 KithSeverity severity, const char *fmt, ...) {
  char message[512];
  va_list ap;
  va_start(ap, fmt);
  int n = vsnprintf(message, sizeof message, fmt, ap);
  va_end(ap);
  if (n < 0)
    return -1;
  if (r->diagnostic_count == r->diagnostic_cap) {
    size_t cap = r->diagnostic_cap ? r->diagnostic_cap * 2 : 16;
    KithLedgerDiagnostic *grown = realloc(r->diagnostics, cap * sizeof *grown);
    if (!grown)
      return -1;
    r->diagnostics = grown;
    r->diagnostic_cap = cap;
  }
  uint32_t offset = resolution_intern(r, message);
  if (offset == UINT32_MAX)
    return -1;
  r->diagnostics[r->diagnostic_count++] =
      (KithLedgerDiagnostic){note, {line, column, severity, offset}};
  return 0;
}

static int resolution_cmp_diagnostic(const void *a, const void *b) {
  const KithLedgerDiagnostic *x = a, *y = b;
  if (x->note != y->note)
    return x->note < y->note ? -1 : 1;
  if (x->at.line != y->at.line)
    return x->at.line < y->at.line ? -1 : 1;
  if (x->at.column != y->at.column)
    return x->at.column < y->at.column ? -1 : 1;
  return x->at.message < y->at.message ? -1 : x->at.message > y->at.message;
}

const KithLedgerDiagnostic *kith_resolution_diagnostics(const KithResolution *r, uint32_t note,
                                                        size_t *count) {
  size_t lo = 0, hi = r->diagnostic_count;
  while (lo < hi) {
    size_t mid = lo + (hi - lo) / 2;
    if (r->diagnostics[mid].note < note)
      lo = mid + 1;
    else
      hi = mid;
  }
  size_t end = lo;
  while (end < r->diagnostic_count && r->diagnostics[end].note == note)
    end++;
  *count = end - lo;
  return *count ? &r->diagnostics[lo] : NULL;
}

enum { LEDGER_CANDIDATES = 5 }; // candidates an ambiguity message lists

// The contacts ref `ref` (a wiki link of `note`) names: fills at most LEDGER_CANDIDATES into
// `handles` and returns how many there are.
static uint32_t ledger_link(const KithLedger *ledger, const KithNote *note, const KithRef *ref,
                            const char **handles) {
  const char *key = kith_note_str(note, ref->key);
  const KithNameKey *k = kith_names_find(&ledger->names, key, strlen(key));
  return k ? kith_names_handles(&ledger->names, k, handles, LEDGER_CANDIDATES) : 0;
}

// The warning for a link that names `n` contacts (`handles`, at most LEDGER_CANDIDATES).
static int ledger_ambiguous(KithResolution *out, uint32_t index, const KithNote *note,
                            const KithRef *ref, const char **handles, uint32_t n) {
  char list[256] = "";
  size_t used = 0;
  for (uint32_t i = 0; i < n && i < LEDGER_CANDIDATES && used < sizeof list; i++)
    used += (size_t)snprintf(list + used, sizeof list - used, "%s@%s", i ? ", " : "", handles[i]);
  if (n > LEDGER_CANDIDATES && used < sizeof list)
    snprintf(list + used, sizeof list - used, ", …");
  const char *link = kith_note_str(note, ref->link);
  return resolution_diagnostic(out, index, ref->line, ref->column, KITH_SEVERITY_WARNING,
                               strncmp(link, "[[", 2) == 0 ? "ambiguous link %s: %s"
                                                           : "ambiguous name '%s': %s",
                               link, list);
}

// The contact ref `ref` of `note` names, or NULL: a handle, or a wiki link that names exactly
// one contact (one that names several is a warning). Sets *rc to -1 when out of memory.
static const char *ledger_ref(const KithLedger *ledger, uint32_t index, const KithNote *note,
                              const KithRef *ref, KithResolution *out, int *rc) {
  if (ref->link == UINT32_MAX)
    return kith_note_str(note, ref->key);
  const char *handles[LEDGER_CANDIDATES];
  uint32_t n = ledger_link(ledger, note, ref, handles);
  if (n > 1 && ledger_ambiguous(out, index, note, ref, handles, n) != 0)
    *rc = -1;
  return n == 1 ? handles[0] : NULL;
}

// The contact an entry of a meeting's people property is (SPEC §1 v3), or NULL: a handle as it
// is; a name or wiki link resolves against the declared contacts' names (several: the
// ambiguous-link warning), else it is the contact whose handle is derived from it. With `say`,
// what is wrong is a warning (a meeting's people are shared by its items: said once).
static const char *ledger_person(const KithLedger *ledger, uint32_t index, const KithNote *note,
                                 const KithRef *ref, bool say, KithResolution *out, int *rc) {
  if (ref->link == UINT32_MAX)
    return kith_note_str(note, ref->key);
  const char *key = kith_note_str(note, ref->key);
  const KithNameKey *k = kith_names_find(&ledger->names, key, strlen(key));
  const char *handles[LEDGER_CANDIDATES];
  uint32_t n = k ? kith_names_declared_handles(&ledger->names, k, handles, LEDGER_CANDIDATES) : 0;
  if (n == 1)
    return handles[0];
  if (n > 1) {
    if (say && ledger_ambiguous(out, index, note, ref, handles, n) != 0)
      *rc = -1;
    return NULL;
  }
  if (ref->derived != UINT32_MAX)
    return kith_note_str(note, ref->derived);
  if (say && resolution_diagnostic(out, index, ref->line, ref->column, KITH_SEVERITY_WARNING,
                                   "cannot derive a handle from '%s' (give them a contact note "
                                   "with handle: in its front matter)",
                                   kith_note_str(note, ref->name)) != 0)
    *rc = -1;
  return NULL;
}

// Resolves linked item `i` of `note` (SPEC §1 v2, v3): the leading run's handles and the
// contacts its links name, else its contact section, else the meeting's people, else the first
// of its fallbacks that names one. `say_people`: warn about the meeting's people here.
static int ledger_resolve_item(const KithLedger *ledger, uint32_t index, const KithNote *note,
                               uint32_t i, bool say_people, KithResolution *out) {
  const KithLinked *l = &note->linked[i];
  const KithRef *refs = &note->refs[l->refs];
  size_t from = out->party_count;
  int rc = 0;
  for (uint32_t k = 0; k < l->run && rc == 0; k++) {
    const char *one = ledger_ref(ledger, index, note, &refs[k], out, &rc);
    if (one && rc == 0)
      rc = resolution_party(out, from, index, i, one);
  }
  if (rc != 0 || out->party_count > from)
    return rc;
  if (l->item.section >= 0)
    return resolution_party(out, from, index, i,
                            kith_note_str(note, note->headings[l->item.section].handle));
  for (uint32_t k = l->run; k < l->run + l->people && rc == 0; k++) {
    const char *one = ledger_person(ledger, index, note, &refs[k], say_people, out, &rc);
    if (one && rc == 0)
      rc = resolution_party(out, from, index, i, one);
  }
  if (rc != 0 || out->party_count > from)
    return rc;
  for (uint32_t k = l->run + l->people; k < l->run + l->people + l->fallback && rc == 0; k++) {
    const char *one = ledger_ref(ledger, index, note, &refs[k], out, &rc);
    if (one && rc == 0)
      return resolution_party(out, from, index, i, one);
  }
  if (rc != 0)
    return rc;
  return resolution_diagnostic(out, index, l->item.line, l->item.column, KITH_SEVERITY_WARNING,
                               "interaction names no contact");
}

static const char *const ledger_name_words[] = {
    [KITH_NAME_HEADING] = "name", [KITH_NAME_NOTE] = "name",    [KITH_NAME_FILE] = "file name",
    [KITH_NAME_ALIAS] = "alias",  [KITH_NAME_MEETING] = "name",
};

// Warns at each declaration of `note` (number `index`) whose name another contact had first,
// when either is a contact note's name, file name or alias. Returns 0 or -1.
static int ledger_shared_names(const KithLedger *ledger, uint32_t index, const char *path,
                               const KithNote *note, KithResolution *out) {
  KithNoteName *own;
  long count = kith_names_of_note(note, &own);
  if (count <= 0)
    return (int)count;
  // The key of each of its names, one after the other in `keys`.
  KithBuf keys = KITH_BUF_INIT;
  size_t *at = calloc((size_t)count, sizeof *at);
  int rc = at ? 0 : -1;
  for (long j = 0; rc == 0 && j < count; j++) {
    size_t len = strlen(own[j].text);
    at[j] = keys.len;
    if (kith_buf_reserve(&keys, len + 1) != 0) {
      rc = -1;
      break;
    }
    keys.len += kith_entry_name_key(keys.data + keys.len, own[j].text, len);
    keys.data[keys.len++] = '\0';
  }
  for (long j = 0; rc == 0 && j < count; j++) {
    const char *key = keys.data + at[j];
    const KithNameKey *k = *key ? kith_names_find(&ledger->names, key, strlen(key)) : NULL;
    if (!k)
      continue;
    // The first declaration of this name: in a note before this one, else in this one.
    const KithName *first = &ledger->names.names[k->first];
    const char *first_handle, *first_path = path;
    uint32_t first_line;
    KithNameKind first_kind;
    if (first->note < index) {
      first_handle = kith_names_str(&ledger->names, first->handle);
      first_path = kith_names_str(&ledger->names, first->path);
      first_line = first->line;
      first_kind = first->kind;
    } else {
      long e = 0;
      while (e < j && strcmp(keys.data + at[e], key) != 0)
        e++;
      first_handle = own[e].handle;
      first_line = own[e].line;
      first_kind = own[e].kind;
      if (first_line >= own[j].line)
        continue;
    }
    if (strcmp(first_handle, own[j].handle) == 0 ||
        (first_kind == KITH_NAME_HEADING && own[j].kind == KITH_NAME_HEADING))
      continue;
    bool said = false; // one warning per declaration and name
    for (long e = 0; e < j && !said; e++)
      said = own[e].line == own[j].line && strcmp(keys.data + at[e], key) == 0;
    if (!said)
      rc = resolution_diagnostic(out, index, own[j].line, 1, KITH_SEVERITY_WARNING,
                                 "%s '%s' is also @%s's (%s:%u)", ledger_name_words[own[j].kind],
                                 own[j].text, first_handle, first_path, first_line);
  }
  kith_buf_free(&keys);
  free(at);
  free(own);
  return rc;
}

int kith_ledger_resolve(const KithLedger *ledger, uint32_t index, const char *path,
                        const KithNote *note, KithResolution *out) {
  size_t first = out->diagnostic_count;
  bool say_people = true; // the first item with the meeting's people says what is wrong
  for (uint32_t i = 0; i < note->linked_count; i++) {
    if (ledger_resolve_item(ledger, index, note, i, say_people, out) != 0)
      return -1;
    say_people &= note->linked[i].people == 0;
  }
  if (ledger_shared_names(ledger, index, path ? path : "", note, out) != 0)
    return -1;
  if (out->diagnostic_count - first > 1)
    qsort(out->diagnostics + first, out->diagnostic_count - first, sizeof *out->diagnostics,
          resolution_cmp_diagnostic);
  return 0;
}
