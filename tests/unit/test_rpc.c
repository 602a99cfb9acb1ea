// KithRpc (src/rpc.h) without streams: bytes in with kith_rpc_feed, bytes out with
// kith_rpc_take_output. Requests are answered in order, responses matched by id, and anything
// malformed is dropped without output, without a crash, and without wedging the endpoint.

#include "harness.h"

#include <msgpack.h>
#include <stdio.h>
#include <stdlib.h>
#include <unistd.h>

#include "host/frame.h"
#include "host/rpc.h"

// --- handlers ------------------------------------------------------------------------------

typedef struct {
  int echo_calls;
  int note_calls;
  bool note_result_was_null;
  char note_arg[32];
} Ctx;

static int h_echo(void *ctx, const msgpack_object *params, msgpack_packer *result, char **error) {
  Ctx *c = ctx;
  c->echo_calls++;
  if (!result || params->via.array.size < 1) {
    *error = strdup("echo: expected [x]");
    return -1;
  }
  msgpack_pack_object(result, params->via.array.ptr[0]);
  return 0;
}

static int h_note(void *ctx, const msgpack_object *params, msgpack_packer *result, char **error) {
  (void)error;
  Ctx *c = ctx;
  c->note_calls++;
  c->note_result_was_null = result == NULL;
  const char *s;
  size_t n;
  if (params->via.array.size > 0 && kith_rpc_str(&params->via.array.ptr[0], &s, &n))
    snprintf(c->note_arg, sizeof c->note_arg, "%.*s", (int)n, s);
  return 0;
}

static int h_fail(void *ctx, const msgpack_object *params, msgpack_packer *result, char **error) {
  (void)ctx;
  (void)params;
  (void)result;
  *error = strdup("fail: on purpose");
  return -1;
}

static const KithRpcMethod methods[] = {
    {"echo", h_echo},
    {"note", h_note},
    {"fail", h_fail},
    {NULL, NULL},
};

// --- helpers -------------------------------------------------------------------------------

typedef struct {
  msgpack_sbuffer sb;
  msgpack_packer pk;
} Packed;

static void packed_init(Packed *p) {
  msgpack_sbuffer_init(&p->sb);
  msgpack_packer_init(&p->pk, &p->sb, msgpack_sbuffer_write);
}

static void pack_str(msgpack_packer *pk, const char *s) {
  kith_rpc_pack_str(pk, s);
}

// [0, id, method, [int_param]]
static void pack_request_int(Packed *p, uint32_t id, const char *method, int param) {
  msgpack_pack_array(&p->pk, 4);
  msgpack_pack_int(&p->pk, 0);
  msgpack_pack_uint32(&p->pk, id);
  pack_str(&p->pk, method);
  msgpack_pack_array(&p->pk, 1);
  msgpack_pack_int(&p->pk, param);
}

static void feed_packed(KithRpc *rpc, Packed *p) {
  kith_rpc_feed(rpc, p->sb.data, p->sb.size);
  msgpack_sbuffer_clear(&p->sb);
}

// What the endpoint wrote, unpacked: up to 8 messages.
typedef struct {
  char *bytes;
  size_t len;
  msgpack_unpacked msgs[8];
  size_t count;
  bool trailing_garbage;
} Output;

static void output_take(KithRpc *rpc, Output *o) {
  memset(o, 0, sizeof *o);
  o->bytes = kith_rpc_take_output(rpc, &o->len);
  size_t off = 0;
  while (o->bytes && off < o->len && o->count < 8) {
    msgpack_unpacked_init(&o->msgs[o->count]);
    int rc = msgpack_unpack_next(&o->msgs[o->count], o->bytes, o->len, &off);
    if (rc != MSGPACK_UNPACK_SUCCESS) {
      msgpack_unpacked_destroy(&o->msgs[o->count]);
      o->trailing_garbage = true;
      break;
    }
    o->count++;
  }
  if (off < o->len)
    o->trailing_garbage = true;
}

static void output_free(Output *o) {
  for (size_t i = 0; i < o->count; i++)
    msgpack_unpacked_destroy(&o->msgs[i]);
  free(o->bytes);
}

static const msgpack_object *output_msg(const Output *o, size_t i) {
  return i < o->count ? &o->msgs[i].data : NULL;
}

// Whether `m` is [1, id, nil, <positive int want>].
static bool is_int_response(const msgpack_object *m, uint64_t id, uint64_t want) {
  return m && m->type == MSGPACK_OBJECT_ARRAY && m->via.array.size == 4 &&
         m->via.array.ptr[0].type == MSGPACK_OBJECT_POSITIVE_INTEGER &&
         m->via.array.ptr[0].via.u64 == 1 &&
         m->via.array.ptr[1].type == MSGPACK_OBJECT_POSITIVE_INTEGER &&
         m->via.array.ptr[1].via.u64 == id && m->via.array.ptr[2].type == MSGPACK_OBJECT_NIL &&
         m->via.array.ptr[3].type == MSGPACK_OBJECT_POSITIVE_INTEGER &&
         m->via.array.ptr[3].via.u64 == want;
}

// Whether `m` is [1, id, [0, "<message containing needle>"], nil].
static bool is_error_response(const msgpack_object *m, uint64_t id, const char *needle) {
  if (!m || m->type != MSGPACK_OBJECT_ARRAY || m->via.array.size != 4)
    return false;
  const msgpack_object *f = m->via.array.ptr;
  if (f[0].type != MSGPACK_OBJECT_POSITIVE_INTEGER || f[0].via.u64 != 1 ||
      f[1].type != MSGPACK_OBJECT_POSITIVE_INTEGER || f[1].via.u64 != id ||
      f[2].type != MSGPACK_OBJECT_ARRAY || f[2].via.array.size != 2 ||
      f[3].type != MSGPACK_OBJECT_NIL)
    return false;
  const msgpack_object *e = f[2].via.array.ptr;
  const char *s;
  size_t n;
  if (e[0].type != MSGPACK_OBJECT_POSITIVE_INTEGER || e[0].via.u64 != 0 ||
      !kith_rpc_str(&e[1], &s, &n))
    return false;
  char text[256];
  snprintf(text, sizeof text, "%.*s", (int)n, s);
  return strstr(text, needle) != NULL;
}

