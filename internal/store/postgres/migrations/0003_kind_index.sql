-- Resources by kind: the cross-resource checks re-read the resources of
-- their kinds after collection, and the dashboard filters by kind.
CREATE INDEX snap_resources_kind ON snap_resources (snapshot_id, kind);
