// A vault's settings as the editor shows them (SPEC §1 v3, §5): `kith_settings` answers with
// each setting's value and where it came from (the default, `.kith`, Obsidian's files, or an
// editor option), and the diagnostics of `.kith` for its buffer; asked after `.kith` was
// written, it reads the settings again first, so that they take effect at once.

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "host/host.h"

// Appends `[a, b]`.
static void settings_list(KithBuf *out, const KithStrings *list) {
  kith_buf_putc(out, '[');
  for (size_t i = 0; i < list->count; i++)
    kith_buf_printf(out, "%s%s", i ? ", " : "", list->items[i]);
  kith_buf_putc(out, ']');
}

// Packs one setting: {name, value, origin}.
static void settings_pack_one(msgpack_packer *pk, KithSettingKey key, const char *value,
                              KithSettingOrigin origin) {
  msgpack_pack_map(pk, 3);
  kith_rpc_pack_str(pk, "name");
  kith_rpc_pack_str(pk, kith_settings_name(key));
  kith_rpc_pack_str(pk, "value");
  kith_rpc_pack_str(pk, value);
  kith_rpc_pack_str(pk, "origin");
  kith_rpc_pack_str(pk, kith_settings_origin_name(origin));
}

// Packs the settings `st` of a vault, with the editor's options where the user gave them.
static void settings_pack(msgpack_packer *pk, const Server *s, const KithSettings *st) {
  msgpack_pack_array(pk, KITH_SETTING_COUNT);
  KithBuf value = KITH_BUF_INIT;
  for (int k = 0; k < KITH_SETTING_COUNT; k++) {
    KithSettingOrigin origin = st->origin[k];
    value.len = 0;
    kith_buf_puts(&value, "");
    switch ((KithSettingKey)k) {
    case KITH_SETTING_CONTACT_FOLDERS:
      settings_list(&value, &st->folders);
      break;
    case KITH_SETTING_CONTACT_TAGS:
      settings_list(&value, &st->tags);
      break;
    case KITH_SETTING_CONTACT_PROPERTIES:
      kith_buf_putc(&value, '{');
      for (size_t i = 0; i < st->property_count; i++) {
        kith_buf_printf(&value, "%s%s: ", i ? ", " : "", st->properties[i].name);
        settings_list(&value, &st->properties[i].values);
      }
      kith_buf_putc(&value, '}');
      break;
    case KITH_SETTING_MEETING_PEOPLE:
      settings_list(&value, &st->people);
      break;
    case KITH_SETTING_MEETING_DATE:
      settings_list(&value, &st->dates);
      break;
    case KITH_SETTING_IGNORE:
      settings_list(&value, &st->ignore);
      break;
    case KITH_SETTING_DORMANT_DAYS:
      kith_buf_printf(&value, "%d",
                      s->has_dormant_days ? s->options.dormant_days : st->dormant_days);
      origin = s->has_dormant_days ? KITH_FROM_OPTION : origin;
      break;
    case KITH_SETTING_ACCEPT_HELP_AFTER:
      kith_buf_printf(&value, "%d",
                      s->has_accept_help_after ? s->options.accept_help_after
                                               : st->accept_help_after);
      origin = s->has_accept_help_after ? KITH_FROM_OPTION : origin;
      break;
    case KITH_SETTING_DUE_DAYS:
      kith_buf_printf(&value, "%d", st->due_days);
      break;
    case KITH_SETTING_DATES_DAYS:
      kith_buf_printf(&value, "%d", st->dates_days);
      break;
    default:
      break;
    }
    settings_pack_one(pk, (KithSettingKey)k, value.data ? value.data : "", origin);
  }
  kith_buf_free(&value);
}

// kith_settings [root, reload]: the settings of the vault at `root`. The vault need not be
// followed (a `.kith` buffer may be open alone); when it is and `reload` is true, the settings
// are read again first and what they affect with them (host_vault_reload).
int host_h_settings(void *ctx, const msgpack_object *params, msgpack_packer *result, char **error) {
  Server *s = ctx;
  if (!result)
    return host_fail(error, "kith_settings is a request");
  char *root = NULL;
  if (!host_param_str(params, 0, &root))
    return host_fail(error, "kith_settings: expected a vault path");
  size_t n = strlen(root);
  while (n > 1 && root[n - 1] == '/')
    root[--n] = '\0';
  bool reload = params->via.array.size > 1 &&
                params->via.array.ptr[1].type == MSGPACK_OBJECT_BOOLEAN &&
                params->via.array.ptr[1].via.boolean;
  ServerVault *v = NULL;
  for (size_t k = 0; k < s->vault_count; k++) {
    if (strcmp(s->vaults[k]->root, root) == 0)
      v = s->vaults[k];
  }
  KithSettings read = {0};
  const KithSettings *st;
  if (v) {
    if (reload)
      host_vault_reload(v);
    st = &v->settings;
  } else if (kith_settings_read(&read, root) == 0) {
    st = &read;
  } else {
    free(root);
    return host_fail(error, "kith: out of memory");
  }
  msgpack_pack_map(result, 5);
  kith_rpc_pack_str(result, "root");
  kith_rpc_pack_str(result, root);
  kith_rpc_pack_str(result, "followed");
  kith_rpc_pack_bool(result, v != NULL);
  kith_rpc_pack_str(result, "file");
  kith_rpc_pack_bool(result, st->has_file);
  kith_rpc_pack_str(result, "settings");
  settings_pack(result, s, st);
  kith_rpc_pack_str(result, "diagnostics");
  msgpack_pack_array(result, st->note.diagnostic_count);
  for (uint32_t i = 0; i < st->note.diagnostic_count; i++) {
    const KithDiagnostic *d = &st->note.diagnostics[i];
    msgpack_pack_map(result, 4);
    kith_rpc_pack_str(result, "line");
    msgpack_pack_uint32(result, d->line);
    kith_rpc_pack_str(result, "column");
    msgpack_pack_uint32(result, d->column);
    kith_rpc_pack_str(result, "severity");
    kith_rpc_pack_str(result, kith_severity_name(d->severity));
    kith_rpc_pack_str(result, "message");
    kith_rpc_pack_str(result, kith_note_str(&st->note, d->message));
  }
  kith_settings_free(&read);
  free(root);
  return 0;
}
