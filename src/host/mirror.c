#include "host/mirror.h"

#include <stdlib.h>
#include <string.h>

void kith_mirror_init(KithMirror *mirror) {
  memset(mirror, 0, sizeof *mirror);
}

void kith_mirror_free(KithMirror *mirror) {
  free(mirror->text);
  free(mirror->starts);
  if (mirror->tree)
    ts_tree_delete(mirror->tree);
  kith_mirror_init(mirror);
}

void kith_mirror_set_tree(KithMirror *mirror, TSTree *tree) {
  if (mirror->tree)
    ts_tree_delete(mirror->tree);
  mirror->tree = tree;
}

int kith_mirror_apply(KithMirror *m, int64_t first, int64_t last, const KithMirrorLine *lines,
                      size_t count) {
  if (last < 0) {
    first = 0;
    last = (int64_t)m->line_count;
  }
  if (first < 0 || first > last || last > (int64_t)m->line_count)
    return -2;
  size_t start = first < (int64_t)m->line_count ? m->starts[first] : m->len;
  size_t old_end = last < (int64_t)m->line_count ? m->starts[last] : m->len;
  size_t added = 0;
  for (size_t i = 0; i < count; i++)
    added += lines[i].len + 1;
  size_t new_len = m->len - (old_end - start) + added;
  size_t new_count = m->line_count - (size_t)(last - first) + count;
  if (new_len >= UINT32_MAX)
    return -1;
  // Grow both buffers first, so that running out of memory changes nothing.
  if (new_len + 1 > m->cap) {
    size_t cap = m->cap ? m->cap : 4096;
    while (cap < new_len + 1)
      cap *= 2;
    char *grown = realloc(m->text, cap);
    if (!grown)
      return -1;
    m->text = grown;
    m->cap = cap;
  }
  if (new_count > m->starts_cap) {
    size_t cap = m->starts_cap ? m->starts_cap : 256;
    while (cap < new_count)
      cap *= 2;
    uint32_t *grown = realloc(m->starts, cap * sizeof *grown);
    if (!grown)
      return -1;
    m->starts = grown;
    m->starts_cap = cap;
  }
  memmove(m->text + start + added, m->text + old_end, m->len - old_end);
  char *p = m->text + start;
  for (size_t i = 0; i < count; i++) {
    memcpy(p, lines[i].ptr, lines[i].len);
    // A NUL inside a line arrives as "\n" from Neovim (its own NL convention); keep the byte
    // count, and let the note parser see a newline-free line.
    for (size_t k = 0; k < lines[i].len; k++) {
      if (p[k] == '\n')
        p[k] = '\0';
    }
    p += lines[i].len;
    *p++ = '\n';
  }
  m->len = new_len;
  m->text[m->len] = '\0';
  // The line starts: the lines after the change move by as many lines and bytes as changed
  // (each line ends in exactly one '\n'), the new lines are counted.
  size_t tail = m->line_count - (size_t)last;
  if (tail > 0)
    memmove(&m->starts[first + (int64_t)count], &m->starts[last], tail * sizeof *m->starts);
  uint32_t shift = (uint32_t)(start + added) - (uint32_t)old_end; // modulo 2^32
  for (size_t i = (size_t)first + count; i < new_count; i++)
    m->starts[i] += shift;
  uint32_t at = (uint32_t)start;
  for (size_t i = 0; i < count; i++) {
    m->starts[(size_t)first + i] = at;
    at += (uint32_t)lines[i].len + 1;
  }
  m->line_count = new_count;
  if (m->tree) {
    TSInputEdit edit = {
        .start_byte = (uint32_t)start,
        .old_end_byte = (uint32_t)old_end,
        .new_end_byte = (uint32_t)(start + added),
        .start_point = {(uint32_t)first, 0},
        .old_end_point = {(uint32_t)last, 0},
        .new_end_point = {(uint32_t)(first + (int64_t)count), 0},
    };
    ts_tree_edit(m->tree, &edit);
  }
  return 0;
}
