#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "host/host.h"
#include "ledger/history.h"
#include "ledger/names.h"
#include "ledger/report.h"
#include "ledger/template.h"
#include "notes/entry.h"

// Requests about one person, each made by one action of the user (:Kith history, go-to, hover,
// :Kith new, the statusline's lookup of a handle), and the vault's counts the host sends with
// every update for the statusline. Answers are over every note with the buffers' text.

enum { PEOPLE_RECENT = 5 }; // interactions a hover shows

// --- names ---------------------------------------------------------------------------------

// A handle as SPEC §1 writes it (after its `@`): [A-Za-z0-9_] then [A-Za-z0-9_.-], not ending
// in `.` or `-`.
static bool people_handle_ok(const char *h) {
  size_t n = strlen(h);
  if (n == 0 || n > 200 || h[n - 1] == '.' || h[n - 1] == '-')
    return false;
  for (size_t i = 0; i < n; i++) {
    char ch = h[i];
    bool word = (ch >= 'a' && ch <= 'z') || (ch >= 'A' && ch <= 'Z') || (ch >= '0' && ch <= '9') ||
                ch == '_';
    if (!word && (i == 0 || (ch != '.' && ch != '-')))
      return false;
  }
  return true;
}

// Drops a leading `@` and folds ASCII to lower case, in place.
static void people_lower_handle(char *h) {
  if (h[0] == '@')
    memmove(h, h + 1, strlen(h));
  for (char *p = h; *p; p++)
    *p = (*p >= 'A' && *p <= 'Z') ? (char)(*p - 'A' + 'a') : *p;
}

// The contact `target` (borrowed) names: `@handle` (any case), or what a wiki link holds
// between `[[` and `]]` (`Alice Chen`, `people/Alice Chen|Alice`, `Alice Chen#Log`): its last
// path component, folded, equal to the name of one of the contact's declarations (SPEC §1).
// NULL when it names no contact, or several. Borrowed from the ledger.
static const KithContact *people_resolve(const ServerVault *v, const ServerSet *set,
                                         const char *target) {
  (void)set;
  if (target[0] == '@') {
    char h[256];
    snprintf(h, sizeof h, "%s", target);
    people_lower_handle(h);
    return people_handle_ok(h) ? kith_ledger_find(&v->ledger, h) : NULL;
  }
  // As the ledger resolves links: its table of every note's names (declarations, contact
  // notes' file names and aliases; the edited buffer's too), by key.
  size_t n = strcspn(target, "|#");
  const char *slash = NULL;
  for (const char *p = target; p < target + n; p++) {
    if (*p == '/')
      slash = p;
  }
  const char *name = slash ? slash + 1 : target;
  n -= (size_t)(name - target);
  char *key = malloc(n + 1);
  if (!key)
    return NULL;
  size_t key_len = kith_entry_name_key(key, name, n);
  const KithNameKey *k = key_len ? kith_names_find(&v->ledger.names, key, key_len) : NULL;
  free(key);
  const char *handles[2];
  if (!k || kith_names_handles(&v->ledger.names, k, handles, 2) != 1)
    return NULL; // no contact, or several (an ambiguous link names none)
  return kith_ledger_find(&v->ledger, handles[0]);
}

// --- kith_history ----------------------------------------------------------------------------

// kith_history [vault, handle] -> the `kith history --json` object of SPEC §3 as a string.
int host_h_history(void *ctx, const msgpack_object *params, msgpack_packer *result, char **error) {
  Server *s = ctx;
  if (!result)
    return host_fail(error, "kith_history is a request");
  ServerVault *v = host_request_vault(s, params, 0, error);
  if (!v)
    return -1;
  char *handle = NULL;
  if (!host_param_str(params, 1, &handle))
    return host_fail(error, "kith_history: expected [vault, handle]");
  ServerSet set = {0};
  KithHistory history = {0};
  KithBuf out = KITH_BUF_INIT;
  int rc = -1;
  if (host_request_fresh(v) != 0 || host_vault_set(v, &set, NULL) != 0) {
    host_fail(error, "kith: out of memory");
    goto done;
  }
  KithNoteSet notes = {set.paths, set.notes, set.count};
  int built = kith_history_build(&history, &v->ledger, &notes, handle);
  if (built == -2) {
    char msg[300];
    snprintf(msg, sizeof msg, "kith: no contact @%.200s in this vault",
             handle[0] == '@' ? handle + 1 : handle);
    host_fail(error, msg);
    goto done;
  }
  if (built != 0 || kith_history_json(&out, &history, &notes) != 0) {
    host_fail(error, "kith: out of memory");
    goto done;
  }
  kith_rpc_pack_bytes(result, out.data, out.len);
  rc = 0;
done:
  kith_buf_free(&out);
  kith_history_free(&history);
  host_set_free(&set);
  free(handle);
  return rc;
}