static KithRpc *new_rpc(Ctx *ctx) {
  memset(ctx, 0, sizeof *ctx);
  KithRpc *rpc = kith_rpc_new(NULL, NULL, methods, ctx, NULL);
  CHECK(rpc != NULL);
  return rpc;
}

// Feeds [0, id, "echo", [id]] and checks the one response [1, id, nil, id].
static void expect_echo_answered(KithRpc *rpc, uint32_t id) {
  Packed p;
  packed_init(&p);
  pack_request_int(&p, id, "echo", (int)id);
  feed_packed(rpc, &p);
  msgpack_sbuffer_destroy(&p.sb);
  Output o;
  output_take(rpc, &o);
  CHECK_INT(o.count, 1);
  CHECK(!o.trailing_garbage);
  harness_checks++;
  if (!is_int_response(output_msg(&o, 0), id, id))
    harness_fail(__FILE__, __LINE__, "request %u after bad input was not answered", id);
  output_free(&o);
}

// --- requests ------------------------------------------------------------------------------

static void test_request_is_answered_with_the_handler_result(void) {
  Ctx ctx;
  KithRpc *rpc = new_rpc(&ctx);
  Packed p;
  packed_init(&p);
  pack_request_int(&p, 7, "echo", 1);
  feed_packed(rpc, &p);
  Output o;
  output_take(rpc, &o);
  CHECK_INT(ctx.echo_calls, 1);
  CHECK_INT(o.count, 1);
  CHECK(!o.trailing_garbage);
  CHECK(is_int_response(output_msg(&o, 0), 7, 1));
  output_free(&o);
  // Nothing more was written.
  size_t len = 99;
  char *rest = kith_rpc_take_output(rpc, &len);
  CHECK_INT(len, 0);
  free(rest);
  KithRpcStats st = kith_rpc_stats(rpc);
  CHECK_INT(st.frames_in, 1);
  CHECK_INT(st.frames_dropped, 0);
  msgpack_sbuffer_destroy(&p.sb);
  kith_rpc_free(rpc);
}

static void test_unknown_method_gets_an_error_response(void) {
  Ctx ctx;
  KithRpc *rpc = new_rpc(&ctx);
  Packed p;
  packed_init(&p);
  pack_request_int(&p, 12, "nope", 1);
  feed_packed(rpc, &p);
  Output o;
  output_take(rpc, &o);
  CHECK_INT(o.count, 1);
  CHECK(is_error_response(output_msg(&o, 0), 12, "kith: unknown method"));
  CHECK(is_error_response(output_msg(&o, 0), 12, "nope"));
  output_free(&o);
  msgpack_sbuffer_destroy(&p.sb);
  kith_rpc_free(rpc);
}

static void test_params_not_an_array_gets_an_error_response(void) {
  Ctx ctx;
  KithRpc *rpc = new_rpc(&ctx);
  Packed p;
  packed_init(&p);
  msgpack_pack_array(&p.pk, 4);
  msgpack_pack_int(&p.pk, 0);
  msgpack_pack_int(&p.pk, 3);
  pack_str(&p.pk, "echo");
  pack_str(&p.pk, "notarray");
  feed_packed(rpc, &p);
  Output o;
  output_take(rpc, &o);
  CHECK_INT(ctx.echo_calls, 0);
  CHECK_INT(o.count, 1);
  CHECK(is_error_response(output_msg(&o, 0), 3, "params must be an array"));
  output_free(&o);
  msgpack_sbuffer_destroy(&p.sb);
  kith_rpc_free(rpc);
}

static void test_failing_handler_gets_its_error_response(void) {
  Ctx ctx;
  KithRpc *rpc = new_rpc(&ctx);
  Packed p;
  packed_init(&p);
  pack_request_int(&p, 4, "fail", 0);
  feed_packed(rpc, &p);
  Output o;
  output_take(rpc, &o);
  CHECK_INT(o.count, 1);
  CHECK(!o.trailing_garbage);
  CHECK(is_error_response(output_msg(&o, 0), 4, "fail: on purpose"));
  output_free(&o);
  msgpack_sbuffer_destroy(&p.sb);
  kith_rpc_free(rpc);
}

static void test_request_fed_one_byte_at_a_time_gets_one_response(void) {
  Ctx ctx;
  KithRpc *rpc = new_rpc(&ctx);
  Packed p;
  packed_init(&p);
  pack_request_int(&p, 300, "echo", 42);
  int early = 0;
  for (size_t i = 0; i < p.sb.size; i++) {
    kith_rpc_feed(rpc, p.sb.data + i, 1);
    if (i + 1 < p.sb.size) {
      size_t len = 0;
      char *out = kith_rpc_take_output(rpc, &len);
      early += len > 0;
      free(out);
    }
  }
  CHECK_INT(early, 0);
  Output o;
  output_take(rpc, &o);
  CHECK_INT(ctx.echo_calls, 1);
  CHECK_INT(o.count, 1);
  CHECK(is_int_response(output_msg(&o, 0), 300, 42));
  output_free(&o);
  msgpack_sbuffer_destroy(&p.sb);
  kith_rpc_free(rpc);
}

static void test_two_requests_in_one_feed_are_answered_in_order(void) {
  Ctx ctx;
  KithRpc *rpc = new_rpc(&ctx);
  Packed p;
  packed_init(&p);
  pack_request_int(&p, 21, "echo", 5);
  pack_request_int(&p, 20, "echo", 6);
  feed_packed(rpc, &p);
  Output o;
  output_take(rpc, &o);
  CHECK_INT(o.count, 2);
  CHECK(is_int_response(output_msg(&o, 0), 21, 5));
  CHECK(is_int_response(output_msg(&o, 1), 20, 6));
  output_free(&o);
  msgpack_sbuffer_destroy(&p.sb);
  kith_rpc_free(rpc);
}

