#include "notes/note.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

void kith_note_init(KithNote *note) {
  memset(note, 0, sizeof *note);
}

void kith_note_free(KithNote *note) {
  free(note->headings);
  free(note->interactions);
  free(note->followups);
  free(note->asks);
  free(note->linked);
  free(note->refs);
  free(note->aliases);
  free(note->diagnostics);
  kith_buf_free(&note->strings);
  kith_buf_free(&note->texts);
  kith_note_init(note);
}

const char *kith_note_str(const KithNote *note, uint32_t offset) {
  if (offset & KITH_NOTE_TEXT) {
    const char *texts = note->texts.data ? note->texts.data : note->texts_view;
    return texts ? texts + (offset & ~KITH_NOTE_TEXT) : "";
  }
  return note->strings.data ? note->strings.data + offset : "";
}

// Copies `len` bytes of `s` and a NUL into `buf`. Returns their offset, or UINT32_MAX when out
// of memory or past what an offset without KITH_NOTE_TEXT can say.
static uint32_t note_intern(KithBuf *buf, const char *s, size_t len) {
  size_t offset = buf->len;
  if (offset >= KITH_NOTE_TEXT - len - 1)
    return UINT32_MAX;
  if (kith_buf_append(buf, s, len) != 0 || kith_buf_putc(buf, '\0') != 0)
    return UINT32_MAX;
  return (uint32_t)offset;
}

uint32_t kith_note_intern(KithNote *note, const char *s, size_t len) {
  return note_intern(&note->strings, s, len);
}

uint32_t kith_note_intern_text(KithNote *note, const char *s, size_t len) {
  uint32_t offset = note_intern(&note->texts, s, len);
  return offset == UINT32_MAX ? offset : offset | KITH_NOTE_TEXT;
}

// Grows `*items` (of `size` bytes each) to hold one more. Returns 0 or -1.
static int note_grow(void **items, uint32_t *count, uint32_t *cap, size_t size) {
  if (*count < *cap)
    return 0;
  uint32_t next = *cap ? *cap * 2 : 8;
  void *grown = realloc(*items, (size_t)next * size);
  if (!grown)
    return -1;
  *items = grown;
  *cap = next;
  return 0;
}

int kith_note_add_heading(KithNote *note, const KithHeading *heading) {
  if (note_grow((void **)&note->headings, &note->heading_count, &note->heading_cap,
                sizeof *heading) != 0)
    return -1;
  note->headings[note->heading_count++] = *heading;
  return 0;
}

int kith_note_add_interaction(KithNote *note, const KithInteraction *interaction) {
  if (note_grow((void **)&note->interactions, &note->interaction_count, &note->interaction_cap,
                sizeof *interaction) != 0)
    return -1;
  note->interactions[note->interaction_count++] = *interaction;
  return 0;
}

int kith_note_add_followup(KithNote *note, const KithInteraction *followup) {
  if (note_grow((void **)&note->followups, &note->followup_count, &note->followup_cap,
                sizeof *followup) != 0)
    return -1;
  note->followups[note->followup_count++] = *followup;
  return 0;
}

int kith_note_add_ask(KithNote *note, const KithInteraction *ask) {
  if (note_grow((void **)&note->asks, &note->ask_count, &note->ask_cap, sizeof *ask) != 0)
    return -1;
  note->asks[note->ask_count++] = *ask;
  return 0;
}

int kith_note_add_linked(KithNote *note, const KithLinked *linked) {
  if (note_grow((void **)&note->linked, &note->linked_count, &note->linked_cap, sizeof *linked) !=
      0)
    return -1;
  note->linked[note->linked_count++] = *linked;
  return 0;
}

int kith_note_add_ref(KithNote *note, const KithRef *ref) {
  if (note_grow((void **)&note->refs, &note->ref_count, &note->ref_cap, sizeof *ref) != 0)
    return -1;
  note->refs[note->ref_count++] = *ref;
  return 0;
}

int kith_note_add_alias(KithNote *note, uint32_t alias) {
  if (note_grow((void **)&note->aliases, &note->alias_count, &note->alias_cap, sizeof alias) != 0)
    return -1;
  note->aliases[note->alias_count++] = alias;
  return 0;
}

