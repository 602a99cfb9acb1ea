#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "base/log.h"
#include "host/host.h"
#include "ledger/report.h"

// Annotations: one end-of-line extmark per contact heading plus the buffer's diagnostics,
// packed into one nvim_exec_lua request per buffer update. Each heading also carries its
// section's last row and its handle (the statusline's contact at the cursor).

static const char annotate_apply_lua[] = "return require('kith.view').apply(...)";

// --- annotations ---------------------------------------------------------------------------

static void annotate_on_applied(void *data, const msgpack_object *error,
                                const msgpack_object *result) {
  ServerApply *a = data;
  ServerBuffer *b = a->server ? host_buffer(a->server, a->id) : NULL;
  bool applied = error && error->type == MSGPACK_OBJECT_NIL && result &&
                 result->type == MSGPACK_OBJECT_BOOLEAN && result->via.boolean;
  if (a->server && a->server->verbose)
    kith_log("buffer %lld: annotations %s", (long long)a->id, applied ? "applied" : "stale");
  if (b && applied) {
    free(b->sent);
    b->sent = a->key;
    a->key = NULL;
  }
  // Stale: Lua answers with the buffer's changedtick. Every text change before that answer
  // sent its lines event ahead of it on the channel, so a tick we still have not seen changed
  // without a text change (:saveas, :write, ...): take it and send the update again.
  int64_t tick;
  if (b && !applied && error && error->type == MSGPACK_OBJECT_NIL && result &&
      kith_rpc_int(result, &tick) && tick != b->tick) {
    b->tick = tick;
    b->force = true;
    host_schedule(b, 0);
  }
  free(a->key);
  free(a);
}

// Adds the sparkline of `c` to its annotation's `parts` (`*n` of them, room for two more): after
// the numbers, before the hint. Nothing for a contact without numbers or without activity in
// the months kept.
static void annotate_sparkline(KithAnnotationPart *parts, size_t *n, const KithContact *c,
                               bool ascii) {
  char line[KITH_SPARKLINE_SIZE];
  if (*n == 0 || parts[0].kind != KITH_PART_GAVE || !kith_report_sparkline(line, c, ascii))
    return;
  size_t at = parts[*n - 1].kind == KITH_PART_HINT ? *n - 1 : *n;
  memmove(&parts[at + 2], &parts[at], (*n - at) * sizeof *parts);
  parts[at].kind = KITH_PART_BALANCE;
  snprintf(parts[at].text, sizeof parts->text, " ");
  parts[at + 1].kind = KITH_PART_SPARKLINE;
  snprintf(parts[at + 1].text, sizeof parts->text, "%s", line);
  *n += 2;
}

// Packs the virtual text chunks of one annotation, [[text, hl], ...], and appends its text to
// `key`.
static void annotate_pack_chunks(msgpack_packer *pk, KithBuf *key, const KithContact *c,
                                 const KithAnnotationStyle *style, bool sparkline) {
  static const char *const groups[] = {
      [KITH_PART_GAVE] = "KithGive",           [KITH_PART_GOT] = "KithReceive",
      [KITH_PART_BALANCE] = "KithBalance",     [KITH_PART_HINT] = "KithHint",
      [KITH_PART_SPARKLINE] = "KithSparkline",
  };
  KithAnnotationPart parts[KITH_ANNOTATION_PARTS + 2];
  size_t n = kith_report_annotation_parts(c, style, parts);
  if (sparkline)
    annotate_sparkline(parts, &n, c, style->ascii);
  msgpack_pack_array(pk, n);
  for (size_t i = 0; i < n; i++) {
    const char *group = groups[parts[i].kind];
    if (parts[i].kind == KITH_PART_HINT && c->status == KITH_STATUS_DORMANT)
      group = "KithDormant";
    else if (parts[i].kind == KITH_PART_HINT && c->status == KITH_STATUS_OVERDUE)
      group = "KithOverdue";
    msgpack_pack_array(pk, 2);
    kith_rpc_pack_str(pk, parts[i].text);
    kith_rpc_pack_str(pk, group);
    kith_buf_puts(key, parts[i].text);
  }
  kith_buf_putc(key, '\n');
}