// --- kith_contact ----------------------------------------------------------------------------

static void people_pack_day(msgpack_packer *pk, bool dated, KithDay day) {
  if (!dated) {
    msgpack_pack_nil(pk);
    return;
  }
  char text[16];
  kith_date_format(day, text);
  kith_rpc_pack_str(pk, text);
}

static void people_pack_at(msgpack_packer *pk, const ServerSet *set, KithLocation at) {
  msgpack_pack_map(pk, 2);
  kith_rpc_pack_str(pk, "path");
  kith_rpc_pack_str(pk, at.note < set->count ? set->paths[at.note] : "");
  kith_rpc_pack_str(pk, "line");
  msgpack_pack_uint32(pk, at.line);
}

// Packs a follow-up or (v3) an ask: {path, line, date, text}, and `overdue` for a follow-up.
static void people_pack_followup(msgpack_packer *pk, const ServerSet *set, const KithFollowup *f,
                                 bool overdue) {
  msgpack_pack_map(pk, overdue ? 5 : 4);
  kith_rpc_pack_str(pk, "path");
  kith_rpc_pack_str(pk, f->at.note < set->count ? set->paths[f->at.note] : "");
  kith_rpc_pack_str(pk, "line");
  msgpack_pack_uint32(pk, f->at.line);
  kith_rpc_pack_str(pk, "date");
  people_pack_day(pk, f->dated, f->day);
  kith_rpc_pack_str(pk, "text");
  kith_rpc_pack_str(pk, f->text ? f->text : "");
  if (overdue) {
    kith_rpc_pack_str(pk, "overdue");
    kith_rpc_pack_bool(pk, f->overdue);
  }
}

// (v3) Packs the contact's open asks, birthday, snooze and introductions: 5 map entries.
static void people_pack_v3(msgpack_packer *pk, const ServerSet *set, const KithContact *c) {
  kith_rpc_pack_str(pk, "asks");
  msgpack_pack_array(pk, c->ask_count);
  for (uint32_t i = 0; i < c->ask_count; i++)
    people_pack_followup(pk, set, &c->asks[i], false);
  kith_rpc_pack_str(pk, "birthday");
  if (c->birthday) {
    char text[11];
    kith_birthday_format(c->birthday, text);
    msgpack_pack_map(pk, 4);
    kith_rpc_pack_str(pk, "date");
    kith_rpc_pack_str(pk, text);
    kith_rpc_pack_str(pk, "next");
    people_pack_day(pk, true, c->birthday_next);
    kith_rpc_pack_str(pk, "days");
    msgpack_pack_int64(pk, c->birthday_in);
    kith_rpc_pack_str(pk, "age");
    if (c->age >= 0)
      msgpack_pack_int(pk, c->age);
    else
      msgpack_pack_nil(pk);
  } else {
    msgpack_pack_nil(pk);
  }
  kith_rpc_pack_str(pk, "snoozed_until");
  people_pack_day(pk, c->snoozing, c->snooze);
  kith_rpc_pack_str(pk, "introduced");
  msgpack_pack_array(pk, c->introduced_count);
  for (uint32_t i = 0; i < c->introduced_count; i++) {
    const KithIntroduction *in = &c->introduced[i];
    msgpack_pack_map(pk, 4);
    kith_rpc_pack_str(pk, "handle");
    kith_rpc_pack_str(pk, in->handle);
    kith_rpc_pack_str(pk, "date");
    people_pack_day(pk, true, in->day);
    kith_rpc_pack_str(pk, "path");
    kith_rpc_pack_str(pk, in->at.note < set->count ? set->paths[in->at.note] : "");
    kith_rpc_pack_str(pk, "line");
    msgpack_pack_uint32(pk, in->at.line);
  }
  kith_rpc_pack_str(pk, "open_asks");
  msgpack_pack_uint32(pk, c->open_asks);
}

