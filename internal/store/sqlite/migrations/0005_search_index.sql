-- Search indexes of complete snapshots (store.Searcher, used by `cloudward
-- serve`). They are built on demand, one file per snapshot N next to the
-- database, <db>.search-N (see search.go): the snapshot's resources without
-- properties in UID order with an index per filter, an FTS5 trigram index
-- of name and UID, and the tags. This table lists the snapshots whose index
-- file is complete. Separately, FindingGroups and ResourceGroups keep a
-- complete snapshot's counts once computed, in tables search_f_N and
-- search_c_N of the database.
CREATE TABLE search_indexes (
	snapshot_id INTEGER PRIMARY KEY,
	built_at    TEXT    NOT NULL,
	resources   INTEGER NOT NULL
);
