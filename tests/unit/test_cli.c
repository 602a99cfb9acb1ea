// `kith check` and `kith balances` run as a user runs them ($KITH_BIN, a child process) on
// vaults no one would write on purpose: random bytes, unreadable notes, invalid UTF-8. Whatever
// the notes hold, kith exits normally (0 or 1, never a signal), says which notes it could not
// read, and prints JSON that is valid UTF-8.

// realpath() is XSI.
#define _XOPEN_SOURCE 700

#include "harness.h"

#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#define RUN_TIMEOUT_MS 60000

static char root[64];

// --- running kith --------------------------------------------------------------------------

typedef struct {
  int status; // from waitpid(), or -1 when kith could not be run or timed out
  KithBuf out;
} CliRun;

static const char *kith_bin(void) {
  const char *bin = getenv("KITH_BIN");
  return bin && *bin ? bin : "build/kith";
}

static void sleep_ms(int ms) {
  struct timespec ts = {ms / 1000, (long)(ms % 1000) * 1000000L};
  nanosleep(&ts, NULL);
}

// Runs kith with `args` (NULL-terminated, without argv[0]) in directory `cwd` (NULL: this one);
// stdout (and stderr too when `both`) lands in run->out (caller frees), else stderr is dropped.
// Killed after RUN_TIMEOUT_MS.
static void run_kith_in(CliRun *run, const char *cwd, bool both, const char *const *args) {
  run->status = -1;
  run->out = (KithBuf)KITH_BUF_INIT;
  const char *bin = kith_bin();
  char out_path[] = "/tmp/kith-test-cli-out-XXXXXX";
  int out_fd = mkstemp(out_path);
  if (access(bin, X_OK) != 0 || out_fd < 0) {
    harness_fail(__FILE__, __LINE__, "cannot run %s (set KITH_BIN)", bin);
    if (out_fd >= 0)
      close(out_fd);
    return;
  }
  const char *argv[16] = {bin};
  for (size_t i = 0; args[i] && i + 2 < sizeof argv / sizeof *argv; i++)
    argv[i + 1] = args[i];
  pid_t pid = fork();
  if (pid == 0) {
    int null_fd = open("/dev/null", O_WRONLY);
    dup2(out_fd, 1);
    dup2(both ? out_fd : null_fd, 2);
    if (cwd && chdir(cwd) != 0)
      _exit(126);
    execv(bin, (char *const *)argv);
    _exit(127);
  }
  close(out_fd);
  int waited = 0;
  while (pid > 0) {
    pid_t r = waitpid(pid, &run->status, WNOHANG);
    if (r == pid)
      break;
    if (r < 0 || waited >= RUN_TIMEOUT_MS) {
      kill(pid, SIGKILL);
      waitpid(pid, NULL, 0);
      run->status = -1;
      harness_fail(__FILE__, __LINE__, "kith %s %s: no exit within %d ms", args[0],
                   args[1] ? args[1] : "", RUN_TIMEOUT_MS);
      break;
    }
    sleep_ms(5);
    waited += 5;
  }
  kith_buf_read_file(&run->out, out_path);
  unlink(out_path);
}

static void run_kith(CliRun *run, const char *const *args) {
  run_kith_in(run, NULL, false, args);
}

// Whether the run ended by exit() with one of the codes in [lo, hi]; says how it ended if not.
static bool exited(const CliRun *run, int lo, int hi, const char *what, int line) {
  harness_checks++;
  int s = run->status;
  if (s != -1 && WIFEXITED(s) && WEXITSTATUS(s) >= lo && WEXITSTATUS(s) <= hi)
    return true;
  if (s != -1 && WIFSIGNALED(s))
    harness_fail(__FILE__, line, "%s: killed by signal %d (%s)", what, WTERMSIG(s),
                 strsignal(WTERMSIG(s)));
  else if (s != -1 && WIFEXITED(s))
    harness_fail(__FILE__, line, "%s: exit %d, want %d..%d", what, WEXITSTATUS(s), lo, hi);
  else
    harness_fail(__FILE__, line, "%s: did not run to the end", what);
  return false;
}

#define EXITED(run, lo, hi, what) exited(run, lo, hi, what, __LINE__)