const KithHeading *kith_note_contact_note(const KithNote *note) {
  return note->heading_count > 0 && note->headings[0].level == 0 ? &note->headings[0] : NULL;
}

int kith_note_add_diagnostic(KithNote *note, uint32_t line, uint32_t column, KithSeverity severity,
                             const char *fmt, ...) {
  char message[512];
  va_list ap;
  va_start(ap, fmt);
  int n = vsnprintf(message, sizeof message, fmt, ap);
  va_end(ap);
  if (n < 0)
    return -1;
  size_t len = (size_t)n < sizeof message ? (size_t)n : sizeof message - 1;
  uint32_t offset = kith_note_intern(note, message, len);
  if (offset == UINT32_MAX)
    return -1;
  if (note_grow((void **)&note->diagnostics, &note->diagnostic_count, &note->diagnostic_cap,
                sizeof(KithDiagnostic)) != 0)
    return -1;
  note->diagnostics[note->diagnostic_count++] = (KithDiagnostic){line, column, severity, offset};
  return 0;
}

// Shrinks `*items` (of `size` bytes each) to `count`; keeps it as it is when realloc fails.
// A copy of the `n` bytes at `p` in a block of their own, the grown one freed: shrinking in
// place would leave the freed tail as a hole that only smaller blocks fit, and a vault of notes
// shrunk so holds much memory that nothing uses. Returns the copy, or NULL (keep `p`).
static void *note_copy_exact(void *p, size_t n) {
  void *fit = malloc(n);
  if (!fit)
    return NULL;
  memcpy(fit, p, n);
  free(p);
  return fit;
}

static void note_fit(void **items, uint32_t count, uint32_t *cap, size_t size) {
  if (count == *cap || count == 0)
    return;
  void *fit = note_copy_exact(*items, (size_t)count * size);
  if (fit) {
    *items = fit;
    *cap = count;
  }
}

void kith_note_shrink(KithNote *note) {
  note_fit((void **)&note->headings, note->heading_count, &note->heading_cap,
           sizeof *note->headings);
  note_fit((void **)&note->interactions, note->interaction_count, &note->interaction_cap,
           sizeof *note->interactions);
  note_fit((void **)&note->followups, note->followup_count, &note->followup_cap,
           sizeof *note->followups);
  note_fit((void **)&note->asks, note->ask_count, &note->ask_cap, sizeof *note->asks);
  note_fit((void **)&note->linked, note->linked_count, &note->linked_cap, sizeof *note->linked);
  note_fit((void **)&note->refs, note->ref_count, &note->ref_cap, sizeof *note->refs);
  note_fit((void **)&note->aliases, note->alias_count, &note->alias_cap, sizeof *note->aliases);
  note_fit((void **)&note->diagnostics, note->diagnostic_count, &note->diagnostic_cap,
           sizeof *note->diagnostics);
  KithBuf *bufs[] = {&note->strings, &note->texts};
  for (size_t i = 0; i < 2; i++) {
    KithBuf *strings = bufs[i];
    if (strings->data && strings->len + 1 < strings->cap) {
      char *fit = note_copy_exact(strings->data, strings->len + 1);
      if (fit) {
        strings->data = fit;
        strings->cap = strings->len + 1;
      }
    }
  }
}

int kith_note_cannot_read(KithNote *note, const char *reason) {
  note->unreadable = true;
  return kith_note_add_diagnostic(note, 1, 1, KITH_SEVERITY_ERROR, "cannot read: %s", reason);
}

static int note_cmp_diagnostic(const void *a, const void *b) {
  const KithDiagnostic *x = a, *y = b;
  if (x->line != y->line)
    return x->line < y->line ? -1 : 1;
  if (x->column != y->column)
    return x->column < y->column ? -1 : 1;
  return x->message < y->message ? -1 : x->message > y->message;
}

void kith_note_sort_diagnostics(KithNote *note) {
  if (note->diagnostic_count > 1)
    qsort(note->diagnostics, note->diagnostic_count, sizeof *note->diagnostics,
          note_cmp_diagnostic);
}

const char *kith_severity_name(KithSeverity severity) {
  return severity == KITH_SEVERITY_ERROR ? "error" : "warning";
}

bool kith_linked_counted(const KithLinked *l) {
  return !l->planned && (l->item.gave > 0 || l->item.got > 0 || l->item.met > 0);
}
