package postgres

import (
	"context"
	"errors"
	"fmt"
	"time"

	"github.com/jackc/pgx/v5"

	"cloudward/internal/serverstate"
)

// ServerState is the state of `cloudward serve` kept in the same database
// as the snapshots (migration 0004), so that serve runs on PostgreSQL
// alone: tokens and sessions (hashes only), API mutes and their change log,
// scan runs and per-snapshot scores.
type ServerState struct{ s *Store }

var _ serverstate.State = ServerState{}

// ServerState returns the server state kept in this store's database.
func (s *Store) ServerState() ServerState { return ServerState{s} }

func nanos(t time.Time) int64 {
	if t.IsZero() {
		return 0
	}
	return t.UnixNano()
}

func fromNanos(n int64) time.Time {
	if n == 0 {
		return time.Time{}
	}
	return time.Unix(0, n).UTC()
}

// CreateToken implements serverstate.State.
func (st ServerState) CreateToken(ctx context.Context, t serverstate.Token) error {
	_, err := st.s.pool.Exec(ctx, `INSERT INTO server_tokens (id, name, scope, hash, created_at) VALUES ($1, $2, $3, $4, $5)`,
		t.ID, t.Name, string(t.Scope), t.Hash, nanos(t.CreatedAt))
	if err != nil {
		return fmt.Errorf("create token %s: %w", t.ID, err)
	}
	return nil
}

const tokenColumns = `id, name, scope, hash, created_at, last_used, revoked_at`

func scanToken(row pgx.Row) (serverstate.Token, error) {
	var t serverstate.Token
	var scope string
	var created, used, revoked int64
	if err := row.Scan(&t.ID, &t.Name, &scope, &t.Hash, &created, &used, &revoked); err != nil {
		return t, err
	}
	t.Scope = serverstate.Scope(scope)
	t.CreatedAt, t.LastUsed, t.RevokedAt = fromNanos(created), fromNanos(used), fromNanos(revoked)
	return t, nil
}

// TokenByHash implements serverstate.State.
func (st ServerState) TokenByHash(ctx context.Context, hash []byte) (serverstate.Token, error) {
	t, err := scanToken(st.s.pool.QueryRow(ctx, `SELECT `+tokenColumns+` FROM server_tokens WHERE hash = $1 AND revoked_at = 0`, hash))
	if errors.Is(err, pgx.ErrNoRows) {
		return t, serverstate.ErrNotFound
	}
	if err != nil {
		return t, fmt.Errorf("look up token: %w", err)
	}
	return t, nil
}

// Tokens implements serverstate.State.
func (st ServerState) Tokens(ctx context.Context) ([]serverstate.Token, error) {
	rows, err := st.s.pool.Query(ctx, `SELECT `+tokenColumns+` FROM server_tokens ORDER BY created_at, id`)
	if err != nil {
		return nil, fmt.Errorf("list tokens: %w", err)
	}
	defer rows.Close()
	var out []serverstate.Token
	for rows.Next() {
		t, err := scanToken(rows)
		if err != nil {
			return nil, fmt.Errorf("list tokens: %w", err)
		}
		out = append(out, t)
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("list tokens: %w", err)
	}
	return out, nil
}

// RevokeToken implements serverstate.State.
func (st ServerState) RevokeToken(ctx context.Context, id string, at time.Time) error {
	err := st.s.inTx(ctx, func(tx pgx.Tx) error {
		tag, err := tx.Exec(ctx, `UPDATE server_tokens SET revoked_at = $1 WHERE id = $2 AND revoked_at = 0`, nanos(at), id)
		if err != nil {
			return err
		}
		if tag.RowsAffected() == 0 {
			return serverstate.ErrNotFound
		}
		if _, err := tx.Exec(ctx, `DELETE FROM server_sessions WHERE token_id = $1`, id); err != nil {
			return fmt.Errorf("end sessions: %w", err)
		}
		return nil
	})
	if err != nil {
		return fmt.Errorf("revoke token %s: %w", id, err)
	}
	return nil
}

// TouchToken implements serverstate.State.
func (st ServerState) TouchToken(ctx context.Context, id string, at time.Time) error {
	if _, err := st.s.pool.Exec(ctx, `UPDATE server_tokens SET last_used = $1 WHERE id = $2`, nanos(at), id); err != nil {
		return fmt.Errorf("touch token %s: %w", id, err)
	}
	return nil
}

// CreateSession implements serverstate.State.
func (st ServerState) CreateSession(ctx context.Context, s serverstate.Session) error {
	err := st.s.inTx(ctx, func(tx pgx.Tx) error {
		// Expired sessions are cleared as new ones are made.
		if _, err := tx.Exec(ctx, `DELETE FROM server_sessions WHERE expires_at <= $1`, nanos(s.CreatedAt)); err != nil {
			return err
		}
		_, err := tx.Exec(ctx, `INSERT INTO server_sessions (hash, token_id, csrf, created_at, expires_at) VALUES ($1, $2, $3, $4, $5)`,
			s.Hash, s.TokenID, s.CSRF, nanos(s.CreatedAt), nanos(s.ExpiresAt))
		return err
	})
	if err != nil {
		return fmt.Errorf("create session: %w", err)
	}
	return nil
}

