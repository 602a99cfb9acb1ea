// Drives `kith serve` the way Neovim does (msgpack-RPC over its stdin/stdout) to measure
// how a large buffer affects the host: how long its loop stops answering, whether another
// buffer is annotated meanwhile, how long until the large buffer is annotated, and the host's
// memory.
//
//   serve_bench KITH VAULT BIG_NOTE SMALL_NOTE
//
// Phases (BIG_NOTE and SMALL_NOTE are files of VAULT):
//   0 index   attach SMALL_NOTE (buffer 2); wait for its annotations (the vault is indexed,
//             BIG_NOTE's file included)
//   1 open    attach BIG_NOTE (buffer 1), send its whole text in one nvim_buf_lines_event;
//             once the host has read it, add an item to buffer 2 and wait for buffer 2's new
//             annotations (another buffer, while the big one parses) and for buffer 1's
//   2 edit    insert "## Zed @zed" at the top of buffer 1; wait for its new annotations
// All along, a kith_version request is sent every PROBE_MS (one at a time, when nothing else
// is queued) and its response time recorded per phase: the longest is how long the loop did
// not answer. Prints key=value lines. Built and run by bench/bignote.sh.

#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <msgpack.h>
#include <poll.h>
#include <signal.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#define PROBE_MS 20

typedef struct {
  char *data;
  size_t len, at;
} Out;

static pid_t child = -1;
static int to_child = -1, from_child = -1;
static Out out;
static msgpack_unpacker unpacker;
static uint32_t next_id = 100;

// The probe: one kith_version request at a time.
static uint32_t probe_id;
static double probe_sent, probe_next;
static double probe_max[4]; // per phase
static int probe_count[4];
static int phase;
// When buffer 1 / 2 got annotations: in phase 0 (index), 1 (open), 2 (edit)
static double applied1[3], applied2[3];
static int64_t last_tick1; // of buffer 1's last annotations
static bool big_queued;

static double now_ms(void) {
  struct timespec ts;
  clock_gettime(CLOCK_MONOTONIC, &ts);
  return ts.tv_sec * 1e3 + ts.tv_nsec / 1e6;
}

static void die(const char *what) {
  fprintf(stderr, "serve_bench: %s\n", what);
  if (child > 0)
    kill(child, SIGKILL);
  exit(1);
}

static void queue(const char *data, size_t len) {
  char *grown = realloc(out.data, out.len + len);
  if (!grown)
    die("out of memory");
  out.data = grown;
  memcpy(out.data + out.len, data, len);
  out.len += len;
}

static void queue_sbuffer(msgpack_sbuffer *sb) {
  queue(sb->data, sb->size);
  msgpack_sbuffer_clear(sb);
}

static void pack_str(msgpack_packer *pk, const char *s, size_t n) {
  msgpack_pack_str(pk, n);
  msgpack_pack_str_body(pk, s, n);
}

static char *read_file(const char *path, size_t *len) {
  FILE *f = fopen(path, "rb");
  if (!f)
    die("cannot read a note");
  fseek(f, 0, SEEK_END);
  long n = ftell(f);
  fseek(f, 0, SEEK_SET);
  char *data = malloc((size_t)n + 1);
  if (!data || fread(data, 1, (size_t)n, f) != (size_t)n)
    die("cannot read a note");
  fclose(f);
  data[n] = '\0';
  *len = (size_t)n;
  return data;
}

// [2, "nvim_buf_lines_event", [buf, tick, first, last, lines, false]] with `text`'s lines.
static void queue_lines(int buf, int tick, int first, int last, const char *text, size_t len) {
  size_t count = 0;
  for (size_t i = 0; i < len; i++)
    count += text[i] == '\n';
  if (len > 0 && text[len - 1] != '\n')
    count++;
  msgpack_sbuffer sb;
  msgpack_sbuffer_init(&sb);
  msgpack_packer pk;
  msgpack_packer_init(&pk, &sb, msgpack_sbuffer_write);
  msgpack_pack_array(&pk, 3);
  msgpack_pack_int(&pk, 2);
  pack_str(&pk, "nvim_buf_lines_event", 20);
  msgpack_pack_array(&pk, 6);
  msgpack_pack_int(&pk, buf);
  msgpack_pack_int(&pk, tick);
  msgpack_pack_int(&pk, first);
  msgpack_pack_int(&pk, last);
  msgpack_pack_array(&pk, (uint32_t)count);
  for (size_t at = 0; at < len;) {
    const char *nl = memchr(text + at, '\n', len - at);
    size_t end = nl ? (size_t)(nl - text) : len;
    pack_str(&pk, text + at, end - at);
    at = end + 1;
  }
  msgpack_pack_false(&pk);
  queue_sbuffer(&sb);
  msgpack_sbuffer_destroy(&sb);
}

