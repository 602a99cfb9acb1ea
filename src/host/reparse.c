#include <stdlib.h>
#include <string.h>

#include "base/log.h"
#include "host/host.h"

// Parsing buffers. After an edit (and the debounce) a buffer's text is parsed on libuv's
// thread pool, so the loop keeps answering requests and annotating other buffers meanwhile.
//
// - The worker parses a copy of the text and a copy of the tree (ts_tree_copy: a tree must
//   not be used on two threads), so the loop goes on applying lines events to the mirror
//   and editing its own tree while the parse runs.
// - Every text change bumps the buffer's generation. A parse result is installed only when
//   the text is still the one it parsed; an older one is dropped (a newer edit supersedes
//   it: the edit stops it through kith_parser_set_cancel's flag, and the buffer is parsed
//   again once its debounce timer fires). One parse per buffer runs at a time.
// - A request that needs the buffer's current note (host_buffer_parse) waits for the
//   parse of the current text if one is running, else parses on the loop.

struct ServerParse {
  uv_work_t work;
  Server *server;
  ServerBuffer *buffer; // NULL once the buffer is gone or the result was taken
  int64_t id;           // the buffer's (for the log)
  bool verbose;
  uint64_t generation;   // of the text copied
  KithParser *parser;    // one of the server's spares while the job runs
  size_t cancel;         // non-zero: stop (read by tree-sitter on the worker)
  char *rel;             // the buffer's path in its vault, for the parse context (owned)
  KithDay today;         // for the parse context
  KithSettings settings; // the vault's, copied: the vault may read new ones meanwhile
  char *text;            // the copy (owned; freed by the worker once parsed)
  size_t len;
  TSTree *old_tree; // copy of the mirror's tree (owned; freed by the worker)
  TSTree *tree;     // the result's tree (owned until installed; may be NULL)
  KithNote note;    // the result (owned until installed)
  uint64_t took_ns;
  uv_mutex_t lock;
  uv_cond_t done_cond;
  bool finished; // the worker is done with everything but the loop's callback
};

// --- the parsers workers use ---------------------------------------------------------------

KithParser *host_parser_take(Server *s) {
  if (s->spare_count > 0)
    return s->spares[--s->spare_count];
  return kith_parser_new(NULL);
}

void host_parser_give(Server *s, KithParser *parser) {
  kith_parser_set_cancel(parser, NULL);
  if (s->spare_count == sizeof s->spares / sizeof *s->spares) {
    kith_parser_free(parser);
    return;
  }
  s->spares[s->spare_count++] = parser;
}

void host_parsers_free(Server *s) {
  while (s->spare_count > 0)
    kith_parser_free(s->spares[--s->spare_count]);
}

// --- installing a result -------------------------------------------------------------------

// Makes `note` (taken) and `tree` (taken; NULL when the note was parsed in pieces) the buffer's,
// as parsed from text generation `generation`.
static void reparse_install(ServerBuffer *b, KithNote *note, TSTree *tree, uint64_t generation) {
  kith_note_free(&b->note);
  b->note = *note;
  kith_note_init(note);
  kith_mirror_set_tree(&b->mirror, tree);
  b->parsed = true;
  b->note_generation = generation;
}

bool host_buffer_current(const ServerBuffer *b) {
  return b->note_generation == b->generation;
}

static void reparse_stop(ServerParse *job) {
  __atomic_store_n(&job->cancel, 1, __ATOMIC_RELAXED);
}

// --- on the thread pool --------------------------------------------------------------------

static void reparse_work(uv_work_t *req) {
  ServerParse *job = req->data;
  uint64_t t0 = uv_hrtime();
  if (job->verbose)
    kith_log("buffer %lld: parse started on the thread pool", (long long)job->id);
  if (memchr(job->text, '\0', job->len)) {
    kith_note_add_diagnostic(&job->note, 1, 1, KITH_SEVERITY_WARNING, "binary file skipped");
  } else {
    KithParseContext context = {job->rel, job->today, &job->settings};
    kith_parser_parse_mutable(job->parser, &context, job->text, job->len, job->old_tree, &job->tree,
                              &job->note);
  }
  job->took_ns = uv_hrtime() - t0;
  free(job->text);
  job->text = NULL;
  if (job->old_tree)
    ts_tree_delete(job->old_tree);
  job->old_tree = NULL;
  uv_mutex_lock(&job->lock);
  job->finished = true;
  uv_cond_signal(&job->done_cond);
  uv_mutex_unlock(&job->lock);
}

static void reparse_free(ServerParse *job) {
  kith_note_free(&job->note);
  if (job->tree)
    ts_tree_delete(job->tree);
  free(job->text);
  free(job->rel);
  kith_settings_free(&job->settings);
  if (job->old_tree)
    ts_tree_delete(job->old_tree);
  uv_mutex_destroy(&job->lock);
  uv_cond_destroy(&job->done_cond);
  free(job);
}

