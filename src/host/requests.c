#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "base/alloc.h"
#include "host/host.h"
#include "ledger/agenda.h"
#include "ledger/report.h"
#include "ledger/template.h"
#include "notes/grammar.h"
#include "notes/treesitter.h"

#ifndef KITH_GRAMMAR_VERSION
#define KITH_GRAMMAR_VERSION "unknown"
#endif

// Requests from the plugin's commands (:Kith balances, template, log, completion, health).
// They run on the loop and answer at once, in order.

int host_h_version(void *ctx, const msgpack_object *params, msgpack_packer *result, char **error) {
  (void)ctx;
  (void)params;
  if (!result)
    return host_fail(error, "kith_version is a request");
  msgpack_pack_map(result, 6);
  kith_rpc_pack_str(result, "version");
  kith_rpc_pack_str(result, KITH_VERSION);
  kith_rpc_pack_str(result, "grammar");
  kith_rpc_pack_str(result, KITH_GRAMMAR_VERSION);
  kith_rpc_pack_str(result, "abi");
  msgpack_pack_uint32(result, kith_ts_language_abi(kith_grammar_block()));
  kith_rpc_pack_str(result, "abi_min"); // what the tree-sitter runtime loads
  msgpack_pack_uint32(result, kith_ts_abi_min());
  kith_rpc_pack_str(result, "abi_max");
  msgpack_pack_uint32(result, kith_ts_abi_max());
  kith_rpc_pack_str(result, "allocator");
  kith_rpc_pack_str(result, kith_alloc_name());
  return 0;
}

int host_h_status(void *ctx, const msgpack_object *params, msgpack_packer *result, char **error) {
  (void)params;
  Server *s = ctx;
  if (!result)
    return host_fail(error, "kith_status is a request");
  msgpack_pack_map(result, 2);
  kith_rpc_pack_str(result, "buffers");
  msgpack_pack_uint64(result, s->buffer_count);
  kith_rpc_pack_str(result, "vaults");
  msgpack_pack_array(result, s->vault_count);
  for (size_t i = 0; i < s->vault_count; i++) {
    ServerVault *v = s->vaults[i];
    msgpack_pack_map(result, 4);
    kith_rpc_pack_str(result, "root");
    kith_rpc_pack_str(result, v->root);
    kith_rpc_pack_str(result, "ready");
    kith_rpc_pack_bool(result, v->ready);
    kith_rpc_pack_str(result, "notes");
    msgpack_pack_uint64(result, v->index.vault.count);
    kith_rpc_pack_str(result, "contacts");
    msgpack_pack_uint64(result, v->has_ledger ? v->ledger.count : 0);
  }
  return 0;
}

// The ready vault whose root is params[i], or NULL with *error set.
ServerVault *host_request_vault(Server *s, const msgpack_object *params, uint32_t i, char **error) {
  char *root = NULL;
  if (!host_param_str(params, i, &root)) {
    host_fail(error, "kith: expected a vault path");
    return NULL;
  }
  size_t n = strlen(root);
  while (n > 1 && root[n - 1] == '/')
    root[--n] = '\0';
  ServerVault *v = NULL;
  for (size_t k = 0; k < s->vault_count; k++) {
    if (strcmp(s->vaults[k]->root, root) == 0)
      v = s->vaults[k];
  }
  free(root);
  if (!v)
    host_fail(error, "kith: no note of this vault is open");
  else if (!v->ready)
    host_fail(error, "kith: the vault is still being indexed; try again in a moment");
  return v && v->ready ? v : NULL;
}

// Brings every buffer of `v` whose text changed, and the ledger, up to date (for user
// commands, which must see the text as it is now).
int host_request_fresh(ServerVault *v) {
  Server *s = v->server;
  for (size_t i = 0; i < s->buffer_count; i++) {
    ServerBuffer *b = s->buffers[i];
    if (b->vault == v)
      host_buffer_parse(b);
  }
  return host_vault_ledger(v, NULL);
}

