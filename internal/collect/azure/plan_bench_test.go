package azure

import (
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"runtime"
	"testing"

	"cloudward/internal/collect/azure/aztest"
)

// largeTenant writes a fake tenant of subs subscriptions with perSub
// storage accounts each (a third of them with a customer-managed key in a
// vault of the first subscription), its Resource Graph inventory in pages
// of 1,000 rows.
func largeTenant(b *testing.B, subs, perSub int) string {
	b.Helper()
	dir := b.TempDir()
	write := func(path string, v any) {
		p := filepath.Join(dir, filepath.FromSlash(path)+".json")
		if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
			b.Fatal(err)
		}
		raw, err := json.Marshal(v)
		if err != nil {
			b.Fatal(err)
		}
		if err := os.WriteFile(p, raw, 0o644); err != nil {
			b.Fatal(err)
		}
	}
	var list, rows []any
	for i := range subs {
		id := fmt.Sprintf("00000000-0000-4000-8000-%012d", i)
		list = append(list, map[string]any{"id": "/subscriptions/" + id, "subscriptionId": id, "tenantId": tenantID,
			"displayName": fmt.Sprintf("sub %d", i), "state": "Enabled"})
		for j := range perSub {
			props := map[string]any{"supportsHttpsTrafficOnly": true, "minimumTlsVersion": "TLS1_2",
				"allowBlobPublicAccess": false, "networkAcls": map[string]any{"defaultAction": "Deny", "ipRules": []any{}},
				"encryption": map[string]any{"keySource": "Microsoft.Storage", "services": map[string]any{"blob": map[string]any{"enabled": true}}}}
			if j%3 == 0 {
				props["encryption"] = map[string]any{"keySource": "Microsoft.Keyvault",
					"keyvaultproperties": map[string]any{"keyname": "cmk", "keyvaulturi": "https://kv-central.vault.azure.net/"}}
			}
			rows = append(rows, map[string]any{"id": fmt.Sprintf("/subscriptions/%s/resourceGroups/rg/providers/Microsoft.Storage/storageAccounts/sa%d", id, j),
				"name": fmt.Sprintf("sa%d", j), "type": "microsoft.storage/storageaccounts", "location": "eastus",
				"subscriptionId": id, "kind": "StorageV2", "tags": map[string]any{"owner": "team"}, "properties": props})
		}
	}
	rows = append(rows, map[string]any{"id": "/subscriptions/00000000-0000-4000-8000-000000000000/resourceGroups/rg/providers/Microsoft.KeyVault/vaults/kv-central",
		"name": "kv-central", "type": "microsoft.keyvault/vaults", "location": "eastus",
		"subscriptionId": "00000000-0000-4000-8000-000000000000", "properties": map[string]any{"vaultUri": "https://kv-central.vault.azure.net/"}})
	write("/subscriptions", map[string]any{"value": list})
	for page, start := 0, 0; start < len(rows); page, start = page+1, start+1000 {
		doc := map[string]any{"data": rows[start:min(start+1000, len(rows))]}
		if start+1000 < len(rows) {
			doc["$skipToken"] = fmt.Sprintf("p%d", page+1)
		}
		name := "/providers/Microsoft.ResourceGraph/resources"
		if page > 0 {
			name += fmt.Sprintf(".p%d", page)
		}
		write(name, doc)
	}
	write(aztest.GraphPrefix+"/v1.0/policies/identitySecurityDefaultsEnforcementPolicy", map[string]any{"isEnabled": true})
	return dir
}

// BenchmarkPlanLargeTenant plans a tenant of 200 subscriptions and 20,000
// storage accounts, as a distributed scan's planner (Plan) and as Collect
// does (keeping the rows), and reports the jobs and the heap the plan holds.
func BenchmarkPlanLargeTenant(b *testing.B) {
	srv := aztest.New(b, largeTenant(b, 200, 100))
	for _, keep := range []bool{false, true} {
		b.Run(fmt.Sprintf("keepRows=%v", keep), func(b *testing.B) {
			c, err := New(Options{Credential: aztest.Credential{}, Endpoint: srv.URL, GraphEndpoint: srv.URL + aztest.GraphPrefix})
			if err != nil {
				b.Fatal(err)
			}
			b.ReportAllocs()
			var jobs int
			var held uint64
			for b.Loop() {
				var before, after runtime.MemStats
				runtime.GC()
				runtime.ReadMemStats(&before)
				p, err := c.plan(b.Context(), &memSink{}, keep)
				if err != nil {
					b.Fatal(err)
				}
				runtime.GC()
				runtime.ReadMemStats(&after)
				jobs = len(p.jobs)
				held = after.HeapAlloc - min(before.HeapAlloc, after.HeapAlloc)
				runtime.KeepAlive(p)
			}
			b.ReportMetric(float64(jobs), "jobs")
			b.ReportMetric(float64(held)/(1<<20), "MB-held")
		})
	}
}