// Packs what the editor shows of one contact (see host_h_contact).
static void people_pack_contact(msgpack_packer *pk, const ServerVault *v, const ServerSet *set,
                                const KithContact *c, const KithHistory *history) {
  KithBuf note = KITH_BUF_INIT;
  KithAnnotationStyle style = host_vault_style(v);
  kith_report_annotation(&note, c, &style);
  msgpack_pack_map(pk, 13);
  kith_rpc_pack_str(pk, "handle");
  kith_rpc_pack_str(pk, c->handle);
  kith_rpc_pack_str(pk, "name");
  kith_rpc_pack_str(pk, c->name);
  kith_rpc_pack_str(pk, "status");
  kith_rpc_pack_str(pk, kith_status_name(c->status));
  kith_rpc_pack_str(pk, "annotation");
  kith_rpc_pack_str(pk, note.data ? note.data : "");
  kith_buf_free(&note);
  kith_rpc_pack_str(pk, "declared");
  msgpack_pack_array(pk, c->declared_count);
  for (uint32_t i = 0; i < c->declared_count; i++)
    people_pack_at(pk, set, c->declared[i]);
  kith_rpc_pack_str(pk, "first_item");
  if (c->interactions > 0)
    people_pack_at(pk, set, c->first_item);
  else
    msgpack_pack_nil(pk);
  kith_rpc_pack_str(pk, "followups");
  msgpack_pack_array(pk, c->followup_count);
  for (uint32_t i = 0; i < c->followup_count; i++)
    people_pack_followup(pk, set, &c->followups[i], true);
  people_pack_v3(pk, set, c);
  size_t recent = 0;
  for (size_t i = 0; i < history->count && recent < PEOPLE_RECENT; i++)
    recent += !history->items[i].planned;
  kith_rpc_pack_str(pk, "recent");
  msgpack_pack_array(pk, recent);
  for (size_t i = 0; i < history->count && recent > 0; i++) {
    const KithHistoryItem *item = &history->items[i];
    if (item->planned)
      continue;
    recent--;
    const KithNote *n = set->notes[item->note];
    msgpack_pack_map(pk, 7);
    kith_rpc_pack_str(pk, "path");
    kith_rpc_pack_str(pk, set->paths[item->note]);
    kith_rpc_pack_str(pk, "line");
    msgpack_pack_uint32(pk, item->it->line);
    kith_rpc_pack_str(pk, "date");
    people_pack_day(pk, item->it->dated, item->it->day);
    kith_rpc_pack_str(pk, "gave");
    msgpack_pack_uint32(pk, item->it->gave);
    kith_rpc_pack_str(pk, "got");
    msgpack_pack_uint32(pk, item->it->got);
    kith_rpc_pack_str(pk, "met");
    msgpack_pack_uint32(pk, item->it->met);
    kith_rpc_pack_str(pk, "text");
    kith_rpc_pack_str(pk, kith_note_str(n, item->it->text));
  }
}

// kith_contact [vault, target] -> {handle, name, status, annotation, declared: [{path, line}],
// first_item: {path, line} | nil, followups: [{path, line, date, text, overdue}], (v3) asks:
// [{path, line, date, text}], open_asks, birthday: {date, next, days, age|nil} | nil,
// snoozed_until: date | nil, introduced: [{handle, date, path, line}], recent: [the last 5
// counted interactions, newest first: {path, line, date, gave, got, met, text}]}, or nil when
// `target` (`@handle`, or the inside of a wiki link) names no contact.
int host_h_contact(void *ctx, const msgpack_object *params, msgpack_packer *result, char **error) {
  Server *s = ctx;
  if (!result)
    return host_fail(error, "kith_contact is a request");
  ServerVault *v = host_request_vault(s, params, 0, error);
  if (!v)
    return -1;
  char *target = NULL;
  if (!host_param_str(params, 1, &target))
    return host_fail(error, "kith_contact: expected [vault, target]");
  ServerSet set = {0};
  KithHistory history = {0};
  int rc = -1;
  if (host_request_fresh(v) != 0 || host_vault_set(v, &set, NULL) != 0) {
    host_fail(error, "kith: out of memory");
    goto done;
  }
  const KithContact *c = people_resolve(v, &set, target);
  KithNoteSet notes = {set.paths, set.notes, set.count};
  if (c && kith_history_build(&history, &v->ledger, &notes, c->handle) == -1) {
    host_fail(error, "kith: out of memory");
    goto done;
  }
  if (c)
    people_pack_contact(result, v, &set, c, &history);
  else
    msgpack_pack_nil(result);
  rc = 0;
done:
  kith_history_free(&history);
  host_set_free(&set);
  free(target);
  return rc;
}

// --- kith_new --------------------------------------------------------------------------------

