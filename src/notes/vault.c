// realpath() is XSI.
#define _XOPEN_SOURCE 700

#include "notes/vault.h"

#include <dirent.h>
#include <errno.h>
#include <limits.h>
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "base/buf.h"

char *kith_vault_find(const char *start) {
  char *dir = realpath(start, NULL);
  while (dir) {
    static const char *const markers[] = {".kith", ".obsidian"};
    for (size_t i = 0; i < sizeof markers / sizeof *markers; i++) {
      KithBuf path = KITH_BUF_INIT;
      struct stat st;
      kith_buf_printf(&path, "%s/%s", strcmp(dir, "/") == 0 ? "" : dir, markers[i]);
      bool found = path.data && lstat(path.data, &st) == 0;
      kith_buf_free(&path);
      if (found)
        return dir;
    }
    char *slash = strrchr(dir, '/');
    if (!slash || strcmp(dir, "/") == 0)
      break;
    if (slash == dir)
      slash[1] = '\0'; // the parent is the root
    else
      *slash = '\0';
  }
  free(dir);
  return NULL;
}

int kith_vault_is_note_name(const char *name) {
  size_t n = strlen(name);
  return (n > 3 && strcmp(name + n - 3, ".md") == 0) ||
         (n > 9 && strcmp(name + n - 9, ".markdown") == 0);
}

static int vault_add(KithVault *vault, const char *path, int error) {
  if (vault->count == vault->cap) {
    size_t cap = vault->cap ? vault->cap * 2 : 64;
    KithVaultEntry *grown = realloc(vault->entries, cap * sizeof *grown);
    if (!grown)
      return -1;
    vault->entries = grown;
    vault->cap = cap;
  }
  char *copy = strdup(path);
  if (!copy)
    return -1;
  vault->entries[vault->count++] = (KithVaultEntry){copy, error};
  return 0;
}

// Walks the directory `rel` (relative to the root; "" for the root itself), leaving out the
// folders `settings` (NULL: none) ignore.
static int vault_walk(KithVault *vault, KithBuf *abs, const char *rel,
                      const KithSettings *settings) {
  size_t abs_len = abs->len;
  DIR *dir = opendir(abs->data);
  if (!dir)
    return vault_add(vault, rel, errno);
  int rc = 0;
  struct dirent *ent;
  KithBuf child = KITH_BUF_INIT;
  while ((ent = readdir(dir)) != NULL) {
    const char *name = ent->d_name;
    if (name[0] == '.' || strcmp(name, "node_modules") == 0)
      continue; // hidden entries, `.`, `..` and node_modules
    abs->len = abs_len;
    if (kith_buf_putc(abs, '/') != 0 || kith_buf_puts(abs, name) != 0)
      goto fail;
    struct stat st;
    if (lstat(abs->data, &st) != 0)
      continue;
    int is_dir = S_ISDIR(st.st_mode);
    int is_note = kith_vault_is_note_name(name);
    int link_error = 0;
    if (S_ISLNK(st.st_mode)) {
      struct stat target;
      if (stat(abs->data, &target) != 0) {
        if (!is_note)
          continue;
        link_error = errno; // a note whose link is broken: say so (cannot read)
      } else if (S_ISDIR(target.st_mode)) {
        continue; // directory symlinks are not followed
      } else {
        st = target;
      }
      is_dir = 0;
    }
    if (!is_dir && !link_error && !(is_note && S_ISREG(st.st_mode)))
      continue;
    child.len = 0;
    if ((*rel && (kith_buf_puts(&child, rel) != 0 || kith_buf_putc(&child, '/') != 0)) ||
        kith_buf_puts(&child, name) != 0)
      goto fail;
    if (link_error) {
      if (vault_add(vault, child.data, link_error) != 0)
        goto fail;
      continue;
    }
    if (is_dir) {
      if (settings && kith_settings_ignored(settings, child.data))
        continue;
      char *sub = kith_buf_take(&child);
      if (!sub)
        goto fail;
      rc = vault_walk(vault, abs, sub, settings);
      free(sub);
      if (rc != 0)
        goto done;
    } else if (vault_add(vault, child.data, 0) != 0) {
      goto fail;
    }
  }
  goto done;
fail:
  rc = -1;
done:
  kith_buf_free(&child);
  closedir(dir);
  abs->len = abs_len;
  if (abs->data)
    abs->data[abs_len] = '\0';
  return rc;
}

static int vault_cmp(const void *a, const void *b) {
  const KithVaultEntry *x = a, *y = b;
  return strcmp(x->path, y->path);
}

int kith_vault_open(KithVault *vault, const char *root, const KithSettings *settings,
                    char **error) {
  memset(vault, 0, sizeof *vault);
  KithBuf abs = KITH_BUF_INIT;
  KithBuf msg = KITH_BUF_INIT;
  struct stat st;
  if (stat(root, &st) != 0) {
    kith_buf_printf(&msg, "cannot open vault %s: %s", root, strerror(errno));
    goto fail;
  }
  if (!S_ISDIR(st.st_mode)) {
    kith_buf_printf(&msg, "cannot open vault %s: not a directory", root);
    goto fail;
  }
  DIR *probe = opendir(root);
  if (!probe) {
    kith_buf_printf(&msg, "cannot open vault %s: %s", root, strerror(errno));
    goto fail;
  }
  closedir(probe);
  vault->root = strdup(root);
  if (!vault->root || kith_buf_puts(&abs, root) != 0 ||
      vault_walk(vault, &abs, "", settings) != 0) {
    kith_buf_printf(&msg, "cannot open vault %s: out of memory", root);
    goto fail;
  }
  kith_buf_free(&abs);
  if (vault->count > 1)
    qsort(vault->entries, vault->count, sizeof *vault->entries, vault_cmp);
  return 0;
fail:
  kith_buf_free(&abs);
  kith_vault_free(vault);
  if (error)
    *error = kith_buf_take(&msg);
  else
    kith_buf_free(&msg);
  return -1;
}

void kith_vault_free(KithVault *vault) {
  for (size_t i = 0; i < vault->count; i++)
    free(vault->entries[i].path);
  free(vault->entries);
  free(vault->root);
  memset(vault, 0, sizeof *vault);
}
