#pragma once

// A vault: the directory walk of SPEC §1 (which files are notes).

#include <stddef.h>

#include "notes/settings.h"

typedef struct {
  char *path; // relative to the root, '/'-separated (owned)
  int error;  // 0, or the errno of a directory or file that could not be opened
} KithVaultEntry;

typedef struct {
  char *root; // as given (owned)
  KithVaultEntry *entries;
  size_t count, cap;
} KithVault;

/// Walks `root` (borrowed): every *.md / *.markdown file below it, skipping directories whose
/// name begins with '.' and node_modules, and (v3) the folders `settings` (borrowed; NULL: none)
/// ignore, not following directory symlinks. Entries come sorted bytewise by path. Returns 0,
/// or -1 with *error set (caller frees) when the root cannot be opened. Caller frees with
/// kith_vault_free().
int kith_vault_open(KithVault *vault, const char *root, const KithSettings *settings, char **error);

/// Frees what the vault owns.
void kith_vault_free(KithVault *vault);

/// The vault holding directory `start` (borrowed): the nearest of `start` and its ancestors that
/// holds an entry named `.kith` or `.obsidian` (SPEC §3, §5: vaults are explicit). Returns a
/// new string (caller frees), or NULL when there is none.
char *kith_vault_find(const char *start);

/// True when `name` (borrowed) ends in .md or .markdown.
int kith_vault_is_note_name(const char *name);
