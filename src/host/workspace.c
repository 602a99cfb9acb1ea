#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "base/log.h"
#include "host/host.h"

// The vaults the editor has notes open in: their index (built on the thread pool), the
// watchers that keep it current, and the ledger with the attached buffers' text in place.

// --- the ledger over disk + buffers --------------------------------------------------------

static int workspace_cmp_pair(const void *a, const void *b);

typedef struct {
  const char *path;
  const KithNote *note;
} ServerPair;

static int workspace_cmp_pair(const void *a, const void *b) {
  return strcmp(((const ServerPair *)a)->path, ((const ServerPair *)b)->path);
}

// The notes of `v` in path order, each attached buffer's note in place of its file's.
int host_vault_set(ServerVault *v, ServerSet *set, const ServerBuffer *overlay) {
  Server *s = v->server;
  size_t n = v->index.vault.count;
  size_t cap = n + s->buffer_count + 2;
  ServerPair *pairs = calloc(cap, sizeof *pairs);
  if (!pairs)
    return -1;
  for (size_t i = 0; i < n; i++)
    pairs[i] = (ServerPair){v->index.vault.entries[i].path, &v->index.notes[i]};
  bool extra = false;
  if (v->settings.note.diagnostic_count > 0) {
    // The settings' diagnostics, as the note `.kith` (as on the command line).
    pairs[n++] = (ServerPair){KITH_SETTINGS_FILE, &v->settings.note};
    extra = true;
  }
  for (size_t i = 0; i < s->buffer_count; i++) {
    ServerBuffer *b = s->buffers[i];
    if (b->vault != v || !b->parsed)
      continue;
    long at = kith_index_find(&v->index, b->rel, NULL);
    if (at >= 0) {
      pairs[at].note = &b->note;
    } else {
      pairs[n++] = (ServerPair){b->rel, &b->note};
      extra = true;
    }
  }
  if (extra)
    qsort(pairs, n, sizeof *pairs, workspace_cmp_pair);
  set->paths = calloc(n + 1, sizeof *set->paths);
  set->notes = calloc(n + 1, sizeof *set->notes);
  if (!set->paths || !set->notes) {
    free(pairs);
    free(set->paths);
    free(set->notes);
    return -1;
  }
  set->overlay = SIZE_MAX;
  for (size_t i = 0; i < n; i++) {
    set->paths[i] = pairs[i].path;
    set->notes[i] = pairs[i].note;
    if (overlay && pairs[i].note == &overlay->note)
      set->overlay = i;
  }
  set->count = n;
  free(pairs);
  return 0;
}

void host_set_free(ServerSet *set) {
  free(set->paths);
  free(set->notes);
  memset(set, 0, sizeof *set);
}

static int workspace_cmp_path(const void *key, const void *item) {
  return strcmp(key, *(const char *const *)item);
}

int host_vault_ledger(ServerVault *v, ServerBuffer *overlay) {
  ServerSet set = {0};
  Server *s = v->server;
  v->overlay = overlay;
  kith_resolution_free(&v->overlay_links);
  if (host_vault_set(v, &set, overlay) != 0)
    return -1;
  if (v->has_ledger)
    kith_ledger_free(&v->ledger);
  KithNoteSet notes = {set.paths, set.notes, set.count};
  KithLedgerOptions options;
  host_vault_options(v, &options);
  v->has_ledger = kith_ledger_build(&v->ledger, &notes, set.overlay, &options) == 0;
  v->counts_valid = false;
  v->overlay_index = (uint32_t)set.overlay;
  v->overlay_names = overlay ? host_note_names(&overlay->note) : 0;
  // Where each buffer's note is in the set: the ledger's diagnostics go by that index.
  for (size_t i = 0; i < s->buffer_count; i++) {
    ServerBuffer *b = s->buffers[i];
    if (b->vault != v)
      continue;
    const char **at =
        b->parsed ? bsearch(b->rel, set.paths, set.count, sizeof *set.paths, workspace_cmp_path)
                  : NULL;
    b->ledger_index = at ? (uint32_t)(at - set.paths) : UINT32_MAX;
  }
  host_set_free(&set);
  return v->has_ledger ? 0 : -1;
}

