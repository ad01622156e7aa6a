package postgres

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"math/big"
	"strconv"
	"strings"
	"time"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgconn"
	"github.com/jackc/pgx/v5/pgtype"
	"github.com/jackc/pgx/v5/pgxpool"

	"cloudward/internal/store"
)

// Query runs one read-only statement against a snapshot. The statement sees
// the views resources, edges, findings and collection_errors (schema
// cloudward_query), each limited to the snapshot. Four guards keep it
// read-only: the statement is lexed so that exactly one SELECT, WITH,
// VALUES or TABLE statement is accepted; it is sent as one prepared
// statement, which the server refuses to hold more than one command; it
// runs in a READ ONLY transaction that is always rolled back; and its
// connection comes from a pool of its own and has every session-level
// advisory lock released before it is reused. SET LOCAL statement_timeout
// bounds its run time.
func (s *Store) Query(ctx context.Context, snapshot int64, q string) (store.Rows, error) {
	if err := checkStatement(q); err != nil {
		return nil, fmt.Errorf("query: %w", err)
	}
	if err := s.exists(ctx, snapshot); err != nil {
		return nil, fmt.Errorf("query: %w", err)
	}
	conn, err := s.qpool.Acquire(ctx)
	if err != nil {
		return nil, fmt.Errorf("query: %w", err)
	}
	tx, err := conn.BeginTx(ctx, pgx.TxOptions{AccessMode: pgx.ReadOnly})
	if err != nil {
		conn.Release()
		return nil, fmt.Errorf("query: %w", err)
	}
	r := &queryRows{conn: conn, tx: tx}
	_, err = tx.Exec(ctx, `SELECT set_config('statement_timeout', $1, true),
		set_config('cloudward.snapshot', $2, true),
		set_config('search_path', 'cloudward_query, ' || current_setting('search_path'), true)`,
		strconv.FormatInt(s.queryTimeout.Milliseconds(), 10), strconv.FormatInt(snapshot, 10))
	if err != nil {
		r.Close()
		return nil, fmt.Errorf("query snapshot %d: set up: %w", snapshot, err)
	}
	r.rows, err = tx.Query(ctx, q)
	if err == nil {
		// pgx reports most statement errors on the first Next, not here.
		err = r.rows.Err()
	}
	if err != nil {
		r.Close()
		return nil, fmt.Errorf("query: %w", classify(err))
	}
	fds := r.rows.FieldDescriptions()
	r.cols = make([]string, len(fds))
	for i, fd := range fds {
		r.cols[i] = fd.Name
	}
	return r, nil
}

// classify wraps errors that come from a write attempt, or from more than
// one statement, in store.ErrReadOnly.
func classify(err error) error {
	var pe *pgconn.PgError
	if errors.As(err, &pe) {
		switch {
		case pe.Code == "25006", // read_only_sql_transaction
			pe.Code == "25001" && strings.Contains(pe.Message, "read-write"): // an attempt to leave read-only mode
			return fmt.Errorf("%w: %w", store.ErrReadOnly, err)
		case pe.Code == "42601" && strings.Contains(pe.Message, "multiple commands"):
			return fmt.Errorf("%w: more than one statement: %w", store.ErrReadOnly, err)
		}
	}
	return err
}

// queryRows adapts pgx.Rows to store.Rows. Close rolls the transaction
// back and returns the connection to the query pool.
type queryRows struct {
	conn *pgxpool.Conn
	tx   pgx.Tx
	rows pgx.Rows
	cols []string
	err  error
}

func (r *queryRows) Columns() []string { return r.cols }

func (r *queryRows) Next() bool { return r.err == nil && r.rows.Next() }

// Values returns the current row as int64, float64, bool, string (text,
// JSON, times in RFC 3339, UUIDs, numerics too large for float64), []byte
// (bytea) or nil. Arrays and composite values come back as JSON text.
func (r *queryRows) Values() ([]any, error) {
	vals, err := r.rows.Values()
	if err != nil {
		return nil, fmt.Errorf("query: read row: %w", err)
	}
	raw := r.rows.RawValues()
	fds := r.rows.FieldDescriptions()
	for i, v := range vals {
		if v == nil {
			continue
		}
		switch fds[i].DataTypeOID {
		case pgtype.JSONOID:
			vals[i] = string(raw[i])
			continue
		case pgtype.JSONBOID:
			b := raw[i]
			if fds[i].Format == pgtype.BinaryFormatCode && len(b) > 0 {
				b = b[1:] // jsonb's binary form is a version byte, then text
			}
			// jsonb prints ", " and ": "; compact it to match the text the
			// collector stored.
			var out bytes.Buffer
			if json.Compact(&out, b) == nil {
				vals[i] = out.String()
			} else {
				vals[i] = string(b)
			}
			continue
		}
		if vals[i], err = plain(v); err != nil {
			return nil, fmt.Errorf("query: read column %s: %w", r.cols[i], err)
		}
	}
	return vals, nil
}

