package azure

import (
	"context"
	"net/http"
	"slices"
	"strings"

	"github.com/Azure/azure-sdk-for-go/sdk/azcore/policy"
	"github.com/Azure/azure-sdk-for-go/sdk/azcore/to"
	"github.com/Azure/azure-sdk-for-go/sdk/resourcemanager/resourcegraph/armresourcegraph"

	"cloudward/internal/resource"
)

// graphTypes maps the ARM resource types read from Resource Graph (in the
// lower case Resource Graph reports them) to kinds.
var graphTypes = map[string]string{
	"microsoft.insights/activitylogalerts":                               "azure_activity_log_alert",
	"microsoft.storage/storageaccounts":                                  "azure_storage_account",
	"microsoft.compute/virtualmachines":                                  "azure_virtual_machine",
	"microsoft.compute/disks":                                            "azure_managed_disk",
	"microsoft.network/networksecuritygroups":                            "azure_network_security_group",
	"microsoft.network/virtualnetworks":                                  "azure_virtual_network",
	"microsoft.network/networkwatchers":                                  "azure_network_watcher",
	"microsoft.keyvault/vaults":                                          "azure_key_vault",
	"microsoft.sql/servers":                                              "azure_sql_server",
	"microsoft.web/sites":                                                "azure_app_service",
	"microsoft.containerservice/managedclusters":                         "azure_aks_cluster",
	"microsoft.dbforpostgresql/flexibleservers":                          "azure_postgresql_flexible_server",
	"microsoft.dbformysql/flexibleservers":                               "azure_mysql_flexible_server",
	"microsoft.cognitiveservices/accounts":                               "azure_cognitive_services_account",
	"microsoft.machinelearningservices/workspaces":                       "azure_machine_learning_workspace",
	"microsoft.insights/components":                                      "azure_application_insights",
	"microsoft.network/bastionhosts":                                     "azure_bastion_host",
	"microsoft.databricks/workspaces":                                    "azure_databricks_workspace",
	"microsoft.network/applicationgateways":                              "azure_application_gateway",
	"microsoft.network/applicationgatewaywebapplicationfirewallpolicies": "azure_application_gateway_waf_policy",
	"microsoft.network/virtualnetworkgateways":                           "azure_virtual_network_gateway",
	"microsoft.search/searchservices":                                    "azure_search_service",
}

// inventoryQuery is the Resource Graph (KQL) query for the bulk inventory:
// every resource of the given types (lower case, as graphTypes keys), in a
// stable order for paging.
func inventoryQuery(types []string) string {
	quoted := make([]string, 0, len(types))
	for _, t := range types {
		quoted = append(quoted, "'"+t+"'")
	}
	slices.Sort(quoted)
	return "resources\n| where type in~ (" + strings.Join(quoted, ", ") + ")\n" +
		"| project id, name, type, location, subscriptionId, kind, sku, identity, zones, managedBy, tags, properties\n" +
		"| order by id asc"
}

// allGraphTypes returns every Resource Graph type the collector reads.
func allGraphTypes() []string {
	types := make([]string, 0, len(graphTypes))
	for t := range graphTypes {
		types = append(types, t)
	}
	return types
}

// maxGraphSubscriptions is how many subscriptions one Resource Graph
// request may name.
const maxGraphSubscriptions = 1000

