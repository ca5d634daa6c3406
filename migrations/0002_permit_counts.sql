-- 0002: permits per state kept up to date by triggers, so the dashboard
-- reads nine rows instead of counting a city-sized table (≈50 ms at 1M).

CREATE TABLE permit_counts (
    state  TEXT PRIMARY KEY,
    count  INTEGER NOT NULL CHECK (count >= 0)
) WITHOUT ROWID;

INSERT INTO permit_counts (state, count)
SELECT s.state, (SELECT count(*) FROM permits p WHERE p.state = s.state)
FROM (SELECT 'received' AS state UNION ALL SELECT 'checked' UNION ALL SELECT 'approved'
      UNION ALL SELECT 'rejected' UNION ALL SELECT 'stamped' UNION ALL SELECT 'printed'
      UNION ALL SELECT 'delivered' UNION ALL SELECT 'revoked' UNION ALL SELECT 'expired') s;

CREATE TRIGGER permit_counts_ai AFTER INSERT ON permits BEGIN
    UPDATE permit_counts SET count = count + 1 WHERE state = new.state;
END;
CREATE TRIGGER permit_counts_ad AFTER DELETE ON permits BEGIN
    UPDATE permit_counts SET count = count - 1 WHERE state = old.state;
END;
CREATE TRIGGER permit_counts_au AFTER UPDATE OF state ON permits
WHEN old.state IS NOT new.state BEGIN
    UPDATE permit_counts SET count = count - 1 WHERE state = old.state;
    UPDATE permit_counts SET count = count + 1 WHERE state = new.state;
END;
