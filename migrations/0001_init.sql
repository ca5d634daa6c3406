-- 0001: the ward's records, permits and audit trail.
-- Applied by the store crate inside a transaction; never edit once released
-- (the store records a SHA-256 of this file and refuses a changed one):
-- add a new numbered file instead.

-- The ward this workstation serves. Exactly one row.
-- Ward codes were reused with new meanings on 2025-07-01: the code is only
-- meaningful together with the administrative-unit dataset it comes from.
CREATE TABLE ward (
    id           INTEGER PRIMARY KEY CHECK (id = 1),
    code         TEXT NOT NULL,
    name         TEXT NOT NULL,
    dataset      TEXT NOT NULL,
    workstation  INTEGER NOT NULL CHECK (workstation BETWEEN 1 AND 99),
    created_at   TEXT NOT NULL
);

CREATE TABLE users (
    id             INTEGER PRIMARY KEY,
    username       TEXT NOT NULL UNIQUE,
    full_name      TEXT NOT NULL,
    password_hash  TEXT NOT NULL,          -- Argon2id PHC string
    disabled       INTEGER NOT NULL DEFAULT 0 CHECK (disabled IN (0, 1)),
    created_at     TEXT NOT NULL
);

CREATE TABLE user_roles (
    user_id  INTEGER NOT NULL REFERENCES users(id),
    role     TEXT NOT NULL CHECK (role IN ('area_police', 'ward_official', 'ward_police', 'ward_admin')),
    PRIMARY KEY (user_id, role)
) WITHOUT ROWID;

CREATE TABLE organizations (
    id              INTEGER PRIMARY KEY,
    ref_code        TEXT NOT NULL UNIQUE,  -- quoted by the organization in its emails
    name            TEXT NOT NULL,
    name_key        TEXT NOT NULL,         -- vntext::fold(name)
    tax_code        TEXT NOT NULL UNIQUE,
    address         TEXT NOT NULL,
    contact_person  TEXT NOT NULL,
    contact_emails  TEXT NOT NULL,         -- JSON array of lowercase addresses
    created_by      INTEGER NOT NULL REFERENCES users(id),
    created_at      TEXT NOT NULL
);

CREATE TABLE requests (
    id           INTEGER PRIMARY KEY,
    kind         TEXT NOT NULL CHECK (kind IN ('organization_list', 'resident')),
    org_id       INTEGER REFERENCES organizations(id),
    source_name  TEXT,                     -- file name of an imported list
    note         TEXT,
    created_by   INTEGER NOT NULL REFERENCES users(id),
    created_at   TEXT NOT NULL,
    CHECK ((kind = 'organization_list') = (org_id IS NOT NULL))
);
CREATE INDEX requests_org ON requests(org_id);

-- One row per person per request: a person named in two requests has two rows.
CREATE TABLE persons (
    id          INTEGER PRIMARY KEY,
    request_id  INTEGER NOT NULL REFERENCES requests(id),
    row_no      INTEGER,                   -- row in the imported sheet, as the sheet shows it
    full_name   TEXT NOT NULL,             -- NFC
    name_key    TEXT NOT NULL,             -- vntext::fold(full_name): no diacritics, đ→d
    id_kind     TEXT NOT NULL CHECK (id_kind IN ('cccd', 'cmnd', 'passport_vn', 'other')),
    id_number   TEXT NOT NULL,
    id_label    TEXT,
    dob         TEXT,                      -- YYYY-MM-DD
    sex         TEXT CHECK (sex IN ('male', 'female')),
    phone       TEXT,
    residence   TEXT,
    workplace   TEXT,
    position    TEXT,
    notes       TEXT NOT NULL DEFAULT '[]', -- JSON [[header, value], …] of unrecognized columns
    warnings    TEXT NOT NULL DEFAULT '[]'  -- JSON [message, …] from import
);
CREATE INDEX persons_request ON persons(request_id);
CREATE INDEX persons_id_number ON persons(id_number);

-- Word index over the folded name (external content: the text lives in persons).
CREATE VIRTUAL TABLE persons_fts USING fts5(
    name_key,
    content = 'persons',
    content_rowid = 'id',
    tokenize = 'unicode61 remove_diacritics 0',
    prefix = '2 3'
);
CREATE TRIGGER persons_fts_ai AFTER INSERT ON persons BEGIN
    INSERT INTO persons_fts(rowid, name_key) VALUES (new.id, new.name_key);
