// `kith report --html` in a real browser (SPEC §3 v2): the page kith writes for the example
// vault, for an empty vault and for a range of one day is rendered by headless Chromium to a
// PNG, which this test decodes (tests/unit/png.c) to check that the page is the expected size,
// not blank, and that each chart really drew: the gives and receives bars in their colours, the
// balance lines, the calendar's cells, (v3) the network's discs, each where the SVG puts it.
// The page itself must reference nothing outside itself and hold no number an SVG cannot draw.
// It also prints to PDF.
//
// Chromium: $KITH_CHROMIUM, else chromium or chromium-browser on the PATH (Debian's chromium,
// which `make test` installs). Without one the test is skipped (exit 77).

// mkdtemp() and realpath() are XSI.
#define _XOPEN_SOURCE 700

#include "harness.h"

#include <ctype.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/wait.h>
#include <unistd.h>

#include "base/buf.h"
#include "png.h"

enum { PAGE_W = 1280, PAGE_H = 2400 };

static char work[64];
static char browser[512];

static const char *kith_bin(void) {
  const char *bin = getenv("KITH_BIN");
  return bin && *bin ? bin : "build/kith";
}

static int sh(const char *cmd) {
  int status = system(cmd);
  return status == -1 ? -1 : WIFEXITED(status) ? WEXITSTATUS(status) : -1;
}

// Finds Chromium: $KITH_CHROMIUM or the first of its names on the PATH.
static bool find_browser(void) {
  const char *env = getenv("KITH_CHROMIUM");
  if (env && *env) {
    snprintf(browser, sizeof browser, "%s", env);
    return access(browser, X_OK) == 0;
  }
  static const char *const names[] = {"chromium", "chromium-browser"};
  const char *path = getenv("PATH");
  for (size_t k = 0; k < 2; k++) {
    for (const char *p = path ? path : "/usr/bin"; *p;) {
      size_t n = strcspn(p, ":");
      snprintf(browser, sizeof browser, "%.*s/%s", (int)n, p, names[k]);
      if (n && access(browser, X_OK) == 0)
        return true;
      p += n + (p[n] == ':');
    }
  }
  return false;
}

// Writes the report of `vault` with `args` to `page` (in the work directory). Returns kith's
// exit code.
static int write_report(const char *vault, const char *args, const char *page) {
  char cmd[2048];
  snprintf(cmd, sizeof cmd, "'%s' report --html '%s/%s' --today 2026-11-26 %s '%s' >/dev/null",
           kith_bin(), work, page, args, vault);
  return sh(cmd);
}

// Renders `page` in Chromium: a screenshot (`png`, PAGE_W × PAGE_H) or, with `pdf`, a print.
static int render(const char *page, const char *png, bool pdf) {
  char profile[96], cmd[4096];
  snprintf(profile, sizeof profile, "%s/profile-XXXXXX", work);
  if (!mkdtemp(profile))
    return -1;
  // No network and no first-run work (this machine's network is closed); a fresh profile.
  snprintf(cmd, sizeof cmd,
           "timeout 120 '%s' --headless --no-sandbox --disable-gpu --disable-background-networking"
           " --disable-component-update --disable-sync --no-first-run --hide-scrollbars"
           " --force-device-scale-factor=1 --user-data-dir='%s' --window-size=%d,%d %s'%s/%s'"
           " 'file://%s/%s' >/dev/null 2>&1",
           browser, profile, PAGE_W, PAGE_H, pdf ? "--print-to-pdf=" : "--screenshot=", work, png,
           work, page);
  int rc = sh(cmd);
  snprintf(cmd, sizeof cmd, "rm -rf '%s'", profile);
  sh(cmd);
  return rc;
}

static char *read_text(const char *name) {
  char path[256];
  snprintf(path, sizeof path, "%s/%s", work, name);
  KithBuf buf = KITH_BUF_INIT;
  if (kith_buf_read_file(&buf, path) != 0)
    return NULL;
  return kith_buf_take(&buf);
}

// How many pixels of `img` have exactly the colour 0xRRGGBB.
static size_t pixels(const PngImage *img, uint32_t colour) {
  size_t n = 0, total = (size_t)img->width * img->height;
  uint8_t r = colour >> 16, g = (colour >> 8) & 0xff, b = colour & 0xff;
  for (size_t i = 0; i < total; i++)
    n += img->rgb[3 * i] == r && img->rgb[3 * i + 1] == g && img->rgb[3 * i + 2] == b;
  return n;
}

