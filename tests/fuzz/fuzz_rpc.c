// Fuzz target: the bytes Neovim writes to `kith serve`, through the real input path: framing
// (src/frame.c), unpacking and dispatch (src/rpc.c) to the host's method table
// (kith_server_methods: attach, lines events, requests, ...) of a host made per input
// (kith_server_new) on a loop of its own, with a channel without streams.
//
// The input is the byte stream, cut into reads at each "\xc1\xc1" (two bytes that begin no
// msgpack object). After each read the loop runs until no vault is being indexed and the timers
// that are due have fired (debounced re-parses with `debounce = 0`, annotations), as if Neovim
// had paused; a message may straddle two reads.
//
// Notes live in a sandbox vault, /tmp/kith-fuzz/vault (written at start-up; the seeds name it).
// Methods that open a directory (kith_attach, kith_vault, kith_template) are wrapped: a path
// outside /tmp/kith-fuzz or with ".." gets an error instead of the real handler, so an input
// cannot make the host index the whole file system. Everything else is the real table.
//
// Checks: no crash or sanitizer report; kith_frame_scan and msgpack-c agree on every frame's
// length; everything written is a well-formed RPC message; every request in the input before
// its first frame that is not well-formed (up to there the stream is unambiguous) and with an
// id msgpack-RPC can answer gets exactly one response, in order; a kith_balances result is
// valid JSON.
//
// Then the same bytes go to a bare endpoint (kith_rpc_new with recording handlers, three
// requests of ours pending) three ways: all in one read, one byte per read, and in the reads
// above. What it dispatches, answers, reports lost and calls back must not depend on how the
// bytes were cut into reads (src/host/rpc_read.c: resynchronising, skipping, partial heads).

#include <msgpack.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>
#include <uv.h>

#include "base/buf.h"
#include "fuzz.h"
#include "host/frame.h"
#include "host/host.h"
#include "host/rpc.h"
#include "host/server.h"

#define SANDBOX "/tmp/kith-fuzz"
#define SEPARATOR "\xc1\xc1"

static const struct {
  const char *path;
  const char *text;
} sandbox_files[] = {
    {"vault/index.md", "# Index\n\nSee @alice and [Bob](people/bob.md).\n"},
    {"vault/people/alice.md", "# People\n\n## Alice Chen @alice\n\n"
                              "- 2026-11-20 #gave intro to Bob\n"
                              "- [x] 2026-11-22 #got:2 feedback on my talk\n"
                              "- 2026-11-24 #gave review #got lunch\n"},
    {"vault/people/bob.md", "## Bob Martins @bob\n\n- 2026-10-01 #got lunch\n"
                            "1. 2026-11-01 #met coffee\n- #gave no date\n"},
    {"vault/daily/2026-11-24.md", "# 2026-11-24\n\n- 2026-11-24 #gave @carol a review\n"
                                  "- 2026-02-30 #got @carol impossible\n"},
};

static uv_loop_t loop;
static KithRpcMethod methods[32];
static KithRpcHandler real_attach, real_vault, real_template;

// --- the sandbox ---------------------------------------------------------------------------

static void sandbox_mkdirs(const char *path) {
  char dir[256];
  snprintf(dir, sizeof dir, "%s", path);
  for (char *p = dir + 1; *p; p++) {
    if (*p == '/') {
      *p = '\0';
      mkdir(dir, 0755);
      *p = '/';
    }
  }
}

// Writes the sandbox's notes, each only when it differs (several fuzzers may share them; a
// note rewritten under a running host would be an event of its own).
static void sandbox_write(void) {
  for (size_t i = 0; i < sizeof sandbox_files / sizeof *sandbox_files; i++) {
    char path[256], tmp[300];
    snprintf(path, sizeof path, "%s/%s", SANDBOX, sandbox_files[i].path);
    KithBuf old = KITH_BUF_INIT;
    bool same = kith_buf_read_file(&old, path) == 0 && old.data &&
                strcmp(old.data, sandbox_files[i].text) == 0;
    kith_buf_free(&old);
    if (same)
      continue;
    sandbox_mkdirs(path);
    snprintf(tmp, sizeof tmp, "%s.%d", path, (int)getpid());
    FILE *f = fopen(tmp, "w");
    FUZZ_CHECK(f, "cannot write %s", tmp);
    fputs(sandbox_files[i].text, f);
    FUZZ_CHECK(fclose(f) == 0 && rename(tmp, path) == 0, "cannot write %s", path);
  }
}

