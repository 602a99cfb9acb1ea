#pragma once

#include <uv.h>

#include "host/rpc.h"

// `kith serve`: the msgpack-RPC host Neovim starts with jobstart(..., {rpc = true}).
//
// Neovim -> kith (notifications unless said otherwise):
//   kith_attach [buf, path, vault, opts]    follow a buffer (kith asks for its text)
//   kith_detach [buf]                       stop following it
//   kith_configure [opts]                   today, dormant_days, accept_help_after, ascii,
//                                           due, debounce (ms)
//   nvim_buf_lines_event, nvim_buf_changedtick_event, nvim_buf_detach_event (from
//                                           lua/kith/sync.lua, as Neovim sends them)
//   request kith_version []                 -> {version, grammar, abi, abi_min, abi_max,
//                                              allocator}
//   request kith_status []                  -> {buffers, vaults: [{root, notes, contacts,
//                                              ready}]}
//   request kith_balances [vault]           -> the balances JSON object as a string
//   request kith_agenda [vault, days]       -> the agenda JSON object as a string
//   request kith_tick [buf]                 -> the changedtick of the text kith has (-1: none)
//
// kith -> Neovim: nvim_exec_lua("return require('kith.sync').attach(...)", [buf]) (-> true,
// after the buffer's whole text; false: not loaded) and ....detach(...) (-> a detach event),
// and per buffer update one request
//   nvim_exec_lua("return require('kith.view').apply(...)", [buf, tick, marks, diagnostics])

typedef struct Server Server;

/// The requests and notifications the host handles (ends with {NULL, NULL}); every handler's
/// ctx is the Server.
extern const KithRpcMethod kith_server_methods[];

/// Makes a host on `loop` (borrowed) with the default options and no channel yet. Returns NULL
/// and sets *error (caller frees) on failure. Caller frees with kith_server_free().
Server *kith_server_new(uv_loop_t *loop, char **error);

/// Gives the host its channel (owned by the host from now on; it gets the host's lost-message
/// handler): the endpoint it sends its own requests on, made with kith_server_methods (or
/// handlers that call them) and ctx = `s`. kith_server_main() makes it over stdin/stdout; tests
/// make one without streams and feed it.
void kith_server_set_rpc(Server *s, KithRpc *rpc);

/// Waits for running index jobs, closes every handle on the host's loop (running the loop until
/// they are closed), and frees the host and its channel. NULL is fine.
void kith_server_free(Server *s);

/// Runs the host on stdin/stdout until Neovim closes the channel. Returns the exit code.
int kith_server_main(void);
