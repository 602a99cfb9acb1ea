#include "base/alloc.h"

#include <tree_sitter/api.h>

#ifdef KITH_HAVE_MIMALLOC
#include <mimalloc.h>
#endif

void kith_alloc_init(void) {
#ifdef KITH_HAVE_MIMALLOC
  ts_set_allocator(mi_malloc, mi_calloc, mi_realloc, mi_free);
#endif
}

const char *kith_alloc_name(void) {
#ifdef KITH_HAVE_MIMALLOC
  return "mimalloc";
#else
  return "libc";
#endif
}