// Whether params[i], when it is a string, names a path inside the sandbox.
static bool sandbox_param(const msgpack_object *params, uint32_t i) {
  const char *s;
  size_t n, k = strlen(SANDBOX);
  if (params->type != MSGPACK_OBJECT_ARRAY || params->via.array.size <= i ||
      !kith_rpc_str(&params->via.array.ptr[i], &s, &n))
    return true; // not a path: the real handler rejects it
  if (n < k || memcmp(s, SANDBOX, k) != 0 || (n > k && s[k] != '/'))
    return false;
  for (size_t j = 0; j + 1 < n; j++) {
    if (s[j] == '.' && s[j + 1] == '.')
      return false;
  }
  return true;
}

static int sandbox_refuse(char **error) {
  if (error)
    *error = strdup("fuzz: a path outside " SANDBOX);
  return -1;
}

static int guard_attach(void *ctx, const msgpack_object *params, msgpack_packer *result,
                        char **error) {
  if (!sandbox_param(params, 1) || !sandbox_param(params, 2))
    return sandbox_refuse(error);
  return real_attach(ctx, params, result, error);
}

static int guard_vault(void *ctx, const msgpack_object *params, msgpack_packer *result,
                       char **error) {
  if (!sandbox_param(params, 0))
    return sandbox_refuse(error);
  return real_vault(ctx, params, result, error);
}

static int guard_template(void *ctx, const msgpack_object *params, msgpack_packer *result,
                          char **error) {
  if (!sandbox_param(params, 0) || !sandbox_param(params, 3))
    return sandbox_refuse(error);
  return real_template(ctx, params, result, error);
}

int LLVMFuzzerInitialize(int *argc, char ***argv) {
  (void)argc;
  (void)argv;
  setenv("KITH_LOG", "/dev/null", 0); // the host logs every dropped frame
  setenv("UV_THREADPOOL_SIZE", "4", 0);
  setenv("XDG_CACHE_HOME", SANDBOX "/cache", 1); // the index cache: never the user's
  sandbox_write();
  FUZZ_CHECK(uv_loop_init(&loop) == 0, "uv_loop_init failed");
  size_t n = 0;
  for (const KithRpcMethod *m = kith_server_methods; m->name; m++) {
    FUZZ_CHECK(n + 1 < sizeof methods / sizeof *methods, "too many methods");
    methods[n] = *m;
    if (strcmp(m->name, "kith_attach") == 0) {
      real_attach = m->handler;
      methods[n].handler = guard_attach;
    } else if (strcmp(m->name, "kith_vault") == 0) {
      real_vault = m->handler;
      methods[n].handler = guard_vault;
    } else if (strcmp(m->name, "kith_template") == 0) {
      real_template = m->handler;
      methods[n].handler = guard_template;
    }
    n++;
  }
  FUZZ_CHECK(real_attach && real_vault && real_template, "a guarded method is missing");
  return 0;
}

// --- running the host ----------------------------------------------------------------------

static bool server_indexing(const Server *s) {
  for (size_t i = 0; i < s->vault_count; i++) {
    if (s->vaults[i]->indexing)
      return true;
  }
  return false;
}

// Lets the loop catch up: index jobs finish, timers that are due fire.
static void server_drain(Server *s) {
  for (int i = 0; i < 1000 && server_indexing(s); i++)
    uv_run(&loop, UV_RUN_ONCE);
  uv_run(&loop, UV_RUN_NOWAIT);
  uv_run(&loop, UV_RUN_NOWAIT);
}

