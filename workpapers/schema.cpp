#include "workpapers/schema.h"

#include <algorithm>
#include <filesystem>
#include <functional>
#include <stdexcept>
#include <vector>

#include "workpapers/errors.h"
#include "workpapers/store/pg_guards.h"
#include "workpapers/store/pg_schema.h"

namespace tickmark::schema {
namespace {

// Each step takes the file from version i to i+1. Steps are never edited once released;
// a change is a new step.
const std::vector<const char*>& steps() {
    static const std::vector<const char*> s = {
        // 0 -> 1: the engagement, its scope, the criteria, the control matrix.
        R"sql(
CREATE TABLE engagement (
  id            INTEGER PRIMARY KEY CHECK (id = 1),
  client        TEXT NOT NULL,
  system_name   TEXT NOT NULL,
  report_type   INTEGER NOT NULL CHECK (report_type IN (1, 2)),
  period_start  TEXT,
  period_end    TEXT,
  as_of_date    TEXT,
  created_at    TEXT NOT NULL,
  created_with  TEXT NOT NULL,
  CHECK ((report_type = 2 AND period_start IS NOT NULL AND period_end IS NOT NULL
          AND period_start <= period_end AND as_of_date IS NULL)
      OR (report_type = 1 AND as_of_date IS NOT NULL AND period_start IS NULL AND period_end IS NULL))
);
CREATE TABLE category (
  code      TEXT PRIMARY KEY,
  name      TEXT NOT NULL UNIQUE,
  ordinal   INTEGER NOT NULL,
  in_scope  INTEGER NOT NULL CHECK (in_scope IN (0, 1))
);
CREATE TABLE criterion (
  id            TEXT PRIMARY KEY,
  category_code TEXT NOT NULL REFERENCES category(code),
  group_id      TEXT NOT NULL,
  group_name    TEXT NOT NULL,
  short_name    TEXT NOT NULL,
  ordinal       INTEGER NOT NULL UNIQUE
);
CREATE TABLE subservice_org (
  id        INTEGER PRIMARY KEY,
  name      TEXT NOT NULL UNIQUE,
  services  TEXT NOT NULL DEFAULT '',
  method    TEXT NOT NULL CHECK (method IN ('carve-out', 'inclusive'))
);
CREATE TABLE csoc (
  id                 INTEGER PRIMARY KEY,
  subservice_org_id  INTEGER NOT NULL REFERENCES subservice_org(id),
  description        TEXT NOT NULL
);
CREATE TABLE csoc_criterion (
  csoc_id       INTEGER NOT NULL REFERENCES csoc(id),
  criterion_id  TEXT NOT NULL REFERENCES criterion(id),
  PRIMARY KEY (csoc_id, criterion_id)
) WITHOUT ROWID;
CREATE TABLE cuec (
  id           INTEGER PRIMARY KEY,
  description  TEXT NOT NULL
);
CREATE TABLE cuec_criterion (
  cuec_id       INTEGER NOT NULL REFERENCES cuec(id),
  criterion_id  TEXT NOT NULL REFERENCES criterion(id),
  PRIMARY KEY (cuec_id, criterion_id)
) WITHOUT ROWID;
CREATE TABLE source_file (
  id           INTEGER PRIMARY KEY,
  purpose      TEXT NOT NULL CHECK (purpose IN ('control-matrix', 'population')),
  file_name    TEXT NOT NULL,
  size         INTEGER NOT NULL,
  sha256       TEXT NOT NULL,
  format       TEXT NOT NULL,
  encoding     TEXT NOT NULL,
  delimiter    TEXT,
  sheet        TEXT,
  imported_at  TEXT NOT NULL
);
CREATE TABLE control (
  id              INTEGER PRIMARY KEY,
  ref             TEXT NOT NULL UNIQUE COLLATE NOCASE,
  description     TEXT NOT NULL,
  frequency       TEXT NOT NULL CHECK (frequency IN ('annual', 'quarterly', 'monthly', 'weekly', 'daily',
                                                     'multiple-daily', 'as-needed')),
  nature          TEXT NOT NULL CHECK (nature IN ('manual', 'automated', 'it-dependent-manual')),
  owner           TEXT NOT NULL DEFAULT '',
  source_file_id  INTEGER REFERENCES source_file(id),
  source_line     INTEGER
);
CREATE TABLE control_criterion (
  control_id    INTEGER NOT NULL REFERENCES control(id),
  criterion_id  TEXT NOT NULL REFERENCES criterion(id),
  PRIMARY KEY (control_id, criterion_id)
) WITHOUT ROWID;
CREATE INDEX control_criterion_by_criterion ON control_criterion(criterion_id);
)sql",
        // 1 -> 2: populations as delivered, with their completeness profile.
        R"sql(
CREATE TABLE population (
  id               INTEGER PRIMARY KEY,
  control_id       INTEGER NOT NULL REFERENCES control(id),
  name             TEXT NOT NULL,
  source_file_id   INTEGER NOT NULL REFERENCES source_file(id),
  columns          TEXT NOT NULL,           -- JSON array of the header, as delivered
  key_column       TEXT NOT NULL,
  date_column      TEXT NOT NULL,
  amount_column    TEXT,
  date_format      TEXT,
  date_format_basis TEXT NOT NULL CHECK (date_format_basis IN ('given', 'detected', 'none')),
  period_start     TEXT NOT NULL,
  period_end       TEXT NOT NULL,
  rows             INTEGER NOT NULL,
  in_period        INTEGER NOT NULL,
  before_period    INTEGER NOT NULL,
  after_period     INTEGER NOT NULL,
  blank_keys       INTEGER NOT NULL,
  duplicate_keys   INTEGER NOT NULL,
  duplicate_rows   INTEGER NOT NULL,
  bad_dates        INTEGER NOT NULL,
  bad_amounts      INTEGER NOT NULL,
  blank_lines      INTEGER NOT NULL,
  min_date         TEXT,
  max_date         TEXT,
  imported_at      TEXT NOT NULL,
  UNIQUE (control_id, name)
);
-- The delivered records, 256 to a block (see population.h for the layout): one SQLite row per
-- record made a million-row import slower than the SQLite shell's own .import.
CREATE TABLE population_block (
  id             INTEGER PRIMARY KEY,
  population_id  INTEGER NOT NULL REFERENCES population(id),
  first_row      INTEGER NOT NULL,
  row_count      INTEGER NOT NULL,
  data           BLOB NOT NULL,
  UNIQUE (population_id, first_row)
);
-- The completeness findings, one row per flagged record, for the profile's lists.
CREATE TABLE population_finding (
  population_id  INTEGER NOT NULL REFERENCES population(id),
  kind           TEXT NOT NULL CHECK (kind IN ('duplicate-key', 'blank-key', 'bad-date', 'bad-amount')),
  row_no         INTEGER NOT NULL,
  source_line    INTEGER NOT NULL,
  item_key       TEXT NOT NULL,
  value          TEXT NOT NULL,
  PRIMARY KEY (population_id, kind, row_no)
) WITHOUT ROWID;
)sql",
        // 2 -> 3: sampling. The firm's frequency table as copied when sampling started, and every
        // selection with what it takes to re-perform it.
        R"sql(
CREATE TABLE frequency_table (
  frequency        TEXT PRIMARY KEY,
  per_year         INTEGER NOT NULL,
  lower_risk       INTEGER NOT NULL,
  higher_risk      INTEGER NOT NULL,
  lower_extended   INTEGER,
  higher_extended  INTEGER,
  ordinal          INTEGER NOT NULL,
  source_sha256    TEXT NOT NULL,
  copied_at        TEXT NOT NULL
);
CREATE TABLE sample (
  id                 INTEGER PRIMARY KEY,
  control_id         INTEGER NOT NULL REFERENCES control(id),
  population_id      INTEGER REFERENCES population(id),       -- NULL for dates drawn from the calendar
  extends_sample_id  INTEGER REFERENCES sample(id),           -- an extension: the selection it extends
  method             TEXT NOT NULL CHECK (method IN ('random', 'systematic', 'stratified', 'dates', 'extension')),
  algorithm          TEXT NOT NULL,
  generator          TEXT NOT NULL,
  tool_version       TEXT NOT NULL,
  seed               TEXT NOT NULL,                           -- unsigned 64-bit, in decimal
  seed_source        TEXT NOT NULL CHECK (seed_source IN ('given', 'os')),
  frame              TEXT NOT NULL,                           -- JSON: what the frame is
  frame_size         INTEGER NOT NULL,
  excluded           TEXT NOT NULL,                           -- JSON: what the frame left out, counted
  population_sha256  TEXT,                                    -- of the file as delivered
  population_rows    INTEGER,
  population_digest  TEXT,                                    -- SHA-256 of the stored records
  plan               TEXT NOT NULL,                           -- JSON: the plan the size came from
  size               INTEGER NOT NULL,
  created_by         TEXT NOT NULL,
  created_at         TEXT NOT NULL
);
CREATE TABLE sample_item (
  sample_id  INTEGER NOT NULL REFERENCES sample(id),
  position   INTEGER NOT NULL,                                -- 1-based, in selection order
  row_no     INTEGER,                                         -- the population row; NULL for dates
  item_key   TEXT NOT NULL,
  item_date  TEXT,
  stratum    TEXT,
  PRIMARY KEY (sample_id, position)
) WITHOUT ROWID;
)sql",
        // 3 -> 4: fieldwork. The team, test plans and results, evidence, exceptions, review notes,
        // sign-offs, the hash-chained audit trail, release and assembly.
        R"sql(
ALTER TABLE engagement ADD COLUMN release_date TEXT;
ALTER TABLE engagement ADD COLUMN locked_at TEXT;
ALTER TABLE engagement ADD COLUMN locked_by TEXT;
ALTER TABLE engagement ADD COLUMN evidence_limit INTEGER NOT NULL DEFAULT 52428800;
CREATE TABLE person (
  id             INTEGER PRIMARY KEY,
  name           TEXT NOT NULL UNIQUE,
  initials       TEXT NOT NULL UNIQUE COLLATE NOCASE,
  password_hash  TEXT NOT NULL,                 -- scrypt$N$r$p$salt$key, never the password
  added_at       TEXT NOT NULL
);
CREATE TABLE person_role (
  person_id  INTEGER NOT NULL REFERENCES person(id),
  role       TEXT NOT NULL CHECK (role IN ('preparer', 'reviewer', 'partner')),
  PRIMARY KEY (person_id, role)
) WITHOUT ROWID;
CREATE TABLE tick_mark (
  symbol   TEXT PRIMARY KEY,
  meaning  TEXT NOT NULL
);
INSERT INTO tick_mark(symbol, meaning) VALUES
  ('✓', 'Agreed without exception'),
  ('⊗', 'Exception noted; see the exception record'),
  ('Ⓘ', 'Inspected the source document'),
  ('Ⓡ', 'Reperformed'),
  ('Ⓞ', 'Observed'),
  ('N/A', 'Not applicable');
CREATE TABLE control_test (
  id              INTEGER PRIMARY KEY,
  control_id      INTEGER NOT NULL UNIQUE REFERENCES control(id),
  test_types      TEXT NOT NULL,                -- comma list of inquiry, observation, inspection, reperformance
  procedure_text  TEXT NOT NULL,
  sample_id       INTEGER REFERENCES sample(id),
  design_only     INTEGER NOT NULL CHECK (design_only IN (0, 1)),
  conclusion_override TEXT CHECK (conclusion_override IN ('operating-effectively', 'exceptions-noted', 'not-effective')),
  override_reason TEXT
);
CREATE TABLE test_attribute (
  test_id   INTEGER NOT NULL REFERENCES control_test(id),
  letter    TEXT NOT NULL,
  question  TEXT NOT NULL,
  PRIMARY KEY (test_id, letter)
) WITHOUT ROWID;
CREATE TABLE test_result (
  test_id     INTEGER NOT NULL REFERENCES control_test(id),
  position    INTEGER NOT NULL,                 -- the item's place in the selection (extensions follow on)
  letter      TEXT NOT NULL,
  outcome     TEXT NOT NULL CHECK (outcome IN ('pass', 'deviation', 'na')),
  na_reason   TEXT,
  comment     TEXT NOT NULL DEFAULT '',
  tick_mark   TEXT REFERENCES tick_mark(symbol),
  recorded_by TEXT NOT NULL,
  recorded_at TEXT NOT NULL,
  PRIMARY KEY (test_id, position, letter),
  CHECK (outcome <> 'na' OR coalesce(na_reason, '') <> '')
) WITHOUT ROWID;
CREATE TABLE evidence (
  id       INTEGER PRIMARY KEY,
  sha256   TEXT NOT NULL UNIQUE,
  size     INTEGER NOT NULL,
  content  BLOB NOT NULL
);
CREATE TABLE evidence_link (
  id             INTEGER PRIMARY KEY,
  evidence_id    INTEGER NOT NULL REFERENCES evidence(id),
  original_name  TEXT NOT NULL,
  workpaper      TEXT NOT NULL,                 -- engagement | test:<control> 
  position       INTEGER,                       -- with letter: a result
  letter         TEXT,
  added_by       TEXT NOT NULL,
  added_at       TEXT NOT NULL,
  removed_at     TEXT
);
CREATE TABLE exception_record (
  id                  INTEGER PRIMARY KEY,
  test_id             INTEGER NOT NULL REFERENCES control_test(id),
  letter              TEXT NOT NULL,
  description         TEXT NOT NULL DEFAULT '',
  cause               TEXT NOT NULL DEFAULT '',
  nature              TEXT NOT NULL DEFAULT 'undetermined' CHECK (nature IN ('isolated', 'systemic', 'undetermined')),
  management_response TEXT NOT NULL DEFAULT '',
  auditor_conclusion  TEXT NOT NULL DEFAULT '',
  criteria_met        INTEGER CHECK (criteria_met IN (0, 1)),   -- NULL until the auditor concludes
  opened_by           TEXT NOT NULL,
  opened_at           TEXT NOT NULL,
  UNIQUE (test_id, letter)
);
CREATE TABLE exception_criterion (
  exception_id  INTEGER NOT NULL REFERENCES exception_record(id),
  criterion_id  TEXT NOT NULL REFERENCES criterion(id),
  PRIMARY KEY (exception_id, criterion_id)
) WITHOUT ROWID;
CREATE TABLE review_note (
  id            INTEGER PRIMARY KEY,
  workpaper     TEXT NOT NULL,
  subject       TEXT NOT NULL DEFAULT '',
  text          TEXT NOT NULL,
  raised_by     TEXT NOT NULL,
  raised_at     TEXT NOT NULL,
  response      TEXT,
  responded_by  TEXT,
  responded_at  TEXT,
  cleared_by    TEXT,
  cleared_at    TEXT
);
CREATE TABLE signoff (
  id          INTEGER PRIMARY KEY,
  workpaper   TEXT NOT NULL,
  role        TEXT NOT NULL CHECK (role IN ('preparer', 'reviewer', 'partner')),
  person_id   INTEGER NOT NULL REFERENCES person(id),
  signed_at   TEXT NOT NULL,
  trail_seq   INTEGER NOT NULL,                 -- the trail entry recording this sign-off
  trail_hash  TEXT NOT NULL
);
-- Append-only; each entry's hash covers the previous entry's hash (see trail.h).
CREATE TABLE audit_trail (
  seq        INTEGER PRIMARY KEY,
  at         TEXT NOT NULL,
  actor      TEXT NOT NULL,
  action     TEXT NOT NULL,
  workpaper  TEXT NOT NULL,
  entity     TEXT NOT NULL,
  field      TEXT NOT NULL,
  old_value  TEXT,
  new_value  TEXT,
  reason     TEXT NOT NULL DEFAULT '',
  prev_hash  TEXT NOT NULL,
  hash       TEXT NOT NULL
);
CREATE INDEX audit_trail_by_workpaper ON audit_trail(workpaper, seq);
CREATE TRIGGER audit_trail_no_update BEFORE UPDATE ON audit_trail
  BEGIN SELECT RAISE(ABORT, 'the audit trail is append-only'); END;
CREATE TRIGGER audit_trail_no_delete BEFORE DELETE ON audit_trail
  BEGIN SELECT RAISE(ABORT, 'the audit trail is append-only'); END;
)sql",
        // 4 -> 5: the report. The firm's particulars, the system description (Section III) and the
        // partner's choice of opinion.
        R"sql(
