#pragma once

// The parts of `kith serve` (private to src/server.c, workspace.c, annotate.c, requests.c):
// the server, the vaults it follows (workspace.c), the buffers, and what they share.

#include <msgpack.h>
#include <stdbool.h>
#include <stdint.h>
#include <uv.h>

#include "host/mirror.h"
#include "host/rpc.h"
#include "ledger/ledger.h"
#include "ledger/report.h"
#include "notes/index.h"
#include "notes/note.h"
#include "notes/parser.h"

typedef struct Server Server;
typedef struct ServerParse ServerParse; // a buffer's parse on the thread pool (reparse.c)

// A vault the editor has notes open in: its index of the files on disk, and the ledger over
// those with every attached buffer's text in place of its file.
typedef struct {
  Server *server;
  char *root;
  KithSettings settings; // (v3) its `.kith` and Obsidian's settings, read when it is opened and
                         // again when they change on disk; what buffers are parsed with
  KithIndex index;
  bool ready, indexing;
  uv_work_t work;
  KithIndex loading;
  bool load_cached; // load with the index cache (the `cache` option; set before the work)
  char *load_error;
  uint64_t load_started;
  uv_timer_t progress; // says "indexing" once when the index takes more than a second
  bool progress_shown;
  KithLedger ledger; // over every note but `overlay`'s (all notes when it is NULL)
  bool has_ledger;
  // The buffer being edited: the ledger is built without its items and declarations (its
  // names count), and lookups add the note on top, so an edit costs that one note instead of
  // the whole vault. An edit that changes its names (overlay_names) rebuilds the ledger, since
  // wiki links anywhere may then name someone else.
  struct ServerBufferTag *overlay;
  uint32_t overlay_index;       // its index in the set the ledger was built from
  uint64_t overlay_names;       // host_note_names() of its note when the ledger was built
  KithResolution overlay_links; // its wiki links resolved against the ledger's names
  // The people counts of the ledger alone (host_people_counts), counted once per ledger: an
  // edit then recounts only the contacts its note names.
  bool counts_valid;
  int64_t counts_overdue, counts_reach;
  uv_fs_event_t **watchers;
  size_t watcher_count;
  uv_timer_t rescan;
  bool rescanning;       // a rescan job runs on the thread pool
  bool settings_changed; // `.kith` or Obsidian's settings changed: read them at the next rescan
  bool reload;           // the settings changed while the index was being loaded: load again
  char **changed;        // relative paths changed on disk since the last rescan
  size_t changed_count, changed_cap;
} ServerVault;

typedef struct ServerBufferTag {
  Server *server;
  int64_t id;
  char *rel;
  ServerVault *vault;
  KithMirror mirror;
  KithNote note;
  bool parsed;              // note holds a parse of the buffer's text (maybe an older text)
  uint64_t generation;      // counts the text changes (lines events)
  uint64_t note_generation; // the text generation `note` was parsed from
  ServerParse *parsing;     // the parse running on the thread pool, or NULL
  bool force;               // send the annotations even if unchanged
  bool resyncing;
  bool synced;           // the mirror holds the buffer's whole text (a first lines event came)
  uint32_t ledger_index; // its note's index in the set the vault's ledger was built from
                         // (UINT32_MAX: not in it)
  int64_t tick;          // the changedtick of that text
  uv_timer_t timer;
  char *sent; // the payload Neovim last applied
} ServerBuffer;

struct Server {
  uv_loop_t *loop;
  uv_pipe_t in, out;
  KithRpc *rpc;
  KithParser *parser;    // the loop's
  KithParser *spares[4]; // idle parsers for the thread pool
  size_t spare_count;
  ServerVault **vaults;
  size_t vault_count;
  ServerBuffer **buffers;
  size_t buffer_count;
  KithLedgerOptions options; // today, and the options the user gave (else a vault's settings')
  bool has_dormant_days, has_accept_help_after;
  bool ascii;
  bool due;       // the `due in 3d` hint (annotations.due)
  bool sparkline; // the last 12 months of activity after the numbers (annotations.sparkline)
  bool cache;     // load vaults with the index cache (SPEC §6; the `cache` option)
  int debounce_ms;
  uint64_t max_bytes; // the plugin's limit on a buffer's text (0: only the 64 MiB per message)
  bool closing;
  bool verbose; // $KITH_VERBOSE: log every event
};