// The offset of the first byte of `s` that is not UTF-8 (Unicode 3.9, table 3-7), or `len`.
// The test's own oracle, independent of src/utf8.c.
static size_t first_bad_utf8(const unsigned char *s, size_t len) {
  for (size_t i = 0; i < len;) {
    unsigned c = s[i], n, lo = 0x80, hi = 0xBF;
    if (c < 0x80) {
      i++;
      continue;
    }
    if (c >= 0xC2 && c <= 0xDF)
      n = 1;
    else if (c >= 0xE0 && c <= 0xEF)
      n = 2, lo = c == 0xE0 ? 0xA0 : 0x80, hi = c == 0xED ? 0x9F : 0xBF;
    else if (c >= 0xF0 && c <= 0xF4)
      n = 3, lo = c == 0xF0 ? 0x90 : 0x80, hi = c == 0xF4 ? 0x8F : 0xBF;
    else
      return i;
    for (unsigned k = 1; k <= n; k++, lo = 0x80, hi = 0xBF) {
      if (i + k >= len || s[i + k] < lo || s[i + k] > hi)
        return i;
    }
    i += n + 1;
  }
  return len;
}

static void expect_utf8(const CliRun *run, const char *what, int line) {
  size_t bad = first_bad_utf8((const unsigned char *)run->out.data, run->out.len);
  harness_checks++;
  if (bad < run->out.len)
    harness_fail(__FILE__, line, "%s: byte %zu of %zu (0x%02x) is not UTF-8", what, bad,
                 run->out.len, (unsigned char)run->out.data[bad]);
}

#define EXPECT_UTF8(run, what) expect_utf8(run, what, __LINE__)

// --- vaults --------------------------------------------------------------------------------

static void make_root(void) {
  snprintf(root, sizeof root, "/tmp/kith-test-cli-XXXXXX");
  CHECK(mkdtemp(root) != NULL);
}

static void remove_root(void) {
  char cmd[128];
  snprintf(cmd, sizeof cmd, "rm -rf '%s'", root);
  CHECK(system(cmd) == 0);
}

static void put(const char *rel, const char *text, size_t len) {
  char path[256];
  snprintf(path, sizeof path, "%s/%s", root, rel);
  FILE *f = fopen(path, "wb");
  CHECK(f != NULL);
  if (f) {
    CHECK_INT(fwrite(text, 1, len, f), len);
    fclose(f);
  }
}

#define PUT(rel, text) put(rel, text, sizeof text - 1)

// xorshift64*: the same bytes on every machine and every run.
static uint64_t rng_state = 0x6b697468u; // "kith"

static uint32_t rng(void) {
  rng_state ^= rng_state >> 12;
  rng_state ^= rng_state << 25;
  rng_state ^= rng_state >> 27;
  return (uint32_t)((rng_state * 0x2545F4914F6CDD1DULL) >> 32);
}

static void put_utf8(KithBuf *b, uint32_t cp) {
  char s[4];
  size_t n;
  if (cp < 0x80) {
    s[0] = (char)cp, n = 1;
  } else if (cp < 0x800) {
    s[0] = (char)(0xC0 | cp >> 6), s[1] = (char)(0x80 | (cp & 0x3F)), n = 2;
  } else if (cp < 0x10000) {
    s[0] = (char)(0xE0 | cp >> 12), s[1] = (char)(0x80 | (cp >> 6 & 0x3F));
    s[2] = (char)(0x80 | (cp & 0x3F)), n = 3;
  } else {
    s[0] = (char)(0xF0 | cp >> 18), s[1] = (char)(0x80 | (cp >> 12 & 0x3F));
    s[2] = (char)(0x80 | (cp >> 6 & 0x3F)), s[3] = (char)(0x80 | (cp & 0x3F)), n = 4;
  }
  kith_buf_append(b, s, n);
}