static void take_output(KithRpc *rpc, KithBuf *out) {
  size_t len = 0;
  char *bytes = kith_rpc_take_output(rpc, &len);
  if (bytes && len)
    kith_buf_append(out, bytes, len);
  free(bytes);
}

// --- checks --------------------------------------------------------------------------------

typedef struct {
  uint32_t id;
  bool balances;
} Request;

static bool plain_int(const msgpack_object *o, int64_t *v) {
  return o->type != MSGPACK_OBJECT_EXT && kith_rpc_int(o, v);
}

// The requests the host must answer: those in the frames before the first one that is not
// well-formed, with a usable id. Also checks that frame.c and msgpack-c agree on each length.
static size_t expected_requests(const char *data, size_t len, Request **out) {
  size_t count = 0, at = 0;
  *out = NULL;
  while (at < len) {
    size_t frame = 0;
    if (kith_frame_scan(data + at, len - at, &frame) != KITH_FRAME_OK)
      break;
    msgpack_unpacked msg;
    msgpack_unpacked_init(&msg);
    size_t off = 0;
    int rc = msgpack_unpack_next(&msg, data + at, frame, &off);
    FUZZ_CHECK(rc == MSGPACK_UNPACK_SUCCESS && off == frame,
               "a frame of %zu bytes at %zu: msgpack-c says %d after %zu bytes", frame, at, rc,
               off);
    const msgpack_object *o = &msg.data;
    int64_t type, id;
    if (o->type == MSGPACK_OBJECT_ARRAY && o->via.array.size == 4 &&
        plain_int(&o->via.array.ptr[0], &type) && type == 0 &&
        plain_int(&o->via.array.ptr[1], &id) && id >= 0 && id <= UINT32_MAX) {
      Request *grown = realloc(*out, (count + 1) * sizeof *grown);
      FUZZ_CHECK(grown, "out of memory");
      *out = grown;
      grown[count++] = (Request){(uint32_t)id, kith_rpc_is(&o->via.array.ptr[2], "kith_balances")};
    }
    msgpack_unpacked_destroy(&msg);
    at += frame;
  }
  return count;
}

static bool is_str(const msgpack_object *o) {
  return o->type == MSGPACK_OBJECT_STR;
}

static void check_output(const char *in, size_t in_len, const KithBuf *out) {
  Request *want = NULL;
  size_t want_count = expected_requests(in, in_len, &want);
  size_t at = 0, answered = 0;
  bool trace = getenv("KITH_FUZZ_TRACE") != NULL; // prints what the host wrote
  while (at < out->len) {
    msgpack_unpacked msg;
    msgpack_unpacked_init(&msg);
    int rc = msgpack_unpack_next(&msg, out->data, out->len, &at);
    FUZZ_CHECK(rc == MSGPACK_UNPACK_SUCCESS, "output: not msgpack at byte %zu of %zu", at,
               out->len);
    const msgpack_object *o = &msg.data;
    const msgpack_object *f = o->via.array.ptr;
    if (trace) {
      msgpack_object_print(stderr, *o);
      fputc('\n', stderr);
    }
    int64_t type = -1, id = -1;
    FUZZ_CHECK(o->type == MSGPACK_OBJECT_ARRAY && o->via.array.size >= 3 && plain_int(&f[0], &type),
               "output: a message that is not an RPC array");
    if (type == 0) {
      FUZZ_CHECK(o->via.array.size == 4 && plain_int(&f[1], &id) && is_str(&f[2]) &&
                     f[3].type == MSGPACK_OBJECT_ARRAY,
                 "output: a malformed request");
    } else if (type == 2) {
      FUZZ_CHECK(o->via.array.size == 3 && is_str(&f[1]) && f[2].type == MSGPACK_OBJECT_ARRAY,
                 "output: a malformed notification");
    } else {
      FUZZ_CHECK(type == 1 && o->via.array.size == 4 && plain_int(&f[1], &id),
                 "output: a message of type %lld", (long long)type);
      bool error = f[2].type != MSGPACK_OBJECT_NIL;
      if (error)
        FUZZ_CHECK(f[2].type == MSGPACK_OBJECT_ARRAY && f[2].via.array.size == 2 &&
                       is_str(&f[2].via.array.ptr[1]),
                   "output: response %lld: a malformed error", (long long)id);
      if (answered < want_count) {
        const Request *r = &want[answered];
        FUZZ_CHECK(id == r->id, "output: response %zu is to request %lld, want %u", answered,
                   (long long)id, r->id);
        if (r->balances && !error) {
          FUZZ_CHECK(is_str(&f[3]), "kith_balances: the result is not a string");
          fuzz_check_json("kith_balances", f[3].via.str.ptr, f[3].via.str.size, true);
        }
      }
      answered++;
    }
    msgpack_unpacked_destroy(&msg);
  }
  FUZZ_CHECK(answered >= want_count, "output: %zu responses for %zu well-formed requests", answered,
             want_count);
  free(want);
}

