// The index cache (SPEC §6): a vault loaded through the cache is the same, note for note, as one
// parsed from scratch: on the example vault and a generated one, after edits, renames and
// deletions on disk, on another day, with a corrupt, truncated or foreign cache file, and while
// several processes write the cache at once. `kith balances|check|agenda` print the same bytes
// with and without it. $XDG_CACHE_HOME points into a temporary directory: never the user's.

// realpath(), mkdtemp() and utimensat() are XSI / POSIX 2008.
#define _XOPEN_SOURCE 700

#include "harness.h"

#include <dirent.h>
#include <fcntl.h>
#include <msgpack.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include "base/buf.h"
#include "notes/cache.h"
#include "notes/index.h"

static bool have_python; // bench/gen_vault.py can run (else the generated vault is skipped)
static char tmp[64];     // the test's directory
static char cache[96];   // $XDG_CACHE_HOME

// --- helpers -------------------------------------------------------------------------------

static KithDay day(const char *s) {
  KithDay d = 0;
  kith_date_parse(s, strlen(s), &d);
  return d;
}

static void dump_item(KithBuf *out, const KithNote *n, const KithInteraction *it) {
  kith_buf_printf(out, " [%s %d %d %u:%u-%u s%d %u/%u/%u%s %s]",
                  it->handle == UINT32_MAX ? "-" : kith_note_str(n, it->handle), it->day, it->dated,
                  it->line, it->column, it->end_line, it->section, it->gave, it->got, it->met,
                  it->intro ? " intro" : "", kith_note_str(n, it->text));
}

// Everything the index holds, as text (caller frees).
static char *dump(const KithIndex *index) {
  KithBuf out = KITH_BUF_INIT;
  for (size_t i = 0; i < index->vault.count; i++) {
    const KithNote *n = &index->notes[i];
    kith_buf_printf(&out, "%s err=%d unreadable=%d fm=%d folder=%d meeting=%d\n",
                    index->vault.entries[i].path, index->vault.entries[i].error, n->unreadable,
                    n->front_matter, n->in_contact_folder, n->meeting);
    for (uint32_t k = 0; k < n->heading_count; k++) {
      const KithHeading *h = &n->headings[k];
      kith_buf_printf(&out, " H %s|%s %u-%u L%u every %u birthday %d snooze %d:%d\n",
                      kith_note_str(n, h->handle), kith_note_str(n, h->name), h->line, h->end_line,
                      h->level, h->cadence_days, (int)h->birthday, h->snoozed, (int)h->snooze);
    }
    if (kith_note_contact_note(n))
      kith_buf_printf(&out, " stem %s\n", kith_note_str(n, n->stem));
    for (uint32_t k = 0; k < n->interaction_count; k++)
      dump_item(&out, n, &n->interactions[k]);
    kith_buf_puts(&out, "\n F");
    for (uint32_t k = 0; k < n->followup_count; k++)
      dump_item(&out, n, &n->followups[k]);
    kith_buf_puts(&out, "\n Q"); // (v3) asks
    for (uint32_t k = 0; k < n->ask_count; k++)
      dump_item(&out, n, &n->asks[k]);
    kith_buf_puts(&out, "\n L");
    for (uint32_t k = 0; k < n->linked_count; k++) {
      const KithLinked *l = &n->linked[k];
      dump_item(&out, n, &l->item);
      kith_buf_printf(&out, "p%d a%d r%u run%u people%u fb%u", l->planned, l->ask, l->refs, l->run,
                      l->people, l->fallback);
    }
    kith_buf_puts(&out, "\n R");
    for (uint32_t k = 0; k < n->ref_count; k++) {
      const KithRef *r = &n->refs[k];
      kith_buf_printf(&out, " %s %s %u:%u %s %s", kith_note_str(n, r->key),
                      r->link == UINT32_MAX ? "-" : kith_note_str(n, r->link), r->line, r->column,
                      r->name == UINT32_MAX ? "-" : kith_note_str(n, r->name),
                      r->derived == UINT32_MAX ? "-" : kith_note_str(n, r->derived));
    }
    kith_buf_puts(&out, "\n A");
    for (uint32_t k = 0; k < n->alias_count; k++)
      kith_buf_printf(&out, " %s", kith_note_str(n, n->aliases[k]));
    kith_buf_puts(&out, "\n");
    for (uint32_t k = 0; k < n->diagnostic_count; k++) {
      const KithDiagnostic *d = &n->diagnostics[k];
      kith_buf_printf(&out, " D %u:%u %d %s\n", d->line, d->column, d->severity,
                      kith_note_str(n, d->message));
    }
  }
  return out.data ? kith_buf_take(&out) : strdup("");
}

