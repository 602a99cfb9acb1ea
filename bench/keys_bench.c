// Keystroke-to-screen latency of real Neovims with a UI attached: this program is the UI.
// It starts each Neovim (`nvim --embed ...`) on a pipe, attaches as a UI (nvim_ui_attach,
// ext_linegrid) and types the same keys into all of them, one nvim_input notification per key,
// paced like a person typing. A key's latency is the time from sending it to the next `flush`
// event of that Neovim's redraw notifications that ends a batch drawing something, i.e. until
// the screen shows the key. The
// Neovims take turns on every key (A, B, then B, A for the next key, ...), so that both see
// the same machine load. Also measured: each Neovim's CPU time (all its threads, from
// /proc/PID/task/*/schedstat) over the typing and the settling after it, and the flushes that
// came while no key was waiting (the rest of a key's redraw, kith's annotations arriving).
//
//   keys_bench [-r ROUNDS] [-p PACE_MS] [-s SETTLE_MS] KEYS NAME=COMMAND... BASE=COMMAND
//
// KEYS: one nvim_input string a line ("o", "a", "<CR>", "<Esc>"). COMMAND: a shell command
// that execs `nvim --embed ...` and makes its setup (bench/keys_setup.lua): the driver polls
// `return kith_keys_ready()` until it is true (a string is an error), then before every round
// calls `kith_keys_start()` (cursor to the starting line, normal mode), and at the end prints
// what `kith_keys_report()` returns (key=value lines, prefixed with the side's name). The last
// side is the baseline: the others' p50 and p95 are divided by its own. Prints key=value
// lines. Compare two sides at a time: with more, the middle ones always type right after
// another Neovim (warm caches) and come out faster than they are.
// Built by bench/keys.sh (CMake target keys_bench).

#define _GNU_SOURCE
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <getopt.h>
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

#define MAX_SIDES 4
#define UI_WIDTH 120
#define UI_HEIGHT 40
#define KEY_TIMEOUT_MS 2000.0
#define READY_TIMEOUT_MS 180000.0

typedef struct {
  char *data;
  size_t len, at;
} Out;

// The answer to the request a side waits for.
typedef struct {
  uint32_t id;
  bool done, error, truthy;
  char text[512]; // the error's message or a string result
} Reply;

typedef struct {
  const char *name, *command;
  pid_t pid;
  int to, from;
  Out out;
  msgpack_unpacker unpacker;
  uint32_t next_id;
  Reply reply;
  // typing
  bool pending; // a key was sent and has not reached the screen yet
  bool drawn;   // the batch being received changes the grid or the mode
  double sent_at, shown_at;
  double *lat, *cpu; // per key: ms until shown; Neovim's main thread's CPU ms meanwhile
  size_t lat_len, lat_cap;
  int schedstat; // /proc/PID/schedstat (the main thread), kept open
  int timeouts;
  int other_flushes; // flushes that came with no key pending
  double cpu_ms;
} Side;

static Side sides[MAX_SIDES];
static bool quitting; // Neovims exiting is expected
static bool trace;    // $KEYS_BENCH_TRACE: every redraw event to stderr
static int side_count;

static double now_ms(void) {
  struct timespec ts;
  clock_gettime(CLOCK_MONOTONIC, &ts);
  return ts.tv_sec * 1e3 + ts.tv_nsec / 1e6;
}

static void die(const Side *s, const char *what) {
  fprintf(stderr, "keys_bench: %s%s%s\n", s ? s->name : "", s ? ": " : "", what);
  for (int i = 0; i < side_count; i++) {
    if (sides[i].pid > 0)
      kill(sides[i].pid, SIGKILL);
  }
  exit(1);
}

// --- writing -------------------------------------------------------------------------------

