// Package serverstate holds the state `cloudward serve` keeps besides
// snapshots: API tokens (hashed), dashboard sessions (hashed), mutes added
// through the API with their change log, scan runs and per-snapshot scores.
// The sqlite and postgres stores implement State, next to their snapshots
// (both pass statetest); Memory is an in-memory State for tests.
package serverstate

import (
	"context"
	"errors"
	"time"
)

// ErrNotFound is returned when a token, session, mute or run does not exist.
var ErrNotFound = errors.New("not found")

// Scope is what an API token may do.
type Scope string

// Token scopes: read sees everything; admin may also mute, expire mutes and
// start scans.
const (
	ScopeRead  Scope = "read"
	ScopeAdmin Scope = "admin"
)

// Valid reports whether s is a known scope.
func (s Scope) Valid() bool { return s == ScopeRead || s == ScopeAdmin }

// Token is an API token. Only the SHA-256 hash of its secret is stored.
type Token struct {
	ID        string    `json:"id"`
	Name      string    `json:"name"`
	Scope     Scope     `json:"scope"`
	Hash      []byte    `json:"-"`
	CreatedAt time.Time `json:"created_at"`
	LastUsed  time.Time `json:"last_used,omitzero"`
	RevokedAt time.Time `json:"revoked_at,omitzero"`
}

// Session is a dashboard login. Only the SHA-256 hash of its cookie value is
// stored; CSRF is the per-session anti-forgery token the dashboard sends back.
type Session struct {
	Hash      []byte
	TokenID   string
	CSRF      string
	CreatedAt time.Time
	ExpiresAt time.Time
}

// Mute is a mute added through the API: FAIL findings of Check on Resource
// (a UID or glob; empty means every resource) are reported as MUTED with
// Reason until Expires (zero: never).
type Mute struct {
	ID        int64     `json:"id"`
	Check     string    `json:"check"`
	Resource  string    `json:"resource,omitempty"`
	Reason    string    `json:"reason"`
	Owner     string    `json:"owner"`
	CreatedAt time.Time `json:"created_at"`
	Expires   time.Time `json:"expires,omitzero"`
	// ExpiredAt is set when the mute was ended early through the API.
	ExpiredAt time.Time `json:"expired_at,omitzero"`
}

// Active reports whether the mute applies at now.
func (m Mute) Active(now time.Time) bool {
	if !m.ExpiredAt.IsZero() && !now.Before(m.ExpiredAt) {
		return false
	}
	return m.Expires.IsZero() || now.Before(m.Expires)
}

// MuteChange is one entry of the mute audit log.
type MuteChange struct {
	ID     int64     `json:"id"`
	MuteID int64     `json:"mute_id"`
	Action string    `json:"action"` // "add" or "expire"
	Who    string    `json:"who"`
	Why    string    `json:"why"`
	At     time.Time `json:"at"`
}

// RunStatus is a scan run's state.
type RunStatus string

// Run states.
const (
	RunRunning RunStatus = "running"
	RunOK      RunStatus = "ok"
	RunFailed  RunStatus = "failed"
)

// Run is one scheduled or manual scan.
type Run struct {
	ID         int64     `json:"id"`
	Scope      string    `json:"scope"`
	Trigger    string    `json:"trigger"` // "schedule", "start" or "manual:<token name>"
	StartedAt  time.Time `json:"started_at"`
	FinishedAt time.Time `json:"finished_at,omitzero"`
	Status     RunStatus `json:"status"`
	SnapshotID int64     `json:"snapshot_id,omitempty"`
	Error      string    `json:"error,omitempty"`
}

// State is the server's own persistent state. Implementations are safe for
// concurrent use.
type State interface {
	// CreateToken stores t (ID, Name, Scope, Hash and CreatedAt set).
	CreateToken(ctx context.Context, t Token) error
	// TokenByHash returns the unrevoked token with this hash, or ErrNotFound.
	TokenByHash(ctx context.Context, hash []byte) (Token, error)
	// Tokens lists every token, revoked ones included, oldest first.
	Tokens(ctx context.Context) ([]Token, error)
	// RevokeToken revokes a token and ends its sessions.
	RevokeToken(ctx context.Context, id string, at time.Time) error
	// TouchToken records that a token was used.
	TouchToken(ctx context.Context, id string, at time.Time) error

	// CreateSession stores s.
	CreateSession(ctx context.Context, s Session) error
	// SessionByHash returns the session with this hash if it has not
	// expired at now and its token is not revoked, or ErrNotFound.
	SessionByHash(ctx context.Context, hash []byte, now time.Time) (Session, Token, error)
	// DeleteSession ends a session.
	DeleteSession(ctx context.Context, hash []byte) error

	// AddMute stores m (its ID is assigned) and logs the change.
	AddMute(ctx context.Context, m Mute, change MuteChange) (Mute, error)
	// ExpireMute ends a mute at change.At and logs the change.
	ExpireMute(ctx context.Context, id int64, change MuteChange) (Mute, error)
	// Mutes lists every mute, newest first.
	Mutes(ctx context.Context) ([]Mute, error)
	// MuteChanges lists the audit log, newest first.
	MuteChanges(ctx context.Context, limit int) ([]MuteChange, error)

	// StartRun records a running scan and returns its ID.
	StartRun(ctx context.Context, r Run) (int64, error)
	// FinishRun records a run's end.
	FinishRun(ctx context.Context, r Run) error
	// Runs lists the newest runs first.
	Runs(ctx context.Context, limit int) ([]Run, error)

	// SaveScore keeps a snapshot's compact scores (JSON) for trends.
	SaveScore(ctx context.Context, snapshot int64, scope string, at time.Time, data []byte) error
	// Scores returns up to limit saved scores, newest first.
	Scores(ctx context.Context, limit int) ([]Score, error)
}

// Score is a snapshot's saved scores.
type Score struct {
	SnapshotID int64
	Scope      string
	At         time.Time
	Data       []byte
}
