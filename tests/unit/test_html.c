// `kith report --html` in a real browser (SPEC §3 v2): the page kith writes for the example
// vault, for an empty vault and for a range of one day is rendered by headless Chromium to a
// PNG, which this test decodes (tests/unit/png.c) to check that the page is the expected size,
// not blank, and that each chart really drew: the gives and receives bars in their colours, the
// balance lines, the calendar's cells. The page itself must reference nothing outside itself
// and hold no number an SVG cannot draw. It also prints to PDF.
//
// Chromium: $KITH_CHROMIUM, else chromium or chromium-browser on the PATH (Debian's chromium,
// which `make test` installs). Without one the test is skipped (exit 77).

// mkdtemp() and realpath() are XSI.
#define _XOPEN_SOURCE 700

#include "harness.h"

#include <ctype.h>
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

// The page references nothing outside itself and every number drawn is a number.
static void check_self_contained(const char *name) {
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
  CHECK(values > 500); // the charts are there: 365 calendar cells alone have 4 each
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
  check_self_contained("example.html");
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
  png_free(&img);
}

static void test_empty_vault(void) {
  char vault[128], cmd[512];
  snprintf(vault, sizeof vault, "%s/empty", work);
  snprintf(cmd, sizeof cmd, "mkdir -p '%s' && printf '# nobody yet\\n' > '%s/inbox.md'", vault,
           vault);
  CHECK_INT(sh(cmd), 0);
  CHECK_INT(write_report(vault, "", "empty.html"), 0);
  check_self_contained("empty.html");
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
  check_self_contained("day.html");
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
  RUN(test_print);
  char cmd[128];
  snprintf(cmd, sizeof cmd, "rm -rf '%s'", work);
  if (harness_failures == 0)
    sh(cmd);
  else
    printf("html: pages and screenshots kept in %s\n", work);
  return harness_finish("html");
}
