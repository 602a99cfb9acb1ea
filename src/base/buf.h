#pragma once

#include <stdarg.h>
#include <stddef.h>

/// A growable byte buffer, always NUL-terminated when `data` is not NULL.
typedef struct {
  char *data;
  size_t len;
  size_t cap;
} KithBuf;

#define KITH_BUF_INIT                                                                              \
  { NULL, 0, 0 }

/// Ensures room for `extra` more bytes (plus the NUL). Returns 0, or -1 when out of memory.
int kith_buf_reserve(KithBuf *buf, size_t extra);

/// Appends `len` bytes copied from `data` (borrowed). Returns 0 or -1.
int kith_buf_append(KithBuf *buf, const char *data, size_t len);

/// Appends a NUL-terminated string (borrowed). Returns 0 or -1.
int kith_buf_puts(KithBuf *buf, const char *s);

/// Appends one byte. Returns 0 or -1.
int kith_buf_putc(KithBuf *buf, char c);

/// Appends printf-style formatted text. Returns 0 or -1.
int kith_buf_printf(KithBuf *buf, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

/// Hands the bytes to the caller (caller frees; never NULL unless out of memory) and resets `buf`.
char *kith_buf_take(KithBuf *buf);

/// Frees the bytes and resets `buf`.
void kith_buf_free(KithBuf *buf);

/// Reads a whole file into `out` (caller frees out->data). Returns 0, or a negative errno.
int kith_buf_read_file(KithBuf *out, const char *path);