// Adds `s` and its NUL to FNV-1a hash `*h`.
static void workspace_hash(uint64_t *h, const char *s) {
  for (;; s++) {
    *h ^= (unsigned char)*s;
    *h *= 1099511628211ull;
    if (!*s)
      break;
  }
}

uint64_t host_note_names(const KithNote *note) {
  uint64_t h = 1469598103934665603ull; // FNV-1a over the strings, each with its NUL
  // (v3) A meeting's people may name undeclared contacts for every note's wiki links.
  const KithLinked *with = NULL;
  for (uint32_t i = 0; note->meeting && i < note->linked_count && !with; i++)
    with = note->linked[i].people > 0 ? &note->linked[i] : NULL;
  for (uint32_t k = 0; with && k < with->people; k++) {
    const KithRef *ref = &note->refs[with->refs + with->run + k];
    workspace_hash(&h, kith_note_str(note, ref->key));
    workspace_hash(&h, ref->derived == UINT32_MAX ? "" : kith_note_str(note, ref->derived));
  }
  const KithHeading *contact = kith_note_contact_note(note);
  for (uint32_t i = 0; i < note->heading_count + (contact ? 2 + note->alias_count : 0); i++) {
    const char *parts[2] = {"", ""};
    if (i < note->heading_count) {
      parts[0] = kith_note_str(note, note->headings[i].handle);
      parts[1] = kith_note_str(note, note->headings[i].name);
    } else if (i == note->heading_count) {
      parts[0] = kith_note_str(note, note->stem);
    } else if (i > note->heading_count + 1) {
      parts[0] = kith_note_str(note, note->aliases[i - note->heading_count - 2]);
    }
    workspace_hash(&h, parts[0]);
    workspace_hash(&h, parts[1]);
  }
  return h;
}

// The contact for `handle` over the whole vault: the ledger's, with the overlay buffer's note
// added when it mentions the handle (then computed into `*tmp`, which shares the base's arrays:
// only its numbers change). NULL when unknown. A cadence, (v3) a birthday or a snooze in the
// overlay counts only when the rest of the vault gives none; its open asks are counted.
const KithContact *host_contact(const ServerVault *v, const char *handle, KithContact *tmp) {
  const KithContact *base = kith_ledger_find(&v->ledger, handle);
  if (!v->overlay)
    return base;
  const KithNote *n = &v->overlay->note;
  const KithLedgerOptions *o = &v->ledger.options;
  bool touched = false;
  for (uint32_t i = 0; i < n->heading_count; i++) {
    const KithHeading *h = &n->headings[i];
    if (strcmp(kith_note_str(n, h->handle), handle) != 0)
      continue;
    if (!touched) {
      if (base)
        *tmp = *base;
      else
        memset(tmp, 0, sizeof *tmp); // declared only here
      touched = true;
    }
    if (tmp->cadence_days == 0)
      tmp->cadence_days = h->cadence_days;
    if (tmp->birthday == 0) // (v3) likewise a birthday and a snooze
      tmp->birthday = h->birthday;
    if (!tmp->snoozed && h->snoozed) {
      tmp->snoozed = true;
      tmp->snooze = h->snooze;
    }
  }
  const KithResolution *r = &v->overlay_links;
  uint32_t direct = n->interaction_count + n->followup_count + n->ask_count;
  for (uint32_t i = 0; i < direct + r->party_count; i++) {
    bool planned, ask = false, counted;
    const KithInteraction *it;
    if (i < direct) {
      planned = i >= n->interaction_count && i < n->interaction_count + n->followup_count;
      ask = i >= n->interaction_count + n->followup_count;
      it = ask       ? &n->asks[i - n->interaction_count - n->followup_count]
           : planned ? &n->followups[i - n->interaction_count]
                     : &n->interactions[i];
      counted = !planned && !ask;
      if (strcmp(kith_note_str(n, it->handle), handle) != 0)
        continue;
    } else {
      // An item with wiki links, resolved against the vault's names.
      const KithParty *p = &r->parties[i - direct];
      if (p->item >= n->linked_count || strcmp(kith_resolution_str(r, p->handle), handle) != 0)
        continue;
      const KithLinked *l = &n->linked[p->item];
      planned = l->planned;
      ask = l->ask;
      it = &l->item;
      counted = kith_linked_counted(l);
    }
    if (!touched) {
      if (base)
        *tmp = *base;
      else
        memset(tmp, 0, sizeof *tmp);
      touched = true;
    }
    tmp->open_asks += ask; // an open ask (v3), which may also be a follow-up or counted
    if (planned)
      kith_ledger_contact_add_followup(tmp, it, o);
    else if (counted)
      kith_ledger_contact_add(tmp, UINT32_MAX, it, o);
  }
  if (!touched)
    return base;
  kith_ledger_contact_finish(tmp, o);
  return tmp;
}

