#include "base/buf.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

int kith_buf_reserve(KithBuf *buf, size_t extra) {
  if (buf->len + extra + 1 <= buf->cap)
    return 0;
  size_t cap = buf->cap ? buf->cap : 64;
  while (cap < buf->len + extra + 1)
    cap *= 2;
  char *data = realloc(buf->data, cap);
  if (!data)
    return -1;
  buf->data = data;
  buf->cap = cap;
  return 0;
}

int kith_buf_append(KithBuf *buf, const char *data, size_t len) {
  if (kith_buf_reserve(buf, len) != 0)
    return -1;
  if (len)
    memcpy(buf->data + buf->len, data, len);
  buf->len += len;
  buf->data[buf->len] = '\0';
  return 0;
}

int kith_buf_puts(KithBuf *buf, const char *s) {
  return kith_buf_append(buf, s, strlen(s));
}

int kith_buf_putc(KithBuf *buf, char c) {
  return kith_buf_append(buf, &c, 1);
}

int kith_buf_printf(KithBuf *buf, const char *fmt, ...) {
  va_list ap;
  va_start(ap, fmt);
  int n = vsnprintf(NULL, 0, fmt, ap);
  va_end(ap);
  if (n < 0 || kith_buf_reserve(buf, (size_t)n) != 0)
    return -1;
  va_start(ap, fmt);
  vsnprintf(buf->data + buf->len, (size_t)n + 1, fmt, ap);
  va_end(ap);
  buf->len += (size_t)n;
  return 0;
}

char *kith_buf_take(KithBuf *buf) {
  if (!buf->data && kith_buf_reserve(buf, 0) != 0)
    return NULL;
  if (buf->len == 0)
    buf->data[0] = '\0';
  char *data = buf->data;
  buf->data = NULL;
  buf->len = buf->cap = 0;
  return data;
}

void kith_buf_free(KithBuf *buf) {
  free(buf->data);
  buf->data = NULL;
  buf->len = buf->cap = 0;
}

int kith_buf_read_file(KithBuf *out, const char *path) {
  int err = 0;
  FILE *f = fopen(path, "rb");
  if (!f)
    return -errno;
  if (fseek(f, 0, SEEK_END) == 0) {
    long size = ftell(f);
    if (size > 0 && kith_buf_reserve(out, (size_t)size) != 0) {
      err = -ENOMEM;
      goto fail;
    }
    rewind(f);
  }
  for (;;) {
    if (kith_buf_reserve(out, 65536) != 0) {
      err = -ENOMEM;
      goto fail;
    }
    size_t n = fread(out->data + out->len, 1, out->cap - out->len - 1, f);
    out->len += n;
    out->data[out->len] = '\0';
    if (n == 0) {
      if (ferror(f))
        err = errno ? -errno : -EIO;
      break;
    }
  }
fail:
  fclose(f);
  return err;
}