// Loads `root` with and without the cache on `today`; checks they are the same and that the
// cache gave `want_cached` notes (-1: any number). Returns how many it gave.
static long same_index(const char *root, const char *today, long want_cached, int line) {
  KithIndex plain, cached;
  char *error = NULL;
  if (kith_index_load(&plain, root, day(today), 2, &error) != 0 ||
      kith_index_load_cached(&cached, root, day(today), 2, &error) != 0) {
    harness_fail(__FILE__, line, "cannot load %s: %s", root, error ? error : "?");
    free(error);
    return -1;
  }
  char *a = dump(&plain), *b = dump(&cached);
  harness_checks++;
  if (strcmp(a, b) != 0)
    harness_fail(__FILE__, line, "the cached index of %s differs from the parsed one", root);
  long got = (long)cached.cached;
  harness_checks++;
  if (want_cached >= 0 && got != want_cached)
    harness_fail(__FILE__, line, "%ld notes from the cache, want %ld", got, want_cached);
  free(a);
  free(b);
  kith_index_free(&plain);
  kith_index_free(&cached);
  return got;
}

static void sh(const char *fmt, const char *a, const char *b) {
  KithBuf cmd = KITH_BUF_INIT;
  kith_buf_printf(&cmd, fmt, a, b ? b : "");
  int rc = system(cmd.data);
  if (rc != 0)
    harness_fail(__FILE__, __LINE__, "`%s` failed (%d)", cmd.data, rc);
  kith_buf_free(&cmd);
}

static void write_file(const char *dir, const char *rel, const char *text) {
  char path[512];
  snprintf(path, sizeof path, "%s/%s", dir, rel);
  FILE *f = fopen(path, "w");
  CHECK(f != NULL);
  if (f) {
    fputs(text, f);
    fclose(f);
  }
}

// Sets the modification time of everything in `dir` to `ago` seconds ago (the cache takes only
// files older than a couple of seconds).
static void age(const char *dir, int ago) {
  char n[32];
  snprintf(n, sizeof n, "%d", ago);
  sh("find '%s' -type f -exec touch -d \"@$(( $(date +%%s) - %s ))\" {} +", dir, n);
}

// The cache file of `vault` (caller frees), or NULL.
static char *cache_file(const char *vault) {
  char *real = realpath(vault, NULL);
  char *file = real ? kith_cache_file(real) : NULL;
  free(real);
  CHECK(file != NULL);
  return file;
}

// Checks that the cache directory holds only cache files (no temporary file left behind).
static void only_cache_files(void) {
  char dir[160];
  snprintf(dir, sizeof dir, "%s/kith", cache);
  DIR *d = opendir(dir);
  struct dirent *e;
  int count = 0;
  while (d && (e = readdir(d))) {
    size_t n = strlen(e->d_name);
    if (e->d_name[0] == '.')
      continue;
    count++;
    CHECK(n > 4 && strcmp(e->d_name + n - 4, ".mpk") == 0);
  }
  if (d)
    closedir(d);
  CHECK(count > 0);
}

static char *kith_out(const char *args);

// --- tests ---------------------------------------------------------------------------------

static void test_example_vault(void) {
  sh("rm -rf '%s/kith'", cache, NULL);
  long n = same_index("examples/vault", "2026-11-26", -1, __LINE__);
  CHECK(n == 0);
  n = same_index("examples/vault", "2026-11-26", -1, __LINE__);
  CHECK(n > 0); // the checked-out notes are old enough to be cached
  same_index("examples/vault", "2027-06-01", -1, __LINE__);
  same_index("examples/vault", "2020-01-01", -1, __LINE__);
}

// Counted items keep their texts apart (KithNote.texts), read from the cache's mapped file
// rather than copied; follow-ups' and asks' texts are in the strings every count reads. Checked
// after a load that writes the cache and after one that reads it.
static void check_texts(const KithIndex *index, int line) {
  size_t borrowed = 0;
  for (size_t i = 0; i < index->vault.count; i++) {
    const KithNote *n = &index->notes[i];
    for (uint32_t k = 0; k < n->interaction_count; k++) {
      harness_checks++;
      if (!(n->interactions[k].text & KITH_NOTE_TEXT))
        harness_fail(__FILE__, line, "%s: item %u's text not among the texts",
                     index->vault.entries[i].path, k);
    }
    for (uint32_t k = 0; k < n->followup_count + n->ask_count; k++) {
      const KithInteraction *f =
          k < n->followup_count ? &n->followups[k] : &n->asks[k - n->followup_count];
      harness_checks++;
      if (f->text & KITH_NOTE_TEXT)
        harness_fail(__FILE__, line, "%s: a follow-up's or ask's text among the texts",
                     index->vault.entries[i].path);
    }
    if (n->texts_len > 0 || n->texts.len > 0) {
      harness_checks++;
      if (n->texts.data || !n->texts_view)
        harness_fail(__FILE__, line, "%s: texts owned, not borrowed from the cache",
                     index->vault.entries[i].path);
      borrowed++;
    }
  }
  harness_checks++;
  if (borrowed < 5 || !index->cache_map)
    harness_fail(__FILE__, line, "%zu notes borrow their texts from the cache", borrowed);
}

