package cli

import (
	"errors"
	"fmt"
	"text/tabwriter"
	"time"

	"github.com/spf13/cobra"

	"cloudward/internal/server"
	"cloudward/internal/serverstate"
)

func newTokenCmd(e *env) *cobra.Command {
	var db string
	cmd := &cobra.Command{
		Use:   "token",
		Short: "Create, list and revoke API tokens for cloudward serve",
		Long: `token manages the API tokens of cloudward serve. A token is shown once, when
it is created; only its SHA-256 hash is stored. Scopes: read (see everything)
and admin (also mute findings, expire mutes and start scans).`,
		Args: cobra.NoArgs,
	}
	cmd.PersistentFlags().StringVar(&db, "db", "", "database of cloudward serve, a SQLite file or postgres:// URL (default: $XDG_DATA_HOME/cloudward/cloudward.db)")
	open := func(cmd *cobra.Command) (serveDB, error) {
		path, err := dbPath(db)
		if err != nil {
			return serveDB{}, err
		}
		return openServeStore(cmd.Context(), path, e.log)
	}

	var name, scope string
	create := &cobra.Command{
		Use:     "create",
		Short:   "Create a token and print it (once)",
		Example: "  cloudward token create --name ci-dashboard --scope read",
		Args:    cobra.NoArgs,
		RunE: func(cmd *cobra.Command, args []string) error {
			sc := serverstate.Scope(scope)
			if !sc.Valid() {
				return usagef("--scope: want read or admin, got %q", scope)
			}
			if name == "" {
				return usagef("--name is required")
			}
			st, err := open(cmd)
			if err != nil {
				return err
			}
			defer st.Close()
			secret, t, err := server.CreateToken(cmd.Context(), st.ServerState(), name, sc, time.Now())
			if err != nil {
				return err
			}
			fmt.Fprintf(e.stdout, "%s\n", secret)
			fmt.Fprintf(e.stderr, "token %s (%s, %s) created; it is shown only this once\n", t.ID, t.Name, t.Scope)
			return nil
		},
	}
	create.Flags().StringVar(&name, "name", "", "who or what uses the token (shown in the mute audit log)")
	create.Flags().StringVar(&scope, "scope", "read", "read or admin")

	list := &cobra.Command{
		Use:   "list",
		Short: "List tokens (never their secrets)",
		Args:  cobra.NoArgs,
		RunE: func(cmd *cobra.Command, args []string) error {
			st, err := open(cmd)
			if err != nil {
				return err
			}
			defer st.Close()
			toks, err := st.ServerState().Tokens(cmd.Context())
			if err != nil {
				return err
			}
			tw := tabwriter.NewWriter(e.stdout, 0, 4, 2, ' ', 0)
			fmt.Fprintln(tw, "ID\tNAME\tSCOPE\tCREATED\tLAST USED\tREVOKED")
			day := func(t time.Time) string {
				if t.IsZero() {
					return "-"
				}
				return t.UTC().Format("2006-01-02 15:04")
			}
			for _, t := range toks {
				fmt.Fprintf(tw, "%s\t%s\t%s\t%s\t%s\t%s\n", t.ID, t.Name, t.Scope, day(t.CreatedAt), day(t.LastUsed), day(t.RevokedAt))
			}
			return tw.Flush()
		},
	}

	revoke := &cobra.Command{
		Use:   "revoke ID",
		Short: "Revoke a token and end its dashboard sessions",
		Args:  cobra.ExactArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			st, err := open(cmd)
			if err != nil {
				return err
			}
			defer st.Close()
			err = st.ServerState().RevokeToken(cmd.Context(), args[0], time.Now())
			if errors.Is(err, serverstate.ErrNotFound) {
				return usagef("no active token %q (see cloudward token list)", args[0])
			}
			if err != nil {
				return err
			}
			fmt.Fprintf(e.stdout, "token %s revoked\n", args[0])
			return nil
		},
	}
	cmd.AddCommand(create, list, revoke)
	return cmd
}
