// `kith serve` end to end, as Neovim talks to it: msgpack-RPC over the child's stdin/stdout.
// Requests are answered; malformed frames are dropped without output and without killing the
// host; closing stdin makes it exit 0. Every wait is bounded by poll() timeouts.

#include "harness.h"

#include <tree_sitter/api.h>

#include <errno.h>
#include <fcntl.h>
#include <msgpack.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/ioctl.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <time.h>
#include <tree_sitter/api.h>
#include <unistd.h>

#include "base/buf.h"
#include "host/rpc.h"

#define REPLY_TIMEOUT_MS 5000
#define SILENCE_MS 300
#define EXIT_TIMEOUT_MS 2000

typedef struct {
  pid_t pid;
  int in;  // the child's stdin (we write)
  int out; // the child's stdout (we read)
  msgpack_unpacker unpacker;
  bool started, reaped;
  int status;
  char log_path[64];
} Child;

static Child child;

// --- the child -----------------------------------------------------------------------------

static int64_t now_ms(void) {
  struct timespec ts;
  clock_gettime(CLOCK_MONOTONIC, &ts);
  return (int64_t)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

static void sleep_ms(int ms) {
  struct timespec ts = {ms / 1000, (long)(ms % 1000) * 1000000L};
  nanosleep(&ts, NULL);
}

static const char *kith_bin(void) {
  const char *bin = getenv("KITH_BIN");
  return bin && *bin ? bin : "build/kith";
}

static bool child_spawn(Child *c) {
  memset(c, 0, sizeof *c);
  c->pid = -1;
  c->in = c->out = -1;
  const char *bin = kith_bin();
  if (access(bin, X_OK) != 0) {
    harness_fail(__FILE__, __LINE__, "kith binary %s is not executable (set KITH_BIN)", bin);
    return false;
  }
  snprintf(c->log_path, sizeof c->log_path, "/tmp/kith-test-serve-XXXXXX");
  int log_fd = mkstemp(c->log_path);
  int to_child[2], from_child[2];
  if (log_fd < 0 || pipe(to_child) != 0 || pipe(from_child) != 0) {
    harness_fail(__FILE__, __LINE__, "pipe/mkstemp: %s", strerror(errno));
    return false;
  }
  pid_t pid = fork();
  if (pid < 0) {
    harness_fail(__FILE__, __LINE__, "fork: %s", strerror(errno));
    return false;
  }
  if (pid == 0) {
    dup2(to_child[0], 0);
    dup2(from_child[1], 1);
    dup2(log_fd, 2);
    close(to_child[0]);
    close(to_child[1]);
    close(from_child[0]);
    close(from_child[1]);
    close(log_fd);
    unsetenv("KITH_LOG"); // the log goes to stderr, the temp file
    execl(bin, bin, "serve", (char *)NULL);
    _exit(127);
  }
  close(to_child[0]);
  close(from_child[1]);
  close(log_fd);
  fcntl(to_child[1], F_SETFD, FD_CLOEXEC);
  fcntl(from_child[0], F_SETFD, FD_CLOEXEC);
  c->pid = pid;
  c->in = to_child[1];
  c->out = from_child[0];
  msgpack_unpacker_init(&c->unpacker, MSGPACK_UNPACKER_INIT_BUFFER_SIZE);
  c->started = true;
  return true;
}

// Whether the child is still running (reaps it if not).
static bool child_alive(Child *c) {
  if (!c->started || c->reaped)
    return false;
  pid_t r = waitpid(c->pid, &c->status, WNOHANG);
  if (r == c->pid) {
    c->reaped = true;
    return false;
  }
  return r == 0;
}

static void child_dump_log(const Child *c) {
  FILE *f = fopen(c->log_path, "r");
  if (!f)
    return;
  char line[512];
  fprintf(stderr, "  --- kith serve log ---\n");
  while (fgets(line, sizeof line, f))
    fprintf(stderr, "  %s", line);
  fclose(f);
}

static void child_cleanup(Child *c) {
  if (!c->started)
    return;
  if (c->in >= 0)
    close(c->in);
  c->in = -1;
  if (!c->reaped && c->pid > 0) {
    kill(c->pid, SIGKILL);
    waitpid(c->pid, &c->status, 0);
    c->reaped = true;
  }
  if (c->out >= 0)
    close(c->out);
  msgpack_unpacker_destroy(&c->unpacker);
  if (harness_failures)
    child_dump_log(c);
  unlink(c->log_path);
  c->started = false;
}

// Writes all of `data`, bounded by a timeout.
static bool child_send(Child *c, const char *data, size_t len) {
  int64_t deadline = now_ms() + REPLY_TIMEOUT_MS;
  size_t at = 0;
  while (at < len) {
    struct pollfd pfd = {c->in, POLLOUT, 0};
    int wait = (int)(deadline - now_ms());
    if (wait <= 0 || poll(&pfd, 1, wait) <= 0)
      return false;
    ssize_t n = write(c->in, data + at, len - at);
    if (n < 0 && errno == EINTR)
      continue;
    if (n <= 0)
      return false;
    at += (size_t)n;
  }
  return true;
}

static bool child_send_packed(Child *c, const msgpack_sbuffer *sb) {
  return child_send(c, sb->data, sb->size);
}

// Waits until the child has read everything we wrote (the pipe is empty), so that the next
// write cannot arrive in the same read() as the bytes before it.
static void child_wait_drained(Child *c, const char *what) {
#ifdef FIONREAD
  int64_t deadline = now_ms() + EXIT_TIMEOUT_MS;
  int pending = 1;
  while (now_ms() < deadline && ioctl(c->in, FIONREAD, &pending) == 0 && pending > 0)
    sleep_ms(5);
  harness_checks++;
  if (pending > 0)
    harness_fail(__FILE__, __LINE__, "%s: the host left %d bytes unread for %d ms", what, pending,
                 EXIT_TIMEOUT_MS);
#else
  (void)c;
  (void)what;
#endif
  sleep_ms(50);
}

enum { READ_OK = 1, READ_TIMEOUT = 0, READ_GARBAGE = -1, READ_EOF = -2 };

// Reads the next message within `timeout_ms`.
static int child_read(Child *c, msgpack_unpacked *msg, int timeout_ms) {
  int64_t deadline = now_ms() + timeout_ms;
  while (true) {
    int rc = msgpack_unpacker_next(&c->unpacker, msg);
    if (rc == MSGPACK_UNPACK_SUCCESS)
      return READ_OK;
    if (rc != MSGPACK_UNPACK_CONTINUE)
      return READ_GARBAGE;
    int wait = (int)(deadline - now_ms());
    if (wait <= 0)
      return READ_TIMEOUT;
    struct pollfd pfd = {c->out, POLLIN, 0};
    int p = poll(&pfd, 1, wait);
    if (p < 0 && errno == EINTR)
      continue;
    if (p <= 0)
      return READ_TIMEOUT;
    if (!msgpack_unpacker_reserve_buffer(&c->unpacker, 4096))
      return READ_GARBAGE;
    ssize_t n = read(c->out, msgpack_unpacker_buffer(&c->unpacker),
                     msgpack_unpacker_buffer_capacity(&c->unpacker));
    if (n < 0 && errno == EINTR)
      continue;
    if (n <= 0)
      return READ_EOF;
    msgpack_unpacker_buffer_consumed(&c->unpacker, (size_t)n);
  }
}

static const char *read_error(int rc) {
  switch (rc) {
  case READ_TIMEOUT:
    return "timed out";
  case READ_GARBAGE:
    return "bytes that are not msgpack";
  case READ_EOF:
    return "end of file";
  default:
    return "ok";
  }
}

// Reads the next message and expects it to be the response to `id`. Returns the message
// (caller destroys it) or false. Any other message is a failure: the host has no buffers and
// sends nothing on its own here.
static bool expect_response(Child *c, uint64_t id, msgpack_unpacked *msg) {
  msgpack_unpacked_init(msg);
  int rc = child_read(c, msg, REPLY_TIMEOUT_MS);
  if (rc != READ_OK) {
    harness_fail(__FILE__, __LINE__, "response %llu: %s", (unsigned long long)id, read_error(rc));
    return false;
  }
  const msgpack_object *m = &msg->data;
  bool shaped = m->type == MSGPACK_OBJECT_ARRAY && m->via.array.size == 4 &&
                m->via.array.ptr[0].type == MSGPACK_OBJECT_POSITIVE_INTEGER &&
                m->via.array.ptr[0].via.u64 == 1 &&
                m->via.array.ptr[1].type == MSGPACK_OBJECT_POSITIVE_INTEGER;
  harness_checks++;
  if (!shaped) {
    harness_fail(__FILE__, __LINE__, "expected a response [1, %llu, error, result]",
                 (unsigned long long)id);
    return false;
  }
  CHECK_INT(m->via.array.ptr[1].via.u64, id);
  return m->via.array.ptr[1].via.u64 == id;
}

// Nothing arrives on stdout for SILENCE_MS.
static void expect_silence(Child *c, const char *after) {
  msgpack_unpacked msg;
  msgpack_unpacked_init(&msg);
  int rc = child_read(c, &msg, SILENCE_MS);
  harness_checks++;
  if (rc != READ_TIMEOUT)
    harness_fail(__FILE__, __LINE__, "after %s: the host wrote something (%s)", after,
                 rc == READ_OK ? "a message" : read_error(rc));
  msgpack_unpacked_destroy(&msg);
}

static void expect_alive(Child *c, const char *after) {
  harness_checks++;
  if (!child_alive(c))
    harness_fail(__FILE__, __LINE__, "after %s: the host died (status 0x%x)", after, c->status);
}

static void pack_request(msgpack_packer *pk, uint32_t id, const char *method) {
  msgpack_pack_array(pk, 4);
  msgpack_pack_int(pk, 0);
  msgpack_pack_uint32(pk, id);
  kith_rpc_pack_str(pk, method);
  msgpack_pack_array(pk, 0);
}

// Sends bytes that must be dropped: no output, host alive.
static void send_bad_frame(Child *c, const char *what, const char *bytes, size_t len) {
  CHECK(child_send(c, bytes, len));
  child_wait_drained(c, what);
  expect_silence(c, what);
  expect_alive(c, what);
}

// --- tests ---------------------------------------------------------------------------------

static void test_spawn(void) {
  CHECK(child_spawn(&child));
  expect_alive(&child, "spawn");
}

static void test_version_request_is_answered(void) {
  if (!child.started)
    return;
  msgpack_sbuffer sb;
  msgpack_sbuffer_init(&sb);
  msgpack_packer pk;
  msgpack_packer_init(&pk, &sb, msgpack_sbuffer_write);
  pack_request(&pk, 1, "kith_version");
  CHECK(child_send_packed(&child, &sb));
  msgpack_sbuffer_destroy(&sb);
  msgpack_unpacked msg;
  if (expect_response(&child, 1, &msg)) {
    const msgpack_object *f = msg.data.via.array.ptr;
    CHECK(f[2].type == MSGPACK_OBJECT_NIL);
    CHECK(f[3].type == MSGPACK_OBJECT_MAP);
    const msgpack_object *version = kith_rpc_field(&f[3], "version");
    CHECK(version != NULL);
    CHECK(version && kith_rpc_is(version, KITH_VERSION));
    CHECK(kith_rpc_field(&f[3], "abi") != NULL);
    CHECK(kith_rpc_field(&f[3], "grammar") != NULL);
    // The runtime's ABI range comes from the tree-sitter library kith was built with.
    int64_t abi = 0, lo = 0, hi = 0;
    CHECK(kith_rpc_int(kith_rpc_field(&f[3], "abi"), &abi));
    CHECK(kith_rpc_field(&f[3], "abi_min") && kith_rpc_int(kith_rpc_field(&f[3], "abi_min"), &lo));
    CHECK(kith_rpc_field(&f[3], "abi_max") && kith_rpc_int(kith_rpc_field(&f[3], "abi_max"), &hi));
    CHECK_INT(lo, TREE_SITTER_MIN_COMPATIBLE_LANGUAGE_VERSION);
    CHECK_INT(hi, TREE_SITTER_LANGUAGE_VERSION);
    CHECK(lo <= abi && abi <= hi);
  }
  msgpack_unpacked_destroy(&msg);
  expect_alive(&child, "kith_version");
}

static void test_garbage_byte_is_dropped_and_the_host_lives(void) {
  if (!child.started)
    return;
  const char c1[] = {(char)0xc1};
  send_bad_frame(&child, "0xc1", c1, sizeof c1);
}

static void test_params_not_an_array_gets_an_error_response_with_id_2(void) {
  if (!child.started)
    return;
  msgpack_sbuffer sb;
  msgpack_sbuffer_init(&sb);
  msgpack_packer pk;
  msgpack_packer_init(&pk, &sb, msgpack_sbuffer_write);
  msgpack_pack_array(&pk, 4);
  msgpack_pack_int(&pk, 0);
  msgpack_pack_int(&pk, 2);
  kith_rpc_pack_str(&pk, "kith_version");
  kith_rpc_pack_str(&pk, "notarray");
  CHECK(child_send_packed(&child, &sb));
  msgpack_sbuffer_destroy(&sb);
  msgpack_unpacked msg;
  if (expect_response(&child, 2, &msg)) {
    const msgpack_object *f = msg.data.via.array.ptr;
    CHECK(f[2].type == MSGPACK_OBJECT_ARRAY && f[2].via.array.size == 2);
    if (f[2].type == MSGPACK_OBJECT_ARRAY && f[2].via.array.size == 2) {
      const char *s = NULL;
      size_t n = 0;
      CHECK(kith_rpc_str(&f[2].via.array.ptr[1], &s, &n));
      CHECK(s && n > 0);
    }
    CHECK(f[3].type == MSGPACK_OBJECT_NIL);
  }
  msgpack_unpacked_destroy(&msg);
  expect_alive(&child, "params not an array");
  expect_silence(&child, "the error response");
}

static void test_array32_declaring_4e9_elements_is_dropped(void) {
  if (!child.started)
    return;
  const char header[] = {(char)0xdd, (char)0xee, 0x6b, 0x28, 0x00}; // 4,000,000,000
  send_bad_frame(&child, "an array32 header of 4e9 elements", header, sizeof header);
}

static void test_40_deep_nesting_is_dropped(void) {
  if (!child.started)
    return;
  char deep[41];
  memset(deep, (char)0x91, 40);
  deep[40] = 0x01;
  send_bad_frame(&child, "40-deep nesting", deep, sizeof deep);
}

static void test_non_rpc_messages_are_dropped(void) {
  if (!child.started)
    return;
  const char five[] = {0x05};
  send_bad_frame(&child, "the integer 5", five, sizeof five);
  const char nine[] = {(char)0x93, 0x09, 0x01, 0x02};
  send_bad_frame(&child, "[9, 1, 2]", nine, sizeof nine);
}

static void test_status_request_after_bad_frames_is_answered(void) {
  if (!child.started)
    return;
  msgpack_sbuffer sb;
  msgpack_sbuffer_init(&sb);
  msgpack_packer pk;
  msgpack_packer_init(&pk, &sb, msgpack_sbuffer_write);
  pack_request(&pk, 3, "kith_status");
  CHECK(child_send_packed(&child, &sb));
  msgpack_sbuffer_destroy(&sb);
  msgpack_unpacked msg;
  if (expect_response(&child, 3, &msg)) {
    const msgpack_object *f = msg.data.via.array.ptr;
    CHECK(f[2].type == MSGPACK_OBJECT_NIL);
    CHECK(f[3].type == MSGPACK_OBJECT_MAP);
    const msgpack_object *buffers = kith_rpc_field(&f[3], "buffers");
    int64_t n = -1;
    CHECK(buffers && kith_rpc_int(buffers, &n));
    CHECK_INT(n, 0);
    const msgpack_object *vaults = kith_rpc_field(&f[3], "vaults");
    CHECK(vaults && vaults->type == MSGPACK_OBJECT_ARRAY);
  }
  msgpack_unpacked_destroy(&msg);
  expect_alive(&child, "kith_status");
}

static void test_two_requests_in_one_write_are_answered_in_order(void) {
  if (!child.started)
    return;
  msgpack_sbuffer sb;
  msgpack_sbuffer_init(&sb);
  msgpack_packer pk;
  msgpack_packer_init(&pk, &sb, msgpack_sbuffer_write);
  pack_request(&pk, 5, "kith_status");
  pack_request(&pk, 4, "kith_version");
  CHECK(child_send_packed(&child, &sb));
  msgpack_sbuffer_destroy(&sb);
  msgpack_unpacked msg;
  expect_response(&child, 5, &msg);
  msgpack_unpacked_destroy(&msg);
  expect_response(&child, 4, &msg);
  msgpack_unpacked_destroy(&msg);
}

// --- bad input in the same read as good, and messages over 64 MiB ---------------------------

#define MIB (1024u * 1024u)

// Lines of the host's log that contain `needle`.
static int child_log_lines(const Child *c, const char *needle) {
  FILE *f = fopen(c->log_path, "r");
  if (!f)
    return 0;
  int n = 0;
  char line[1100];
  while (fgets(line, sizeof line, f))
    n += strstr(line, needle) != NULL;
  fclose(f);
  return n;
}

static void test_bad_byte_and_a_request_in_one_write_the_request_is_answered(void) {
  if (!child.started)
    return;
  msgpack_sbuffer sb;
  msgpack_sbuffer_init(&sb);
  msgpack_packer pk;
  msgpack_packer_init(&pk, &sb, msgpack_sbuffer_write);
  msgpack_sbuffer_write(&sb, "\xc1", 1);
  pack_request(&pk, 6, "kith_version");
  CHECK(child_send_packed(&child, &sb));
  msgpack_sbuffer_destroy(&sb);
  msgpack_unpacked msg;
  expect_response(&child, 6, &msg);
  msgpack_unpacked_destroy(&msg);
  expect_alive(&child, "0xc1 and a request");
}

// Writes `n` bytes of a string's body: 64 KiB pieces that begin with a packed request
// [0, 900, "kith_version", []], then 0xc1 bytes.
static bool send_hostile_body(Child *c, uint64_t n) {
  static char block[64 * 1024];
  memset(block, (char)0xc1, sizeof block);
  msgpack_sbuffer sb;
  msgpack_sbuffer_init(&sb);
  msgpack_packer pk;
  msgpack_packer_init(&pk, &sb, msgpack_sbuffer_write);
  pack_request(&pk, 900, "kith_version");
  memcpy(block, sb.data, sb.size);
  msgpack_sbuffer_destroy(&sb);
  while (n > 0) {
    size_t piece = n < sizeof block ? (size_t)n : sizeof block;
    if (!child_send(c, block, piece))
      return false;
    n -= piece;
  }
  return true;
}

// Packs [2, "nvim_buf_lines_event", [buf, tick, first, last, [<str of n bytes>]...] up to the
// string's header; pack_lines_tail() packs the rest (one more line, `more` false).
static void pack_lines_head(msgpack_packer *pk, int buf, int tick, int first, int last,
                            uint32_t n) {
  msgpack_pack_array(pk, 3);
  msgpack_pack_int(pk, 2);
  kith_rpc_pack_str(pk, "nvim_buf_lines_event");
  msgpack_pack_array(pk, 6);
  const char handle = (char)buf;
  msgpack_pack_ext(pk, 1, 0);
  msgpack_pack_ext_body(pk, &handle, 1);
  msgpack_pack_int(pk, tick);
  msgpack_pack_int(pk, first);
  msgpack_pack_int(pk, last);
  msgpack_pack_array(pk, 2);
  msgpack_pack_str(pk, n);
}

static void pack_lines_tail(msgpack_packer *pk) {
  kith_rpc_pack_str(pk, "tail");
  msgpack_pack_false(pk);
}

static void test_line_event_over_64_mib_is_skipped_and_its_text_never_read(void) {
  if (!child.started)
    return;
  // Drops less than a second apart share a log line: let the ones before have theirs.
  sleep_ms(1100);
  int logged = child_log_lines(&child, "rpc:");
  msgpack_sbuffer sb;
  msgpack_sbuffer_init(&sb);
  msgpack_packer pk;
  msgpack_packer_init(&pk, &sb, msgpack_sbuffer_write);
  uint32_t n = 100 * MIB + 7;
  pack_lines_head(&pk, 1, 2, 0, 1, n);
  CHECK(child_send_packed(&child, &sb));
  CHECK(send_hostile_body(&child, n));
  msgpack_sbuffer_clear(&sb);
  pack_lines_tail(&pk);
  pack_request(&pk, 901, "kith_version");
  CHECK(child_send_packed(&child, &sb));
  msgpack_sbuffer_destroy(&sb);
  // The first answer is to 901: none of the requests inside the text was run.
  msgpack_unpacked msg;
  expect_response(&child, 901, &msg);
  msgpack_unpacked_destroy(&msg);
  expect_silence(&child, "the answer to 901");
  expect_alive(&child, "a 100 MiB line event");
  // A line held by the rate limit is written with the next read a second later: one line for
  // the skip (and at most one held from before, when the machine is slow), not one per byte.
  sleep_ms(1100);
  msgpack_sbuffer_init(&sb);
  pack_request(&pk, 903, "kith_version");
  CHECK(child_send_packed(&child, &sb));
  msgpack_sbuffer_destroy(&sb);
  expect_response(&child, 903, &msg);
  msgpack_unpacked_destroy(&msg);
  int added = child_log_lines(&child, "rpc:") - logged;
  CHECK(added >= 1 && added <= 2);
}

static void test_request_over_64_mib_gets_an_error_with_its_id(void) {
  if (!child.started)
    return;
  msgpack_sbuffer sb;
  msgpack_sbuffer_init(&sb);
  msgpack_packer pk;
  msgpack_packer_init(&pk, &sb, msgpack_sbuffer_write);
  msgpack_pack_array(&pk, 4);
  msgpack_pack_int(&pk, 0);
  msgpack_pack_int(&pk, 902);
  kith_rpc_pack_str(&pk, "kith_version");
  msgpack_pack_array(&pk, 1);
  msgpack_pack_str(&pk, 65 * MIB);
  CHECK(child_send_packed(&child, &sb));
  msgpack_sbuffer_clear(&sb);
  // Neovim waits for the answer while it is still writing: it comes before the end.
  msgpack_unpacked msg;
  if (expect_response(&child, 902, &msg)) {
    const msgpack_object *f = msg.data.via.array.ptr;
    CHECK(f[2].type == MSGPACK_OBJECT_ARRAY && f[2].via.array.size == 2);
    if (f[2].type == MSGPACK_OBJECT_ARRAY && f[2].via.array.size == 2)
      CHECK(kith_rpc_is(&f[2].via.array.ptr[1], "kith: message too large"));
    CHECK(f[3].type == MSGPACK_OBJECT_NIL);
  }
  msgpack_unpacked_destroy(&msg);
  CHECK(send_hostile_body(&child, 65 * MIB));
  pack_request(&pk, 903, "kith_version");
  CHECK(child_send_packed(&child, &sb));
  msgpack_sbuffer_destroy(&sb);
  expect_response(&child, 903, &msg);
  msgpack_unpacked_destroy(&msg);
  expect_alive(&child, "a 65 MiB request");
}

// --- a buffer whose text grows past what kith takes --------------------------------------

// What the host sent while we played Neovim: its requests are answered with `true`.
typedef struct {
  int64_t buf;
  bool attach_requested, detach_requested, released;
  int messages;
  char message[256];
  uint64_t status_id; // a request of ours: its answer's "buffers"
  int64_t status_buffers;
  bool status_answered;
} HostSaw;

static void host_saw(Child *c, HostSaw *saw, const msgpack_object *m) {
  if (m->type != MSGPACK_OBJECT_ARRAY || m->via.array.size < 3)
    return;
  const msgpack_object *f = m->via.array.ptr;
  int64_t type = -1;
  kith_rpc_int(&f[0], &type);
  if (type == 1 && m->via.array.size == 4) {
    int64_t id = -1;
    if (kith_rpc_int(&f[1], &id) && (uint64_t)id == saw->status_id) {
      saw->status_answered = true;
      const msgpack_object *b = kith_rpc_field(&f[3], "buffers");
      if (!b || !kith_rpc_int(b, &saw->status_buffers))
        saw->status_buffers = -1;
    }
    return;
  }
  const msgpack_object *method = &f[type == 0 ? 2 : 1];
  const msgpack_object *params = &f[type == 0 ? 3 : 2];
  if (type == 0) { // a request: answer it as Neovim would (attach, detach, view.apply: true)
    msgpack_sbuffer sb;
    msgpack_sbuffer_init(&sb);
    msgpack_packer pk;
    msgpack_packer_init(&pk, &sb, msgpack_sbuffer_write);
    msgpack_pack_array(&pk, 4);
    msgpack_pack_int(&pk, 1);
    msgpack_pack_object(&pk, f[1]);
    msgpack_pack_nil(&pk);
    msgpack_pack_true(&pk);
    child_send_packed(c, &sb);
    msgpack_sbuffer_destroy(&sb);
  }
  int64_t buf = -1;
  if (!kith_rpc_is(method, "nvim_exec_lua") || params->type != MSGPACK_OBJECT_ARRAY ||
      params->via.array.size != 2 || params->via.array.ptr[1].type != MSGPACK_OBJECT_ARRAY)
    return;
  const char *code;
  size_t code_len;
  const msgpack_object_array *args = &params->via.array.ptr[1].via.array;
  if (!kith_rpc_str(&params->via.array.ptr[0], &code, &code_len) || args->size < 1)
    return;
  char lua[160];
  snprintf(lua, sizeof lua, "%.*s", (int)code_len, code);
  bool for_buf = kith_rpc_int(&args->ptr[0], &buf) && buf == saw->buf;
  if (strstr(lua, "require('kith').released(") && for_buf)
    saw->released = true;
  // The host asks lua/kith/sync.lua for a buffer's text and to stop sending it.
  if (strstr(lua, "require('kith.sync').attach(") && for_buf)
    saw->attach_requested = true;
  if (strstr(lua, "require('kith.sync').detach(") && for_buf)
    saw->detach_requested = true;
  const char *text;
  size_t len;
  if (strstr(lua, "require('kith.view').message(") && kith_rpc_str(&args->ptr[0], &text, &len)) {
    saw->messages++;
    snprintf(saw->message, sizeof saw->message, "%.*s", (int)len, text);
  }
}

// Reads what the host sends for up to `ms`, or until our status request is answered.
static void host_read(Child *c, HostSaw *saw, int ms) {
  int64_t deadline = now_ms() + ms;
  while (!saw->status_answered) {
    int wait = (int)(deadline - now_ms());
    if (wait <= 0)
      return;
    msgpack_unpacked msg;
    msgpack_unpacked_init(&msg);
    int rc = child_read(c, &msg, wait);
    if (rc == READ_OK)
      host_saw(c, saw, &msg.data);
    msgpack_unpacked_destroy(&msg);
    if (rc != READ_OK)
      return;
  }
}

static void send_status(Child *c, HostSaw *saw, uint32_t id) {
  msgpack_sbuffer sb;
  msgpack_sbuffer_init(&sb);
  msgpack_packer pk;
  msgpack_packer_init(&pk, &sb, msgpack_sbuffer_write);
  pack_request(&pk, id, "kith_status");
  saw->status_id = id;
  saw->status_answered = false;
  CHECK(child_send_packed(c, &sb));
  msgpack_sbuffer_destroy(&sb);
}

// A fresh host with buffer `buf` attached (opts: max_bytes when > 0) and its first lines sent.
static bool attach_buffer(Child *c, HostSaw *saw, char *vault, int64_t buf, int64_t max_bytes) {
  memset(saw, 0, sizeof *saw);
  saw->buf = buf;
  if (!child_spawn(c) || !mkdtemp(vault))
    return false;
  char path[128];
  snprintf(path, sizeof path, "%s/note.md", vault);
  msgpack_sbuffer sb;
  msgpack_sbuffer_init(&sb);
  msgpack_packer pk;
  msgpack_packer_init(&pk, &sb, msgpack_sbuffer_write);
  msgpack_pack_array(&pk, 3);
  msgpack_pack_int(&pk, 2);
  kith_rpc_pack_str(&pk, "kith_attach");
  msgpack_pack_array(&pk, 4);
  msgpack_pack_int64(&pk, buf);
  kith_rpc_pack_str(&pk, path);
  kith_rpc_pack_str(&pk, vault);
  msgpack_pack_map(&pk, max_bytes > 0 ? 1 : 0);
  if (max_bytes > 0) {
    kith_rpc_pack_str(&pk, "max_bytes");
    msgpack_pack_int64(&pk, max_bytes);
  }
  // Neovim sends the whole buffer first.
  msgpack_pack_array(&pk, 3);
  msgpack_pack_int(&pk, 2);
  kith_rpc_pack_str(&pk, "nvim_buf_lines_event");
  msgpack_pack_array(&pk, 6);
  const char handle = (char)buf;
  msgpack_pack_ext(&pk, 1, 0);
  msgpack_pack_ext_body(&pk, &handle, 1);
  msgpack_pack_int(&pk, 1);
  msgpack_pack_int(&pk, 0);
  msgpack_pack_int(&pk, -1);
  msgpack_pack_array(&pk, 2);
  kith_rpc_pack_str(&pk, "# Ann @ann");
  kith_rpc_pack_str(&pk, "- 2026-01-02 gave @ann advice");
  msgpack_pack_false(&pk);
  CHECK(child_send_packed(c, &sb));
  msgpack_sbuffer_destroy(&sb);
  send_status(c, saw, 1);
  host_read(c, saw, REPLY_TIMEOUT_MS);
  CHECK(saw->attach_requested);
  CHECK(saw->status_answered);
  CHECK_INT(saw->status_buffers, 1);
  return saw->attach_requested && saw->status_buffers == 1;
}

static void expect_released(Child *c, HostSaw *saw, const char *what, const char *needle) {
  host_read(c, saw, REPLY_TIMEOUT_MS);
  harness_checks++;
  if (!saw->detach_requested || !saw->released || saw->messages != 1 ||
      !strstr(saw->message, needle) || saw->status_buffers != 0)
    harness_fail(__FILE__, __LINE__,
                 "%s: detach %d, released %d, %d messages (\"%s\", want \"%s\"), buffers %lld",
                 what, saw->detach_requested, saw->released, saw->messages, saw->message, needle,
                 (long long)saw->status_buffers);
  expect_alive(c, what);
}

static void remove_vault(const char *vault) {
  char path[128];
  snprintf(path, sizeof path, "%s/note.md", vault);
  unlink(path);
  rmdir(vault);
}

static void test_bytes_lost_make_the_host_read_attached_buffers_again(void) {
  Child c;
  HostSaw saw;
  char vault[] = "/tmp/kith-test-vault-XXXXXX";
  if (attach_buffer(&c, &saw, vault, 4, 0)) {
    // A line event broken inside: whatever it said is lost, so the mirror may be wrong.
    saw.attach_requested = false;
    msgpack_sbuffer sb;
    msgpack_sbuffer_init(&sb);
    msgpack_packer pk;
    msgpack_packer_init(&pk, &sb, msgpack_sbuffer_write);
    pack_lines_head(&pk, 4, 2, 1, 1, 3);
    msgpack_sbuffer_write(&sb, "ab\xc1\xc1\xc1", 5); // ends the string, then not msgpack
    CHECK(child_send_packed(&c, &sb));
    msgpack_sbuffer_destroy(&sb);
    send_status(&c, &saw, 2);
    host_read(&c, &saw, REPLY_TIMEOUT_MS);
    CHECK(saw.status_answered);
    CHECK_INT(saw.status_buffers, 1); // still followed
    host_read(&c, &saw, SILENCE_MS);
    CHECK(saw.detach_requested); // and read again from the whole text
    CHECK(saw.attach_requested);
    CHECK(!saw.released);
    CHECK_INT(saw.messages, 0);
    expect_alive(&c, "a broken line event");
  }
  child_cleanup(&c);
  remove_vault(vault);
}

static void test_attached_buffer_with_a_change_over_64_mib_is_released_once(void) {
  Child c;
  HostSaw saw;
  char vault[] = "/tmp/kith-test-vault-XXXXXX";
  if (attach_buffer(&c, &saw, vault, 5, 0)) {
    int logged = child_log_lines(&c, "rpc:");
    msgpack_sbuffer sb;
    msgpack_sbuffer_init(&sb);
    msgpack_packer pk;
    msgpack_packer_init(&pk, &sb, msgpack_sbuffer_write);
    uint32_t n = 65 * MIB;
    pack_lines_head(&pk, 5, 2, 1, 1, n);
    CHECK(child_send_packed(&c, &sb));
    // Read what the host says while we write (it answers before the end).
    host_read(&c, &saw, 200);
    CHECK(send_hostile_body(&c, n));
    msgpack_sbuffer_clear(&sb);
    pack_lines_tail(&pk);
    CHECK(child_send_packed(&c, &sb));
    msgpack_sbuffer_destroy(&sb);
    send_status(&c, &saw, 2);
    expect_released(&c, &saw, "a 65 MiB change", "too large");
    CHECK_INT(child_log_lines(&c, "rpc:") - logged, 1);
  }
  child_cleanup(&c);
  remove_vault(vault);
}

static void test_attached_buffer_growing_past_max_bytes_is_released_once(void) {
  Child c;
  HostSaw saw;
  char vault[] = "/tmp/kith-test-vault-XXXXXX";
  if (attach_buffer(&c, &saw, vault, 6, 1000)) {
    msgpack_sbuffer sb;
    msgpack_sbuffer_init(&sb);
    msgpack_packer pk;
    msgpack_packer_init(&pk, &sb, msgpack_sbuffer_write);
    char line[1200];
    memset(line, 'x', sizeof line);
    for (int tick = 2; tick <= 4; tick++) {
      msgpack_pack_array(&pk, 3);
      msgpack_pack_int(&pk, 2);
      kith_rpc_pack_str(&pk, "nvim_buf_lines_event");
      msgpack_pack_array(&pk, 6);
      const char handle = 6;
      msgpack_pack_ext(&pk, 1, 0);
      msgpack_pack_ext_body(&pk, &handle, 1);
      msgpack_pack_int(&pk, tick);
      msgpack_pack_int(&pk, 2);
      msgpack_pack_int(&pk, 2);
      msgpack_pack_array(&pk, 1);
      msgpack_pack_str(&pk, sizeof line);
      msgpack_pack_str_body(&pk, line, sizeof line);
      msgpack_pack_false(&pk);
    }
    CHECK(child_send_packed(&c, &sb));
    msgpack_sbuffer_destroy(&sb);
    send_status(&c, &saw, 2);
    expect_released(&c, &saw, "1200 more bytes with max_bytes 1000", "kith follows notes up to");
  }
  child_cleanup(&c);
  remove_vault(vault);
}

static void test_closing_stdin_exits_0_within_2s(void) {
  if (!child.started)
    return;
  close(child.in);
  child.in = -1;
  int64_t deadline = now_ms() + EXIT_TIMEOUT_MS;
  while (child_alive(&child) && now_ms() < deadline)
    sleep_ms(10);
  harness_checks++;
  if (!child.reaped) {
    harness_fail(__FILE__, __LINE__, "the host still runs %d ms after stdin closed",
                 EXIT_TIMEOUT_MS);
    return;
  }
  CHECK(WIFEXITED(child.status));
  CHECK_INT(WIFEXITED(child.status) ? WEXITSTATUS(child.status) : -1, 0);
  // Nothing but whole messages was written before it left.
  msgpack_unpacked msg;
  msgpack_unpacked_init(&msg);
  int rc = child_read(&child, &msg, 200);
  CHECK(rc == READ_EOF);
  msgpack_unpacked_destroy(&msg);
}

// --- large buffers: parsed on the thread pool ------------------------------------------------
//
// A second host, with a vault on disk holding a small note, and a ~2 MB buffer whose file does
// not exist (so only the buffer is parsed, not the index). The host is driven as Neovim does:
// its nvim_exec_lua requests (sync.attach, view.apply) are answered, annotations recorded.

#define BIG_TIMEOUT_MS 180000
#define BIG_BYTES (2u << 20)

static Child big;
static char big_vault[64];
static char big_small_path[128], big_note_path[128];
static KithBuf big_text = KITH_BUF_INIT;

typedef struct {
  int64_t buf, tick;
  char first_mark[32]; // the handle-less text of the mark on line 0, if any ("" when none)
  int64_t at;
} SeenApply;

static SeenApply seen_applies[512];
static int seen_apply_count;
static uint64_t seen_answers[4096];
static int seen_answer_count;
static bool seen_attach_asked[8];
static int64_t seen_status_notes = -1;   // "notes" of the first vault in the last kith_status
static uint64_t seen_outline_id;         // the kith_outline request to record the answer of
static char seen_outline_handles[2][32]; // its first two headings' handles

static void pack_str_n(msgpack_packer *pk, const char *s, size_t n) {
  msgpack_pack_str(pk, n);
  msgpack_pack_str_body(pk, s, n);
}

// [2, "nvim_buf_lines_event", [buf, tick, first, last, lines of text, false]]
static bool send_lines(Child *c, int64_t buf, int64_t tick, int64_t first, int64_t last,
                       const char *text, size_t len) {
  size_t count = 0;
  for (size_t i = 0; i < len; i++)
    count += text[i] == '\n';
  msgpack_sbuffer sb;
  msgpack_sbuffer_init(&sb);
  msgpack_packer pk;
  msgpack_packer_init(&pk, &sb, msgpack_sbuffer_write);
  msgpack_pack_array(&pk, 3);
  msgpack_pack_int(&pk, 2);
  kith_rpc_pack_str(&pk, "nvim_buf_lines_event");
  msgpack_pack_array(&pk, 6);
  msgpack_pack_int64(&pk, buf);
  msgpack_pack_int64(&pk, tick);
  msgpack_pack_int64(&pk, first);
  msgpack_pack_int64(&pk, last);
  msgpack_pack_array(&pk, (uint32_t)count);
  for (size_t at = 0; at < len;) {
    const char *nl = memchr(text + at, '\n', len - at);
    size_t end = nl ? (size_t)(nl - text) : len;
    pack_str_n(&pk, text + at, end - at);
    at = end + 1;
  }
  msgpack_pack_false(&pk);
  bool ok = child_send_packed(c, &sb);
  msgpack_sbuffer_destroy(&sb);
  return ok;
}

static bool send_request(Child *c, uint32_t id, const char *method, int64_t buf, const char *path) {
  msgpack_sbuffer sb;
  msgpack_sbuffer_init(&sb);
  msgpack_packer pk;
  msgpack_packer_init(&pk, &sb, msgpack_sbuffer_write);
  msgpack_pack_array(&pk, 4);
  msgpack_pack_int(&pk, 0);
  msgpack_pack_uint32(&pk, id);
  kith_rpc_pack_str(&pk, method);
  if (path) { // kith_attach [buf, path, vault, opts]
    msgpack_pack_array(&pk, 4);
    msgpack_pack_int64(&pk, buf);
    kith_rpc_pack_str(&pk, path);
    kith_rpc_pack_str(&pk, big_vault);
    msgpack_pack_map(&pk, 1);
    kith_rpc_pack_str(&pk, "today");
    kith_rpc_pack_str(&pk, "2026-11-26");
  } else if (buf >= 0) {
    msgpack_pack_array(&pk, 1);
    msgpack_pack_int64(&pk, buf);
  } else {
    msgpack_pack_array(&pk, 0);
  }
  bool ok = child_send_packed(c, &sb);
  msgpack_sbuffer_destroy(&sb);
  return ok;
}

static void respond(Child *c, uint64_t id, bool value) {
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
  child_send_packed(c, &sb);
  msgpack_sbuffer_destroy(&sb);
}

// Records view.apply's arguments [buf, tick, marks, diagnostics].
static void seen_apply(const msgpack_object *args) {
  if (seen_apply_count == (int)(sizeof seen_applies / sizeof *seen_applies) ||
      args->type != MSGPACK_OBJECT_ARRAY || args->via.array.size < 3)
    return;
  SeenApply *a = &seen_applies[seen_apply_count++];
  memset(a, 0, sizeof *a);
  kith_rpc_int(&args->via.array.ptr[0], &a->buf);
  kith_rpc_int(&args->via.array.ptr[1], &a->tick);
  a->at = now_ms();
  const msgpack_object *marks = &args->via.array.ptr[2];
  if (marks->type != MSGPACK_OBJECT_ARRAY || marks->via.array.size == 0)
    return;
  // [line, [[text, hl], ...], end_line, handle]
  const msgpack_object *mark = &marks->via.array.ptr[0];
  int64_t line = -1;
  if (mark->type == MSGPACK_OBJECT_ARRAY && mark->via.array.size >= 2 &&
      kith_rpc_int(&mark->via.array.ptr[0], &line) && line == 0)
    snprintf(a->first_mark, sizeof a->first_mark, "line 0");
}

// Keeps the handles of the first two entries of a kith_outline result.
static void seen_outline_keep(const msgpack_object *result) {
  for (uint32_t i = 0; i < 2; i++) {
    seen_outline_handles[i][0] = '\0';
    const msgpack_object *h = result->type == MSGPACK_OBJECT_ARRAY && result->via.array.size > i
                                  ? kith_rpc_field(&result->via.array.ptr[i], "handle")
                                  : NULL;
    const char *str = NULL;
    size_t n = 0;
    if (h && kith_rpc_str(h, &str, &n) && n < sizeof seen_outline_handles[i]) {
      memcpy(seen_outline_handles[i], str, n);
      seen_outline_handles[i][n] = '\0';
    }
  }
}

// Reads one message within `timeout_ms` and handles it as Neovim would. False on timeout.
static bool pump_one(Child *c, int timeout_ms) {
  msgpack_unpacked msg;
  msgpack_unpacked_init(&msg);
  int rc = child_read(c, &msg, timeout_ms);
  if (rc != READ_OK) {
    msgpack_unpacked_destroy(&msg);
    return false;
  }
  const msgpack_object *m = &msg.data;
  if (m->type == MSGPACK_OBJECT_ARRAY && m->via.array.size == 4) {
    const msgpack_object *f = m->via.array.ptr;
    if (f[0].via.u64 == 1 &&
        seen_answer_count < (int)(sizeof seen_answers / sizeof *seen_answers)) {
      seen_answers[seen_answer_count++] = f[1].via.u64;
      if (f[1].via.u64 == seen_outline_id)
        seen_outline_keep(&f[3]);
      const msgpack_object *vaults = kith_rpc_field(&f[3], "vaults");
      if (vaults && vaults->type == MSGPACK_OBJECT_ARRAY && vaults->via.array.size > 0) {
        const msgpack_object *notes = kith_rpc_field(&vaults->via.array.ptr[0], "notes");
        if (!notes || !kith_rpc_int(notes, &seen_status_notes))
          seen_status_notes = -1;
      }
    } else if (f[0].via.u64 == 0) {
      const msgpack_object *params = &f[3];
      bool value = true;
      int64_t buf = -1;
      if (kith_rpc_is(&f[2], "nvim_exec_lua") && params->type == MSGPACK_OBJECT_ARRAY &&
          params->via.array.size == 2) {
        const char *code = NULL;
        size_t n = 0;
        bool is_code = kith_rpc_str(&params->via.array.ptr[0], &code, &n) && n > 7;
        bool apply = is_code && strstr(code, ".apply(") != NULL;
        // The host asks lua/kith/sync.lua for a buffer's text (answered true).
        bool attach = is_code && strstr(code, "require('kith.sync').attach(") != NULL;
        const msgpack_object *args = &params->via.array.ptr[1];
        if (attach && args->type == MSGPACK_OBJECT_ARRAY && args->via.array.size > 0 &&
            kith_rpc_int(&args->via.array.ptr[0], &buf) && buf >= 0 && buf < 8)
          seen_attach_asked[buf] = true;
        if (apply)
          seen_apply(args);
        value = apply || attach;
      }
      respond(c, f[1].via.u64, value);
    }
  }
  msgpack_unpacked_destroy(&msg);
  return true;
}

static bool answered(uint64_t id) {
  for (int i = 0; i < seen_answer_count; i++) {
    if (seen_answers[i] == id)
      return true;
  }
  return false;
}

// The first recorded annotation of `buf` at `tick` (any tick when tick < 0), or NULL.
static const SeenApply *applied(int64_t buf, int64_t tick) {
  for (int i = 0; i < seen_apply_count; i++) {
    if (seen_applies[i].buf == buf && (tick < 0 || seen_applies[i].tick == tick))
      return &seen_applies[i];
  }
  return NULL;
}

// Handles messages until `done(arg)` or the timeout; false on timeout.
static bool pump_until(Child *c, bool (*done)(int64_t, int64_t), int64_t a, int64_t b,
                       int timeout_ms) {
  int64_t deadline = now_ms() + timeout_ms;
  while (!done(a, b)) {
    int wait = (int)(deadline - now_ms());
    if (wait <= 0)
      return false;
    pump_one(c, wait < 50 ? wait : 50);
  }
  return true;
}

static bool is_answered(int64_t id, int64_t unused) {
  (void)unused;
  return answered((uint64_t)id);
}
static bool is_applied(int64_t buf, int64_t tick) {
  return applied(buf, tick) != NULL;
}
static bool is_attach_asked(int64_t buf, int64_t unused) {
  (void)unused;
  return seen_attach_asked[buf];
}

// How many lines of the host's log contain `needle`.
static int log_count(const Child *c, const char *needle) {
  FILE *f = fopen(c->log_path, "r");
  int n = 0;
  char line[1024];
  while (f && fgets(line, sizeof line, f))
    n += strstr(line, needle) != NULL;
  if (f)
    fclose(f);
  return n;
}

static bool wait_log(const Child *c, const char *needle, int count, int timeout_ms) {
  int64_t deadline = now_ms() + timeout_ms;
  while (log_count(c, needle) < count) {
    if (now_ms() > deadline)
      return false;
    pump_one(&big, 5);
  }
  return true;
}

static bool write_file(const char *path, const char *text) {
  FILE *f = fopen(path, "w");
  if (!f)
    return false;
  bool ok = fputs(text, f) >= 0;
  return fclose(f) == 0 && ok;
}

static void test_big_setup(void) {
  snprintf(big_vault, sizeof big_vault, "/tmp/kith-test-big-XXXXXX");
  char people[96];
  if (!mkdtemp(big_vault)) {
    harness_fail(__FILE__, __LINE__, "mkdtemp: %s", strerror(errno));
    return;
  }
  snprintf(people, sizeof people, "%s/people", big_vault);
  snprintf(big_small_path, sizeof big_small_path, "%s/small.md", people);
  snprintf(big_note_path, sizeof big_note_path, "%s/big.md", people); // never on disk
  CHECK(mkdir(people, 0755) == 0);
  CHECK(write_file(big_small_path, "## Bob @bob\n\n- 2026-11-20 #gave intro\n"));
  kith_buf_puts(&big_text, "## Alice Chen @alice\n\n");
  for (int i = 0; big_text.len < BIG_BYTES; i++)
    kith_buf_printf(&big_text,
                    "- 2026-%02d-%02d #gave:%d notes with `#got` and [a link](http://x/@y) %d\n",
                    1 + i % 12, 1 + i % 28, 1 + i % 3, i);
  setenv("KITH_VERBOSE", "1", 1); // logs when a parse starts on the thread pool
  CHECK(child_spawn(&big));
  unsetenv("KITH_VERBOSE");
  // The small buffer first: its annotations say the vault is indexed.
  CHECK(send_request(&big, 10, "kith_attach", 2, big_small_path));
  CHECK(pump_until(&big, is_attach_asked, 2, 0, REPLY_TIMEOUT_MS));
  static const char small[] = "## Bob @bob\n\n- 2026-11-20 #gave intro\n";
  CHECK(send_lines(&big, 2, 1, 0, -1, small, sizeof small - 1));
  CHECK(pump_until(&big, is_applied, 2, 1, REPLY_TIMEOUT_MS));
}

static void test_loop_answers_and_annotates_others_while_a_big_buffer_parses(void) {
  if (!big.started || !child_alive(&big))
    return;
  CHECK(send_request(&big, 11, "kith_attach", 1, big_note_path));
  CHECK(pump_until(&big, is_attach_asked, 1, 0, REPLY_TIMEOUT_MS));
  CHECK(send_lines(&big, 1, 1, 0, -1, big_text.data, big_text.len));
  // Meanwhile: another buffer changes, and the host is asked for its version, one at a time.
  static const char item[] = "- 2026-11-25 #gave:2 while the big note parses\n";
  CHECK(send_lines(&big, 2, 2, 1, 1, item, sizeof item - 1));
  int answers_before = 0;
  for (uint32_t id = 100; id < 105; id++) {
    CHECK(send_request(&big, id, "kith_version", -1, NULL));
    CHECK(pump_until(&big, is_answered, id, 0, BIG_TIMEOUT_MS));
    answers_before += !applied(1, -1);
    sleep_ms(5);
  }
  CHECK(pump_until(&big, is_applied, 2, 2, BIG_TIMEOUT_MS));
  CHECK(pump_until(&big, is_applied, 1, 1, BIG_TIMEOUT_MS));
  const SeenApply *mine = applied(1, 1), *other = applied(2, 2);
  // The loop answered while the big buffer was being parsed ...
  CHECK(answers_before >= 3);
  // ... and annotated the other buffer's change before the big buffer's first annotations.
  CHECK(mine && other && other->at <= mine->at);
  expect_alive(&big, "a big buffer");
}

static bool is_outline_answered(int64_t id, int64_t unused) {
  (void)unused;
  return answered((uint64_t)id);
}

static void test_newer_text_supersedes_a_running_parse(void) {
  if (!big.started || !child_alive(&big) || !applied(1, 1))
    return;
  int parses = log_count(&big, "on the thread pool (superseded)");
  int started = log_count(&big, "buffer 1: parse started");
  // Tick 2: a heading at the top; once its parse runs, tick 3 replaces that heading.
  CHECK(send_lines(&big, 1, 2, 0, 0, "## Yan @yan\n", 12));
  CHECK(wait_log(&big, "buffer 1: parse started", started + 1, BIG_TIMEOUT_MS));
  CHECK(send_lines(&big, 1, 3, 0, 1, "## Zed @zed\n", 12));
  // A request that needs the note gets the current text's.
  seen_outline_id = 200;
  CHECK(send_request(&big, 200, "kith_outline", 1, NULL));
  CHECK(pump_until(&big, is_outline_answered, 200, 0, BIG_TIMEOUT_MS));
  CHECK_STR(seen_outline_handles[0], "zed");
  CHECK_STR(seen_outline_handles[1], "alice");
  CHECK(pump_until(&big, is_applied, 1, 3, BIG_TIMEOUT_MS));
  // The parse of tick 2's text was dropped, never applied over the newer text.
  CHECK(applied(1, 2) == NULL);
  const SeenApply *now = applied(1, 3);
  CHECK(now && strcmp(now->first_mark, "line 0") == 0);
  CHECK(wait_log(&big, "on the thread pool (superseded)", parses + 1, REPLY_TIMEOUT_MS));
  expect_alive(&big, "superseding a parse");
}

static void test_a_request_waits_for_the_running_parse_of_the_current_text(void) {
  if (!big.started || !child_alive(&big))
    return;
  int started = log_count(&big, "buffer 1: parse started");
  int waited = log_count(&big, "buffer 1: waited");
  CHECK(send_lines(&big, 1, 10, 0, 1, "## Wu @wu\n", 10));
  CHECK(wait_log(&big, "buffer 1: parse started", started + 1, BIG_TIMEOUT_MS));
  seen_outline_id = 210;
  CHECK(send_request(&big, 210, "kith_outline", 1, NULL));
  CHECK(pump_until(&big, is_outline_answered, 210, 0, BIG_TIMEOUT_MS));
  CHECK_STR(seen_outline_handles[0], "wu");
  CHECK_STR(seen_outline_handles[1], "alice");
  CHECK_INT(log_count(&big, "buffer 1: waited"), waited + 1); // not parsed a second time
}

// kith_status's "notes" for the big vault, or -1; the request is answered within the timeout.
static int64_t status_notes(uint32_t id) {
  if (!send_request(&big, id, "kith_status", -1, NULL) ||
      !pump_until(&big, is_answered, id, 0, REPLY_TIMEOUT_MS))
    return -1;
  return seen_status_notes;
}

static void test_a_big_file_changed_on_disk_is_read_off_the_loop(void) {
  if (!big.started || !child_alive(&big))
    return;
  char path[160];
  snprintf(path, sizeof path, "%s/people/disk.md", big_vault);
  CHECK_INT(status_notes(400), 1);
  int started = log_count(&big, "changed files on the thread pool");
  FILE *f = fopen(path, "w");
  CHECK(f != NULL);
  if (!f)
    return;
  fwrite(big_text.data, 1, big_text.len, f);
  fclose(f);
  CHECK(wait_log(&big, "changed files on the thread pool", started + 1, REPLY_TIMEOUT_MS));
  // The loop answers while the file is parsed; then the index has it.
  int64_t deadline = now_ms() + BIG_TIMEOUT_MS;
  int answers = 0;
  uint32_t id = 401;
  int64_t notes = 1;
  while (notes == 1 && now_ms() < deadline) {
    notes = status_notes(id++);
    answers += notes == 1;
    sleep_ms(20);
  }
  CHECK_INT(notes, 2);
  CHECK(answers >= 3);
  unlink(path);
}

static void test_detaching_or_closing_during_a_parse(void) {
  if (!big.started || !child_alive(&big))
    return;
  // Detached while its parse runs: the parse is let go, the host goes on.
  int started = log_count(&big, "buffer 1: parsing");
  CHECK(send_lines(&big, 1, 4, 0, 1, "## Xia @xia\n", 12));
  CHECK(wait_log(&big, "buffer 1: parsing", started + 1, BIG_TIMEOUT_MS));
  CHECK(send_request(&big, 300, "kith_detach", 1, NULL));
  CHECK(pump_until(&big, is_answered, 300, 0, REPLY_TIMEOUT_MS));
  static const char item[] = "- 2026-11-26 #got lunch\n";
  CHECK(send_lines(&big, 2, 3, 1, 1, item, sizeof item - 1));
  CHECK(pump_until(&big, is_applied, 2, 3, REPLY_TIMEOUT_MS));
  expect_alive(&big, "detaching during a parse");
  // Closing stdin while a big buffer parses: the host stops the parse and exits at once.
  seen_attach_asked[3] = false;
  CHECK(send_request(&big, 301, "kith_attach", 3, big_note_path));
  CHECK(pump_until(&big, is_attach_asked, 3, 0, REPLY_TIMEOUT_MS));
  started = log_count(&big, "buffer 3: parsing");
  CHECK(send_lines(&big, 3, 1, 0, -1, big_text.data, big_text.len));
  CHECK(wait_log(&big, "buffer 3: parsing", started + 1, BIG_TIMEOUT_MS));
  close(big.in);
  big.in = -1;
  int64_t deadline = now_ms() + EXIT_TIMEOUT_MS;
  while (child_alive(&big) && now_ms() < deadline) {
    if (!pump_one(&big, 10))
      sleep_ms(5);
  }
  harness_checks++;
  if (!big.reaped)
    harness_fail(__FILE__, __LINE__, "the host still runs %d ms after stdin closed",
                 EXIT_TIMEOUT_MS);
  CHECK(big.reaped && WIFEXITED(big.status) && WEXITSTATUS(big.status) == 0);
}

static void test_big_teardown(void) {
  child_cleanup(&big);
  unlink(big_small_path);
  char people[96];
  snprintf(people, sizeof people, "%s/people", big_vault);
  rmdir(people);
  rmdir(big_vault);
  kith_buf_free(&big_text);
}

int main(void) {
  signal(SIGPIPE, SIG_IGN);
  RUN(test_spawn);
  RUN(test_version_request_is_answered);
  RUN(test_garbage_byte_is_dropped_and_the_host_lives);
  RUN(test_params_not_an_array_gets_an_error_response_with_id_2);
  RUN(test_array32_declaring_4e9_elements_is_dropped);
  RUN(test_40_deep_nesting_is_dropped);
  RUN(test_non_rpc_messages_are_dropped);
  RUN(test_status_request_after_bad_frames_is_answered);
  RUN(test_two_requests_in_one_write_are_answered_in_order);
  RUN(test_bad_byte_and_a_request_in_one_write_the_request_is_answered);
  RUN(test_line_event_over_64_mib_is_skipped_and_its_text_never_read);
  RUN(test_request_over_64_mib_gets_an_error_with_its_id);
  RUN(test_closing_stdin_exits_0_within_2s);
  child_cleanup(&child);
  RUN(test_attached_buffer_with_a_change_over_64_mib_is_released_once);
  RUN(test_attached_buffer_growing_past_max_bytes_is_released_once);
  RUN(test_bytes_lost_make_the_host_read_attached_buffers_again);
  RUN(test_big_setup);
  RUN(test_loop_answers_and_annotates_others_while_a_big_buffer_parses);
  RUN(test_newer_text_supersedes_a_running_parse);
  RUN(test_a_request_waits_for_the_running_parse_of_the_current_text);
  RUN(test_a_big_file_changed_on_disk_is_read_off_the_loop);
  RUN(test_detaching_or_closing_during_a_parse);
  RUN(test_big_teardown);
  return harness_finish("test_serve");
}
