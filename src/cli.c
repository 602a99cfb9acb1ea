// realpath() is XSI.
#define _XOPEN_SOURCE 700

#include "cli.h"

#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "base/alloc.h"
#include "base/buf.h"
#include "host/server.h"
#include "ledger/activity.h"
#include "ledger/agenda.h"
#include "ledger/history.h"
#include "ledger/html.h"
#include "ledger/ledger.h"
#include "ledger/report.h"
#include "ledger/template.h"
#include "notes/grammar.h"
#include "notes/index.h"
#include "notes/treesitter.h"
#include "notes/vault.h"

#ifndef KITH_GRAMMAR_VERSION
#define KITH_GRAMMAR_VERSION "unknown"
#endif

static const char cli_usage[] =
    "usage: kith <command> [options]\n"
    "\n"
    "commands:\n"
    "  balances [--json] [--today D] [--dormant-days N] [--accept-help-after N] [VAULT]\n"
    "      the give/receive balance of every contact (a table, or JSON)\n"
    "  check [--json] [--today D] [VAULT]\n"
    "      diagnostics as path:line:col: severity: message; exit 1 if any error\n"
    "  agenda [--json] [--today D] [--days N] [--dormant-days N] [--accept-help-after N]\n"
    "         [VAULT]\n"
    "      what to do now: follow-ups overdue and due within N days (default 7), then\n"
    "      contacts to reach out to, to give first to, you owe, to let help you\n"
    "  history HANDLE [--json] [--today D] [VAULT]\n"
    "      one contact's interactions and follow-ups, newest first\n"
    "  report [--by week|month|quarter|year] [--from D] [--to D] [--handle H]...\n"
    "         [--json|--csv|--html FILE] [--width N] [--today D] [VAULT]\n"
    "      gives, receives and touch points per contact per period (default: the 12\n"
    "      months ending with --to, default today); --html writes a page with charts\n"
    "  template NAME [--handle H] [--today D] [--templates DIR] [VAULT]\n"
    "      print an expanded template (reflection, contact, meeting, review, ...)\n"
    "  template --list [--templates DIR]\n"
    "      the names of the templates\n"
    "  serve\n"
    "      the msgpack-RPC host for Neovim, on stdio\n"
    "  --version, --help\n"
    "\n"
    "A VAULT is a directory of Markdown notes. Left out, it is the nearest of the current\n"
    "directory and its ancestors that holds a .kith or .obsidian entry (mark a vault with an\n"
    "empty .kith file). Dates are YYYY-MM-DD; --today defaults to the local date.\n"
    "Every command that reads a VAULT keeps its parsed notes in $XDG_CACHE_HOME/kith/ (else\n"
    "~/.cache/kith/) and re-parses only the notes that changed; --no-cache skips the cache.\n";

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
  int days; // agenda: follow-ups due within this many days
  KithLedgerOptions ledger;
  // report
  KithPeriodUnit by;
  bool has_from, has_to, csv;
  KithDay from, to;
  const char *html; // the file --html writes ("-": standard output)
  size_t width;
  char **handles; // every --handle, lower case without `@` (owned, argc slots)
  size_t handle_count;
} CliArgs;

