// Reports of a vault for the plugin's commands (:Kith report, :Kith graph), over its notes with
// the open buffers' text. Like the other requests they run on the loop and answer at once.

#include <stdlib.h>
#include <string.h>

#include "host/host.h"
#include "ledger/activity.h"
#include "ledger/agenda.h"
#include "ledger/graph.h"
#include "ledger/html.h"

// The vault's name for a page's title: the last component of its root.
static const char *reports_vault_name(const ServerVault *v) {
  const char *name = strrchr(v->root, '/');
  return name && name[1] ? name + 1 : v->root;
}

// kith_report [vault, by|nil, format|nil, width|nil] -> `kith report` over the vault with its
// open buffers' text, as a string: the text table (format "text", the default, fitting `width`
// columns, 0: any), "json", "csv" or "html" (the page; the plugin writes it where it wants).
// The 12 periods (by: "week", "month" (default), "quarter" or "year") ending today.
int host_h_report(void *ctx, const msgpack_object *params, msgpack_packer *result, char **error) {
  Server *s = ctx;
  if (!result)
    return host_fail(error, "kith_report is a request");
  ServerVault *v = host_request_vault(s, params, 0, error);
  if (!v)
    return -1;
  char *by = NULL, *format = NULL;
  int64_t width = KITH_ACTIVITY_WIDTH;
  KithActivityOptions options = {.end = s->options.today};
  KithPeriodUnit unit = KITH_PERIOD_MONTH;
  host_param_str(params, 1, &by);
  host_param_str(params, 2, &format);
  if (params->via.array.size > 3 && !host_param_int(params, 3, &width))
    width = KITH_ACTIVITY_WIDTH;
  bool known = !format || strcmp(format, "text") == 0 || strcmp(format, "json") == 0 ||
               strcmp(format, "csv") == 0 || strcmp(format, "html") == 0;
  int bad = by && kith_period_unit_parse(by, &unit) != 0;
  char f = format ? format[0] : 't';
  free(by);
  free(format);
  if (bad)
    return host_fail(error, "kith: a report is by week, month, quarter or year");
  if (!known)
    return host_fail(error, "kith: a report's format is text, json, csv or html");
  if (width < 0 || width > 100000)
    width = KITH_ACTIVITY_WIDTH;
  kith_periods_make(&options.periods, unit, false, 0, options.end);
  ServerSet set = {0};
  KithActivity activity = {0};
  KithAgenda agenda = {0};
  KithGraph graph = {0};
  KithBuf out = KITH_BUF_INIT;
  int rc = -1;
  if (host_request_fresh(v) != 0 || host_vault_set(v, &set, NULL) != 0) {
    host_fail(error, "kith: out of memory");
    goto done;
  }
  KithNoteSet notes = {set.paths, set.notes, set.count};
  rc = kith_activity_build(&activity, &v->ledger, &notes, &options);
  if (rc == 0 && f == 'h') {
    rc = kith_agenda_build(&agenda, &v->ledger, v->settings.due_days, v->settings.dates_days);
    if (rc == 0)
      rc = kith_graph_build(&graph, &v->ledger, &notes);
    if (rc == 0)
      rc = kith_html_report(&out, &activity, &agenda, &graph, reports_vault_name(v));
  } else if (rc == 0) {
    rc = f == 'j'   ? kith_activity_json(&out, &activity)
         : f == 'c' ? kith_activity_csv(&out, &activity)
                    : kith_activity_text(&out, &activity, (size_t)width);
  }
  if (rc != 0) {
    host_fail(error, "kith: out of memory");
    goto done;
  }
  kith_rpc_pack_bytes(result, out.data, out.len);
done:
  kith_buf_free(&out);
  kith_agenda_free(&agenda);
  kith_graph_free(&graph);
  kith_activity_free(&activity);
  host_set_free(&set);
  return rc;
}

// kith_graph [vault, format|nil] -> `kith graph` over the vault with its open buffers' text, as a
// string: "json" (the default), "dot", "text", or "html" (a page that draws the network, as the
// report's section; the plugin writes it to a file and opens it).
int host_h_graph(void *ctx, const msgpack_object *params, msgpack_packer *result, char **error) {
  Server *s = ctx;
  if (!result)
    return host_fail(error, "kith_graph is a request");
  ServerVault *v = host_request_vault(s, params, 0, error);
  if (!v)
    return -1;
  char *format = NULL;
  host_param_str(params, 1, &format);
  char f = format ? format[0] : 'j';
  bool known = !format || strcmp(format, "json") == 0 || strcmp(format, "dot") == 0 ||
               strcmp(format, "text") == 0 || strcmp(format, "html") == 0;
  free(format);
  if (!known)
    return host_fail(error, "kith: a graph's format is json, dot, text or html");
  ServerSet set = {0};
  KithGraph graph = {0};
  KithBuf out = KITH_BUF_INIT;
  int rc = -1;
  if (host_request_fresh(v) != 0 || host_vault_set(v, &set, NULL) != 0) {
    host_fail(error, "kith: out of memory");
    goto done;
  }
  KithNoteSet notes = {set.paths, set.notes, set.count};
  rc = kith_graph_build(&graph, &v->ledger, &notes); // fresh: the ledger has no overlay
  if (rc == 0)
    rc = f == 'd'   ? kith_graph_dot(&out, &graph)
         : f == 't' ? kith_graph_text(&out, &graph)
         : f == 'h' ? kith_html_network_page(&out, &graph, reports_vault_name(v))
                    : kith_graph_json(&out, &graph);
  if (rc != 0) {
    host_fail(error, "kith: out of memory");
    goto done;
  }
  kith_rpc_pack_bytes(result, out.data, out.len);
done:
  kith_buf_free(&out);
  kith_graph_free(&graph);
  host_set_free(&set);
  return rc;
}