int host_h_balances(void *ctx, const msgpack_object *params, msgpack_packer *result, char **error) {
  Server *s = ctx;
  if (!result)
    return host_fail(error, "kith_balances is a request");
  ServerVault *v = host_request_vault(s, params, 0, error);
  if (!v)
    return -1;
  ServerSet set = {0};
  if (host_request_fresh(v) != 0 || host_vault_set(v, &set, NULL) != 0) {
    host_set_free(&set);
    return host_fail(error, "kith: out of memory");
  }
  KithNoteSet notes = {set.paths, set.notes, set.count};
  KithBuf out = KITH_BUF_INIT;
  int rc = kith_report_balances_json(&out, &v->ledger, &notes);
  host_set_free(&set);
  if (rc != 0) {
    kith_buf_free(&out);
    return host_fail(error, "kith: out of memory");
  }
  kith_rpc_pack_bytes(result, out.data, out.len);
  kith_buf_free(&out);
  return 0;
}

// kith_template [vault, name, handle|nil, templates_dir|nil] -> text
int host_h_template(void *ctx, const msgpack_object *params, msgpack_packer *result, char **error) {
  Server *s = ctx;
  char *name = NULL, *handle = NULL, *dir = NULL;
  if (!result)
    return host_fail(error, "kith_template is a request");
  ServerVault *v = host_request_vault(s, params, 0, error);
  if (!v)
    return -1;
  if (!host_param_str(params, 1, &name))
    return host_fail(error, "kith_template: expected [vault, name, handle, templates]");
  host_param_str(params, 2, &handle);
  host_param_str(params, 3, &dir);
  int rc = -1;
  ServerSet set = {0};
  KithBuf out = KITH_BUF_INIT;
  if (host_request_fresh(v) != 0 || host_vault_set(v, &set, NULL) != 0) {
    host_fail(error, "kith: out of memory");
    goto done;
  }
  if (handle) {
    char *h = handle[0] == '@' ? handle + 1 : handle;
    memmove(handle, h, strlen(h) + 1);
    for (char *p = handle; *p; p++)
      *p = (*p >= 'A' && *p <= 'Z') ? (char)(*p - 'A' + 'a') : *p;
  }
  const KithContact *c = handle ? kith_ledger_find(&v->ledger, handle) : NULL;
  KithNoteSet notes = {set.paths, set.notes, set.count};
  KithTemplateVars vars = {s->options.today, handle, c ? c->name : NULL,
                           &v->ledger,       &notes, v->settings.dates_days};
  char *message = NULL;
  if (kith_template_render(&out, name, dir, &vars, &message) != 0) {
    if (error)
      *error = message;
    else
      free(message);
    goto done;
  }
  kith_rpc_pack_bytes(result, out.data, out.len);
  rc = 0;
done:
  kith_buf_free(&out);
  host_set_free(&set);
  free(name);
  free(handle);
  free(dir);
  return rc;
}

// kith_contacts [vault] -> [{handle, name, status, annotation, path, line, names, aliases,
// file}], most recent first; path/line: the first declaration, else the first interaction;
// names: every name a wiki link may use for it (once per key); aliases: its contact notes'
// aliases; file: its first contact note's file name without extension, or nil.
static int requests_cmp_recent(const void *a, const void *b) {
  const KithContact *x = *(const KithContact *const *)a, *y = *(const KithContact *const *)b;
  KithDay dx = x->interactions ? x->last_day : INT32_MIN;
  KithDay dy = y->interactions ? y->last_day : INT32_MIN;
  if (dx != dy)
    return dx > dy ? -1 : 1;
  return strcmp(x->handle, y->handle);
}