static void test_request_split_across_feeds_with_the_next_one_begun(void) {
  Ctx ctx;
  KithRpc *rpc = new_rpc(&ctx);
  Packed p;
  packed_init(&p);
  pack_request_int(&p, 1, "echo", 10);
  pack_request_int(&p, 2, "echo", 11);
  size_t cut = p.sb.size - 3; // inside the second request
  kith_rpc_feed(rpc, p.sb.data, cut);
  Output o;
  output_take(rpc, &o);
  CHECK_INT(o.count, 1);
  CHECK(is_int_response(output_msg(&o, 0), 1, 10));
  output_free(&o);
  kith_rpc_feed(rpc, p.sb.data + cut, p.sb.size - cut);
  output_take(rpc, &o);
  CHECK_INT(o.count, 1);
  CHECK(is_int_response(output_msg(&o, 0), 2, 11));
  output_free(&o);
  msgpack_sbuffer_destroy(&p.sb);
  kith_rpc_free(rpc);
}

// --- notifications -------------------------------------------------------------------------

static void test_notification_calls_the_handler_without_a_result(void) {
  Ctx ctx;
  KithRpc *rpc = new_rpc(&ctx);
  Packed p;
  packed_init(&p);
  msgpack_pack_array(&p.pk, 3);
  msgpack_pack_int(&p.pk, 2);
  pack_str(&p.pk, "note");
  msgpack_pack_array(&p.pk, 1);
  pack_str(&p.pk, "x");
  feed_packed(rpc, &p);
  CHECK_INT(ctx.note_calls, 1);
  CHECK(ctx.note_result_was_null);
  CHECK_STR(ctx.note_arg, "x");
  size_t len = 99;
  char *out = kith_rpc_take_output(rpc, &len);
  CHECK_INT(len, 0);
  free(out);
  CHECK_INT(kith_rpc_stats(rpc).notifications_in, 1);
  msgpack_sbuffer_destroy(&p.sb);
  kith_rpc_free(rpc);
}

static void test_unknown_notification_is_ignored_silently(void) {
  Ctx ctx;
  KithRpc *rpc = new_rpc(&ctx);
  Packed p;
  packed_init(&p);
  msgpack_pack_array(&p.pk, 3);
  msgpack_pack_int(&p.pk, 2);
  pack_str(&p.pk, "nvim_buf_changedtick_event_unknown");
  msgpack_pack_array(&p.pk, 0);
  feed_packed(rpc, &p);
  size_t len = 99;
  char *out = kith_rpc_take_output(rpc, &len);
  CHECK_INT(len, 0);
  free(out);
  msgpack_sbuffer_destroy(&p.sb);
  expect_echo_answered(rpc, 8);
  kith_rpc_free(rpc);
}

// --- responses to our requests -----------------------------------------------------------

typedef struct {
  int calls;
  bool error_nil;
  bool result_null;
  int64_t result;
} Answer;

static void on_answer(void *data, const msgpack_object *error, const msgpack_object *result) {
  Answer *a = data;
  a->calls++;
  a->error_nil = error && error->type == MSGPACK_OBJECT_NIL;
  a->result_null = result == NULL;
  a->result = -1;
  if (result)
    kith_rpc_int(result, &a->result);
}

// Sends a request and returns the id it went out with (read back from the output).
static uint64_t send_request(KithRpc *rpc, const char *method, Answer *answer) {
  msgpack_packer *pk = kith_rpc_begin(rpc, method, false, on_answer, answer);
  CHECK(pk != NULL);
  msgpack_pack_array(pk, 0);
  CHECK_INT(kith_rpc_end(rpc), 0);
  Output o;
  output_take(rpc, &o);
  CHECK_INT(o.count, 1);
  uint64_t id = (uint64_t)-1;
  const msgpack_object *m = output_msg(&o, 0);
  CHECK(m && m->type == MSGPACK_OBJECT_ARRAY && m->via.array.size == 4);
  if (m && m->type == MSGPACK_OBJECT_ARRAY && m->via.array.size == 4) {
    CHECK_INT(m->via.array.ptr[0].via.u64, 0);
    CHECK(kith_rpc_is(&m->via.array.ptr[2], method));
    CHECK(m->via.array.ptr[3].type == MSGPACK_OBJECT_ARRAY);
    if (m->via.array.ptr[1].type == MSGPACK_OBJECT_POSITIVE_INTEGER)
      id = m->via.array.ptr[1].via.u64;
  }
  output_free(&o);
  return id;
}

static void feed_response(KithRpc *rpc, uint64_t id, int64_t result) {
  Packed p;
  packed_init(&p);
  msgpack_pack_array(&p.pk, 4);
  msgpack_pack_int(&p.pk, 1);
  msgpack_pack_uint64(&p.pk, id);
  msgpack_pack_nil(&p.pk);
  msgpack_pack_int64(&p.pk, result);
  feed_packed(rpc, &p);
  msgpack_sbuffer_destroy(&p.sb);
}

static void test_response_reaches_the_callback(void) {
  Ctx ctx;
  KithRpc *rpc = new_rpc(&ctx);
  Answer a = {0};
  uint64_t id = send_request(rpc, "nvim_get_api_info", &a);
  CHECK_INT(kith_rpc_stats(rpc).requests_out, 1);
  feed_response(rpc, id, 42);
  CHECK_INT(a.calls, 1);
  CHECK(a.error_nil);
  CHECK_INT(a.result, 42);
  // A response is not answered.
  size_t len = 99;
  char *out = kith_rpc_take_output(rpc, &len);
  CHECK_INT(len, 0);
  free(out);
  // The same id again is unknown now: ignored.
  feed_response(rpc, id, 43);
  CHECK_INT(a.calls, 1);
  kith_rpc_free(rpc);
  CHECK_INT(a.calls, 1); // not failed again on free
}

static void test_responses_out_of_order_are_matched_by_id(void) {
  Ctx ctx;
  KithRpc *rpc = new_rpc(&ctx);
  Answer first = {0}, second = {0};
  uint64_t id1 = send_request(rpc, "one", &first);
  uint64_t id2 = send_request(rpc, "two", &second);
  CHECK(id1 != id2);
  feed_response(rpc, id2, 222);
  CHECK_INT(second.calls, 1);
  CHECK_INT(second.result, 222);
  CHECK_INT(first.calls, 0);
  feed_response(rpc, id1, 111);
  CHECK_INT(first.calls, 1);
  CHECK_INT(first.result, 111);
  CHECK_INT(second.calls, 1);
  kith_rpc_free(rpc);
}

