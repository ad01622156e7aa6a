package server

import (
	"context"
	"fmt"
	"sync"
	"time"

	"github.com/robfig/cron/v3"

	"cloudward/internal/serverstate"
)

func parseCron(spec string) (cron.Schedule, error) {
	sched, err := cron.ParseStandard(spec)
	if err != nil {
		return nil, fmt.Errorf("cron expression %q: %w", spec, err)
	}
	return sched, nil
}

// Run runs the scheduler until ctx ends: scans on each schedule (and once
// per scope at start with ScanOnStart). When ctx ends it stops starting
// scans, lets running scans finish for the shutdown grace period, then
// cancels them (their snapshots roll back) and returns.
func (s *Server) Run(ctx context.Context) error {
	// Scores of the latest snapshot, for the metrics and the overview.
	go func() {
		if _, err := s.data.latest(ctx); err != nil && ctx.Err() == nil {
			s.log.Debug("no snapshot to summarise yet", "err", err)
		}
		s.index.startNewest()
	}()
	var loops sync.WaitGroup
	if s.opts.ScanOnStart {
		for _, scope := range s.opts.Scopes {
			if _, err := s.StartScan(scope, "start"); err != nil {
				s.log.Warn("scan at start", "scope", scope, "err", err)
			}
		}
	}
	for _, sc := range s.opts.Schedules {
		sched, _ := parseCron(sc.Cron) // checked in New
		loops.Add(1)
		go func() {
			defer loops.Done()
			s.schedule(ctx, sc.Scope, sched)
		}()
	}
	<-ctx.Done()
	s.mu.Lock()
	s.closing = true
	s.mu.Unlock()
	loops.Wait()
	done := make(chan struct{})
	go func() { s.scans.Wait(); close(done) }()
	select {
	case <-done:
	case <-time.After(s.opts.ShutdownGrace):
		s.log.Warn("cancelling running scans at shutdown; their snapshots are rolled back")
		s.scanCancel()
		<-done
	}
	s.scanCancel()
	return nil
}

// schedule starts a scan of scope at every tick of sched until ctx ends. A
// tick while the previous scan still runs is skipped; a failed scan is
// simply tried again at the next tick.
func (s *Server) schedule(ctx context.Context, scope string, sched cron.Schedule) {
	for {
		now := s.opts.Now()
		next := sched.Next(now)
		t := time.NewTimer(next.Sub(now))
		select {
		case <-ctx.Done():
			t.Stop()
			return
		case <-t.C:
		}
		if _, err := s.StartScan(scope, "schedule"); err != nil {
			s.log.Warn("scheduled scan not started", "scope", scope, "err", err)
		}
	}
}

// StartScan starts a scan of scope in the background and returns its run,
// or ErrScanRunning when one of that scope is already running.
func (s *Server) StartScan(scope, trigger string) (serverstate.Run, error) {
	if !contains(s.opts.Scopes, scope) {
		return serverstate.Run{}, fmt.Errorf("start scan: unknown scope %q", scope)
	}
	s.mu.Lock()
	if s.running[scope] {
		s.mu.Unlock()
		return serverstate.Run{}, ErrScanRunning
	}
	if s.closing {
		s.mu.Unlock()
		return serverstate.Run{}, fmt.Errorf("start scan: server is shutting down")
	}
	s.running[scope] = true
	s.scans.Add(1)
	s.mu.Unlock()

	run := serverstate.Run{Scope: scope, Trigger: trigger, StartedAt: s.opts.Now().UTC(), Status: serverstate.RunRunning}
	id, err := s.opts.State.StartRun(s.scanCtx, run)
	if err != nil {
		s.finishScan(scope)
		return run, fmt.Errorf("start scan: %w", err)
	}
	run.ID = id
	go func() {
		defer s.finishScan(scope)
		s.scan(run)
	}()
	return run, nil
}

func (s *Server) finishScan(scope string) {
	s.mu.Lock()
	delete(s.running, scope)
	s.mu.Unlock()
	s.scans.Done()
}

// Running reports the scopes being scanned.
func (s *Server) Running() []string {
	s.mu.Lock()
	defer s.mu.Unlock()
	var out []string
	for _, sc := range s.opts.Scopes {
		if s.running[sc] {
			out = append(out, sc)
		}
	}
	return out
}

// scan runs one scan and records its outcome.
func (s *Server) scan(run serverstate.Run) {
	t0 := time.Now()
	s.log.Info("scan started", "scope", run.Scope, "trigger", run.Trigger, "run", run.ID)
	id, err := s.opts.Scan(s.scanCtx, run.Scope)
	s.metrics.scanDuration.WithLabelValues(run.Scope).Observe(time.Since(t0).Seconds())
	run.FinishedAt = s.opts.Now().UTC()
	if err != nil {
		run.Status, run.Error = serverstate.RunFailed, err.Error()
		s.metrics.scans.WithLabelValues(run.Scope, "failed").Inc()
		s.log.Warn("scan failed", "scope", run.Scope, "run", run.ID, "err", err)
	} else {
		run.Status, run.SnapshotID = serverstate.RunOK, id
		s.metrics.scans.WithLabelValues(run.Scope, "ok").Inc()
		s.log.Info("scan done", "scope", run.Scope, "run", run.ID, "snapshot", id, "duration", time.Since(t0))
	}
	// The run's record and the follow-up use a context of their own: a
	// scan cancelled at shutdown is still recorded as failed.
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Minute)
	defer cancel()
	// The snapshot is summarised (and its scores saved) before the run is
	// recorded as done, so a client that sees an "ok" run also sees its
	// snapshot in the timeline.
	var d *snapData
	if err == nil {
		if d, err = s.data.get(ctx, id); err != nil {
			s.log.Error("summarise snapshot", "snapshot", id, "err", err)
			d = nil
		}
	}
	if ferr := s.opts.State.FinishRun(ctx, run); ferr != nil {
		s.log.Error("record scan run", "run", run.ID, "err", ferr)
	}
	if d == nil {
		return
	}
	s.metrics.scanResources.WithLabelValues(run.Scope).Set(float64(d.Snapshot.Resources))
	s.metrics.collectionErrors.WithLabelValues(run.Scope).Set(float64(d.Snapshot.Errors))
	s.notify(ctx, d)
}