/// Reads the settings of `v` again (they changed on disk) and with them what they affect: the
/// index (from the cache, re-reading the notes the change may affect) and every buffer's note.
void host_vault_reload(ServerVault *v);

/// (watch.c) Sets up `v`'s rescan timer (at its creation).
void host_watch_init(ServerVault *v);
/// (watch.c) Watches every directory of `v` (once its index is ready).
void host_watch(ServerVault *v);
/// (watch.c) Closes `v`'s watchers and rescan timer.
void host_watch_close(ServerVault *v);

/// The settings notes of vault `v` are parsed with (the defaults when `v` is NULL; borrowed).
const KithSettings *host_vault_settings(const ServerVault *v);

/// The ledger options of vault `v`: the editor's options, and where the user gave none
/// (dormant_days, accept_help_after) the vault settings' (SPEC §1 v3).
void host_vault_options(const ServerVault *v, KithLedgerOptions *options);

/// How annotations in vault `v` are written: the editor's options, the vault's due_days.
KithAnnotationStyle host_vault_style(const ServerVault *v);

/// What a callback of one of our requests needs to find its buffer again (it may be gone).
typedef struct {
  Server *server;
  int64_t id;
  char *key; // for annotations: the payload sent (owned)
} ServerApply;

/// The notes of a vault in path order, each attached buffer's note in place of its file's.
typedef struct {
  const char **paths;
  const KithNote **notes;
  size_t count;
  size_t overlay; // the index of the overlay buffer's note (SIZE_MAX: none)
} ServerSet;

// --- server.c: helpers shared by the host's files -----------------------------------------

/// params[i] as a new string (caller frees) / as an integer. False when missing or mistyped.
bool host_param_str(const msgpack_object *params, uint32_t i, char **out);
bool host_param_int(const msgpack_object *params, uint32_t i, int64_t *out);
/// Sets *error to a copy of `message` (caller frees) and returns -1.
int host_fail(char **error, const char *message);
/// The loop's time in milliseconds.
uint64_t host_now_ms(const Server *s);
/// The buffer with Neovim handle `id` (borrowed), or NULL.
ServerBuffer *host_buffer(const Server *s, int64_t id);
/// Shows a short message (echoed, not kept, never a prompt).
void host_message(Server *s, const char *text);
/// (Re)starts a buffer's debounce timer.
void host_schedule(ServerBuffer *b, uint64_t delay);
/// Stops following a buffer and frees it (once its timer is closed).
void host_buffer_remove(Server *s, ServerBuffer *b);

// --- reparse.c: parsing buffers ----------------------------------------------------------

/// Whether the buffer's note was parsed from its current text (or no text came yet).
bool host_buffer_current(const ServerBuffer *b);
/// Records a change of the buffer's text (after the mirror took it): a running parse is of an
/// older text now and is stopped.
void host_buffer_changed(ServerBuffer *b);
/// Parses the buffer's current text on the thread pool (incrementally, with its old tree)
/// unless its note is current; then installs the note and updates the vault. With a parse
/// already running, does nothing: when that one ends, the buffer is looked at again.
void host_buffer_parse_later(ServerBuffer *b);
/// Makes the buffer's note current now, on the loop: waits for the running parse of the
/// current text (one still queued is cancelled), else parses here. For requests that need
/// the note at once.
void host_buffer_parse(ServerBuffer *b);
/// Lets go of a running parse (the buffer is going away or starts over): it is stopped and
/// its result dropped.
void host_buffer_forget_parse(ServerBuffer *b);
/// An idle parser for a job on the thread pool (owned by the caller until given back), or
/// NULL when out of memory.
KithParser *host_parser_take(Server *s);
void host_parser_give(Server *s, KithParser *parser);
/// Frees the idle parsers (after the loop has finished every job).
void host_parsers_free(Server *s);

// --- workspace.c: vaults ------------------------------------------------------------------