// Packs `names`, `aliases` and `file` of contact `c` (three map entries).
static void requests_pack_names(msgpack_packer *pk, const KithNames *names, const KithContact *c) {
  uint32_t distinct = 0, aliases = 0;
  const KithName *file = NULL;
  for (uint32_t i = 0; i < c->name_count; i++) {
    const KithName *n = &names->names[c->names[i]];
    bool seen = false;
    for (uint32_t k = 0; k < i && !seen; k++)
      seen = names->names[c->names[k]].key == n->key;
    distinct += !seen;
    aliases += n->kind == KITH_NAME_ALIAS;
    if (n->kind == KITH_NAME_FILE && !file)
      file = n;
  }
  kith_rpc_pack_str(pk, "names");
  msgpack_pack_array(pk, distinct);
  for (uint32_t i = 0; i < c->name_count; i++) {
    const KithName *n = &names->names[c->names[i]];
    bool seen = false;
    for (uint32_t k = 0; k < i && !seen; k++)
      seen = names->names[c->names[k]].key == n->key;
    if (!seen)
      kith_rpc_pack_str(pk, kith_names_str(names, n->text));
  }
  kith_rpc_pack_str(pk, "aliases");
  msgpack_pack_array(pk, aliases);
  for (uint32_t i = 0; i < c->name_count; i++) {
    const KithName *n = &names->names[c->names[i]];
    if (n->kind == KITH_NAME_ALIAS)
      kith_rpc_pack_str(pk, kith_names_str(names, n->text));
  }
  kith_rpc_pack_str(pk, "file");
  if (file)
    kith_rpc_pack_str(pk, kith_names_str(names, file->text));
  else
    msgpack_pack_nil(pk);
}

int host_h_contacts(void *ctx, const msgpack_object *params, msgpack_packer *result, char **error) {
  Server *s = ctx;
  if (!result)
    return host_fail(error, "kith_contacts is a request");
  ServerVault *v = host_request_vault(s, params, 0, error);
  if (!v)
    return -1;
  ServerSet set = {0};
  if (host_request_fresh(v) != 0 || host_vault_set(v, &set, NULL) != 0)
    return host_fail(error, "kith: out of memory");
  const KithContact **order = calloc(v->ledger.count + 1, sizeof *order);
  if (!order) {
    host_set_free(&set);
    return host_fail(error, "kith: out of memory");
  }
  for (size_t i = 0; i < v->ledger.count; i++)
    order[i] = &v->ledger.contacts[i];
  qsort(order, v->ledger.count, sizeof *order, requests_cmp_recent);
  msgpack_pack_array(result, v->ledger.count);
  KithAnnotationStyle style = host_vault_style(v);
  for (size_t i = 0; i < v->ledger.count; i++) {
    const KithContact *c = order[i];
    KithBuf note = KITH_BUF_INIT;
    kith_report_annotation(&note, c, &style);
    // Where the contact is: its first declaring heading, else its first interaction.
    const KithLocation *at = c->declared_count ? &c->declared[0] : &c->first_item;
    const char *path = at->note < set.count ? set.paths[at->note] : "";
    msgpack_pack_map(result, 9);
    kith_rpc_pack_str(result, "handle");
    kith_rpc_pack_str(result, c->handle);
    kith_rpc_pack_str(result, "name");
    kith_rpc_pack_str(result, c->name);
    kith_rpc_pack_str(result, "status");
    kith_rpc_pack_str(result, kith_status_name(c->status));
    kith_rpc_pack_str(result, "annotation");
    kith_rpc_pack_str(result, note.data ? note.data : "");
    kith_rpc_pack_str(result, "path");
    kith_rpc_pack_str(result, path);
    kith_rpc_pack_str(result, "line");
    msgpack_pack_uint32(result, at->line);
    requests_pack_names(result, &v->ledger.names, c);
    kith_buf_free(&note);
  }
  free(order);
  host_set_free(&set);
  return 0;
}

// The last line of the last interaction (linked ones too) counted in the section of heading
// `i` of `n`: in its own section or in an inner one of the same contact; 0 when none.
static uint32_t requests_last_item(const KithNote *n, uint32_t i) {
  const KithHeading *h = &n->headings[i];
  const char *handle = kith_note_str(n, h->handle);
  uint32_t last = 0;
  for (uint32_t k = 0; k < n->interaction_count + n->linked_count; k++) {
    const KithInteraction *it =
        k < n->interaction_count ? &n->interactions[k] : &n->linked[k - n->interaction_count].item;
    if (k >= n->interaction_count && !kith_linked_counted(&n->linked[k - n->interaction_count]))
      continue;
    int32_t s = it->section;
    bool mine = s == (int32_t)i ||
                (s >= 0 && n->headings[s].line > h->line && n->headings[s].line <= h->end_line &&
                 strcmp(kith_note_str(n, n->headings[s].handle), handle) == 0);
    if (mine && it->end_line > last)
      last = it->end_line;
  }
  return last;
}