// inventoryEach runs the Resource Graph query for the given types over
// every subscription in subs, page by page ($skipToken), and hands each row
// to each, with its lower-case subscription ID, as its page arrives. A
// failed batch is recorded against each of its subscriptions, under
// service (resourcegraph for the scan's inventory, the job's service for a
// distributed job's own query).
func (r *run) inventoryEach(ctx context.Context, subs []subscriptionScope, types []string, service string, each func(sub string, row map[string]any)) error {
	q := inventoryQuery(types)
	for start := 0; start < len(subs); start += maxGraphSubscriptions {
		batch := subs[start:min(start+maxGraphSubscriptions, len(subs))]
		ids := make([]*string, len(batch))
		for i, s := range batch {
			ids[i] = to.Ptr(s.id)
		}
		var skip *string
		pages := 0
		for {
			if err := r.c.quota.wait(ctx); err != nil {
				return err
			}
			var raw *http.Response
			resp, err := r.c.graph.Resources(policy.WithCaptureResponse(ctx, &raw), armresourcegraph.QueryRequest{
				Query: to.Ptr(q), Subscriptions: ids,
				Options: &armresourcegraph.QueryRequestOptions{
					ResultFormat: to.Ptr(armresourcegraph.ResultFormatObjectArray), SkipToken: skip, Top: to.Ptr[int32](1000),
				},
			}, nil)
			r.c.quota.observe(raw)
			if err != nil {
				for _, s := range batch {
					if rerr := r.c.record(ctx, r.sink, s.id, resource.GlobalRegion, service, "Microsoft.ResourceGraph/resources/read", err); rerr != nil {
						return rerr
					}
				}
				break
			}
			pages++
			data, _ := resp.Data.([]any)
			for _, d := range data {
				row, ok := d.(map[string]any)
				if !ok {
					continue
				}
				sub, _ := row["subscriptionId"].(string)
				each(strings.ToLower(sub), row)
			}
			if resp.SkipToken == nil || *resp.SkipToken == "" {
				break
			}
			skip = resp.SkipToken
		}
		r.c.log.Debug("azure resource graph", "subscriptions", len(batch), "types", len(types), "pages", pages)
	}
	return nil
}

// rowIndex is what the inventory tells about resources other resources
// refer to: Key Vaults by URI (for customer-managed-key edges) and the
// encryption key source of storage accounts (for the activity log's
// destination account).
type rowIndex struct {
	// vaults maps normalized vault URIs (vaultKey) to vault IDs.
	vaults map[string]string
	// keySources maps lower-case storage account IDs to their encryption
	// key source.
	keySources map[string]string
}

// newRowIndex returns an empty rowIndex.
func newRowIndex() rowIndex {
	return rowIndex{vaults: map[string]string{}, keySources: map[string]string{}}
}

// add indexes one inventory row: a vault's URI, a storage account's key
// source.
func (ix rowIndex) add(row map[string]any) {
	ix.addVault(row)
	id, _ := row["id"].(string)
	t, _ := row["type"].(string)
	p, _ := row["properties"].(map[string]any)
	if id == "" || !strings.EqualFold(t, "microsoft.storage/storageaccounts") {
		return
	}
	if enc, ok := p["encryption"].(map[string]any); ok {
		if ks, _ := enc["keySource"].(string); ks != "" {
			ix.keySources[strings.ToLower(id)] = ks
		}
	}
}

// addVault indexes the row when it is a Key Vault.
func (ix rowIndex) addVault(row map[string]any) {
	id, _ := row["id"].(string)
	t, _ := row["type"].(string)
	p, _ := row["properties"].(map[string]any)
	if id == "" || !strings.EqualFold(t, "microsoft.keyvault/vaults") {
		return
	}
	if uri, ok := p["vaultUri"].(string); ok {
		ix.vaults[vaultKey(uri)] = id
	}
}

// vaultKey normalizes a Key Vault URI for matching.
func vaultKey(uri string) string {
	return strings.TrimRight(strings.ToLower(uri), "/")
}

// securityDefaults reads the tenant's Entra security defaults policy from
// Microsoft Graph once per scan.
func (r *run) securityDefaults(ctx context.Context, subs []subscriptionScope) error {
	v, err := r.c.api.graphGet(ctx, "/v1.0/policies/identitySecurityDefaultsEnforcementPolicy")
	if err != nil {
		tenant, _ := subs[0].doc["tenant_id"].(string)
		if tenant == "" {
			tenant = subs[0].id
		}
		return r.c.record(ctx, r.sink, tenant, resource.GlobalRegion, "entra", "GET policies/identitySecurityDefaultsEnforcementPolicy", err)
	}
	r.secDef = project(v, subSchema(r.c.kinds["azure_subscription"].Schema, "security_defaults"))
	return nil
}