// Random bytes without a NUL, drawn so that Markdown structure occurs often: raw bytes
// (1..255), code points from the whole range (also the last planes), Markdown and kith tokens,
// broken UTF-8, and line starts with digits (where list markers are tried).
static void random_note(KithBuf *b, size_t size) {
  static const char *const tokens[] = {
      "- ",     "* ",          "1. ",         "> ",   "# ",   "## ", "@alice ", "@",
      "#gave ", "#got:2 ",     "#met ",       "#",    "`",    "```", "~~~",     "[",
      "](",     "<",           ">",           "$",    "$$",   "|",   "*",       "_",
      "~",      "\\",          "---",         "===",  "\r\n", "\t",  "    ",    "\r",
      ":",      "2026-01-01 ", "2026-02-30 ", "<!--", "-->",  "+++", "&amp;",   "!["};
  static const char *const broken[] = {
      "\x80", "\xbf", "\xc0\x80",         "\xc1\xbf", "\xe0\x80\x80", "\xed\xa0\x80",
      "\xf5", "\xff", "\xf4\x90\x80\x80", "\xe2\x82", "\xf0\x9f\x98", "\xc3"};
  b->len = 0;
  while (b->len < size) {
    switch (rng() % 8) {
    case 0:
    case 1:
    case 2:
      for (uint32_t n = 1 + rng() % 16; n > 0; n--)
        kith_buf_putc(b, (char)(1 + rng() % 255));
      break;
    case 3:
      kith_buf_putc(b, '\n');
      for (uint32_t n = rng() % 4; n > 0; n--)
        kith_buf_putc(b, ' ');
      for (uint32_t n = 1 + rng() % 4; n > 0; n--)
        kith_buf_putc(b, (char)('0' + rng() % 10));
      break;
    case 4: {
      uint32_t cp = 1 + rng() % 0x10FFFF;
      put_utf8(b, cp >= 0xD800 && cp <= 0xDFFF ? 0xFFFD : cp);
      break;
    }
    case 5:
      kith_buf_puts(b, tokens[rng() % (sizeof tokens / sizeof *tokens)]);
      break;
    case 6:
      kith_buf_puts(b, broken[rng() % (sizeof broken / sizeof *broken)]);
      break;
    default:
      kith_buf_putc(b, '\n');
      break;
    }
  }
}

// --- tests ---------------------------------------------------------------------------------

// The note of issue #8: a digit, then U+10FFFF.
static void test_six_byte_note(void) {
  make_root();
  PUT("a.md", "1\xf4\x8f\xbf\xbf\n");
  const char *const check[] = {"check", root, NULL};
  const char *const balances[] = {"balances", "--today", "2026-11-26", root, NULL};
  CliRun run;
  run_kith(&run, check);
  EXITED(&run, 0, 0, "check");
  kith_buf_free(&run.out);
  run_kith(&run, balances);
  EXITED(&run, 0, 0, "balances");
  kith_buf_free(&run.out);
  remove_root();
}

static void test_random_bytes_vault(void) {
  make_root();
  KithBuf note = KITH_BUF_INIT;
  for (int i = 0; i < 300; i++) {
    char rel[32];
    snprintf(rel, sizeof rel, "n%03d.md", i);
    random_note(&note, 1 + rng() % 6000);
    CHECK(memchr(note.data, '\0', note.len) == NULL);
    put(rel, note.data, note.len);
  }
  kith_buf_free(&note);
  static const struct {
    const char *args[6];
    int lo, hi;
    bool json;
  } runs[] = {
      {{"check", NULL}, 0, 1, false},
      {{"check", "--json", NULL}, 0, 1, true},
      {{"balances", "--today", "2026-11-26", NULL}, 0, 0, false},
      {{"balances", "--json", "--today", "2026-11-26", NULL}, 0, 0, true},
  };
  for (size_t r = 0; r < sizeof runs / sizeof *runs; r++) {
    const char *args[8];
    size_t n = 0;
    for (; runs[r].args[n]; n++)
      args[n] = runs[r].args[n];
    args[n++] = root;
    args[n] = NULL;
    char what[64];
    snprintf(what, sizeof what, "%s%s on random bytes", runs[r].args[0],
             runs[r].json ? " --json" : "");
    CliRun run;
    run_kith(&run, args);
    if (EXITED(&run, runs[r].lo, runs[r].hi, what) && runs[r].json)
      EXPECT_UTF8(&run, what);
    kith_buf_free(&run.out);
  }
  remove_root();
}

// The part of a JSON report from `"diagnostics":` to the end (NULL when there is none).
static const char *diagnostics_of(const CliRun *run) {
  return run->out.data ? strstr(run->out.data, "\"diagnostics\":") : NULL;
}