CREATE TABLE report_setting (
  key    TEXT PRIMARY KEY CHECK (key IN ('firm_name', 'firm_city', 'report_date', 'signatory_name', 'signatory_title')),
  value  TEXT NOT NULL
);
CREATE TABLE description_section (
  heading  TEXT PRIMARY KEY,
  text     TEXT NOT NULL
);
CREATE TABLE opinion_choice (
  id         INTEGER PRIMARY KEY CHECK (id = 1),
  opinion    TEXT NOT NULL CHECK (opinion IN ('unmodified', 'qualified', 'adverse', 'disclaimer')),
  proposed   TEXT NOT NULL,
  rationale  TEXT NOT NULL,
  chosen_by  TEXT NOT NULL,
  chosen_at  TEXT NOT NULL
);
)sql",
        // 5 -> 6: the report follows the evidence. Results belong to the item's key (its n-th
        // occurrence in the selection tested), so re-pointing a test never moves a result onto
        // another item: where a result stands is found from the selection when it is read, and a
        // result whose item is not in the selection now tested is kept, out of the test.
        // recorded_position is only where the item stood when the result was recorded.
        // Criteria marked not applicable or not examined (evidence could not be obtained), with the
        // reason. Type I conclusions (design). The trail entry of the partner's opinion choice.
        R"sql(
