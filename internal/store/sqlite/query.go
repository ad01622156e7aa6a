package sqlite

import (
	"context"
	"database/sql"
	"database/sql/driver"
	"errors"
	"fmt"
	"strconv"
	"strings"

	sqlite "modernc.org/sqlite"

	"cloudward/internal/store"
)

// Query runs one read-only statement against a snapshot. The statement sees
// the TEMP views resources, edges, findings and collection_errors, each
// limited to the snapshot. Three guards keep it read-only: the statement is
// lexed so that exactly one SELECT, WITH or VALUES statement is accepted, it
// runs on a connection opened with mode=ro and query_only, and an SQLite
// authorizer denies every action but reading (and a few read-only pragmas).
func (s *Store) Query(ctx context.Context, snapshot int64, q string) (store.Rows, error) {
	if err := checkStatement(q); err != nil {
		return nil, fmt.Errorf("query: %w", err)
	}
	if err := s.exists(ctx, snapshot); err != nil {
		return nil, fmt.Errorf("query: %w", err)
	}
	conn, err := s.qdb.Conn(ctx)
	if err != nil {
		return nil, fmt.Errorf("query: %w", err)
	}
	if err := prepareQueryConn(ctx, conn, snapshot); err != nil {
		// The connection may be half set up: drop it rather than pool it.
		conn.Raw(func(any) error { return driver.ErrBadConn })
		conn.Close()
		return nil, fmt.Errorf("query snapshot %d: set up views: %w", snapshot, err)
	}
	rows, err := conn.QueryContext(ctx, q)
	if err != nil {
		conn.Close()
		return nil, fmt.Errorf("query: %w", classify(err))
	}
	cols, err := rows.Columns()
	if err != nil {
		rows.Close()
		conn.Close()
		return nil, fmt.Errorf("query: %w", err)
	}
	return &queryRows{conn: conn, rows: rows, cols: cols}, nil
}

// prepareQueryConn (re)creates the snapshot's views on conn and installs the
// read-only authorizer.
func prepareQueryConn(ctx context.Context, conn *sql.Conn, snapshot int64) error {
	if err := setAuthorizer(conn, nil); err != nil {
		return err
	}
	id := strconv.FormatInt(snapshot, 10)
	stmts := []string{
		`PRAGMA query_only = 0`,
		`DROP VIEW IF EXISTS temp.resources`,
		`DROP VIEW IF EXISTS temp.edges`,
		`DROP VIEW IF EXISTS temp.findings`,
		`DROP VIEW IF EXISTS temp.collection_errors`,
		`CREATE TEMP VIEW resources AS SELECT uid, provider, account, region, kind, name,
			coalesce(tags, '{}') AS tags, created_at,
			CASE WHEN doc_hash IS NULL THEN properties
				ELSE (SELECT d.body FROM main.resource_docs d WHERE d.hash = doc_hash) END AS properties
			FROM main.snap_resources WHERE snapshot_id = ` + id,
		`CREATE TEMP VIEW edges AS SELECT from_uid, to_uid, type
			FROM main.snap_edges WHERE snapshot_id = ` + id,
		`CREATE TEMP VIEW findings AS SELECT f.check_id, f.status,
			CASE f.severity WHEN 0 THEN 'info' WHEN 1 THEN 'low' WHEN 2 THEN 'medium'
				WHEN 3 THEN 'high' WHEN 4 THEN 'critical' END AS severity,
			f.reason, r.uid AS resource_uid, r.kind, r.provider, r.account, r.region,
			r.name AS resource_name
			FROM main.snap_findings f JOIN main.snap_resources r ON r.snapshot_id = f.snapshot_id AND r.uid = f.resource_uid
			WHERE f.snapshot_id = ` + id + `
			UNION ALL
			SELECT p.check_id, 'PASS',
			CASE p.severity WHEN 0 THEN 'info' WHEN 1 THEN 'low' WHEN 2 THEN 'medium'
				WHEN 3 THEN 'high' WHEN 4 THEN 'critical' END,
			'', r.uid, r.kind, r.provider, r.account, r.region, r.name
			FROM main.snap_passes p CROSS JOIN json_each(p.uids) j
				CROSS JOIN main.snap_resources r ON r.snapshot_id = p.snapshot_id AND r.uid = j.value
			WHERE p.snapshot_id = ` + id,
		`CREATE TEMP VIEW collection_errors AS SELECT provider, account, region, service, op, kind, message
			FROM main.snap_errors WHERE snapshot_id = ` + id,
		`PRAGMA query_only = 1`,
	}
	for _, q := range stmts {
		if _, err := conn.ExecContext(ctx, q); err != nil {
			return err
		}
	}
	return setAuthorizer(conn, readOnlyAuthorizer)
}

func setAuthorizer(conn *sql.Conn, fn sqlite.AuthorizerFn) error {
	return conn.Raw(func(dc any) error {
		r, ok := dc.(sqlite.AuthorizerRegisterer)
		if !ok {
			return fmt.Errorf("sqlite driver connection %T has no authorizer", dc)
		}
		return r.RegisterAuthorizer(fn)
	})
}