static void queue(Side *s, msgpack_sbuffer *sb) {
  char *grown = realloc(s->out.data, s->out.len + sb->size);
  if (!grown)
    die(s, "out of memory");
  s->out.data = grown;
  memcpy(s->out.data + s->out.len, sb->data, sb->size);
  s->out.len += sb->size;
  msgpack_sbuffer_clear(sb);
}

static void pack_str(msgpack_packer *pk, const char *str) {
  size_t n = strlen(str);
  msgpack_pack_str(pk, n);
  msgpack_pack_str_body(pk, str, n);
}

// [0, id, method, params] (request) or [2, method, params] (notification); `params` packs
// the parameter array.
typedef void (*ParamsFn)(msgpack_packer *pk, const void *arg);

static uint32_t send_message(Side *s, bool request, const char *method, ParamsFn params,
                             const void *arg) {
  msgpack_sbuffer sb;
  msgpack_sbuffer_init(&sb);
  msgpack_packer pk;
  msgpack_packer_init(&pk, &sb, msgpack_sbuffer_write);
  uint32_t id = 0;
  if (request) {
    id = ++s->next_id;
    msgpack_pack_array(&pk, 4);
    msgpack_pack_int(&pk, 0);
    msgpack_pack_uint32(&pk, id);
  } else {
    msgpack_pack_array(&pk, 3);
    msgpack_pack_int(&pk, 2);
  }
  pack_str(&pk, method);
  params(&pk, arg);
  queue(s, &sb);
  msgpack_sbuffer_destroy(&sb);
  return id;
}

static void params_ui_attach(msgpack_packer *pk, const void *arg) {
  (void)arg;
  msgpack_pack_array(pk, 3);
  msgpack_pack_int(pk, UI_WIDTH);
  msgpack_pack_int(pk, UI_HEIGHT);
  msgpack_pack_map(pk, 2);
  pack_str(pk, "ext_linegrid");
  msgpack_pack_true(pk);
  pack_str(pk, "rgb");
  msgpack_pack_true(pk);
}

static void params_lua(msgpack_packer *pk, const void *code) {
  msgpack_pack_array(pk, 2);
  pack_str(pk, code);
  msgpack_pack_array(pk, 0);
}

static void params_input(msgpack_packer *pk, const void *key) {
  msgpack_pack_array(pk, 1);
  pack_str(pk, key);
}

// --- reading -------------------------------------------------------------------------------

static bool str_is(const msgpack_object *o, const char *str) {
  return o->type == MSGPACK_OBJECT_STR && o->via.str.size == strlen(str) &&
         memcmp(o->via.str.ptr, str, o->via.str.size) == 0;
}

static void copy_text(char *dst, size_t cap, const msgpack_object *o) {
  if (o->type == MSGPACK_OBJECT_STR) {
    size_t n = o->via.str.size < cap - 1 ? o->via.str.size : cap - 1;
    memcpy(dst, o->via.str.ptr, n);
    dst[n] = '\0';
  } else if (o->type == MSGPACK_OBJECT_ARRAY && o->via.array.size >= 2) {
    copy_text(dst, cap, &o->via.array.ptr[1]); // an API error: [type, message]
  } else {
    dst[0] = '\0';
  }
}

static void record(Side *s, double ms, double cpu) {
  if (s->lat_len == s->lat_cap) {
    s->lat_cap = s->lat_cap ? 2 * s->lat_cap : 1024;
    double *lat = realloc(s->lat, s->lat_cap * sizeof *lat);
    if (lat)
      s->lat = lat;
    double *grown = realloc(s->cpu, s->lat_cap * sizeof *grown);
    if (!lat || !grown)
      die(s, "out of memory");
    s->cpu = grown;
  }
  s->lat[s->lat_len] = ms;
  s->cpu[s->lat_len++] = cpu;
}

