#pragma once

// The command line's arguments (src/cli.c runs the commands): which options each command takes,
// how they are parsed, and how flags and a vault's settings (SPEC §1 v3) combine: a flag given
// explicitly beats `.kith`, which beats the defaults.

#include <stdbool.h>
#include <stddef.h>

#include "ledger/ledger.h"
#include "ledger/period.h"
#include "notes/settings.h"

/// The text of `kith --help` (static).
extern const char kith_cli_usage[];

// Parsed options of every command (each command reads the ones it takes).
typedef struct {
  const char *command;
  const char *positional[2];
  int positional_count;
  bool json;
  bool list;
  bool no_cache; // --no-cache: parse every note, neither read nor write the cache
  const char *handle;
  const char *templates;
  int days;       // agenda: follow-ups due within this many days
  int dates_days; // agenda: birthdays within this many days
  KithLedgerOptions ledger;
  // Which of the options that vault settings may give were given as flags (they win).
  bool has_days, has_dates_days, has_dormant_days, has_accept_help_after;
  bool obsidian; // init: --obsidian
  bool dot;      // graph: --dot
  // report
  KithPeriodUnit by;
  bool has_from, has_to, csv;
  KithDay from, to;
  const char *html; // the file --html writes ("-": standard output)
  size_t width;
  char **handles; // every --handle, lower case without `@` (owned, argc slots)
  size_t handle_count;
} CliArgs;

/// Prints `kith: <fmt with arg> (see kith --help)` to stderr. Returns 2, the exit code.
int kith_cli_usage_error(const char *fmt, const char *arg);

/// Whether `command` (borrowed) is a command of the command line that takes `option`.
bool kith_cli_takes(const char *command, const char *option);

/// Parses argv[2..] (borrowed) into `args` (its command and defaults already set). Returns 0, or
/// an exit code after printing a message.
int kith_cli_args_parse(int argc, char **argv, CliArgs *args);

/// Takes the options no flag gave from the vault's `settings` (borrowed): the ledger's
/// dormant_days and accept_help_after, the agenda's days and dates_days.
void kith_cli_args_settle(CliArgs *args, const KithSettings *settings);

/// A lower-case copy of `s` (borrowed; caller frees), or NULL when out of memory.
char *kith_cli_lower(const char *s);

/// Frees what `args` owns.
void kith_cli_args_free(CliArgs *args);