// kith_new [vault, handle, name|nil, templates|nil] -> {name, text}: the `contact` template
// expanded for a new contact note, with {{name}} = `name`, else the contact's name when it is
// known, else the handle (that name is `name`).
int host_h_new(void *ctx, const msgpack_object *params, msgpack_packer *result, char **error) {
  Server *s = ctx;
  if (!result)
    return host_fail(error, "kith_new is a request");
  ServerVault *v = host_request_vault(s, params, 0, error);
  if (!v)
    return -1;
  char *handle = NULL, *name = NULL, *dir = NULL;
  if (!host_param_str(params, 1, &handle))
    return host_fail(error, "kith_new: expected [vault, handle, name, templates]");
  host_param_str(params, 2, &name);
  host_param_str(params, 3, &dir);
  ServerSet set = {0};
  KithBuf out = KITH_BUF_INIT;
  int rc = -1;
  people_lower_handle(handle);
  if (!people_handle_ok(handle)) {
    char msg[300];
    snprintf(msg, sizeof msg,
             "kith: '%.200s' is not a handle (a letter, digit or _, then letters, digits, _, . "
             "or -)",
             handle);
    host_fail(error, msg);
    goto done;
  }
  if (host_request_fresh(v) != 0 || host_vault_set(v, &set, NULL) != 0) {
    host_fail(error, "kith: out of memory");
    goto done;
  }
  const KithContact *c = kith_ledger_find(&v->ledger, handle);
  KithNoteSet notes = {set.paths, set.notes, set.count};
  const char *shown = name && *name ? name : c ? c->name : handle;
  KithTemplateVars vars = {s->options.today, handle, shown,
                           &v->ledger,       &notes, v->settings.dates_days};
  char *message = NULL;
  if (kith_template_render(&out, "contact", dir, &vars, &message) != 0) {
    if (error)
      *error = message;
    else
      free(message);
    goto done;
  }
  msgpack_pack_map(result, 2);
  kith_rpc_pack_str(result, "name");
  kith_rpc_pack_str(result, shown);
  kith_rpc_pack_str(result, "text");
  kith_rpc_pack_bytes(result, out.data, out.len);
  rc = 0;
done:
  kith_buf_free(&out);
  host_set_free(&set);
  free(handle);
  free(name);
  free(dir);
  return rc;
}

// --- the vault's counts ----------------------------------------------------------------------

static int people_cmp_str(const void *a, const void *b) {
  return strcmp(*(const char *const *)a, *(const char *const *)b);
}

// What one contact adds to the counts.
static void people_count(const KithContact *c, int64_t sign, int64_t *overdue, int64_t *reach) {
  *overdue += sign * (int64_t)c->overdue;
  *reach += sign * (c->status == KITH_STATUS_DORMANT);
}

void host_people_counts(ServerVault *v) {
  Server *s = v->server;
  if (!v->ready || !v->has_ledger || !s->rpc)
    return;
  if (!v->counts_valid) {
    v->counts_overdue = v->counts_reach = 0;
    for (size_t i = 0; i < v->ledger.count; i++)
      people_count(&v->ledger.contacts[i], 1, &v->counts_overdue, &v->counts_reach);
    v->counts_valid = true;
  }
  int64_t overdue = v->counts_overdue, reach = v->counts_reach;
  // The ledger lacks the buffer being edited: count again each contact its note names.
  const KithNote *n = v->overlay ? &v->overlay->note : NULL;
  size_t count = n ? n->heading_count + n->interaction_count + n->followup_count : 0;
  const char **handles = count ? malloc(count * sizeof *handles) : NULL;
  if (count && !handles)
    return;
  size_t k = 0;
  for (uint32_t i = 0; n && i < n->heading_count; i++)
    handles[k++] = kith_note_str(n, n->headings[i].handle);
  for (uint32_t i = 0; n && i < n->interaction_count; i++)
    handles[k++] = kith_note_str(n, n->interactions[i].handle);
  for (uint32_t i = 0; n && i < n->followup_count; i++)
    handles[k++] = kith_note_str(n, n->followups[i].handle);
  if (k > 1)
    qsort(handles, k, sizeof *handles, people_cmp_str);
  for (size_t i = 0; i < k; i++) {
    if (i > 0 && strcmp(handles[i], handles[i - 1]) == 0)
      continue;
    const KithContact *base = kith_ledger_find(&v->ledger, handles[i]);
    if (base)
      people_count(base, -1, &overdue, &reach);
    KithContact tmp;
    const KithContact *c = host_contact(v, handles[i], &tmp);
    if (c)
      people_count(c, 1, &overdue, &reach);
  }
  free(handles);
  msgpack_packer *pk = kith_rpc_begin(s->rpc, "nvim_exec_lua", true, NULL, NULL);
  msgpack_pack_array(pk, 2);
  kith_rpc_pack_str(pk, "return require('kith.view').vault(...)");
  msgpack_pack_array(pk, 2);
  kith_rpc_pack_str(pk, v->root);
  msgpack_pack_map(pk, 2);
  kith_rpc_pack_str(pk, "overdue");
  msgpack_pack_int64(pk, overdue);
  kith_rpc_pack_str(pk, "reach_out");
  msgpack_pack_int64(pk, reach);
  kith_rpc_end(s->rpc);
}