CREATE TABLE test_result_v6 (
  test_id     INTEGER NOT NULL REFERENCES control_test(id),
  item_key    TEXT NOT NULL,
  occurrence  INTEGER NOT NULL DEFAULT 1 CHECK (occurrence >= 1),
  letter      TEXT NOT NULL,
  recorded_position INTEGER NOT NULL,
  outcome     TEXT NOT NULL CHECK (outcome IN ('pass', 'deviation', 'na')),
  na_reason   TEXT,
  comment     TEXT NOT NULL DEFAULT '',
  tick_mark   TEXT REFERENCES tick_mark(symbol),
  recorded_by TEXT NOT NULL,
  recorded_at TEXT NOT NULL,
  PRIMARY KEY (test_id, item_key, occurrence, letter),
  CHECK (outcome <> 'na' OR coalesce(na_reason, '') <> '')
) WITHOUT ROWID;
CREATE TEMP TABLE v6_items AS
  SELECT test_id, pos, key, row_number() OVER (PARTITION BY test_id, key ORDER BY pos) AS occ FROM (
    SELECT t.id AS test_id, i.item_key AS key, row_number() OVER (PARTITION BY t.id ORDER BY s.id, i.position) AS pos
    FROM control_test t JOIN sample s ON s.id = t.sample_id OR s.extends_sample_id = t.sample_id
    JOIN sample_item i ON i.sample_id = s.id
    UNION ALL
    SELECT t.id, 'design walkthrough', 1 FROM control_test t WHERE t.sample_id IS NULL);