static void queue_request(uint32_t id, const char *method, void (*params)(msgpack_packer *)) {
  msgpack_sbuffer sb;
  msgpack_sbuffer_init(&sb);
  msgpack_packer pk;
  msgpack_packer_init(&pk, &sb, msgpack_sbuffer_write);
  msgpack_pack_array(&pk, 4);
  msgpack_pack_int(&pk, 0);
  msgpack_pack_uint32(&pk, id);
  pack_str(&pk, method, strlen(method));
  if (params)
    params(&pk);
  else
    msgpack_pack_array(&pk, 0);
  queue_sbuffer(&sb);
  msgpack_sbuffer_destroy(&sb);
}

static void queue_response(uint64_t id, bool value) {
  msgpack_sbuffer sb;
  msgpack_sbuffer_init(&sb);
  msgpack_packer pk;
  msgpack_packer_init(&pk, &sb, msgpack_sbuffer_write);
  msgpack_pack_array(&pk, 4);
  msgpack_pack_int(&pk, 1);
  msgpack_pack_uint64(&pk, id);
  msgpack_pack_nil(&pk);
  if (value)
    msgpack_pack_true(&pk);
  else
    msgpack_pack_nil(&pk);
  queue_sbuffer(&sb);
  msgpack_sbuffer_destroy(&sb);
}

static const char *vault, *big_path, *small_path;
static char *big_text, *small_text;
static size_t big_len, small_len;
static int attach_buf;    // the buffer whose kith_attach is being packed
static int debounce = 30; // $SERVE_DEBOUNCE

static void pack_attach(msgpack_packer *pk) {
  const char *path = attach_buf == 1 ? big_path : small_path;
  msgpack_pack_array(pk, 4);
  msgpack_pack_int(pk, attach_buf);
  pack_str(pk, path, strlen(path));
  pack_str(pk, vault, strlen(vault));
  msgpack_pack_map(pk, 2);
  pack_str(pk, "today", 5);
  pack_str(pk, "2026-11-26", 10);
  pack_str(pk, "debounce", 8);
  msgpack_pack_int(pk, debounce);
}

static void attach(int buf) {
  attach_buf = buf;
  queue_request(next_id++, "kith_attach", pack_attach);
}

static bool str_is(const msgpack_object *o, const char *s) {
  return o->type == MSGPACK_OBJECT_STR && o->via.str.size == strlen(s) &&
         memcmp(o->via.str.ptr, s, o->via.str.size) == 0;
}

// A request or response from the host.
static void handle(const msgpack_object *m) {
  if (m->type != MSGPACK_OBJECT_ARRAY || m->via.array.size < 3)
    die("the host sent something that is not msgpack-RPC");
  const msgpack_object *f = m->via.array.ptr;
  if (f[0].via.u64 == 1) { // a response
    if (f[1].via.u64 == probe_id && probe_id) {
      double took = now_ms() - probe_sent;
      if (took > probe_max[phase])
        probe_max[phase] = took;
      probe_count[phase]++;
      probe_id = 0;
      probe_next = probe_sent + PROBE_MS;
    }
    return;
  }
  if (f[0].via.u64 != 0 || m->via.array.size < 4)
    return; // a notification: nothing to do
  uint64_t id = f[1].via.u64;
  const msgpack_object *params = &f[3];
  const msgpack_object *code0 = params->via.array.size == 2 ? &params->via.array.ptr[0] : NULL;
  if (str_is(&f[2], "nvim_exec_lua") && code0 && code0->type == MSGPACK_OBJECT_STR &&
      memmem(code0->via.str.ptr, code0->via.str.size, "kith.sync').attach(", 19) != NULL) {
    // The host asks lua/kith/sync.lua for a buffer's text: answered true, then the text.
    int64_t buf = params->via.array.ptr[1].via.array.ptr[0].via.i64;
    queue_response(id, true);
    if (buf == 1) {
      queue_lines(1, 1, 0, -1, big_text, big_len);
      big_queued = true;
    } else
      queue_lines(2, 1, 0, -1, small_text, small_len);
  } else if (str_is(&f[2], "nvim_exec_lua")) {
    const msgpack_object *code = &params->via.array.ptr[0];
    const msgpack_object *args = &params->via.array.ptr[1];
    bool apply = code->type == MSGPACK_OBJECT_STR &&
                 memmem(code->via.str.ptr, code->via.str.size, ".apply", 6) != NULL;
    if (apply) {
      int64_t buf = args->via.array.ptr[0].via.i64;
      double *at = buf == 1 ? &applied1[phase] : &applied2[phase];
      if (buf == 1)
        last_tick1 = args->via.array.ptr[1].via.i64;
      if (phase < 3 && !*at)
        *at = now_ms();
    }
    queue_response(id, apply);
  } else {
    queue_response(id, true);
  }
}

