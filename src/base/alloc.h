#pragma once

/// Chooses tree-sitter's allocator. Tree-sitter allocates a node per token, and on two cores
/// glibc's malloc is a fifth of a vault parse; with mimalloc (libmimalloc-dev, when found at
/// build time, never under the sanitizers) tree-sitter's allocations go there. Call once,
/// first thing in main, before any tree-sitter object exists.
void kith_alloc_init(void);

/// The name of the allocator tree-sitter uses ("mimalloc" or "libc"; static).
const char *kith_alloc_name(void);