// A redraw notification: [[name, args...], ...]. A key has reached the screen at the first
// flush that ends a batch changing the grid or the mode: Neovim 0.7.2 flushes a batch holding
// only win_viewport before it draws the key.
static void handle_redraw(Side *s, const msgpack_object *events, double at) {
  if (events->type != MSGPACK_OBJECT_ARRAY)
    return;
  for (uint32_t i = 0; i < events->via.array.size; i++) {
    const msgpack_object *e = &events->via.array.ptr[i];
    if (e->type != MSGPACK_OBJECT_ARRAY || e->via.array.size < 1)
      continue;
    const msgpack_object *name = e->via.array.ptr;
    if (trace && name->type == MSGPACK_OBJECT_STR)
      fprintf(stderr, "%s %.3f %.*s x%u\n", s->name, at - s->sent_at, (int)name->via.str.size,
              name->via.str.ptr, e->via.array.size - 1);
    if (str_is(name, "grid_line") || str_is(name, "grid_scroll") || str_is(name, "grid_clear") ||
        str_is(name, "mode_change")) {
      s->drawn = true;
    } else if (str_is(name, "flush")) {
      if (s->pending && s->drawn) {
        s->shown_at = at;
        s->pending = false;
      } else if (!s->pending) {
        s->other_flushes++;
      }
      s->drawn = false;
    }
  }
}

static void handle(Side *s, const msgpack_object *m, double at) {
  if (m->type != MSGPACK_OBJECT_ARRAY || m->via.array.size < 3)
    die(s, "Neovim sent something that is not msgpack-RPC");
  const msgpack_object *f = m->via.array.ptr;
  if (f[0].via.u64 == 1 && m->via.array.size == 4) { // [1, id, error, result]
    if (f[1].via.u64 != s->reply.id)
      return;
    Reply *r = &s->reply;
    r->done = true;
    r->error = f[2].type != MSGPACK_OBJECT_NIL;
    const msgpack_object *res = r->error ? &f[2] : &f[3];
    r->truthy = !r->error && res->type != MSGPACK_OBJECT_NIL &&
                !(res->type == MSGPACK_OBJECT_BOOLEAN && !res->via.boolean);
    copy_text(r->text, sizeof r->text, res);
  } else if (f[0].via.u64 == 2 && str_is(&f[1], "redraw")) {
    handle_redraw(s, &f[2], at);
  }
}

// One round of I/O on every side: writes what is queued, reads and handles what arrived.
static void pump(int wait_ms) {
  struct pollfd pfd[2 * MAX_SIDES];
  for (int i = 0; i < side_count; i++) {
    Side *s = &sides[i];
    pfd[2 * i] = (struct pollfd){s->from, POLLIN, 0};
    pfd[2 * i + 1] = (struct pollfd){s->to, s->out.at < s->out.len ? POLLOUT : 0, 0};
  }
  if (poll(pfd, 2 * (nfds_t)side_count, wait_ms) < 0 && errno != EINTR)
    die(NULL, "poll");
  double at = now_ms();
  for (int i = 0; i < side_count; i++) {
    Side *s = &sides[i];
    if (pfd[2 * i + 1].revents & (POLLOUT | POLLERR)) {
      ssize_t n = write(s->to, s->out.data + s->out.at, s->out.len - s->out.at);
      if (n < 0 && errno != EAGAIN && errno != EINTR)
        die(s, "Neovim closed its stdin");
      if (n > 0)
        s->out.at += (size_t)n;
      if (s->out.at == s->out.len)
        s->out.at = s->out.len = 0;
    }
    if (pfd[2 * i].revents & (POLLIN | POLLHUP)) {
      if (!msgpack_unpacker_reserve_buffer(&s->unpacker, 1 << 16))
        die(s, "out of memory");
      ssize_t n = read(s->from, msgpack_unpacker_buffer(&s->unpacker),
                       msgpack_unpacker_buffer_capacity(&s->unpacker));
      if (n == 0 && !quitting)
        die(s, "Neovim exited");
      if (n == 0) {
        close(s->from);
        s->from = -1; // poll() skips it
        continue;
      }
      if (n > 0) {
        msgpack_unpacker_buffer_consumed(&s->unpacker, (size_t)n);
        msgpack_unpacked msg;
        msgpack_unpacked_init(&msg);
        while (msgpack_unpacker_next(&s->unpacker, &msg) == MSGPACK_UNPACK_SUCCESS)
          handle(s, &msg.data, at);
        msgpack_unpacked_destroy(&msg);
      }
    }
  }
}