// plain converts a pgx-decoded value to one of the types Values promises.
func plain(v any) (any, error) {
	switch x := v.(type) {
	case bool, int64, float64, string, []byte:
		return x, nil
	case int16:
		return int64(x), nil
	case int32:
		return int64(x), nil
	case uint32:
		return int64(x), nil
	case float32:
		return float64(x), nil
	case time.Time:
		return x.UTC().Format(time.RFC3339Nano), nil
	case pgtype.Numeric:
		if !x.Valid {
			return nil, nil
		}
		if x.NaN || x.InfinityModifier != pgtype.Finite {
			f, err := x.Float64Value()
			return f.Float64, err
		}
		if x.Exp >= 0 && x.Int.BitLen() < 63 {
			n := new(big.Int).Mul(x.Int, new(big.Int).Exp(big.NewInt(10), big.NewInt(int64(x.Exp)), nil))
			if n.IsInt64() {
				return n.Int64(), nil
			}
		}
		f, err := x.Float64Value()
		return f.Float64, err
	case [16]byte:
		return fmt.Sprintf("%x-%x-%x-%x-%x", x[0:4], x[4:6], x[6:8], x[8:10], x[10:16]), nil
	case []any, map[string]any:
		b, err := json.Marshal(x)
		return string(b), err
	case fmt.Stringer:
		return x.String(), nil
	}
	b, err := json.Marshal(v)
	if err != nil {
		return fmt.Sprint(v), nil
	}
	return string(b), nil
}

func (r *queryRows) Err() error {
	if r.err != nil {
		return r.err
	}
	if err := r.rows.Err(); err != nil {
		return fmt.Errorf("query: %w", classify(err))
	}
	return nil
}

// Close ends the statement, rolls back its transaction, and releases every
// session-level advisory lock the statement may have taken before the
// connection goes back to the pool; a connection that cannot be cleaned is
// closed instead.
func (r *queryRows) Close() error {
	if r.conn == nil {
		return nil
	}
	ctx := context.Background()
	if r.rows != nil {
		r.rows.Close()
	}
	err := r.tx.Rollback(ctx)
	if err == nil {
		_, err = r.conn.Exec(ctx, `SELECT pg_advisory_unlock_all()`)
	}
	if err != nil {
		r.conn.Conn().Close(ctx)
	}
	r.conn.Release()
	r.conn = nil
	if r.err == nil {
		r.err = errors.New("query: rows are closed")
	}
	return nil
}

// checkStatement accepts exactly one statement that starts with SELECT,
// WITH, VALUES or TABLE. Trailing semicolons, spaces and comments are
// allowed. It knows PostgreSQL's lexical rules: ” and E” strings,
// "identifiers", $tag$ dollar quotes, -- and nested /* */ comments.
func checkStatement(q string) error {
	first := ""
	end := -1 // index of the first top-level ';'
	for i := 0; i < len(q) && end < 0; {
		c := q[i]
		switch {
		case c == '\'':
			escapes := i > 0 && (q[i-1] == 'e' || q[i-1] == 'E') && (i < 2 || !isWordByte(q[i-2]))
			i = skipQuoted(q, i, '\'', escapes)
		case c == '"':
			i = skipQuoted(q, i, '"', false)
		case c == '$':
			i = skipDollar(q, i)
		case c == '-' && strings.HasPrefix(q[i:], "--"):
			i = skipLineComment(q, i)
		case c == '/' && strings.HasPrefix(q[i:], "/*"):
			i = skipBlockComment(q, i)
		case c == ';':
			end = i
		case isWordByte(c):
			j := i
			for j < len(q) && (isWordByte(q[j]) || q[j] == '$') {
				j++
			}
			if first == "" {
				first = strings.ToUpper(q[i:j])
			}
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
	case "SELECT", "WITH", "VALUES", "TABLE":
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
// doubled quote is part of the text, and so is a backslash-escaped one in
// an E” string.
func skipQuoted(q string, i int, quote byte, escapes bool) int {
	for i++; i < len(q); i++ {
		switch {
		case escapes && q[i] == '\\':
			i++
		case q[i] == quote:
			if i+1 < len(q) && q[i+1] == quote {
				i++
				continue
			}
			return i + 1
		}
	}
	return len(q)
}

// skipDollar skips a dollar-quoted string ($$…$$ or $tag$…$tag$) that
// starts at i; a $ that does not open one ($1, a stray $) is one byte.
func skipDollar(q string, i int) int {
	j := i + 1
	for j < len(q) && (isWordByte(q[j]) && !(j == i+1 && q[j] >= '0' && q[j] <= '9')) {
		j++
	}
	if j >= len(q) || q[j] != '$' {
		return i + 1
	}
	tag := q[i : j+1]
	if k := strings.Index(q[j+1:], tag); k >= 0 {
		return j + 1 + k + len(tag)
	}
	return len(q)
}

func skipLineComment(q string, i int) int {
	if j := strings.IndexByte(q[i:], '\n'); j >= 0 {
		return i + j + 1
	}
	return len(q)
}

// skipBlockComment skips a /* */ comment starting at i; PostgreSQL's
// block comments nest.
func skipBlockComment(q string, i int) int {
	depth := 0
	for i < len(q) {
		switch {
		case strings.HasPrefix(q[i:], "/*"):
			depth++
			i += 2
		case strings.HasPrefix(q[i:], "*/"):
			depth--
			i += 2
			if depth == 0 {
				return i
			}
		default:
			i++
		}
	}
	return len(q)
}