static void test_texts_from_the_cache(void) {
  sh("rm -rf '%s/kith'", cache, NULL);
  for (int round = 0; round < 2; round++) { // writing the cache, then reading it
    KithIndex plain, cached;
    char *error = NULL;
    CHECK(kith_index_load(&plain, "examples/vault", day("2026-11-26"), 2, &error) == 0);
    CHECK(kith_index_load_cached(&cached, "examples/vault", day("2026-11-26"), 2, &error) == 0);
    CHECK(round == 0 ? cached.cached == 0 : cached.cached > 5);
    check_texts(&cached, __LINE__);
    char *a = dump(&plain), *b = dump(&cached);
    CHECK_STR(b, a);
    free(a);
    free(b);
    kith_index_free(&plain);
    kith_index_free(&cached);
  }
}

static void test_generated_vault_edits(void) {
  if (!have_python) {
    fputs("cache: no python3: skipping the generated vault (scripts/deps installs it)\n", stderr);
    return;
  }
  char vault[128];
  snprintf(vault, sizeof vault, "%s/gen", tmp);
  sh("python3 bench/gen_vault.py --seed 7 --interactions 3000 --files 60 --contacts 80 --out "
     "'%s' >/dev/null%s",
     vault, NULL);
  age(vault, 3600);
  sh("rm -rf '%s/kith'", cache, NULL);
  KithIndex index;
  char *error = NULL;
  CHECK_INT(kith_index_load(&index, vault, day("2026-11-26"), 1, &error), 0);
  long total = (long)index.vault.count;
  CHECK(total >= 60);
  if (total < 60)
    return;
  const char *edited = index.vault.entries[0].path, *renamed = index.vault.entries[1].path;
  const char *deleted = index.vault.entries[2].path;
  char a[512], b[512];
  same_index(vault, "2026-11-26", 0, __LINE__);
  same_index(vault, "2026-11-26", total, __LINE__);
  // An edit that keeps the size (other mtime), one that grows the note, a rename, a deletion
  // and a new note.
  snprintf(a, sizeof a, "%s/%s", vault, edited);
  sh("sed -i 's/#gave/#got /' '%s'%s", a, NULL);
  sh("touch -d '@1000000000' '%s'%s", a, NULL);
  snprintf(a, sizeof a, "%s/%s", vault, renamed);
  snprintf(b, sizeof b, "%s/renamed.md", vault);
  sh("mv '%s' '%s'", a, b);
  snprintf(a, sizeof a, "%s/%s", vault, deleted);
  sh("rm '%s'%s", a, NULL);
  write_file(vault, "new.md", "# Zed @zed\n\n- 2026-11-01 #gave:3 lunch\n");
  snprintf(a, sizeof a, "%s/new.md", vault);
  sh("touch -d '@1000000000' '%s' '%s'", a, b);
  same_index(vault, "2026-11-26", total - 3, __LINE__);
  same_index(vault, "2026-11-26", total, __LINE__);
  kith_index_free(&index);
}

static void test_today(void) {
  char vault[128];
  snprintf(vault, sizeof vault, "%s/days", tmp);
  sh("mkdir -p '%s'%s", vault, NULL);
  write_file(vault, "a.md",
             "# Ann @ann\n\n- 2026-11-20 #gave lunch\n- 2026-12-01 #gave party\n"
             "- [ ] 2026-12-03 call back\n");
  write_file(vault, "b.md", "# Bob @bob\n\n- 2026-10-01 #got advice\n");
  write_file(vault, "c.md", "# Cy @cy\n\n- [ ] call\n");
  age(vault, 3600);
  sh("rm -rf '%s/kith'", cache, NULL);
  same_index(vault, "2026-11-26", 0, __LINE__);
  same_index(vault, "2026-11-26", 3, __LINE__);
  same_index(vault, "2026-11-30", 3, __LINE__); // nothing dated in between
  same_index(vault, "2026-12-02", 2, __LINE__); // a.md's party now counts
  same_index(vault, "2026-11-25", 2, __LINE__); // and no longer
  same_index(vault, "2026-10-01", 2, __LINE__); // b.md's advice is on that very day
  same_index(vault, "2026-09-30", 2, __LINE__); // a.md kept; b.md's advice is in the future
}

