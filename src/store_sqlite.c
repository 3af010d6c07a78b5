/*
** store_sqlite.c — the SQLite store: the whole schema, its migrations and
** every SQL statement of the program. See store.h.
**
** Values from users reach SQL only through bound parameters. Statements
** are prepared once per connection and kept in `stmt[]`, indexed by an
** enum (kcgi's way): the SQL text of each sits next to its name.
**
** Lists of text (objectives, outputs, …) and the alignment cells are kept
** as JSON in their project row: they belong to one project, are never
** shared, and one row per project keeps a 10,000-project import fast.
** SQLite's json_each() still reaches inside them when a query needs to.
*/
#include "store.h"

#include <errno.h>
#include <fcntl.h>
#include <jansson.h>
#include <pthread.h>
#include <sqlite3.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <sys/stat.h>
#include <unistd.h>

#include "db_image.h"
#include "par.h"
#include "store_fts.h"
#include "thai.h"
#include "unit.h"

/* ---- schema --------------------------------------------------------------------- */

/* Migration N brings the schema from version N-1 to N. Never edit one that
** has shipped; add the next. */
static const char *migrations[] = {
    /* 1: the plan core */
    "CREATE TABLE agency(                 -- a government office (ส่วนราชการ)\n"
    "  id INTEGER PRIMARY KEY,\n"
    "  name TEXT NOT NULL UNIQUE,         -- สำนักงานศึกษาธิการจังหวัดลำปาง\n"
    "  created_at TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%SZ','now')));\n"
    "CREATE TABLE unit(                   -- a group (กลุ่ม) of an agency\n"
    "  id INTEGER PRIMARY KEY,\n"
    "  agency_id INTEGER NOT NULL REFERENCES agency(id),\n"
    "  name TEXT NOT NULL,\n"
    "  UNIQUE(agency_id, name));\n"
    "CREATE TABLE unit_alias(             -- other spellings that mean the unit\n"
    "  unit_id INTEGER NOT NULL REFERENCES unit(id) ON DELETE CASCADE,\n"
    "  alias TEXT NOT NULL,\n"
    "  PRIMARY KEY(unit_id, alias));\n"
    "CREATE TABLE fiscal_year(            -- Thai fiscal years, 1 Oct - 30 Sep\n"
    "  be INTEGER PRIMARY KEY CHECK (be BETWEEN 2400 AND 2700),\n"
    "  starts TEXT NOT NULL,              -- ISO date, e.g. 2024-10-01 for 2568\n"
    "  ends TEXT NOT NULL);\n"
    "CREATE TABLE ref_list(               -- a national reference list\n"
    "  list TEXT PRIMARY KEY,             -- align_key(): national_strategy, ...\n"
    "  complete INTEGER NOT NULL CHECK (complete IN (0,1)), -- unknown codes are errors\n"
    "  source TEXT NOT NULL);\n"
    "CREATE TABLE ref_item(\n"
    "  list TEXT NOT NULL REFERENCES ref_list(list) ON DELETE CASCADE,\n"
    "  seq INTEGER NOT NULL,\n"
    "  code TEXT NOT NULL,                -- normalized: '01' for master plans\n"
    "  title_th TEXT NOT NULL,\n"
    "  title_en TEXT,\n"
    "  parent TEXT,                       -- master plans: usual national strategy\n"
    "  PRIMARY KEY(list, code));\n"
    "CREATE TABLE plan(                   -- an agency's plan of one fiscal year\n"
    "  id INTEGER PRIMARY KEY,\n"
    "  agency_id INTEGER NOT NULL REFERENCES agency(id),\n"
    "  fiscal_year INTEGER NOT NULL REFERENCES fiscal_year(be),\n"
    "  title TEXT NOT NULL,\n"
    "  UNIQUE(agency_id, fiscal_year, title));\n"
    "CREATE TABLE plan_version(           -- original (revision 0) or revision N\n"
    "  id INTEGER PRIMARY KEY,\n"
    "  plan_id INTEGER NOT NULL REFERENCES plan(id),\n"
    "  revision INTEGER NOT NULL CHECK (revision >= 0),\n"
    "  label TEXT NOT NULL,               -- ฉบับปรับปรุงตามงบประมาณที่ได้รับจัดสรร ครั้งที่ 1\n"
    "  status TEXT NOT NULL DEFAULT 'draft'\n"
    "    CHECK (status IN ('draft','submitted','checked','approved','published')),\n"
    "  title_line TEXT NOT NULL,          -- the document's title line as written\n"
    "  source_file TEXT NOT NULL,         -- provenance\n"
    "  created_at TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ','now')));\n"
    "CREATE INDEX plan_version_plan ON plan_version(plan_id, revision);\n"
    "CREATE TABLE memo(                   -- the covering memo (บันทึกข้อความ)\n"
    "  version_id INTEGER PRIMARY KEY REFERENCES plan_version(id) ON DELETE CASCADE,\n"
    "  from_unit TEXT, doc_no TEXT, memo_date TEXT, subject TEXT, to_whom TEXT,\n"
    "  sections TEXT NOT NULL DEFAULT '[]' -- JSON [{heading, paragraphs[]}]\n"
    "    CHECK (json_valid(sections)));\n"
    "CREATE TABLE signer(                 -- prepared / checked / approved blocks\n"
    "  version_id INTEGER NOT NULL REFERENCES plan_version(id) ON DELETE CASCADE,\n"
    "  role TEXT NOT NULL CHECK (role IN ('prepared','checked','approved')),\n"
    "  name TEXT, position TEXT, signed_on TEXT,\n"
    "  PRIMARY KEY(version_id, role));\n"
    "CREATE TABLE strategic_issue(        -- ประเด็นยุทธศาสตร์ of a version\n"
    "  version_id INTEGER NOT NULL REFERENCES plan_version(id) ON DELETE CASCADE,\n"
    "  no INTEGER NOT NULL CHECK (no > 0),\n"
    "  title TEXT NOT NULL,\n"
    "  PRIMARY KEY(version_id, no));\n"
    "CREATE TABLE project(                -- one row of the plan table\n"
    "  id INTEGER PRIMARY KEY,\n"
    "  version_id INTEGER NOT NULL REFERENCES plan_version(id) ON DELETE CASCADE,\n"
    "  seq INTEGER NOT NULL,              -- order in the document\n"
    "  no INTEGER NOT NULL,               -- ที่ (may repeat in a bad document)\n"
    "  name TEXT NOT NULL,\n"
    "  objectives TEXT NOT NULL CHECK (json_valid(objectives)),   -- JSON array\n"
    "  outputs TEXT NOT NULL CHECK (json_valid(outputs)),\n"
    "  outcomes TEXT NOT NULL CHECK (json_valid(outcomes)),\n"
    "  indicators_quant TEXT NOT NULL CHECK (json_valid(indicators_quant)),\n"
    "  indicators_qual TEXT NOT NULL CHECK (json_valid(indicators_qual)),\n"
    "  budget_satang INTEGER CHECK (budget_satang >= 0), -- NULL = ไม่ใช้งบประมาณ\n"
    "  q1_satang INTEGER NOT NULL DEFAULT 0 CHECK (q1_satang >= 0),\n"
    "  q2_satang INTEGER NOT NULL DEFAULT 0 CHECK (q2_satang >= 0),\n"
    "  q3_satang INTEGER NOT NULL DEFAULT 0 CHECK (q3_satang >= 0),\n"
    "  q4_satang INTEGER NOT NULL DEFAULT 0 CHECK (q4_satang >= 0),\n"
    "  period_text TEXT NOT NULL,         -- as written\n"
    "  period_start TEXT, period_end TEXT, -- ISO dates; NULL when unreadable\n"
    "  unit_id INTEGER REFERENCES unit(id), -- NULL = not matched\n"
    "  unit_text TEXT NOT NULL,           -- ผู้รับผิดชอบ as written\n"
    "  issue_no INTEGER,                  -- strategic issue\n"
    "  issue_inferred INTEGER NOT NULL DEFAULT 0,\n"
    "  alignment TEXT NOT NULL CHECK (json_valid(alignment)), -- {key:{codes,text,free_text}}\n"
    "  source_line INTEGER,               -- provenance: line in source_file\n"
    "  row_version INTEGER NOT NULL DEFAULT 1, -- optimistic locking\n"
    "  UNIQUE(version_id, seq));\n"
    "CREATE TABLE import_note(            -- what an importer repaired or could not read\n"
    "  id INTEGER PRIMARY KEY,\n"
    "  version_id INTEGER NOT NULL REFERENCES plan_version(id) ON DELETE CASCADE,\n"
    "  project_no INTEGER NOT NULL,       -- 0 = the plan as a whole\n"
    "  rule TEXT NOT NULL, severity TEXT NOT NULL, field TEXT NOT NULL,\n"
    "  line INTEGER NOT NULL, message_th TEXT NOT NULL, message_en TEXT NOT NULL);\n",
    /* 2: the web application: people, sessions, the audit log, search */
    "CREATE TABLE user(                   -- a person who signs in\n"
    "  id INTEGER PRIMARY KEY,\n"
    "  agency_id INTEGER NOT NULL REFERENCES agency(id),\n"
    "  login TEXT NOT NULL UNIQUE,\n"
    "  name TEXT NOT NULL,\n"
    "  pwhash TEXT NOT NULL,              -- Argon2id (libsodium crypto_pwhash_str)\n"
    "  role TEXT NOT NULL CHECK (role IN\n"
    "    ('admin','planner','unit_editor','reviewer','approver','viewer')),\n"
    "  unit_id INTEGER REFERENCES unit(id), -- unit editors: their unit\n"
    "  active INTEGER NOT NULL DEFAULT 1,\n"
    "  created_at TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%SZ','now')));\n"
    "CREATE TABLE session(                -- a signed-in browser or script\n"
    "  token_hash TEXT PRIMARY KEY,       -- SHA-256 of the 256-bit token; the token is never stored\n"
    "  user_id INTEGER NOT NULL REFERENCES user(id) ON DELETE CASCADE,\n"
    "  csrf TEXT NOT NULL,                -- the form token of this session\n"
    "  kind TEXT NOT NULL DEFAULT 'web' CHECK (kind IN ('web','api')),\n"
    "  expires INTEGER NOT NULL);         -- unix time\n"
    "CREATE INDEX session_user ON session(user_id);\n"
    "CREATE TABLE login_failure(          -- sign-in throttling\n"
    "  who TEXT NOT NULL,                 -- login or client address\n"
    "  at INTEGER NOT NULL);\n"
    "CREATE INDEX login_failure_who ON login_failure(who, at);\n"
    "CREATE TABLE audit_log(              -- who changed what, when; append-only\n"
    "  id INTEGER PRIMARY KEY,\n"
    "  at TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ','now')),\n"
    "  user_id INTEGER,                   -- NULL: the command line\n"
    "  user_login TEXT NOT NULL,\n"
    "  action TEXT NOT NULL,              -- project.update, import, user.add, ...\n"
    "  entity TEXT NOT NULL,              -- 'project 12 of version 3'\n"
    "  old_value TEXT,                    -- JSON\n"
    "  new_value TEXT);\n"
    "CREATE TRIGGER audit_log_no_update BEFORE UPDATE ON audit_log\n"
    "  BEGIN SELECT RAISE(ABORT, 'audit log is append-only'); END;\n"
    "CREATE TRIGGER audit_log_no_delete BEFORE DELETE ON audit_log\n"
    "  BEGIN SELECT RAISE(ABORT, 'audit log is append-only'); END;\n"
    "CREATE VIRTUAL TABLE project_fts USING fts5(name, body, tokenize = 'thai',\n"
    "  content = '', detail = 'column'); -- contentless: the text stays in project\n"
    "INSERT INTO project_fts(rowid, name, body) SELECT id, name, objectives || outputs ||\n"
    "  outcomes || indicators_quant || indicators_qual || unit_text FROM project;\n",
    /* 3: the plan's life: revisions, review and approval, circulation */
    "ALTER TABLE plan_version ADD COLUMN reason TEXT;       -- why this revision\n"
    "ALTER TABLE plan_version ADD COLUMN based_on INTEGER REFERENCES plan_version(id);\n"
    "ALTER TABLE plan_version ADD COLUMN allocated_satang INTEGER\n"
    "  CHECK (allocated_satang >= 0);                      -- งบประมาณที่ได้รับจัดสรร\n"
    "ALTER TABLE project ADD COLUMN change_reason TEXT;     -- why its money changed\n"
    "ALTER TABLE user ADD COLUMN position TEXT;            -- ตำแหน่ง, for signature blocks\n"
    "ALTER TABLE unit ADD COLUMN email TEXT;               -- where notices are e-mailed\n"
    "CREATE TABLE unit_allocation(        -- allocation per unit, if the office splits it\n"
    "  version_id INTEGER NOT NULL REFERENCES plan_version(id) ON DELETE CASCADE,\n"
    "  unit_id INTEGER NOT NULL REFERENCES unit(id),\n"
    "  allocated_satang INTEGER NOT NULL CHECK (allocated_satang >= 0),\n"
    "  PRIMARY KEY(version_id, unit_id));\n"
    "CREATE TABLE version_transition(     -- the record nobody can alter\n"
    "  id INTEGER PRIMARY KEY,\n"
    "  version_id INTEGER NOT NULL REFERENCES plan_version(id),\n"
    "  from_status TEXT NOT NULL, to_status TEXT NOT NULL,\n"
    "  at TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ','now')),\n"
    "  user_id INTEGER, user_login TEXT NOT NULL, user_name TEXT NOT NULL,\n"
    "  user_position TEXT, role TEXT NOT NULL, comment TEXT,\n"
    "  sha256 TEXT NOT NULL);             -- of the version's canonical JSON\n"
    "CREATE INDEX version_transition_version ON version_transition(version_id, id);\n"
    "CREATE TRIGGER version_transition_no_update BEFORE UPDATE ON version_transition\n"
    "  BEGIN SELECT RAISE(ABORT, 'the approval log is append-only'); END;\n"
    "CREATE TRIGGER version_transition_no_delete BEFORE DELETE ON version_transition\n"
    "  BEGIN SELECT RAISE(ABORT, 'the approval log is append-only'); END;\n"
    "CREATE TRIGGER plan_version_status BEFORE UPDATE OF status ON plan_version\n"
    "  WHEN NOT ((OLD.status = 'draft' AND NEW.status = 'submitted') OR\n"
    "            (OLD.status = 'submitted' AND NEW.status IN ('checked', 'draft')) OR\n"
    "            (OLD.status = 'checked' AND NEW.status IN ('approved', 'draft')) OR\n"
    "            (OLD.status = 'approved' AND NEW.status = 'published'))\n"
    "  BEGIN SELECT RAISE(ABORT, 'this change of status is not allowed'); END;\n"
    "CREATE TRIGGER plan_version_frozen BEFORE UPDATE OF label, title_line, source_file,\n"
    "  reason, based_on, allocated_satang, revision, plan_id ON plan_version\n"
    "  WHEN OLD.status <> 'draft'\n"
    "  BEGIN SELECT RAISE(ABORT, 'only drafts can change: this version is not a draft'); END;\n"
    "CREATE TRIGGER plan_version_no_delete BEFORE DELETE ON plan_version\n"
    "  WHEN OLD.status <> 'draft'\n"
    "  BEGIN SELECT RAISE(ABORT, 'only drafts can be deleted'); END;\n"
    "CREATE TRIGGER project_frozen_insert BEFORE INSERT ON project\n"
    "  WHEN (SELECT status FROM plan_version WHERE id = NEW.version_id) <> 'draft'\n"
    "  BEGIN SELECT RAISE(ABORT, 'only drafts can change: this version is not a draft'); END;\n"
    "CREATE TRIGGER project_frozen_update BEFORE UPDATE ON project\n"
    "  WHEN (SELECT status FROM plan_version WHERE id = OLD.version_id) <> 'draft'\n"
    "  BEGIN SELECT RAISE(ABORT, 'only drafts can change: this version is not a draft'); END;\n"
    "CREATE TRIGGER project_frozen_delete BEFORE DELETE ON project\n"
    "  WHEN (SELECT status FROM plan_version WHERE id = OLD.version_id) <> 'draft'\n"
    "  BEGIN SELECT RAISE(ABORT, 'only drafts can change: this version is not a draft'); END;\n"
    "CREATE TRIGGER strategic_issue_frozen_insert BEFORE INSERT ON strategic_issue\n"
    "  WHEN (SELECT status FROM plan_version WHERE id = NEW.version_id) <> 'draft'\n"
    "  BEGIN SELECT RAISE(ABORT, 'only drafts can change: this version is not a draft'); END;\n"
    "CREATE TRIGGER strategic_issue_frozen_update BEFORE UPDATE ON strategic_issue\n"
    "  WHEN (SELECT status FROM plan_version WHERE id = OLD.version_id) <> 'draft'\n"
    "  BEGIN SELECT RAISE(ABORT, 'only drafts can change: this version is not a draft'); END;\n"
    "CREATE TRIGGER strategic_issue_frozen_delete BEFORE DELETE ON strategic_issue\n"
    "  WHEN (SELECT status FROM plan_version WHERE id = OLD.version_id) <> 'draft'\n"
    "  BEGIN SELECT RAISE(ABORT, 'only drafts can change: this version is not a draft'); END;\n"
    "CREATE TRIGGER memo_frozen_insert BEFORE INSERT ON memo\n"
    "  WHEN (SELECT status FROM plan_version WHERE id = NEW.version_id) <> 'draft'\n"
    "  BEGIN SELECT RAISE(ABORT, 'only drafts can change: this version is not a draft'); END;\n"
    "CREATE TRIGGER memo_frozen_update BEFORE UPDATE ON memo\n"
    "  WHEN (SELECT status FROM plan_version WHERE id = OLD.version_id) <> 'draft'\n"
    "  BEGIN SELECT RAISE(ABORT, 'only drafts can change: this version is not a draft'); END;\n"
    "CREATE TRIGGER memo_frozen_delete BEFORE DELETE ON memo\n"
    "  WHEN (SELECT status FROM plan_version WHERE id = OLD.version_id) <> 'draft'\n"
    "  BEGIN SELECT RAISE(ABORT, 'only drafts can change: this version is not a draft'); END;\n"
    "CREATE TRIGGER signer_frozen_insert BEFORE INSERT ON signer\n"
    "  WHEN (SELECT status FROM plan_version WHERE id = NEW.version_id) <> 'draft'\n"
    "  BEGIN SELECT RAISE(ABORT, 'only drafts can change: this version is not a draft'); END;\n"
    "CREATE TRIGGER signer_frozen_update BEFORE UPDATE ON signer\n"
    "  WHEN (SELECT status FROM plan_version WHERE id = OLD.version_id) <> 'draft'\n"
    "  BEGIN SELECT RAISE(ABORT, 'only drafts can change: this version is not a draft'); END;\n"
    "CREATE TRIGGER signer_frozen_delete BEFORE DELETE ON signer\n"
    "  WHEN (SELECT status FROM plan_version WHERE id = OLD.version_id) <> 'draft'\n"
    "  BEGIN SELECT RAISE(ABORT, 'only drafts can change: this version is not a draft'); END;\n"
    "CREATE TRIGGER import_note_frozen_insert BEFORE INSERT ON import_note\n"
    "  WHEN (SELECT status FROM plan_version WHERE id = NEW.version_id) <> 'draft'\n"
    "  BEGIN SELECT RAISE(ABORT, 'only drafts can change: this version is not a draft'); END;\n"
    "CREATE TRIGGER import_note_frozen_update BEFORE UPDATE ON import_note\n"
    "  WHEN (SELECT status FROM plan_version WHERE id = OLD.version_id) <> 'draft'\n"
    "  BEGIN SELECT RAISE(ABORT, 'only drafts can change: this version is not a draft'); END;\n"
    "CREATE TRIGGER import_note_frozen_delete BEFORE DELETE ON import_note\n"
    "  WHEN (SELECT status FROM plan_version WHERE id = OLD.version_id) <> 'draft'\n"
    "  BEGIN SELECT RAISE(ABORT, 'only drafts can change: this version is not a draft'); END;\n"
    "CREATE TRIGGER unit_allocation_frozen_insert BEFORE INSERT ON unit_allocation\n"
    "  WHEN (SELECT status FROM plan_version WHERE id = NEW.version_id) <> 'draft'\n"
    "  BEGIN SELECT RAISE(ABORT, 'only drafts can change'); END;\n"
    "CREATE TRIGGER unit_allocation_frozen_update BEFORE UPDATE ON unit_allocation\n"
    "  WHEN (SELECT status FROM plan_version WHERE id = OLD.version_id) <> 'draft'\n"
    "  BEGIN SELECT RAISE(ABORT, 'only drafts can change'); END;\n"
    "CREATE TRIGGER unit_allocation_frozen_delete BEFORE DELETE ON unit_allocation\n"
    "  WHEN (SELECT status FROM plan_version WHERE id = OLD.version_id) <> 'draft'\n"
    "  BEGIN SELECT RAISE(ABORT, 'only drafts can change'); END;\n"
    "CREATE TABLE notice(                 -- แจ้งเวียน: one per unit per approved version\n"
    "  id INTEGER PRIMARY KEY,\n"
    "  version_id INTEGER NOT NULL REFERENCES plan_version(id),\n"
    "  unit_id INTEGER NOT NULL REFERENCES unit(id),\n"
    "  created_at TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%SZ','now')),\n"
    "  acked_at TEXT, acked_by TEXT,      -- read receipt\n"
    "  UNIQUE(version_id, unit_id));\n",
    /* 4: a version's words go into the search index when it is first
    ** searched (store_search), not on import: word-breaking every cell with
    ** libthai was half the work of importing a large plan */
    "CREATE TABLE search_indexed(         -- versions whose projects are in project_fts\n"
    "  version_id INTEGER PRIMARY KEY REFERENCES plan_version(id) ON DELETE CASCADE);\n"
    "INSERT INTO search_indexed SELECT id FROM plan_version; -- indexed by migration 2\n",
    /* 5: the project table's JSON columns lose their CHECK (json_valid(...)):
    ** only this file writes them (json_list, json_alignment) and reading
    ** them tolerates anything; SQLite parsing 60 MB of JSON again was a
    ** tenth of a 10,500-project import. The step is drop_json_checks(). */
    "-- see drop_json_checks()\n",
};