END;
CREATE TRIGGER persons_fts_ad AFTER DELETE ON persons BEGIN
    INSERT INTO persons_fts(persons_fts, rowid, name_key) VALUES ('delete', old.id, old.name_key);
END;
CREATE TRIGGER persons_fts_au AFTER UPDATE OF name_key ON persons BEGIN
    INSERT INTO persons_fts(persons_fts, rowid, name_key) VALUES ('delete', old.id, old.name_key);
    INSERT INTO persons_fts(rowid, name_key) VALUES (new.id, new.name_key);
END;

-- Rows of an imported list that were refused, kept so nothing is lost.
CREATE TABLE request_rows_rejected (
    id          INTEGER PRIMARY KEY,
    request_id  INTEGER NOT NULL REFERENCES requests(id),
    row_no      INTEGER NOT NULL,
    reason      TEXT NOT NULL,
    code        TEXT NOT NULL
);
CREATE INDEX request_rows_rejected_request ON request_rows_rejected(request_id);

CREATE TABLE permits (
    id               INTEGER PRIMARY KEY,
    person_id        INTEGER NOT NULL UNIQUE REFERENCES persons(id),
    request_id       INTEGER NOT NULL REFERENCES requests(id),
    state            TEXT NOT NULL CHECK (state IN ('received', 'checked', 'approved', 'rejected',
                         'stamped', 'printed', 'delivered', 'revoked', 'expired')),
    serial           TEXT UNIQUE,          -- allocated at stamping
    purpose          TEXT,
    area             TEXT,
    valid_from       TEXT,                 -- YYYY-MM-DD
    valid_to         TEXT,
    decision_reason  TEXT,
    decided_by       INTEGER REFERENCES users(id),
    decided_at       TEXT,
    updated_at       TEXT NOT NULL
);
CREATE INDEX permits_request ON permits(request_id);
CREATE INDEX permits_state ON permits(state, valid_to);

-- Serial numbers only go forward, even if a stamping transaction is rolled back
-- after allocation elsewhere: the counter is the single source.
CREATE TABLE serial_counter (
    id    INTEGER PRIMARY KEY CHECK (id = 1),
    last  INTEGER NOT NULL CHECK (last >= 0)
);
INSERT INTO serial_counter (id, last) VALUES (1, 0);
CREATE TRIGGER serial_counter_forward BEFORE UPDATE ON serial_counter
WHEN new.last <= old.last BEGIN
    SELECT RAISE(ABORT, 'serial counter must only go forward');
END;

CREATE TABLE attachments (
    id          INTEGER PRIMARY KEY,
    request_id  INTEGER NOT NULL REFERENCES requests(id),
    filename    TEXT NOT NULL,
    mime        TEXT NOT NULL,
    sha256      TEXT NOT NULL,
    bytes       BLOB NOT NULL,
    created_at  TEXT NOT NULL
);
CREATE INDEX attachments_request ON attachments(request_id);

-- Append-only, hash-chained audit trail. The triggers stop accidents; the
-- chain (and the head) detect deliberate edits made around them.
CREATE TABLE audit_log (
    seq        INTEGER PRIMARY KEY,
    at         TEXT NOT NULL,
    user_id    INTEGER,
    username   TEXT NOT NULL,
    action     TEXT NOT NULL,
    entity     TEXT NOT NULL,
    entity_id  INTEGER,
    details    TEXT NOT NULL,             -- canonical JSON
    prev_hash  TEXT NOT NULL,
    hash       TEXT NOT NULL
);
CREATE INDEX audit_entity ON audit_log(entity, entity_id);
CREATE TRIGGER audit_log_no_update BEFORE UPDATE ON audit_log BEGIN
    SELECT RAISE(ABORT, 'audit trail is append-only');
END;
CREATE TRIGGER audit_log_no_delete BEFORE DELETE ON audit_log BEGIN
    SELECT RAISE(ABORT, 'audit trail is append-only');
END;

-- Count and last hash, so that removing the newest entries is detected too.
CREATE TABLE audit_head (
    id         INTEGER PRIMARY KEY CHECK (id = 1),
    count      INTEGER NOT NULL,
    last_hash  TEXT NOT NULL
);
INSERT INTO audit_head (id, count, last_hash) VALUES (1, 0, '');
