-- State of `cloudward serve` (package serverstate): API tokens and sessions
-- (only SHA-256 hashes of their secrets), mutes added through the API and
-- their audit log, scan runs, and per-snapshot scores for trends. Times are
-- Unix nanoseconds, 0 when unset.
CREATE TABLE server_tokens (
	id         TEXT    PRIMARY KEY,
	name       TEXT    NOT NULL,
	scope      TEXT    NOT NULL CHECK (scope IN ('read', 'admin')),
	hash       BLOB    NOT NULL UNIQUE,
	created_at INTEGER NOT NULL,
	last_used  INTEGER NOT NULL DEFAULT 0,
	revoked_at INTEGER NOT NULL DEFAULT 0
);

CREATE TABLE server_sessions (
	hash       BLOB    PRIMARY KEY,
	token_id   TEXT    NOT NULL REFERENCES server_tokens (id),
	csrf       TEXT    NOT NULL,
	created_at INTEGER NOT NULL,
	expires_at INTEGER NOT NULL
) WITHOUT ROWID;

CREATE TABLE server_mutes (
	id         INTEGER PRIMARY KEY,
	check_id   TEXT    NOT NULL,
	resource   TEXT    NOT NULL DEFAULT '',
	reason     TEXT    NOT NULL,
	owner      TEXT    NOT NULL,
	created_at INTEGER NOT NULL,
	expires    INTEGER NOT NULL DEFAULT 0,
	expired_at INTEGER NOT NULL DEFAULT 0
);

CREATE TABLE server_mute_changes (
	id      INTEGER PRIMARY KEY,
	mute_id INTEGER NOT NULL REFERENCES server_mutes (id),
	action  TEXT    NOT NULL,
	who     TEXT    NOT NULL,
	why     TEXT    NOT NULL,
	at      INTEGER NOT NULL
);

CREATE TABLE server_runs (
	id          INTEGER PRIMARY KEY,
	scope       TEXT    NOT NULL,
	trigger     TEXT    NOT NULL,
	started_at  INTEGER NOT NULL,
	finished_at INTEGER NOT NULL DEFAULT 0,
	status      TEXT    NOT NULL,
	snapshot_id INTEGER NOT NULL DEFAULT 0,
	error       TEXT    NOT NULL DEFAULT ''
);

CREATE TABLE server_scores (
	snapshot_id INTEGER PRIMARY KEY,
	scope       TEXT    NOT NULL,
	at          INTEGER NOT NULL,
	data        BLOB    NOT NULL
);