// A note that cannot be read (here a link to nowhere) is named by balances as by check.
static void test_unreadable_note(void) {
  make_root();
  PUT("a.md", "## Ann @ann\n- 2026-11-20 #gave intro\n");
  PUT("z.md", "- #gave @zed\n");
  char link[128];
  snprintf(link, sizeof link, "%s/broken.md", root);
  CHECK(symlink("/nonexistent/kith-note.md", link) == 0);

  CliRun text, json, check;
  const char *const text_args[] = {"balances", "--today", "2026-11-26", root, NULL};
  const char *const json_args[] = {"balances", "--json", "--today", "2026-11-26", root, NULL};
  const char *const check_args[] = {"check", "--json", root, NULL};
  run_kith(&text, text_args);
  run_kith(&json, json_args);
  run_kith(&check, check_args);
  EXITED(&text, 0, 0, "balances");
  EXITED(&json, 0, 0, "balances --json");
  EXITED(&check, 1, 1, "check --json");

  const char *t = text.out.data ? text.out.data : "";
  CHECK(strstr(t, "@ann") != NULL);
  const char *footer = strstr(t, "\n1 note could not be read (see kith check): broken.md\n");
  CHECK(footer != NULL && footer > strstr(t, "@ann"));

  // balances --json carries the same diagnostics as check --json, byte for byte.
  const char *jd = diagnostics_of(&json), *cd = diagnostics_of(&check);
  CHECK(jd && cd);
  if (jd && cd) {
    CHECK_STR(jd, cd);
    CHECK(strstr(cd, "{\"path\":\"broken.md\",\"line\":1,\"column\":1,\"severity\":\"error\","
                     "\"message\":\"cannot read: ") != NULL);
    CHECK(strstr(cd, "\"path\":\"z.md\"") != NULL);
  }
  kith_buf_free(&text.out);
  kith_buf_free(&json.out);
  kith_buf_free(&check.out);
  remove_root();
}

// Without a VAULT, the vault is the nearest of the current directory and its ancestors that
// holds .kith or .obsidian (SPEC §3); with none, exit 2 naming .kith and --help.
static void test_vault_found(void) {
  make_root();
  char dir[128], bin[PATH_MAX];
  // The binary is run from other directories: make its path absolute.
  CHECK(realpath(kith_bin(), bin) != NULL);
  setenv("KITH_BIN", bin, 1);
  snprintf(dir, sizeof dir, "%s/notes/people/deep", root);
  char cmd[256];
  snprintf(cmd, sizeof cmd, "mkdir -p '%s'", dir);
  CHECK(system(cmd) == 0);
  PUT("notes/people/ann.md", "## Ann @ann\n- 2026-11-20 #gave intro\n");

  CliRun none;
  const char *const balances[] = {"balances", "--json", "--today", "2026-11-26", NULL};
  run_kith_in(&none, dir, true, balances);
  EXITED(&none, 2, 2, "balances outside any vault");
  const char *msg = none.out.data ? none.out.data : "";
  CHECK(strstr(msg, ".kith") != NULL && strstr(msg, "--help") != NULL);
  kith_buf_free(&none.out);

  static const char *const markers[] = {"notes/.kith", "notes/.obsidian"};
  for (size_t i = 0; i < 2; i++) {
    char marker[160];
    snprintf(marker, sizeof marker, "%s/%s", root, markers[i]);
    if (i == 0) { // a file, as :Kith init makes it
      FILE *f = fopen(marker, "w");
      CHECK(f != NULL);
      if (f)
        fclose(f);
    } else { // a directory, as Obsidian makes it
      CHECK(mkdir(marker, 0755) == 0);
    }
    CliRun found, named;
    run_kith_in(&found, dir, false, balances);
    char vault[160];
    snprintf(vault, sizeof vault, "%s/notes", root);
    const char *const named_args[] = {"balances", "--json", "--today", "2026-11-26", vault, NULL};
    run_kith_in(&named, NULL, false, named_args);
    EXITED(&found, 0, 0, markers[i]);
    CHECK(found.out.data && strstr(found.out.data, "\"handle\":\"ann\"") != NULL);
    CHECK(found.out.data && named.out.data && strcmp(found.out.data, named.out.data) == 0);
    kith_buf_free(&found.out);
    kith_buf_free(&named.out);
    remove(marker);
  }
  remove_root();
}

int main(void) {
  RUN(test_vault_found);
  RUN(test_six_byte_note);
  RUN(test_random_bytes_vault);
  RUN(test_unreadable_note);
  return harness_finish("test_cli");
}