static void test_error_response_reaches_the_callback(void) {
  Ctx ctx;
  KithRpc *rpc = new_rpc(&ctx);
  Answer a = {0};
  uint64_t id = send_request(rpc, "nvim_exec_lua", &a);
  Packed p;
  packed_init(&p);
  msgpack_pack_array(&p.pk, 4);
  msgpack_pack_int(&p.pk, 1);
  msgpack_pack_uint64(&p.pk, id);
  msgpack_pack_array(&p.pk, 2);
  msgpack_pack_int(&p.pk, 0);
  pack_str(&p.pk, "Vim:E5108");
  msgpack_pack_nil(&p.pk);
  feed_packed(rpc, &p);
  msgpack_sbuffer_destroy(&p.sb);
  CHECK_INT(a.calls, 1);
  CHECK(!a.error_nil);
  CHECK(!a.result_null);
  kith_rpc_free(rpc);
}

static void test_response_with_unknown_id_is_ignored(void) {
  Ctx ctx;
  KithRpc *rpc = new_rpc(&ctx);
  Answer a = {0};
  uint64_t id = send_request(rpc, "x", &a);
  feed_response(rpc, id + 1000, 1);
  CHECK_INT(a.calls, 0);
  size_t len = 99;
  char *out = kith_rpc_take_output(rpc, &len);
  CHECK_INT(len, 0);
  free(out);
  // The real answer still reaches the callback.
  feed_response(rpc, id, 5);
  CHECK_INT(a.calls, 1);
  CHECK_INT(a.result, 5);
  expect_echo_answered(rpc, 77);
  kith_rpc_free(rpc);
}

static void test_free_fails_pending_callbacks_with_null(void) {
  Ctx ctx;
  KithRpc *rpc = new_rpc(&ctx);
  Answer a = {0};
  send_request(rpc, "never_answered", &a);
  kith_rpc_free(rpc);
  CHECK_INT(a.calls, 1);
  CHECK(a.result_null);
  CHECK(!a.error_nil);
}

static void test_notification_out_is_not_pending(void) {
  Ctx ctx;
  KithRpc *rpc = new_rpc(&ctx);
  msgpack_packer *pk = kith_rpc_begin(rpc, "nvim_command", true, NULL, NULL);
  msgpack_pack_array(pk, 1);
  pack_str(pk, "echo 1");
  CHECK_INT(kith_rpc_end(rpc), 0);
  Output o;
  output_take(rpc, &o);
  CHECK_INT(o.count, 1);
  const msgpack_object *m = output_msg(&o, 0);
  CHECK(m && m->type == MSGPACK_OBJECT_ARRAY && m->via.array.size == 3);
  if (m && m->type == MSGPACK_OBJECT_ARRAY && m->via.array.size == 3) {
    CHECK_INT(m->via.array.ptr[0].via.u64, 2);
    CHECK(kith_rpc_is(&m->via.array.ptr[1], "nvim_command"));
  }
  output_free(&o);
  CHECK_INT(kith_rpc_stats(rpc).requests_out, 0);
  kith_rpc_free(rpc);
}

// --- malformed input -----------------------------------------------------------------------

// Feeds `bytes`, expects one more dropped frame and no output, then a valid request answered.
static void expect_dropped_then_recovers(const char *what, const char *bytes, size_t len,
                                         uint32_t next_id) {
  Ctx ctx;
  KithRpc *rpc = new_rpc(&ctx);
  uint64_t before = kith_rpc_stats(rpc).frames_dropped;
  kith_rpc_feed(rpc, bytes, len);
  uint64_t after = kith_rpc_stats(rpc).frames_dropped;
  harness_checks++;
  if (after <= before)
    harness_fail(__FILE__, __LINE__, "%s: frames_dropped %llu -> %llu, want an increase", what,
                 (unsigned long long)before, (unsigned long long)after);
  size_t out_len = 99;
  char *out = kith_rpc_take_output(rpc, &out_len);
  harness_checks++;
  if (out_len != 0)
    harness_fail(__FILE__, __LINE__, "%s: wrote %zu bytes, want none", what, out_len);
  free(out);
  harness_checks++;
  if (ctx.echo_calls || ctx.note_calls)
    harness_fail(__FILE__, __LINE__, "%s: a handler was called", what);
  expect_echo_answered(rpc, next_id);
  kith_rpc_free(rpc);
}

static void test_garbage_byte_is_dropped(void) {
  const char c1[] = {(char)0xc1};
  expect_dropped_then_recovers("0xc1", c1, sizeof c1, 31);
  const char c1s[] = {(char)0xc1, (char)0xc1, 0x01, 0x02};
  expect_dropped_then_recovers("0xc1 0xc1 1 2", c1s, sizeof c1s, 32);
}

static void test_array32_declaring_4e9_elements_is_dropped(void) {
  const char header[] = {(char)0xdd, (char)0xee, 0x6b, 0x28, 0x00}; // 4,000,000,000
  expect_dropped_then_recovers("array32 of 4e9", header, sizeof header, 33);
}

static void test_40_deep_nesting_is_dropped(void) {
  char deep[41];
  memset(deep, (char)0x91, 40);
  deep[40] = 0x01;
  expect_dropped_then_recovers("40 deep", deep, sizeof deep, 34);
  // As the params of a request: see test_too_deep_request_gets_an_error_with_its_id.
}

static void test_non_array_message_is_dropped(void) {
  const char five[] = {0x05};
  expect_dropped_then_recovers("the integer 5", five, sizeof five, 36);
  const char map[] = {(char)0x81, 0x00, 0x01};
  expect_dropped_then_recovers("a map", map, sizeof map, 37);
  const char str[] = {(char)0xa2, 'h', 'i'};
  expect_dropped_then_recovers("a string", str, sizeof str, 38);
}

static void test_unknown_message_type_is_dropped(void) {
  const char nine[] = {(char)0x93, 0x09, 0x01, 0x02}; // [9, 1, 2]
  expect_dropped_then_recovers("[9, 1, 2]", nine, sizeof nine, 39);
  const char short_req[] = {(char)0x92, 0x00, 0x01}; // [0, 1]
  expect_dropped_then_recovers("[0, 1]", short_req, sizeof short_req, 40);
  const char req5[] = {(char)0x95, 0x00, 0x01, (char)0xa1, 'x', (char)0x90, 0x00}; // 5 fields
  expect_dropped_then_recovers("request with 5 fields", req5, sizeof req5, 41);
}