// How many different colours the image holds (up to `most`).
static size_t colours(const PngImage *img, size_t most) {
  size_t total = (size_t)img->width * img->height, count = 0;
  uint8_t *seen = calloc(1 << 21, 1); // a bit per 24-bit colour
  for (size_t i = 0; seen && i < total && count < most; i++) {
    uint32_t c = (uint32_t)img->rgb[3 * i] << 16 | img->rgb[3 * i + 1] << 8 | img->rgb[3 * i + 2];
    if (!(seen[c >> 3] & (1 << (c & 7)))) {
      seen[c >> 3] |= (uint8_t)(1 << (c & 7));
      count++;
    }
  }
  free(seen);
  return count;
}

// The page's colours (html.c's light theme).
enum {
  WHITE = 0xffffff,
  GAVE = 0x1f883d,
  GOT = 0xd4651b,
  L0 = 0xebedf0,
  L1 = 0x9be9a8,
  L2 = 0x40c463,
  L3 = 0x30a14e,
  L4 = 0x216e39,
  TEXT = 0x1f2328,
};
static const uint32_t series[8] = {0x4e79a7, 0xe15759, 0x59a14f, 0xb07aa1,
                                   0xf28e2b, 0x76b7b2, 0x9c755f, 0xc9a100};

static size_t calendar_active(const PngImage *img) {
  return pixels(img, L1) + pixels(img, L2) + pixels(img, L3) + pixels(img, L4);
}

static size_t series_pixels(const PngImage *img) {
  size_t n = 0;
  for (int i = 0; i < 8; i++)
    n += pixels(img, series[i]);
  return n;
}

// (v3) The network's disc colours (network.c's light theme), used for nothing else.
static const struct {
  const char *status;
  uint32_t colour;
} discs[] = {{"new", 0x8250df},           {"dormant", 0x768390}, {"owe", 0xcf222e},
             {"let-them-help", 0xb08800}, {"ok", 0x0969da},      {"overdue", 0xa40e26}};

static size_t disc_pixels(const PngImage *img) {
  size_t n = 0;
  for (size_t i = 0; i < sizeof discs / sizeof *discs; i++)
    n += pixels(img, discs[i].colour);
  return n;
}

static bool pixel_is(const PngImage *img, long x, long y, uint32_t colour) {
  if (x < 0 || y < 0 || x >= (long)img->width || y >= (long)img->height)
    return false;
  const uint8_t *p = &img->rgb[3 * ((size_t)y * img->width + (size_t)x)];
  return p[0] == (colour >> 16) && p[1] == ((colour >> 8) & 0xff) && p[2] == (colour & 0xff);
}

// The page references nothing outside itself and every number drawn is a number.
static void check_self_contained(const char *name, size_t least) {
  char *html = read_text(name);
  CHECK(html != NULL);
  if (!html)
    return;
  CHECK(strncmp(html, "<!DOCTYPE html>", 15) == 0);
  char *lower = strdup(html);
  for (char *p = lower; *p; p++)
    *p = (char)tolower((unsigned char)*p);
  static const char *const outside[] = {"<script", "http:",  "https:", "src=",      "url(",
                                        "@import", "<link",  "href=",  "<img",      "<iframe",
                                        "<object", "<embed", "//",     "@font-face"};
  for (size_t i = 0; i < sizeof outside / sizeof *outside; i++) {
    if (strstr(lower, outside[i]))
      harness_fail(__FILE__, __LINE__, "%s holds '%s'", name, outside[i]);
  }
  // Geometry attributes hold only digits, '.', '-', ',' and spaces (no NaN, no inf).
  static const char *const numeric[] = {
      " x=",  " y=", " x1=", " x2=",    " y1=",     " y2=",     " cx=",
      " cy=", " r=", " rx=", " width=", " height=", " points=", " viewbox="};
  size_t values = 0;
  for (size_t i = 0; i < sizeof numeric / sizeof *numeric; i++) {
    for (const char *at = strstr(lower, numeric[i]); at; at = strstr(at + 1, numeric[i])) {
      const char *v = at + strlen(numeric[i]);
      if (*v != '"')
        continue;
      size_t n = strcspn(v + 1, "\"");
      values++;
      if (n == 0 || strspn(v + 1, "0123456789.-, ") != n)
        harness_fail(__FILE__, __LINE__, "%s: %.*s", name, (int)(n + strlen(numeric[i]) + 2),
                     at + 1);
    }
  }
  CHECK(values > least); // the charts are there: 365 calendar cells alone have 4 each
  free(lower);
  free(html);
}