// Sends a request to one side and pumps (all sides) until its answer.
static Reply *call(Side *s, const char *method, ParamsFn params, const void *arg) {
  s->reply = (Reply){0};
  s->reply.id = send_message(s, true, method, params, arg);
  double deadline = now_ms() + READY_TIMEOUT_MS;
  while (!s->reply.done) {
    if (now_ms() > deadline)
      die(s, method);
    pump(10);
  }
  return &s->reply;
}

static void settle(double ms) {
  double until = now_ms() + ms;
  for (double t = now_ms(); t < until; t = now_ms())
    pump((int)(until - t) + 1);
}

// --- the Neovims ---------------------------------------------------------------------------

static void spawn(Side *s) {
  int in[2], out[2];
  if (pipe(in) != 0 || pipe(out) != 0)
    die(s, "pipe");
  s->pid = fork();
  if (s->pid < 0)
    die(s, "fork");
  if (s->pid == 0) {
    dup2(in[0], 0);
    dup2(out[1], 1);
    close(in[0]);
    close(in[1]);
    close(out[0]);
    close(out[1]);
    execl("/bin/sh", "sh", "-c", s->command, (char *)NULL);
    _exit(127);
  }
  close(in[0]);
  close(out[1]);
  s->to = in[1];
  s->from = out[0];
  fcntl(s->to, F_SETFL, O_NONBLOCK);
  msgpack_unpacker_init(&s->unpacker, 1 << 16);
  char path[64];
  snprintf(path, sizeof path, "/proc/%d/schedstat", (int)s->pid);
  if ((s->schedstat = open(path, O_RDONLY)) < 0)
    die(s, "cannot open /proc/PID/schedstat");
}

// CPU time (ms) of the main thread so far (where Neovim handles keys and redraws).
static double main_cpu_ms(Side *s) {
  char buf[128];
  ssize_t n = pread(s->schedstat, buf, sizeof buf - 1, 0);
  if (n <= 0)
    die(s, "cannot read /proc/PID/schedstat");
  buf[n] = '\0';
  return strtod(buf, NULL) / 1e6;
}

// CPU time (ms) of all threads of a process so far.
static double cpu_ms(const Side *s) {
  char path[64];
  snprintf(path, sizeof path, "/proc/%d/task", (int)s->pid);
  DIR *d = opendir(path);
  if (!d)
    return 0;
  double ns = 0;
  struct dirent *e;
  while ((e = readdir(d))) {
    if (e->d_name[0] == '.')
      continue;
    char file[384];
    snprintf(file, sizeof file, "%s/%s/schedstat", path, e->d_name);
    FILE *f = fopen(file, "r");
    unsigned long long run = 0;
    if (f && fscanf(f, "%llu", &run) == 1)
      ns += (double)run;
    if (f)
      fclose(f);
  }
  closedir(d);
  return ns / 1e6;
}

static void ready(Side *s) {
  double deadline = now_ms() + READY_TIMEOUT_MS;
  for (;;) {
    Reply *r = call(s, "nvim_exec_lua", params_lua, "return kith_keys_ready()");
    if (r->error || (r->truthy && r->text[0]))
      die(s, r->text[0] ? r->text : "kith_keys_ready() failed");
    if (r->truthy)
      return;
    if (now_ms() > deadline)
      die(s, "not ready in time");
    settle(100);
  }
}

// --- keys ----------------------------------------------------------------------------------