// (v3) What a note yields depends on the vault settings: a change of `.kith` (or of Obsidian's
// settings) re-reads the notes it may affect, and answers still equal a cold read.
static void test_settings_changes(void) {
  char vault[128];
  snprintf(vault, sizeof vault, "%s/settings", tmp);
  sh("mkdir -p '%s/people' '%s/Templates'", vault, vault);
  sh("mkdir -p '%s/.obsidian' '%s/Meetings'", vault, vault);
  write_file(vault, "plain.md", "# Ann @ann\n\n- 2026-11-20 #gave lunch\n");
  write_file(vault, "people/Jane Doe.md", "- 2026-11-20 #gave intro\n");
  write_file(vault, "Steph Ango.md", "---\ncategories: People\n---\n- 2026-11-21 #got tip\n");
  write_file(vault, "Meetings/Review.md",
             "---\ndate: 2026-11-12\nwith: [Jane Doe, \"@ann\"]\n---\n- #gave notes\n");
  write_file(vault, "Templates/Person.md", "---\ncategories: People\n---\n- {{date}} #gave x\n");
  age(vault, 3600);
  sh("rm -rf '%s/kith'", cache, NULL);
  same_index(vault, "2026-11-26", 0, __LINE__);
  same_index(vault, "2026-11-26", 5, __LINE__);
  // A contact folder and other meeting properties: the note with no front matter outside the
  // folder is still good; the folder's note and the notes with front matter are read again.
  write_file(vault, ".kith", "contacts: {folders: [People]}\nmeetings: {people: [attendees]}\n");
  same_index(vault, "2026-11-26", 1, __LINE__);
  same_index(vault, "2026-11-26", 5, __LINE__);
  // Options only, and folders to ignore: every note still good (one left out).
  write_file(vault, ".kith",
             "contacts: {folders: [People]}\nmeetings: {people: [attendees]}\n"
             "dormant_days: 30\nignore: [Templates]\n");
  same_index(vault, "2026-11-26", 4, __LINE__);
  // Obsidian's templates folder, and back to the defaults: the affected notes read again.
  write_file(vault, ".obsidian/templates.json", "{\"folder\": \"Templates\"}");
  sh("rm '%s/.kith'%s", vault, NULL);
  same_index(vault, "2026-11-26", 1, __LINE__);
  same_index(vault, "2026-11-26", 4, __LINE__);
  // The command line says the same with and without the cache.
  KithBuf cmd = KITH_BUF_INIT;
  kith_buf_printf(&cmd, "balances --json --today 2026-11-26 '%s'", vault);
  char *cold = kith_out(cmd.data);
  kith_buf_puts(&cmd, " --no-cache");
  char *plain = kith_out(cmd.data);
  CHECK(cold && plain && strcmp(cold, plain) == 0 && strstr(plain, "\"jane-doe\""));
  free(cold);
  free(plain);
  kith_buf_free(&cmd);
}

static void test_bad_cache_files(void) {
  char vault[128];
  snprintf(vault, sizeof vault, "%s/days", tmp);
  char *file = cache_file(vault);
  if (!file)
    return;
  KithBuf good = KITH_BUF_INIT;
  CHECK_INT(kith_buf_read_file(&good, file), 0);
  // a flipped byte in the middle, a truncated file, an empty one, garbage
  for (int k = 0; k < 4; k++) {
    FILE *f = fopen(file, "w");
    if (k == 0) {
      good.data[good.len / 2] ^= 0x20;
      fwrite(good.data, 1, good.len, f);
      good.data[good.len / 2] ^= 0x20;
    } else if (k == 1) {
      fwrite(good.data, 1, good.len - 7, f);
    } else if (k == 3) {
      fputs("\x95\xa4kith\xff\xff not msgpack", f);
    }
    fclose(f);
    same_index(vault, "2026-09-30", 0, __LINE__);
    same_index(vault, "2026-09-30", 3, __LINE__); // rewritten
  }
  // a cache of another format version (whole and with a valid checksum)
  msgpack_sbuffer sb;
  msgpack_sbuffer_init(&sb);
  msgpack_packer pk;
  msgpack_packer_init(&pk, &sb, msgpack_sbuffer_write);
  char *real = realpath(vault, NULL);
  msgpack_pack_array(&pk, 7);
  msgpack_pack_str_with_body(&pk, "kith-cache", 10);
  msgpack_pack_int(&pk, KITH_CACHE_VERSION + 1);
  msgpack_pack_str_with_body(&pk, real, strlen(real));
  msgpack_pack_uint64(&pk, 0);
  msgpack_pack_uint64(&pk, 0);
  msgpack_pack_uint64(&pk, 0);
  msgpack_pack_bin_with_body(&pk, "", 0);
  FILE *f = fopen(file, "w");
  fwrite(sb.data, 1, sb.size, f);
  fclose(f);
  same_index(vault, "2026-09-30", 0, __LINE__);
  same_index(vault, "2026-09-30", 3, __LINE__);
  msgpack_sbuffer_destroy(&sb);
  free(real);
  kith_buf_free(&good);
  free(file);
}

