#pragma once

// What src/notes/settings.c (the settings, their lists, defaults and comparisons) and
// settings_file.c (reading `.kith` and Obsidian's files) share. Private to those files.

#include "notes/settings.h"

/// The names of the settings in `.kith`, by KithSettingKey.
extern const char *const settings_names[KITH_SETTING_COUNT];

/// Empties a list (frees its strings).
void settings_strings_free(KithStrings *list);
/// Appends a copy of `s` (`n` bytes): folded to lower case when `fold`. Returns 0 or -1.
int settings_strings_add(KithStrings *list, const char *s, size_t n, bool fold);
/// Appends a folder name: trimmed of spaces and of `/` at both ends (`./` dropped); an empty
/// one (the vault itself) is left out. Returns 0 or -1.
int settings_add_folder(KithStrings *list, const char *s, size_t n);
/// Frees the property rules of `s`.
void settings_rules_free(KithSettings *s);
/// Appends the rule "property `name` (`n` bytes) holds one of its values" (none yet). Returns
/// it, or NULL when out of memory.
KithPropertyRule *settings_add_rule(KithSettings *s, const char *name, size_t n);

/// Reads `.kith` (`text`, `len` bytes, borrowed) over the settings in `s`, its diagnostics into
/// s->note. Returns 0 or -1 when out of memory.
int settings_file_read(KithSettings *s, const char *text, size_t len);
/// Adds Obsidian's templates folder and excluded folders under `root` (borrowed) to s->ignore.
/// Returns 0 or -1 when out of memory.
int settings_obsidian_read(KithSettings *s, const char *root);