static void test_bad_frames_in_a_row_do_not_wedge_the_endpoint(void) {
  Ctx ctx;
  KithRpc *rpc = new_rpc(&ctx);
  const char c1[] = {(char)0xc1};
  const char big[] = {(char)0xdd, (char)0xff, (char)0xff, (char)0xff, (char)0xff};
  const char five[] = {0x05};
  const char nine[] = {(char)0x93, 0x09, 0x01, 0x02};
  char deep[41];
  memset(deep, (char)0x91, 40);
  deep[40] = 0x01;
  // One after the other: after 0xc1 every byte up to the next message is one dropped run.
  kith_rpc_feed(rpc, c1, sizeof c1);
  kith_rpc_feed(rpc, big, sizeof big);
  kith_rpc_feed(rpc, deep, sizeof deep);
  kith_rpc_feed(rpc, five, sizeof five);
  kith_rpc_feed(rpc, nine, sizeof nine);
  CHECK(kith_rpc_stats(rpc).frames_dropped >= 1);
  size_t len = 99;
  char *out = kith_rpc_take_output(rpc, &len);
  CHECK_INT(len, 0);
  free(out);
  expect_echo_answered(rpc, 50);
  expect_echo_answered(rpc, 51);
  // Each followed by a request: each is dropped on its own, and each request answered.
  uint64_t before = kith_rpc_stats(rpc).frames_dropped;
  const struct {
    const char *bytes;
    size_t len;
  } bad[] = {{c1, sizeof c1},
             {big, sizeof big},
             {deep, sizeof deep},
             {five, sizeof five},
             {nine, sizeof nine}};
  for (uint32_t i = 0; i < 5; i++) {
    kith_rpc_feed(rpc, bad[i].bytes, bad[i].len);
    expect_echo_answered(rpc, 52 + i);
  }
  CHECK_INT(kith_rpc_stats(rpc).frames_dropped - before, 5);
  kith_rpc_free(rpc);
}

// --- skipping, resynchronising, answering what was lost ---------------------------------

static char log_path[64];

// Lines of the log so far that contain `needle`.
static int log_lines(const char *needle) {
  FILE *f = fopen(log_path, "r");
  if (!f)
    return 0;
  int n = 0;
  char line[1100];
  while (fgets(line, sizeof line, f))
    n += strstr(line, needle) != NULL;
  fclose(f);
  return n;
}

#define BLOCK (64 * 1024)
#define MIB (1024u * 1024u)

// A piece of a huge string as hostile text would make it: it begins with a packed request
// [0, 666, "echo", [666]] and a notification [2, "note", ["inner"]], then bytes that begin no
// msgpack object (0xc1) and more packed requests. None of it may ever be read as messages.
static char *hostile_block(void) {
  char *block = malloc(BLOCK);
  memset(block, (char)0xc1, BLOCK);
  Packed p;
  packed_init(&p);
  pack_request_int(&p, 666, "echo", 666);
  msgpack_pack_array(&p.pk, 3);
  msgpack_pack_int(&p.pk, 2);
  pack_str(&p.pk, "note");
  msgpack_pack_array(&p.pk, 1);
  pack_str(&p.pk, "inner");
  memcpy(block, p.sb.data, p.sb.size);
  memcpy(block + BLOCK / 2, p.sb.data, p.sb.size);
  msgpack_sbuffer_destroy(&p.sb);
  return block;
}

// Feeds `n` bytes of a string's body, BLOCK bytes at a time.
static void feed_body(KithRpc *rpc, const char *block, uint64_t n) {
  while (n > 0) {
    size_t piece = n < BLOCK ? (size_t)n : BLOCK;
    kith_rpc_feed(rpc, block, piece);
    n -= piece;
  }
}

// Packs the beginning of [2, "nvim_buf_lines_event", [buf, 7, 0, 1, [<str of n bytes>, "tail"],
// false]] up to the string's header (its body and the rest follow: pack_lines_event_tail).
static void pack_lines_event_head(Packed *p, int buf, uint32_t n) {
  msgpack_pack_array(&p->pk, 3);
  msgpack_pack_int(&p->pk, 2);
  pack_str(&p->pk, "nvim_buf_lines_event");
  msgpack_pack_array(&p->pk, 6);
  const char handle = (char)buf;
  msgpack_pack_ext(&p->pk, 1, 0);
  msgpack_pack_ext_body(&p->pk, &handle, 1);
  msgpack_pack_int(&p->pk, 7);
  msgpack_pack_int(&p->pk, 0);
  msgpack_pack_int(&p->pk, 1);
  msgpack_pack_array(&p->pk, 2);
  msgpack_pack_str(&p->pk, n);
}

static void pack_lines_event_tail(Packed *p) {
  pack_str(&p->pk, "tail");
  msgpack_pack_false(&p->pk);
}

static void test_line_event_over_64_mib_is_skipped_whole_and_its_text_never_read(void) {
  Ctx ctx;
  KithRpc *rpc = new_rpc(&ctx);
  char *block = hostile_block();
  int logged = log_lines("rpc:");
  uint32_t n = 100 * MIB + 123;
  Packed p;
  packed_init(&p);
  pack_lines_event_head(&p, 3, n);
  feed_packed(rpc, &p);
  feed_body(rpc, block, n);
  // The rest of the event and a good request, in one read.
  pack_lines_event_tail(&p);
  pack_request_int(&p, 5, "echo", 5);
  feed_packed(rpc, &p);
  Output o;
  output_take(rpc, &o);
  CHECK_INT(o.count, 1);
  CHECK(!o.trailing_garbage);
  CHECK(is_int_response(output_msg(&o, 0), 5, 5));
  output_free(&o);
  CHECK_INT(ctx.echo_calls, 1); // the good request, not the 3200 packed inside the text
  CHECK_INT(ctx.note_calls, 0);
  CHECK_INT(log_lines("rpc:") - logged, 1);
  CHECK_INT(kith_rpc_stats(rpc).frames_dropped, 1);
  expect_echo_answered(rpc, 6);
  msgpack_sbuffer_destroy(&p.sb);
  free(block);
  kith_rpc_free(rpc);
}