/* ---- statements ------------------------------------------------------------------ */

enum stmt_id {
    S_AGENCY_FIND,
    S_AGENCY_INSERT,
    S_AGENCY_ANY,
    S_UNIT_LIST,
    S_ALIAS_LIST,
    S_UNIT_INSERT,
    S_UNIT_FIND,
    S_ALIAS_INSERT,
    S_REFLIST_ALL,
    S_REFITEM_ALL,
    S_REFLIST_UPSERT,
    S_REFITEM_CLEAR,
    S_REFITEM_INSERT,
    S_FY_INSERT,
    S_PLAN_FIND,
    S_PLAN_INSERT,
    S_VERSION_FIND_DRAFT,
    S_VERSION_INSERT,
    S_VERSION_UPDATE,
    S_VERSION_CLEAR_PROJECTS,
    S_VERSION_CLEAR_ISSUES,
    S_VERSION_CLEAR_NOTES,
    S_VERSION_CLEAR_SIGNERS,
    S_VERSION_CLEAR_MEMO,
    S_ISSUE_INSERT,
    S_PROJECT_INSERT,
    S_NOTE_INSERT,
    S_MEMO_INSERT,
    S_SIGNER_INSERT,
    S_VERSION_GET,
    S_ISSUE_LIST,
    S_PROJECT_LIST,
    S_PROJECT_COUNT,
    S_NOTE_LIST,
    S_MEMO_GET,
    S_SIGNER_LIST,
    S_VERSION_LATEST,
    S_VERSION_LATEST_FY,
    S_VERSION_LIST,
    S_FTS_INSERT,
    S_FTS_CLEAR_VERSION,
    S_PROJECT_ROW,
    S_PROJECT_UPDATE,
    S_PROJECT_VERSION_OF,
    S_VERSION_STATUS,
    S_SEARCH,
    S_SEARCH_IS_INDEXED,
    S_SEARCH_INDEX_VERSION,
    S_SEARCH_MARK,
    S_SEARCH_UNMARK,
    S_USER_INSERT,
    S_USER_GET,
    S_USER_BY_ID,
    S_USER_SET_PW,
    S_USER_SET_ROLE,
    S_USER_SET_ACTIVE,
    S_USER_LIST,
    S_USER_COUNT,
    S_SESSION_INSERT,
    S_SESSION_GET,
    S_SESSION_DELETE,
    S_SESSION_DELETE_USER,
    S_FAIL_COUNT,
    S_FAIL_ADD,
    S_FAIL_CLEAR,
    S_AUDIT_ADD,
    S_AUDIT_LIST,
    S__MAX
};

static const char *stmt_sql[S__MAX] = {
    [S_AGENCY_FIND] = "SELECT id FROM agency WHERE name = ?1",
    [S_AGENCY_INSERT] = "INSERT INTO agency(name) VALUES (?1)",
    [S_AGENCY_ANY] = "SELECT id, name, (SELECT count(*) FROM agency) FROM agency ORDER BY id "
                     "LIMIT 1",
    [S_UNIT_LIST] = "SELECT id, name FROM unit WHERE agency_id = ?1 ORDER BY id",
    [S_ALIAS_LIST] = "SELECT u.name, a.alias FROM unit_alias a JOIN unit u ON u.id = a.unit_id "
                     "WHERE u.agency_id = ?1 ORDER BY u.id, a.rowid",
    [S_UNIT_INSERT] = "INSERT INTO unit(agency_id, name) VALUES (?1, ?2)",
    [S_UNIT_FIND] = "SELECT id FROM unit WHERE agency_id = ?1 AND name = ?2",
    [S_ALIAS_INSERT] = "INSERT OR IGNORE INTO unit_alias(unit_id, alias) VALUES (?1, ?2)",
    [S_REFLIST_ALL] = "SELECT list, complete, source FROM ref_list",
    [S_REFITEM_ALL] = "SELECT list, code, title_th, title_en, parent FROM ref_item "
                      "ORDER BY list, seq",
    [S_REFLIST_UPSERT] = "INSERT INTO ref_list(list, complete, source) VALUES (?1, ?2, ?3) "
                         "ON CONFLICT(list) DO UPDATE SET complete = ?2, source = ?3",
    [S_REFITEM_CLEAR] = "DELETE FROM ref_item WHERE list = ?1",
    [S_REFITEM_INSERT] = "INSERT INTO ref_item(list, seq, code, title_th, title_en, parent) "
                         "VALUES (?1, ?2, ?3, ?4, ?5, ?6)",
    [S_FY_INSERT] = "INSERT OR IGNORE INTO fiscal_year(be, starts, ends) VALUES (?1, ?2, ?3)",
    [S_PLAN_FIND] = "SELECT id FROM plan WHERE agency_id = ?1 AND fiscal_year = ?2 AND "
                    "title = ?3",
    [S_PLAN_INSERT] = "INSERT INTO plan(agency_id, fiscal_year, title) VALUES (?1, ?2, ?3)",
    [S_VERSION_FIND_DRAFT] = "SELECT id FROM plan_version WHERE plan_id = ?1 AND revision = ?2 "
                             "AND status = 'draft' ORDER BY id DESC LIMIT 1",
    [S_VERSION_INSERT] = "INSERT INTO plan_version(plan_id, revision, label, title_line, "
                         "source_file) VALUES (?1, ?2, ?3, ?4, ?5)",
    [S_VERSION_UPDATE] = "UPDATE plan_version SET label = ?2, title_line = ?3, source_file = ?4,"
                         " created_at = strftime('%Y-%m-%dT%H:%M:%fZ','now') WHERE id = ?1",
    [S_VERSION_CLEAR_PROJECTS] = "DELETE FROM project WHERE version_id = ?1",
    [S_VERSION_CLEAR_ISSUES] = "DELETE FROM strategic_issue WHERE version_id = ?1",
    [S_VERSION_CLEAR_NOTES] = "DELETE FROM import_note WHERE version_id = ?1",
    [S_VERSION_CLEAR_SIGNERS] = "DELETE FROM signer WHERE version_id = ?1",
    [S_VERSION_CLEAR_MEMO] = "DELETE FROM memo WHERE version_id = ?1",
    [S_ISSUE_INSERT] = "INSERT INTO strategic_issue(version_id, no, title) VALUES (?1, ?2, ?3)",
    [S_PROJECT_INSERT] =
        "INSERT INTO project(version_id, seq, no, name, objectives, outputs, outcomes, "
        "indicators_quant, indicators_qual, budget_satang, q1_satang, q2_satang, q3_satang, "
        "q4_satang, period_text, period_start, period_end, unit_id, unit_text, issue_no, "
        "issue_inferred, alignment, source_line, change_reason) VALUES (?1, ?2, ?3, ?4, ?5, ?6, "
        "?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14, ?15, ?16, ?17, (SELECT id FROM unit WHERE "
        "agency_id = ?18 AND name = ?19), ?20, ?21, ?22, ?23, ?24, ?25)",
    [S_NOTE_INSERT] = "INSERT INTO import_note(version_id, project_no, rule, severity, field, "
                      "line, message_th, message_en) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8)",
    [S_MEMO_INSERT] = "INSERT INTO memo(version_id, from_unit, doc_no, memo_date, subject, "
                      "to_whom, sections) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7)",
    [S_SIGNER_INSERT] = "INSERT INTO signer(version_id, role, name, position, signed_on) "
                        "VALUES (?1, ?2, ?3, ?4, ?5)",
    [S_VERSION_GET] = "SELECT a.name, p.fiscal_year, p.title, v.revision, v.label, "
                      "v.title_line, v.source_file, v.status, v.reason, v.based_on, "
                      "v.allocated_satang FROM plan_version v JOIN plan p ON p.id = "
                      "v.plan_id JOIN agency a ON a.id = p.agency_id WHERE v.id = ?1",
    [S_ISSUE_LIST] = "SELECT no, title FROM strategic_issue WHERE version_id = ?1 ORDER BY no",
    [S_PROJECT_COUNT] = "SELECT count(*) FROM project WHERE version_id = ?1",
    [S_PROJECT_LIST] =
        "SELECT p.no, p.name, p.objectives, p.outputs, p.outcomes, p.indicators_quant, "
        "p.indicators_qual, p.budget_satang, p.q1_satang, p.q2_satang, p.q3_satang, "
        "p.q4_satang, p.period_text, p.period_start, p.period_end, u.name, p.unit_text, "
        "p.issue_no, p.issue_inferred, p.alignment, p.source_line, p.row_version, p.id, "
        "p.change_reason "
        "FROM project p LEFT JOIN unit u ON u.id = p.unit_id WHERE p.version_id = ?1 "
        "ORDER BY p.seq",
    [S_NOTE_LIST] = "SELECT project_no, rule, severity, field, line, message_th, message_en "
                    "FROM import_note WHERE version_id = ?1 ORDER BY id",
    [S_MEMO_GET] = "SELECT from_unit, doc_no, memo_date, subject, to_whom, sections FROM memo "
                   "WHERE version_id = ?1",
    [S_SIGNER_LIST] = "SELECT role, name, position, signed_on FROM signer WHERE version_id = ?1",
    [S_VERSION_LATEST] = "SELECT v.id FROM plan_version v JOIN plan p ON p.id = v.plan_id "
                         "WHERE p.agency_id = ?1 ORDER BY v.created_at DESC, v.id DESC LIMIT 1",
    [S_VERSION_LATEST_FY] = "SELECT v.id FROM plan_version v JOIN plan p ON p.id = v.plan_id "
                            "WHERE p.agency_id = ?1 AND p.fiscal_year = ?2 "
                            "ORDER BY v.created_at DESC, v.id DESC LIMIT 1",
    [S_VERSION_LIST] =
        "SELECT v.id, p.fiscal_year, v.revision, v.label, v.status, v.created_at, "
        "v.source_file, (SELECT count(*) FROM project WHERE version_id = v.id), "
        "(SELECT coalesce(sum(budget_satang), 0) FROM project WHERE version_id = v.id) "
        "FROM plan_version v JOIN plan p ON p.id = v.plan_id WHERE p.agency_id = ?1 "
        "ORDER BY v.created_at DESC, v.id DESC",
    /* the index is contentless: a row is removed by giving back the very text
    ** it was indexed with, which FTS_TEXT computes the same way both times */
#define FTS_TEXT "name, objectives || outputs || outcomes || indicators_quant || " \
                 "indicators_qual || unit_text"
    /* ... and only for versions already indexed (search_indexed) */
#define FTS_INDEXED(v) " AND " v " IN (SELECT version_id FROM search_indexed)"
    [S_FTS_INSERT] = "INSERT INTO project_fts(rowid, name, body) SELECT id, " FTS_TEXT
                     " FROM project WHERE id = ?1" FTS_INDEXED("version_id"),
    [S_FTS_CLEAR_VERSION] = "INSERT INTO project_fts(project_fts, rowid, name, body) SELECT "
                            "'delete', id, " FTS_TEXT " FROM project WHERE version_id = ?1"
                            FTS_INDEXED("?1"),
    [S_SEARCH_IS_INDEXED] = "SELECT 1 FROM search_indexed WHERE version_id = ?1",
    [S_SEARCH_INDEX_VERSION] = "INSERT INTO project_fts(rowid, name, body) SELECT id, " FTS_TEXT
                               " FROM project WHERE version_id = ?1",
    [S_SEARCH_MARK] = "INSERT INTO search_indexed(version_id) VALUES (?1)",
    [S_SEARCH_UNMARK] = "DELETE FROM search_indexed WHERE version_id = ?1",
    [S_PROJECT_ROW] = "SELECT id, no, row_version FROM project WHERE version_id = ?1 ORDER BY seq",
    [S_PROJECT_UPDATE] =
        "UPDATE project SET no = ?3, name = ?4, objectives = ?5, outputs = ?6, outcomes = ?7, "
        "indicators_quant = ?8, indicators_qual = ?9, budget_satang = ?10, q1_satang = ?11, "
        "q2_satang = ?12, q3_satang = ?13, q4_satang = ?14, period_text = ?15, "
        "period_start = ?16, period_end = ?17, unit_id = (SELECT id FROM unit WHERE agency_id "
        "= ?18 AND name = ?19), unit_text = ?20, issue_no = ?21, issue_inferred = ?22, "
        "alignment = ?23, row_version = row_version + 1 WHERE id = ?1 AND row_version = ?2 "
        "AND (SELECT status FROM plan_version WHERE id = project.version_id) = 'draft'",
    [S_PROJECT_VERSION_OF] = "SELECT version_id, row_version FROM project WHERE id = ?1",
    [S_VERSION_STATUS] = "SELECT status FROM plan_version WHERE id = ?1",
    [S_SEARCH] = "SELECT f.rowid FROM project_fts f JOIN project p ON p.id = f.rowid "
                 "WHERE project_fts MATCH ?2 AND p.version_id = ?1 ORDER BY rank",
    [S_USER_INSERT] = "INSERT INTO user(agency_id, login, name, pwhash, role, unit_id) VALUES "
                      "(?1, ?2, ?3, ?4, ?5, (SELECT id FROM unit WHERE agency_id = ?1 AND "
                      "name = ?6))",
    [S_USER_GET] = "SELECT u.id, u.agency_id, u.login, u.name, u.role, coalesce(n.name, ''), "
                   "u.active, u.pwhash FROM user u LEFT JOIN unit n ON n.id = u.unit_id "
                   "WHERE u.login = ?1",
    [S_USER_BY_ID] = "SELECT u.id, u.agency_id, u.login, u.name, u.role, coalesce(n.name, ''), "
                     "u.active, u.pwhash FROM user u LEFT JOIN unit n ON n.id = u.unit_id "
                     "WHERE u.id = ?1",
    [S_USER_SET_PW] = "UPDATE user SET pwhash = ?2 WHERE login = ?1",
    [S_USER_SET_ROLE] = "UPDATE user SET role = ?2, unit_id = (SELECT id FROM unit WHERE "
                        "agency_id = user.agency_id AND name = ?3) WHERE login = ?1",
    [S_USER_SET_ACTIVE] = "UPDATE user SET active = ?2 WHERE login = ?1",
    [S_USER_LIST] = "SELECT u.id, u.agency_id, u.login, u.name, u.role, coalesce(n.name, ''), "
                    "u.active, '' FROM user u LEFT JOIN unit n ON n.id = u.unit_id "
                    "WHERE u.agency_id = ?1 ORDER BY u.login",
    [S_USER_COUNT] = "SELECT count(*) FROM user",
    [S_SESSION_INSERT] = "INSERT INTO session(token_hash, user_id, csrf, kind, expires) VALUES "
                         "(?1, ?2, ?3, ?4, ?5)",
    [S_SESSION_GET] = "SELECT s.user_id, s.csrf, s.expires FROM session s JOIN user u ON u.id = s.user_id "
                      "WHERE s.token_hash = ?1 AND s.expires > ?2 AND u.active = 1",
    [S_SESSION_DELETE] = "DELETE FROM session WHERE token_hash = ?1",
    [S_SESSION_DELETE_USER] = "DELETE FROM session WHERE user_id = (SELECT id FROM user WHERE "
                              "login = ?1)",
    [S_FAIL_COUNT] = "SELECT count(*) FROM login_failure WHERE who = ?1 AND at >= ?2",
    [S_FAIL_ADD] = "INSERT INTO login_failure(who, at) VALUES (?1, ?2)",
    [S_FAIL_CLEAR] = "DELETE FROM login_failure WHERE who = ?1",
    [S_AUDIT_ADD] = "INSERT INTO audit_log(user_id, user_login, action, entity, old_value, "
                    "new_value) VALUES (?1, ?2, ?3, ?4, ?5, ?6)",
    [S_AUDIT_LIST] = "SELECT id, at, user_login, action, entity, old_value, new_value FROM "
                     "audit_log WHERE id < ?1 ORDER BY id DESC LIMIT ?2",
};

