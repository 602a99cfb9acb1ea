#pragma once

// Vault settings (SPEC §1 v3): the `.kith` file at a vault's root (YAML, read with libyaml,
// bounded as front matter is) and what Obsidian's own settings say about folders kith must not
// read (`.obsidian/templates.json` `folder`, `.obsidian/app.json` `userIgnoreFilters`). The
// command line and the editor read them the same way; what a flag or an editor option gives
// explicitly beats them (the caller decides that: see KithSettingOrigin).

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "notes/note.h"

/// The settings file, relative to the vault: where its diagnostics are reported.
#define KITH_SETTINGS_FILE ".kith"

/// `.kith` longer than this is an error, never handed to libyaml; so are settings nested deeper
/// than KITH_SETTINGS_MAX_DEPTH.
enum { KITH_SETTINGS_MAX_BYTES = 64 * 1024, KITH_SETTINGS_MAX_DEPTH = 32 };

/// The settings, in the order `kith init` and :checkhealth list them.
typedef enum {
  KITH_SETTING_CONTACT_FOLDERS = 0,
  KITH_SETTING_CONTACT_TAGS,
  KITH_SETTING_CONTACT_PROPERTIES,
  KITH_SETTING_MEETING_PEOPLE,
  KITH_SETTING_MEETING_DATE,
  KITH_SETTING_IGNORE,
  KITH_SETTING_DORMANT_DAYS,
  KITH_SETTING_ACCEPT_HELP_AFTER,
  KITH_SETTING_DUE_DAYS,
  KITH_SETTING_DATES_DAYS,
  KITH_SETTING_COUNT,
} KithSettingKey;

/// Where a setting's value came from.
typedef enum {
  KITH_FROM_DEFAULT = 0,
  KITH_FROM_FILE,     // .kith
  KITH_FROM_OBSIDIAN, // .obsidian/*.json (the folders kith ignores)
  KITH_FROM_OPTION,   // a command-line flag or an editor option (set by the caller)
} KithSettingOrigin;

/// A list of strings (each owned).
typedef struct {
  char **items;
  size_t count;
} KithStrings;

/// One rule of `contacts.properties`: a property whose value holds one of `values`.
typedef struct {
  char *name;         // the property's name (owned)
  KithStrings values; // compared case-insensitively after unwrapping a wiki link
} KithPropertyRule;

typedef struct {
  KithStrings folders;          // contacts.folders: `/`-separated, no `/` at the ends (compared
                                // case-insensitively)
  KithStrings tags;             // contacts.tags: without `#`, folded to lower case
  KithPropertyRule *properties; // contacts.properties
  size_t property_count;
  KithStrings people; // meetings.people: property names
  KithStrings dates;  // meetings.date: property names
  KithStrings ignore; // `ignore` and Obsidian's templates and excluded folders, like folders
  int dormant_days;   // the defaults of the options of the same name
  int accept_help_after;
  int due_days;
  int dates_days;
  KithSettingOrigin origin[KITH_SETTING_COUNT];
  bool has_file;   // the vault has a `.kith` file
  KithNote note;   // diagnostics on `.kith` (and nothing else)
  uint64_t digest; // of what a note's parse depends on (contacts and meetings)
} KithSettings;

/// Fills `settings` with the defaults of SPEC §1 v3 (owns nothing yet beyond them). Returns 0,
/// or -1 when out of memory. Caller frees with kith_settings_free().
int kith_settings_default(KithSettings *settings);

/// The defaults (static, made once; never freed), for parses that are given no settings.
const KithSettings *kith_settings_defaults(void);

/// Reads the settings of the vault at `root` (borrowed): the defaults, then `.kith` (when it
/// exists) and Obsidian's settings files. A `.kith` that is not YAML is an error at its line 1
/// and every default holds; an unknown key or a value of the wrong type is a warning at its line
/// and that key keeps its default (in settings->note). Returns 0, or -1 when out of memory.
/// Caller frees with kith_settings_free().
int kith_settings_read(KithSettings *settings, const char *root);

/// The same, from the text of `.kith` (borrowed, `len` bytes; NULL: there is none) and with
/// Obsidian's settings read from `root` (borrowed; NULL: none). For the editor, which may hold
/// `.kith` in a buffer, and for tests.
int kith_settings_parse(KithSettings *settings, const char *text, size_t len, const char *root);

/// Copies what a parse needs of `src` (borrowed) into `dst` (no diagnostics; caller frees with
/// kith_settings_free()), for a parse on another thread. Returns 0 or -1 when out of memory.
int kith_settings_copy(KithSettings *dst, const KithSettings *src);

/// Whether `a` and `b` (borrowed) say the same: the same values and the same diagnostics.
bool kith_settings_same(const KithSettings *a, const KithSettings *b);

/// Frees what the settings own and leaves them empty.
void kith_settings_free(KithSettings *settings);

/// Whether `rel` (a path relative to the vault, `/`-separated, borrowed) lies below one of
/// `folders` (as KithSettings keeps them).
bool kith_settings_below(const KithStrings *folders, const char *rel);

/// Whether `rel` (a directory or file relative to the vault, borrowed) is one of the folders the
/// settings ignore (`ignore`, Obsidian's templates and excluded folders) or lies below one.
bool kith_settings_ignored(const KithSettings *settings, const char *rel);

/// The name a setting has in `.kith` (`contacts.folders`, `dormant_days`, ...; static).
const char *kith_settings_name(KithSettingKey key);

/// "default", ".kith", ".obsidian" or "option" (static).
const char *kith_settings_origin_name(KithSettingOrigin origin);