// [0, id, "echo", [<str of n bytes>]] up to the string's header.
static void pack_request_str_head(Packed *p, uint32_t id, uint32_t n) {
  msgpack_pack_array(&p->pk, 4);
  msgpack_pack_int(&p->pk, 0);
  msgpack_pack_uint32(&p->pk, id);
  pack_str(&p->pk, "echo");
  msgpack_pack_array(&p->pk, 1);
  msgpack_pack_str(&p->pk, n);
}

static void test_request_over_64_mib_gets_an_error_with_its_id_in_order(void) {
  Ctx ctx;
  KithRpc *rpc = new_rpc(&ctx);
  char *block = hostile_block();
  uint32_t n = 65 * MIB;
  Packed p;
  packed_init(&p);
  pack_request_int(&p, 76, "echo", 76);
  pack_request_str_head(&p, 77, n);
  feed_packed(rpc, &p);
  feed_body(rpc, block, n);
  pack_request_int(&p, 78, "echo", 78);
  feed_packed(rpc, &p);
  Output o;
  output_take(rpc, &o);
  CHECK_INT(o.count, 3);
  CHECK(is_int_response(output_msg(&o, 0), 76, 76));
  CHECK(is_error_response(output_msg(&o, 1), 77, "kith: message too large"));
  CHECK(is_int_response(output_msg(&o, 2), 78, 78));
  output_free(&o);
  CHECK_INT(ctx.echo_calls, 2);
  msgpack_sbuffer_destroy(&p.sb);
  free(block);
  kith_rpc_free(rpc);
}

static void test_bad_bytes_then_a_request_in_one_read_the_request_is_answered(void) {
  struct {
    const char *what;
    const char *bytes;
    size_t len;
  } cases[] = {
      {"0xc1", "\xc1", 1},          {"[2, 1, 0xc1]", "\x92\x01\xc1", 3},
      {"0xc1 0x94", "\xc1\x94", 2}, {"array32 of 4e9", "\xdd\xee\x6b\x28\x00", 5},
      {"the integer 5", "\x05", 1},
  };
  for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
    Ctx ctx;
    KithRpc *rpc = new_rpc(&ctx);
    Packed p;
    packed_init(&p);
    msgpack_sbuffer_write(&p.sb, cases[i].bytes, cases[i].len);
    pack_request_int(&p, 60, "echo", 61);
    feed_packed(rpc, &p);
    Output o;
    output_take(rpc, &o);
    harness_checks++;
    if (o.count != 1 || !is_int_response(output_msg(&o, 0), 60, 61))
      harness_fail(__FILE__, __LINE__, "%s then a request in one read: %zu responses, want 1",
                   cases[i].what, o.count);
    output_free(&o);
    CHECK_INT(ctx.echo_calls, 1);
    expect_echo_answered(rpc, 62);
    msgpack_sbuffer_destroy(&p.sb);
    kith_rpc_free(rpc);
  }
}

static void test_too_deep_frame_then_a_request_in_one_read_is_answered(void) {
  Ctx ctx;
  KithRpc *rpc = new_rpc(&ctx);
  Packed p;
  packed_init(&p);
  for (int i = 0; i < 40; i++)
    msgpack_pack_array(&p.pk, 1);
  msgpack_pack_int(&p.pk, 1);
  pack_request_int(&p, 70, "echo", 71);
  feed_packed(rpc, &p);
  Output o;
  output_take(rpc, &o);
  CHECK_INT(o.count, 1);
  CHECK(is_int_response(output_msg(&o, 0), 70, 71));
  output_free(&o);
  CHECK_INT(kith_rpc_stats(rpc).frames_dropped, 1);
  msgpack_sbuffer_destroy(&p.sb);
  kith_rpc_free(rpc);
}

static void test_too_deep_request_gets_an_error_with_its_id(void) {
  Ctx ctx;
  KithRpc *rpc = new_rpc(&ctx);
  Packed p;
  packed_init(&p);
  msgpack_pack_array(&p.pk, 4);
  msgpack_pack_int(&p.pk, 0);
  msgpack_pack_int(&p.pk, 9);
  pack_str(&p.pk, "echo");
  for (int i = 0; i < 40; i++)
    msgpack_pack_array(&p.pk, 1);
  msgpack_pack_int(&p.pk, 1);
  pack_request_int(&p, 10, "echo", 10);
  feed_packed(rpc, &p);
  Output o;
  output_take(rpc, &o);
  CHECK_INT(o.count, 2);
  CHECK(is_error_response(output_msg(&o, 0), 9, "too deep"));
  CHECK(is_int_response(output_msg(&o, 1), 10, 10));
  output_free(&o);
  CHECK_INT(ctx.echo_calls, 1);
  msgpack_sbuffer_destroy(&p.sb);
  kith_rpc_free(rpc);
}

static void test_requests_around_bad_frames_are_answered_in_order(void) {
  Ctx ctx;
  KithRpc *rpc = new_rpc(&ctx);
  char *block = hostile_block();
  Packed p;
  packed_init(&p);
  pack_request_int(&p, 1, "echo", 1);
  msgpack_sbuffer_write(&p.sb, "\xc1\x01\x02", 3);
  pack_request_int(&p, 2, "echo", 2);
  for (int i = 0; i < 40; i++)
    msgpack_pack_array(&p.pk, 1);
  msgpack_pack_nil(&p.pk);
  pack_request_int(&p, 3, "nope", 3);
  pack_request_str_head(&p, 4, 65 * MIB);
  feed_packed(rpc, &p);
  feed_body(rpc, block, 65 * MIB);
  pack_request_int(&p, 5, "echo", 5);
  feed_packed(rpc, &p);
  Output o;
  output_take(rpc, &o);
  CHECK_INT(o.count, 5);
  CHECK(is_int_response(output_msg(&o, 0), 1, 1));
  CHECK(is_int_response(output_msg(&o, 1), 2, 2));
  CHECK(is_error_response(output_msg(&o, 2), 3, "unknown method"));
  CHECK(is_error_response(output_msg(&o, 3), 4, "too large"));
  CHECK(is_int_response(output_msg(&o, 4), 5, 5));
  output_free(&o);
  msgpack_sbuffer_destroy(&p.sb);
  free(block);
  kith_rpc_free(rpc);
}