// readOnlyPragmas may be used, with an argument but never a value, as
// statements' table-valued functions (pragma_table_info('resources')).
var readOnlyPragmas = map[string]bool{
	"table_info": true, "table_xinfo": true, "table_list": true,
	"index_list": true, "index_info": true, "index_xinfo": true,
	"function_list": true, "collation_list": true, "foreign_key_list": true,
}

// deniedFunctions have effects outside the statement.
var deniedFunctions = map[string]bool{"load_extension": true}

func readOnlyAuthorizer(action sqlite.AuthorizerActionCode, arg1, arg2, _, _ string) sqlite.AuthorizerReturnCode {
	switch action {
	case sqlite.AuthSelect, sqlite.AuthRead, sqlite.AuthRecursive:
		return sqlite.AuthorizerOK
	case sqlite.AuthFunction:
		if deniedFunctions[strings.ToLower(arg2)] {
			return sqlite.AuthorizerDeny
		}
		return sqlite.AuthorizerOK
	case sqlite.AuthPragma:
		if readOnlyPragmas[strings.ToLower(arg1)] {
			return sqlite.AuthorizerOK
		}
	}
	return sqlite.AuthorizerDeny
}

// classify wraps errors that come from a write attempt in store.ErrReadOnly.
func classify(err error) error {
	msg := strings.ToLower(err.Error())
	for _, s := range []string{"not authorized", "readonly", "read-only", "query_only"} {
		if strings.Contains(msg, s) {
			return fmt.Errorf("%w: %w", store.ErrReadOnly, err)
		}
	}
	return err
}

// checkStatement accepts exactly one statement that starts with SELECT,
// WITH or VALUES. Trailing semicolons, spaces and comments are allowed.
func checkStatement(q string) error {
	first := ""
	end := -1 // index of the first top-level ';'
	for i := 0; i < len(q) && end < 0; {
		c := q[i]
		switch {
		case c == '\'' || c == '"' || c == '`':
			i = skipQuoted(q, i, c)
		case c == '[':
			if j := strings.IndexByte(q[i:], ']'); j >= 0 {
				i += j + 1
			} else {
				i = len(q)
			}
		case c == '-' && strings.HasPrefix(q[i:], "--"):
			i = skipLineComment(q, i)
		case c == '/' && strings.HasPrefix(q[i:], "/*"):
			i = skipBlockComment(q, i)
		case c == ';':
			end = i
		case first == "" && isWordByte(c):
			j := i
			for j < len(q) && isWordByte(q[j]) {
				j++
			}
			first = strings.ToUpper(q[i:j])
			i = j
		default:
			i++
		}
	}
	if end >= 0 {
		rest := q[end:]
		for i := 0; i < len(rest); {
			switch c := rest[i]; {
			case c == ';' || c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\f' || c == '\v':
				i++
			case strings.HasPrefix(rest[i:], "--"):
				i = skipLineComment(rest, i)
			case strings.HasPrefix(rest[i:], "/*"):
				i = skipBlockComment(rest, i)
			default:
				return fmt.Errorf("%w: more than one statement", store.ErrReadOnly)
			}
		}
	}
	switch first {
	case "SELECT", "WITH", "VALUES":
		return nil
	case "":
		return errors.New("empty statement")
	}
	return fmt.Errorf("%w: %s statements are not allowed", store.ErrReadOnly, first)
}

func isWordByte(c byte) bool {
	return c == '_' || c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9' || c >= 0x80
}

// skipQuoted returns the index after the quote that closes the one at i; a
// doubled quote is part of the text.
func skipQuoted(q string, i int, quote byte) int {
	for i++; i < len(q); i++ {
		if q[i] == quote {
			if i+1 < len(q) && q[i+1] == quote {
				i++
				continue
			}
			return i + 1
		}
	}
	return len(q)
}

func skipLineComment(q string, i int) int {
	if j := strings.IndexByte(q[i:], '\n'); j >= 0 {
		return i + j + 1
	}
	return len(q)
}

func skipBlockComment(q string, i int) int {
	if j := strings.Index(q[i+2:], "*/"); j >= 0 {
		return i + 2 + j + 2
	}
	return len(q)
}

// queryRows adapts *sql.Rows to store.Rows and returns the connection to
// the pool on Close.
type queryRows struct {
	conn *sql.Conn
	rows *sql.Rows
	cols []string
}

func (r *queryRows) Columns() []string { return r.cols }

func (r *queryRows) Next() bool { return r.rows.Next() }

// Values returns the current row: int64, float64, string (TEXT and JSON),
// []byte (BLOB) or nil.
func (r *queryRows) Values() ([]any, error) {
	vals := make([]any, len(r.cols))
	ptrs := make([]any, len(r.cols))
	for i := range vals {
		ptrs[i] = &vals[i]
	}
	if err := r.rows.Scan(ptrs...); err != nil {
		return nil, fmt.Errorf("query: read row: %w", err)
	}
	return vals, nil
}

func (r *queryRows) Err() error {
	if err := r.rows.Err(); err != nil {
		return fmt.Errorf("query: %w", classify(err))
	}
	return nil
}

func (r *queryRows) Close() error {
	return errors.Join(r.rows.Close(), r.conn.Close())
}