static int exec_params(store *s, const char *sql, const char *types, char *err, size_t errlen,
                       ...);

struct store {
    sqlite3 *db;
    sqlite3_stmt *stmt[S__MAX];
    int schema_version;
    int64_t data_version;     /* PRAGMA data_version when last looked at */
    bool fresh;               /* created by this connection, not yet in WAL (store_open) */
    int64_t data_version_at;  /* when that was, monotonic ms */
};

static void set_err(store *s, char *err, size_t errlen, const char *what)
{
    snprintf(err, errlen, "ฐานข้อมูล: %s: %s / database: %s: %s", what, sqlite3_errmsg(s->db),
             what, sqlite3_errmsg(s->db));
}

/* The prepared statement `id`, reset and with its bindings cleared. */
static sqlite3_stmt *st(store *s, enum stmt_id id)
{
    sqlite3_stmt *q = s->stmt[id];
    if (!q) {
        if (sqlite3_prepare_v3(s->db, stmt_sql[id], -1, SQLITE_PREPARE_PERSISTENT, &s->stmt[id],
                               NULL) != SQLITE_OK)
            panic("SQL of statement %d does not prepare: %s", id, sqlite3_errmsg(s->db));
        q = s->stmt[id];
    }
    sqlite3_reset(q);
    sqlite3_clear_bindings(q);
    return q;
}

static void bind_text(sqlite3_stmt *q, int i, const char *v)
{
    if (v)
        sqlite3_bind_text(q, i, v, -1, SQLITE_TRANSIENT);
    else
        sqlite3_bind_null(q, i);
}

/* Bind an owned string, freed by SQLite when done. */
static void bind_text_owned(sqlite3_stmt *q, int i, char *v)
{
    sqlite3_bind_text(q, i, v, -1, free);
}

static void bind_date(sqlite3_stmt *q, int i, date d)
{
    char iso[11];
    if (date_is_null(d)) {
        sqlite3_bind_null(q, i);
        return;
    }
    date_iso(d, iso);
    sqlite3_bind_text(q, i, iso, -1, SQLITE_TRANSIENT);
}

static const char *col_text(sqlite3_stmt *q, int i)
{
    const unsigned char *t = sqlite3_column_text(q, i);
    return t ? (const char *)t : NULL;
}

static char *col_dup(sqlite3_stmt *q, int i)
{
    return xstrdup(col_text(q, i));
}

static date col_date(sqlite3_stmt *q, int i)
{
    date d = {0, 0, 0};
    const char *t = col_text(q, i);
    if (t)
        date_parse_iso(t, &d);
    return d;
}

/* Run a statement that returns no rows. */
static int run(store *s, sqlite3_stmt *q, char *err, size_t errlen, const char *what)
{
    int rc = sqlite3_step(q);
    if (rc != SQLITE_DONE) {
        set_err(s, err, errlen, what);
        sqlite3_reset(q);
        return -1;
    }
    sqlite3_reset(q);
    return 0;
}

static int exec(store *s, const char *sql, char *err, size_t errlen)
{
    char *msg = NULL;
    if (sqlite3_exec(s->db, sql, NULL, NULL, &msg) != SQLITE_OK) {
        snprintf(err, errlen, "ฐานข้อมูล / database: %s", msg ? msg : "error");
        sqlite3_free(msg);
        return -1;
    }
    return 0;
}

/* ---- opening and migrating ----------------------------------------------------------- */

static int64_t page_count(store *s)
{
    sqlite3_stmt *q;
    int64_t n = -1;
    if (sqlite3_prepare_v2(s->db, "PRAGMA page_count", -1, &q, NULL) == SQLITE_OK) {
        if (sqlite3_step(q) == SQLITE_ROW)
            n = sqlite3_column_int64(q, 0);
        sqlite3_finalize(q);
    }
    return n;
}

/* exec(), waiting up to the busy timeout where SQLite itself will not: when
** two connections that have read the file both want to change it (two
** workers switching a new database to WAL at once), one is told at once
** that it is locked, lest they wait for each other. It backs off here. */
static int exec_waiting(store *s, const char *sql, char *err, size_t errlen)
{
    for (int i = 0; i < 500; i++) {
        int rc = sqlite3_exec(s->db, sql, NULL, NULL, NULL);
        if (rc == SQLITE_OK)
            return 0;
        if (rc != SQLITE_BUSY)
            break;
        usleep(10000);
    }
    return exec(s, sql, err, errlen); /* once more, for the message */
}

/* Set the journal mode (or only read it, mode NULL); true when it is then
** want (lower case, as SQLite says it). */
static bool journal_mode_set(store *s, const char *mode, const char *want)
{
    sqlite3_stmt *q;
    char sql[48] = "PRAGMA journal_mode";
    bool is = false;
    if (mode)
        snprintf(sql, sizeof sql, "PRAGMA journal_mode = %s", mode);
    if (sqlite3_prepare_v2(s->db, sql, -1, &q, NULL) == SQLITE_OK) {
        is = sqlite3_step(q) == SQLITE_ROW && sqlite3_column_text(q, 0) &&
             strcmp((const char *)sqlite3_column_text(q, 0), want) == 0;
        sqlite3_finalize(q);
    }
    return is;
}

static int user_version(store *s)
{
    sqlite3_stmt *q;
    int v = 0;
    if (sqlite3_prepare_v2(s->db, "PRAGMA user_version", -1, &q, NULL) == SQLITE_OK) {
        if (sqlite3_step(q) == SQLITE_ROW)
            v = sqlite3_column_int(q, 0);
        sqlite3_finalize(q);
    }
    return v;
}

static int seed_reference(store *s, char *err, size_t errlen)
{
    refdata *r = ref_builtin();
    int rc = 0;
    for (int f = 0; f < ALIGN__MAX && rc == 0; f++)
        rc = store_ref_replace(s, (align_field)f, &r->lists[f], err, errlen);
    ref_free(r);
    return rc;
}

/* Migration 5's step. SQLite has no ALTER TABLE for a constraint; its
** documented way to remove a CHECK ("Making Other Kinds Of Table Schema
** Changes" in the ALTER TABLE page) rewrites the table's CREATE statement in
** sqlite_schema and moves the schema version on, inside the migration's
** transaction. The statement must hold each constraint exactly as
** migration 1 wrote it; otherwise nothing changes and the error says so. */
static int drop_json_checks(store *s, char *err, size_t errlen)
{
    static const char *const cols[] = {"objectives",       "outputs",         "outcomes",
                                       "indicators_quant", "indicators_qual", "alignment"};
    sqlite3_stmt *q = NULL;
    char *sql = NULL, pragma[64];
    int version = -1, rc = -1;

    if (sqlite3_prepare_v2(s->db, "PRAGMA schema_version", -1, &q, NULL) == SQLITE_OK &&
        sqlite3_step(q) == SQLITE_ROW)
        version = sqlite3_column_int(q, 0);
    sqlite3_finalize(q);
    if (sqlite3_prepare_v2(s->db,
                           "SELECT sql FROM sqlite_schema WHERE type = 'table' AND name = 'project'",
                           -1, &q, NULL) == SQLITE_OK &&
        sqlite3_step(q) == SQLITE_ROW && sqlite3_column_text(q, 0))
        sql = xstrdup((const char *)sqlite3_column_text(q, 0));
    sqlite3_finalize(q);
    q = NULL;
    if (version < 0 || !sql)
        goto unexpected;
    for (size_t i = 0; i < ARRAY_LEN(cols); i++) {
        char *check = xasprintf(" CHECK (json_valid(%s))", cols[i]);
        char *at = strstr(sql, check);
        if (!at || strstr(at + 1, check)) {
            free(check);
            goto unexpected;
        }
        memmove(at, at + strlen(check), strlen(at + strlen(check)) + 1);
        free(check);
    }
    snprintf(pragma, sizeof pragma, "PRAGMA schema_version = %d", version + 1);
    if (exec(s, "PRAGMA writable_schema = ON", err, errlen) != 0)
        goto done;
    if (sqlite3_prepare_v2(s->db,
                           "UPDATE sqlite_schema SET sql = ?1 WHERE type = 'table' AND name = "
                           "'project'",
                           -1, &q, NULL) != SQLITE_OK) {
        snprintf(err, errlen, "ฐานข้อมูล / database: %s", sqlite3_errmsg(s->db));
    } else {
        sqlite3_bind_text(q, 1, sql, -1, SQLITE_STATIC);
        if (sqlite3_step(q) != SQLITE_DONE || sqlite3_changes(s->db) != 1)
            snprintf(err, errlen, "ฐานข้อมูล / database: %s", sqlite3_errmsg(s->db));
        else if (exec(s, pragma, err, errlen) == 0)
            rc = 0;
    }
    sqlite3_finalize(q);
    if (exec(s, "PRAGMA writable_schema = OFF", rc ? NULL : err, rc ? 0 : errlen) != 0)
        rc = -1;
    goto done;
unexpected:
    snprintf(err, errlen,
             "ฐานข้อมูล: ตาราง project ไม่เป็นไปตามที่ phaen สร้างไว้ / database: the project "
             "table is not as phaen created it (migration 5)");
done:
    free(sql);
    return rc;
}

/* Steps in C for the migrations that need more than their SQL, run after it. */
typedef int migrate_step(store *s, char *err, size_t errlen);
static migrate_step *const migration_steps[ARRAY_LEN(migrations)] = {[4] = drop_json_checks};

static int migrate(store *s, char *err, size_t errlen)
{
    int v = user_version(s);
    int target = (int)ARRAY_LEN(migrations);
    if (v > target) {
        snprintf(err, errlen,
                 "ฐานข้อมูลนี้มาจาก phaen รุ่นใหม่กว่า (schema %d) / this database comes from a "
                 "newer phaen (schema %d > %d)",
                 v, v, target);
        return -1;
    }
    if (v == target)
        return 0;
    if (exec(s, "BEGIN IMMEDIATE", err, errlen) != 0)
        return -1;
    if (user_version(s) != v) {
        /* another connection migrated it while this one waited for the lock */
        if (exec(s, "COMMIT", err, errlen) != 0)
            return -1;
        return migrate(s, err, errlen);
    }
    for (int i = v; i < target; i++) {
        char pragma[48];
        if (exec(s, migrations[i], err, errlen) != 0 ||
            (migration_steps[i] && migration_steps[i](s, err, errlen) != 0))
            goto fail;
        snprintf(pragma, sizeof pragma, "PRAGMA user_version = %d", i + 1);
        if (exec(s, pragma, err, errlen) != 0)
            goto fail;
    }
    if (v == 0 && seed_reference(s, err, errlen) != 0)
        goto fail;
    return exec(s, "COMMIT", err, errlen);
fail:
    exec(s, "ROLLBACK", err, errlen);
    return -1;
}

/* ---- the generation (store_generation) ------------------------------------------------- */

static uint64_t commits_here;   /* commits through this process's connections */
static uint64_t changes_seen;   /* changes by other processes noticed */

static int64_t monotonic_ms(void)
{
    struct timespec t;
    clock_gettime(CLOCK_MONOTONIC, &t);
    return (int64_t)t.tv_sec * 1000 + t.tv_nsec / 1000000;
}

/* Called by SQLite after each commit, the write lock released (so a reader
** that sees the new number also sees the new data). It replaces the
** default hook, so it checkpoints as that would: at 1000 pages. */
static int on_wal_commit(void *cls, sqlite3 *db, const char *name, int pages)
{
    (void)cls;
    __atomic_add_fetch(&commits_here, 1, __ATOMIC_RELEASE);
    if (pages >= 1000)
        sqlite3_wal_checkpoint_v2(db, name, SQLITE_CHECKPOINT_PASSIVE, NULL, NULL);
    return SQLITE_OK;
}

