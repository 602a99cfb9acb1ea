#include "host/server.h"

#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <uv.h>

#include "base/log.h"
#include "host/frame.h"
#include "host/host.h"

static const char server_message_lua[] = "return require('kith.view').message(...)";

// --- small helpers -----------------------------------------------------------------------

bool host_param_str(const msgpack_object *params, uint32_t i, char **out) {
  const char *s;
  size_t n;
  if (params->via.array.size <= i || !kith_rpc_str(&params->via.array.ptr[i], &s, &n))
    return false;
  *out = strndup(s, n);
  return *out != NULL;
}

bool host_param_int(const msgpack_object *params, uint32_t i, int64_t *out) {
  return params->via.array.size > i && kith_rpc_int(&params->via.array.ptr[i], out);
}

int host_fail(char **error, const char *message) {
  if (error)
    *error = strdup(message);
  return -1;
}

uint64_t host_now_ms(const Server *s) {
  return uv_now(s->loop);
}

ServerBuffer *host_buffer(const Server *s, int64_t id) {
  for (size_t i = 0; i < s->buffer_count; i++) {
    if (s->buffers[i]->id == id)
      return s->buffers[i];
  }
  return NULL;
}

// Sends a short message to the user (echoed, not kept in the message history).
void host_message(Server *s, const char *text) {
  msgpack_packer *pk = kith_rpc_begin(s->rpc, "nvim_exec_lua", true, NULL, NULL);
  msgpack_pack_array(pk, 2);
  kith_rpc_pack_str(pk, server_message_lua);
  msgpack_pack_array(pk, 1);
  kith_rpc_pack_str(pk, text);
  kith_rpc_end(s->rpc);
}

// --- options -----------------------------------------------------------------------------

void host_configure(Server *s, const msgpack_object *opts) {
  if (!opts || opts->type != MSGPACK_OBJECT_MAP)
    return;
  const msgpack_object *o;
  const char *str;
  size_t n;
  int64_t v;
  if ((o = kith_rpc_field(opts, "today")) && kith_rpc_str(o, &str, &n)) {
    KithDay day;
    if (kith_date_parse(str, n, &day) == 0)
      s->options.today = day;
  }
  // Given, they beat the vault settings; left out (nil in Lua), the settings hold.
  s->has_dormant_days = (o = kith_rpc_field(opts, "dormant_days")) && kith_rpc_int(o, &v) && v >= 0;
  if (s->has_dormant_days)
    s->options.dormant_days = (int)v;
  s->has_accept_help_after =
      (o = kith_rpc_field(opts, "accept_help_after")) && kith_rpc_int(o, &v) && v >= 0;
  if (s->has_accept_help_after)
    s->options.accept_help_after = (int)v;
  if ((o = kith_rpc_field(opts, "debounce")) && kith_rpc_int(o, &v) && v >= 0 && v <= 10000)
    s->debounce_ms = (int)v;
  if ((o = kith_rpc_field(opts, "ascii")) && o->type == MSGPACK_OBJECT_BOOLEAN)
    s->ascii = o->via.boolean;
  if ((o = kith_rpc_field(opts, "due")) && o->type == MSGPACK_OBJECT_BOOLEAN)
    s->due = o->via.boolean;
  if ((o = kith_rpc_field(opts, "sparkline")) && o->type == MSGPACK_OBJECT_BOOLEAN)
    s->sparkline = o->via.boolean;
  if ((o = kith_rpc_field(opts, "cache")) && o->type == MSGPACK_OBJECT_BOOLEAN)
    s->cache = o->via.boolean;
  if ((o = kith_rpc_field(opts, "max_bytes")) && kith_rpc_int(o, &v) && v >= 0)
    s->max_bytes = (uint64_t)v;
}

// --- parsing buffers -----------------------------------------------------------------------

// The debounce timer: the text is parsed on the thread pool (which then updates the vault),
// or, when the note is current already (a redraw), the vault is updated now.
static void server_on_timer(uv_timer_t *timer) {
  ServerBuffer *b = timer->data;
  if (!host_buffer_current(b)) {
    host_buffer_parse_later(b);
    return;
  }
  host_vault_update(b->vault, false, b);
}

void host_schedule(ServerBuffer *b, uint64_t delay) {
  uv_timer_start(&b->timer, server_on_timer, delay, 0);
}

static int server_h_configure(void *ctx, const msgpack_object *params, msgpack_packer *result,
                              char **error) {
  (void)error;
  Server *s = ctx;
  if (params->via.array.size > 0)
    host_configure(s, &params->via.array.ptr[0]);
  for (size_t i = 0; i < s->vault_count; i++)
    host_vault_update(s->vaults[i], true, NULL);
  if (result)
    msgpack_pack_true(result);
  return 0;
}

