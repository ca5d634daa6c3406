-- 0009: failed logins per account, so that password guessing slows down and a new process
-- does not reset the count. After 5 failures each further try must wait (growing); a
-- success clears the row. Unknown user names share one row (account ''), so the text typed
-- (often a password typed into the wrong field) is never stored.
--
-- Local to this workstation: never exchanged with the ward's other workstation (each PC
-- throttles the logins typed on it). `account` is the key: a user name, or ''.

CREATE TABLE login_failures (
    account         TEXT PRIMARY KEY,
    failures        INTEGER NOT NULL CHECK (failures > 0),
    last_failure_at INTEGER NOT NULL,   -- unix milliseconds
    locked_until    INTEGER NOT NULL    -- unix milliseconds; no try is checked before it
) STRICT;