uint64_t store_generation(store *s)
{
    int64_t now = monotonic_ms();
    if (now - s->data_version_at >= STORE_GENERATION_LAG_MS) {
        /* data_version moves when another connection has committed: another
        ** process, or another thread here (then counted twice: harmless) */
        sqlite3_stmt *q;
        int64_t v = s->data_version;
        if (sqlite3_prepare_v2(s->db, "PRAGMA data_version", -1, &q, NULL) == SQLITE_OK) {
            if (sqlite3_step(q) == SQLITE_ROW)
                v = sqlite3_column_int64(q, 0);
            sqlite3_finalize(q);
        }
        if (v != s->data_version) {
            if (s->data_version_at)
                __atomic_add_fetch(&changes_seen, 1, __ATOMIC_RELEASE);
            s->data_version = v;
        }
        s->data_version_at = now;
    }
    return __atomic_load_n(&commits_here, __ATOMIC_ACQUIRE) +
           (__atomic_load_n(&changes_seen, __ATOMIC_ACQUIRE) << 32);
}

/* Before SQLite starts: no global memory statistics (a mutex taken by every
** allocation of every connection); fails harmlessly if it has started. */
static void sqlite_config_once(void)
{
    sqlite3_config(SQLITE_CONFIG_MEMSTATUS, 0);
}

/* ---- a new database from the image (db_image.h) ------------------------------------ */

/* The image src/db_image.c embeds; both NULL in a program linked without
** it (build/mkdbimage, which makes it), which then runs the migrations. */
extern const unsigned char phaen_db_image[] __attribute__((weak));
extern const unsigned char phaen_db_image_end[] __attribute__((weak));

enum { IMAGE_MAGIC = 0x62646870 /* "phdb" */, IMAGE_GAP = 64 };

static uint32_t get_u32(const unsigned char *p)
{
    uint32_t v;
    memcpy(&v, p, 4);
    return v;
}

/* Write the image's extents into fd, which is empty. */
static bool image_write(int fd, const unsigned char *p, const unsigned char *end)
{
    uint32_t size, n;
    if (end - p < 12 || get_u32(p) != IMAGE_MAGIC)
        return false;
    size = get_u32(p + 4);
    n = get_u32(p + 8);
    p += 12;
    if (ftruncate(fd, (off_t)size) != 0)
        return false;
    for (uint32_t i = 0; i < n; i++) {
        uint32_t off, len;
        if (end - p < 8)
            return false;
        off = get_u32(p);
        len = get_u32(p + 4);
        p += 8;
        if ((size_t)(end - p) < len || off > size || len > size - off ||
            pwrite(fd, p, len, (off_t)off) != (ssize_t)len)
            return false;
        p += len;
    }
    return true;
}

/* When nothing is at path, put the image there and say true. The image is
** written under another name and linked into place, so that nobody ever
** opens half of it, and a database someone else has just created (another
** process, another worker) is never overwritten: link() fails on an
** existing name. Without the image, for what SQLite would not take as a
** file name of its own (":memory:", "", URIs), or if anything fails, SQLite
** creates the file and the migrations run, as they always could. */
static bool create_from_image(const char *path)
{
    static unsigned serial;
    struct stat st;
    char *tmp;
    int fd;
    bool ok;

    if (!phaen_db_image || !phaen_db_image_end || !*path || strcmp(path, ":memory:") == 0 ||
        strncmp(path, "file:", 5) == 0 || stat(path, &st) == 0 || errno != ENOENT)
        return false;
    tmp = xasprintf("%s.new-%ld-%u", path, (long)getpid(),
                    __atomic_add_fetch(&serial, 1, __ATOMIC_RELAXED));
    fd = open(tmp, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC | O_NOFOLLOW, 0644);
    if (fd < 0) {
        free(tmp);
        return false;
    }
    ok = image_write(fd, phaen_db_image, phaen_db_image_end);
    ok = close(fd) == 0 && ok;
    ok = ok && link(tmp, path) == 0;
    unlink(tmp);
    free(tmp);
    return ok;
}

/* Runs of bytes that are not zero, closer than IMAGE_GAP joined, as
** image_write() reads them. */
static void image_encode(buf *b, const unsigned char *d, size_t size)
{
    size_t count_at, n = 0, i = 0;
    uint32_t v[3] = {IMAGE_MAGIC, (uint32_t)size, 0};
    buf_add(b, (const char *)v, sizeof v);
    count_at = b->len - 4;
    while (i < size) {
        size_t start, last;
        uint32_t ext[2];
        while (i < size && !d[i])
            i++;
        if (i == size)
            break;
        start = last = i;
        for (; i < size && i - last <= IMAGE_GAP; i++)
            if (d[i])
                last = i;
        ext[0] = (uint32_t)start;
        ext[1] = (uint32_t)(last + 1 - start);
        buf_add(b, (const char *)ext, sizeof ext);
        buf_add(b, (const char *)d + start, last + 1 - start);
        i = last + 1;
        n++;
    }
    v[2] = (uint32_t)n;
    memcpy(b->s + count_at, &v[2], 4);
}

const unsigned char *store_sqlite_image(size_t *len)
{
    if (!phaen_db_image || !phaen_db_image_end) {
        *len = 0;
        return NULL;
    }
    *len = (size_t)(phaen_db_image_end - phaen_db_image);
    return phaen_db_image;
}

/* How a database this connection creates is laid out: SQLite's usual
** 4 KiB pages from the image, or 16 KiB pages through the migrations. */
typedef enum { NEW_FROM_IMAGE, NEW_MIGRATED_SMALL, NEW_MIGRATED_LARGE } new_db;

static store *open_db(const char *path, new_db how, char *err, size_t errlen);

int store_sqlite_make_image(const char *scratch, buf *out, char *err, size_t errlen)
{
    store *s;
    size_t len;
    char *data;
    int rc = -1;

    unlink(scratch);
    if (!(s = open_db(scratch, NEW_MIGRATED_SMALL, err, errlen)))
        return -1;
    /* the migrations' transaction is committed into the file (no journal
    ** on disk yet): read it before store_close() switches it to WAL */
    data = file_read(scratch, 1u << 26, &len, err, errlen);
    if (data) {
        image_encode(out, (const unsigned char *)data, len);
        free(data);
        rc = 0;
    }
    store_close(s);
    unlink(scratch);
    return rc;
}

store *store_open(const char *path, char *err, size_t errlen)
{
    return open_db(path, NEW_FROM_IMAGE, err, errlen);
}

store *store_open_large(const char *path, char *err, size_t errlen)
{
    return open_db(path, NEW_MIGRATED_LARGE, err, errlen);
}

static store *open_db(const char *path, new_db how, char *err, size_t errlen)
{
    static pthread_once_t once = PTHREAD_ONCE_INIT;
    store *s = xcalloc(1, sizeof *s);
    bool created = how == NEW_FROM_IMAGE && create_from_image(path);
    pthread_once(&once, sqlite_config_once);
    /* NOMUTEX: a connection is used by one thread at a time (the server
    ** opens one per worker thread) */
    if (sqlite3_open_v2(path, &s->db,
                        SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE | SQLITE_OPEN_NOMUTEX,
                        NULL) != SQLITE_OK) {
        snprintf(err, errlen, "%s: เปิดฐานข้อมูลไม่ได้ / cannot open database: %s", path,
                 s->db ? sqlite3_errmsg(s->db) : "out of memory");
        store_close(s);
        return NULL;
    }
    sqlite3_busy_timeout(s->db, 5000);
    sqlite3_wal_hook(s->db, on_wal_commit, NULL);
    if (store_fts_register(s->db) != 0) {
        snprintf(err, errlen, "%s: SQLite ไม่มี FTS5 / SQLite lacks FTS5", path);
        store_close(s);
        return NULL;
    }
    /* A new file gets SQLite's usual 4 KiB pages, or 16 KiB ones when it is
    ** made for a large plan (store_open_large): a project row is about 6 KB,
    ** and with 4 KiB pages a 10,500-project import saved and committed a
    ** quarter slower and its check read 40% slower; the seed's import wrote
    ** and synced a 336 KB file instead of 868 KB (1-2 ms of its 18). It gets
    ** its schema without waiting for the disk (five
    ** fdatasyncs, about 5 ms here), and keeps its rollback journal in memory
    ** until the first commit of the one who created it (store_commit): a
    ** first import is then written once, straight into the file, instead of
    ** into the WAL and again at the checkpoint (a third of a large import).
    ** Until then the file holds nothing that is not still in the input: a
    ** power cut can spoil it, not lose anything; that first commit does not
    ** wait for the disk either, the switch to WAL right after it (settle)
    ** does, once for both. Every other database, and this one from then on:
    ** WAL, and syncs at checkpoints (NORMAL). */
    s->fresh = created || page_count(s) == 0;
    /* A connection that opened the new file a moment later (another worker
    ** or process) may have made it a WAL database already: this one then
    ** cannot leave WAL and goes on as with any other database. */
    if (s->fresh && (sqlite3_exec(s->db,
                                  how == NEW_MIGRATED_LARGE ? "PRAGMA page_size = 16384"
                                                            : "PRAGMA page_size = 4096",
                                  NULL, NULL, NULL) != SQLITE_OK ||
                     !journal_mode_set(s, "MEMORY", "memory")))
        s->fresh = false;
    if (exec(s, "PRAGMA foreign_keys = ON;", err, errlen) != 0 ||
        exec(s, s->fresh ? "PRAGMA synchronous = OFF;" : "PRAGMA synchronous = NORMAL;", err,
             errlen) != 0 ||
        (!s->fresh && exec_waiting(s, "PRAGMA journal_mode = WAL;", err, errlen) != 0) ||
        migrate(s, err, errlen) != 0 ||
        (!s->fresh && exec(s, "PRAGMA synchronous = NORMAL;", err, errlen) != 0)) {
        char e2[512];
        snprintf(e2, sizeof e2, "%s: %s", path, err);
        snprintf(err, errlen, "%s", e2);
        store_close(s);
        return NULL;
    }
    s->schema_version = user_version(s);
    return s;
}

/* A new database's first commit is done: from now on, WAL (see store_open).
** The switch rewrites the file's header and syncs the file, which makes the
** first commit durable too; should the switch not happen, a write of the
** header in a rollback journal does the same. Another connection may have
** switched the file to WAL meanwhile, and this one's commits then went to
** the WAL without a sync: a checkpoint syncs them. */
static void settle(store *s)
{
    bool wal;
    if (!s->fresh || !sqlite3_get_autocommit(s->db))
        return;
    s->fresh = false;
    sqlite3_exec(s->db, "PRAGMA synchronous = NORMAL", NULL, NULL, NULL);
    if (journal_mode_set(s, NULL, "wal")) {
        sqlite3_wal_checkpoint_v2(s->db, NULL, SQLITE_CHECKPOINT_PASSIVE, NULL, NULL);
        return;
    }
    wal = journal_mode_set(s, "WAL", "wal");
    if (!wal) {
        char sql[96];
        snprintf(sql, sizeof sql,
                 "PRAGMA journal_mode = DELETE; BEGIN IMMEDIATE; PRAGMA user_version = %d; COMMIT",
                 user_version(s));
        sqlite3_exec(s->db, sql, NULL, NULL, NULL);
    }
}

void store_close(store *s)
{
    if (!s)
        return;
    settle(s);
    for (int i = 0; i < S__MAX; i++)
        sqlite3_finalize(s->stmt[i]);
    sqlite3_close(s->db);
    free(s);
}

int store_schema_version(store *s)
{
    return s->schema_version;
}

int store_begin(store *s, char *err, size_t errlen)
{
    return exec(s, "BEGIN IMMEDIATE", err, errlen);
}

int store_commit(store *s, char *err, size_t errlen)
{
    if (exec(s, "COMMIT", err, errlen) != 0)
        return -1;
    settle(s);
    return 0;
}

void store_rollback(store *s)
{
    if (!sqlite3_get_autocommit(s->db))
        sqlite3_exec(s->db, "ROLLBACK", NULL, NULL, NULL);
}

/* ---- agencies and units ------------------------------------------------------------------- */

static int64_t unit_id(store *s, int64_t agency, const char *name)
{
    sqlite3_stmt *q = st(s, S_UNIT_FIND);
    int64_t id = 0;
    sqlite3_bind_int64(q, 1, agency);
    bind_text(q, 2, name);
    if (sqlite3_step(q) == SQLITE_ROW)
        id = sqlite3_column_int64(q, 0);
    sqlite3_reset(q);
    return id;
}

int64_t store_agency_ensure(store *s, const char *name, char *err, size_t errlen)
{
    sqlite3_stmt *q = st(s, S_AGENCY_FIND);
    int64_t id = 0;
    unit_registry reg = {0};

    bind_text(q, 1, name);
    if (sqlite3_step(q) == SQLITE_ROW)
        id = sqlite3_column_int64(q, 0);
    sqlite3_reset(q);
    if (id)
        return id;
    q = st(s, S_AGENCY_INSERT);
    bind_text(q, 1, name);
    if (run(s, q, err, errlen, "agency") != 0)
        return 0;
    id = sqlite3_last_insert_rowid(s->db);
    unit_registry_builtin(&reg);
    for (size_t i = 0; i < reg.n; i++)
        if (store_unit_add(s, id, reg.v[i].name, err, errlen) != 0) {
            unit_registry_free(&reg);
            return 0;
        }
    unit_registry_free(&reg);
    return id;
}

int64_t store_agency_default(store *s, char **name)
{
    sqlite3_stmt *q = st(s, S_AGENCY_ANY);
    int64_t id = 0;
    if (name)
        *name = NULL;
    if (sqlite3_step(q) == SQLITE_ROW) {
        id = sqlite3_column_int64(q, 0);
        if (name)
            *name = col_dup(q, 1);
    }
    sqlite3_reset(q);
    return id;
}

int store_units_load(store *s, int64_t agency, unit_registry *out, char *err, size_t errlen)
{
    sqlite3_stmt *q = st(s, S_UNIT_LIST);
    int rc;
    sqlite3_bind_int64(q, 1, agency);
    while ((rc = sqlite3_step(q)) == SQLITE_ROW)
        unit_registry_add(out, col_text(q, 1));
    sqlite3_reset(q);
    if (rc != SQLITE_DONE) {
        set_err(s, err, errlen, "units");
        return -1;
    }
    q = st(s, S_ALIAS_LIST);
    sqlite3_bind_int64(q, 1, agency);
    while ((rc = sqlite3_step(q)) == SQLITE_ROW)
        unit_registry_alias(out, col_text(q, 0), col_text(q, 1));
    sqlite3_reset(q);
    if (rc != SQLITE_DONE) {
        set_err(s, err, errlen, "unit aliases");
        return -1;
    }
    return 0;
}

/* A new unit name or alias must be a real name and must not already mean
** something in the registry (ignoring spaces, as matching does). */
static int unit_name_free(store *s, int64_t agency, const char *name, char *err, size_t errlen)
{
    unit_registry r = {0};
    const unit_entry *owner = NULL;
    bool empty = true, padded;
    for (const char *p = name; *p; p++)
        if (*p != ' ' && *p != '\t')
            empty = false;
    padded = *name == ' ' || (*name && name[strlen(name) - 1] == ' ');
    if (empty || padded || !utf8_valid(name, strlen(name))) {
        snprintf(err, errlen,
                 "ชื่อ '%s' ใช้ไม่ได้ (ว่าง หรือมีช่องว่างหัวท้าย) / the name '%s' is empty or has "
                 "spaces around it",
                 name, name);
        return -1;
    }
    if (store_units_load(s, agency, &r, err, errlen) != 0)
        return -1;
    for (size_t i = 0; i < r.n && !owner; i++) {
        if (text_equal_nospace(r.v[i].name, name))
            owner = &r.v[i];
        for (size_t a = 0; a < r.v[i].aliases.n && !owner; a++)
            if (text_equal_nospace(r.v[i].aliases.v[a], name))
                owner = &r.v[i];
    }
    if (owner)
        snprintf(err, errlen,
                 "ชื่อ '%s' หมายถึง '%s' อยู่แล้วในทะเบียน / '%s' already means '%s' in the "
                 "registry",
                 name, owner->name, name, owner->name);
    unit_registry_free(&r);
    return owner ? -1 : 0;
}

int store_unit_add(store *s, int64_t agency, const char *name, char *err, size_t errlen)
{
    sqlite3_stmt *q;
    if (unit_name_free(s, agency, name, err, errlen) != 0)
        return -1;
    q = st(s, S_UNIT_INSERT);
    sqlite3_bind_int64(q, 1, agency);
    bind_text(q, 2, name);
    return run(s, q, err, errlen, "unit");
}

int store_unit_alias(store *s, int64_t agency, const char *unit, const char *alias, char *err,
                     size_t errlen)
{
    int64_t id = unit_id(s, agency, unit);
    sqlite3_stmt *q;
    if (!id) {
        snprintf(err, errlen,
                 "ไม่มีหน่วยงาน '%s' ในทะเบียน (ดูด้วย phaen unit list) / no unit '%s' in the "
                 "registry (see phaen unit list)",
                 unit, unit);
        return -1;
    }
    if (unit_name_free(s, agency, alias, err, errlen) != 0)
        return -1;
    q = st(s, S_ALIAS_INSERT);
    sqlite3_bind_int64(q, 1, id);
    bind_text(q, 2, alias);
    return run(s, q, err, errlen, "unit alias");
}