static bool screenshot(const char *page, const char *png, PngImage *img) {
  CHECK_INT(render(page, png, false), 0);
  char path[256];
  snprintf(path, sizeof path, "%s/%s", work, png);
  const char *why = NULL;
  if (png_read(path, img, &why) != 0) {
    harness_fail(__FILE__, __LINE__, "%s: %s", png, why);
    return false;
  }
  CHECK_INT(img->width, PAGE_W);
  CHECK_INT(img->height, PAGE_H);
  return img->width == PAGE_W && img->height == PAGE_H;
}

// What the empty vault's page shows of each colour: its legends only.
static size_t legend_gave, legend_got, legend_calendar;

static void test_example_vault(void) {
  CHECK_INT(write_report("examples/vault", "", "example.html"), 0);
  check_self_contained("example.html", 500);
  PngImage img;
  if (!screenshot("example.html", "example.png", &img))
    return;
  size_t total = (size_t)img.width * img.height;
  CHECK(pixels(&img, WHITE) > total / 2);       // a page, mostly background ...
  CHECK(pixels(&img, WHITE) < total * 19 / 20); // ... with something on it
  CHECK(colours(&img, 10000) > 100);
  CHECK(pixels(&img, GAVE) > legend_gave + 3000);        // the gives bars (and the table's numbers)
  CHECK(pixels(&img, GOT) > legend_got + 3000);          // the receives bars
  CHECK(pixels(&img, L0) > 20000);                       // the calendar's empty days
  CHECK(calendar_active(&img) > legend_calendar + 1000); // and its active ones
  CHECK(series_pixels(&img) > 2000);                     // eight balance lines and their labels
  CHECK(pixels(&img, TEXT) > 1000);                      // headings and text
  CHECK(disc_pixels(&img) > 3000);                       // (v3) the network's discs
  png_free(&img);
}

static void test_empty_vault(void) {
  char vault[128], cmd[512];
  snprintf(vault, sizeof vault, "%s/empty", work);
  snprintf(cmd, sizeof cmd, "mkdir -p '%s' && printf '# nobody yet\\n' > '%s/inbox.md'", vault,
           vault);
  CHECK_INT(sh(cmd), 0);
  CHECK_INT(write_report(vault, "", "empty.html"), 0);
  check_self_contained("empty.html", 500);
  char *html = read_text("empty.html");
  CHECK(html && strstr(html, "Nothing given or received in this range"));
  CHECK(html && strstr(html, "No counted interaction in this range"));
  free(html);
  PngImage img;
  if (!screenshot("empty.html", "empty.png", &img))
    return;
  // No bars, no active day: what there is of those colours is the legends' keys.
  legend_gave = pixels(&img, GAVE);
  legend_got = pixels(&img, GOT);
  legend_calendar = calendar_active(&img);
  CHECK(legend_gave > 0 && legend_gave < 400);
  CHECK(legend_got > 0 && legend_got < 400);
  CHECK(legend_calendar > 0 && legend_calendar < 1000);
  CHECK(pixels(&img, L0) > 20000); // the calendar is drawn, every day empty
  CHECK_INT(series_pixels(&img), 0);
  CHECK(pixels(&img, TEXT) > 500);
  CHECK(colours(&img, 10000) > 20);
  png_free(&img);
}

static void test_one_day(void) {
  // One week, 2026-W48, from a range of one day: gives, no receives, one point per line.
  CHECK_INT(
      write_report("examples/vault", "--by week --from 2026-11-25 --to 2026-11-25", "day.html"), 0);
  check_self_contained("day.html", 500);
  char *html = read_text("day.html");
  CHECK(html && strstr(html, "2026-W48") && !strstr(html, "2026-W47"));
  CHECK(html && !strstr(html, "<polyline")); // a point per contact, no line
  CHECK(html && strstr(html, "<circle"));
  free(html);
  PngImage img;
  if (!screenshot("day.html", "day.png", &img))
    return;
  CHECK(pixels(&img, GAVE) > legend_gave + 1000);
  CHECK(pixels(&img, GOT) < legend_got + 1500); // no bar: only the table's zeros
  CHECK(series_pixels(&img) > 100);
  png_free(&img);
}

// (v3) `kith graph --html`: the network drawn. Each disc of the SVG is found in the screenshot
// where the SVG puts it (the page offsets the drawing; the offset is where the discs' colours
// begin), in its status colour; no two discs overlap; names are text.
typedef struct {
  double x, y, r;
  uint32_t colour;
} Disc;