static void test_response_over_64_mib_fails_its_callback(void) {
  Ctx ctx;
  KithRpc *rpc = new_rpc(&ctx);
  char *block = hostile_block();
  Answer a = {0};
  uint64_t id = send_request(rpc, "nvim_buf_get_lines", &a);
  Packed p;
  packed_init(&p);
  msgpack_pack_array(&p.pk, 4);
  msgpack_pack_int(&p.pk, 1);
  msgpack_pack_uint64(&p.pk, id);
  msgpack_pack_nil(&p.pk);
  msgpack_pack_str(&p.pk, 65 * MIB);
  feed_packed(rpc, &p);
  feed_body(rpc, block, 65 * MIB);
  CHECK_INT(a.calls, 1);
  CHECK(!a.error_nil);
  CHECK_INT(ctx.echo_calls, 0);
  expect_echo_answered(rpc, 90);
  msgpack_sbuffer_destroy(&p.sb);
  free(block);
  kith_rpc_free(rpc);
}

// What the KithRpcLostFn was told.
typedef struct {
  int calls, calls_without_method;
  char method[32];
  uint32_t params;
  int64_t buf;
  int reason;
} Lost;

static Lost lost;

static void on_lost(void *ctx, const msgpack_object *method, const msgpack_object *params,
                    int reason) {
  (void)ctx;
  lost.calls++;
  lost.reason = reason;
  lost.params = params->via.array.size;
  lost.buf = -1;
  if (params->via.array.size > 0)
    kith_rpc_int(&params->via.array.ptr[0], &lost.buf);
  const char *name;
  size_t n;
  if (!method || !kith_rpc_str(method, &name, &n)) {
    lost.calls_without_method++;
    return;
  }
  snprintf(lost.method, sizeof lost.method, "%.*s", (int)n, name);
}

static void test_skipped_line_event_tells_its_method_and_buffer_and_holds_little_memory(void) {
  Ctx ctx;
  KithRpc *rpc = new_rpc(&ctx);
  kith_rpc_on_lost(rpc, on_lost);
  memset(&lost, 0, sizeof lost);
  char *block = hostile_block();
  uint32_t n = 100 * MIB + 5;
  Packed p;
  packed_init(&p);
  pack_lines_event_head(&p, 9, n);
  // Fed in pieces as a pipe gives them: the header and the body in 64 KiB reads.
  size_t head = p.sb.size;
  char *first = malloc(BLOCK);
  memcpy(first, p.sb.data, head);
  memcpy(first + head, block, BLOCK - head);
  kith_rpc_feed(rpc, first, BLOCK);
  free(first);
  CHECK_INT(lost.calls, 1); // told at once, while the rest is still coming
  CHECK_STR(lost.method, "nvim_buf_lines_event");
  CHECK_INT(lost.buf, 9);
  CHECK_INT(lost.params, 4); // buf, tick, first, last: the lines were not whole
  CHECK_INT(lost.reason, KITH_FRAME_TOO_BIG);
  feed_body(rpc, block, n - (BLOCK - head));
  msgpack_sbuffer_clear(&p.sb);
  pack_lines_event_tail(&p);
  feed_packed(rpc, &p);
  CHECK_INT(lost.calls, 1);
  CHECK_INT(ctx.note_calls + ctx.echo_calls, 0);
  KithRpcStats st = kith_rpc_stats(rpc);
  harness_checks++;
  if (st.input_peak > 4096)
    harness_fail(__FILE__, __LINE__, "a 100 MiB message held %llu bytes of input",
                 (unsigned long long)st.input_peak);
  CHECK(st.bytes_dropped > 100 * MIB);
  expect_echo_answered(rpc, 7);
  // A line event that fits is read whole, and its buffer is freed again once read.
  msgpack_sbuffer_clear(&p.sb);
  pack_lines_event_head(&p, 9, 10 * MIB);
  feed_packed(rpc, &p);
  feed_body(rpc, block, 10 * MIB);
  pack_lines_event_tail(&p);
  feed_packed(rpc, &p);
  CHECK_INT(ctx.note_calls, 0); // "nvim_buf_lines_event" has no handler here: ignored
  CHECK(kith_rpc_stats(rpc).input_peak >= 10 * MIB);
  CHECK_INT(kith_rpc_stats(rpc).frames_dropped, 1);
  CHECK_INT(lost.calls, 1);
  expect_echo_answered(rpc, 8);
  msgpack_sbuffer_destroy(&p.sb);
  free(block);
  kith_rpc_free(rpc);
}

static void test_bytes_dropped_while_resynchronising_are_told_without_a_method(void) {
  Ctx ctx;
  KithRpc *rpc = new_rpc(&ctx);
  kith_rpc_on_lost(rpc, on_lost);
  memset(&lost, 0, sizeof lost);
  // A notification broken by 0xc1 inside: told with what its head says, then, once the next
  // message is found, that unknown messages may have been dropped.
  const char broken[] = "\x93\x02\xa4note\x92\x05\xc1\x01\x02";
  kith_rpc_feed(rpc, broken, sizeof broken - 1);
  CHECK_INT(lost.calls, 1);
  CHECK_STR(lost.method, "note");
  CHECK_INT(lost.params, 1);
  CHECK_INT(lost.reason, KITH_FRAME_INVALID);
  expect_echo_answered(rpc, 11);
  CHECK_INT(lost.calls, 2);
  CHECK_INT(lost.calls_without_method, 1);
  CHECK_INT(ctx.note_calls, 0);
  kith_rpc_free(rpc);
}

