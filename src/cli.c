// realpath() is XSI.
#define _XOPEN_SOURCE 700

#include "cli.h"

#include "cli_args.h"

#include <errno.h>
#include <fcntl.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "base/alloc.h"
#include "base/buf.h"
#include "host/server.h"
#include "ledger/activity.h"
#include "ledger/agenda.h"
#include "ledger/graph.h"
#include "ledger/history.h"
#include "ledger/html.h"
#include "ledger/ledger.h"
#include "ledger/report.h"
#include "ledger/template.h"
#include "notes/detect.h"
#include "notes/grammar.h"
#include "notes/index.h"
#include "notes/treesitter.h"
#include "notes/vault.h"

#ifndef KITH_GRAMMAR_VERSION
#define KITH_GRAMMAR_VERSION "unknown"
#endif

// Everything a command needs from a vault.
typedef struct {
  KithIndex index;
  const char **paths;
  const KithNote **notes;
  KithNoteSet set; // its notes, and `.kith` when its settings have diagnostics
  KithLedger ledger;
  KithLedgerOptions options; // the flags', else the vault settings'
  int days, dates_days;      // the agenda's, likewise
} CliVault;

static int cli_vault_load(CliVault *v, const char *root, const CliArgs *args) {
  memset(v, 0, sizeof *v);
  char *error = NULL;
  int rc = args->no_cache ? kith_index_load(&v->index, root, args->ledger.today, 0, &error)
                          : kith_index_load_cached(&v->index, root, args->ledger.today, 0, &error);
  if (rc != 0) {
    fprintf(stderr, "kith: %s\n", error ? error : "cannot open the vault");
    free(error);
    return 2;
  }
  CliArgs settled = *args;
  kith_cli_args_settle(&settled, &v->index.settings);
  v->options = settled.ledger;
  v->days = settled.days;
  v->dates_days = settled.dates_days;
  // The notes in path order, with the settings' diagnostics as the note `.kith`.
  const KithNote *settings =
      v->index.settings.note.diagnostic_count ? &v->index.settings.note : NULL;
  size_t n = v->index.vault.count, count = n + (settings != NULL);
  v->paths = calloc(count ? count : 1, sizeof *v->paths);
  v->notes = calloc(count ? count : 1, sizeof *v->notes);
  if (!v->paths || !v->notes)
    goto oom;
  for (size_t i = 0, at = 0; at < count; at++) {
    bool here =
        settings && (i == n || strcmp(KITH_SETTINGS_FILE, v->index.vault.entries[i].path) < 0);
    if (here) {
      v->paths[at] = KITH_SETTINGS_FILE;
      v->notes[at] = settings;
      settings = NULL;
    } else {
      v->paths[at] = v->index.vault.entries[i].path;
      v->notes[at] = &v->index.notes[i];
      i++;
    }
  }
  v->set = (KithNoteSet){v->paths, v->notes, count};
  if (kith_ledger_build(&v->ledger, &v->set, SIZE_MAX, &v->options) != 0)
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
    return kith_cli_usage_error("%s", message);
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
  int rc = cli_vault_load(v, root, args);
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
  rc = kith_agenda_build(&agenda, &v.ledger, v.days, v.dates_days);
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
      return kith_cli_usage_error("%s", "template --list takes no NAME");
    if (kith_template_list(&out, args->templates) != 0) {
      kith_buf_free(&out);
      return 2;
    }
    return cli_write(&out);
  }
  if (args->positional_count < 1)
    return kith_cli_usage_error("%s", "template needs a NAME");
  const char *name = args->positional[0];
  CliVault v;
  bool loaded = false;
  KithTemplateVars vars = {args->ledger.today, args->handle, NULL, NULL, NULL, args->dates_days};
  // The vault fills the review's lists and the name: the one given, else the one around the
  // current directory, else none (templates need no vault).
  char *found = args->positional_count == 2 ? NULL : kith_vault_find(".");
  if (args->positional_count == 2 || found) {
    int rc = cli_vault_load(&v, found ? found : args->positional[1], args);
    free(found);
    if (rc != 0) {
      cli_vault_free(&v);
      return rc;
    }
    loaded = true;
    vars.ledger = &v.ledger;
    vars.notes = &v.set;
    vars.dates_days = v.dates_days;
  }
  char *lower = NULL;
  if (args->handle) {
    lower = kith_cli_lower(args->handle);
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
    return kith_cli_usage_error("%s", "report takes one of --json, --csv and --html");
  KithDay to = args->has_to ? args->to : args->ledger.today;
  KithActivityOptions options = {
      .end = to, .handles = (const char *const *)args->handles, .handle_count = args->handle_count};
  int made = kith_periods_make(&options.periods, args->by, args->has_from, args->from, to);
  if (made == -1)
    return kith_cli_usage_error("%s", "--from is after --to");
  if (made == -2) {
    char message[96];
    snprintf(message, sizeof message, "the range holds more than %d %ss; try a longer --by",
             KITH_PERIODS_MAX, kith_period_unit_name(args->by));
    return kith_cli_usage_error("%s", message);
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
  KithGraph graph = {0};
  char name[256];
  rc = kith_activity_build(&activity, &v.ledger, &v.set, &options);
  if (rc == 0 && args->html) {
    rc = kith_agenda_build(&agenda, &v.ledger, v.days, v.dates_days);
    if (rc == 0)
      rc = kith_graph_build(&graph, &v.ledger, &v.set);
    if (rc == 0)
      rc = kith_html_report(&out, &activity, &agenda, &graph, cli_vault_name(&v, name));
  } else if (rc == 0) {
    rc = args->json  ? kith_activity_json(&out, &activity)
         : args->csv ? kith_activity_csv(&out, &activity)
                     : kith_activity_text(&out, &activity, args->width);
  }
  kith_graph_free(&graph);
  kith_agenda_free(&agenda);
  kith_activity_free(&activity);
  cli_vault_free(&v);
  if (rc == 0 && args->html)
    return cli_write_file(&out, args->html);
  return cli_finish(&out, rc);
}

// `kith graph [--json|--dot|--html FILE]` (SPEC §3 v3): the network as edges, JSON, DOT or a
// page that draws it.
static int cli_graph(const CliArgs *args) {
  if (args->json + args->dot + (args->html != NULL) > 1)
    return kith_cli_usage_error("%s", "graph takes one of --json, --dot and --html");
  CliVault v;
  int rc = cli_open(args, &v);
  if (rc != 0)
    return rc;
  KithBuf out = KITH_BUF_INIT;
  KithGraph graph;
  char name[256];
  rc = kith_graph_build(&graph, &v.ledger, &v.set);
  if (rc == 0) {
    rc = args->json   ? kith_graph_json(&out, &graph)
         : args->dot  ? kith_graph_dot(&out, &graph)
         : args->html ? kith_html_network_page(&out, &graph, cli_vault_name(&v, name))
                      : kith_graph_text(&out, &graph);
    kith_graph_free(&graph);
  }
  cli_vault_free(&v);
  if (rc == 0 && args->html)
    return cli_write_file(&out, args->html);
  return cli_finish(&out, rc);
}

// `kith init [--obsidian] [DIR]` (SPEC §3 v3): writes DIR/.kith with the settings that fit the
// notes there, unless it exists; prints what it wrote.
static int cli_init(const CliArgs *args) {
  if (args->positional_count > 1)
    return kith_cli_usage_error("%s", "init takes one DIR");
  const char *dir = args->positional_count ? args->positional[0] : ".";
  KithBuf path = KITH_BUF_INIT, text = KITH_BUF_INIT;
  int rc = 2;
  struct stat st;
  if (kith_buf_printf(&path, "%s/.obsidian", dir) != 0)
    goto oom;
  if (stat(dir, &st) != 0 || !S_ISDIR(st.st_mode)) {
    fprintf(stderr, "kith: cannot open %s: %s\n", dir, errno ? strerror(errno) : "not a folder");
    goto done;
  }
  if (!args->obsidian && stat(path.data, &st) == 0) {
    fprintf(stderr,
            "kith: %s holds .obsidian: it is a vault already, read as it is; kith init "
            "--obsidian writes .kith there too\n",
            dir);
    goto done;
  }
  path.len = 0;
  char *error = NULL;
  if (kith_buf_printf(&path, "%s/.kith", dir) != 0)
    goto oom;
  if (kith_detect_settings(dir, &text, &error) != 0) {
    fprintf(stderr, "kith: %s\n", error ? error : "cannot read the notes");
    free(error);
    goto done;
  }
  int fd = open(path.data, O_WRONLY | O_CREAT | O_EXCL, 0644);
  if (fd < 0) {
    fprintf(stderr,
            errno == EEXIST ? "kith: %s exists: nothing written\n" : "kith: cannot write %s\n",
            path.data);
    goto done;
  }
  bool ok = write(fd, text.data, text.len) == (ssize_t)text.len;
  ok &= close(fd) == 0;
  if (!ok) {
    fprintf(stderr, "kith: cannot write %s\n", path.data);
    unlink(path.data);
    goto done;
  }
  fprintf(stderr, "kith: wrote %s:\n", path.data);
  rc = cli_write(&text);
  goto done;
oom:
  fputs("kith: out of memory\n", stderr);
done:
  kith_buf_free(&path);
  kith_buf_free(&text);
  return rc;
}

static int cli_command(const CliArgs *args);

int kith_cli_main(int argc, char **argv) {
  if (argc < 2)
    return kith_cli_usage_error("%s", "missing command");
  const char *command = argv[1];
  if (strcmp(command, "--help") == 0 || strcmp(command, "-h") == 0 ||
      strcmp(command, "help") == 0) {
    fputs(kith_cli_usage, stdout);
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
      return kith_cli_usage_error("serve takes no arguments, not '%s'", argv[2]);
    return kith_server_main();
  }
  if (!kith_cli_takes(command, "--json") && !kith_cli_takes(command, "--handle") &&
      !kith_cli_takes(command, "--obsidian"))
    return kith_cli_usage_error("unknown command '%s'", command);
  CliArgs args = {.command = command,
                  .days = 7,
                  .dates_days = 14,
                  .by = KITH_PERIOD_MONTH,
                  .width = KITH_ACTIVITY_WIDTH};
  kith_ledger_options_default(&args.ledger);
  if (strcmp(command, "report") == 0 && !(args.handles = calloc((size_t)argc, sizeof(char *)))) {
    fputs("kith: out of memory\n", stderr);
    return 2;
  }
  int rc = kith_cli_args_parse(argc, argv, &args);
  if (rc == 0 && strcmp(command, "report") == 0)
    rc = cli_report(&args);
  else if (rc == 0)
    rc = cli_command(&args);
  kith_cli_args_free(&args);
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
  if (strcmp(command, "init") == 0)
    return cli_init(args);
  if (strcmp(command, "graph") == 0)
    return cli_graph(args);
  return cli_template(args);
}