INSERT INTO test_result_v6(test_id, item_key, occurrence, letter, recorded_position, outcome, na_reason, comment, tick_mark,
                           recorded_by, recorded_at)
  SELECT r.test_id, coalesce(k.key, 'position ' || r.position), coalesce(k.occ, 1), r.letter, r.position, r.outcome,
         r.na_reason, r.comment, r.tick_mark, r.recorded_by, r.recorded_at
  FROM test_result r LEFT JOIN v6_items k ON k.test_id = r.test_id AND k.pos = r.position;
DROP TABLE test_result;
ALTER TABLE test_result_v6 RENAME TO test_result;
ALTER TABLE evidence_link ADD COLUMN item_key TEXT;
ALTER TABLE evidence_link ADD COLUMN occurrence INTEGER;
UPDATE evidence_link SET
  item_key = (SELECT k.key FROM v6_items k JOIN control_test t ON t.id = k.test_id JOIN control c ON c.id = t.control_id
              WHERE 'test:' || c.ref = evidence_link.workpaper AND k.pos = evidence_link.position),
  occurrence = (SELECT k.occ FROM v6_items k JOIN control_test t ON t.id = k.test_id JOIN control c ON c.id = t.control_id
                WHERE 'test:' || c.ref = evidence_link.workpaper AND k.pos = evidence_link.position)
  WHERE position IS NOT NULL;
