#pragma once

// Just enough PNG to look at a browser's screenshot in a test: 8-bit RGB or RGBA, not
// interlaced (what headless Chromium writes), with its own inflate (RFC 1950/1951), so the
// tests need no image library.

#include <stddef.h>
#include <stdint.h>

typedef struct {
  uint32_t width, height;
  uint8_t *rgb; // width × height × 3 bytes, row by row (owned; alpha dropped)
} PngImage;

/// Decodes the PNG `data` (`len` bytes, borrowed) into `image` (caller frees with png_free).
/// Returns 0, or -1 with a reason in `*why` (static) when it is not a PNG this reads.
int png_decode(const uint8_t *data, size_t len, PngImage *image, const char **why);

/// Reads and decodes the PNG file at `path`. Returns 0 or -1 (with `*why`).
int png_read(const char *path, PngImage *image, const char **why);

void png_free(PngImage *image);

/// Inflates the zlib stream `in` (`len` bytes) into a new buffer (`*out`, caller frees) of
/// `*out_len` bytes. Returns 0 or -1 (with `*why`).
int png_inflate(const uint8_t *in, size_t len, uint8_t **out, size_t *out_len, const char **why);
