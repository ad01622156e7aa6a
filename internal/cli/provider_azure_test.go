package cli

import (
	"encoding/json"
	"net/http"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"cloudward/internal/collect/azure/aztest"
)

// TestScanAzure runs `scan --provider azure` end to end against the fake
// Resource Manager, Resource Graph and Microsoft Graph endpoint, and checks
// what was stored and found.
func TestScanAzure(t *testing.T) {
	srv := aztest.New(t, filepath.Join("..", "collect", "azure", "testdata", "arm"))
	dir := t.TempDir()
	tokenFile := filepath.Join(dir, "token")
	if err := os.WriteFile(tokenFile, []byte(aztest.Token+"\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	db := filepath.Join(dir, "az.db")
	const prod, sbx = "3f2a9c61-8b4e-4d7a-a5c2-1e9f0b6d7a42", "b81d4e07-6c35-4f9e-8e2a-5d7c3a1f9b60"
	const tenant = "7d3e5b1a-2f4c-4e8b-9a61-0c5d2e8f4b17"

	code, stdout, stderr := run(t, "scan", "--provider", "azure", "--azure-endpoint", srv.URL,
		"--azure-graph-endpoint", srv.URL+aztest.GraphPrefix, "--azure-token-file", tokenFile,
		"--azure-subscription", prod+","+sbx, "--azure-tenant", "7d3e5b1a-2f4c-4e8b-9a61-0c5d2e8f4b17",
		"--db", db, "-o", "json")
	if code != 0 && code != ExitFindings {
		t.Fatalf("exit %d\nstderr: %s", code, stderr)
	}
	if strings.Contains(stdout+stderr, aztest.Token) {
		t.Error("output shows the bearer token")
	}
	var rep jsonReport
	if err := json.Unmarshal([]byte(stdout), &rep); err != nil {
		t.Fatalf("decode report: %v\n%s", err, stdout)
	}
	if rep.Snapshot.Resources != 67 {
		t.Errorf("snapshot holds %d resources, want the 67 of the fixtures", rep.Snapshot.Resources)
	}
	status := map[string]string{}
	for _, f := range rep.Findings {
		status[f.CheckID+" "+f.Resource.UID] = f.Status
	}
	rg := func(sub, group, typ, name string) string {
		return "/subscriptions/" + sub + "/resourceGroups/" + group + "/providers/" + typ + "/" + name
	}
	for _, want := range []string{
		"azure-storage-blob-public-access-disabled " + rg(sbx, "rg-sandbox", "Microsoft.Storage/storageAccounts", "acmesbxpublic"),
		"azure-storage-minimum-tls-12 " + rg(sbx, "rg-sandbox", "Microsoft.Storage/storageAccounts", "acmesbxpublic"),
		"azure-storage-blob-soft-delete " + rg(sbx, "rg-sandbox", "Microsoft.Storage/storageAccounts", "acmesbxpublic"),
		"azure-storage-container-not-public " + rg(sbx, "rg-sandbox", "Microsoft.Storage/storageAccounts", "acmesbxpublic") + "/blobServices/default/containers/downloads",
		"azure-vm-managed-disks " + rg(sbx, "rg-sandbox", "Microsoft.Compute/virtualMachines", "vm-sbx-legacy"),
		"azure-disk-network-access-restricted " + rg(sbx, "rg-sandbox", "Microsoft.Compute/disks", "disk-sbx-orphan"),
		"azure-nsg-rdp-restricted " + rg(sbx, "rg-sandbox", "Microsoft.Network/networkSecurityGroups", "nsg-sbx-jump"),
		"azure-nsg-ssh-restricted " + rg(sbx, "rg-sandbox", "Microsoft.Network/networkSecurityGroups", "nsg-sbx-jump"),
		"azure-vnet-subnets-have-nsg " + rg(sbx, "rg-sandbox-weu", "Microsoft.Network/virtualNetworks", "vnet-sbx-weu"),
		"azure-network-watcher-enabled " + rg(sbx, "rg-sandbox-weu", "Microsoft.Network/virtualNetworks", "vnet-sbx-weu"),
		"azure-keyvault-purge-protection " + rg(sbx, "rg-sandbox", "Microsoft.KeyVault/vaults", "kv-acme-sbx"),
		"azure-keyvault-secret-expiry " + rg(sbx, "rg-sandbox", "Microsoft.KeyVault/vaults", "kv-acme-sbx"),
		"azure-keyvault-logging-enabled " + rg(sbx, "rg-sandbox", "Microsoft.KeyVault/vaults", "kv-acme-sbx"),
		"azure-sql-no-allow-all-firewall " + rg(sbx, "rg-sandbox", "Microsoft.Sql/servers", "sql-acme-sbx"),
		"azure-sql-auditing-enabled " + rg(sbx, "rg-sandbox", "Microsoft.Sql/servers", "sql-acme-sbx"),
		"azure-sql-tde-enabled " + rg(sbx, "rg-sandbox", "Microsoft.Sql/servers", "sql-acme-sbx"),
		"azure-sql-entra-admin " + rg(sbx, "rg-sandbox", "Microsoft.Sql/servers", "sql-acme-sbx"),
		"azure-appservice-https-only " + rg(sbx, "rg-sandbox", "Microsoft.Web/sites", "app-acme-sbx"),
		"azure-appservice-ftps-disabled " + rg(sbx, "rg-sandbox", "Microsoft.Web/sites", "app-acme-sbx"),
		"azure-appservice-no-plaintext-secrets " + rg(sbx, "rg-sandbox", "Microsoft.Web/sites", "app-acme-sbx"),
		"azure-iam-no-custom-owner-roles /subscriptions/" + sbx + "/providers/Microsoft.Authorization/roleDefinitions/c3e8a4b2-7d19-4f6a-b0e5-8f2c9d1a3b74",
		"azure-defender-servers-on /subscriptions/" + sbx,
		"azure-monitor-alert-public-ip-delete /subscriptions/" + sbx,
		"azure-monitor-alert-service-health /subscriptions/" + sbx,
		"azure-activity-log-diagnostic-setting /subscriptions/" + sbx,
		"azure-security-contact-emails /subscriptions/" + sbx,
		"azure-entra-security-defaults /subscriptions/" + prod,
		// Governance, identity, flow logs, databases and AI.
		"azure-iam-subscription-owners-2-to-3 /subscriptions/" + sbx,
		"azure-iam-no-root-user-access-admin /subscriptions/" + sbx,
		"azure-policy-mcsb-assigned /subscriptions/" + sbx,
		"azure-storage-delete-lock " + rg(sbx, "rg-sandbox", "Microsoft.Storage/storageAccounts", "acmesbxpublic"),
		"azure-entra-guest-invites-restricted /tenants/" + tenant,
		"azure-entra-user-consent-low-risk-only /tenants/" + tenant,
		"azure-entra-admins-mfa-registered /tenants/" + tenant,
		"azure-entra-users-cannot-create-apps /tenants/" + tenant,
		"azure-network-flow-log-retention-90-days " + rg(sbx, "NetworkWatcherRG", "Microsoft.Network/networkWatchers", "NetworkWatcher_eastus") + "/flowLogs/fl-vnet-sbx",
		"azure-mysql-secure-transport " + rg(sbx, "rg-sandbox", "Microsoft.DBforMySQL/flexibleServers", "mysql-acme-sbx"),
		"azure-mysql-tls-12 " + rg(sbx, "rg-sandbox", "Microsoft.DBforMySQL/flexibleServers", "mysql-acme-sbx"),
		"azure-mysql-firewall-restricted " + rg(sbx, "rg-sandbox", "Microsoft.DBforMySQL/flexibleServers", "mysql-acme-sbx"),
		"azure-cognitiveservices-public-network-disabled " + rg(sbx, "rg-sandbox", "Microsoft.CognitiveServices/accounts", "ais-acme-sbx"),
		"azure-cognitiveservices-local-auth-disabled " + rg(sbx, "rg-sandbox", "Microsoft.CognitiveServices/accounts", "ais-acme-sbx"),
		"azure-cognitiveservices-diagnostic-logs " + rg(sbx, "rg-sandbox", "Microsoft.CognitiveServices/accounts", "ais-acme-sbx"),
		"azure-openai-deployment-content-filter " + rg(sbx, "rg-sandbox", "Microsoft.CognitiveServices/accounts", "ais-acme-sbx") + "/deployments/whisper",
		"azure-ml-compute-ssh-disabled " + rg(prod, "rg-ai-eus", "Microsoft.MachineLearningServices/workspaces", "mlw-acme-prod") + "/computes/cpu-cluster",
		"azure-search-local-auth-disabled " + rg(sbx, "rg-sandbox", "Microsoft.Search/searchServices", "srch-acme-sbx"),
		"azure-storage-smb-311 " + rg(sbx, "rg-sandbox", "Microsoft.Storage/storageAccounts", "acmesbxpublic"),
		"azure-defender-endpoint-integration /subscriptions/" + sbx,
		"azure-network-bastion-host /subscriptions/" + sbx,
		"azure-entra-m365-group-creation-restricted /tenants/" + tenant,
		"azure-entra-subscription-movement-blocked /tenants/" + tenant,
		"azure-entra-global-admins-fewer-than-5 /tenants/" + tenant,
		"azure-appservice-http-logs " + rg(sbx, "rg-sandbox", "Microsoft.Web/sites", "app-acme-sbx"),
		"azure-vpn-gateway-p2s-entra-auth " + rg(sbx, "rg-sandbox", "Microsoft.Network/virtualNetworkGateways", "vgw-sbx-p2s"),
		"azure-keyvault-certificate-validity " + rg(sbx, "rg-sandbox", "Microsoft.KeyVault/vaults", "kv-acme-sbx"),
	} {
		if status[want] != "FAIL" {
			t.Errorf("%s: status %q, want FAIL", want, status[want])
		}
	}
	for _, clean := range []string{
		"azure-storage-blob-public-access-disabled " + rg(prod, "rg-monitoring", "Microsoft.Storage/storageAccounts", "acmeprodlogs"),
		"azure-vm-managed-disks " + rg(prod, "rg-web-eus", "Microsoft.Compute/virtualMachines", "vm-prod-web-01"),
		"azure-nsg-ssh-restricted " + rg(prod, "rg-network-eus", "Microsoft.Network/networkSecurityGroups", "nsg-app-eus"),
		"azure-network-watcher-enabled " + rg(prod, "rg-network-eus", "Microsoft.Network/virtualNetworks", "vnet-prod-eus"),
		"azure-keyvault-purge-protection " + rg(prod, "rg-security", "Microsoft.KeyVault/vaults", "kv-acme-prod"),
		"azure-keyvault-logging-enabled " + rg(prod, "rg-security", "Microsoft.KeyVault/vaults", "kv-acme-prod"),
		"azure-sql-tde-enabled " + rg(prod, "rg-data-eus", "Microsoft.Sql/servers", "sql-acme-prod"),
		"azure-appservice-no-plaintext-secrets " + rg(prod, "rg-web-eus", "Microsoft.Web/sites", "app-acme-web"),
		"azure-aks-api-server-restricted " + rg(prod, "rg-aks-eus", "Microsoft.ContainerService/managedClusters", "aks-acme-prod"),
		"azure-defender-servers-on /subscriptions/" + prod,
		"azure-monitor-alert-public-ip-delete /subscriptions/" + prod,
		"azure-activity-log-categories /subscriptions/" + prod,
		"azure-security-alert-notifications /subscriptions/" + prod,
		"azure-iam-subscription-owners-2-to-3 /subscriptions/" + prod,
		"azure-policy-mcsb-assigned /subscriptions/" + prod,
		"azure-storage-delete-lock " + rg(prod, "rg-monitoring", "Microsoft.Storage/storageAccounts", "acmeprodlogs"),
		"azure-entra-ca-mfa-all-users /tenants/" + tenant,
		"azure-entra-ca-mfa-azure-management /tenants/" + tenant,
		"azure-entra-trusted-named-location /tenants/" + tenant,
		"azure-network-flow-log-traffic-analytics " + rg(prod, "NetworkWatcherRG", "Microsoft.Network/networkWatchers", "NetworkWatcher_eastus") + "/flowLogs/fl-nsg-app-eus",
		"azure-postgresql-secure-transport " + rg(prod, "rg-data-eus", "Microsoft.DBforPostgreSQL/flexibleServers", "pg-acme-orders"),
		"azure-postgresql-log-retention " + rg(prod, "rg-data-eus", "Microsoft.DBforPostgreSQL/flexibleServers", "pg-acme-orders"),
		"azure-cognitiveservices-cmk " + rg(prod, "rg-ai-eus", "Microsoft.CognitiveServices/accounts", "oai-acme-prod"),
		"azure-openai-deployment-content-filter " + rg(prod, "rg-ai-eus", "Microsoft.CognitiveServices/accounts", "oai-acme-prod") + "/deployments/gpt-4o",
		"azure-ml-workspace-managed-network-isolation " + rg(prod, "rg-ai-eus", "Microsoft.MachineLearningServices/workspaces", "mlw-acme-prod"),
		"azure-ml-compute-no-public-ip " + rg(prod, "rg-ai-eus", "Microsoft.MachineLearningServices/workspaces", "mlw-acme-prod") + "/computes/ci-alice",
		"azure-storage-smb-aes256 " + rg(prod, "rg-monitoring", "Microsoft.Storage/storageAccounts", "acmeprodlogs"),
		"azure-defender-servers-agentless-scanning /subscriptions/" + prod,
		"azure-network-bastion-host /subscriptions/" + prod,
		"azure-monitor-application-insights /subscriptions/" + prod,
		"azure-entra-diagnostic-activity-logs /tenants/" + tenant,
		"azure-entra-banned-passwords /tenants/" + tenant,
		"azure-appservice-http-logs " + rg(prod, "rg-web-eus", "Microsoft.Web/sites", "app-acme-web"),
		"azure-databricks-subnets-have-nsg " + rg(prod, "rg-data-eus", "Microsoft.Databricks/workspaces", "dbw-acme-prod"),
		"azure-databricks-cmk " + rg(prod, "rg-data-eus", "Microsoft.Databricks/workspaces", "dbw-acme-prod"),
		"azure-appgw-waf-enabled " + rg(prod, "rg-network-eus", "Microsoft.Network/applicationGateways", "agw-acme-prod"),
		"azure-appgw-tls-12 " + rg(prod, "rg-network-eus", "Microsoft.Network/applicationGateways", "agw-acme-prod"),
		"azure-waf-policy-bot-protection " + rg(prod, "rg-network-eus", "Microsoft.Network/ApplicationGatewayWebApplicationFirewallPolicies", "waf-acme-prod"),
		"azure-keyvault-key-rotation " + rg(prod, "rg-security", "Microsoft.KeyVault/vaults", "kv-acme-prod"),
		"azure-keyvault-certificate-validity " + rg(prod, "rg-security", "Microsoft.KeyVault/vaults", "kv-acme-prod"),
	} {
		if status[clean] != "PASS" {
			t.Errorf("%s: status %q, want PASS", clean, status[clean])
		}
	}
	for k, s := range status {
		if s == "ERROR" && strings.HasPrefix(k, "azure-") {
			t.Errorf("%s: ERROR on complete fixtures", k)
		}
	}

	// The inventory is queryable afterwards, secrets are not in it.
	code, out, stderr := run(t, "query", "--db", db, "SELECT count(*) AS n FROM resources WHERE kind = 'azure_activity_log_alert'")
	if code != 0 {
		t.Fatalf("query exit %d: %s", code, stderr)
	}
	if !strings.Contains(out, "20") {
		t.Errorf("query output %q, want 20 activity log alerts", out)
	}
	code, out, _ = run(t, "query", "--db", db, "SELECT count(*) AS n FROM resources WHERE properties LIKE '%sk_live_%'")
	if code != 0 || !strings.Contains(out, "0") {
		t.Errorf("an application setting value reached the store: %q", out)
	}
	// The CIS framework reports against the collected estate.
	code, out, stderr = run(t, "scan", "--provider", "azure", "--azure-endpoint", srv.URL,
		"--azure-graph-endpoint", srv.URL+aztest.GraphPrefix, "--azure-token-file", tokenFile,
		"--db", db, "--framework", "cis-azure-foundations-v6.0")
	if code != 0 && code != ExitFindings {
		t.Fatalf("framework scan exit %d: %s", code, stderr)
	}
	if !strings.Contains(out, "CIS Microsoft Azure Foundations") {
		t.Errorf("framework report lacks the framework:\n%s", out)
	}
	for _, r := range srv.Requests() {
		if r.Method != http.MethodGet && !(r.Method == http.MethodPost && aztest.ReadPOST(r.Path)) {
			t.Errorf("scan sent %s %s", r.Method, r.Path)
		}
	}
}

func TestScanAzureEmptyTokenFile(t *testing.T) {
	f := filepath.Join(t.TempDir(), "token")
	if err := os.WriteFile(f, []byte("\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	code, _, stderr := run(t, "scan", "--provider", "azure", "--azure-token-file", f, "--db", filepath.Join(t.TempDir(), "x.db"))
	if code != ExitError || !strings.Contains(stderr, "azure-token-file") {
		t.Errorf("exit %d, stderr %q; want a usage error naming --azure-token-file", code, stderr)
	}
}
