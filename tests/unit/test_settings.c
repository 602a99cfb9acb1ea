// Vault settings (SPEC §1 v3): `.kith` read with libyaml over the defaults, each wrong key a
// warning at its line that keeps its default, a file that is not YAML an error at line 1 with
// every default in force; Obsidian's templates and excluded folders; the folder comparisons;
// what the cache's digest depends on.

#include "harness.h"

#include <stdio.h>
#include <stdlib.h>
#include <sys/stat.h>

#include "notes/settings.h"

static bool has(const KithStrings *list, const char *s) {
  for (size_t i = 0; i < list->count; i++) {
    if (strcmp(list->items[i], s) == 0)
      return true;
  }
  return false;
}

static const KithPropertyRule *rule(const KithSettings *s, const char *name) {
  for (size_t i = 0; i < s->property_count; i++) {
    if (strcmp(s->properties[i].name, name) == 0)
      return &s->properties[i];
  }
  return NULL;
}

static void parse(KithSettings *s, const char *text) {
  CHECK_INT(kith_settings_parse(s, text, text ? strlen(text) : 0, NULL), 0);
}

static void test_defaults(void) {
  KithSettings s;
  parse(&s, NULL);
  CHECK(!s.has_file);
  CHECK_INT(s.folders.count, 0);
  CHECK_INT(s.tags.count, 2);
  CHECK(has(&s.tags, "person") && has(&s.tags, "contact"));
  CHECK(rule(&s, "categories") && has(&rule(&s, "categories")->values, "People"));
  CHECK(rule(&s, "type") && has(&rule(&s, "type")->values, "person"));
  CHECK_INT(s.people.count, 4);
  CHECK(has(&s.people, "people") && has(&s.people, "attendees") && has(&s.people, "participants") &&
        has(&s.people, "with"));
  CHECK_INT(s.dates.count, 1);
  CHECK(has(&s.dates, "date"));
  CHECK_INT(s.ignore.count, 0);
  CHECK_INT(s.dormant_days, 90);
  CHECK_INT(s.accept_help_after, 3);
  CHECK_INT(s.due_days, 7);
  CHECK_INT(s.dates_days, 14);
  for (int k = 0; k < KITH_SETTING_COUNT; k++)
    CHECK_INT(s.origin[k], KITH_FROM_DEFAULT);
  CHECK_INT(s.note.diagnostic_count, 0);
  CHECK(s.digest == kith_settings_defaults()->digest);
  kith_settings_free(&s);
  // An empty file, or comments only: the defaults, and a file.
  parse(&s, "");
  CHECK(s.has_file);
  CHECK_INT(s.note.diagnostic_count, 0);
  CHECK_INT(s.dormant_days, 90);
  kith_settings_free(&s);
  parse(&s, "# nothing here yet\n\n");
  CHECK_INT(s.note.diagnostic_count, 0);
  CHECK(s.digest == kith_settings_defaults()->digest);
  kith_settings_free(&s);
}

static void test_every_key(void) {
  KithSettings s;
  parse(&s, "contacts:\n"
            "  folders: [People, crm/people/, ./Friends]\n"
            "  tags: ['#Person']\n"
            "  properties:\n"
            "    categories: \"[[People]]\"\n"
            "    kind: [friend, colleague]\n"
            "meetings:\n"
            "  people: [with]\n"
            "  date: [when, date]\n"
            "ignore: [Templates, Archive/old]\n"
            "dormant_days: 60\n"
            "accept_help_after: 5\n"
            "due_days: 10\n"
            "dates_days: 30\n");
  CHECK_INT(s.note.diagnostic_count, 0);
  CHECK_INT(s.folders.count, 3);
  CHECK(has(&s.folders, "People") && has(&s.folders, "crm/people") && has(&s.folders, "Friends"));
  CHECK_INT(s.tags.count, 1);
  CHECK(has(&s.tags, "person")); // without `#`, folded
  CHECK_INT(s.property_count, 2);
  CHECK(rule(&s, "categories") && has(&rule(&s, "categories")->values, "[[People]]"));
  CHECK(rule(&s, "kind") && rule(&s, "kind")->values.count == 2);
  CHECK(rule(&s, "type") == NULL); // a given key replaces its default
  CHECK_INT(s.people.count, 1);
  CHECK_INT(s.dates.count, 2);
  CHECK(has(&s.ignore, "Templates") && has(&s.ignore, "Archive/old"));
  CHECK_INT(s.dormant_days, 60);
  CHECK_INT(s.accept_help_after, 5);
  CHECK_INT(s.due_days, 10);
  CHECK_INT(s.dates_days, 30);
  for (int k = 0; k < KITH_SETTING_COUNT; k++)
    CHECK_INT(s.origin[k], KITH_FROM_FILE);
  kith_settings_free(&s);
  // `tags: []` turns the tag rule off.
  parse(&s, "contacts:\n  tags: []\n");
  CHECK_INT(s.tags.count, 0);
  CHECK_INT(s.origin[KITH_SETTING_CONTACT_TAGS], KITH_FROM_FILE);
  CHECK_INT(s.origin[KITH_SETTING_CONTACT_FOLDERS], KITH_FROM_DEFAULT);
  kith_settings_free(&s);
}