static char **read_keys(const char *path, size_t *count) {
  FILE *f = fopen(path, "r");
  if (!f)
    die(NULL, "cannot read the keys file");
  char **keys = NULL;
  size_t n = 0, cap = 0;
  char line[256];
  while (fgets(line, sizeof line, f)) {
    line[strcspn(line, "\n")] = '\0';
    if (!line[0])
      continue;
    if (n == cap) {
      cap = cap ? 2 * cap : 256;
      char **grown = realloc(keys, cap * sizeof *keys);
      if (!grown)
        die(NULL, "out of memory");
      keys = grown;
    }
    if (!(keys[n++] = strdup(line)))
      die(NULL, "out of memory");
  }
  fclose(f);
  *count = n;
  return keys;
}

// Sends one key to one side and pumps until its flush (or the timeout).
static void type_key(Side *s, const char *key) {
  double cpu = main_cpu_ms(s);
  s->pending = true;
  s->sent_at = now_ms();
  send_message(s, false, "nvim_input", params_input, key);
  while (s->pending) {
    if (now_ms() - s->sent_at > KEY_TIMEOUT_MS) {
      s->pending = false;
      s->timeouts++;
      return;
    }
    pump(50);
  }
  record(s, s->shown_at - s->sent_at, main_cpu_ms(s) - cpu);
}

static int cmp_double(const void *a, const void *b) {
  double x = *(const double *)a, y = *(const double *)b;
  return x < y ? -1 : x > y;
}

// The p-quantile of a sorted array (p = 1: the largest).
static double pct(const double *v, size_t n, double p) {
  if (n == 0)
    return 0;
  size_t i = (size_t)(p * (double)n);
  return v[i < n ? i : n - 1];
}

