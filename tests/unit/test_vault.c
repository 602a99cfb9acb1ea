// The directory walk of SPEC §1 and the index over it: which files are notes, in what order,
// and what happens to files that cannot be read.
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "harness.h"
#include "notes/index.h"
#include "notes/vault.h"

static char root[256];

static void put(const char *rel, const char *text, size_t len) {
  char path[512];
  snprintf(path, sizeof path, "%s/%s", root, rel);
  for (char *p = path + strlen(root) + 1; *p; p++) {
    if (*p == '/') {
      *p = '\0';
      mkdir(path, 0755);
      *p = '/';
    }
  }
  FILE *f = fopen(path, "wb");
  CHECK(f != NULL);
  if (f) {
    fwrite(text, 1, len, f);
    fclose(f);
  }
}

static void link_to(const char *target, const char *rel) {
  char path[512];
  snprintf(path, sizeof path, "%s/%s", root, rel);
  CHECK(symlink(target, path) == 0);
}

static void make_vault(void) {
  snprintf(root, sizeof root, "/tmp/kith-test-vault-XXXXXX");
  CHECK(mkdtemp(root) != NULL);
  put("b.md", "# B @b\n", 7);
  put("A.md", "# A @a\n", 7);
  put("notes.markdown", "# N @n\n", 7);
  put("people/z.md", "# Z @z\n- 2026-01-01 #gave x\n", 28);
  put("people/readme.txt", "not a note", 10);
  put(".hidden/h.md", "# H @h\n", 7);
  put("node_modules/pkg/m.md", "# M @m\n", 7);
  put("deep/er/x.md", "# X @x\n", 7);
  put("bin.md", "# Bin @bin\n\0\1\2", 14);
  link_to("/tmp", "linked-dir");
  link_to("b.md", "alias.md");
  link_to("/nonexistent/kith.md", "broken.md");
}

static void cleanup(void) {
  char cmd[300];
  snprintf(cmd, sizeof cmd, "rm -rf '%s'", root);
  CHECK(system(cmd) == 0);
}

static void test_walk_finds_notes_sorted_bytewise(void) {
  KithVault v;
  char *error = NULL;
  CHECK_INT(kith_vault_open(&v, root, NULL, &error), 0);
  const char *want[] = {"A.md",      "alias.md",     "b.md",           "bin.md",
                        "broken.md", "deep/er/x.md", "notes.markdown", "people/z.md"};
  CHECK_INT(v.count, sizeof want / sizeof *want);
  for (size_t i = 0; i < v.count && i < sizeof want / sizeof *want; i++)
    CHECK_STR(v.entries[i].path, want[i]);
  for (size_t i = 0; i < v.count; i++)
    CHECK_INT(v.entries[i].error != 0, strcmp(v.entries[i].path, "broken.md") == 0);
  kith_vault_free(&v);
}

static void test_missing_root_is_an_error(void) {
  KithVault v;
  char *error = NULL;
  CHECK_INT(kith_vault_open(&v, "/nonexistent/kith-vault", NULL, &error), -1);
  CHECK(error && strstr(error, "/nonexistent/kith-vault"));
  free(error);
  error = NULL;
  char file[300];
  snprintf(file, sizeof file, "%s/b.md", root);
  CHECK_INT(kith_vault_open(&v, file, NULL, &error), -1);
  CHECK(error && strstr(error, "not a directory"));
  free(error);
}

static void test_index_diagnoses_binary_and_broken_files(void) {
  KithIndex index;
  char *error = NULL;
  CHECK_INT(kith_index_load(&index, root, KITH_DAY_NEVER, 2, &error), 0);
  for (size_t i = 0; i < index.vault.count; i++) {
    const char *path = index.vault.entries[i].path;
    const KithNote *n = &index.notes[i];
    if (strcmp(path, "bin.md") == 0) {
      CHECK_INT(n->heading_count, 0);
      CHECK(harness_has_diag(n, 1, 1, KITH_SEVERITY_WARNING, "binary file skipped"));
    } else if (strcmp(path, "broken.md") == 0) {
      CHECK(harness_has_diag(n, 1, 1, KITH_SEVERITY_ERROR, "cannot read"));
    } else {
      CHECK_INT(n->diagnostic_count, 0);
      CHECK_INT(n->heading_count, 1);
    }
  }
  kith_index_free(&index);
}

static void test_index_does_not_depend_on_threads(void) {
  KithIndex one, many;
  char *error = NULL;
  CHECK_INT(kith_index_load(&one, root, KITH_DAY_NEVER, 1, &error), 0);
  CHECK_INT(kith_index_load(&many, root, KITH_DAY_NEVER, 4, &error), 0);
  CHECK_INT(one.vault.count, many.vault.count);
  for (size_t i = 0; i < one.vault.count && i < many.vault.count; i++) {
    CHECK_STR(one.vault.entries[i].path, many.vault.entries[i].path);
    CHECK_INT(one.notes[i].heading_count, many.notes[i].heading_count);
    CHECK_INT(one.notes[i].interaction_count, many.notes[i].interaction_count);
    CHECK_INT(one.notes[i].diagnostic_count, many.notes[i].diagnostic_count);
  }
  kith_index_free(&one);
  kith_index_free(&many);
}

int main(void) {
  make_vault();
  RUN(test_walk_finds_notes_sorted_bytewise);
  RUN(test_missing_root_is_an_error);
  RUN(test_index_diagnoses_binary_and_broken_files);
  RUN(test_index_does_not_depend_on_threads);
  cleanup();
  return harness_finish("test_vault");
}