// The next separator in [p, end), or NULL.
static const char *find_separator(const char *p, const char *end) {
  for (; p + 1 < end; p++) {
    if (p[0] == SEPARATOR[0] && p[1] == SEPARATOR[1])
      return p;
  }
  return NULL;
}

// --- the same bytes cut into reads differently ----------------------------------------------

// What a bare endpoint did, as text: every call of a handler, callback and lost-message report.
typedef struct {
  KithBuf log;
} Recorder;

static void record_object(KithBuf *log, const msgpack_object *o) {
  msgpack_sbuffer sb;
  msgpack_sbuffer_init(&sb);
  msgpack_packer pk;
  msgpack_packer_init(&pk, &sb, msgpack_sbuffer_write);
  if (o)
    msgpack_pack_object(&pk, *o);
  for (size_t i = 0; i < sb.size; i++)
    kith_buf_printf(log, "%02x", (unsigned char)sb.data[i]);
  kith_buf_putc(log, ' ');
  msgpack_sbuffer_destroy(&sb);
}

static int record_call(void *ctx, int method, const msgpack_object *params,
                       msgpack_packer *result) {
  Recorder *r = ctx;
  kith_buf_printf(&r->log, "%s %d ", result ? "request" : "notification", method);
  record_object(&r->log, params);
  kith_buf_putc(&r->log, '\n');
  if (result)
    msgpack_pack_object(result, *params); // the answer echoes the params
  return 0;
}

#define RECORDER(n)                                                                                \
  static int record_##n(void *ctx, const msgpack_object *params, msgpack_packer *result,           \
                        char **error) {                                                            \
    (void)error;                                                                                   \
    return record_call(ctx, n, params, result);                                                    \
  }
RECORDER(0)
RECORDER(1)
RECORDER(2)
RECORDER(3)

static const KithRpcMethod record_methods[] = {
    {"kith_version", record_0},
    {"kith_status", record_1},
    {"kith_attach", record_2},
    {"nvim_buf_lines_event", record_3},
    {NULL, NULL},
};

static Recorder *record_current; // callbacks and lost reports have no ctx of ours

static void record_callback(void *data, const msgpack_object *error, const msgpack_object *result) {
  KithBuf *log = &record_current->log;
  kith_buf_printf(log, "callback %d ", (int)(intptr_t)data);
  record_object(log, error);
  record_object(log, result);
  kith_buf_putc(log, '\n');
}

static void record_lost(void *ctx, const msgpack_object *method, const msgpack_object *params,
                        int reason) {
  Recorder *r = ctx;
  kith_buf_printf(&r->log, "lost %d ", reason);
  record_object(&r->log, method);
  record_object(&r->log, params);
  kith_buf_putc(&r->log, '\n');
}

