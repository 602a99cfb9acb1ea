#pragma once

// The settings `kith init` writes (SPEC §3 v3): what the notes under a folder say about how they
// are kept — a top-level folder of people, people named by a property or a tag, meetings that
// list who was there, Obsidian's templates folder — as `.kith` text, each setting with a
// comment saying what it was found from.

#include "base/buf.h"

/// Appends to `out` the `.kith` text that fits the notes under `root` (borrowed). Reads the
/// notes' front matter only. Returns 0, or -1 with *error set (caller frees) when `root` cannot
/// be read.
int kith_detect_settings(const char *root, KithBuf *out, char **error);
