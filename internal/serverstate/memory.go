package serverstate

import (
	"bytes"
	"context"
	"fmt"
	"slices"
	"sync"
	"time"
)

// Memory is a State kept in memory, for tests and throwaway servers.
type Memory struct {
	mu       sync.Mutex
	tokens   []Token
	sessions []Session
	mutes    []Mute
	changes  []MuteChange
	runs     []Run
	scores   []Score
}

var _ State = (*Memory)(nil)

// NewMemory returns an empty in-memory State.
func NewMemory() *Memory { return &Memory{} }

// CreateToken implements State.
func (m *Memory) CreateToken(ctx context.Context, t Token) error {
	m.mu.Lock()
	defer m.mu.Unlock()
	for _, o := range m.tokens {
		if o.ID == t.ID || bytes.Equal(o.Hash, t.Hash) {
			return fmt.Errorf("create token %s: duplicate", t.ID)
		}
	}
	m.tokens = append(m.tokens, t)
	return nil
}

// TokenByHash implements State.
func (m *Memory) TokenByHash(ctx context.Context, hash []byte) (Token, error) {
	m.mu.Lock()
	defer m.mu.Unlock()
	for _, t := range m.tokens {
		if bytes.Equal(t.Hash, hash) && t.RevokedAt.IsZero() {
			return t, nil
		}
	}
	return Token{}, ErrNotFound
}

// Tokens implements State.
func (m *Memory) Tokens(ctx context.Context) ([]Token, error) {
	m.mu.Lock()
	defer m.mu.Unlock()
	return slices.Clone(m.tokens), nil
}

// RevokeToken implements State.
func (m *Memory) RevokeToken(ctx context.Context, id string, at time.Time) error {
	m.mu.Lock()
	defer m.mu.Unlock()
	i := slices.IndexFunc(m.tokens, func(t Token) bool { return t.ID == id })
	if i < 0 || !m.tokens[i].RevokedAt.IsZero() {
		return fmt.Errorf("revoke token %s: %w", id, ErrNotFound)
	}
	m.tokens[i].RevokedAt = at
	m.sessions = slices.DeleteFunc(m.sessions, func(s Session) bool { return s.TokenID == id })
	return nil
}

// TouchToken implements State.
func (m *Memory) TouchToken(ctx context.Context, id string, at time.Time) error {
	m.mu.Lock()
	defer m.mu.Unlock()
	for i := range m.tokens {
		if m.tokens[i].ID == id {
			m.tokens[i].LastUsed = at
		}
	}
	return nil
}

// CreateSession implements State.
func (m *Memory) CreateSession(ctx context.Context, s Session) error {
	m.mu.Lock()
	defer m.mu.Unlock()
	m.sessions = append(m.sessions, s)
	return nil
}

// SessionByHash implements State.
func (m *Memory) SessionByHash(ctx context.Context, hash []byte, now time.Time) (Session, Token, error) {
	m.mu.Lock()
	defer m.mu.Unlock()
	for _, s := range m.sessions {
		if !bytes.Equal(s.Hash, hash) || !now.Before(s.ExpiresAt) {
			continue
		}
		for _, t := range m.tokens {
			if t.ID == s.TokenID && t.RevokedAt.IsZero() {
				return s, t, nil
			}
		}
	}
	return Session{}, Token{}, ErrNotFound
}

// DeleteSession implements State.
func (m *Memory) DeleteSession(ctx context.Context, hash []byte) error {
	m.mu.Lock()
	defer m.mu.Unlock()
	m.sessions = slices.DeleteFunc(m.sessions, func(s Session) bool { return bytes.Equal(s.Hash, hash) })
	return nil
}

// AddMute implements State.
func (m *Memory) AddMute(ctx context.Context, mu Mute, change MuteChange) (Mute, error) {
	m.mu.Lock()
	defer m.mu.Unlock()
	mu.ID = int64(len(m.mutes) + 1)
	m.mutes = append(m.mutes, mu)
	change.ID = int64(len(m.changes) + 1)
	change.MuteID = mu.ID
	m.changes = append(m.changes, change)
	return mu, nil
}

// ExpireMute implements State.
func (m *Memory) ExpireMute(ctx context.Context, id int64, change MuteChange) (Mute, error) {
	m.mu.Lock()
	defer m.mu.Unlock()
	i := slices.IndexFunc(m.mutes, func(x Mute) bool { return x.ID == id })
	if i < 0 {
		return Mute{}, fmt.Errorf("expire mute %d: %w", id, ErrNotFound)
	}
	m.mutes[i].ExpiredAt = change.At
	change.ID = int64(len(m.changes) + 1)
	change.MuteID = id
	m.changes = append(m.changes, change)
	return m.mutes[i], nil
}

// Mutes implements State.
func (m *Memory) Mutes(ctx context.Context) ([]Mute, error) {
	m.mu.Lock()
	defer m.mu.Unlock()
	out := slices.Clone(m.mutes)
	slices.Reverse(out)
	return out, nil
}

// MuteChanges implements State.
func (m *Memory) MuteChanges(ctx context.Context, limit int) ([]MuteChange, error) {
	m.mu.Lock()
	defer m.mu.Unlock()
	out := slices.Clone(m.changes)
	slices.Reverse(out)
	return out[:min(limit, len(out))], nil
}

// StartRun implements State.
func (m *Memory) StartRun(ctx context.Context, r Run) (int64, error) {
	m.mu.Lock()
	defer m.mu.Unlock()
	r.ID = int64(len(m.runs) + 1)
	m.runs = append(m.runs, r)
	return r.ID, nil
}

// FinishRun implements State.
func (m *Memory) FinishRun(ctx context.Context, r Run) error {
	m.mu.Lock()
	defer m.mu.Unlock()
	if r.ID < 1 || r.ID > int64(len(m.runs)) {
		return fmt.Errorf("finish run %d: %w", r.ID, ErrNotFound)
	}
	m.runs[r.ID-1] = r
	return nil
}

// Runs implements State.
func (m *Memory) Runs(ctx context.Context, limit int) ([]Run, error) {
	m.mu.Lock()
	defer m.mu.Unlock()
	out := slices.Clone(m.runs)
	slices.Reverse(out)
	return out[:min(limit, len(out))], nil
}

// SaveScore implements State.
func (m *Memory) SaveScore(ctx context.Context, snapshot int64, scope string, at time.Time, data []byte) error {
	m.mu.Lock()
	defer m.mu.Unlock()
	m.scores = slices.DeleteFunc(m.scores, func(s Score) bool { return s.SnapshotID == snapshot })
	m.scores = append(m.scores, Score{SnapshotID: snapshot, Scope: scope, At: at, Data: slices.Clone(data)})
	slices.SortFunc(m.scores, func(a, b Score) int { return int(a.SnapshotID - b.SnapshotID) })
	return nil
}

// Scores implements State.
func (m *Memory) Scores(ctx context.Context, limit int) ([]Score, error) {
	m.mu.Lock()
	defer m.mu.Unlock()
	out := slices.Clone(m.scores)
	slices.Reverse(out)
	return out[:min(limit, len(out))], nil
}
