package cli

import (
	"encoding/csv"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"os"
	"strconv"
	"strings"
	"text/tabwriter"

	"github.com/spf13/cobra"

	"cloudward/internal/store"
	"cloudward/internal/store/postgres"
)

func newQueryCmd(e *env) *cobra.Command {
	var db, format string
	var snapshot int64
	cmd := &cobra.Command{
		Use:   "query SQL",
		Short: "Run read-only SQL over a stored snapshot's inventory and findings",
		Long: `query runs one read-only SQL statement (SQLite dialect) over the latest
snapshot, or the one --snapshot names. The snapshot is exposed as views:

  resources          uid, provider, account, region, kind, name, tags (JSON),
                     created_at, properties (JSON)
  edges              from_uid, to_uid, type
  findings           check_id, status, severity, reason, resource_uid, kind,
                     provider, account, region, resource_name
  collection_errors  provider, account, region, service, op, kind, message

Use SQLite's JSON functions over properties and tags. Statements that write
are refused. With --db postgres://…, the dialect is PostgreSQL's: tags and
properties are jsonb (properties->'versioning'->>'status', jsonb_path_query).`,
		Example: `  cloudward query "select kind, count(*) from resources group by kind"
  cloudward query "select name, region from resources where kind = 'aws_s3_bucket'
                   and json_extract(properties, '$.versioning.status') is not 'Enabled'"
  cloudward query "select check_id, count(*) from findings where status = 'FAIL' group by 1 order by 2 desc"
  cloudward query --format csv "select * from resources where json_extract(tags, '$.owner') is null"`,
		Args: cobra.ExactArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			ctx := cmd.Context()
			if format != "table" && format != "json" && format != "csv" {
				return usagef("--format: want table, json or csv, got %q", format)
			}
			path, err := dbPath(db)
			if err != nil {
				return err
			}
			if _, err := os.Stat(path); err != nil && !postgres.IsDSN(path) {
				return fmt.Errorf("no database at %s: run `cloudward scan` first, or name one with --db", path)
			}
			st, err := openStore(ctx, path, e.log)
			if err != nil {
				return err
			}
			defer st.Close()
			if snapshot == 0 {
				snap, err := st.Latest(ctx)
				if errors.Is(err, store.ErrNotFound) {
					return fmt.Errorf("no complete snapshot in %s: run `cloudward scan` first", displayDB(path))
				}
				if err != nil {
					return err
				}
				snapshot = snap.ID
			} else if _, err := st.Snapshot(ctx, snapshot); err != nil {
				return fmt.Errorf("snapshot %d: %w", snapshot, err)
			}
			rows, err := st.Query(ctx, snapshot, args[0])
			if err != nil {
				return err
			}
			defer rows.Close()
			switch format {
			case "json":
				return queryJSON(e, rows)
			case "csv":
				return queryCSV(e, rows)
			}
			return queryTable(e, rows)
		},
	}
	fl := cmd.Flags()
	fl.StringVar(&db, "db", "", "SQLite database file or postgres:// URL (default: $XDG_DATA_HOME/cloudward/cloudward.db)")
	fl.Int64Var(&snapshot, "snapshot", 0, "snapshot ID (default: the latest complete one)")
	fl.StringVar(&format, "format", "table", "output format: table, json or csv")
	return cmd
}

func cell(v any) string {
	switch x := v.(type) {
	case nil:
		return "NULL"
	case []byte:
		return string(x)
	case string:
		return x
	case int64:
		return strconv.FormatInt(x, 10)
	case float64:
		return strconv.FormatFloat(x, 'g', -1, 64)
	default:
		return fmt.Sprint(x)
	}
}

func queryTable(e *env, rows store.Rows) error {
	tw := tabwriter.NewWriter(e.stdout, 0, 0, 2, ' ', 0)
	fmt.Fprintln(tw, strings.Join(rows.Columns(), "\t"))
	n := 0
	for rows.Next() {
		vals, err := rows.Values()
		if err != nil {
			return err
		}
		cells := make([]string, len(vals))
		for i, v := range vals {
			cells[i] = strings.NewReplacer("\t", " ", "\n", " ").Replace(cell(v))
		}
		fmt.Fprintln(tw, strings.Join(cells, "\t"))
		n++
	}
	if err := rows.Err(); err != nil {
		return err
	}
	if err := tw.Flush(); err != nil {
		return err
	}
	_, err := fmt.Fprintf(e.stderr, "(%d rows)\n", n)
	return err
}

func queryCSV(e *env, rows store.Rows) error {
	w := csv.NewWriter(e.stdout)
	if err := w.Write(rows.Columns()); err != nil {
		return err
	}
	for rows.Next() {
		vals, err := rows.Values()
		if err != nil {
			return err
		}
		rec := make([]string, len(vals))
		for i, v := range vals {
			if v != nil {
				rec[i] = cell(v)
			}
		}
		if err := w.Write(rec); err != nil {
			return err
		}
	}
	if err := rows.Err(); err != nil {
		return err
	}
	w.Flush()
	return w.Error()
}

// queryJSON writes one JSON object per row (JSON lines), keys in column order.
func queryJSON(e *env, rows store.Rows) error {
	cols := rows.Columns()
	for rows.Next() {
		vals, err := rows.Values()
		if err != nil {
			return err
		}
		var b strings.Builder
		b.WriteByte('{')
		for i, v := range vals {
			if i > 0 {
				b.WriteByte(',')
			}
			k, _ := json.Marshal(cols[i])
			b.Write(k)
			b.WriteByte(':')
			if bs, ok := v.([]byte); ok {
				v = string(bs)
			}
			val, err := json.Marshal(v)
			if err != nil {
				return fmt.Errorf("encode column %s: %w", cols[i], err)
			}
			b.Write(val)
		}
		b.WriteString("}\n")
		if _, err := io.WriteString(e.stdout, b.String()); err != nil {
			return err
		}
	}
	return rows.Err()
}
