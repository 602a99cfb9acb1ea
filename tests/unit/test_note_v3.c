// The rules of SPEC §1 marked (v3) for contact and meeting notes: contact notes by rule (folder,
// tags, properties) with handles derived from file names; meeting notes (people from the people
// properties, the date property or the file name, one `met` with each person, future meetings
// as follow-ups, items taking the meeting's date and, outside contact sections, its people);
// and how the ledger resolves a meeting's people.

#include "harness.h"

#include <stdio.h>

#include "notes/settings.h"

static KithSettings folder_settings;

static const KithHeading *contact_of(const KithNote *note) {
  return kith_note_contact_note(note);
}

static void expect_contact(const char *path, const char *text, const char *handle, const char *name,
                           int line) {
  KithNote note;
  harness_parse_at(path, HARNESS_TODAY, text, &note);
  const KithHeading *h = contact_of(&note);
  harness_checks++;
  if (!h || strcmp(kith_note_str(&note, h->handle), handle) != 0 ||
      strcmp(kith_note_str(&note, h->name), name) != 0 || h->line != 1 || h->level != 0)
    harness_fail(__FILE__, line, "%s: contact %s named %s, want %s named %s", path,
                 h ? kith_note_str(&note, h->handle) : "(none)",
                 h ? kith_note_str(&note, h->name) : "(none)", handle, name);
  kith_note_free(&note);
}

static void expect_no_contact(const char *path, const char *text, int line) {
  KithNote note;
  harness_parse_at(path, HARNESS_TODAY, text, &note);
  harness_checks++;
  if (contact_of(&note))
    harness_fail(__FILE__, line, "%s: a contact note, want none", path);
  kith_note_free(&note);
}

#define EXPECT_CONTACT(path, text, handle, name) expect_contact(path, text, handle, name, __LINE__)
#define EXPECT_NO_CONTACT(path, text) expect_no_contact(path, text, __LINE__)

// --- contact notes by rule -------------------------------------------------------------------

static void test_by_property(void) {
  EXPECT_CONTACT("References/Steph Ango.md", "---\ncategories: [\"[[People]]\"]\n---\n",
                 "steph-ango", "Steph Ango");
  EXPECT_CONTACT("x/Steph Ango.md", "---\ncategories:\n  - \"[[People|folks]]\"\n---\n",
                 "steph-ango", "Steph Ango");
  EXPECT_CONTACT("x/Steph Ango.md", "---\ncategories: people\n---\n", "steph-ango", "Steph Ango");
  EXPECT_CONTACT("x/Steph Ango.md", "---\nCategories: [Books, \"[[Meta/People]]\"]\n---\n",
                 "steph-ango", "Steph Ango");
  EXPECT_CONTACT("x/Inês Sá.md", "---\ntype: Person\n---\n", "ines-sa", "Inês Sá");
  EXPECT_NO_CONTACT("x/Steph Ango.md", "---\ncategories: [Books]\ntype: place\n---\n");
  EXPECT_NO_CONTACT("x/Steph Ango.md", "---\ntitle: People\n---\n");
}

static void test_by_tag(void) {
  EXPECT_CONTACT("x/Dana Whitfield.md", "---\ntags: [person]\n---\n", "dana-whitfield",
                 "Dana Whitfield");
  EXPECT_CONTACT("x/Dana Whitfield.md", "---\ntags: \"#Person\"\n---\n", "dana-whitfield",
                 "Dana Whitfield");
  EXPECT_CONTACT("x/Dana Whitfield.md", "---\ntags: work, contact\n---\n", "dana-whitfield",
                 "Dana Whitfield");
  EXPECT_NO_CONTACT("x/Dana Whitfield.md", "---\ntags: [personal, people]\n---\n");
  // Tags in the text are not the front matter's.
  EXPECT_NO_CONTACT("x/Dana Whitfield.md", "# Dana\n\n#person\n");
}