/* ---- reference lists ------------------------------------------------------------------------ */

refdata *store_ref_load(store *s, char *err, size_t errlen)
{
    refdata *r = ref_new();
    sqlite3_stmt *q = st(s, S_REFLIST_ALL);
    int rc;
    while ((rc = sqlite3_step(q)) == SQLITE_ROW) {
        int f = align_from_key(col_text(q, 0));
        if (f < 0)
            continue;
        r->lists[f].complete = sqlite3_column_int(q, 1) != 0;
        free(r->lists[f].source);
        r->lists[f].source = col_dup(q, 2);
    }
    sqlite3_reset(q);
    q = st(s, S_REFITEM_ALL);
    while ((rc = sqlite3_step(q)) == SQLITE_ROW) {
        int f = align_from_key(col_text(q, 0));
        if (f < 0)
            continue;
        ref_add(&r->lists[f], col_text(q, 1), col_text(q, 2), col_text(q, 3), col_text(q, 4));
    }
    sqlite3_reset(q);
    if (rc != SQLITE_DONE) {
        set_err(s, err, errlen, "reference lists");
        ref_free(r);
        return NULL;
    }
    return r;
}

int store_ref_replace(store *s, align_field list, const ref_list *l, char *err, size_t errlen)
{
    sqlite3_stmt *q = st(s, S_REFLIST_UPSERT);
    bind_text(q, 1, align_key(list));
    sqlite3_bind_int(q, 2, l->complete);
    bind_text(q, 3, l->source ? l->source : "");
    if (run(s, q, err, errlen, "reference list") != 0)
        return -1;
    q = st(s, S_REFITEM_CLEAR);
    bind_text(q, 1, align_key(list));
    if (run(s, q, err, errlen, "reference list") != 0)
        return -1;
    for (size_t i = 0; i < l->n; i++) {
        q = st(s, S_REFITEM_INSERT);
        bind_text(q, 1, align_key(list));
        sqlite3_bind_int64(q, 2, (int64_t)i + 1);
        bind_text(q, 3, l->v[i].code);
        bind_text(q, 4, l->v[i].title_th);
        bind_text(q, 5, l->v[i].title_en);
        bind_text(q, 6, l->v[i].parent);
        if (run(s, q, err, errlen, "reference item") != 0)
            return -1;
    }
    return 0;
}

/* ---- JSON columns ----------------------------------------------------------------------------- */

/*
** The columns are written here and read back with jansson. Writing them
** directly is a third of the cost of building jansson values and dumping
** them (a 10,500-project import wrote 63,000 of these); the output is what
** json_dumps(JSON_COMPACT) writes: UTF-8 as it is, '"', '\\' and control
** characters escaped. The model holds valid UTF-8 only; should a byte not
** be, it is written as U+FFFD rather than making the column invalid.
*/
static void json_put_string(buf *b, const char *s)
{
    size_t n = strlen(s);
    const char *p = s, *end = s + n;
    bool valid = utf8_valid(s, n);
    buf_addc(b, '"');
    while (p < end) {
        const char *run = p;
        unsigned char c;
        while (p < end && (c = (unsigned char)*p) >= 0x20 && c != '"' && c != '\\' &&
               (c < 0x80 || valid))
            p++;
        buf_add(b, run, (size_t)(p - run));
        if (p >= end)
            break;
        c = (unsigned char)*p;
        if (c >= 0x80) { /* only when not valid */
            const char *q = p;
            if (utf8_next(&q, end) < 0)
                buf_adds(b, "\xEF\xBF\xBD");
            else
                buf_add(b, p, (size_t)(q - p));
            p = q;
            continue;
        }
        switch (c) {
        case '"': buf_adds(b, "\\\""); break;
        case '\\': buf_adds(b, "\\\\"); break;
        case '\n': buf_adds(b, "\\n"); break;
        case '\t': buf_adds(b, "\\t"); break;
        case '\r': buf_adds(b, "\\r"); break;
        case '\b': buf_adds(b, "\\b"); break;
        case '\f': buf_adds(b, "\\f"); break;
        default: buf_printf(b, "\\u%04x", c); break;
        }
        p++;
    }
    buf_addc(b, '"');
}

static void json_put_list(buf *b, const strlist *l)
{
    buf_addc(b, '[');
    for (size_t i = 0; i < l->n; i++) {
        if (i)
            buf_addc(b, ',');
        json_put_string(b, l->v[i]);
    }
    buf_addc(b, ']');
}

static char *json_list(const strlist *l)
{
    size_t size = 2;
    buf b;
    for (size_t i = 0; i < l->n; i++)
        size += strlen(l->v[i]) + 3; /* quotes and comma; escapes are rare */
    buf_init(&b, 0);
    buf_reserve(&b, size);
    json_put_list(&b, l);
    return buf_detach(&b);
}

static void json_to_list(const char *text, strlist *out)
{
    json_t *a = text ? json_loads(text, 0, NULL) : NULL;
    size_t i;
    json_t *v;
    json_array_foreach(a, i, v)
    {
        if (json_is_string(v))
            strlist_add(out, json_string_value(v));
    }
    json_decref(a);
}

/*
** The alignment column: the seven alignment cells in the table's order
** (align_field), each [codes, text, free_text]:
**
**   [[["3"],"3",false],[["12"],"12",false],...,[[],"ปฏิรูประบบราชการ",true],...]
**
** Rows written by earlier phaen hold an object keyed by field instead,
** {"national_strategy":{"codes":[...],"text":...,"free_text":...},...};
** both are read (no migration rewrites them: approved versions are
** frozen). The arrays cost jansson a third of the objects' nodes and no
** hash tables: loading a 10,500-project version for `check` spent half its
** time decoding the object form.
*/
static char *json_alignment(const alignment *al)
{
    buf b;
    buf_init(&b, 0);
    buf_reserve(&b, 256); /* a typical alignment takes about 150 bytes */
    buf_addc(&b, '[');
    for (int f = 0; f < ALIGN__MAX; f++) {
        if (f)
            buf_addc(&b, ',');
        buf_addc(&b, '[');
        json_put_list(&b, &al[f].codes);
        buf_addc(&b, ',');
        if (al[f].text)
            json_put_string(&b, al[f].text);
        else
            buf_adds(&b, "null");
        buf_adds(&b, al[f].free_text ? ",true]" : ",false]");
    }
    buf_addc(&b, ']');
    return buf_detach(&b);
}

/* One alignment cell from its codes array, text and free_text values. */
static void alignment_cell(alignment *a, json_t *codes, json_t *text, json_t *free_text)
{
    size_t i;
    json_t *v;
    json_array_foreach(codes, i, v)
    {
        if (json_is_string(v))
            strlist_add(&a->codes, json_string_value(v));
    }
    a->text = json_is_string(text) ? xstrdup(json_string_value(text)) : NULL;
    a->free_text = json_is_true(free_text);
}

static void json_to_alignment(const char *text, alignment *al)
{
    json_t *o = text ? json_loads(text, 0, NULL) : NULL;
    for (int f = 0; f < ALIGN__MAX && json_is_array(o); f++) {
        json_t *e = json_array_get(o, (size_t)f);
        alignment_cell(&al[f], json_array_get(e, 0), json_array_get(e, 1),
                       json_array_get(e, 2));
    }
    for (int f = 0; f < ALIGN__MAX && json_is_object(o); f++) {
        json_t *e = json_object_get(o, align_key((align_field)f));
        if (e)
            alignment_cell(&al[f], json_object_get(e, "codes"), json_object_get(e, "text"),
                           json_object_get(e, "free_text"));
    }
    json_decref(o);
}

/* ---- saving a version ---------------------------------------------------------------------- */

/* A project's JSON columns: its lists, then its alignment. */
enum { JSON_COLS = ITEM__MAX + 1 };

static void encode_project(const project *pr, char **json)
{
    for (int k = 0; k < ITEM__MAX; k++)
        json[k] = json_list(&pr->items[k]);
    json[ITEM__MAX] = json_alignment(pr->align);
}

/*
** Saving many projects, their JSON columns are encoded on another thread,
** at most ENCODE_LEAD projects ahead of the inserts (a third of a large
** save was encoding, while the other core sat idle).
*/
enum { ENCODE_LEAD = 256, ENCODE_MIN = 256 };

typedef struct encoder {
    const plan_doc *p;
    char **json;  /* JSON_COLS per project; the saver takes them */
    size_t done;  /* projects encoded */
    size_t taken; /* projects the saver has taken */
    bool stop;
    pthread_mutex_t mu;
    pthread_cond_t cv;
    pthread_t thread;
} encoder;

static void *encoder_main(void *arg)
{
    encoder *e = arg;
    for (size_t i = 0; i < e->p->nprojects; i++) {
        bool stop;
        pthread_mutex_lock(&e->mu);
        while (!e->stop && i >= e->taken + ENCODE_LEAD)
            pthread_cond_wait(&e->cv, &e->mu);
        stop = e->stop;
        pthread_mutex_unlock(&e->mu);
        if (stop)
            break;
        encode_project(&e->p->projects[i], &e->json[i * JSON_COLS]);
        pthread_mutex_lock(&e->mu);
        e->done = i + 1;
        pthread_cond_broadcast(&e->cv);
        pthread_mutex_unlock(&e->mu);
    }
    return NULL;
}

/* An encoder for p's projects, or NULL: too few to be worth a thread. */
static encoder *encoder_start(const plan_doc *p)
{
    encoder *e;
    if (p->nprojects < ENCODE_MIN || par_cpus() < 2)
        return NULL;
    e = xcalloc(1, sizeof *e);
    e->p = p;
    e->json = xcalloc(p->nprojects * JSON_COLS, sizeof(char *));
    pthread_mutex_init(&e->mu, NULL);
    pthread_cond_init(&e->cv, NULL);
    if (pthread_create(&e->thread, NULL, encoder_main, e) != 0) {
        pthread_cond_destroy(&e->cv);
        pthread_mutex_destroy(&e->mu);
        free(e->json);
        free(e);
        return NULL;
    }
    return e;
}

/* Project i's JSON columns (the caller owns them), once encoded. */
static char **encoder_take(encoder *e, size_t i)
{
    pthread_mutex_lock(&e->mu);
    while (e->done <= i)
        pthread_cond_wait(&e->cv, &e->mu);
    e->taken = i + 1;
    pthread_cond_broadcast(&e->cv);
    pthread_mutex_unlock(&e->mu);
    return &e->json[i * JSON_COLS];
}

/* Stop (the saver may have failed half-way), join, free what was not taken. */
static void encoder_end(encoder *e)
{
    if (!e)
        return;
    pthread_mutex_lock(&e->mu);
    e->stop = true;
    pthread_cond_broadcast(&e->cv);
    pthread_mutex_unlock(&e->mu);
    pthread_join(e->thread, NULL);
    for (size_t i = e->taken * JSON_COLS; i < e->done * JSON_COLS; i++)
        free(e->json[i]);
    pthread_cond_destroy(&e->cv);
    pthread_mutex_destroy(&e->mu);
    free(e->json);
    free(e);
}

static int64_t ensure_plan(store *s, int64_t agency, const plan_doc *p, char *err, size_t errlen)
{
    sqlite3_stmt *q = st(s, S_FY_INSERT);
    int64_t id = 0;
    sqlite3_bind_int(q, 1, p->fiscal_year);
    bind_date(q, 2, fy_start(p->fiscal_year));
    bind_date(q, 3, fy_end(p->fiscal_year));
    if (run(s, q, err, errlen, "fiscal year") != 0)
        return 0;
    q = st(s, S_PLAN_FIND);
    sqlite3_bind_int64(q, 1, agency);
    sqlite3_bind_int(q, 2, p->fiscal_year);
    bind_text(q, 3, p->title);
    if (sqlite3_step(q) == SQLITE_ROW)
        id = sqlite3_column_int64(q, 0);
    sqlite3_reset(q);
    if (id)
        return id;
    q = st(s, S_PLAN_INSERT);
    sqlite3_bind_int64(q, 1, agency);
    sqlite3_bind_int(q, 2, p->fiscal_year);
    bind_text(q, 3, p->title);
    if (run(s, q, err, errlen, "plan") != 0)
        return 0;
    return sqlite3_last_insert_rowid(s->db);
}

static int save_note(store *s, int64_t vid, const finding *f, char *err, size_t errlen)
{
    sqlite3_stmt *q = st(s, S_NOTE_INSERT);
    sqlite3_bind_int64(q, 1, vid);
    sqlite3_bind_int(q, 2, f->project);
    bind_text(q, 3, f->rule);
    bind_text(q, 4, severity_key(f->sev));
    bind_text(q, 5, f->field);
    sqlite3_bind_int(q, 6, f->line);
    bind_text(q, 7, f->message_th);
    bind_text(q, 8, f->message_en);
    return run(s, q, err, errlen, "import note");
}

/* Index the stored project `id` for search (its text as FTS_TEXT says),
** when its version is indexed at all. */
static int fts_index(store *s, int64_t id, char *err, size_t errlen)
{
    sqlite3_stmt *q = st(s, S_FTS_INSERT);
    sqlite3_bind_int64(q, 1, id);
    return run(s, q, err, errlen, "search index");
}

/* Parameters ?3..?23 of S_PROJECT_INSERT and S_PROJECT_UPDATE: the
** project's fields, in the same order in both statements. json: its
** JSON_COLS columns already encoded (taken over), or NULL to encode here. */
static void bind_project_fields(sqlite3_stmt *q, int64_t agency, const project *pr,
                                char **json)
{
    char *own[JSON_COLS];
    if (!json) {
        encode_project(pr, own);
        json = own;
    }
    sqlite3_bind_int(q, 3, pr->no);
    bind_text(q, 4, pr->name ? pr->name : "");
    for (int k = 0; k < ITEM__MAX; k++)
        bind_text_owned(q, 5 + k, json[k]);
    if (pr->has_budget)
        sqlite3_bind_int64(q, 10, pr->budget);
    else
        sqlite3_bind_null(q, 10);
    for (int i = 0; i < 4; i++)
        sqlite3_bind_int64(q, 11 + i, pr->q[i]);
    bind_text(q, 15, pr->period_text ? pr->period_text : "");
    bind_date(q, 16, pr->start);
    bind_date(q, 17, pr->end);
    sqlite3_bind_int64(q, 18, agency);
    bind_text(q, 19, pr->unit);
    bind_text(q, 20, pr->unit_text ? pr->unit_text : "");
    if (pr->issue)
        sqlite3_bind_int(q, 21, pr->issue);
    else
        sqlite3_bind_null(q, 21);
    sqlite3_bind_int(q, 22, pr->issue_inferred);
    bind_text_owned(q, 23, json[ITEM__MAX]);
}

static int save_project(store *s, int64_t agency, int64_t vid, int seq, const project *pr,
                        char **json, char *err, size_t errlen)
{
    sqlite3_stmt *q = st(s, S_PROJECT_INSERT);
    sqlite3_bind_int64(q, 1, vid);
    sqlite3_bind_int(q, 2, seq);
    bind_project_fields(q, agency, pr, json);
    sqlite3_bind_int(q, 24, pr->line);
    bind_text(q, 25, pr->change_reason);
    if (run(s, q, err, errlen, "project") != 0)
        return -1;
    for (size_t i = 0; i < pr->notes.n; i++)
        if (save_note(s, vid, &pr->notes.v[i], err, errlen) != 0)
            return -1;
    return 0;
}

static int save_memo(store *s, int64_t vid, const memo *m, char *err, size_t errlen)
{
    sqlite3_stmt *q = st(s, S_MEMO_INSERT);
    json_t *secs = json_array();
    for (size_t i = 0; i < m->nsections; i++) {
        json_t *o = json_object(), *paras = json_array();
        for (size_t k = 0; k < m->sections[i].paras.n; k++)
            json_array_append_new(paras, json_string(m->sections[i].paras.v[k]));
        json_object_set_new(o, "heading", json_string(m->sections[i].heading));
        json_object_set_new(o, "paragraphs", paras);
        json_array_append_new(secs, o);
    }
    sqlite3_bind_int64(q, 1, vid);
    bind_text(q, 2, m->from);
    bind_text(q, 3, m->doc_no);
    bind_date(q, 4, m->date);
    bind_text(q, 5, m->subject);
    bind_text(q, 6, m->to);
    bind_text_owned(q, 7, json_dumps(secs, JSON_COMPACT));
    json_decref(secs);
    return run(s, q, err, errlen, "memo");
}