// The buffer a whole rebuild of `v`'s ledger leaves out (its overlay): the one left out so
// far, else the last attached, so that the next edit, most likely there, costs that note only.
static ServerBuffer *workspace_overlay_for(ServerVault *v) {
  if (v->overlay && v->overlay->parsed)
    return v->overlay;
  Server *s = v->server;
  for (size_t i = s->buffer_count; i-- > 0;) {
    if (s->buffers[i]->vault == v && s->buffers[i]->parsed)
      return s->buffers[i];
  }
  return NULL;
}

// Brings the ledger of `v` up to date and re-annotates every buffer in it. `changed` is the
// one buffer whose text changed (NULL: anything may have changed).
void host_vault_update(ServerVault *v, bool force, ServerBuffer *changed) {
  if (!v->ready)
    return;
  uint64_t t0 = uv_hrtime();
  bool current = changed && v->has_ledger && v->overlay == changed &&
                 host_note_names(&changed->note) == v->overlay_names;
  if (!current && host_vault_ledger(v, changed ? changed : workspace_overlay_for(v)) != 0) {
    kith_log("vault %s: out of memory computing the ledger", v->root);
    return;
  }
  if (v->overlay) {
    // Its wiki links, resolved against the names of the whole vault (its own included).
    kith_resolution_free(&v->overlay_links);
    if (kith_ledger_resolve(&v->ledger, v->overlay_index, v->overlay->rel, &v->overlay->note,
                            &v->overlay_links) != 0)
      kith_log("vault %s: out of memory resolving links", v->root);
  }
  Server *s = v->server;
  for (size_t i = 0; i < s->buffer_count; i++) {
    ServerBuffer *b = s->buffers[i];
    if (b->vault != v)
      continue;
    if (!host_buffer_current(b)) {
      // Its note is of an older text: annotated when the parse of the current one is done.
      b->force |= force;
      continue;
    }
    host_annotate(b, force || b->force);
    b->force = false;
  }
  host_people_counts(v);
  if (s->verbose) // per update (see reparse.c)
    kith_log("vault %s: ledger and annotations in %.2f ms", v->root, (uv_hrtime() - t0) / 1e6);
}

// --- vaults: the index -----------------------------------------------------------------

static void workspace_vault_work(uv_work_t *req) {
  ServerVault *v = req->data;
  KithDay today = v->loading.today; // set before the work was queued
  int rc = v->load_cached ? kith_index_load_cached(&v->loading, v->root, today, 0, &v->load_error)
                          : kith_index_load(&v->loading, v->root, today, 0, &v->load_error);
  if (rc != 0)
    memset(&v->loading, 0, sizeof v->loading);
}

static void workspace_load(ServerVault *v);

static void workspace_vault_done(uv_work_t *req, int status) {
  ServerVault *v = req->data;
  Server *s = v->server;
  v->indexing = false;
  uv_timer_stop(&v->progress);
  if (status != 0 || v->load_error) {
    kith_log("vault %s: %s", v->root, v->load_error ? v->load_error : "index cancelled");
    char msg[512];
    snprintf(msg, sizeof msg, "kith: %s", v->load_error ? v->load_error : "cannot index");
    if (!s->closing)
      host_message(s, msg);
    free(v->load_error);
    v->load_error = NULL;
    return;
  }
  kith_index_free(&v->index);
  v->index = v->loading;
  memset(&v->loading, 0, sizeof v->loading);
  v->ready = true;
  if (s->closing)
    return;
  if (v->reload) {
    v->reload = false;
    workspace_load(v); // the settings changed while this one loaded
  }
  host_watch(v);
  host_vault_update(v, true, NULL);
  uint64_t took = host_now_ms(s) - v->load_started;
  kith_log("vault %s: %zu notes, %zu contacts in %llu ms (%zu notes from the cache)", v->root,
           v->index.vault.count, v->ledger.count, (unsigned long long)took, v->index.cached);
  if (v->progress_shown) {
    char msg[256];
    snprintf(msg, sizeof msg, "kith: %zu notes, %zu contacts", v->index.vault.count,
             v->ledger.count);
    host_message(s, msg);
  }
}