static void test_wrong_keys_warn_and_keep_their_default(void) {
  KithSettings s;
  parse(&s, "colour: blue\n"
            "contacts:\n"
            "  tags: person\n"
            "  folder: [People]\n"
            "meetings: [people]\n"
            "dormant_days: ninety\n"
            "due_days: -3\n"
            "accept_help_after: 4\n"
            "accept_help_after: 9\n");
  CHECK(harness_has_diag(&s.note, 1, 1, KITH_SEVERITY_WARNING, "unknown setting 'colour'"));
  CHECK(harness_has_diag(&s.note, 3, 3, KITH_SEVERITY_WARNING,
                         "setting 'contacts.tags' must be a list of strings"));
  CHECK(
      harness_has_diag(&s.note, 4, 3, KITH_SEVERITY_WARNING, "unknown setting 'contacts.folder'"));
  CHECK(harness_has_diag(&s.note, 5, 1, KITH_SEVERITY_WARNING, "'meetings' must be a mapping"));
  CHECK(harness_has_diag(&s.note, 6, 1, KITH_SEVERITY_WARNING,
                         "setting 'dormant_days' must be a whole number of days"));
  CHECK(harness_has_diag(&s.note, 7, 1, KITH_SEVERITY_WARNING, "'due_days' must be"));
  CHECK(harness_has_diag(&s.note, 9, 1, KITH_SEVERITY_WARNING, "given twice"));
  CHECK_INT(s.note.diagnostic_count, 7);
  CHECK_INT(s.tags.count, 2); // the defaults hold
  CHECK_INT(s.people.count, 4);
  CHECK_INT(s.dormant_days, 90);
  CHECK_INT(s.due_days, 7);
  CHECK_INT(s.accept_help_after, 4); // the first counts
  CHECK_INT(s.origin[KITH_SETTING_CONTACT_TAGS], KITH_FROM_DEFAULT);
  CHECK_INT(s.origin[KITH_SETTING_ACCEPT_HELP_AFTER], KITH_FROM_FILE);
  kith_settings_free(&s);
}

static void test_positions_as_a_buffer_counts_them(void) {
  // libyaml breaks lines at a lone CR (and NEL, LS, PS) and counts characters; a buffer shows
  // those inside a line and columns count bytes.
  KithSettings s;
  parse(&s, "due_days: 3\rcolour: x\nnamé: 1\n");
  CHECK(harness_has_diag(&s.note, 1, 13, KITH_SEVERITY_WARNING, "unknown setting 'colour'"));
  CHECK(harness_has_diag(&s.note, 2, 1, KITH_SEVERITY_WARNING, "unknown setting 'namé'"));
  CHECK_INT(s.due_days, 3);
  kith_settings_free(&s);
  parse(&s, "contacts:\n  folders: [a]\n  é: x\n  tags: 1\n");
  CHECK(harness_has_diag(&s.note, 3, 3, KITH_SEVERITY_WARNING, "unknown setting 'contacts.é'"));
  CHECK(harness_has_diag(&s.note, 4, 3, KITH_SEVERITY_WARNING, "'contacts.tags' must be a list"));
  kith_settings_free(&s);
}

static void test_not_yaml_is_an_error_and_every_default_holds(void) {
  const char *const bad[] = {
      "dormant_days: 60\ncontacts: [a\n",  // unclosed flow sequence
      "dormant_days: 60\n\tdue_days: 3\n", // a tab
      "- a list\n- not a mapping\n",       // YAML, but no mapping
      "just words\n",
  };
  for (size_t i = 0; i < sizeof bad / sizeof *bad; i++) {
    KithSettings s;
    parse(&s, bad[i]);
    CHECK_INT(s.note.diagnostic_count, 1);
    CHECK(s.note.diagnostic_count == 1 && s.note.diagnostics[0].line == 1 &&
          s.note.diagnostics[0].column == 1 &&
          s.note.diagnostics[0].severity == KITH_SEVERITY_ERROR);
    CHECK_INT(s.dormant_days, 90);
    CHECK(s.digest == kith_settings_defaults()->digest);
    kith_settings_free(&s);
  }
}

static void test_bounds(void) {
  // Too large: never handed to libyaml.
  size_t n = KITH_SETTINGS_MAX_BYTES + 10;
  char *big = malloc(n + 1);
  CHECK(big != NULL);
  memset(big, '#', n);
  big[n] = '\0';
  KithSettings s;
  parse(&s, big);
  CHECK(harness_has_diag(&s.note, 1, 1, KITH_SEVERITY_ERROR, "longer than 64 KiB"));
  kith_settings_free(&s);
  free(big);
  // Nested deeper than the bound.
  KithBuf deep = KITH_BUF_INIT;
  kith_buf_puts(&deep, "x: ");
  for (int i = 0; i < 5000; i++)
    kith_buf_putc(&deep, '[');
  parse(&s, deep.data);
  CHECK(harness_has_diag(&s.note, 1, 1, KITH_SEVERITY_ERROR, "nested deeper than 32 levels"));
  kith_settings_free(&s);
  kith_buf_free(&deep);
}