static void test_by_folder(void) {
  harness_settings = &folder_settings;
  EXPECT_CONTACT("people/Jane Doe.md", "Met at the conference.\n", "jane-doe", "Jane Doe");
  EXPECT_CONTACT("People/partners/Olga Ivanova.md", "", "olga-ivanova", "Olga Ivanova");
  EXPECT_CONTACT("CRM/clients/Priya Nair.md", "---\nhandle: priya\n---\n", "priya", "Priya Nair");
  EXPECT_NO_CONTACT("notes/Jane Doe.md", "Met at the conference.\n");
  EXPECT_NO_CONTACT("people.md", "a note named people\n");
  // Front matter that is not YAML: still a note of the folder.
  KithNote note;
  harness_parse_at("people/Jane Doe.md", HARNESS_TODAY, "---\nname: [Jane\n---\n", &note);
  CHECK(contact_of(&note) != NULL);
  CHECK(harness_has_diag(&note, 1, 1, KITH_SEVERITY_ERROR, "front matter is not valid YAML"));
  kith_note_free(&note);
  // The folder note's items belong to its contact, and its section is the whole note.
  harness_parse_at("people/Jane Doe.md", HARNESS_TODAY,
                   "# Notes\n\n- 2026-11-20 #gave intro\n## Kids\n- 2026-11-21 #got tip\n", &note);
  CHECK_INT(note.interaction_count, 2);
  for (uint32_t i = 0; i < note.interaction_count; i++)
    CHECK_STR(kith_note_str(&note, note.interactions[i].handle), "jane-doe");
  kith_note_free(&note);
  harness_settings = NULL;
}

static void test_handle_name_aliases_every(void) {
  EXPECT_CONTACT("x/Bob Martins.md", "---\ntype: person\nhandle: \"@Bob\"\n---\n", "bob",
                 "Bob Martins");
  EXPECT_CONTACT("x/Eduardo Okafor.md", "---\ncategories: [People]\nname: Eddie  Okafor\n---\n",
                 "eduardo-okafor", "Eddie Okafor");
  KithNote note;
  harness_parse_at("x/Eduardo Okafor.md", HARNESS_TODAY,
                   "---\ncategories: People\naliases: [Eddie, Ed O]\nevery: 2w\n---\n", &note);
  const KithHeading *h = contact_of(&note);
  CHECK(h && h->cadence_days == 14);
  CHECK_INT(note.alias_count, 2);
  CHECK_INT(note.diagnostic_count, 0);
  kith_note_free(&note);
  harness_parse_at("x/Eduardo Okafor.md", HARNESS_TODAY,
                   "---\ncategories: People\nevery: 3x\n---\n", &note);
  CHECK(harness_has_diag(&note, 3, 1, KITH_SEVERITY_ERROR, "invalid cadence '3x'"));
  kith_note_free(&note);
}

static void test_cannot_derive(void) {
  KithNote note;
  harness_parse_at("References/李雷.md", HARNESS_TODAY,
                   "---\ncategories: [\"[[People]]\"]\n---\n- 2026-11-20 #gave tea\n", &note);
  CHECK(contact_of(&note) == NULL);
  CHECK(harness_has_diag(&note, 1, 1, KITH_SEVERITY_WARNING,
                         "cannot derive a handle from '李雷' (add handle: to its front matter)"));
  CHECK(harness_has_diag(&note, 4, 1, KITH_SEVERITY_WARNING, "interaction names no contact"));
  kith_note_free(&note);
  // With a handle, no derivation is needed.
  EXPECT_CONTACT("References/李雷.md", "---\ncategories: People\nhandle: lilei\n---\n", "lilei",
                 "李雷");
}

// --- meeting notes ---------------------------------------------------------------------------

// The meeting's own record (a linked item with people only, at line 1), or NULL.
static const KithLinked *record_of(const KithNote *note) {
  for (uint32_t i = 0; i < note->linked_count; i++) {
    const KithLinked *l = &note->linked[i];
    if (l->item.line == 1 && l->run == 0 && l->fallback == 0 && l->people > 0)
      return l;
  }
  return NULL;
}