static size_t read_discs(const char *html, Disc *out, size_t most) {
  size_t n = 0;
  for (const char *p = html; p && n < most && (p = strstr(p, "<circle class=\"st-")); p++) {
    char status[32];
    double x, y, r;
    if (sscanf(p, "<circle class=\"st-%31[a-z-]\" cx=\"%lf\" cy=\"%lf\" r=\"%lf\"", status, &x, &y,
               &r) != 4)
      continue;
    for (size_t i = 0; i < sizeof discs / sizeof *discs; i++) {
      if (strcmp(discs[i].status, status) == 0)
        out[n++] = (Disc){x, y, r, discs[i].colour};
    }
  }
  return n;
}

static void test_network(void) {
  char cmd[1024];
  snprintf(cmd, sizeof cmd, "'%s' graph --html '%s/network.html' --today 2026-11-26 examples/vault",
           kith_bin(), work);
  CHECK_INT(sh(cmd), 0);
  check_self_contained("network.html", 40); // 4 numbers a disc, 4 a line
  char *html = read_text("network.html");
  Disc d[64];
  size_t n = html ? read_discs(html, d, 64) : 0;
  CHECK(n >= 10); // the example vault's contacts
  free(html);
  for (size_t i = 0; i < n; i++) {
    for (size_t j = i + 1; j < n; j++)
      CHECK(hypot(d[i].x - d[j].x, d[i].y - d[j].y) >= d[i].r + d[j].r);
  }
  PngImage img;
  if (n == 0 || !screenshot("network.html", "network.png", &img))
    return;
  // Where the drawing is: the top left of every disc colour's pixels, against the discs' own
  // top left (the 2px stroke in the background colour covers a disc's outer pixel).
  long px = (long)img.width, py = (long)img.height;
  for (uint32_t y = 0; y < img.height; y++) {
    for (uint32_t x = 0; x < img.width; x++) {
      for (size_t k = 0; k < sizeof discs / sizeof *discs; k++) {
        if (pixel_is(&img, x, y, discs[k].colour)) {
          px = (long)x < px ? (long)x : px;
          py = (long)y < py ? (long)y : py;
        }
      }
    }
  }
  double sx = 1e9, sy = 1e9;
  for (size_t i = 0; i < n; i++) {
    sx = fmin(sx, d[i].x - d[i].r);
    sy = fmin(sy, d[i].y - d[i].r);
  }
  long ox = px - (long)lround(sx) - 1, oy = py - (long)lround(sy) - 1;
  size_t found = 0;
  for (size_t i = 0; i < n; i++) {
    long cx = (long)lround(d[i].x) + ox, cy = (long)lround(d[i].y) + oy;
    // The centre and four points half way out, give or take the offset's pixel.
    bool hit = false;
    for (long dx = -1; dx <= 1 && !hit; dx++) {
      for (long dy = -1; dy <= 1 && !hit; dy++) {
        long h = (long)(d[i].r / 2);
        hit = pixel_is(&img, cx + dx, cy + dy, d[i].colour) &&
              pixel_is(&img, cx + dx + h, cy + dy, d[i].colour) &&
              pixel_is(&img, cx + dx - h, cy + dy, d[i].colour) &&
              pixel_is(&img, cx + dx, cy + dy + h, d[i].colour) &&
              pixel_is(&img, cx + dx, cy + dy - h, d[i].colour);
      }
    }
    if (!hit)
      harness_fail(__FILE__, __LINE__, "disc %zu (%.1f,%.1f r %.1f) not at %ld,%ld in its colour",
                   i, d[i].x, d[i].y, d[i].r, cx, cy);
    found += hit;
  }
  CHECK_INT(found, n);
  CHECK(pixels(&img, TEXT) > 500); // the names and the header
  png_free(&img);
}

static void test_print(void) {
  CHECK_INT(render("example.html", "example.pdf", true), 0);
  char *pdf = read_text("example.pdf");
  CHECK(pdf && strncmp(pdf, "%PDF-", 5) == 0);
  free(pdf);
}

int main(void) {
  if (!find_browser()) {
    printf("html: skipped: no Chromium (make test installs Debian's chromium; or set "
           "KITH_CHROMIUM)\n");
    return 77;
  }
  snprintf(work, sizeof work, "/tmp/kith-test-html-XXXXXX");
  if (!mkdtemp(work)) {
    perror("mkdtemp");
    return 1;
  }
  RUN(test_empty_vault);
  RUN(test_example_vault);
  RUN(test_one_day);
  RUN(test_network);
  RUN(test_print);
  char cmd[128];
  snprintf(cmd, sizeof cmd, "rm -rf '%s'", work);
  if (harness_failures == 0)
    sh(cmd);
  else
    printf("html: pages and screenshots kept in %s\n", work);
  return harness_finish("html");
}