// SessionByHash implements serverstate.State.
func (st ServerState) SessionByHash(ctx context.Context, hash []byte, now time.Time) (serverstate.Session, serverstate.Token, error) {
	var s serverstate.Session
	var t serverstate.Token
	var created, expires, tc, tu, tr int64
	var scope string
	err := st.s.pool.QueryRow(ctx, `SELECT s.hash, s.token_id, s.csrf, s.created_at, s.expires_at,
		t.id, t.name, t.scope, t.hash, t.created_at, t.last_used, t.revoked_at
		FROM server_sessions s JOIN server_tokens t ON t.id = s.token_id
		WHERE s.hash = $1 AND s.expires_at > $2 AND t.revoked_at = 0`, hash, nanos(now)).
		Scan(&s.Hash, &s.TokenID, &s.CSRF, &created, &expires, &t.ID, &t.Name, &scope, &t.Hash, &tc, &tu, &tr)
	if errors.Is(err, pgx.ErrNoRows) {
		return s, t, serverstate.ErrNotFound
	}
	if err != nil {
		return s, t, fmt.Errorf("look up session: %w", err)
	}
	s.CreatedAt, s.ExpiresAt = fromNanos(created), fromNanos(expires)
	t.Scope = serverstate.Scope(scope)
	t.CreatedAt, t.LastUsed, t.RevokedAt = fromNanos(tc), fromNanos(tu), fromNanos(tr)
	return s, t, nil
}

// DeleteSession implements serverstate.State.
func (st ServerState) DeleteSession(ctx context.Context, hash []byte) error {
	if _, err := st.s.pool.Exec(ctx, `DELETE FROM server_sessions WHERE hash = $1`, hash); err != nil {
		return fmt.Errorf("delete session: %w", err)
	}
	return nil
}

func logChange(ctx context.Context, tx pgx.Tx, c serverstate.MuteChange) error {
	_, err := tx.Exec(ctx, `INSERT INTO server_mute_changes (mute_id, action, who, why, at) VALUES ($1, $2, $3, $4, $5)`,
		c.MuteID, c.Action, c.Who, c.Why, nanos(c.At))
	return err
}

// AddMute implements serverstate.State.
func (st ServerState) AddMute(ctx context.Context, m serverstate.Mute, c serverstate.MuteChange) (serverstate.Mute, error) {
	err := st.s.inTx(ctx, func(tx pgx.Tx) error {
		if err := tx.QueryRow(ctx, `INSERT INTO server_mutes (check_id, resource, reason, owner, created_at, expires)
			VALUES ($1, $2, $3, $4, $5, $6) RETURNING id`,
			m.Check, m.Resource, m.Reason, m.Owner, nanos(m.CreatedAt), nanos(m.Expires)).Scan(&m.ID); err != nil {
			return err
		}
		c.MuteID = m.ID
		if err := logChange(ctx, tx, c); err != nil {
			return fmt.Errorf("log change: %w", err)
		}
		return nil
	})
	if err != nil {
		return m, fmt.Errorf("add mute: %w", err)
	}
	return m, nil
}

const muteColumns = `id, check_id, resource, reason, owner, created_at, expires, expired_at`

func scanMute(row pgx.Row) (serverstate.Mute, error) {
	var m serverstate.Mute
	var created, expires, expired int64
	err := row.Scan(&m.ID, &m.Check, &m.Resource, &m.Reason, &m.Owner, &created, &expires, &expired)
	m.CreatedAt, m.Expires, m.ExpiredAt = fromNanos(created), fromNanos(expires), fromNanos(expired)
	return m, err
}

// ExpireMute implements serverstate.State.
func (st ServerState) ExpireMute(ctx context.Context, id int64, c serverstate.MuteChange) (serverstate.Mute, error) {
	var m serverstate.Mute
	err := st.s.inTx(ctx, func(tx pgx.Tx) error {
		var err error
		m, err = scanMute(tx.QueryRow(ctx, `UPDATE server_mutes SET expired_at = $1 WHERE id = $2 RETURNING `+muteColumns, nanos(c.At), id))
		if errors.Is(err, pgx.ErrNoRows) {
			return serverstate.ErrNotFound
		}
		if err != nil {
			return err
		}
		c.MuteID = id
		if err := logChange(ctx, tx, c); err != nil {
			return fmt.Errorf("log change: %w", err)
		}
		return nil
	})
	if err != nil {
		return serverstate.Mute{}, fmt.Errorf("expire mute %d: %w", id, err)
	}
	return m, nil
}