// Processes loading the same vault at once, each writing the cache every time (a note whose
// parse depends on the day, loaded on alternating days): the file is whole afterwards.
static void test_concurrent_writers(void) {
  char vault[128];
  snprintf(vault, sizeof vault, "%s/days", tmp);
  pid_t pids[4];
  for (int p = 0; p < 4; p++) {
    pids[p] = fork();
    if (pids[p] == 0) {
      for (int i = 0; i < 25; i++) {
        KithIndex index;
        if (kith_index_load_cached(&index, vault, day(i % 2 ? "2026-12-02" : "2026-11-26"), 1,
                                   NULL) != 0)
          _exit(1);
        kith_index_free(&index);
      }
      _exit(0);
    }
  }
  for (int p = 0; p < 4; p++) {
    int status = 0;
    CHECK(pids[p] > 0 && waitpid(pids[p], &status, 0) == pids[p]);
    CHECK(WIFEXITED(status) && WEXITSTATUS(status) == 0);
  }
  only_cache_files();
  same_index(vault, "2026-11-26", -1, __LINE__);
  same_index(vault, "2026-11-26", 3, __LINE__);
}

// Runs `kith <args>` and returns its stdout (caller frees).
static char *kith_out(const char *args) {
  const char *bin = getenv("KITH_BIN");
  KithBuf cmd = KITH_BUF_INIT, out = KITH_BUF_INIT;
  kith_buf_printf(&cmd, "'%s' %s", bin && *bin ? bin : "build/kith", args);
  FILE *p = popen(cmd.data, "r");
  char chunk[4096];
  size_t n;
  while (p && (n = fread(chunk, 1, sizeof chunk, p)) > 0)
    kith_buf_append(&out, chunk, n);
  if (p)
    pclose(p);
  kith_buf_free(&cmd);
  return out.data ? kith_buf_take(&out) : strdup("");
}

static void test_cli_same_bytes(void) {
  static const char *commands[] = {
      "balances --json --today 2026-11-26", "balances --today 2026-11-26",
      "check --today 2026-11-26",           "agenda --json --today 2026-11-26",
      "history ann --today 2026-12-02",
  };
  char vault[128];
  snprintf(vault, sizeof vault, "%s/gen", tmp);
  const char *vaults[] = {"examples/vault", vault};
  for (size_t v = 0; v < (have_python ? 2 : 1); v++) {
    for (size_t c = 0; c < sizeof commands / sizeof *commands; c++) {
      KithBuf a = KITH_BUF_INIT;
      kith_buf_printf(&a, "%s --no-cache '%s' 2>&1", commands[c], vaults[v]);
      char *plain = kith_out(a.data);
      a.len = 0;
      kith_buf_printf(&a, "%s '%s' 2>&1", commands[c], vaults[v]);
      char *cold = kith_out(a.data), *warm = kith_out(a.data);
      CHECK(strlen(plain) > 0);
      CHECK_STR(cold, plain);
      CHECK_STR(warm, plain);
      free(plain);
      free(cold);
      free(warm);
      kith_buf_free(&a);
    }
  }
}

int main(void) {
  snprintf(tmp, sizeof tmp, "/tmp/kith-test-cache-XXXXXX");
  if (!mkdtemp(tmp))
    return 1;
  snprintf(cache, sizeof cache, "%s/xdg", tmp);
  setenv("XDG_CACHE_HOME", cache, 1);
  have_python = system("command -v python3 >/dev/null 2>&1") == 0;
  RUN(test_example_vault);
  RUN(test_texts_from_the_cache);
  RUN(test_generated_vault_edits);
  RUN(test_today);
  RUN(test_bad_cache_files);
  RUN(test_concurrent_writers);
  RUN(test_cli_same_bytes);
  RUN(test_settings_changes);
  sh("rm -rf '%s'%s", tmp, NULL);
  return harness_finish("cache");
}