static void test_meeting_record(void) {
  KithNote note;
  harness_parse_at("Meetings/Design review.md", HARNESS_TODAY,
                   "---\ndate: 2026-11-12\npeople: [\"[[Steph Ango]]\", \"@Bob\", Carol Diaz]\n"
                   "---\n# Notes\n",
                   &note);
  CHECK(note.meeting);
  const KithLinked *r = record_of(&note);
  CHECK(r != NULL);
  if (r) {
    CHECK(!r->planned);
    CHECK_INT(r->people, 3);
    CHECK_INT(r->item.met, 1);
    CHECK_INT(r->item.gave + r->item.got, 0);
    CHECK_INT(r->item.column, 1);
    CHECK_STR(kith_note_str(&note, r->item.text), "Design review");
    char day[11];
    kith_date_format(r->item.day, day);
    CHECK_STR(day, "2026-11-12");
    const KithRef *refs = &note.refs[r->refs];
    CHECK_STR(kith_note_str(&note, refs[0].name), "Steph Ango");
    CHECK_STR(kith_note_str(&note, refs[0].derived), "steph-ango");
    CHECK(refs[1].link == UINT32_MAX);
    CHECK_STR(kith_note_str(&note, refs[1].key), "bob");
    CHECK_STR(kith_note_str(&note, refs[2].derived), "carol-diaz");
    for (int k = 0; k < 3; k++)
      CHECK_INT(refs[k].line, 3);
  }
  CHECK_INT(note.diagnostic_count, 0);
  kith_note_free(&note);
}

static void test_meeting_dates(void) {
  const struct {
    const char *path, *text, *day;
  } cases[] = {
      {"m/Chat.md", "---\nattendees: [Bob]\ndate: 2026-11-18T10:00\n---\n", "2026-11-18"},
      {"m/Chat.md", "---\nwith: Bob\ndate: 2026-11-18 10:00:00\n---\n", "2026-11-18"},
      {"m/2026-11-20 Standup.md", "---\npeople: [Bob]\n---\n", "2026-11-20"},
      {"m/2026-11-20 Standup.md", "---\npeople: [Bob]\ndate:\n---\n", "2026-11-20"},
      {"m/2026-11-20 Standup.md", "---\npeople: [Bob]\ndate: 2026-11-19\n---\n", "2026-11-19"},
      {"m/2026-11-20 Standup.md", "---\npeople: [Bob]\ndate: soon\n---\n", "2026-11-20"},
  };
  for (size_t i = 0; i < sizeof cases / sizeof *cases; i++) {
    KithNote note;
    harness_parse_at(cases[i].path, HARNESS_TODAY, cases[i].text, &note);
    const KithLinked *r = record_of(&note);
    char day[11] = "none";
    if (r)
      kith_date_format(r->item.day, day);
    harness_checks++;
    if (strcmp(day, cases[i].day) != 0)
      harness_fail(__FILE__, __LINE__, "case %zu: date %s, want %s", i, day, cases[i].day);
    kith_note_free(&note);
  }
  // No date at all: a warning, and nothing counted.
  KithNote note;
  harness_parse_at("m/Coffee.md", HARNESS_TODAY, "---\npeople: [Gina]\n---\n", &note);
  CHECK(note.meeting);
  CHECK(record_of(&note) == NULL);
  CHECK(harness_has_diag(&note, 1, 1, KITH_SEVERITY_WARNING, "meeting has no date"));
  kith_note_free(&note);
  // After today: planned (an upcoming meeting), and the parse holds only until the day before.
  harness_parse_at("m/Offsite.md", HARNESS_TODAY,
                   "---\npeople: [Frank Li]\ndate: 2026-12-03\n---\n", &note);
  const KithLinked *r = record_of(&note);
  CHECK(r && r->planned);
  CHECK_INT(note.diagnostic_count, 0);
  KithDay max;
  kith_date_parse("2026-12-02", 10, &max);
  CHECK(note.today_bounded && note.today_max == max);
  kith_note_free(&note);
}