// Mutes implements serverstate.State.
func (st ServerState) Mutes(ctx context.Context) ([]serverstate.Mute, error) {
	rows, err := st.s.pool.Query(ctx, `SELECT `+muteColumns+` FROM server_mutes ORDER BY id DESC`)
	if err != nil {
		return nil, fmt.Errorf("list mutes: %w", err)
	}
	defer rows.Close()
	var out []serverstate.Mute
	for rows.Next() {
		m, err := scanMute(rows)
		if err != nil {
			return nil, fmt.Errorf("list mutes: %w", err)
		}
		out = append(out, m)
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("list mutes: %w", err)
	}
	return out, nil
}

// MuteChanges implements serverstate.State.
func (st ServerState) MuteChanges(ctx context.Context, limit int) ([]serverstate.MuteChange, error) {
	rows, err := st.s.pool.Query(ctx, `SELECT id, mute_id, action, who, why, at FROM server_mute_changes ORDER BY id DESC LIMIT $1`, limit)
	if err != nil {
		return nil, fmt.Errorf("list mute changes: %w", err)
	}
	defer rows.Close()
	var out []serverstate.MuteChange
	for rows.Next() {
		var c serverstate.MuteChange
		var at int64
		if err := rows.Scan(&c.ID, &c.MuteID, &c.Action, &c.Who, &c.Why, &at); err != nil {
			return nil, fmt.Errorf("list mute changes: %w", err)
		}
		c.At = fromNanos(at)
		out = append(out, c)
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("list mute changes: %w", err)
	}
	return out, nil
}

// StartRun implements serverstate.State.
func (st ServerState) StartRun(ctx context.Context, r serverstate.Run) (int64, error) {
	var id int64
	if err := st.s.pool.QueryRow(ctx, `INSERT INTO server_runs (scope, trigger, started_at, status) VALUES ($1, $2, $3, $4) RETURNING id`,
		r.Scope, r.Trigger, nanos(r.StartedAt), string(r.Status)).Scan(&id); err != nil {
		return 0, fmt.Errorf("start run: %w", err)
	}
	return id, nil
}

// FinishRun implements serverstate.State.
func (st ServerState) FinishRun(ctx context.Context, r serverstate.Run) error {
	tag, err := st.s.pool.Exec(ctx, `UPDATE server_runs SET finished_at = $1, status = $2, snapshot_id = $3, error = $4 WHERE id = $5`,
		nanos(r.FinishedAt), string(r.Status), r.SnapshotID, r.Error, r.ID)
	if err != nil {
		return fmt.Errorf("finish run %d: %w", r.ID, err)
	}
	if tag.RowsAffected() == 0 {
		return fmt.Errorf("finish run %d: %w", r.ID, serverstate.ErrNotFound)
	}
	return nil
}

// Runs implements serverstate.State.
func (st ServerState) Runs(ctx context.Context, limit int) ([]serverstate.Run, error) {
	rows, err := st.s.pool.Query(ctx, `SELECT id, scope, trigger, started_at, finished_at, status, snapshot_id, error
		FROM server_runs ORDER BY id DESC LIMIT $1`, limit)
	if err != nil {
		return nil, fmt.Errorf("list runs: %w", err)
	}
	defer rows.Close()
	var out []serverstate.Run
	for rows.Next() {
		var r serverstate.Run
		var started, finished int64
		var status string
		if err := rows.Scan(&r.ID, &r.Scope, &r.Trigger, &started, &finished, &status, &r.SnapshotID, &r.Error); err != nil {
			return nil, fmt.Errorf("list runs: %w", err)
		}
		r.StartedAt, r.FinishedAt, r.Status = fromNanos(started), fromNanos(finished), serverstate.RunStatus(status)
		out = append(out, r)
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("list runs: %w", err)
	}
	return out, nil
}

// SaveScore implements serverstate.State.
func (st ServerState) SaveScore(ctx context.Context, snapshot int64, scope string, at time.Time, data []byte) error {
	if _, err := st.s.pool.Exec(ctx, `INSERT INTO server_scores (snapshot_id, scope, at, data) VALUES ($1, $2, $3, $4)
		ON CONFLICT (snapshot_id) DO UPDATE SET scope = excluded.scope, at = excluded.at, data = excluded.data`,
		snapshot, scope, nanos(at), data); err != nil {
		return fmt.Errorf("save score of snapshot %d: %w", snapshot, err)
	}
	return nil
}

// Scores implements serverstate.State.
func (st ServerState) Scores(ctx context.Context, limit int) ([]serverstate.Score, error) {
	rows, err := st.s.pool.Query(ctx, `SELECT snapshot_id, scope, at, data FROM server_scores ORDER BY snapshot_id DESC LIMIT $1`, limit)
	if err != nil {
		return nil, fmt.Errorf("list scores: %w", err)
	}
	defer rows.Close()
	var out []serverstate.Score
	for rows.Next() {
		var s serverstate.Score
		var at int64
		if err := rows.Scan(&s.SnapshotID, &s.Scope, &at, &s.Data); err != nil {
			return nil, fmt.Errorf("list scores: %w", err)
		}
		s.At = fromNanos(at)
		out = append(out, s)
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("list scores: %w", err)
	}
	return out, nil
}
