#include "cli_args.h"

#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "notes/date.h"

const char kith_cli_usage[] =
    "usage: kith <command> [options]\n"
    "\n"
    "commands:\n"
    "  balances [--json] [--today D] [--dormant-days N] [--accept-help-after N] [VAULT]\n"
    "      the give/receive balance of every contact (a table, or JSON)\n"
    "  check [--json] [--today D] [VAULT]\n"
    "      diagnostics as path:line:col: severity: message; exit 1 if any error\n"
    "  agenda [--json] [--today D] [--days N] [--dates-days N] [--dormant-days N]\n"
    "         [--accept-help-after N] [VAULT]\n"
    "      what to do now: follow-ups overdue and due within N days (default 7),\n"
    "      birthdays within --dates-days (default 14), open asks, then contacts to\n"
    "      reach out to, to give first to, you owe, to let help you\n"
    "  history HANDLE [--json] [--today D] [VAULT]\n"
    "      one contact's interactions and follow-ups, newest first\n"
    "  report [--by week|month|quarter|year] [--from D] [--to D] [--handle H]...\n"
    "         [--json|--csv|--html FILE] [--width N] [--today D] [VAULT]\n"
    "      gives, receives and touch points per contact per period (default: the 12\n"
    "      months ending with --to, default today); --html writes a page with charts\n"
    "  graph [--json|--dot|--html FILE] [--today D] [VAULT]\n"
    "      the network: introductions you made and time contacts spent together (edges,\n"
    "      one a line; JSON; Graphviz DOT for dot -Tsvg; a page that draws it)\n"
    "  template NAME [--handle H] [--today D] [--templates DIR] [VAULT]\n"
    "      print an expanded template (reflection, contact, meeting, review, ...)\n"
    "  template --list [--templates DIR]\n"
    "      the names of the templates\n"
    "  init [--obsidian] [DIR]\n"
    "      write DIR/.kith (default: the current directory) with the settings that fit\n"
    "      the notes found there; --obsidian also in a folder that holds .obsidian\n"
    "  serve\n"
    "      the msgpack-RPC host for Neovim, on stdio\n"
    "  --version, --help\n"
    "\n"
    "A VAULT is a directory of Markdown notes. Left out, it is the nearest of the current\n"
    "directory and its ancestors that holds a .kith or .obsidian entry (mark a vault with an\n"
    "empty .kith file). Its .kith file may hold settings (which notes are contact and\n"
    "meeting notes, folders to ignore, the defaults of the options); a flag given beats them.\n"
    "Dates are YYYY-MM-DD; --today defaults to the local date.\n"
    "Every command that reads a VAULT keeps its parsed notes in $XDG_CACHE_HOME/kith/ (else\n"
    "~/.cache/kith/) and re-parses only the notes that changed; --no-cache skips the cache.\n";

int kith_cli_usage_error(const char *fmt, const char *arg) {
  fputs("kith: ", stderr);
  fprintf(stderr, fmt, arg);
  fputs(" (see kith --help)\n", stderr);
  return 2;
}

static int cli_int(const char *s, int lo, int hi, int *out) {
  char *end = NULL;
  long v = strtol(s, &end, 10);
  if (!*s || *end || v < lo || v > hi)
    return -1;
  *out = (int)v;
  return 0;
}

bool kith_cli_takes(const char *command, const char *option) {
  static const struct {
    const char *command, *options;
  } table[] = {
      {"balances", " --json --today --dormant-days --accept-help-after --no-cache "},
      {"check", " --json --today --no-cache "},
      {"agenda",
       " --json --today --days --dates-days --dormant-days --accept-help-after --no-cache "},
      {"history", " --json --today --no-cache "},
      {"template", " --handle --today --templates --list --no-cache "},
      {"report", " --json --csv --html --by --from --to --handle --width --today --no-cache "},
      {"graph", " --json --dot --html --today --no-cache "},
      {"init", " --obsidian "},
  };
  for (size_t i = 0; i < sizeof table / sizeof *table; i++) {
    if (strcmp(table[i].command, command) == 0) {
      char key[64];
      snprintf(key, sizeof key, " %s ", option);
      return strstr(table[i].options, key) != NULL;
    }
  }
  return false;
}

char *kith_cli_lower(const char *s) {
  char *lower = strdup(s);
  for (char *p = lower; p && *p; p++)
    *p = (*p >= 'A' && *p <= 'Z') ? (char)(*p - 'A' + 'a') : *p;
  return lower;
}