static const enum stmt_id clear_stmts[] = {
    S_FTS_CLEAR_VERSION, S_SEARCH_UNMARK, S_VERSION_CLEAR_PROJECTS, S_VERSION_CLEAR_ISSUES, S_VERSION_CLEAR_NOTES,
    S_VERSION_CLEAR_SIGNERS, S_VERSION_CLEAR_MEMO,
};

int64_t store_version_save(store *s, int64_t agency, const plan_doc *p, int *replaced,
                           char *err, size_t errlen)
{
    int64_t plan_id = ensure_plan(s, agency, p, err, errlen), vid = 0;
    sqlite3_stmt *q;
    const char *label = p->version_label ? p->version_label : "";

    if (replaced)
        *replaced = 0;
    if (!plan_id)
        return 0;
    q = st(s, S_VERSION_FIND_DRAFT);
    sqlite3_bind_int64(q, 1, plan_id);
    sqlite3_bind_int(q, 2, p->revision);
    if (sqlite3_step(q) == SQLITE_ROW)
        vid = sqlite3_column_int64(q, 0);
    sqlite3_reset(q);
    if (!vid) {
        /* a revision that has left the draft state is not imported over */
        sqlite3_stmt *c;
        int taken = 0;
        if (sqlite3_prepare_v2(s->db,
                               "SELECT count(*) FROM plan_version WHERE plan_id = ?1 AND "
                               "revision = ?2 AND status <> 'draft'",
                               -1, &c, NULL) != SQLITE_OK)
            panic("prepare: %s", sqlite3_errmsg(s->db));
        sqlite3_bind_int64(c, 1, plan_id);
        sqlite3_bind_int(c, 2, p->revision);
        if (sqlite3_step(c) == SQLITE_ROW)
            taken = sqlite3_column_int(c, 0);
        sqlite3_finalize(c);
        if (taken) {
            snprintf(err, errlen,
                     "ฉบับครั้งที่ %d ของแผนนี้ผ่านการเสนอแล้ว แก้ไขไม่ได้ ให้สร้างฉบับปรับปรุงใหม่ / "
                     "revision %d of this plan is no longer a draft; create a new revision",
                     p->revision, p->revision);
            return 0;
        }
    }
    if (vid) {
        q = st(s, S_VERSION_UPDATE);
        sqlite3_bind_int64(q, 1, vid);
        bind_text(q, 2, label);
        bind_text(q, 3, p->title_line ? p->title_line : "");
        bind_text(q, 4, p->source_file ? p->source_file : "");
        if (run(s, q, err, errlen, "version") != 0)
            return 0;
        for (size_t i = 0; i < ARRAY_LEN(clear_stmts); i++) {
            q = st(s, clear_stmts[i]);
            sqlite3_bind_int64(q, 1, vid);
            if (run(s, q, err, errlen, "version") != 0)
                return 0;
        }
        if (replaced)
            *replaced = 1;
    } else {
        q = st(s, S_VERSION_INSERT);
        sqlite3_bind_int64(q, 1, plan_id);
        sqlite3_bind_int(q, 2, p->revision);
        bind_text(q, 3, label);
        bind_text(q, 4, p->title_line ? p->title_line : "");
        bind_text(q, 5, p->source_file ? p->source_file : "");
        if (run(s, q, err, errlen, "version") != 0)
            return 0;
        vid = sqlite3_last_insert_rowid(s->db);
    }
    for (size_t i = 0; i < p->nissues; i++) {
        q = st(s, S_ISSUE_INSERT);
        sqlite3_bind_int64(q, 1, vid);
        sqlite3_bind_int(q, 2, p->issues[i].no);
        bind_text(q, 3, p->issues[i].title ? p->issues[i].title : "");
        if (run(s, q, err, errlen, "strategic issue") != 0)
            return 0;
    }
    {
        encoder *e = encoder_start(p);
        for (size_t i = 0; i < p->nprojects; i++)
            if (save_project(s, agency, vid, (int)i + 1, &p->projects[i],
                             e ? encoder_take(e, i) : NULL, err, errlen) != 0) {
                encoder_end(e);
                return 0;
            }
        encoder_end(e);
    }
    for (size_t i = 0; i < p->notes.n; i++)
        if (save_note(s, vid, &p->notes.v[i], err, errlen) != 0)
            return 0;
    if (p->has_memo && save_memo(s, vid, &p->memo, err, errlen) != 0)
        return 0;
    for (int r = 0; r < SIGN__MAX; r++) {
        const signature *sg = &p->signers[r];
        if (!sg->name && !sg->position && date_is_null(sg->date))
            continue;
        q = st(s, S_SIGNER_INSERT);
        sqlite3_bind_int64(q, 1, vid);
        bind_text(q, 2, sign_role_key((sign_role)r));
        bind_text(q, 3, sg->name);
        bind_text(q, 4, sg->position);
        bind_date(q, 5, sg->date);
        if (run(s, q, err, errlen, "signer") != 0)
            return 0;
    }
    return vid;
}

/* ---- loading a version ---------------------------------------------------------------------- */

/* The JSON columns of the rows read so far are decoded on other threads
** while SQLite steps through the rest: jansson building and freeing its
** values was half of loading a 10,500-project version. */
enum { DECODE_BLOCK = 64, DECODE_MIN_ROWS = 256 };

typedef struct decode_job {
    plan_doc *p;
    char **json; /* JSON_COLS texts per project, owned; NULL = not loaded */
} decode_job;

static void decode_rows(void *cls, size_t from, size_t to)
{
    decode_job *j = cls;
    for (size_t i = from; i < to; i++) {
        project *pr = &j->p->projects[i];
        char **c = &j->json[i * JSON_COLS];
        for (int k = 0; k < ITEM__MAX; k++)
            if (c[k])
                json_to_list(c[k], &pr->items[k]);
        json_to_alignment(c[ITEM__MAX], pr->align);
        for (int k = 0; k < JSON_COLS; k++)
            free(c[k]);
    }
}

static size_t count_projects(store *s, int64_t vid)
{
    sqlite3_stmt *q = st(s, S_PROJECT_COUNT);
    size_t n = 0;
    sqlite3_bind_int64(q, 1, vid);
    if (sqlite3_step(q) == SQLITE_ROW)
        n = (size_t)sqlite3_column_int64(q, 0);
    sqlite3_reset(q);
    return n;
}

static int load_projects(store *s, int64_t vid, plan_doc *p, unsigned what)
{
    sqlite3_stmt *q = st(s, S_PROJECT_LIST);
    size_t n = count_projects(s, vid), i = 0;
    decode_job job = {.p = p, .json = xcalloc(n * JSON_COLS + 1, sizeof(char *))};
    par *w = par_start(decode_rows, &job, DECODE_BLOCK, n >= DECODE_MIN_ROWS ? 0 : 1);
    int rc;
    /* the projects stay where they are while other threads decode them */
    plan_reserve_projects(p, p->nprojects + n);
    sqlite3_bind_int64(q, 1, vid);
    while ((rc = sqlite3_step(q)) == SQLITE_ROW && i < n) {
        project *pr = plan_add_project(p);
        char **c = &job.json[i * JSON_COLS];
        pr->no = sqlite3_column_int(q, 0);
        pr->name = col_dup(q, 1);
        for (int k = 0; k < ITEM__MAX && !(what & STORE_LOAD_NO_LISTS); k++)
            c[k] = col_dup(q, 2 + k);
        pr->has_budget = sqlite3_column_type(q, 7) != SQLITE_NULL;
        pr->budget = sqlite3_column_int64(q, 7);
        for (int k = 0; k < 4; k++)
            pr->q[k] = sqlite3_column_int64(q, 8 + k);
        pr->period_text = col_dup(q, 12);
        pr->start = col_date(q, 13);
        pr->end = col_date(q, 14);
        pr->unit = col_dup(q, 15);
        pr->unit_text = col_dup(q, 16);
        pr->issue = sqlite3_column_int(q, 17);
        pr->issue_inferred = sqlite3_column_int(q, 18) != 0;
        c[ITEM__MAX] = col_dup(q, 19);
        pr->line = sqlite3_column_int(q, 20);
        pr->version = sqlite3_column_int64(q, 21);
        pr->id = sqlite3_column_int64(q, 22);
        pr->change_reason = col_dup(q, 23);
        par_ready(w, ++i);
    }
    par_finish(w, i);
    free(job.json);
    sqlite3_reset(q);
    /* the count and the rows come from one read transaction: they agree */
    return rc == SQLITE_DONE ? 0 : -1;
}

static int load_notes(store *s, int64_t vid, plan_doc *p)
{
    sqlite3_stmt *q = st(s, S_NOTE_LIST);
    int rc;
    sqlite3_bind_int64(q, 1, vid);
    size_t at = 0; /* notes come in project order: look from the last one found */
    while ((rc = sqlite3_step(q)) == SQLITE_ROW) {
        int no = sqlite3_column_int(q, 0), sev = severity_from_key(col_text(q, 2));
        findings *dst = &p->notes;
        for (size_t k = 0; no && k < p->nprojects; k++) {
            size_t i = (at + k) % p->nprojects;
            if (p->projects[i].no == no) {
                dst = &p->projects[i].notes;
                at = i;
                break;
            }
        }
        findings_add(dst, col_text(q, 1), sev < 0 ? SEV_WARNING : (severity)sev, no,
                     col_text(q, 3), sqlite3_column_int(q, 4), col_text(q, 5), col_text(q, 6));
    }
    sqlite3_reset(q);
    return rc == SQLITE_DONE ? 0 : -1;
}

static int load_memo(store *s, int64_t vid, plan_doc *p)
{
    sqlite3_stmt *q = st(s, S_MEMO_GET);
    sqlite3_bind_int64(q, 1, vid);
    if (sqlite3_step(q) == SQLITE_ROW) {
        memo *m = &p->memo;
        json_t *secs = json_loads(col_text(q, 5) ? col_text(q, 5) : "[]", 0, NULL), *o;
        size_t i;
        p->has_memo = true;
        m->from = col_dup(q, 0);
        m->doc_no = col_dup(q, 1);
        m->date = col_date(q, 2);
        m->subject = col_dup(q, 3);
        m->to = col_dup(q, 4);
        json_array_foreach(secs, i, o)
        {
            memo_section *sec;
            json_t *v;
            size_t k;
            m->sections = xrealloc(m->sections, (m->nsections + 1) * sizeof *m->sections);
            sec = &m->sections[m->nsections++];
            memset(sec, 0, sizeof *sec);
            sec->heading = xstrdup(json_string_value(json_object_get(o, "heading")));
            json_array_foreach(json_object_get(o, "paragraphs"), k, v)
            {
                if (json_is_string(v))
                    strlist_add(&sec->paras, json_string_value(v));
            }
        }
        json_decref(secs);
    }
    sqlite3_reset(q);
    q = st(s, S_SIGNER_LIST);
    sqlite3_bind_int64(q, 1, vid);
    while (sqlite3_step(q) == SQLITE_ROW) {
        const char *rk = col_text(q, 0);
        for (int r = 0; r < SIGN__MAX; r++)
            if (rk && strcmp(rk, sign_role_key((sign_role)r)) == 0) {
                p->signers[r].name = col_dup(q, 1);
                p->signers[r].position = col_dup(q, 2);
                p->signers[r].date = col_date(q, 3);
            }
    }
    sqlite3_reset(q);
    return 0;
}

/* Per-unit allocations, and the signers taken from the approval log: the
** one who submitted prepared it, the reviewer checked, the head approved. */
static int load_life(store *s, int64_t vid, plan_doc *p)
{
    sqlite3_stmt *q;
    transition *t;
    size_t n;
    if (sqlite3_prepare_v2(s->db,
                           "SELECT u.name, a.allocated_satang FROM unit_allocation a JOIN unit u "
                           "ON u.id = a.unit_id WHERE a.version_id = ?1 ORDER BY u.name",
                           -1, &q, NULL) != SQLITE_OK)
        return -1;
    sqlite3_bind_int64(q, 1, vid);
    while (sqlite3_step(q) == SQLITE_ROW) {
        p->unit_alloc = xrealloc(p->unit_alloc, (p->nunit_alloc + 1) * sizeof *p->unit_alloc);
        p->unit_alloc[p->nunit_alloc].unit = col_dup(q, 0);
        p->unit_alloc[p->nunit_alloc].satang = sqlite3_column_int64(q, 1);
        p->nunit_alloc++;
    }
    sqlite3_finalize(q);
    if (store_transitions(s, vid, &t, &n) != 0)
        return -1;
    for (size_t i = 0; i < n; i++) {
        int r = strcmp(t[i].to, "submitted") == 0 ? SIGN_PREPARED
                : strcmp(t[i].to, "checked") == 0 ? SIGN_CHECKED
                : strcmp(t[i].to, "approved") == 0 ? SIGN_APPROVED
                                                   : -1;
        date d = {0, 0, 0};
        struct tm tm = {0};
        if (r < 0)
            continue;
        free(p->signers[r].name);
        free(p->signers[r].position);
        p->signers[r].name = xstrdup(t[i].name);
        p->signers[r].position = xstrdup(t[i].position);
        /* the date in Thai time (UTC+7) */
        if (sscanf(t[i].at, "%d-%d-%dT%d:%d", &tm.tm_year, &tm.tm_mon, &tm.tm_mday, &tm.tm_hour,
                   &tm.tm_min) == 5) {
            time_t tt;
            tm.tm_year -= 1900;
            tm.tm_mon -= 1;
            tt = timegm(&tm) + 7 * 3600;
            gmtime_r(&tt, &tm);
            d = (date){tm.tm_year + 1900, tm.tm_mon + 1, tm.tm_mday};
        }
        p->signers[r].date = d;
    }
    store_transitions_free(t, n);
    return 0;
}

plan_doc *store_version_load(store *s, int64_t vid, char *err, size_t errlen)
{
    return store_version_load_part(s, vid, 0, err, errlen);
}

static plan_doc *load_version_part(store *s, int64_t vid, unsigned what, char *err,
                                   size_t errlen)
{
    sqlite3_stmt *q = st(s, S_VERSION_GET);
    plan_doc *p;
    sqlite3_bind_int64(q, 1, vid);
    if (sqlite3_step(q) != SQLITE_ROW) {
        sqlite3_reset(q);
        snprintf(err, errlen, "ไม่มีฉบับที่ %lld / no version %lld", (long long)vid,
                 (long long)vid);
        return NULL;
    }
    p = plan_new();
    p->agency = col_dup(q, 0);
    p->fiscal_year = sqlite3_column_int(q, 1);
    p->title = col_dup(q, 2);
    p->revision = sqlite3_column_int(q, 3);
    p->version_label = col_dup(q, 4);
    p->title_line = col_dup(q, 5);
    p->source_file = col_dup(q, 6);
    snprintf(p->status, sizeof p->status, "%s", col_text(q, 7) ? col_text(q, 7) : "draft");
    p->reason = col_dup(q, 8);
    p->based_on = sqlite3_column_int64(q, 9);
    p->has_allocation = sqlite3_column_type(q, 10) != SQLITE_NULL;
    p->allocated = sqlite3_column_int64(q, 10);
    p->version_id = vid;
    sqlite3_reset(q);

    q = st(s, S_ISSUE_LIST);
    sqlite3_bind_int64(q, 1, vid);
    while (sqlite3_step(q) == SQLITE_ROW)
        plan_set_issue(p, sqlite3_column_int(q, 0), col_text(q, 1));
    sqlite3_reset(q);
    if (load_projects(s, vid, p, what) != 0 || load_notes(s, vid, p) != 0 ||
        load_memo(s, vid, p) != 0 || load_life(s, vid, p) != 0) {
        set_err(s, err, errlen, "load version");
        plan_free(p);
        return NULL;
    }
    return p;
}

/* One read transaction (a savepoint, so that it also nests in a caller's):
** the version, its projects, their count and their notes as of one moment,
** whatever another connection commits meanwhile. */
plan_doc *store_version_load_part(store *s, int64_t vid, unsigned what, char *err,
                                  size_t errlen)
{
    plan_doc *p;
    if (exec(s, "SAVEPOINT load_version", err, errlen) != 0)
        return NULL;
    p = load_version_part(s, vid, what, err, errlen);
    sqlite3_exec(s->db, "RELEASE load_version", NULL, NULL, NULL);
    return p;
}

int64_t store_version_latest(store *s, int64_t agency, int fiscal_year)
{
    sqlite3_stmt *q = st(s, fiscal_year ? S_VERSION_LATEST_FY : S_VERSION_LATEST);
    int64_t id = 0;
    sqlite3_bind_int64(q, 1, agency);
    if (fiscal_year)
        sqlite3_bind_int(q, 2, fiscal_year);
    if (sqlite3_step(q) == SQLITE_ROW)
        id = sqlite3_column_int64(q, 0);
    sqlite3_reset(q);
    return id;
}