static void test_not_meetings(void) {
  KithNote note;
  // Nobody listed.
  harness_parse_at("m/Chat.md", HARNESS_TODAY, "---\npeople: []\ndate: 2026-11-12\n---\n", &note);
  CHECK(!note.meeting && note.linked_count == 0);
  kith_note_free(&note);
  harness_parse_at("m/Chat.md", HARNESS_TODAY, "---\npeople:\ndate: 2026-11-12\n---\n", &note);
  CHECK(!note.meeting);
  kith_note_free(&note);
  // A contact note is never a meeting note.
  harness_parse_at("x/Bob.md", HARNESS_TODAY,
                   "---\nhandle: bob\npeople: [Carol]\ndate: 2026-11-12\n---\n", &note);
  CHECK(!note.meeting && contact_of(&note) != NULL);
  kith_note_free(&note);
}

static void test_items_in_meetings(void) {
  KithNote note;
  harness_parse_at("Meetings/Design review.md", HARNESS_TODAY,
                   "---\n"                                    // 1
                   "date: 2026-11-12\n"                       // 2
                   "people: [\"[[Steph Ango]]\", \"@bob\"]\n" // 3
                   "---\n"                                    // 4
                   "- #gave shared the deck\n"                // 5: meeting date, its people
                   "- 2026-11-13 #got @carol feedback\n"      // 6: leading handle
                   "- [ ] #gave send the recording\n"         // 7: follow-up of its people
                   "## 2026-11-14\n"                          // 8
                   "- #met @dan coffee\n"                     // 9: date heading wins
                   "### Bob Martins @bob\n"                   // 10
                   "- #gave a book\n",                        // 11: the section
                   &note);
  CHECK_INT(note.diagnostic_count, 0);
  // Line 5: linked with the meeting's two people, dated 2026-11-12.
  const KithLinked *at5 = NULL, *at7 = NULL;
  for (uint32_t i = 0; i < note.linked_count; i++) {
    if (note.linked[i].item.line == 5)
      at5 = &note.linked[i];
    if (note.linked[i].item.line == 7)
      at7 = &note.linked[i];
  }
  CHECK(at5 && at5->people == 2 && at5->run == 0 && !at5->planned);
  char day[11] = "";
  if (at5)
    kith_date_format(at5->item.day, day);
  CHECK_STR(day, "2026-11-12");
  CHECK(at7 && at7->planned && at7->people == 2);
  bool six = false, nine = false, eleven = false;
  for (uint32_t i = 0; i < note.interaction_count; i++) {
    const KithInteraction *it = &note.interactions[i];
    const char *h = kith_note_str(&note, it->handle);
    six |= it->line == 6 && strcmp(h, "carol") == 0;
    if (it->line == 9) {
      kith_date_format(it->day, day);
      nine = strcmp(h, "dan") == 0 && strcmp(day, "2026-11-14") == 0;
    }
    eleven |= it->line == 11 && strcmp(h, "bob") == 0;
  }
  CHECK(six && nine && eleven);
  kith_note_free(&note);
}

// --- the ledger ------------------------------------------------------------------------------

