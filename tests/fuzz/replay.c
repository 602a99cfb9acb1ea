// A plain main() for a fuzz target: runs LLVMFuzzerTestOneInput once on every file named on the
// command line (a directory: on every file in it, sorted), like a libFuzzer binary given files.
// Built without sanitizers it runs the inputs through the release code: glibc's ctype tables
// and other uninstrumented code crash there where ASan builds do not (tests/fuzz/README.md).
// Arguments starting with '-' (libFuzzer options) are ignored.

#include <dirent.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "base/buf.h"
#include "fuzz.h"

// The input being run, named when it crashes (signal handler, or ASan's death callback).
static const char *replay_current;

void __asan_set_death_callback(void (*callback)(void)) __attribute__((weak));

static void replay_say_current(void) {
  if (!replay_current)
    return;
  static const char head[] = "replay: crashed on ";
  ssize_t w = write(STDERR_FILENO, head, sizeof head - 1);
  w = write(STDERR_FILENO, replay_current, strlen(replay_current));
  w = write(STDERR_FILENO, "\n", 1);
  (void)w;
}

static void replay_on_signal(int sig) {
  replay_say_current();
  raise(sig); // the handler was reset: die of the signal
}

static size_t replay_file(const char *path) {
  KithBuf data = KITH_BUF_INIT;
  int rc = kith_buf_read_file(&data, path);
  if (rc != 0) {
    fprintf(stderr, "replay: cannot read %s: %s\n", path, strerror(-rc));
    exit(2);
  }
  replay_current = path;
  // A copy of exactly the input's size, so an overread past it is caught under ASan.
  uint8_t *copy = malloc(data.len ? data.len : 1);
  if (!copy)
    exit(2);
  memcpy(copy, data.data ? data.data : "", data.len);
  LLVMFuzzerTestOneInput(copy, data.len);
  replay_current = NULL;
  free(copy);
  kith_buf_free(&data);
  return 1;
}

static int replay_cmp(const void *a, const void *b) {
  return strcmp(*(char *const *)a, *(char *const *)b);
}

static size_t replay_dir(const char *dir) {
  DIR *d = opendir(dir);
  if (!d) {
    fprintf(stderr, "replay: cannot open %s\n", dir);
    exit(2);
  }
  char **names = NULL;
  size_t count = 0;
  struct dirent *ent;
  while ((ent = readdir(d)) != NULL) {
    if (ent->d_name[0] == '.')
      continue;
    char **grown = realloc(names, (count + 1) * sizeof *names);
    if (!grown)
      exit(2);
    names = grown;
    KithBuf path = KITH_BUF_INIT;
    kith_buf_printf(&path, "%s/%s", dir, ent->d_name);
    names[count++] = kith_buf_take(&path);
  }
  closedir(d);
  qsort(names, count, sizeof *names, replay_cmp);
  size_t runs = 0;
  for (size_t i = 0; i < count; i++) {
    struct stat st;
    if (stat(names[i], &st) == 0 && S_ISREG(st.st_mode))
      runs += replay_file(names[i]);
    free(names[i]);
  }
  free(names);
  return runs;
}

int main(int argc, char **argv) {
  static const int signals[] = {SIGSEGV, SIGBUS, SIGABRT, SIGFPE, SIGILL};
  for (size_t i = 0; i < sizeof signals / sizeof *signals; i++) {
    struct sigaction sa;
    memset(&sa, 0, sizeof sa);
    sa.sa_handler = replay_on_signal;
    sa.sa_flags = (int)SA_RESETHAND;
    struct sigaction old;
    // Leave a sanitizer's handler in place: it reports, then calls the death callback.
    if (sigaction(signals[i], NULL, &old) == 0 && old.sa_handler == SIG_DFL)
      sigaction(signals[i], &sa, NULL);
  }
  if (__asan_set_death_callback)
    __asan_set_death_callback(replay_say_current);
  LLVMFuzzerInitialize(&argc, &argv);
  size_t runs = 0;
  for (int i = 1; i < argc; i++) {
    if (argv[i][0] == '-')
      continue;
    struct stat st;
    if (stat(argv[i], &st) != 0) {
      fprintf(stderr, "replay: no such file: %s\n", argv[i]);
      return 2;
    }
    runs += S_ISDIR(st.st_mode) ? replay_dir(argv[i]) : replay_file(argv[i]);
  }
  fprintf(stderr, "replay: %zu inputs, no failure\n", runs);
  return 0;
}