const KithRpcMethod kith_server_methods[] = {
    {"kith_vault", host_h_vault},
    {"kith_template", host_h_template},
    {"kith_contacts", host_h_contacts},
    {"kith_outline", host_h_outline},
    {"kith_tick", host_h_tick},
    {"kith_agenda", host_h_agenda},
    {"kith_report", host_h_report},
    {"kith_graph", host_h_graph},
    {"kith_asks", host_h_asks},
    {"kith_history", host_h_history},
    {"kith_contact", host_h_contact},
    {"kith_new", host_h_new},
    {"kith_attach", host_h_attach},
    {"kith_detach", host_h_detach},
    {"kith_configure", server_h_configure},
    {"kith_version", host_h_version},
    {"kith_status", host_h_status},
    {"kith_balances", host_h_balances},
    {"kith_settings", host_h_settings},
    {"nvim_buf_lines_event", host_h_lines},
    {"nvim_buf_changedtick_event", host_h_changedtick},
    {"nvim_buf_detach_event", host_h_buf_detach},
    {NULL, NULL},
};

// --- life cycle ----------------------------------------------------------------------------

static void server_on_close(void *ctx) {
  Server *s = ctx;
  s->closing = true;
  uv_stop(s->loop);
}

static void server_close_walk(uv_handle_t *handle, void *arg) {
  (void)arg;
  if (!uv_is_closing(handle))
    uv_close(handle, NULL);
}

Server *kith_server_new(uv_loop_t *loop, char **error) {
  Server *s = calloc(1, sizeof *s);
  if (!s) {
    host_fail(error, "out of memory");
    return NULL;
  }
  s->loop = loop;
  s->debounce_ms = 30;
  s->due = true;
  s->cache = true;
  s->verbose = getenv("KITH_VERBOSE") != NULL;
  kith_ledger_options_default(&s->options);
  s->parser = kith_parser_new(error);
  if (!s->parser) {
    free(s);
    return NULL;
  }
  return s;
}

void kith_server_set_rpc(Server *s, KithRpc *rpc) {
  kith_rpc_free(s->rpc);
  s->rpc = rpc;
  if (rpc)
    kith_rpc_on_lost(rpc, host_on_lost);
}

void kith_server_free(Server *s) {
  if (!s)
    return;
  s->closing = true;
  // Wait for a running index job before freeing what it writes to.
  for (size_t i = 0; i < s->vault_count; i++) {
    if (s->vaults[i]->indexing)
      uv_cancel((uv_req_t *)&s->vaults[i]->work);
  }
  while (true) {
    bool busy = false;
    for (size_t i = 0; i < s->vault_count; i++)
      busy |= s->vaults[i]->indexing;
    if (!busy)
      break;
    uv_run(s->loop, UV_RUN_ONCE);
  }
  while (s->buffer_count > 0)
    host_buffer_remove(s, s->buffers[s->buffer_count - 1]);
  kith_rpc_free(s->rpc);
  s->rpc = NULL;
  for (size_t i = 0; i < s->vault_count; i++)
    host_vault_close(s->vaults[i]);
  uv_walk(s->loop, server_close_walk, NULL);
  uv_run(s->loop, UV_RUN_DEFAULT);
  for (size_t i = 0; i < s->vault_count; i++)
    host_vault_free(s->vaults[i]);
  free(s->vaults);
  free(s->buffers);
  host_parsers_free(s);
  kith_parser_free(s->parser);
  free(s);
}

int kith_server_main(void) {
  signal(SIGPIPE, SIG_IGN);
  if (!getenv("UV_THREADPOOL_SIZE")) {
    // One worker runs the index job and waits for the parse workers: leave room for them.
    char size[16];
    snprintf(size, sizeof size, "%u", uv_available_parallelism() + 2);
    setenv("UV_THREADPOOL_SIZE", size, 0);
  }
  uv_loop_t *loop = uv_default_loop();
  char *error = NULL;
  Server *s = kith_server_new(loop, &error);
  if (!s) {
    kith_log("cannot start: %s", error ? error : "?");
    free(error);
    return 1;
  }
  if (uv_pipe_init(loop, &s->in, 0) != 0 || uv_pipe_open(&s->in, 0) != 0 ||
      uv_pipe_init(loop, &s->out, 0) != 0 || uv_pipe_open(&s->out, 1) != 0) {
    kith_log("cannot start: stdin and stdout must be pipes (kith serve is started by Neovim)");
    kith_server_free(s);
    return 2;
  }
  KithRpc *rpc = kith_rpc_new((uv_stream_t *)&s->in, (uv_stream_t *)&s->out, kith_server_methods, s,
                              server_on_close);
  kith_server_set_rpc(s, rpc);
  if (!rpc || kith_rpc_start(rpc) != 0) {
    kith_log("cannot start: out of memory");
    kith_server_free(s);
    return 2;
  }
  kith_log("serving (pid %d)", (int)uv_os_getpid());
  uv_run(loop, UV_RUN_DEFAULT);
  kith_server_free(s);
  uv_loop_close(loop);
  kith_log("channel closed; bye");
  return 0;
}
