// Package statetest is the conformance suite every serverstate.State passes.
package statetest

import (
	"context"
	"errors"
	"testing"
	"time"

	"cloudward/internal/serverstate"
)

// Run checks st, which must be empty, against the State contract.
func Run(t *testing.T, st serverstate.State) {
	t.Helper()
	ctx := context.Background()
	now := time.Date(2026, 3, 1, 12, 0, 0, 0, time.UTC)

	// Tokens.
	a := serverstate.Token{ID: "tok1", Name: "alice", Scope: serverstate.ScopeAdmin, Hash: []byte("hash-a"), CreatedAt: now}
	b := serverstate.Token{ID: "tok2", Name: "bob", Scope: serverstate.ScopeRead, Hash: []byte("hash-b"), CreatedAt: now.Add(time.Second)}
	for _, tok := range []serverstate.Token{a, b} {
		if err := st.CreateToken(ctx, tok); err != nil {
			t.Fatal(err)
		}
	}
	if err := st.CreateToken(ctx, serverstate.Token{ID: "tok3", Name: "dup", Scope: serverstate.ScopeRead, Hash: []byte("hash-a"), CreatedAt: now}); err == nil {
		t.Error("CreateToken with a duplicate hash succeeded")
	}
	got, err := st.TokenByHash(ctx, []byte("hash-b"))
	if err != nil || got.ID != "tok2" || got.Scope != serverstate.ScopeRead || got.Name != "bob" || !got.CreatedAt.Equal(b.CreatedAt) {
		t.Errorf("TokenByHash = %+v, %v", got, err)
	}
	if _, err := st.TokenByHash(ctx, []byte("nope")); !errors.Is(err, serverstate.ErrNotFound) {
		t.Errorf("TokenByHash(unknown) error = %v, want ErrNotFound", err)
	}
	if err := st.TouchToken(ctx, "tok1", now.Add(time.Minute)); err != nil {
		t.Fatal(err)
	}
	toks, err := st.Tokens(ctx)
	if err != nil || len(toks) != 2 || toks[0].ID != "tok1" || !toks[0].LastUsed.Equal(now.Add(time.Minute)) {
		t.Errorf("Tokens = %+v, %v", toks, err)
	}

	// Sessions end with their expiry and with their token.
	sa := serverstate.Session{Hash: []byte("sess-a"), TokenID: "tok1", CSRF: "csrf-a", CreatedAt: now, ExpiresAt: now.Add(time.Hour)}
	sb := serverstate.Session{Hash: []byte("sess-b"), TokenID: "tok2", CSRF: "csrf-b", CreatedAt: now, ExpiresAt: now.Add(time.Hour)}
	for _, s := range []serverstate.Session{sa, sb} {
		if err := st.CreateSession(ctx, s); err != nil {
			t.Fatal(err)
		}
	}
	s, tok, err := st.SessionByHash(ctx, []byte("sess-a"), now.Add(time.Minute))
	if err != nil || s.CSRF != "csrf-a" || tok.ID != "tok1" || tok.Scope != serverstate.ScopeAdmin {
		t.Errorf("SessionByHash = %+v %+v %v", s, tok, err)
	}
	if _, _, err := st.SessionByHash(ctx, []byte("sess-a"), now.Add(time.Hour)); !errors.Is(err, serverstate.ErrNotFound) {
		t.Errorf("expired session: error = %v, want ErrNotFound", err)
	}
	if err := st.DeleteSession(ctx, []byte("sess-a")); err != nil {
		t.Fatal(err)
	}
	if _, _, err := st.SessionByHash(ctx, []byte("sess-a"), now); !errors.Is(err, serverstate.ErrNotFound) {
		t.Errorf("deleted session: error = %v, want ErrNotFound", err)
	}
	if err := st.RevokeToken(ctx, "tok2", now.Add(2*time.Minute)); err != nil {
		t.Fatal(err)
	}
	if _, _, err := st.SessionByHash(ctx, []byte("sess-b"), now); !errors.Is(err, serverstate.ErrNotFound) {
		t.Errorf("session of a revoked token: error = %v, want ErrNotFound", err)
	}
	if _, err := st.TokenByHash(ctx, []byte("hash-b")); !errors.Is(err, serverstate.ErrNotFound) {
		t.Errorf("revoked token: error = %v, want ErrNotFound", err)
	}
	if err := st.RevokeToken(ctx, "tok2", now); !errors.Is(err, serverstate.ErrNotFound) {
		t.Errorf("revoking twice: error = %v, want ErrNotFound", err)
	}

	// Mutes and their audit log.
	m, err := st.AddMute(ctx, serverstate.Mute{Check: "c1", Resource: "r1", Reason: "accepted", Owner: "alice", CreatedAt: now},
		serverstate.MuteChange{Action: "add", Who: "alice", Why: "accepted", At: now})
	if err != nil || m.ID == 0 {
		t.Fatalf("AddMute = %+v, %v", m, err)
	}
	if !m.Active(now) {
		t.Error("new mute is not active")
	}
	m2, err := st.ExpireMute(ctx, m.ID, serverstate.MuteChange{Action: "expire", Who: "bob", Why: "fixed", At: now.Add(time.Hour)})
	if err != nil || !m2.ExpiredAt.Equal(now.Add(time.Hour)) || m2.Active(now.Add(time.Hour)) || !m2.Active(now) {
		t.Errorf("ExpireMute = %+v, %v", m2, err)
	}
	if _, err := st.ExpireMute(ctx, 999, serverstate.MuteChange{Action: "expire", Who: "bob", Why: "x", At: now}); !errors.Is(err, serverstate.ErrNotFound) {
		t.Errorf("ExpireMute(unknown) error = %v", err)
	}
	mutes, err := st.Mutes(ctx)
	if err != nil || len(mutes) != 1 || mutes[0].Reason != "accepted" || mutes[0].Resource != "r1" {
		t.Errorf("Mutes = %+v, %v", mutes, err)
	}
	changes, err := st.MuteChanges(ctx, 10)
	if err != nil || len(changes) != 2 || changes[0].Action != "expire" || changes[0].Who != "bob" || changes[0].Why != "fixed" ||
		changes[1].Action != "add" || changes[1].MuteID != m.ID {
		t.Errorf("MuteChanges = %+v, %v", changes, err)
	}

	// Runs.
	id, err := st.StartRun(ctx, serverstate.Run{Scope: "demo", Trigger: "schedule", StartedAt: now, Status: serverstate.RunRunning})
	if err != nil {
		t.Fatal(err)
	}
	if err := st.FinishRun(ctx, serverstate.Run{ID: id, Scope: "demo", Trigger: "schedule", StartedAt: now, FinishedAt: now.Add(time.Second),
		Status: serverstate.RunFailed, Error: "boom"}); err != nil {
		t.Fatal(err)
	}
	id2, _ := st.StartRun(ctx, serverstate.Run{Scope: "demo", Trigger: "manual:alice", StartedAt: now.Add(time.Minute), Status: serverstate.RunRunning})
	runs, err := st.Runs(ctx, 10)
	if err != nil || len(runs) != 2 || runs[0].ID != id2 || runs[1].Status != serverstate.RunFailed || runs[1].Error != "boom" {
		t.Errorf("Runs = %+v, %v", runs, err)
	}
	if err := st.FinishRun(ctx, serverstate.Run{ID: 999}); !errors.Is(err, serverstate.ErrNotFound) {
		t.Errorf("FinishRun(unknown) error = %v", err)
	}

	// Scores, newest first, replaced per snapshot.
	for i, d := range []string{`{"a":1}`, `{"a":2}`, `{"a":3}`} {
		if err := st.SaveScore(ctx, int64(i+1), "demo", now.Add(time.Duration(i)*time.Hour), []byte(d)); err != nil {
			t.Fatal(err)
		}
	}
	if err := st.SaveScore(ctx, 2, "demo", now, []byte(`{"a":22}`)); err != nil {
		t.Fatal(err)
	}
	scores, err := st.Scores(ctx, 2)
	if err != nil || len(scores) != 2 || scores[0].SnapshotID != 3 || string(scores[1].Data) != `{"a":22}` {
		t.Errorf("Scores = %+v, %v", scores, err)
	}
}