int store_versions_list(store *s, int64_t agency, version_info **out, size_t *n, char *err,
                        size_t errlen)
{
    sqlite3_stmt *q = st(s, S_VERSION_LIST);
    int rc;
    size_t cap = 0;
    *out = NULL;
    *n = 0;
    sqlite3_bind_int64(q, 1, agency);
    while ((rc = sqlite3_step(q)) == SQLITE_ROW) {
        version_info *v;
        if (*n == cap) {
            cap = cap ? cap * 2 : 8;
            *out = xrealloc(*out, cap * sizeof **out);
        }
        v = &(*out)[(*n)++];
        memset(v, 0, sizeof *v);
        v->id = sqlite3_column_int64(q, 0);
        v->fiscal_year = sqlite3_column_int(q, 1);
        v->revision = sqlite3_column_int(q, 2);
        snprintf(v->label, sizeof v->label, "%s", col_text(q, 3) ? col_text(q, 3) : "");
        snprintf(v->status, sizeof v->status, "%s", col_text(q, 4) ? col_text(q, 4) : "");
        snprintf(v->created, sizeof v->created, "%s", col_text(q, 5) ? col_text(q, 5) : "");
        snprintf(v->source, sizeof v->source, "%s", col_text(q, 6) ? col_text(q, 6) : "");
        v->nprojects = sqlite3_column_int(q, 7);
        v->budget = sqlite3_column_int64(q, 8);
    }
    sqlite3_reset(q);
    if (rc != SQLITE_DONE) {
        set_err(s, err, errlen, "versions");
        free(*out);
        *out = NULL;
        return -1;
    }
    return 0;
}

/* ---- projects (web edits) ---------------------------------------------------------------------- */

int store_project_update(store *s, int64_t agency, const project *pr, int64_t *new_version,
                         char *err, size_t errlen)
{
    sqlite3_stmt *q;
    int64_t vid = 0, cur = 0;
    char status[16];

    /* take the project's words out of the index while its old text is
    ** there (it goes back in below, or is restored by the rollback) */
    if (exec_params(s,
                    "INSERT INTO project_fts(project_fts, rowid, name, body) SELECT 'delete', "
                    "id, " FTS_TEXT " FROM project WHERE id = ?1" FTS_INDEXED("version_id"),
                    "i", err, errlen, pr->id) < 0)
        return STORE_ERROR;
    q = st(s, S_PROJECT_UPDATE);

    sqlite3_bind_int64(q, 1, pr->id);
    sqlite3_bind_int64(q, 2, pr->version);
    bind_project_fields(q, agency, pr, NULL);
    if (run(s, q, err, errlen, "project") != 0)
        return STORE_ERROR;
    if (sqlite3_changes(s->db) == 1) {
        if (fts_index(s, pr->id, err, errlen) != 0)
            return STORE_ERROR;
        if (new_version)
            *new_version = pr->version + 1;
        return STORE_OK;
    }
    /* nothing changed: gone, not a draft, or someone saved first */
    q = st(s, S_PROJECT_VERSION_OF);
    sqlite3_bind_int64(q, 1, pr->id);
    if (sqlite3_step(q) == SQLITE_ROW) {
        vid = sqlite3_column_int64(q, 0);
        cur = sqlite3_column_int64(q, 1);
    }
    sqlite3_reset(q);
    if (!vid) {
        snprintf(err, errlen, "ไม่มีโครงการนี้ / no such project");
        return STORE_NOT_FOUND;
    }
    store_version_status(s, vid, status);
    if (strcmp(status, "draft") != 0) {
        snprintf(err, errlen,
                 "ฉบับนี้ %s แล้ว แก้ไขได้เฉพาะฉบับร่าง / this version is %s; only drafts can "
                 "be edited",
                 status, status);
        return STORE_ERROR;
    }
    snprintf(err, errlen,
             "มีผู้บันทึกโครงการนี้ก่อนแล้ว (ฉบับแก้ไขที่ %lld ไม่ใช่ %lld) / someone saved this "
             "project first (row version %lld, not %lld)",
             (long long)cur, (long long)pr->version, (long long)cur, (long long)pr->version);
    return STORE_CONFLICT;
}

int64_t store_project_version_of(store *s, int64_t project_id)
{
    sqlite3_stmt *q = st(s, S_PROJECT_VERSION_OF);
    int64_t v = 0;
    sqlite3_bind_int64(q, 1, project_id);
    if (sqlite3_step(q) == SQLITE_ROW)
        v = sqlite3_column_int64(q, 0);
    sqlite3_reset(q);
    return v;
}

void store_version_status(store *s, int64_t version, char out[16])
{
    sqlite3_stmt *q = st(s, S_VERSION_STATUS);
    out[0] = 0;
    sqlite3_bind_int64(q, 1, version);
    if (sqlite3_step(q) == SQLITE_ROW)
        snprintf(out, 16, "%s", col_text(q, 0) ? col_text(q, 0) : "");
    sqlite3_reset(q);
}

/* Turn what a person typed into an FTS5 query: every word (libthai for
** Thai) becomes a quoted phrase, all of them required. */
static int fts_word(void *ctx, const char *w, size_t len, size_t start, size_t end)
{
    buf *b = ctx;
    (void)start;
    (void)end;
    if (b->len)
        buf_adds(b, " AND ");
    buf_addc(b, '"');
    for (size_t i = 0; i < len; i++) {
        if (w[i] == '"')
            buf_addc(b, '"');
        buf_addc(b, w[i]);
    }
    buf_addc(b, '"');
    return 0;
}

static bool search_indexed(store *s, int64_t version)
{
    sqlite3_stmt *q = st(s, S_SEARCH_IS_INDEXED);
    bool yes;
    sqlite3_bind_int64(q, 1, version);
    yes = sqlite3_step(q) == SQLITE_ROW;
    sqlite3_reset(q);
    return yes;
}

/* Put the version's projects into the search index unless they are there:
** in its own transaction, or in the caller's when one is open. */
static int search_ensure(store *s, int64_t version, char *err, size_t errlen)
{
    bool own = sqlite3_get_autocommit(s->db);
    sqlite3_stmt *q;

    if (search_indexed(s, version))
        return 0;
    if (own && store_begin(s, err, errlen) != 0)
        return -1;
    if (!search_indexed(s, version)) { /* another connection may have been first */
        q = st(s, S_SEARCH_INDEX_VERSION);
        sqlite3_bind_int64(q, 1, version);
        if (run(s, q, err, errlen, "search index") != 0)
            goto fail;
        q = st(s, S_SEARCH_MARK);
        sqlite3_bind_int64(q, 1, version);
        if (run(s, q, err, errlen, "search index") != 0)
            goto fail;
    }
    if (own && store_commit(s, err, errlen) != 0)
        goto fail;
    return 0;
fail:
    if (own)
        store_rollback(s);
    return -1;
}

int store_search(store *s, int64_t version, const char *query, int64_t **ids, size_t *n,
                 char *err, size_t errlen)
{
    sqlite3_stmt *q;
    buf m;
    size_t cap = 0;
    int rc;
    *ids = NULL;
    *n = 0;
    buf_init(&m, 4096);
    thai_words(query, strlen(query), fts_word, &m);
    if (!m.len || m.overflow) {
        buf_free(&m);
        return 0;
    }
    if (search_ensure(s, version, err, errlen) != 0) {
        buf_free(&m);
        return -1;
    }
    q = st(s, S_SEARCH);
    sqlite3_bind_int64(q, 1, version);
    bind_text(q, 2, m.s);
    while ((rc = sqlite3_step(q)) == SQLITE_ROW) {
        if (*n == cap) {
            cap = cap ? cap * 2 : 16;
            *ids = xrealloc(*ids, cap * sizeof **ids);
        }
        (*ids)[(*n)++] = sqlite3_column_int64(q, 0);
    }
    sqlite3_reset(q);
    buf_free(&m);
    if (rc != SQLITE_DONE) {
        set_err(s, err, errlen, "search");
        free(*ids);
        *ids = NULL;
        *n = 0;
        return -1;
    }
    return 0;
}

/* ---- people and sessions ------------------------------------------------------------------------ */

static const char *role_keys[ROLE__MAX] = {"admin",    "planner",  "unit_editor",
                                           "reviewer", "approver", "viewer"};
static const char *role_names_th[ROLE__MAX] = {
    "ผู้ดูแลระบบ", "นักวิเคราะห์นโยบายและแผน", "ผู้แก้ไขของกลุ่ม", "ผู้ตรวจ", "ผู้อนุมัติ (หัวหน้าส่วนราชการ)",
    "ผู้อ่าน"};

const char *role_key(role r) { return role_keys[r]; }
const char *role_th(role r) { return role_names_th[r]; }

int role_from_key(const char *k)
{
    for (int i = 0; i < ROLE__MAX; i++)
        if (k && strcmp(role_keys[i], k) == 0)
            return i;
    return -1;
}

static void user_from_row(sqlite3_stmt *q, user *u, char *pwhash, size_t pwlen)
{
    int r;
    memset(u, 0, sizeof *u);
    u->id = sqlite3_column_int64(q, 0);
    u->agency = sqlite3_column_int64(q, 1);
    snprintf(u->login, sizeof u->login, "%s", col_text(q, 2) ? col_text(q, 2) : "");
    snprintf(u->name, sizeof u->name, "%s", col_text(q, 3) ? col_text(q, 3) : "");
    r = role_from_key(col_text(q, 4));
    u->role = r < 0 ? ROLE_VIEWER : (role)r;
    snprintf(u->unit, sizeof u->unit, "%s", col_text(q, 5) ? col_text(q, 5) : "");
    u->active = sqlite3_column_int(q, 6) != 0;
    if (pwhash)
        snprintf(pwhash, pwlen, "%s", col_text(q, 7) ? col_text(q, 7) : "");
}

int64_t store_user_add(store *s, int64_t agency, const char *login, const char *name,
                       const char *pwhash, role r, const char *unit, char *err, size_t errlen)
{
    sqlite3_stmt *q = st(s, S_USER_INSERT);
    user u;
    if (store_user_get(s, login, &u, NULL, 0) == 0) {
        snprintf(err, errlen, "มีผู้ใช้ '%s' อยู่แล้ว / user '%s' already exists", login, login);
        return 0;
    }
    sqlite3_bind_int64(q, 1, agency);
    bind_text(q, 2, login);
    bind_text(q, 3, name);
    bind_text(q, 4, pwhash);
    bind_text(q, 5, role_key(r));
    bind_text(q, 6, unit ? unit : "");
    if (run(s, q, err, errlen, "user") != 0)
        return 0;
    return sqlite3_last_insert_rowid(s->db);
}

int store_user_get(store *s, const char *login, user *out, char *pwhash, size_t pwlen)
{
    sqlite3_stmt *q = st(s, S_USER_GET);
    int rc = STORE_NOT_FOUND;
    bind_text(q, 1, login);
    if (sqlite3_step(q) == SQLITE_ROW) {
        user_from_row(q, out, pwhash, pwlen);
        rc = 0;
    }
    sqlite3_reset(q);
    return rc;
}

int store_user_by_id(store *s, int64_t id, user *out)
{
    sqlite3_stmt *q = st(s, S_USER_BY_ID);
    int rc = STORE_NOT_FOUND;
    sqlite3_bind_int64(q, 1, id);
    if (sqlite3_step(q) == SQLITE_ROW) {
        user_from_row(q, out, NULL, 0);
        rc = 0;
    }
    sqlite3_reset(q);
    return rc;
}

static int user_must_exist(store *s, const char *login, char *err, size_t errlen)
{
    user u;
    if (store_user_get(s, login, &u, NULL, 0) != 0) {
        snprintf(err, errlen, "ไม่มีผู้ใช้ '%s' / no user '%s'", login, login);
        return -1;
    }
    return 0;
}

int store_user_set_password(store *s, const char *login, const char *pwhash, char *err,
                            size_t errlen)
{
    sqlite3_stmt *q;
    if (user_must_exist(s, login, err, errlen) != 0)
        return -1;
    /* both or neither, inside the caller's transaction or without one */
    if (exec(s, "SAVEPOINT set_password", err, errlen) != 0)
        return -1;
    q = st(s, S_USER_SET_PW);
    bind_text(q, 1, login);
    bind_text(q, 2, pwhash);
    if (run(s, q, err, errlen, "user") != 0)
        goto fail;
    q = st(s, S_SESSION_DELETE_USER);
    bind_text(q, 1, login);
    if (run(s, q, err, errlen, "user") != 0)
        goto fail;
    return exec(s, "RELEASE set_password", err, errlen);
fail:
    sqlite3_exec(s->db, "ROLLBACK TO set_password; RELEASE set_password", NULL, NULL, NULL);
    return -1;
}

int store_user_set_active(store *s, const char *login, bool active, char *err, size_t errlen)
{
    sqlite3_stmt *q;
    if (user_must_exist(s, login, err, errlen) != 0)
        return -1;
    if (exec(s, "SAVEPOINT set_active", err, errlen) != 0)
        return -1;
    q = st(s, S_USER_SET_ACTIVE);
    bind_text(q, 1, login);
    sqlite3_bind_int(q, 2, active ? 1 : 0);
    if (run(s, q, err, errlen, "user") != 0)
        goto fail;
    if (!active) {
        q = st(s, S_SESSION_DELETE_USER);
        bind_text(q, 1, login);
        if (run(s, q, err, errlen, "user") != 0)
            goto fail;
    }
    return exec(s, "RELEASE set_active", err, errlen);
fail:
    sqlite3_exec(s->db, "ROLLBACK TO set_active; RELEASE set_active", NULL, NULL, NULL);
    return -1;
}

int store_user_set_role(store *s, const char *login, role r, const char *unit, char *err,
                        size_t errlen)
{
    sqlite3_stmt *q;
    if (user_must_exist(s, login, err, errlen) != 0)
        return -1;
    q = st(s, S_USER_SET_ROLE);
    bind_text(q, 1, login);
    bind_text(q, 2, role_key(r));
    bind_text(q, 3, unit ? unit : "");
    return run(s, q, err, errlen, "user");
}

int store_users_list(store *s, int64_t agency, user **out, size_t *n)
{
    sqlite3_stmt *q = st(s, S_USER_LIST);
    size_t cap = 0;
    *out = NULL;
    *n = 0;
    sqlite3_bind_int64(q, 1, agency);
    while (sqlite3_step(q) == SQLITE_ROW) {
        if (*n == cap) {
            cap = cap ? cap * 2 : 8;
            *out = xrealloc(*out, cap * sizeof **out);
        }
        user_from_row(q, &(*out)[(*n)++], NULL, 0);
    }
    sqlite3_reset(q);
    return 0;
}

int store_user_count(store *s)
{
    sqlite3_stmt *q = st(s, S_USER_COUNT);
    int n = 0;
    if (sqlite3_step(q) == SQLITE_ROW)
        n = sqlite3_column_int(q, 0);
    sqlite3_reset(q);
    return n;
}

int store_session_create(store *s, int64_t user_id, const char *token_hash, const char *csrf,
                         const char *kind, int64_t expires, char *err, size_t errlen)
{
    sqlite3_stmt *q = st(s, S_SESSION_INSERT);
    bind_text(q, 1, token_hash);
    sqlite3_bind_int64(q, 2, user_id);
    bind_text(q, 3, csrf);
    bind_text(q, 4, kind);
    sqlite3_bind_int64(q, 5, expires);
    return run(s, q, err, errlen, "session");
}

int store_session_get(store *s, const char *token_hash, int64_t now, int64_t *user_id,
                      char csrf[72], int64_t *expires)
{
    sqlite3_stmt *q = st(s, S_SESSION_GET);
    int rc = STORE_NOT_FOUND;
    bind_text(q, 1, token_hash);
    sqlite3_bind_int64(q, 2, now);
    if (sqlite3_step(q) == SQLITE_ROW) {
        *user_id = sqlite3_column_int64(q, 0);
        snprintf(csrf, 72, "%s", col_text(q, 1) ? col_text(q, 1) : "");
        if (expires)
            *expires = sqlite3_column_int64(q, 2);
        rc = 0;
    }
    sqlite3_reset(q);
    return rc;
}

void store_session_delete(store *s, const char *token_hash)
{
    sqlite3_stmt *q = st(s, S_SESSION_DELETE);
    bind_text(q, 1, token_hash);
    sqlite3_step(q);
    sqlite3_reset(q);
}

int store_login_failures(store *s, const char *who, int64_t since)
{
    sqlite3_stmt *q = st(s, S_FAIL_COUNT);
    int n = 0;
    bind_text(q, 1, who);
    sqlite3_bind_int64(q, 2, since);
    if (sqlite3_step(q) == SQLITE_ROW)
        n = sqlite3_column_int(q, 0);
    sqlite3_reset(q);
    return n;
}