int main(int argc, char **argv) {
  int rounds = 3, opt;
  double pace = 15, settle_ms = 1000;
  while ((opt = getopt(argc, argv, "r:p:s:")) != -1) {
    switch (opt) {
    case 'r':
      rounds = atoi(optarg);
      break;
    case 'p':
      pace = atof(optarg);
      break;
    case 's':
      settle_ms = atof(optarg);
      break;
    default:
      goto usage;
    }
  }
  if (argc - optind < 3 || argc - optind - 1 > MAX_SIDES || rounds < 1)
    goto usage;
  signal(SIGPIPE, SIG_IGN);
  trace = getenv("KEYS_BENCH_TRACE") != NULL;
  size_t key_count;
  char **keys = read_keys(argv[optind], &key_count);
  for (int i = optind + 1; i < argc; i++) {
    Side *s = &sides[side_count++];
    char *eq = strchr(argv[i], '=');
    if (!eq || eq == argv[i])
      goto usage;
    *eq = '\0';
    s->name = argv[i];
    s->command = eq + 1;
    spawn(s);
  }
  for (int i = 0; i < side_count; i++)
    call(&sides[i], "nvim_ui_attach", params_ui_attach, NULL);
  for (int i = 0; i < side_count; i++)
    ready(&sides[i]);

  for (int round = 0; round < rounds; round++) {
    for (int i = 0; i < side_count; i++) {
      Reply *r = call(&sides[i], "nvim_exec_lua", params_lua, "return kith_keys_start()");
      if (r->error)
        die(&sides[i], r->text);
    }
    settle(settle_ms);
    double cpu0[MAX_SIDES];
    for (int i = 0; i < side_count; i++)
      cpu0[i] = cpu_ms(&sides[i]);
    double start = now_ms();
    for (size_t k = 0; k < key_count; k++) {
      for (int j = 0; j < side_count; j++) {
        // Take turns: the first side types first on even keys, the last one on odd keys.
        int i = (k + (size_t)round) % 2 == 0 ? j : side_count - 1 - j;
        type_key(&sides[i], keys[k]);
      }
      double next = start + (double)(k + 1) * pace;
      for (double t = now_ms(); t < next; t = now_ms())
        pump((int)(next - t) + 1);
    }
    settle(settle_ms); // what the keys set off (kith's updates) counts too
    for (int i = 0; i < side_count; i++)
      sides[i].cpu_ms += cpu_ms(&sides[i]) - cpu0[i];
  }

  Side *base = &sides[side_count - 1];
  for (int i = 0; i < side_count; i++) {
    qsort(sides[i].lat, sides[i].lat_len, sizeof(double), cmp_double);
    qsort(sides[i].cpu, sides[i].lat_len, sizeof(double), cmp_double);
  }
  printf("keys=%zu\nrounds=%d\npace_ms=%g\n", key_count, rounds, pace);
  for (int i = 0; i < side_count; i++) {
    Side *s = &sides[i];
    size_t n = s->lat_len;
    double sum = 0;
    for (size_t k = 0; k < n; k++)
      sum += s->lat[k];
    // wall: until the screen shows the key; cpu: what Neovim's main thread spent meanwhile
    printf("%s_p50_ms=%.3f\n%s_p95_ms=%.3f\n%s_p99_ms=%.3f\n%s_max_ms=%.3f\n%s_mean_ms=%.3f\n",
           s->name, pct(s->lat, n, 0.5), s->name, pct(s->lat, n, 0.95), s->name,
           pct(s->lat, n, 0.99), s->name, pct(s->lat, n, 1), s->name, n ? sum / (double)n : 0);
    printf("%s_cpu_p50_ms=%.3f\n%s_cpu_p95_ms=%.3f\n", s->name, pct(s->cpu, n, 0.5), s->name,
           pct(s->cpu, n, 0.95));
    // all threads, over the typing and the settling after it (kith's updates included)
    printf("%s_cpu_us_per_key=%.1f\n%s_other_flushes=%d\n%s_timeouts=%d\n", s->name,
           s->cpu_ms * 1e3 / (double)(key_count * (size_t)rounds), s->name, s->other_flushes,
           s->name, s->timeouts);
    if (s == base)
      continue;
    size_t m = base->lat_len;
    printf("%s_ratio_p50=%.3f\n%s_ratio_p95=%.3f\n", s->name,
           pct(s->lat, n, 0.5) / pct(base->lat, m, 0.5), s->name,
           pct(s->lat, n, 0.95) / pct(base->lat, m, 0.95));
    printf("%s_ratio_cpu_p50=%.3f\n%s_ratio_cpu_p95=%.3f\n%s_ratio_cpu=%.3f\n", s->name,
           pct(s->cpu, n, 0.5) / pct(base->cpu, m, 0.5), s->name,
           pct(s->cpu, n, 0.95) / pct(base->cpu, m, 0.95), s->name, s->cpu_ms / base->cpu_ms);
  }
  for (int i = 0; i < side_count; i++) {
    Reply *r = call(&sides[i], "nvim_exec_lua", params_lua, "return kith_keys_report()");
    for (char *line = r->error ? NULL : r->text; line && *line;) {
      char *end = strchr(line, '\n');
      if (end)
        *end = '\0';
      if (*line)
        printf("%s_%s\n", sides[i].name, line);
      line = end ? end + 1 : NULL;
    }
  }
  fflush(stdout);
  quitting = true;
  for (int i = 0; i < side_count; i++)
    send_message(&sides[i], false, "nvim_command", params_input, "qa!");
  settle(200);
  for (int i = 0; i < side_count; i++) {
    close(sides[i].to);
    kill(sides[i].pid, SIGKILL); // if qa! did not end it
    waitpid(sides[i].pid, NULL, 0);
  }
  return 0;

usage:
  fprintf(stderr, "usage: keys_bench [-r ROUNDS] [-p PACE_MS] [-s SETTLE_MS] KEYS NAME=COMMAND... "
                  "BASE=COMMAND\n");
  return 2;
}