// Feeds `data` (`size` bytes) to a new bare endpoint in reads of `step` bytes, or with `step` 0
// in reads that end at `cuts` (`cut_count` ascending offsets). Fills `r` with what it did.
static void record_feed(const char *data, size_t size, size_t step, const size_t *cuts,
                        size_t cut_count, Recorder *r) {
  memset(r, 0, sizeof *r);
  record_current = r;
  KithRpc *rpc = kith_rpc_new(NULL, NULL, record_methods, r, NULL);
  FUZZ_CHECK(rpc, "kith_rpc_new failed");
  kith_rpc_on_lost(rpc, record_lost);
  for (int i = 1; i <= 3; i++) { // ids 1, 2, 3 are pending
    msgpack_packer *pk =
        kith_rpc_begin(rpc, "nvim_buf_attach", false, record_callback, (void *)(intptr_t)i);
    msgpack_pack_array(pk, 0);
    kith_rpc_end(rpc);
  }
  size_t len = 0;
  free(kith_rpc_take_output(rpc, &len)); // our requests
  size_t at = 0, next_cut = 0;
  while (at < size) {
    size_t n = size - at;
    if (step > 0 && n > step)
      n = step;
    if (step == 0 && next_cut < cut_count)
      n = cuts[next_cut++] - at;
    kith_rpc_feed(rpc, data + at, n);
    at += n;
  }
  char *out = kith_rpc_take_output(rpc, &len);
  kith_buf_printf(&r->log, "output of %zu bytes: ", len);
  for (size_t i = 0; i < len; i++)
    kith_buf_printf(&r->log, "%02x", (unsigned char)out[i]);
  kith_buf_putc(&r->log, '\n');
  free(out);
  kith_rpc_free(rpc); // fails the callbacks still pending
  record_current = NULL;
}

// The first line where two logs differ, for the message.
static void check_same_log(const char *what, const Recorder *a, const Recorder *b) {
  const char *x = a->log.data ? a->log.data : "", *y = b->log.data ? b->log.data : "";
  if (strcmp(x, y) == 0)
    return;
  size_t i = 0;
  while (x[i] && x[i] == y[i])
    i++;
  while (i > 0 && x[i - 1] != '\n')
    i--;
  fuzz_fail("the endpoint read the bytes %s differently:\n  all at once: %.300s\n  %s: %.300s",
            what, x + i, what, y + i);
}

// `stream` (`size` bytes) was read in reads ending at `cuts`.
static void check_reads(const char *stream, size_t size, const size_t *cuts, size_t cut_count) {
  Recorder whole, bytes, reads;
  record_feed(stream, size, SIZE_MAX, NULL, 0, &whole);
  record_feed(stream, size, 1, NULL, 0, &bytes);
  record_feed(stream, size, 0, cuts, cut_count, &reads);
  check_same_log("one byte per read", &whole, &bytes);
  check_same_log("in the input's reads", &whole, &reads);
  kith_buf_free(&whole.log);
  kith_buf_free(&bytes.log);
  kith_buf_free(&reads.log);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
  char *error = NULL;
  Server *s = kith_server_new(&loop, &error);
  FUZZ_CHECK(s, "kith_server_new: %s", error ? error : "?");
  KithRpc *rpc = kith_rpc_new(NULL, NULL, methods, s, NULL);
  FUZZ_CHECK(rpc, "kith_rpc_new failed");
  kith_server_set_rpc(s, rpc);

  KithBuf stream = KITH_BUF_INIT, out = KITH_BUF_INIT;
  size_t *cuts = calloc(size / 2 + 1, sizeof *cuts), cut_count = 0;
  FUZZ_CHECK(cuts, "out of memory");
  const char *p = (const char *)data, *end = p + size;
  while (true) {
    const char *cut = find_separator(p, end);
    size_t len = cut ? (size_t)(cut - p) : (size_t)(end - p);
    kith_buf_append(&stream, p, len);
    cuts[cut_count++] = stream.len;
    kith_rpc_feed(rpc, p, len);
    server_drain(s);
    take_output(rpc, &out);
    if (!cut)
      break;
    p = cut + 2;
  }
  kith_server_free(s);
  check_output(stream.data, stream.len, &out);
  check_reads(stream.data ? stream.data : "", stream.len, cuts, cut_count);
  free(cuts);
  kith_buf_free(&stream);
  kith_buf_free(&out);
  return 0;
}