// kith_outline [buf] -> [{handle, level, line, end_line, last_item}] for the buffer's contact
// headings (1-based lines; level 0 for a contact note, whose section is the whole note);
// last_item: the last line of the last interaction in the heading's section (inner sections of
// the same contact included), 0 when none; for a contact note without one, its last line (a
// new item goes at the end of the note, not into its front matter).
int host_h_outline(void *ctx, const msgpack_object *params, msgpack_packer *result, char **error) {
  Server *s = ctx;
  int64_t id;
  if (!result)
    return host_fail(error, "kith_outline is a request");
  if (!host_param_int(params, 0, &id))
    return host_fail(error, "kith_outline: expected [buf]");
  ServerBuffer *b = host_buffer(s, id);
  if (!b)
    return host_fail(error, "kith: this buffer is not followed by kith");
  host_buffer_parse(b);
  const KithNote *n = &b->note;
  msgpack_pack_array(result, n->heading_count);
  for (uint32_t i = 0; i < n->heading_count; i++) {
    const KithHeading *h = &n->headings[i];
    uint32_t last = requests_last_item(n, i);
    if (last == 0 && h->level == 0)
      last = h->end_line;
    msgpack_pack_map(result, 5);
    kith_rpc_pack_str(result, "handle");
    kith_rpc_pack_str(result, kith_note_str(n, h->handle));
    kith_rpc_pack_str(result, "level");
    msgpack_pack_uint32(result, h->level);
    kith_rpc_pack_str(result, "line");
    msgpack_pack_uint32(result, h->line);
    kith_rpc_pack_str(result, "end_line");
    msgpack_pack_uint32(result, h->end_line);
    kith_rpc_pack_str(result, "last_item");
    msgpack_pack_uint32(result, last);
  }
  return 0;
}

// (v3) Packs one open ask of a buffer: its lines and its counterparties.
static void requests_pack_ask(msgpack_packer *pk, const KithInteraction *it,
                              const char *const *handles, size_t count) {
  msgpack_pack_map(pk, 3);
  kith_rpc_pack_str(pk, "line");
  msgpack_pack_uint32(pk, it->line);
  kith_rpc_pack_str(pk, "end_line");
  msgpack_pack_uint32(pk, it->end_line);
  kith_rpc_pack_str(pk, "handles");
  msgpack_pack_array(pk, count);
  for (size_t i = 0; i < count; i++)
    kith_rpc_pack_str(pk, handles[i]);
}

// kith_asks [buf] -> [{line, end_line, handles}]: the open asks in the buffer's current text
// (SPEC §1 v3), each with its lines (its list marker's, its last) and its counterparties (wiki
// links resolved against the vault). For logging the give that answers an ask and ticking it.
int host_h_asks(void *ctx, const msgpack_object *params, msgpack_packer *result, char **error) {
  Server *s = ctx;
  int64_t id;
  if (!result)
    return host_fail(error, "kith_asks is a request");
  if (!host_param_int(params, 0, &id))
    return host_fail(error, "kith_asks: expected [buf]");
  ServerBuffer *b = host_buffer(s, id);
  if (!b)
    return host_fail(error, "kith: this buffer is not followed by kith");
  host_buffer_parse(b);
  const KithNote *n = &b->note;
  KithResolution links = {0};
  if (b->vault->has_ledger &&
      kith_ledger_resolve(&b->vault->ledger, b->ledger_index, b->rel, n, &links) != 0) {
    kith_resolution_free(&links);
    return host_fail(error, "kith: out of memory");
  }
  size_t count = 0, linked = 0;
  for (uint32_t i = 0; i < n->ask_count; i++)
    count += i == 0 || n->asks[i].line != n->asks[i - 1].line; // one record per counterparty
  for (uint32_t i = 0; i < n->linked_count; i++)
    linked += n->linked[i].ask;
  const char **handles = malloc((n->ask_count + links.party_count + 1) * sizeof *handles);
  if (!handles) {
    kith_resolution_free(&links);
    return host_fail(error, "kith: out of memory");
  }
  msgpack_pack_array(result, count + linked);
  for (uint32_t i = 0; i < n->ask_count;) {
    uint32_t k = i, had = 0;
    for (; k < n->ask_count && n->asks[k].line == n->asks[i].line; k++)
      handles[had++] = kith_note_str(n, n->asks[k].handle);
    requests_pack_ask(result, &n->asks[i], handles, had);
    i = k;
  }
  for (uint32_t i = 0; i < n->linked_count; i++) {
    if (!n->linked[i].ask)
      continue;
    size_t had = 0;
    for (size_t p = 0; p < links.party_count; p++) {
      if (links.parties[p].item == i)
        handles[had++] = kith_resolution_str(&links, links.parties[p].handle);
    }
    const KithInteraction *it = &n->linked[i].item;
    requests_pack_ask(result, it, handles, had);
  }
  free(handles);
  kith_resolution_free(&links);
  return 0;
}

