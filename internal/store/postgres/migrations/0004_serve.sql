-- What `cloudward serve` keeps in PostgreSQL.
--
-- Search indexes of complete snapshots (store.Searcher; see search.go):
-- built on demand, one table per snapshot N, search_r_N, holding the
-- snapshot's resources without properties plus their lower-cased name and
-- UID, with B-tree indexes ordered by UID for each filter and, when the
-- pg_trgm extension can be created, trigram GIN indexes for substring
-- search. This table lists the snapshots whose index is complete.
CREATE TABLE search_indexes (
	snapshot_id bigint      PRIMARY KEY,
	built_at    timestamptz NOT NULL,
	resources   bigint      NOT NULL,
	trigram     boolean     NOT NULL
);

-- Server state (package serverstate), as in the SQLite store's migration
-- 0003: API tokens and sessions (only SHA-256 hashes of their secrets),
-- mutes added through the API and their audit log, scan runs, and
-- per-snapshot scores for trends. Times are Unix nanoseconds, 0 when unset.
CREATE TABLE server_tokens (
	id         text   PRIMARY KEY,
	name       text   NOT NULL,
	scope      text   NOT NULL CHECK (scope IN ('read', 'admin')),
	hash       bytea  NOT NULL UNIQUE,
	created_at bigint NOT NULL,
	last_used  bigint NOT NULL DEFAULT 0,
	revoked_at bigint NOT NULL DEFAULT 0
);

CREATE TABLE server_sessions (
	hash       bytea  PRIMARY KEY,
	token_id   text   NOT NULL REFERENCES server_tokens (id),
	csrf       text   NOT NULL,
	created_at bigint NOT NULL,
	expires_at bigint NOT NULL
);
CREATE INDEX server_sessions_token ON server_sessions (token_id);

CREATE TABLE server_mutes (
	id         bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
	check_id   text   NOT NULL,
	resource   text   NOT NULL DEFAULT '',
	reason     text   NOT NULL,
	owner      text   NOT NULL,
	created_at bigint NOT NULL,
	expires    bigint NOT NULL DEFAULT 0,
	expired_at bigint NOT NULL DEFAULT 0
);

CREATE TABLE server_mute_changes (
	id      bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
	mute_id bigint NOT NULL REFERENCES server_mutes (id),
	action  text   NOT NULL,
	who     text   NOT NULL,
	why     text   NOT NULL,
	at      bigint NOT NULL
);

CREATE TABLE server_runs (
	id          bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
	scope       text   NOT NULL,
	trigger     text   NOT NULL,
	started_at  bigint NOT NULL,
	finished_at bigint NOT NULL DEFAULT 0,
	status      text   NOT NULL,
	snapshot_id bigint NOT NULL DEFAULT 0,
	error       text   NOT NULL DEFAULT ''
);

CREATE TABLE server_scores (
	snapshot_id bigint PRIMARY KEY,
	scope       text   NOT NULL,
	at          bigint NOT NULL,
	data        bytea  NOT NULL
);
