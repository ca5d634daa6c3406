-- 0005: the category of an organization's permits (its line of work) and of
-- each permit (what the certificate's scope allows), the
-- reason code of a revocation, and the revocation lists this workstation
-- published (their numbers only go up: a verifier keeps the newest).

ALTER TABLE organizations ADD COLUMN category INTEGER NOT NULL DEFAULT 4
    CHECK (category BETWEEN 0 AND 15);

ALTER TABLE permits ADD COLUMN category INTEGER NOT NULL DEFAULT 0
    CHECK (category BETWEEN 0 AND 15);
-- Until now lists signed as "production" and residents as "urgent personal".
UPDATE permits SET category = CASE
    (SELECT r.kind FROM requests r WHERE r.id = permits.request_id)
    WHEN 'organization_list' THEN 4 ELSE 8 END;

-- permit::revocation::reason codes (0 other, 1 lost, 2 left the organization…).
ALTER TABLE permits ADD COLUMN revocation_code INTEGER
    CHECK (revocation_code IS NULL OR revocation_code BETWEEN 0 AND 255);
UPDATE permits SET revocation_code = 0 WHERE state = 'revoked';

CREATE TABLE revocation_lists (
    number       INTEGER PRIMARY KEY CHECK (number > 0),
    issued_at    TEXT NOT NULL,
    permits      INTEGER NOT NULL,
    key_id       TEXT NOT NULL,             -- workstation key that signed it
    created_by   INTEGER REFERENCES users(id)
);