/// The vault at `root` (borrowed), made and indexed in the background when new. NULL when out
/// of memory.
ServerVault *host_vault(Server *s, const char *root);
/// Fills `set` (caller frees with host_set_free) with the vault's notes and sets set->overlay to
/// the index of `overlay`'s note (may be NULL). Returns 0 or -1.
int host_vault_set(ServerVault *v, ServerSet *set, const ServerBuffer *overlay);
void host_set_free(ServerSet *set);
/// Rebuilds v->ledger with `overlay`'s items and declarations left out (NULL: over every
/// note). Returns 0 or -1.
int host_vault_ledger(ServerVault *v, ServerBuffer *overlay);
/// A digest of the names a note gives contacts (handles, display names, a contact note's file
/// name and aliases): when it changes, wiki links anywhere may name someone else.
uint64_t host_note_names(const KithNote *note);
/// The contact for `handle` over the whole vault (the overlay buffer's note merged in, into
/// `*tmp` when it matters); borrowed; NULL when unknown.
const KithContact *host_contact(const ServerVault *v, const char *handle, KithContact *tmp);
/// Closes the vault's handles (watchers, timers); then, once the loop has run, frees it.
void host_vault_close(ServerVault *v);
void host_vault_free(ServerVault *v);
/// Brings the ledger up to date after `changed` (NULL: anything) changed, and re-annotates.
void host_vault_update(ServerVault *v, bool force, ServerBuffer *changed);

// --- buffers.c: the editor's buffers and their text ----------------------------------------

int host_h_attach(void *ctx, const msgpack_object *params, msgpack_packer *result, char **error);
int host_h_detach(void *ctx, const msgpack_object *params, msgpack_packer *result, char **error);
int host_h_lines(void *ctx, const msgpack_object *params, msgpack_packer *result, char **error);
int host_h_changedtick(void *ctx, const msgpack_object *params, msgpack_packer *result,
                       char **error);
int host_h_buf_detach(void *ctx, const msgpack_object *params, msgpack_packer *result,
                      char **error);
/// A notification that could not be read whole (rpc.h): its buffer is sent again, or released
/// when the change was too large to take.
void host_on_lost(void *ctx, const msgpack_object *method, const msgpack_object *params,
                  int reason);

// --- server.c ----------------------------------------------------------------------------

/// Takes the editor's options (kith_configure, kith_attach): a map (borrowed).
void host_configure(Server *s, const msgpack_object *opts);

// --- settings.c -------------------------------------------------------------------------

int host_h_settings(void *ctx, const msgpack_object *params, msgpack_packer *result, char **error);

// --- annotate.c ---------------------------------------------------------------------------

/// Sends a buffer its annotations and diagnostics unless Neovim already shows exactly these.
void host_annotate(ServerBuffer *b, bool force);

// --- requests.c: what the plugin's commands ask -------------------------------------------

int host_h_version(void *ctx, const msgpack_object *params, msgpack_packer *result, char **error);
int host_h_status(void *ctx, const msgpack_object *params, msgpack_packer *result, char **error);
int host_h_balances(void *ctx, const msgpack_object *params, msgpack_packer *result, char **error);
int host_h_template(void *ctx, const msgpack_object *params, msgpack_packer *result, char **error);
int host_h_contacts(void *ctx, const msgpack_object *params, msgpack_packer *result, char **error);
int host_h_outline(void *ctx, const msgpack_object *params, msgpack_packer *result, char **error);
int host_h_vault(void *ctx, const msgpack_object *params, msgpack_packer *result, char **error);
int host_h_tick(void *ctx, const msgpack_object *params, msgpack_packer *result, char **error);
int host_h_agenda(void *ctx, const msgpack_object *params, msgpack_packer *result, char **error);
int host_h_report(void *ctx, const msgpack_object *params, msgpack_packer *result, char **error);
int host_h_asks(void *ctx, const msgpack_object *params, msgpack_packer *result, char **error);
int host_h_graph(void *ctx, const msgpack_object *params, msgpack_packer *result, char **error);
/// The ready vault whose root is params[i] (borrowed), or NULL with *error set.
ServerVault *host_request_vault(Server *s, const msgpack_object *params, uint32_t i, char **error);
/// Parses the vault's dirty buffers and rebuilds its ledger over every note (for a command the
/// user runs: the ledger then has no overlay). Returns 0 or -1.
int host_request_fresh(ServerVault *v);

// --- people.c: one person (history, hover, go-to, a new contact note), the vault's counts --

int host_h_history(void *ctx, const msgpack_object *params, msgpack_packer *result, char **error);
int host_h_contact(void *ctx, const msgpack_object *params, msgpack_packer *result, char **error);
int host_h_new(void *ctx, const msgpack_object *params, msgpack_packer *result, char **error);
/// Sends Neovim the vault's counts for the statusline (require('kith.view').vault): overdue
/// follow-ups and contacts to reach out to, over every note with the buffers' text.
void host_people_counts(ServerVault *v);
