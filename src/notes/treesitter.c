#include "notes/treesitter.h"

uint32_t kith_ts_language_abi(const TSLanguage *language) {
#ifdef KITH_TS_HAVE_ABI_VERSION
  return ts_language_abi_version(language);
#else
  return ts_language_version(language);
#endif
}

uint32_t kith_ts_abi_min(void) {
  return TREE_SITTER_MIN_COMPATIBLE_LANGUAGE_VERSION;
}

uint32_t kith_ts_abi_max(void) {
  return TREE_SITTER_LANGUAGE_VERSION;
}

#ifdef KITH_TS_HAVE_PARSE_OPTIONS
typedef struct {
  const char *text;
  uint32_t len;
} TsString;

static const char *ts_string_read(void *payload, uint32_t byte, TSPoint position,
                                  uint32_t *bytes_read) {
  (void)position;
  const TsString *s = payload;
  *bytes_read = byte < s->len ? s->len - byte : 0;
  return byte < s->len ? s->text + byte : "";
}

// Called by tree-sitter as the parse goes on: true stops it.
static bool ts_cancelled(TSParseState *state) {
  const size_t *cancel = state->payload;
  return __atomic_load_n(cancel, __ATOMIC_RELAXED) != 0;
}
#endif

TSTree *kith_ts_parse(TSParser *parser, const TSTree *old_tree, const char *text, uint32_t len,
                      const size_t *cancel) {
  TSTree *tree;
#ifdef KITH_TS_HAVE_PARSE_OPTIONS
  if (cancel) {
    TsString s = {text, len};
    TSInput input = {.payload = &s, .read = ts_string_read, .encoding = TSInputEncodingUTF8};
    TSParseOptions options = {.payload = (void *)cancel, .progress_callback = ts_cancelled};
    tree = ts_parser_parse_with_options(parser, old_tree, input, options);
  } else {
    tree = ts_parser_parse_string(parser, old_tree, text, len);
  }
#else
  ts_parser_set_cancellation_flag(parser, cancel);
  tree = ts_parser_parse_string(parser, old_tree, text, len);
  ts_parser_set_cancellation_flag(parser, NULL);
#endif
  if (!tree)
    ts_parser_reset(parser); // stopped: never resume it
  return tree;
}