// One round of I/O: writes what is queued, reads and handles what arrived, sends the probe.
static void pump(int wait_ms) {
  double t = now_ms();
  if (!probe_id && t >= probe_next && out.len == 0) { // nothing queued ahead of it
    probe_id = next_id++;
    probe_sent = t;
    queue_request(probe_id, "kith_version", NULL);
  }
  struct pollfd pfd[2] = {{from_child, POLLIN, 0}, {to_child, out.at < out.len ? POLLOUT : 0, 0}};
  if (poll(pfd, 2, wait_ms) < 0 && errno != EINTR)
    die("poll");
  if (pfd[1].revents & (POLLOUT | POLLERR)) {
    ssize_t n = write(to_child, out.data + out.at, out.len - out.at);
    if (n < 0 && errno != EAGAIN && errno != EINTR)
      die("the host closed its stdin");
    if (n > 0)
      out.at += (size_t)n;
    if (out.at == out.len)
      out.at = out.len = 0;
  }
  if (pfd[0].revents & (POLLIN | POLLHUP)) {
    if (!msgpack_unpacker_reserve_buffer(&unpacker, 1 << 16))
      die("out of memory");
    ssize_t n = read(from_child, msgpack_unpacker_buffer(&unpacker),
                     msgpack_unpacker_buffer_capacity(&unpacker));
    if (n == 0)
      die("the host exited");
    if (n > 0) {
      msgpack_unpacker_buffer_consumed(&unpacker, (size_t)n);
      msgpack_unpacked msg;
      msgpack_unpacked_init(&msg);
      while (msgpack_unpacker_next(&unpacker, &msg) == MSGPACK_UNPACK_SUCCESS)
        handle(&msg.data);
      msgpack_unpacked_destroy(&msg);
    }
  }
}

// Pumps until `done()` or the timeout.
static double deadline; // the whole run: $SERVE_TIMEOUT seconds (default 600)
static int failed_phase = -1;

static bool pump_until(bool (*done)(void)) {
  while (!done()) {
    if (now_ms() > deadline) {
      failed_phase = phase;
      return false;
    }
    pump(5);
  }
  return true;
}

static bool asked(void) {
  return big_queued;
}
static bool written(void) {
  return out.len == 0;
}
static bool small_indexed(void) {
  return applied2[0] > 0;
}
static bool both_applied(void) {
  return applied1[1] > 0 && applied2[1] > 0;
}
static int64_t edit_tick;
static bool edit_applied(void) {
  return last_tick1 == edit_tick;
}

static int cmp_double(const void *a, const void *b) {
  double x = *(const double *)a, y = *(const double *)b;
  return x < y ? -1 : x > y;
}
static bool probe_idle(void) {
  return probe_id == 0;
}

static long status_kb(const char *key) {
  char path[64], line[256];
  snprintf(path, sizeof path, "/proc/%d/status", (int)child);
  FILE *f = fopen(path, "r");
  long kb = -1;
  while (f && fgets(line, sizeof line, f)) {
    if (strncmp(line, key, strlen(key)) == 0)
      kb = strtol(line + strlen(key) + 1, NULL, 10);
  }
  if (f)
    fclose(f);
  return kb;
}

static void print_ms(const char *key, double at, double since) {
  if (at > 0)
    printf("%s=%.0f\n", key, at - since);
  else
    printf("%s=none\n", key);
}