// Sends buffer `b` its annotations and diagnostics, unless Neovim already shows exactly these.
void host_annotate(ServerBuffer *b, bool force) {
  Server *s = b->server;
  ServerVault *v = b->vault;
  if (!b->parsed || !v->ready || !v->has_ledger)
    return;
  // First the key (what would be shown), to skip redundant updates.
  KithBuf key = KITH_BUF_INIT;
  msgpack_sbuffer marks;
  msgpack_sbuffer_init(&marks);
  msgpack_packer pk;
  msgpack_packer_init(&pk, &marks, msgpack_sbuffer_write);
  KithAnnotationStyle style = host_vault_style(v);
  msgpack_pack_array(&pk, b->note.heading_count);
  for (uint32_t i = 0; i < b->note.heading_count; i++) {
    const KithHeading *h = &b->note.headings[i];
    KithContact tmp;
    const char *handle = kith_note_str(&b->note, h->handle);
    const KithContact *c = host_contact(v, handle, &tmp);
    kith_buf_printf(&key, "%u-%u@%s:", h->line - 1, h->end_line - 1, handle);
    msgpack_pack_array(&pk, 4);
    msgpack_pack_uint32(&pk, h->line - 1);
    if (c) {
      annotate_pack_chunks(&pk, &key, c, &style, s->sparkline);
    } else {
      msgpack_pack_array(&pk, 0);
      kith_buf_puts(&key, "\n");
    }
    // The section's last row and the handle: what the statusline needs to name the contact at
    // the cursor without asking (lua/kith/status.lua).
    msgpack_pack_uint32(&pk, h->end_line - 1);
    kith_rpc_pack_str(&pk, handle);
  }
  // Its diagnostics, and those that need the whole vault's names (ambiguous links, shared
  // names): the overlay's resolved now, any other buffer's from the ledger.
  const KithResolution *r = v->overlay == b ? &v->overlay_links : &v->ledger.resolution;
  uint32_t index = v->overlay == b ? v->overlay_index : b->ledger_index;
  size_t extra = 0;
  const KithLedgerDiagnostic *more =
      index != UINT32_MAX ? kith_resolution_diagnostics(r, index, &extra) : NULL;
  msgpack_pack_array(&pk, b->note.diagnostic_count + extra);
  for (uint32_t i = 0; i < b->note.diagnostic_count + extra; i++) {
    bool own = i < b->note.diagnostic_count;
    const KithDiagnostic *d =
        own ? &b->note.diagnostics[i] : &more[i - b->note.diagnostic_count].at;
    const char *msg =
        own ? kith_note_str(&b->note, d->message) : kith_resolution_str(r, d->message);
    kith_buf_printf(&key, "d%u:%u:%d:%s\n", d->line, d->column, (int)d->severity, msg);
    msgpack_pack_array(&pk, 4);
    msgpack_pack_uint32(&pk, d->line - 1);
    msgpack_pack_uint32(&pk, d->column - 1);
    msgpack_pack_int(&pk, (int)d->severity);
    kith_rpc_pack_str(&pk, msg);
  }
  char *k = kith_buf_take(&key);
  if (!force && b->sent && k && strcmp(b->sent, k) == 0) {
    free(k);
    msgpack_sbuffer_destroy(&marks);
    return;
  }
  ServerApply *a = malloc(sizeof *a);
  if (!a || !k) {
    free(a);
    free(k);
    msgpack_sbuffer_destroy(&marks);
    return;
  }
  *a = (ServerApply){s, b->id, k};
  msgpack_packer *out = kith_rpc_begin(s->rpc, "nvim_exec_lua", false, annotate_on_applied, a);
  msgpack_pack_array(out, 2);
  kith_rpc_pack_str(out, annotate_apply_lua);
  msgpack_pack_array(out, 4);
  msgpack_pack_int64(out, b->id);
  msgpack_pack_int64(out, b->tick);
  // marks and diagnostics were packed back to back into `marks`
  msgpack_sbuffer_write(out->data, marks.data, marks.size);
  kith_rpc_end(s->rpc);
  msgpack_sbuffer_destroy(&marks);
}
