-- Search indexes of complete snapshots (store.Searcher, used by `cloudward
-- serve`). They are built on demand, one set of tables per snapshot N, in
-- one transaction (see search.go):
--   search_r_N  the snapshot's resources without properties, inserted in
--               UID order so that rowid order is UID order, with indexes
--               on uid, kind, provider, account and region (each also
--               ordered by rowid, i.e. by UID: keyset pages of a filter
--               read only the rows they return);
--   search_t_N  an FTS5 trigram index of name and UID (case-insensitive
--               substring search), contentless, rowid = search_r_N rowid;
--   search_g_N  tags (key, value, rowid).
-- This table lists the snapshots whose index is complete. Separately,
-- FindingGroups and ResourceGroups keep a complete snapshot's counts once
-- computed, in search_f_N and search_c_N.
CREATE TABLE search_indexes (
	snapshot_id INTEGER PRIMARY KEY,
	built_at    TEXT    NOT NULL,
	resources   INTEGER NOT NULL
);