int main(int argc, char **argv) {
  if (argc != 5) {
    fprintf(stderr, "usage: serve_bench KITH VAULT BIG_NOTE SMALL_NOTE\n");
    return 2;
  }
  signal(SIGPIPE, SIG_IGN);
  vault = argv[2];
  big_path = argv[3];
  small_path = argv[4];
  big_text = read_file(big_path, &big_len);
  small_text = read_file(small_path, &small_len);
  int in[2], outp[2];
  if (pipe(in) != 0 || pipe(outp) != 0)
    die("pipe");
  child = fork();
  if (child == 0) {
    dup2(in[0], 0);
    dup2(outp[1], 1);
    close(in[1]);
    close(outp[0]);
    const char *log = getenv("SERVE_LOG");
    int fd = open(log ? log : "/dev/null", O_WRONLY | O_CREAT | O_TRUNC, 0644);
    dup2(fd, 2);
    unsetenv("KITH_LOG");
    execl(argv[1], argv[1], "serve", (char *)NULL);
    _exit(127);
  }
  close(in[0]);
  close(outp[1]);
  to_child = in[1];
  from_child = outp[0];
  fcntl(to_child, F_SETFL, O_NONBLOCK);
  msgpack_unpacker_init(&unpacker, 1 << 16);
  const char *limit = getenv("SERVE_TIMEOUT");
  if (getenv("SERVE_DEBOUNCE"))
    debounce = atoi(getenv("SERVE_DEBOUNCE"));
  deadline = now_ms() + (limit ? atof(limit) : 600) * 1e3;
  long rss_start = -1;
  // Let the probe run a moment so the host is up.
  double t = now_ms();
  while (now_ms() - t < 200)
    pump(5);
  rss_start = status_kb("VmRSS:");

  // Phase 0: the small buffer, so that the vault is indexed.
  double t_index = now_ms();
  attach(2);
  bool ok = pump_until(small_indexed);
  long rss_indexed = status_kb("VmRSS:");

  // Phase 1: the big buffer; its text goes out once the host asks (sync.attach).
  phase = 1;
  double t0 = now_ms();
  attach(1);
  ok = ok && pump_until(asked) && pump_until(written);
  double sent = now_ms();
  static const char item[] = "- 2026-11-25 #gave:2 while the big note parses\n";
  queue_lines(2, 2, 1, 1, item, sizeof item - 1);
  ok = ok && pump_until(both_applied) && pump_until(probe_idle);
  double settled = now_ms();
  while (now_ms() - settled < 500)
    pump(5);
  long rss_open = status_kb("VmRSS:");

  // Phase 2: a line inserted at the top of the big buffer ($SERVE_EDITS times: inserted,
  // removed, inserted, ...; each changes its annotations).
  phase = 2;
  const char *edits_env = getenv("SERVE_EDITS");
  int edits = edits_env && atoi(edits_env) > 0 ? atoi(edits_env) : 1;
  double *took = calloc((size_t)edits, sizeof *took);
  double edited = now_ms();
  for (int k = 0; ok && k < edits; k++) {
    edit_tick = 2 + k;
    double t = now_ms();
    if (k % 2 == 0)
      queue_lines(1, (int)edit_tick, 0, 0, "## Zed @zed\n", 12);
    else
      queue_lines(1, (int)edit_tick, 0, 1, "", 0);
    ok = pump_until(edit_applied);
    took[k] = now_ms() - t;
  }
  ok = ok && pump_until(probe_idle);
  phase = 3;
  settled = now_ms();
  while (now_ms() - settled < 500)
    pump(5);
  long hwm = status_kb("VmHWM:"), rss = status_kb("VmRSS:");
  if (!ok) {
    // Report what is known: the probe still waiting has waited this long.
    if (probe_id && failed_phase >= 0 && now_ms() - probe_sent > probe_max[failed_phase])
      probe_max[failed_phase] = now_ms() - probe_sent;
    printf("timed_out_in_phase=%d\n", failed_phase);
    kill(child, SIGKILL);
  }
  close(to_child);
  int status = 0;
  waitpid(child, &status, 0);
  printf("note_bytes=%zu\n", big_len);
  print_ms("index_ms", applied2[0], t_index);
  print_ms("send_ms", ok ? sent : 0, t0);
  print_ms("other_buffer_annotated_ms", applied2[1], sent);
  print_ms("annotated_ms", applied1[1], t0);
  print_ms("edit_annotated_ms", applied1[2], edited);
  if (edits > 1 && ok) {
    qsort(took, (size_t)edits, sizeof *took, cmp_double);
    printf("edits=%d edit_p50_ms=%.1f edit_p95_ms=%.1f\n", edits, took[edits / 2],
           took[edits * 95 / 100]);
  }
  printf("probe_max_index_ms=%.0f\n", probe_max[0]);
  printf("probe_max_open_ms=%.0f\n", probe_max[1]);
  printf("probe_max_edit_ms=%.0f\n", probe_max[2]);
  printf("probes=%d\n", probe_count[0] + probe_count[1] + probe_count[2] + probe_count[3]);
  printf("rss_start_mb=%.1f\n", rss_start / 1024.0);
  printf("rss_indexed_mb=%.1f\n", rss_indexed / 1024.0);
  printf("rss_open_mb=%.1f\n", rss_open / 1024.0);
  printf("rss_end_mb=%.1f\n", rss / 1024.0);
  printf("peak_rss_mb=%.1f\n", hwm / 1024.0);
  printf("exit=%d\n", WIFEXITED(status) ? WEXITSTATUS(status) : -1);
  free(took);
  return ok ? 0 : 1;
}