DROP TABLE v6_items;
CREATE TABLE control_test_v6 (
  id              INTEGER PRIMARY KEY,
  control_id      INTEGER NOT NULL UNIQUE REFERENCES control(id),
  test_types      TEXT NOT NULL,
  procedure_text  TEXT NOT NULL,
  sample_id       INTEGER REFERENCES sample(id),
  design_only     INTEGER NOT NULL CHECK (design_only IN (0, 1)),
  conclusion_override TEXT CHECK (conclusion_override IN ('operating-effectively', 'exceptions-noted', 'not-effective',
                                                          'suitably-designed', 'not-suitably-designed')),
  override_reason TEXT
);
INSERT INTO control_test_v6 SELECT id, control_id, test_types, procedure_text, sample_id, design_only,
                                   conclusion_override, override_reason FROM control_test;
DROP TABLE control_test;
ALTER TABLE control_test_v6 RENAME TO control_test;
CREATE TABLE criterion_status (
  criterion_id  TEXT PRIMARY KEY REFERENCES criterion(id),
  status        TEXT NOT NULL CHECK (status IN ('not-applicable', 'not-examined')),
  reason        TEXT NOT NULL CHECK (reason <> ''),
  set_by        TEXT NOT NULL,
  set_at        TEXT NOT NULL
);
ALTER TABLE opinion_choice ADD COLUMN trail_seq INTEGER;
)sql",
        // 6 -> 7: frequency adequacy. The table's spread requirement (the copies made before it spread
        // quarterly controls by quarter and monthly by month, as the firm's table then implied), and a
        // reviewer's acceptance of an adequacy finding, with the finding as it stood when accepted.
        R"sql(
ALTER TABLE frequency_table ADD COLUMN spread TEXT CHECK (spread IN ('quarter', 'month', 'week'));
UPDATE frequency_table SET spread = 'quarter' WHERE frequency = 'quarterly';
UPDATE frequency_table SET spread = 'month' WHERE frequency = 'monthly';
CREATE TABLE adequacy_acceptance (
  id           INTEGER PRIMARY KEY,
  sample_id    INTEGER NOT NULL REFERENCES sample(id),    -- the selection tested (not an extension)
  kind         TEXT NOT NULL CHECK (kind IN ('too-small', 'not-spread', 'unsized')),
  required     INTEGER NOT NULL,                          -- the finding as accepted: it holds only while
  actual       INTEGER NOT NULL,                          -- the finding still reads the same
  detail       TEXT NOT NULL,
  reason       TEXT NOT NULL CHECK (reason <> ''),
  accepted_by  INTEGER NOT NULL REFERENCES person(id),
  accepted_at  TEXT NOT NULL,
  trail_seq    INTEGER NOT NULL                           -- the trail entry recording it
);
CREATE INDEX adequacy_acceptance_by_sample ON adequacy_acceptance(sample_id);
)sql",
        // 7 -> 8: what the report presents in the client's words. A population's client-facing
        // description (its import name stays internal); the controls an inclusive subservice
        // organization performs, and who signs its assertion; the criteria's names with their
        // punctuation, as templates/tsc-2017.csv now gives them.
        R"sql(