int kith_cli_args_parse(int argc, char **argv, CliArgs *args) {
  for (int i = 2; i < argc; i++) {
    char *arg = argv[i];
    if (arg[0] != '-' || strcmp(arg, "-") == 0) {
      if (args->positional_count == 2)
        return kith_cli_usage_error("unexpected argument '%s'", arg);
      args->positional[args->positional_count++] = arg;
      continue;
    }
    char name[64];
    const char *value = NULL;
    const char *eq = strchr(arg, '=');
    size_t name_len = eq ? (size_t)(eq - arg) : strlen(arg);
    if (name_len >= sizeof name)
      return kith_cli_usage_error("unknown option '%s'", arg);
    memcpy(name, arg, name_len);
    name[name_len] = '\0';
    if (!kith_cli_takes(args->command, name))
      return kith_cli_usage_error("unknown option '%s'", name);
    static const struct {
      const char *name;
      size_t offset;
    } flags[] = {
        {"--json", offsetof(CliArgs, json)},         {"--list", offsetof(CliArgs, list)},
        {"--csv", offsetof(CliArgs, csv)},           {"--no-cache", offsetof(CliArgs, no_cache)},
        {"--obsidian", offsetof(CliArgs, obsidian)}, {"--dot", offsetof(CliArgs, dot)},
    };
    bool flag = false;
    for (size_t f = 0; f < sizeof flags / sizeof *flags && !flag; f++) {
      if (strcmp(name, flags[f].name) == 0) {
        if (eq)
          return kith_cli_usage_error("option '%s' takes no value", name);
        *(bool *)((char *)args + flags[f].offset) = true;
        flag = true;
      }
    }
    if (flag)
      continue;
    if (eq) {
      value = eq + 1;
    } else if (i + 1 < argc) {
      value = argv[++i];
    } else {
      return kith_cli_usage_error("option '%s' needs a value", name);
    }
    if (strcmp(name, "--today") == 0) {
      if (kith_date_parse(value, strlen(value), &args->ledger.today) != 0)
        return kith_cli_usage_error("--today needs a real date YYYY-MM-DD, not '%s'", value);
    } else if (strcmp(name, "--dormant-days") == 0) {
      if (cli_int(value, 0, 1000000, &args->ledger.dormant_days) != 0)
        return kith_cli_usage_error("--dormant-days needs a whole number of days, not '%s'", value);
      args->has_dormant_days = true;
    } else if (strcmp(name, "--accept-help-after") == 0) {
      if (cli_int(value, 0, 1000000, &args->ledger.accept_help_after) != 0)
        return kith_cli_usage_error("--accept-help-after needs a whole number, not '%s'", value);
      args->has_accept_help_after = true;
    } else if (strcmp(name, "--days") == 0) {
      if (cli_int(value, 0, 100000, &args->days) != 0)
        return kith_cli_usage_error("--days needs a whole number of days, not '%s'", value);
      args->has_days = true;
    } else if (strcmp(name, "--dates-days") == 0) {
      if (cli_int(value, 0, 366, &args->dates_days) != 0)
        return kith_cli_usage_error("--dates-days needs a whole number of days (0-366), not '%s'",
                                    value);
      args->has_dates_days = true;
    } else if (strcmp(name, "--handle") == 0) {
      args->handle = value[0] == '@' ? value + 1 : value;
      if (!*args->handle)
        return kith_cli_usage_error("--handle needs a handle, not '%s'", value);
      if (args->handles && !(args->handles[args->handle_count++] = kith_cli_lower(args->handle)))
        return kith_cli_usage_error("%s", "out of memory");
    } else if (strcmp(name, "--templates") == 0) {
      args->templates = value;
    } else if (strcmp(name, "--by") == 0) {
      if (kith_period_unit_parse(value, &args->by) != 0)
        return kith_cli_usage_error("--by needs week, month, quarter or year, not '%s'", value);
    } else if (strcmp(name, "--from") == 0 || strcmp(name, "--to") == 0) {
      bool to = name[2] == 't';
      if (kith_date_parse(value, strlen(value), to ? &args->to : &args->from) != 0)
        return kith_cli_usage_error(to ? "--to needs a real date YYYY-MM-DD, not '%s'"
                                       : "--from needs a real date YYYY-MM-DD, not '%s'",
                                    value);
      *(to ? &args->has_to : &args->has_from) = true;
    } else if (strcmp(name, "--html") == 0) {
      if (!*value)
        return kith_cli_usage_error("%s", "--html needs a FILE");
      args->html = value;
    } else if (strcmp(name, "--width") == 0) {
      int width;
      if (cli_int(value, 0, 100000, &width) != 0)
        return kith_cli_usage_error(
            "--width needs a whole number of columns (0: no limit), not '%s'", value);
      args->width = (size_t)width;
    }
  }
  return 0;
}

void kith_cli_args_settle(CliArgs *args, const KithSettings *settings) {
  if (!args->has_dormant_days)
    args->ledger.dormant_days = settings->dormant_days;
  if (!args->has_accept_help_after)
    args->ledger.accept_help_after = settings->accept_help_after;
  if (!args->has_days)
    args->days = settings->due_days;
  if (!args->has_dates_days)
    args->dates_days = settings->dates_days;
}

void kith_cli_args_free(CliArgs *args) {
  for (size_t i = 0; i < args->handle_count; i++)
    free(args->handles[i]);
  free(args->handles);
}