static void test_people_in_the_ledger(void) {
  HarnessVault v;
  harness_vault(&v, HARNESS_TODAY, NULL,                                                         //
                "References/Steph Ango.md", "---\ncategories: People\naliases: [Kepano]\n---\n", //
                "References/Carol Lee.md", "---\ntype: person\naliases: [Sam]\n---\n",           //
                "References/Dana Ortiz.md", "---\ntype: person\naliases: [Sam]\n---\n",          //
                "Meetings/Design review.md",
                "---\ndate: 2026-11-12\npeople: [Kepano, \"[[Steph Ango]]\", Carol Diaz, "
                "\"@bob\", Sam, 李雷]\n---\n- #gave shared the deck\n",
                "Meetings/Retro.md",
                "---\ndate: 2026-11-20\nattendees: [carol diaz]\n---\n",                    //
                "Daily/2026-11-21.md", "- #met [[Carol Diaz]] lunch\n- #met [[Sam]] tea\n", //
                NULL);
  // Kepano (an alias) and [[Steph Ango]] are one person: one met, one give.
  const KithContact *steph = harness_contact(&v, "steph-ango");
  CHECK(steph && steph->met == 1 && steph->gave == 1 && steph->interactions == 2);
  // Carol Diaz names no declared contact: the undeclared @carol-diaz, named by the text, who
  // was at two meetings; [[Carol Diaz]] in an item names her too.
  const KithContact *carol = harness_contact(&v, "carol-diaz");
  CHECK(carol && carol->declared_count == 0 && carol->met == 3);
  CHECK_STR(carol ? carol->name : NULL, "Carol Diaz");
  const KithContact *bob = harness_contact(&v, "bob");
  CHECK(bob && bob->met == 1 && bob->gave == 1);
  CHECK_STR(bob ? bob->name : NULL, "bob");
  // Sam is an alias of two contacts: the ambiguous warning, once, at the property's line; and
  // neither counts the meeting.
  const KithContact *lee = harness_contact(&v, "carol-lee");
  CHECK(lee && lee->interactions == 0);
  size_t count = 0, ambiguous = 0, underived = 0;
  for (uint32_t n = 0; n < v.count; n++) {
    const KithLedgerDiagnostic *d = kith_resolution_diagnostics(&v.ledger.resolution, n, &count);
    for (size_t i = 0; i < count; i++) {
      const char *msg = kith_resolution_str(&v.ledger.resolution, d[i].at.message);
      if (strstr(msg, "ambiguous name 'Sam'") && d[i].at.line == 3 &&
          strcmp(v.paths[n], "Meetings/Design review.md") == 0)
        ambiguous++;
      if (strstr(msg, "cannot derive a handle from '李雷'"))
        underived++;
    }
  }
  CHECK_INT(ambiguous, 1);
  CHECK_INT(underived, 1);
  harness_vault_free(&v);
}

static void test_meeting_names_never_shadow_declared_ones(void) {
  // The derived handle is declared elsewhere under another name: that contact, and no new name.
  HarnessVault v;
  harness_vault(&v, HARNESS_TODAY, NULL,                                           //
                "people/cd.md", "---\nhandle: carol-diaz\nname: C. Diaz\n---\n",   //
                "m/Chat.md", "---\ndate: 2026-11-12\npeople: [Carol Diaz]\n---\n", //
                "daily/2026-11-20.md", "- #met [[Carol Diaz]] hello\n",            //
                NULL);
  const KithContact *c = harness_contact(&v, "carol-diaz");
  CHECK(c && c->met == 1); // the meeting; the link names nobody
  CHECK_STR(c ? c->name : NULL, "C. Diaz");
  harness_vault_free(&v);
  // A future meeting: a follow-up of each person, not counted.
  harness_vault(&v, HARNESS_TODAY, NULL,                                                     //
                "m/Offsite planning.md", "---\ndate: 2026-12-03\npeople: [Frank Li]\n---\n", //
                NULL);
  c = harness_contact(&v, "frank-li");
  CHECK(c && c->interactions == 0 && c->followup_count == 1 && c->status == KITH_STATUS_NEW);
  CHECK_STR(c ? c->name : NULL, "Frank Li");
  CHECK_STR(c && c->followup_count ? c->followups[0].text : NULL, "Offsite planning");
  harness_vault_free(&v);
}

int main(void) {
  CHECK_INT(kith_settings_default(&folder_settings), 0);
  static char *folders[] = {"people", "crm/clients"};
  folder_settings.folders.items = folders;
  folder_settings.folders.count = 2;
  RUN(test_by_property);
  RUN(test_by_tag);
  RUN(test_by_folder);
  RUN(test_handle_name_aliases_every);
  RUN(test_cannot_derive);
  RUN(test_meeting_record);
  RUN(test_meeting_dates);
  RUN(test_not_meetings);
  RUN(test_items_in_meetings);
  RUN(test_people_in_the_ledger);
  RUN(test_meeting_names_never_shadow_declared_ones);
  folder_settings.folders.items = NULL;
  folder_settings.folders.count = 0;
  kith_settings_free(&folder_settings);
  return harness_finish("test_note_v3");
}