ALTER TABLE population ADD COLUMN client_description TEXT;
ALTER TABLE control ADD COLUMN subservice_org_id INTEGER REFERENCES subservice_org(id);
ALTER TABLE subservice_org ADD COLUMN signatory_name TEXT;
ALTER TABLE subservice_org ADD COLUMN signatory_title TEXT;
UPDATE criterion SET short_name = CASE id
  WHEN 'CC1.3' THEN 'Structures, reporting lines, authorities, and responsibilities'
  WHEN 'CC1.4' THEN 'Attract, develop, and retain competent individuals'
  WHEN 'CC6.1' THEN 'Logical access security software, infrastructure, and architectures'
  WHEN 'CC6.2' THEN 'Register and authorize users before issuing credentials; remove access when no longer authorized'
  WHEN 'CC6.3' THEN 'Role-based access, least privilege, and segregation of duties'
  WHEN 'CC6.7' THEN 'Restrict the transmission, movement, and removal of information'
  WHEN 'CC7.1' THEN 'Detect configuration changes and newly discovered vulnerabilities'
  WHEN 'CC8.1' THEN 'Authorize, design, develop, test, approve, and implement changes'
  WHEN 'A1.2' THEN 'Environmental protections, software, data backup, and recovery infrastructure'
  WHEN 'PI1.4' THEN 'Complete, accurate, and timely output'
  WHEN 'PI1.5' THEN 'Complete, accurate, and timely storage of inputs and outputs'
  WHEN 'P7.1' THEN 'Accurate, complete, and relevant personal information'
  WHEN 'P8.1' THEN 'Process for inquiries, complaints, and disputes'
  ELSE short_name END
WHERE short_name = CASE id
  WHEN 'CC1.3' THEN 'Structures reporting lines authorities and responsibilities'
  WHEN 'CC1.4' THEN 'Attract develop and retain competent individuals'
  WHEN 'CC6.1' THEN 'Logical access security software infrastructure and architecture'
  WHEN 'CC6.2' THEN 'Register and authorize users before issuing credentials; remove on revocation'
  WHEN 'CC6.3' THEN 'Role-based access with least privilege and segregation of duties'
  WHEN 'CC6.7' THEN 'Restrict transmission movement and removal of information'
  WHEN 'CC7.1' THEN 'Detect configuration changes and new vulnerabilities'
  WHEN 'CC8.1' THEN 'Authorize design develop test approve and implement changes'
  WHEN 'A1.2' THEN 'Environmental protections backups and recovery infrastructure'
  WHEN 'PI1.4' THEN 'Complete accurate and timely output'
  WHEN 'PI1.5' THEN 'Complete accurate and timely storage of inputs and outputs'
  WHEN 'P7.1' THEN 'Accurate complete and relevant personal information'
  WHEN 'P8.1' THEN 'Process for inquiries complaints and disputes'
  END;
)sql",
        // 8 -> 9: duties by person. A second identity of a member (added only with a recorded reason)
        // points at the member it stands for, so the segregation of duties sees one person.
        R"sql(
ALTER TABLE person ADD COLUMN same_person_as INTEGER REFERENCES person(id);
ALTER TABLE person ADD COLUMN identity_reason TEXT;
)sql",
        // 9 -> 10: a sign-off is bound to what was signed: the workpaper's digest, whole and by part
        // (workpapers/proof/digest.h), as it stood when signed.
        R"sql(
ALTER TABLE signoff ADD COLUMN content_digest TEXT;
ALTER TABLE signoff ADD COLUMN content_parts TEXT;
)sql",
        // 10 -> 11: keys, not just hashes (workpapers/proof/). Each member's Ed25519 public key, certified
        // by the partner who added them (the engagement partner certifies themself: their key is the
        // engagement's root); the password record becomes the private key sealed under the password.
        // Sign-offs are signed. Every write's transaction ends with a seal: the actor's signature over the
        // trail's head and the state of each workpaper it touched. Entries after `keys_from_seq` (the trail's
        // head when the file was upgraded) must be sealed.
        R"sql(
ALTER TABLE person ADD COLUMN public_key TEXT;
ALTER TABLE person ADD COLUMN certified_by INTEGER REFERENCES person(id);
ALTER TABLE person ADD COLUMN certificate TEXT;
ALTER TABLE engagement ADD COLUMN root_key TEXT;
ALTER TABLE engagement ADD COLUMN keys_from_seq INTEGER NOT NULL DEFAULT 0;
UPDATE engagement SET keys_from_seq = (SELECT coalesce(max(seq), 0) FROM audit_trail);
ALTER TABLE signoff ADD COLUMN signature TEXT;
-- The SHA-256 of a population's stored records, computed as they were written (proof/digest.h hashBlock):
-- a write's seal records it instead of reading every block back; verify recomputes it.
ALTER TABLE population ADD COLUMN records_sha256 TEXT;
CREATE TABLE trail_seal (
  seq        INTEGER PRIMARY KEY,  -- the trail entry it closes (no foreign key: verify names a missing one)
  person_id  INTEGER NOT NULL REFERENCES person(id),
  states     TEXT NOT NULL,      -- {"workpaper": {"part": "sha256", ...}, ...}: what this write left
  signature  TEXT NOT NULL
);
CREATE TRIGGER trail_seal_no_update BEFORE UPDATE ON trail_seal
  BEGIN SELECT RAISE(ABORT, 'the trail seals are append-only'); END;