// Queues the load of `v`'s index on the thread pool (the old one serves meanwhile).
static void workspace_load(ServerVault *v) {
  Server *s = v->server;
  v->indexing = true;
  v->load_started = host_now_ms(s);
  v->loading.today = s->options.today;
  v->load_cached = s->cache;
  if (uv_queue_work(s->loop, &v->work, workspace_vault_work, workspace_vault_done) != 0) {
    v->indexing = false;
    kith_log("vault %s: cannot queue the index", v->root);
  }
}

void host_vault_reload(ServerVault *v) {
  Server *s = v->server;
  KithSettings fresh;
  if (kith_settings_read(&fresh, v->root) != 0) {
    kith_log("vault %s: out of memory reading its settings", v->root);
    return;
  }
  if (kith_settings_same(&fresh, &v->settings)) {
    kith_settings_free(&fresh); // written again as it was (or read already)
    return;
  }
  kith_settings_free(&v->settings);
  v->settings = fresh;
  kith_log("vault %s: its settings changed; reading what they affect", v->root);
  for (size_t i = 0; i < s->buffer_count; i++) {
    ServerBuffer *b = s->buffers[i];
    if (b->vault == v && b->synced) {
      host_buffer_changed(b); // its note was parsed with the old settings
      host_schedule(b, 0);
    }
  }
  if (v->indexing)
    v->reload = true; // the load running read the old ones: load again when it is done
  else
    workspace_load(v);
}

static void workspace_on_progress(uv_timer_t *timer) {
  ServerVault *v = timer->data;
  if (!v->indexing)
    return;
  v->progress_shown = true;
  host_message(v->server, "kith: indexing notes…");
}

ServerVault *host_vault(Server *s, const char *root) {
  for (size_t i = 0; i < s->vault_count; i++) {
    if (strcmp(s->vaults[i]->root, root) == 0)
      return s->vaults[i];
  }
  ServerVault **grown = realloc(s->vaults, (s->vault_count + 1) * sizeof *grown);
  if (!grown)
    return NULL;
  s->vaults = grown;
  ServerVault *v = calloc(1, sizeof *v);
  if (!v || !(v->root = strdup(root))) {
    free(v);
    return NULL;
  }
  v->server = s;
  if (kith_settings_read(&v->settings, root) != 0) {
    free(v->root);
    free(v);
    return NULL;
  }
  uv_timer_init(s->loop, &v->progress);
  host_watch_init(v);
  v->progress.data = v;
  v->work.data = v;
  s->vaults[s->vault_count++] = v;
  uv_timer_start(&v->progress, workspace_on_progress, 1000, 0);
  workspace_load(v);
  return v;
}

void host_vault_close(ServerVault *v) {
  host_watch_close(v);
  uv_close((uv_handle_t *)&v->progress, NULL);
}

const KithSettings *host_vault_settings(const ServerVault *v) {
  return v ? &v->settings : kith_settings_defaults();
}

void host_vault_options(const ServerVault *v, KithLedgerOptions *options) {
  const Server *s = v->server;
  *options = s->options;
  if (!s->has_dormant_days)
    options->dormant_days = v->settings.dormant_days;
  if (!s->has_accept_help_after)
    options->accept_help_after = v->settings.accept_help_after;
}

KithAnnotationStyle host_vault_style(const ServerVault *v) {
  const Server *s = v->server;
  return (KithAnnotationStyle){s->ascii, s->due, v->settings.due_days};
}

void host_vault_free(ServerVault *v) {
  kith_settings_free(&v->settings);
  kith_index_free(&v->index);
  kith_index_free(&v->loading);
  if (v->has_ledger)
    kith_ledger_free(&v->ledger);
  kith_resolution_free(&v->overlay_links);
  for (size_t k = 0; k < v->changed_count; k++)
    free(v->changed[k]);
  free(v->changed);
  free(v->watchers);
  free(v->root);
  free(v);
}
