#include "base/log.h"

#include <fcntl.h>
#include <pthread.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <time.h>
#include <unistd.h>

static int log_fd = -1;
static pthread_once_t log_once = PTHREAD_ONCE_INIT;

static void log_open(void) {
  const char *path = getenv("KITH_LOG");
  log_fd = STDERR_FILENO;
  if (path && *path) {
    int fd = open(path, O_WRONLY | O_CREAT | O_APPEND | O_CLOEXEC, 0644);
    if (fd >= 0)
      log_fd = fd;
  }
}

void kith_log(const char *fmt, ...) {
  pthread_once(&log_once, log_open);
  char line[1024];
  struct timespec ts;
  clock_gettime(CLOCK_REALTIME, &ts);
  struct tm tm;
  localtime_r(&ts.tv_sec, &tm);
  int n = snprintf(line, sizeof line, "kith %02d:%02d:%02d.%03ld ", tm.tm_hour, tm.tm_min,
                   tm.tm_sec, ts.tv_nsec / 1000000);
  va_list ap;
  va_start(ap, fmt);
  int m = vsnprintf(line + n, sizeof line - (size_t)n - 1, fmt, ap);
  va_end(ap);
  size_t len = (size_t)n + (m < 0 ? 0 : (size_t)m);
  if (len > sizeof line - 2)
    len = sizeof line - 2;
  line[len++] = '\n';
  ssize_t w = write(log_fd, line, len);
  (void)w;
}
