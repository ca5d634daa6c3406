-- 0004: activation and signing. The workstation's own key (public half and
-- fingerprint only: the sealed private key is a file next to the database),
-- the install keys the city sent (certificates, kept as their armored text),
-- and the signed token of each stamped permit.

CREATE TABLE workstation_key (
    id           INTEGER PRIMARY KEY CHECK (id = 1),
    public_key   TEXT NOT NULL,            -- 64 hex digits
    fingerprint  TEXT NOT NULL,            -- keystore::fingerprint, XXXX-XXXX-…
    key_file     TEXT,                     -- file name next to the database (NULL in memory)
    created_by   INTEGER REFERENCES users(id),
    created_at   TEXT NOT NULL
);

CREATE TABLE install_keys (
    id            INTEGER PRIMARY KEY,
    certificate   TEXT NOT NULL,           -- the install key as pasted, re-armored
    key_id        TEXT NOT NULL,           -- permit::KeyId of the certified key
    public_key    TEXT NOT NULL,           -- 64 hex digits of the certified key
    valid_from    TEXT NOT NULL,           -- YYYY-MM-DD
    valid_to      TEXT NOT NULL,
    demo_root     INTEGER NOT NULL CHECK (demo_root IN (0, 1)),
    installed_by  INTEGER REFERENCES users(id),
    installed_at  TEXT NOT NULL
);
CREATE INDEX install_keys_valid ON install_keys(valid_to, valid_from);

ALTER TABLE permits ADD COLUMN token TEXT;  -- GD1:… signed at stamping
