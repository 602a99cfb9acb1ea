#include "notes/grammar.h"

#include <limits.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "base/buf.h"

const TSLanguage *tree_sitter_markdown(void);
const TSLanguage *tree_sitter_markdown_inline(void);
extern const char kith_embedded_query[];

const TSLanguage *kith_grammar_block(void) {
  return tree_sitter_markdown();
}

const TSLanguage *kith_grammar_inline(void) {
  return tree_sitter_markdown_inline();
}

// Reads `path` into a static copy when it exists. Returns the text or NULL.
static const char *grammar_try_file(const char *path, char **slot) {
  KithBuf buf = KITH_BUF_INIT;
  if (kith_buf_read_file(&buf, path) != 0) {
    kith_buf_free(&buf);
    return NULL;
  }
  *slot = kith_buf_take(&buf);
  return *slot;
}

static char *grammar_loaded;
static char grammar_where[PATH_MAX + 128];
static const char *grammar_source;
static pthread_once_t grammar_once = PTHREAD_ONCE_INIT;

static void grammar_find_query(void) {
  char **loaded = &grammar_loaded;
  const char *source = NULL;
  const char *dir = getenv("KITH_QUERIES");
  char path[PATH_MAX + 64];
  if (dir && *dir) {
    snprintf(path, sizeof path, "%s/markdown/kith.scm", dir);
    source = grammar_try_file(path, loaded);
  }
  if (!source) {
    char exe[PATH_MAX];
    ssize_t n = readlink("/proc/self/exe", exe, sizeof exe - 1);
    if (n > 0) {
      exe[n] = '\0';
      char *slash = strrchr(exe, '/');
      if (slash) {
        *slash = '\0';
        snprintf(path, sizeof path, "%s/../queries/markdown/kith.scm", exe);
        source = grammar_try_file(path, loaded);
      }
    }
  }
  if (source) {
    snprintf(grammar_where, sizeof grammar_where, "%s", path);
  } else {
    source = kith_embedded_query;
    snprintf(grammar_where, sizeof grammar_where, "compiled-in");
  }
  grammar_source = source;
}

const char *kith_grammar_query_source(const char **origin) {
  pthread_once(&grammar_once, grammar_find_query);
  if (origin)
    *origin = grammar_where;
  return grammar_source;
}

TSQuery *kith_grammar_query_new(char **error) {
  const char *origin = NULL;
  const char *source = kith_grammar_query_source(&origin);
  uint32_t offset = 0;
  TSQueryError kind = TSQueryErrorNone;
  TSQuery *query =
      ts_query_new(kith_grammar_block(), source, (uint32_t)strlen(source), &offset, &kind);
  if (!query && source != kith_embedded_query) {
    fprintf(stderr, "kith: bad query in %s at byte %u (error %d); using the compiled-in one\n",
            origin, offset, (int)kind);
    query = ts_query_new(kith_grammar_block(), kith_embedded_query,
                         (uint32_t)strlen(kith_embedded_query), &offset, &kind);
  }
  if (!query && error) {
    KithBuf msg = KITH_BUF_INIT;
    kith_buf_printf(&msg, "cannot compile the kith query (error %d at byte %u)", (int)kind, offset);
    *error = kith_buf_take(&msg);
  }
  return query;
}