void store_login_failure_add(store *s, const char *who, int64_t at)
{
    sqlite3_stmt *q = st(s, S_FAIL_ADD);
    bind_text(q, 1, who);
    sqlite3_bind_int64(q, 2, at);
    sqlite3_step(q);
    sqlite3_reset(q);
}

void store_login_failures_clear(store *s, const char *who)
{
    sqlite3_stmt *q = st(s, S_FAIL_CLEAR);
    bind_text(q, 1, who);
    sqlite3_step(q);
    sqlite3_reset(q);
}

/* ---- audit log ----------------------------------------------------------------------------------- */

int store_audit_add(store *s, int64_t user_id, const char *login, const char *action,
                    const char *entity, const char *old_json, const char *new_json, char *err,
                    size_t errlen)
{
    sqlite3_stmt *q = st(s, S_AUDIT_ADD);
    if (user_id)
        sqlite3_bind_int64(q, 1, user_id);
    else
        sqlite3_bind_null(q, 1);
    bind_text(q, 2, login ? login : "");
    bind_text(q, 3, action);
    bind_text(q, 4, entity);
    bind_text(q, 5, old_json);
    bind_text(q, 6, new_json);
    return run(s, q, err, errlen, "audit log");
}

int store_audit_list(store *s, int64_t before_id, int limit, audit_entry **out, size_t *n)
{
    sqlite3_stmt *q = st(s, S_AUDIT_LIST);
    size_t cap = 0;
    *out = NULL;
    *n = 0;
    sqlite3_bind_int64(q, 1, before_id > 0 ? before_id : INT64_MAX);
    sqlite3_bind_int(q, 2, limit);
    while (sqlite3_step(q) == SQLITE_ROW) {
        audit_entry *e;
        if (*n == cap) {
            cap = cap ? cap * 2 : 16;
            *out = xrealloc(*out, cap * sizeof **out);
        }
        e = &(*out)[(*n)++];
        memset(e, 0, sizeof *e);
        e->id = sqlite3_column_int64(q, 0);
        snprintf(e->at, sizeof e->at, "%s", col_text(q, 1) ? col_text(q, 1) : "");
        snprintf(e->user, sizeof e->user, "%s", col_text(q, 2) ? col_text(q, 2) : "");
        snprintf(e->action, sizeof e->action, "%s", col_text(q, 3) ? col_text(q, 3) : "");
        e->entity = col_dup(q, 4);
        e->old_value = col_dup(q, 5);
        e->new_value = col_dup(q, 6);
    }
    sqlite3_reset(q);
    return 0;
}

void store_audit_free(audit_entry *v, size_t n)
{
    for (size_t i = 0; i < n; i++) {
        free(v[i].entity);
        free(v[i].old_value);
        free(v[i].new_value);
    }
    free(v);
}

/* ---- the plan's life --------------------------------------------------------------------------- */

/* Run one statement with parameters given by `types`: 'i' int64, 't' text
** (NULL = NULL). Returns sqlite3_changes(), or -1 with err. */
static int exec_params(store *s, const char *sql, const char *types, char *err, size_t errlen,
                       ...)
{
    sqlite3_stmt *q;
    va_list ap;
    int rc;
    if (sqlite3_prepare_v2(s->db, sql, -1, &q, NULL) != SQLITE_OK)
        panic("prepare %s: %s", sql, sqlite3_errmsg(s->db));
    va_start(ap, errlen);
    for (int i = 0; types[i]; i++) {
        if (types[i] == 'i')
            sqlite3_bind_int64(q, i + 1, va_arg(ap, int64_t));
        else
            bind_text(q, i + 1, va_arg(ap, const char *));
    }
    va_end(ap);
    rc = sqlite3_step(q);
    if (rc != SQLITE_DONE && rc != SQLITE_ROW) {
        snprintf(err, errlen, "%s", sqlite3_errmsg(s->db));
        sqlite3_finalize(q);
        return -1;
    }
    sqlite3_finalize(q);
    return sqlite3_changes(s->db);
}

int store_transition(store *s, int64_t version, const char *to, const user *u,
                     const char *comment, const char *sha256, char *err, size_t errlen)
{
    char from[16], dberr[256];
    store_version_status(s, version, from);
    if (!*from) {
        snprintf(err, errlen, "ไม่มีฉบับที่ %lld / no version %lld", (long long)version,
                 (long long)version);
        return -1;
    }
    if (exec_params(s, "UPDATE plan_version SET status = ?2 WHERE id = ?1", "it", dberr,
                    sizeof dberr, version, to) < 0) {
        snprintf(err, errlen, "เปลี่ยนสถานะจาก %s เป็น %s ไม่ได้ / cannot move from %s to %s (%s)",
                 from, to, from, to, dberr);
        return -1;
    }
    if (exec_params(s,
                    "INSERT INTO version_transition(version_id, from_status, to_status, user_id, "
                    "user_login, user_name, user_position, role, comment, sha256) VALUES (?1, ?2, "
                    "?3, ?4, ?5, ?6, (SELECT position FROM user WHERE id = ?4), ?7, ?8, ?9)",
                    "ittittttt", err, errlen, version, from, to, u->id, u->login, u->name,
                    role_key(u->role), comment && *comment ? comment : NULL, sha256) < 0)
        return -1;
    return 0;
}

int store_transitions(store *s, int64_t version, transition **out, size_t *n)
{
    sqlite3_stmt *q;
    size_t cap = 0;
    *out = NULL;
    *n = 0;
    if (sqlite3_prepare_v2(s->db,
                           "SELECT id, at, from_status, to_status, user_login, user_name, "
                           "coalesce(user_position, ''), role, comment, sha256 FROM "
                           "version_transition WHERE version_id = ?1 ORDER BY id",
                           -1, &q, NULL) != SQLITE_OK)
        return -1;
    sqlite3_bind_int64(q, 1, version);
    while (sqlite3_step(q) == SQLITE_ROW) {
        transition *t;
        if (*n == cap) {
            cap = cap ? cap * 2 : 8;
            *out = xrealloc(*out, cap * sizeof **out);
        }
        t = &(*out)[(*n)++];
        memset(t, 0, sizeof *t);
        t->id = sqlite3_column_int64(q, 0);
        snprintf(t->at, sizeof t->at, "%s", col_text(q, 1) ? col_text(q, 1) : "");
        snprintf(t->from, sizeof t->from, "%s", col_text(q, 2) ? col_text(q, 2) : "");
        snprintf(t->to, sizeof t->to, "%s", col_text(q, 3) ? col_text(q, 3) : "");
        snprintf(t->login, sizeof t->login, "%s", col_text(q, 4) ? col_text(q, 4) : "");
        snprintf(t->name, sizeof t->name, "%s", col_text(q, 5) ? col_text(q, 5) : "");
        snprintf(t->position, sizeof t->position, "%s", col_text(q, 6) ? col_text(q, 6) : "");
        snprintf(t->role, sizeof t->role, "%s", col_text(q, 7) ? col_text(q, 7) : "");
        t->comment = col_dup(q, 8);
        snprintf(t->sha256, sizeof t->sha256, "%s", col_text(q, 9) ? col_text(q, 9) : "");
    }
    sqlite3_finalize(q);
    return 0;
}

void store_transitions_free(transition *v, size_t n)
{
    for (size_t i = 0; i < n; i++)
        free(v[i].comment);
    free(v);
}

int64_t store_revision_create(store *s, int64_t agency, int64_t from, const char *label,
                              const char *reason, char *err, size_t errlen)
{
    char status[16];
    plan_doc *p;
    int64_t vid;
    int next = 0;
    sqlite3_stmt *q;
    store_version_status(s, from, status);
    if (strcmp(status, "approved") != 0 && strcmp(status, "published") != 0) {
        snprintf(err, errlen,
                 "ฉบับปรับปรุงต้องเริ่มจากฉบับที่อนุมัติแล้ว (ฉบับ %lld เป็น %s) / a revision starts "
                 "from an approved version (version %lld is %s)",
                 (long long)from, *status ? status : "-", (long long)from, *status ? status : "-");
        return 0;
    }
    if (!(p = store_version_load(s, from, err, errlen)))
        return 0;
    if (sqlite3_prepare_v2(s->db,
                           "SELECT max(revision) FROM plan_version WHERE plan_id = (SELECT "
                           "plan_id FROM plan_version WHERE id = ?1)",
                           -1, &q, NULL) != SQLITE_OK)
        panic("prepare: %s", sqlite3_errmsg(s->db));
    sqlite3_bind_int64(q, 1, from);
    if (sqlite3_step(q) == SQLITE_ROW)
        next = sqlite3_column_int(q, 0) + 1;
    sqlite3_finalize(q);
    p->revision = next;
    free(p->version_label);
    p->version_label = label && *label
                           ? xstrdup(label)
                           : xasprintf("ฉบับปรับปรุงตามงบประมาณที่ได้รับจัดสรร ครั้งที่ %d", next);
    /* a copy, not a reading of a document: no import notes, no reasons yet,
    ** and the new version is signed afresh */
    findings_free(&p->notes);
    for (size_t i = 0; i < p->nprojects; i++) {
        findings_free(&p->projects[i].notes);
        free(p->projects[i].change_reason);
        p->projects[i].change_reason = NULL;
    }
    for (int r = 0; r < SIGN__MAX; r++) {
        free(p->signers[r].name);
        free(p->signers[r].position);
        memset(&p->signers[r], 0, sizeof p->signers[r]);
    }
    free(p->source_file);
    p->source_file = xasprintf("copy of version %lld", (long long)from);
    vid = store_version_save(s, agency, p, NULL, err, errlen);
    if (vid && exec_params(s,
                           "UPDATE plan_version SET based_on = ?2, reason = ?3, "
                           "allocated_satang = (SELECT allocated_satang FROM plan_version WHERE "
                           "id = ?2) WHERE id = ?1",
                           "iit", err, errlen, vid, from, reason) < 0)
        vid = 0;
    plan_free(p);
    return vid;
}

int store_version_set_allocation(store *s, int64_t version, int64_t satang, char *err,
                                 size_t errlen)
{
    int n = satang < 0 ? exec_params(s, "UPDATE plan_version SET allocated_satang = NULL "
                                        "WHERE id = ?1",
                                     "i", err, errlen, version)
                       : exec_params(s, "UPDATE plan_version SET allocated_satang = ?2 "
                                        "WHERE id = ?1",
                                     "ii", err, errlen, version, satang);
    return n < 0 ? -1 : 0;
}

int store_version_set_unit_allocation(store *s, int64_t agency, int64_t version,
                                      const char *unit, int64_t satang, char *err,
                                      size_t errlen)
{
    int64_t uid = unit_id(s, agency, unit);
    if (!uid) {
        snprintf(err, errlen, "ไม่มีหน่วยงาน '%s' / no unit '%s'", unit, unit);
        return -1;
    }
    return exec_params(s,
                       "INSERT INTO unit_allocation(version_id, unit_id, allocated_satang) "
                       "VALUES (?1, ?2, ?3) ON CONFLICT(version_id, unit_id) DO UPDATE SET "
                       "allocated_satang = ?3",
                       "iii", err, errlen, version, uid, satang) < 0
               ? -1
               : 0;
}

int store_project_set_reason(store *s, int64_t project_id, const char *reason, char *err,
                             size_t errlen)
{
    return exec_params(s, "UPDATE project SET change_reason = ?2 WHERE id = ?1", "it", err,
                       errlen, project_id, reason) < 0
               ? -1
               : 0;
}

int store_user_set_position(store *s, const char *login, const char *position, char *err,
                            size_t errlen)
{
    if (user_must_exist(s, login, err, errlen) != 0)
        return -1;
    return exec_params(s, "UPDATE user SET position = ?2 WHERE login = ?1", "tt", err, errlen,
                       login, position) < 0
               ? -1
               : 0;
}

int store_notices_create(store *s, int64_t agency, int64_t version, char *err, size_t errlen)
{
    return exec_params(s,
                       "INSERT OR IGNORE INTO notice(version_id, unit_id) SELECT ?2, id FROM "
                       "unit WHERE agency_id = ?1",
                       "ii", err, errlen, agency, version) < 0
               ? -1
               : 0;
}

int store_notices(store *s, int64_t version, const char *unit, plan_notice **out, size_t *n)
{
    sqlite3_stmt *q;
    size_t cap = 0;
    *out = NULL;
    *n = 0;
    if (sqlite3_prepare_v2(s->db,
                           "SELECT n.id, n.version_id, u.name, n.created_at, "
                           "coalesce(n.acked_at, ''), coalesce(n.acked_by, '') FROM notice n "
                           "JOIN unit u ON u.id = n.unit_id WHERE (?1 = 0 OR n.version_id = ?1) "
                           "AND (?2 IS NULL OR u.name = ?2) ORDER BY n.id DESC",
                           -1, &q, NULL) != SQLITE_OK)
        return -1;
    sqlite3_bind_int64(q, 1, version);
    bind_text(q, 2, unit);
    while (sqlite3_step(q) == SQLITE_ROW) {
        plan_notice *e;
        if (*n == cap) {
            cap = cap ? cap * 2 : 16;
            *out = xrealloc(*out, cap * sizeof **out);
        }
        e = &(*out)[(*n)++];
        memset(e, 0, sizeof *e);
        e->id = sqlite3_column_int64(q, 0);
        e->version = sqlite3_column_int64(q, 1);
        snprintf(e->unit, sizeof e->unit, "%s", col_text(q, 2) ? col_text(q, 2) : "");
        snprintf(e->created, sizeof e->created, "%s", col_text(q, 3) ? col_text(q, 3) : "");
        snprintf(e->acked_at, sizeof e->acked_at, "%s", col_text(q, 4) ? col_text(q, 4) : "");
        snprintf(e->acked_by, sizeof e->acked_by, "%s", col_text(q, 5) ? col_text(q, 5) : "");
    }
    sqlite3_finalize(q);
    return 0;
}

int store_notice_ack(store *s, int64_t id, const char *unit, const char *login, char *err,
                     size_t errlen)
{
    int n = exec_params(s,
                        "UPDATE notice SET acked_at = strftime('%Y-%m-%dT%H:%M:%SZ','now'), "
                        "acked_by = ?3 WHERE id = ?1 AND acked_at IS NULL AND unit_id = (SELECT "
                        "u.id FROM unit u WHERE u.name = ?2 AND u.agency_id = (SELECT "
                        "p.agency_id FROM plan p JOIN plan_version v ON v.plan_id = p.id WHERE "
                        "v.id = notice.version_id))",
                        "itt", err, errlen, id, unit, login);
    if (n < 0)
        return -1;
    if (n == 0) {
        snprintf(err, errlen,
                 "ไม่มีหนังสือเวียนนี้สำหรับกลุ่มของคุณ หรือรับทราบไปแล้ว / no such notice for your "
                 "unit, or already acknowledged");
        return -1;
    }
    return 0;
}

int store_unit_set_email(store *s, int64_t agency, const char *unit, const char *email, char *err,
                         size_t errlen)
{
    int n = exec_params(s, "UPDATE unit SET email = ?3 WHERE agency_id = ?1 AND name = ?2", "itt",
                        err, errlen, agency, unit, email && *email ? email : NULL);
    if (n == 0)
        snprintf(err, errlen, "ไม่มีหน่วยงาน '%s' / no unit '%s'", unit, unit);
    return n == 1 ? 0 : -1;
}

int store_unit_emails(store *s, int64_t agency, strlist *units, strlist *emails)
{
    sqlite3_stmt *q;
    if (sqlite3_prepare_v2(s->db,
                           "SELECT name, email FROM unit WHERE agency_id = ?1 AND email IS NOT "
                           "NULL AND email <> '' ORDER BY id",
                           -1, &q, NULL) != SQLITE_OK)
        return -1;
    sqlite3_bind_int64(q, 1, agency);
    while (sqlite3_step(q) == SQLITE_ROW) {
        strlist_add(units, col_text(q, 0));
        strlist_add(emails, col_text(q, 1));
    }
    sqlite3_finalize(q);
    return 0;
}

int64_t store_version_agency(store *s, int64_t version)
{
    sqlite3_stmt *q;
    int64_t a = 0;
    if (sqlite3_prepare_v2(s->db,
                           "SELECT p.agency_id FROM plan_version v JOIN plan p ON p.id = v.plan_id "
                           "WHERE v.id = ?1",
                           -1, &q, NULL) != SQLITE_OK)
        return 0;
    sqlite3_bind_int64(q, 1, version);
    if (sqlite3_step(q) == SQLITE_ROW)
        a = sqlite3_column_int64(q, 0);
    sqlite3_finalize(q);
    return a;
}
