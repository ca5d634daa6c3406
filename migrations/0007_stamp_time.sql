-- 0007: when each permit was stamped, on the permit itself (the printed permit shows it as
-- the issue date and in the stamp mark), instead of a search of the audit trail per sheet.

ALTER TABLE permits ADD COLUMN stamped_at TEXT;  -- RFC 3339, set with the token

UPDATE permits SET stamped_at = (
    SELECT max(a.at) FROM audit_log a
    WHERE a.entity = 'permit' AND a.entity_id = permits.id AND a.action = 'permit.stamp'
) WHERE token IS NOT NULL;