static void test_folders_compare_without_case(void) {
  KithSettings s;
  parse(&s, "contacts: {folders: [People, crm/Clients]}\nignore: [templates]\n");
  CHECK(kith_settings_below(&s.folders, "people/Jane Doe.md"));
  CHECK(kith_settings_below(&s.folders, "PEOPLE/sub/Jane.md"));
  CHECK(kith_settings_below(&s.folders, "CRM/clients/Priya.md"));
  CHECK(!kith_settings_below(&s.folders, "People.md"));
  CHECK(!kith_settings_below(&s.folders, "Peoples/x.md"));
  CHECK(!kith_settings_below(&s.folders, "crm/x.md"));
  CHECK(kith_settings_ignored(&s, "Templates"));
  CHECK(kith_settings_ignored(&s, "Templates/Meeting.md"));
  CHECK(!kith_settings_ignored(&s, "Templates2"));
  kith_settings_free(&s);
}

static void test_digest_follows_what_a_parse_reads(void) {
  KithSettings a, b;
  parse(&a, "dormant_days: 10\nignore: [x]\ndue_days: 3\n");
  CHECK(a.digest == kith_settings_defaults()->digest); // not what a note's parse depends on
  parse(&b, "contacts: {folders: [People]}\n");
  CHECK(b.digest != a.digest);
  kith_settings_free(&b);
  parse(&b, "meetings: {date: [when]}\n");
  CHECK(b.digest != a.digest);
  KithSettings c;
  CHECK_INT(kith_settings_copy(&c, &b), 0);
  CHECK(c.digest == b.digest && c.dates.count == 1 && strcmp(c.dates.items[0], "when") == 0);
  kith_settings_free(&c);
  kith_settings_free(&b);
  kith_settings_free(&a);
}

// --- files -----------------------------------------------------------------------------------

static char root[256];

static void put(const char *rel, const char *text) {
  char path[512];
  snprintf(path, sizeof path, "%s/%s", root, rel);
  for (char *p = path + strlen(root) + 1; *p; p++) {
    if (*p == '/') {
      *p = '\0';
      mkdir(path, 0755);
      *p = '/';
    }
  }
  FILE *f = fopen(path, "wb");
  CHECK(f != NULL);
  if (f) {
    fputs(text, f);
    fclose(f);
  }
}

static void test_files_and_obsidian(void) {
  snprintf(root, sizeof root, "/tmp/kith-test-settings-XXXXXX");
  CHECK(mkdtemp(root) != NULL);
  KithSettings s;
  CHECK_INT(kith_settings_read(&s, root), 0); // nothing at all
  CHECK(!s.has_file);
  CHECK_INT(s.ignore.count, 0);
  kith_settings_free(&s);
  put(".kith", "dormant_days: 45\nignore: [Drafts]\n");
  put(".obsidian/templates.json", "{\n  \"folder\": \"Meta/Templates\"\n}\n");
  put(".obsidian/app.json", "{\"userIgnoreFilters\": [\"Archive/\", \"/\\\\.pdf$/\", "
                            "\"missing/\", \"notes/secret.md\"], \"alwaysUpdateLinks\": true}");
  put("Archive/old.md", "x");
  put("notes/secret.md", "x");
  CHECK_INT(kith_settings_read(&s, root), 0);
  CHECK(s.has_file);
  CHECK_INT(s.dormant_days, 45);
  CHECK_INT(s.ignore.count, 3); // Drafts (.kith), Meta/Templates and Archive (Obsidian)
  CHECK(has(&s.ignore, "Drafts") && has(&s.ignore, "Meta/Templates") && has(&s.ignore, "Archive"));
  CHECK_INT(s.origin[KITH_SETTING_IGNORE], KITH_FROM_FILE);
  kith_settings_free(&s);
  // Obsidian's files alone; a broken one is skipped without a word.
  put(".kith", "");
  put(".obsidian/app.json", "{ not json");
  CHECK_INT(kith_settings_read(&s, root), 0);
  CHECK_INT(s.ignore.count, 1);
  CHECK(has(&s.ignore, "Meta/Templates"));
  CHECK_INT(s.origin[KITH_SETTING_IGNORE], KITH_FROM_OBSIDIAN);
  CHECK_INT(s.note.diagnostic_count, 0);
  kith_settings_free(&s);
  char cmd[300];
  snprintf(cmd, sizeof cmd, "rm -rf '%s'", root);
  CHECK(system(cmd) == 0);
}

int main(void) {
  RUN(test_defaults);
  RUN(test_every_key);
  RUN(test_wrong_keys_warn_and_keep_their_default);
  RUN(test_positions_as_a_buffer_counts_them);
  RUN(test_not_yaml_is_an_error_and_every_default_holds);
  RUN(test_bounds);
  RUN(test_folders_compare_without_case);
  RUN(test_digest_follows_what_a_parse_reads);
  RUN(test_files_and_obsidian);
  return harness_finish("test_settings");
}
