package cli

import (
	"context"
	"log/slog"
	"net/url"

	"cloudward/internal/store"
	"cloudward/internal/store/postgres"
	"cloudward/internal/store/sqlite"
)

// openStore opens the store dsnOrPath names: PostgreSQL for a postgres://
// or postgresql:// URL, otherwise the SQLite file at that path (created
// if missing).
func openStore(ctx context.Context, dsnOrPath string, log *slog.Logger) (store.Store, error) {
	if postgres.IsDSN(dsnOrPath) {
		return postgres.Open(ctx, dsnOrPath, postgres.Options{Logger: log})
	}
	return sqlite.Open(ctx, dsnOrPath, sqlite.Options{Logger: log})
}

// displayDB returns dsnOrPath fit for messages: a URL's password is
// replaced by xxxxx.
func displayDB(dsnOrPath string) string {
	if !postgres.IsDSN(dsnOrPath) {
		return dsnOrPath
	}
	u, err := url.Parse(dsnOrPath)
	if err != nil {
		return "the PostgreSQL database"
	}
	return u.Redacted()
}
