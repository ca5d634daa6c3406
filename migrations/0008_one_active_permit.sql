-- 0008: one active permit per person in the ward, in the schema.
--
-- A permit is active from its approval until it leaves the approved / stamped / printed /
-- delivered states. `active_id` holds the holder's ID number while the permit is active
-- (NULL otherwise), kept by triggers on every state change, and a partial unique index
-- allows one active permit per ID number. The store checks first (with the date, and a
-- message naming the other permit); the index is the last word whatever the code path.
--
-- Two active permits of one person recorded before this step (the same list imported twice,
-- both approved) cannot both be marked: only the newest carries the mark, so nothing fails
-- here; the store refuses to stamp either while the other is active, and the official
-- revokes or rejects one.

ALTER TABLE permits ADD COLUMN active_id TEXT;

UPDATE permits SET active_id = (SELECT p.id_number FROM persons p WHERE p.id = permits.person_id)
WHERE state IN ('approved', 'stamped', 'printed', 'delivered')
  AND id = (
      SELECT max(pm2.id) FROM permits pm2 JOIN persons p2 ON p2.id = pm2.person_id
      WHERE pm2.state IN ('approved', 'stamped', 'printed', 'delivered')
        AND p2.id_number = (SELECT p.id_number FROM persons p WHERE p.id = permits.person_id)
  );

CREATE UNIQUE INDEX permits_one_active ON permits(active_id) WHERE active_id IS NOT NULL;

CREATE TRIGGER permits_active_on_insert AFTER INSERT ON permits
WHEN new.state IN ('approved', 'stamped', 'printed', 'delivered')
BEGIN
    UPDATE permits SET active_id = (SELECT id_number FROM persons WHERE id = new.person_id)
    WHERE id = new.id;
END;

-- Entering the active states (approval): marked. Moving between them keeps the mark as it is.
CREATE TRIGGER permits_active_enter AFTER UPDATE OF state ON permits
WHEN new.state IN ('approved', 'stamped', 'printed', 'delivered')
 AND old.state NOT IN ('approved', 'stamped', 'printed', 'delivered')
BEGIN
    UPDATE permits SET active_id = (SELECT id_number FROM persons WHERE id = new.person_id)
    WHERE id = new.id;
END;

CREATE TRIGGER permits_active_leave AFTER UPDATE OF state ON permits
WHEN new.state NOT IN ('approved', 'stamped', 'printed', 'delivered')
 AND new.active_id IS NOT NULL
BEGIN
    UPDATE permits SET active_id = NULL WHERE id = new.id;
END;
