package azure

import (
	"context"
	"slices"
)

const (
	apiPostgres = "2024-08-01"
	apiMySQL    = "2023-12-30"
)

// The server parameters kept for each engine: the ones checks read.
var (
	postgresParameters = []string{"require_secure_transport", "ssl_min_protocol_version", "log_checkpoints",
		"log_connections", "log_disconnections", "connection_throttle.enable", "logfiles.retention_days"}
	mysqlParameters = []string{"require_secure_transport", "tls_version", "audit_log_enabled", "audit_log_events"}
)

// flexibleServer adds a PostgreSQL or MySQL flexible server's firewall rules
// and the security-relevant parameters of its configuration list.
func (e *enrich) flexibleServer(ctx context.Context, version, namespace string, params []string) error {
	rules, ok, err := e.list(ctx, e.id+"/firewallRules", version, namespace+"/flexibleServers/firewallRules/read")
	if err != nil {
		return err
	}
	if ok {
		e.doc["firewall_rules"] = projectList(rules, subSchema(e.schema, "firewall_rules"))
	}
	cfg, ok, err := e.list(ctx, e.id+"/configurations", version, namespace+"/flexibleServers/configurations/read")
	if !ok || err != nil {
		return err
	}
	fs := subSchema(e.schema, "configurations")
	out := []any{}
	for _, el := range cfg {
		m, _ := el.(map[string]any)
		if slices.Contains(params, str(m["name"])) {
			out = append(out, project(m, fs))
		}
	}
	e.doc["configurations"] = out
	return nil
}