CREATE TRIGGER trail_seal_no_delete BEFORE DELETE ON trail_seal
  BEGIN SELECT RAISE(ABORT, 'the trail seals are append-only'); END;
)sql",
        // 11 -> 12: client files as they arrive. The client's time zone (timestamps with an offset are
        // converted to it); dates left blank, counted apart from unreadable ones; how a population's
        // dates were read (JSON); where a file's header was and the rows that were not records (JSON).
        R"sql(
ALTER TABLE engagement ADD COLUMN time_zone TEXT;
ALTER TABLE population ADD COLUMN blank_dates INTEGER NOT NULL DEFAULT 0;
ALTER TABLE population ADD COLUMN date_reading TEXT;
-- Apart from source_file, whose every column signed digests cover: a new column there would make
-- every earlier sign-off look stale.
CREATE TABLE source_layout (
  source_file_id  INTEGER PRIMARY KEY REFERENCES source_file(id),
  layout          TEXT NOT NULL
);
)sql",
        // 12 -> 13: populations over their life (workpapers/population_life.h). A corrected version supersedes the
        // old one, which is kept; one population may serve several controls; the client's stated total for
        // the period, and a reviewer's explanation of a difference; a reviewer's acceptance of a selection
        // drawn from a version since superseded; judgmental items added to a selection, outside its
        // statistical record. New columns are NULL until used and new tables empty, so the digests that
        // sign-offs and seals recorded before the upgrade read the same (workpapers/proof/digest.cpp).
        R"sql(
ALTER TABLE population ADD COLUMN superseded_by INTEGER REFERENCES population(id);
ALTER TABLE population ADD COLUMN supersede_reason TEXT;
ALTER TABLE population ADD COLUMN business_days INTEGER CHECK (business_days IN (0, 1));
CREATE TABLE population_control (
  population_id  INTEGER NOT NULL REFERENCES population(id),
  control_id     INTEGER NOT NULL REFERENCES control(id),
  linked_by      TEXT NOT NULL,
  linked_at      TEXT NOT NULL,
  reason         TEXT NOT NULL DEFAULT '',
  PRIMARY KEY (population_id, control_id)
) WITHOUT ROWID;
CREATE TABLE population_reconciliation (
  population_id  INTEGER PRIMARY KEY REFERENCES population(id),
  expected       INTEGER NOT NULL CHECK (expected >= 0),
  source         TEXT NOT NULL CHECK (source <> ''),
  recorded_by    TEXT NOT NULL,
  recorded_at    TEXT NOT NULL,
  explanation    TEXT,
  explained_by   TEXT,
  explained_at   TEXT
);
CREATE TABLE population_acceptance (
  id             INTEGER PRIMARY KEY,
  sample_id      INTEGER NOT NULL REFERENCES sample(id),      -- a selection drawn from a version since superseded
  population_id  INTEGER NOT NULL REFERENCES population(id),  -- the version current when accepted
  reason         TEXT NOT NULL CHECK (reason <> ''),
  accepted_by    INTEGER NOT NULL REFERENCES person(id),
  accepted_at    TEXT NOT NULL,
  trail_seq      INTEGER NOT NULL
);
CREATE INDEX population_acceptance_by_sample ON population_acceptance(sample_id);
CREATE TABLE sample_judgmental_item (
  sample_id  INTEGER NOT NULL REFERENCES sample(id),          -- the selection (never an extension)
  seq        INTEGER NOT NULL,                                -- 1-based, in the order added
  row_no     INTEGER,                                         -- the population row; NULL for a date
  item_key   TEXT NOT NULL,
  item_date  TEXT,
  reason     TEXT NOT NULL CHECK (reason <> ''),
  added_by   TEXT NOT NULL,
  added_at   TEXT NOT NULL,
  PRIMARY KEY (sample_id, seq)
) WITHOUT ROWID;
)sql",
        // 13 -> 14: the server's stamp on each trail entry (the login the server authenticated and its
        // clock: trail_stamp, on a server only), kept when a server engagement is copied to a file and
        // carried back to a server: who wrote each entry, as the server that took it knew them. In a file
        // it is a record, not a proof (a file can be edited); on a server the team may only read it.
        R"sql(
CREATE TABLE server_stamp (
  seq           INTEGER PRIMARY KEY REFERENCES audit_trail(seq),
  server_login  TEXT NOT NULL,
  server_at     TEXT NOT NULL
);
)sql",
    };
    return s;
}

// The server's schema starts at this version (workpapers/store/pg_schema.cpp); each later step has
// its server form beside its file form (serverStep).
constexpr int kServerBaseVersion = 13;