static void test_dropped_input_is_logged_at_most_once_a_second(void) {
  Ctx ctx;
  KithRpc *rpc = new_rpc(&ctx);
  int logged = log_lines("rpc:");
  const char five = 0x05, c1 = (char)0xc1;
  for (int i = 0; i < 5000; i++)
    kith_rpc_feed(rpc, &five, 1); // 5000 messages that are not RPC
  CHECK_INT(kith_rpc_stats(rpc).frames_dropped, 5000);
  for (int i = 0; i < 5000; i++)
    kith_rpc_feed(rpc, &c1, 1); // 5000 bytes that are not msgpack
  expect_echo_answered(rpc, 91);
  int lines = log_lines("rpc:") - logged;
  harness_checks++;
  if (lines < 1 || lines > 3)
    harness_fail(__FILE__, __LINE__, "10000 drops in well under a second: %d log lines", lines);
  kith_rpc_free(rpc);
  // What was counted but not yet said is said at the end.
  CHECK(log_lines("rpc:") - logged >= 2);
}

// --- helpers for objects -------------------------------------------------------------------

static void test_buffer_handle_ext_type_0_reads_as_int(void) {
  Packed p;
  packed_init(&p);
  const char three = 0x03;
  msgpack_pack_ext(&p.pk, 1, 0);
  msgpack_pack_ext_body(&p.pk, &three, 1);
  msgpack_unpacked u;
  msgpack_unpacked_init(&u);
  size_t off = 0;
  CHECK_INT(msgpack_unpack_next(&u, p.sb.data, p.sb.size, &off), MSGPACK_UNPACK_SUCCESS);
  CHECK(u.data.type == MSGPACK_OBJECT_EXT);
  CHECK_INT(u.data.via.ext.type, 0);
  int64_t v = -1;
  CHECK(kith_rpc_int(&u.data, &v));
  CHECK_INT(v, 3);
  msgpack_unpacked_destroy(&u);

  // A handle past 127: a uint16 inside an ext8 of 3 bytes.
  msgpack_sbuffer_clear(&p.sb);
  const char handle[] = {(char)0xcd, 0x01, 0x2c}; // 300
  msgpack_pack_ext(&p.pk, sizeof handle, 0);
  msgpack_pack_ext_body(&p.pk, handle, sizeof handle);
  msgpack_unpacked_init(&u);
  off = 0;
  CHECK_INT(msgpack_unpack_next(&u, p.sb.data, p.sb.size, &off), MSGPACK_UNPACK_SUCCESS);
  v = -1;
  CHECK(kith_rpc_int(&u.data, &v));
  CHECK_INT(v, 300);
  msgpack_unpacked_destroy(&u);
  msgpack_sbuffer_destroy(&p.sb);
}

static void test_field_and_is_helpers(void) {
  Packed p;
  packed_init(&p);
  msgpack_pack_map(&p.pk, 2);
  pack_str(&p.pk, "version");
  pack_str(&p.pk, "0.1.0");
  pack_str(&p.pk, "abi");
  msgpack_pack_int(&p.pk, 14);
  msgpack_unpacked u;
  msgpack_unpacked_init(&u);
  size_t off = 0;
  CHECK_INT(msgpack_unpack_next(&u, p.sb.data, p.sb.size, &off), MSGPACK_UNPACK_SUCCESS);
  const msgpack_object *v = kith_rpc_field(&u.data, "version");
  CHECK(v && kith_rpc_is(v, "0.1.0"));
  CHECK(v && !kith_rpc_is(v, "0.1"));
  int64_t abi = 0;
  const msgpack_object *a = kith_rpc_field(&u.data, "abi");
  CHECK(a && kith_rpc_int(a, &abi));
  CHECK_INT(abi, 14);
  CHECK(kith_rpc_field(&u.data, "nope") == NULL);
  CHECK(kith_rpc_field(NULL, "abi") == NULL);
  msgpack_unpacked_destroy(&u);
  msgpack_sbuffer_destroy(&p.sb);
}

int main(void) {
  snprintf(log_path, sizeof log_path, "/tmp/kith-test-rpc-XXXXXX");
  int log_fd = mkstemp(log_path);
  if (log_fd >= 0)
    close(log_fd);
  setenv("KITH_LOG", log_path, 1);
  RUN(test_request_is_answered_with_the_handler_result);
  RUN(test_unknown_method_gets_an_error_response);
  RUN(test_params_not_an_array_gets_an_error_response);
  RUN(test_failing_handler_gets_its_error_response);
  RUN(test_request_fed_one_byte_at_a_time_gets_one_response);
  RUN(test_two_requests_in_one_feed_are_answered_in_order);
  RUN(test_request_split_across_feeds_with_the_next_one_begun);
  RUN(test_notification_calls_the_handler_without_a_result);
  RUN(test_unknown_notification_is_ignored_silently);
  RUN(test_response_reaches_the_callback);
  RUN(test_responses_out_of_order_are_matched_by_id);
  RUN(test_error_response_reaches_the_callback);
  RUN(test_response_with_unknown_id_is_ignored);
  RUN(test_free_fails_pending_callbacks_with_null);
  RUN(test_notification_out_is_not_pending);
  RUN(test_garbage_byte_is_dropped);
  RUN(test_array32_declaring_4e9_elements_is_dropped);
  RUN(test_40_deep_nesting_is_dropped);
  RUN(test_non_array_message_is_dropped);
  RUN(test_unknown_message_type_is_dropped);
  RUN(test_bad_frames_in_a_row_do_not_wedge_the_endpoint);
  RUN(test_line_event_over_64_mib_is_skipped_whole_and_its_text_never_read);
  RUN(test_request_over_64_mib_gets_an_error_with_its_id_in_order);
  RUN(test_bad_bytes_then_a_request_in_one_read_the_request_is_answered);
  RUN(test_too_deep_frame_then_a_request_in_one_read_is_answered);
  RUN(test_too_deep_request_gets_an_error_with_its_id);
  RUN(test_requests_around_bad_frames_are_answered_in_order);
  RUN(test_response_over_64_mib_fails_its_callback);
  RUN(test_skipped_line_event_tells_its_method_and_buffer_and_holds_little_memory);
  RUN(test_bytes_dropped_while_resynchronising_are_told_without_a_method);
  RUN(test_dropped_input_is_logged_at_most_once_a_second);
  RUN(test_buffer_handle_ext_type_0_reads_as_int);
  RUN(test_field_and_is_helpers);
  if (harness_failures == 0)
    unlink(log_path);
  else
    fprintf(stderr, "the log: %s\n", log_path);
  return harness_finish("test_rpc");
}