static void reparse_done(uv_work_t *req, int status) {
  ServerParse *job = req->data;
  Server *s = job->server;
  ServerBuffer *b = job->buffer;
  host_parser_give(s, job->parser);
  if (b)
    b->parsing = NULL;
  bool stopped = status != 0 || job->cancel;
  bool wanted = b && !stopped && job->generation == b->generation && !host_buffer_current(b);
  if (b && s->verbose) // per update: only with $KITH_VERBOSE (Neovim reads our stderr)
    kith_log("buffer %lld: parsed %zu bytes in %.2f ms on the thread pool%s", (long long)b->id,
             job->len, job->took_ns / 1e6, wanted ? "" : " (superseded)");
  if (wanted) {
    reparse_install(b, &job->note, job->tree, job->generation);
    job->tree = NULL;
  }
  reparse_free(job);
  if (!b || s->closing)
    return;
  if (wanted) {
    host_vault_update(b->vault, false, b);
  } else if (!host_buffer_current(b) && !uv_is_active((uv_handle_t *)&b->timer)) {
    host_buffer_parse_later(b); // the text moved on while this parse ran
  }
}

// --- on the loop ---------------------------------------------------------------------------

void host_buffer_parse_later(ServerBuffer *b) {
  Server *s = b->server;
  if (b->parsing || host_buffer_current(b))
    return; // when it is done, the running parse looks at the buffer again
  KithMirror *m = &b->mirror;
  ServerParse *job = calloc(1, sizeof *job);
  if (!job)
    goto fail;
  job->server = s;
  job->buffer = b;
  job->id = b->id;
  job->verbose = s->verbose;
  job->generation = b->generation;
  job->len = m->len;
  kith_note_init(&job->note);
  job->work.data = job;
  if (uv_mutex_init(&job->lock) != 0) {
    free(job);
    goto fail;
  }
  if (uv_cond_init(&job->done_cond) != 0) {
    uv_mutex_destroy(&job->lock);
    free(job);
    goto fail;
  }
  job->text = malloc(m->len + 1);
  job->rel = strdup(b->rel);
  job->today = s->options.today;
  job->parser = host_parser_take(s);
  if (!job->text || !job->rel || !job->parser ||
      kith_settings_copy(&job->settings, host_vault_settings(b->vault)) != 0)
    goto fail_job;
  memcpy(job->text, m->text ? m->text : "", m->len);
  job->text[m->len] = '\0';
  job->old_tree = m->tree ? ts_tree_copy(m->tree) : NULL;
  kith_parser_set_cancel(job->parser, &job->cancel);
  if (uv_queue_work(s->loop, &job->work, reparse_work, reparse_done) != 0)
    goto fail_job;
  b->parsing = job;
  if (s->verbose)
    kith_log("buffer %lld: parsing %zu bytes on the thread pool", (long long)b->id, job->len);
  return;

fail_job:
  if (job->parser)
    host_parser_give(s, job->parser);
  reparse_free(job);
fail:
  kith_log("buffer %lld: cannot parse on the thread pool; parsing on the loop", (long long)b->id);
  host_buffer_parse(b);
  host_vault_update(b->vault, false, b);
}

void host_buffer_parse(ServerBuffer *b) {
  if (host_buffer_current(b))
    return;
  Server *s = b->server;
  ServerParse *job = b->parsing;
  if (job && uv_cancel((uv_req_t *)&job->work) == 0) {
    // It had not started (the pool is busy): let it go and parse here.
    job->buffer = NULL;
    b->parsing = NULL;
    job = NULL;
  }
  if (job && job->generation == b->generation) {
    // The current text is being parsed: wait for it, then take its result here.
    uint64_t t0 = uv_hrtime();
    uv_mutex_lock(&job->lock);
    while (!job->finished)
      uv_cond_wait(&job->done_cond, &job->lock);
    uv_mutex_unlock(&job->lock);
    job->buffer = NULL; // its callback only frees it now
    b->parsing = NULL;
    if (!job->cancel) {
      reparse_install(b, &job->note, job->tree, job->generation);
      job->tree = NULL;
      if (s->verbose)
        kith_log("buffer %lld: waited %.2f ms for its parse", (long long)b->id,
                 (uv_hrtime() - t0) / 1e6);
      host_schedule(b, 0); // its annotations, as the parse's callback would have
      return;
    }
  } else if (job) {
    reparse_stop(job); // an older text: its result would be dropped
  }
  uint64_t t0 = uv_hrtime();
  KithMirror *m = &b->mirror;
  const char *text = m->text ? m->text : "";
  KithNote note;
  kith_note_init(&note);
  TSTree *tree = NULL;
  if (memchr(text, '\0', m->len))
    kith_note_add_diagnostic(&note, 1, 1, KITH_SEVERITY_WARNING, "binary file skipped");
  else
    kith_parser_parse(s->parser,
                      &(KithParseContext){b->rel, s->options.today, host_vault_settings(b->vault)},
                      text, m->len, m->tree, &tree, &note);
  reparse_install(b, &note, tree, b->generation);
  if (s->verbose)
    kith_log("buffer %lld: parsed %zu bytes in %.2f ms on the loop", (long long)b->id, m->len,
             (uv_hrtime() - t0) / 1e6);
  host_schedule(b, 0); // its annotations
}

void host_buffer_changed(ServerBuffer *b) {
  b->generation++;
  if (b->parsing)
    reparse_stop(b->parsing);
}

void host_buffer_forget_parse(ServerBuffer *b) {
  ServerParse *job = b->parsing;
  if (!job)
    return;
  b->parsing = NULL;
  job->buffer = NULL;
  reparse_stop(job);
  uv_cancel((uv_req_t *)&job->work); // not started yet: its callback comes with UV_ECANCELED
}
