package server

import (
	"sync"
	"time"
)

// indexer builds snapshots' search indexes (store.Searcher.IndexSnapshot)
// in the background, one at a time and once per snapshot: when a snapshot
// is first summarised (after each scan the server runs, and for the newest
// snapshot when the server starts), for the newest snapshot of each scope
// at start, and when a search meets the newest snapshot of a scope
// without one.
// Until an index is built, search gives the same answers, slower.
type indexer struct {
	s *Server

	build sync.Mutex // held while a build runs: one at a time

	mu     sync.Mutex
	builds map[int64]*indexBuild // started or done, so each runs once
}

type indexBuild struct {
	done chan struct{}
	err  error
}

func newIndexer(s *Server) *indexer {
	return &indexer{s: s, builds: map[int64]*indexBuild{}}
}

// start builds snapshot id's index in the background unless a build of it
// was started already. The build belongs to the server's scans: shutdown
// waits for it for the grace period, then cancels it (its transaction
// rolls back and leaves no index).
func (ix *indexer) start(id int64) *indexBuild {
	s := ix.s
	ix.mu.Lock()
	defer ix.mu.Unlock()
	if b := ix.builds[id]; b != nil {
		return b
	}
	s.mu.Lock()
	if s.closing {
		s.mu.Unlock()
		return nil
	}
	s.scans.Add(1)
	s.mu.Unlock()
	b := &indexBuild{done: make(chan struct{})}
	ix.builds[id] = b
	go func() {
		defer s.scans.Done()
		defer close(b.done)
		ix.build.Lock()
		defer ix.build.Unlock()
		t0 := time.Now()
		if b.err = s.searcher.IndexSnapshot(s.scanCtx, id); b.err != nil {
			s.log.Warn("build search index", "snapshot", id, "err", b.err)
			ix.mu.Lock()
			delete(ix.builds, id) // try again next time
			ix.mu.Unlock()
			return
		}
		s.log.Info("search index ready", "snapshot", id, "duration", time.Since(t0).Round(time.Millisecond))
	}()
	return b
}

// startNewest starts the builds of the newest snapshot of each scope.
func (ix *indexer) startNewest() {
	sns, err := ix.s.opts.Store.Snapshots(ix.s.scanCtx)
	if err != nil {
		ix.s.log.Warn("list snapshots to index", "err", err)
		return
	}
	seen := map[string]bool{}
	for _, sn := range sns {
		if !seen[sn.Scope] {
			seen[sn.Scope] = true
			ix.start(sn.ID)
		}
	}
}

// newest reports whether snapshot id is the newest of its scope.
func (ix *indexer) newest(id int64, scope string) bool {
	sns, err := ix.s.opts.Store.Snapshots(ix.s.scanCtx)
	if err != nil {
		return false
	}
	for _, sn := range sns {
		if sn.Scope == scope {
			return sn.ID == id
		}
	}
	return false
}