static int cli_usage_error(const char *fmt, const char *arg) {
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

// Which options each command accepts.
static bool cli_takes(const char *command, const char *option) {
  static const struct {
    const char *command, *options;
  } table[] = {
      {"balances", " --json --today --dormant-days --accept-help-after --no-cache "},
      {"check", " --json --today --no-cache "},
      {"agenda", " --json --today --days --dormant-days --accept-help-after --no-cache "},
      {"history", " --json --today --no-cache "},
      {"template", " --handle --today --templates --list --no-cache "},
      {"report", " --json --csv --html --by --from --to --handle --width --today --no-cache "},
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

// A lower-case copy of `s` (borrowed; caller frees), or NULL when out of memory.
static char *cli_lower(const char *s) {
  char *lower = strdup(s);
  for (char *p = lower; p && *p; p++)
    *p = (*p >= 'A' && *p <= 'Z') ? (char)(*p - 'A' + 'a') : *p;
  return lower;
}

// Parses argv[2..]. Returns 0, or an exit code after printing a message.
static int cli_parse(int argc, char **argv, CliArgs *args) {
  for (int i = 2; i < argc; i++) {
    char *arg = argv[i];
    if (arg[0] != '-' || strcmp(arg, "-") == 0) {
      if (args->positional_count == 2)
        return cli_usage_error("unexpected argument '%s'", arg);
      args->positional[args->positional_count++] = arg;
      continue;
    }
    char name[64];
    const char *value = NULL;
    const char *eq = strchr(arg, '=');
    size_t name_len = eq ? (size_t)(eq - arg) : strlen(arg);
    if (name_len >= sizeof name)
      return cli_usage_error("unknown option '%s'", arg);
    memcpy(name, arg, name_len);
    name[name_len] = '\0';
    if (!cli_takes(args->command, name))
      return cli_usage_error("unknown option '%s'", name);
    bool flag = strcmp(name, "--json") == 0 || strcmp(name, "--list") == 0 ||
                strcmp(name, "--csv") == 0 || strcmp(name, "--no-cache") == 0;
    if (flag) {
      if (eq)
        return cli_usage_error("option '%s' takes no value", name);
      if (name[2] == 'j')
        args->json = true;
      else if (name[2] == 'c')
        args->csv = true;
      else if (name[2] == 'l')
        args->list = true;
      else
        args->no_cache = true;
      continue;
    }
    if (eq) {
      value = eq + 1;
    } else if (i + 1 < argc) {
      value = argv[++i];
    } else {
      return cli_usage_error("option '%s' needs a value", name);
    }
    if (strcmp(name, "--today") == 0) {
      if (kith_date_parse(value, strlen(value), &args->ledger.today) != 0)
        return cli_usage_error("--today needs a real date YYYY-MM-DD, not '%s'", value);
    } else if (strcmp(name, "--dormant-days") == 0) {
      if (cli_int(value, 0, 1000000, &args->ledger.dormant_days) != 0)
        return cli_usage_error("--dormant-days needs a whole number of days, not '%s'", value);
    } else if (strcmp(name, "--accept-help-after") == 0) {
      if (cli_int(value, 0, 1000000, &args->ledger.accept_help_after) != 0)
        return cli_usage_error("--accept-help-after needs a whole number, not '%s'", value);
    } else if (strcmp(name, "--days") == 0) {
      if (cli_int(value, 0, 100000, &args->days) != 0)
        return cli_usage_error("--days needs a whole number of days, not '%s'", value);
    } else if (strcmp(name, "--handle") == 0) {
      args->handle = value[0] == '@' ? value + 1 : value;
      if (!*args->handle)
        return cli_usage_error("--handle needs a handle, not '%s'", value);
      if (args->handles && !(args->handles[args->handle_count++] = cli_lower(args->handle)))
        return cli_usage_error("%s", "out of memory");
    } else if (strcmp(name, "--templates") == 0) {
      args->templates = value;
    } else if (strcmp(name, "--by") == 0) {
      if (kith_period_unit_parse(value, &args->by) != 0)
        return cli_usage_error("--by needs week, month, quarter or year, not '%s'", value);
    } else if (strcmp(name, "--from") == 0 || strcmp(name, "--to") == 0) {
      bool to = name[2] == 't';
      if (kith_date_parse(value, strlen(value), to ? &args->to : &args->from) != 0)
        return cli_usage_error(to ? "--to needs a real date YYYY-MM-DD, not '%s'"
                                  : "--from needs a real date YYYY-MM-DD, not '%s'",
                               value);
      *(to ? &args->has_to : &args->has_from) = true;
    } else if (strcmp(name, "--html") == 0) {
      if (!*value)
        return cli_usage_error("%s", "--html needs a FILE");
      args->html = value;
    } else if (strcmp(name, "--width") == 0) {
      int width;
      if (cli_int(value, 0, 100000, &width) != 0)
        return cli_usage_error("--width needs a whole number of columns (0: no limit), not '%s'",
                               value);
      args->width = (size_t)width;
    }
  }
  return 0;
}

// Everything a command needs from a vault.
typedef struct {
  KithIndex index;
  const char **paths;
  const KithNote **notes;
  KithNoteSet set;
  KithLedger ledger;
} CliVault;

static int cli_vault_load(CliVault *v, const char *root, const KithLedgerOptions *options,
                          bool cache) {
  memset(v, 0, sizeof *v);
  char *error = NULL;
  int rc = cache ? kith_index_load_cached(&v->index, root, options->today, 0, &error)
                 : kith_index_load(&v->index, root, options->today, 0, &error);
  if (rc != 0) {
    fprintf(stderr, "kith: %s\n", error ? error : "cannot open the vault");
    free(error);
    return 2;
  }
  size_t n = v->index.vault.count;
  v->paths = calloc(n ? n : 1, sizeof *v->paths);
  v->notes = calloc(n ? n : 1, sizeof *v->notes);
  if (!v->paths || !v->notes)
    goto oom;
  for (size_t i = 0; i < n; i++) {
    v->paths[i] = v->index.vault.entries[i].path;
    v->notes[i] = &v->index.notes[i];
  }
  v->set = (KithNoteSet){v->paths, v->notes, n};
  if (kith_ledger_build(&v->ledger, &v->set, SIZE_MAX, options) != 0)
    goto oom;
  return 0;
oom:
  fputs("kith: out of memory\n", stderr);
  return 2;
}

static void cli_vault_free(CliVault *v) {
  kith_ledger_free(&v->ledger);
  free(v->paths);
  free(v->notes);
  kith_index_free(&v->index);
}

static int cli_write(KithBuf *out) {
  if (out->len && fwrite(out->data, 1, out->len, stdout) != out->len) {
    kith_buf_free(out);
    fputs("kith: cannot write the output\n", stderr);
    return 2;
  }
  kith_buf_free(out);
  return fflush(stdout) == 0 ? 0 : 2;
}

// Loads the VAULT argument of `command` (after `before` other positional arguments) into `v`
// (caller frees with cli_vault_free()). Returns 0, or an exit code after printing a message
// (nothing to free then).
// Without a VAULT argument, the vault is the nearest ancestor of the current directory holding
// .kith or .obsidian (SPEC §3).
static int cli_open_after(const CliArgs *args, int before, const char *what, CliVault *v) {
  if (args->positional_count != before + 1 && args->positional_count != before) {
    char message[96];
    snprintf(message, sizeof message, "%s needs %s", args->command, what);
    return cli_usage_error("%s", message);
  }
  char *found = NULL;
  const char *root = args->positional_count == before + 1 ? args->positional[before] : NULL;
  if (!root && !(root = found = kith_vault_find("."))) {
    fprintf(stderr,
            "kith: no vault here: no .kith or .obsidian in this directory or above; name the "
            "vault (kith %s ... VAULT) or mark it with an empty .kith file (see kith --help)\n",
            args->command);
    return 2;
  }
  int rc = cli_vault_load(v, root, &args->ledger, !args->no_cache);
  free(found);
  if (rc != 0)
    cli_vault_free(v);
  return rc;
}

static int cli_open(const CliArgs *args, CliVault *v) {
  return cli_open_after(args, 0, "one VAULT", v);
}

// Writes what a report appended to `out` (rc: the report's result) and frees it.
static int cli_finish(KithBuf *out, int rc) {
  if (rc != 0) {
    kith_buf_free(out);
    fputs("kith: out of memory\n", stderr);
    return 2;
  }
  return cli_write(out);
}

static int cli_balances(const CliArgs *args) {
  CliVault v;
  int rc = cli_open(args, &v);
  if (rc != 0)
    return rc;
  KithBuf out = KITH_BUF_INIT;
  if (args->json)
    rc = kith_report_balances_json(&out, &v.ledger, &v.set);
  else
    rc = kith_report_balances_text(&out, &v.ledger, &v.set);
  cli_vault_free(&v);
  return cli_finish(&out, rc);
}

static int cli_check(const CliArgs *args) {
  CliVault v;
  int rc = cli_open(args, &v);
  if (rc != 0)
    return rc;
  KithBuf out = KITH_BUF_INIT;
  size_t errors = 0;
  if (args->json)
    rc = kith_report_check_json(&out, &v.set, &v.ledger, &errors);
  else
    rc = kith_report_check_text(&out, &v.set, &v.ledger, &errors);
  cli_vault_free(&v);
  rc = cli_finish(&out, rc);
  return rc != 0 ? rc : errors > 0 ? 1 : 0;
}

static int cli_agenda(const CliArgs *args) {
  CliVault v;
  int rc = cli_open(args, &v);
  if (rc != 0)
    return rc;
  KithBuf out = KITH_BUF_INIT;
  KithAgenda agenda;
  rc = kith_agenda_build(&agenda, &v.ledger, args->days);
  if (rc == 0) {
    rc = args->json ? kith_agenda_json(&out, &agenda, &v.set)
                    : kith_agenda_text(&out, &agenda, &v.set);
    kith_agenda_free(&agenda);
  }
  cli_vault_free(&v);
  return cli_finish(&out, rc);
}

static int cli_history(const CliArgs *args) {
  CliVault v;
  int rc = cli_open_after(args, 1, "a HANDLE and a VAULT", &v);
  if (rc != 0)
    return rc;
  KithBuf out = KITH_BUF_INIT;
  KithHistory history;
  rc = kith_history_build(&history, &v.ledger, &v.set, args->positional[0]);
  if (rc == -2) {
    kith_history_free(&history);
    cli_vault_free(&v);
    fprintf(stderr, "kith: no contact '%s' in this vault\n", args->positional[0]);
    return 2;
  }
  if (rc == 0)
    rc = args->json ? kith_history_json(&out, &history, &v.set)
                    : kith_history_text(&out, &history, &v.set);
  kith_history_free(&history);
  cli_vault_free(&v);
  return cli_finish(&out, rc);
}

static int cli_template(const CliArgs *args) {
  KithBuf out = KITH_BUF_INIT;
  if (args->list) {
    if (args->positional_count != 0)
      return cli_usage_error("%s", "template --list takes no NAME");
    if (kith_template_list(&out, args->templates) != 0) {
      kith_buf_free(&out);
      return 2;
    }
    return cli_write(&out);
  }
  if (args->positional_count < 1)
    return cli_usage_error("%s", "template needs a NAME");
  const char *name = args->positional[0];
  CliVault v;
  bool loaded = false;
  KithTemplateVars vars = {args->ledger.today, args->handle, NULL, NULL, NULL};
  // The vault fills the review's lists and the name: the one given, else the one around the
  // current directory, else none (templates need no vault).
  char *found = args->positional_count == 2 ? NULL : kith_vault_find(".");
  if (args->positional_count == 2 || found) {
    int rc =
        cli_vault_load(&v, found ? found : args->positional[1], &args->ledger, !args->no_cache);
    free(found);
    if (rc != 0) {
      cli_vault_free(&v);
      return rc;
    }
    loaded = true;
    vars.ledger = &v.ledger;
    vars.notes = &v.set;
  }
  char *lower = NULL;
  if (args->handle) {
    lower = cli_lower(args->handle);
    vars.handle = lower;
    const KithContact *c = loaded && lower ? kith_ledger_find(&v.ledger, lower) : NULL;
    vars.name = c ? c->name : NULL;
  }
  char *error = NULL;
  int rc = kith_template_render(&out, name, args->templates, &vars, &error);
  free(lower);
  if (loaded)
    cli_vault_free(&v);
  if (rc != 0) {
    fprintf(stderr, "kith: %s\n", error ? error : "cannot expand the template");
    free(error);
    kith_buf_free(&out);
    return rc == -1 ? 2 : 1;
  }
  return cli_write(&out);
}

// Writes the page to `path` ("-": standard output). Returns 0, or 2 after a message.
static int cli_write_file(KithBuf *page, const char *path) {
  if (strcmp(path, "-") == 0)
    return cli_write(page);
  FILE *f = fopen(path, "wb");
  bool ok = f && fwrite(page->data, 1, page->len, f) == page->len;
  if (f && fclose(f) != 0)
    ok = false;
  kith_buf_free(page);
  if (!ok) {
    fprintf(stderr, "kith: cannot write %s\n", path);
    return 2;
  }
  return 0;
}

// The vault's name for the page's title, into `name` (caller owns): the last component of its
// real path.
static const char *cli_vault_name(const CliVault *v, char name[256]) {
  char *real = realpath(v->index.vault.root, NULL);
  snprintf(name, 256, "%s", real ? real : v->index.vault.root);
  free(real);
  size_t n = strlen(name);
  while (n > 1 && name[n - 1] == '/')
    name[--n] = '\0';
  const char *slash = strrchr(name, '/');
  return slash && slash[1] ? slash + 1 : name;
}

static int cli_report(const CliArgs *args) {
  if (args->json + args->csv + (args->html != NULL) > 1)
    return cli_usage_error("%s", "report takes one of --json, --csv and --html");
  KithDay to = args->has_to ? args->to : args->ledger.today;
  KithActivityOptions options = {
      .end = to, .handles = (const char *const *)args->handles, .handle_count = args->handle_count};
  int made = kith_periods_make(&options.periods, args->by, args->has_from, args->from, to);
  if (made == -1)
    return cli_usage_error("%s", "--from is after --to");
  if (made == -2) {
    char message[96];
    snprintf(message, sizeof message, "the range holds more than %d %ss; try a longer --by",
             KITH_PERIODS_MAX, kith_period_unit_name(args->by));
    return cli_usage_error("%s", message);
  }
  CliVault v;
  int rc = cli_open(args, &v);
  if (rc != 0)
    return rc;
  for (size_t i = 0; i < args->handle_count; i++) {
    if (!kith_ledger_find(&v.ledger, args->handles[i]))
      fprintf(stderr, "kith: no contact '%s' in this vault\n", args->handles[i]);
  }
  KithBuf out = KITH_BUF_INIT;
  KithActivity activity;
  KithAgenda agenda = {0};
  char name[256];
  rc = kith_activity_build(&activity, &v.ledger, &v.set, &options);
  if (rc == 0 && args->html) {
    rc = kith_agenda_build(&agenda, &v.ledger, 7);
    if (rc == 0)
      rc = kith_html_report(&out, &activity, &agenda, cli_vault_name(&v, name));
  } else if (rc == 0) {
    rc = args->json  ? kith_activity_json(&out, &activity)
         : args->csv ? kith_activity_csv(&out, &activity)
                     : kith_activity_text(&out, &activity, args->width);
  }
  kith_agenda_free(&agenda);
  kith_activity_free(&activity);
  cli_vault_free(&v);
  if (rc == 0 && args->html)
    return cli_write_file(&out, args->html);
  return cli_finish(&out, rc);
}

static int cli_command(const CliArgs *args);

static void cli_args_free(CliArgs *args) {
  for (size_t i = 0; i < args->handle_count; i++)
    free(args->handles[i]);
  free(args->handles);
}

int kith_cli_main(int argc, char **argv) {
  if (argc < 2)
    return cli_usage_error("%s", "missing command");
  const char *command = argv[1];
  if (strcmp(command, "--help") == 0 || strcmp(command, "-h") == 0 ||
      strcmp(command, "help") == 0) {
    fputs(cli_usage, stdout);
    return 0;
  }
  if (strcmp(command, "--version") == 0 || strcmp(command, "version") == 0) {
    printf("kith %s (tree-sitter-markdown %s, language ABI %u, tree-sitter runtime ABI %u-%u, "
           "allocator %s)\n",
           KITH_VERSION, KITH_GRAMMAR_VERSION, kith_ts_language_abi(kith_grammar_block()),
           kith_ts_abi_min(), kith_ts_abi_max(), kith_alloc_name());
    return 0;
  }
  if (strcmp(command, "serve") == 0) {
    if (argc > 2)
      return cli_usage_error("serve takes no arguments, not '%s'", argv[2]);
    return kith_server_main();
  }
  if (!cli_takes(command, "--json") && !cli_takes(command, "--handle"))
    return cli_usage_error("unknown command '%s'", command);
  CliArgs args = {
      .command = command, .days = 7, .by = KITH_PERIOD_MONTH, .width = KITH_ACTIVITY_WIDTH};
  kith_ledger_options_default(&args.ledger);
  if (strcmp(command, "report") == 0 && !(args.handles = calloc((size_t)argc, sizeof(char *)))) {
    fputs("kith: out of memory\n", stderr);
    return 2;
  }
  int rc = cli_parse(argc, argv, &args);
  if (rc == 0 && strcmp(command, "report") == 0)
    rc = cli_report(&args);
  else if (rc == 0)
    rc = cli_command(&args);
  cli_args_free(&args);
  return rc;
}

// Runs the commands other than report (which owns more arguments).
static int cli_command(const CliArgs *args) {
  const char *command = args->command;
  if (strcmp(command, "balances") == 0)
    return cli_balances(args);
  if (strcmp(command, "check") == 0)
    return cli_check(args);
  if (strcmp(command, "agenda") == 0)
    return cli_agenda(args);
  if (strcmp(command, "history") == 0)
    return cli_history(args);
  return cli_template(args);
}