// kith_agenda [vault, days] -> the `kith agenda --json` object as a string (SPEC §3), over the
// vault with its open buffers' text.
int host_h_agenda(void *ctx, const msgpack_object *params, msgpack_packer *result, char **error) {
  Server *s = ctx;
  if (!result)
    return host_fail(error, "kith_agenda is a request");
  ServerVault *v = host_request_vault(s, params, 0, error);
  if (!v)
    return -1;
  int64_t days = v->settings.due_days; // the vault's, unless the command says
  if (params->via.array.size > 1 && !host_param_int(params, 1, &days))
    days = v->settings.due_days;
  if (days < 0 || days > 36500)
    return host_fail(error, "kith_agenda: days must be 0 to 36500");
  ServerSet set = {0};
  KithAgenda agenda = {0};
  KithBuf out = KITH_BUF_INIT;
  int rc = -1;
  if (host_request_fresh(v) != 0 || host_vault_set(v, &set, NULL) != 0 ||
      kith_agenda_build(&agenda, &v->ledger, (int)days, v->settings.dates_days) != 0) {
    host_fail(error, "kith: out of memory");
    goto done;
  }
  KithNoteSet notes = {set.paths, set.notes, set.count};
  if (kith_agenda_json(&out, &agenda, &notes) != 0) {
    host_fail(error, "kith: out of memory");
    goto done;
  }
  kith_rpc_pack_bytes(result, out.data, out.len);
  rc = 0;
done:
  kith_buf_free(&out);
  kith_agenda_free(&agenda);
  host_set_free(&set);
  return rc;
}

// kith_tick [buf] -> the changedtick of the last text kith has of the buffer (-1: not followed).
// Commands compare it with the buffer's changedtick before asking about the buffer, so that
// the answer reflects the current text even right after :edit (lua/kith/host.lua sync()).
int host_h_tick(void *ctx, const msgpack_object *params, msgpack_packer *result, char **error) {
  Server *s = ctx;
  int64_t id;
  if (!result)
    return host_fail(error, "kith_tick is a request");
  if (!host_param_int(params, 0, &id))
    return host_fail(error, "kith_tick: expected [buf]");
  ServerBuffer *b = host_buffer(s, id);
  msgpack_pack_int64(result, b && b->synced ? b->tick : -1);
  return 0;
}

// kith_vault [root] -> {ready, notes}: starts indexing the vault if it is new.
int host_h_vault(void *ctx, const msgpack_object *params, msgpack_packer *result, char **error) {
  Server *s = ctx;
  char *root = NULL;
  if (!host_param_str(params, 0, &root))
    return host_fail(error, "kith_vault: expected [root]");
  size_t n = strlen(root);
  while (n > 1 && root[n - 1] == '/')
    root[--n] = '\0';
  ServerVault *v = host_vault(s, root);
  free(root);
  if (!v)
    return host_fail(error, "kith: out of memory");
  if (result) {
    msgpack_pack_map(result, 2);
    kith_rpc_pack_str(result, "ready");
    kith_rpc_pack_bool(result, v->ready);
    kith_rpc_pack_str(result, "notes");
    msgpack_pack_uint64(result, v->index.vault.count);
  }
  return 0;
}