// The steps after the base, in one transaction. They change tables, which only the engagement's owner
// (the firm's administrator, who made it) may: another login is told whom to ask, nothing changed.
void runServerSteps(db::Database& db, int from, int to) {
    try {
        db::Transaction tx(db);
        for (int v = std::max(from, kServerBaseVersion); v < to; ++v) db.exec(serverStep(v + 1));
        db.setPragmaInt("user_version", to);
        tx.commit();
    } catch (const InputError& refused) {
        if (from == 0) throw;
        throw InputError(db.path() + ": the engagement's schema is at version " + std::to_string(from) + " and this Tickmark needs " +
                         std::to_string(to) + "; upgrading changes its tables, which only the engagement's owner may (" +
                         refused.what() + "). Ask the firm's administrator to open it once with this version (tickmark info URI); "
                         "nothing was changed.");
    }
}

void createOnServer(db::Database& db, int target) {
    if (target < kServerBaseVersion || target > currentVersion())
        throw std::logic_error("the server schema starts at version " + std::to_string(kServerBaseVersion) + ", asked for " +
                               std::to_string(target));
    if (!db.empty())
        throw InputError(db.path() + ": the database holds tables already; an engagement starts in a new, empty database "
                                     "(one database per engagement)");
    db::Transaction tx(db);
    db.exec(serverSchemaV13());
    db.exec(serverGuards());
    db.setPragmaInt("application_id", kApplicationId);
    db.setPragmaInt("user_version", kServerBaseVersion);
    runServerSteps(db, 0, target);
    tx.commit();
}

// Foreign keys are off while the steps run (SQLite's way to rebuild a table others refer to:
// it cannot be switched inside a transaction) and checked in full before the commit.
void runSteps(db::Database& db, int from, int to) {
    db.exec("PRAGMA foreign_keys = OFF");
    struct KeysBackOn {
        db::Database& db;
        ~KeysBackOn() { try { db.exec("PRAGMA foreign_keys = ON"); } catch (...) {} }
    } on{db};
    {
        db::Transaction tx(db);
        if (from == 0) db.setPragmaInt("application_id", kApplicationId);
        for (int v = from; v < to; ++v) db.exec(steps()[static_cast<std::size_t>(v)]);
        auto check = db.prepare("PRAGMA foreign_key_check");
        if (check.step())
            throw StorageError(0, db.path() + ": upgrading the file to schema " + std::to_string(to) + " left a broken reference in " +
                                      check.getText(0) + "; the file was not changed");
        db.setPragmaInt("user_version", to);
        tx.commit();
    }
}

}  // namespace

int currentVersion() { return static_cast<int>(steps().size()); }

void create(db::Database& db, int target) {
    if (target < 0) target = currentVersion();
    if (db.onServer()) return createOnServer(db, target);
    // Population blocks (~48 KB) and evidence files are large blobs: 16 KB pages measured fastest.
    db.exec("PRAGMA page_size = 16384");
    db.exec("PRAGMA journal_mode = WAL");
    db.exec("PRAGMA foreign_keys = ON");
    runSteps(db, 0, target);
}

std::string openAndUpgrade(db::Database& db) {
    auto appId = db.pragmaInt("application_id");  // also the first read: fails here on a non-SQLite file
    auto version = static_cast<int>(db.pragmaInt("user_version"));
    if (appId != kApplicationId) {
        if (db.onServer())
            throw InputError(db.path() + (db.empty() ? ": an empty database, not a Tickmark engagement (create one with `tickmark new`)"
                                                     : ": not a Tickmark engagement (the database holds other tables)"));
        if (appId == 0 && version == 0 && db.empty())
            throw InputError(db.path() + ": an empty SQLite file, not a Tickmark engagement (create one with `tickmark new`)");
        throw InputError(db.path() + ": not a Tickmark engagement file (it is some other SQLite database)");
    }
    if (version > currentVersion())
        throw InputError(db.path() + ": written by a newer Tickmark (file schema " + std::to_string(version) +
                         "; this build reads up to " + std::to_string(currentVersion()) +
                         "). Open it with that version or upgrade Tickmark; the file was not touched.");
    if (db.onServer()) {
        // One transaction on the server: it upgrades whole or not at all, no backup copy needed.
        if (version < currentVersion()) runServerSteps(db, version, currentVersion());
        return {};
    }
    db.exec("PRAGMA foreign_keys = ON");
    db.exec("PRAGMA journal_mode = WAL");
    if (version == currentVersion()) return {};
    std::string backup = db.path() + ".schema-v" + std::to_string(version) + ".bak";
    for (int n = 2; std::filesystem::exists(backup); ++n)
        backup = db.path() + ".schema-v" + std::to_string(version) + ".bak" + std::to_string(n);
    db.backupTo(backup);
    runSteps(db, version, currentVersion());
    return backup;
}

}  // namespace tickmark::schema
