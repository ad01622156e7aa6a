package azure

import (
	"context"
	"strings"
	"time"
)

const apiNetwork = "2024-05-01"

// flowLogs emits the flow logs of a Network Watcher (NSG and VNet flow
// logs), with edges to what they record and where they write.
func (e *enrich) flowLogs(ctx context.Context) error {
	list, ok, err := e.list(ctx, e.id+"/flowLogs", apiNetwork, "Microsoft.Network/networkWatchers/flowLogs/read")
	if !ok || err != nil {
		return err
	}
	schema := e.r.c.kinds["azure_network_watcher_flow_log"].Schema
	for _, el := range list {
		m, _ := el.(map[string]any)
		id := str(m["id"])
		if id == "" {
			continue
		}
		doc := project(m, schema)
		p := obj(doc, "properties")
		if target := str(p["target_resource_id"]); target != "" {
			e.r.edge(id, target, "monitors")
		}
		if st := str(p["storage_id"]); st != "" {
			e.r.edge(id, st, "writes_to")
		}
		region := e.region
		if loc := regionOf(m); loc != "global" {
			region = loc
		}
		if err := e.r.emit(ctx, "azure_network_watcher_flow_log", id, e.sub, region, str(m["name"]), tagsOf(m["tags"]), time.Time{}, doc); err != nil {
			return err
		}
	}
	return nil
}

// vnetOf returns the virtual network ID of a subnet ID, or "".
func vnetOf(subnetID string) string {
	i := strings.Index(strings.ToLower(subnetID), "/subnets/")
	if i < 0 {
		return ""
	}
	return subnetID[:i]
}

// databricks enriches a Databricks workspace: its diagnostic settings and
// an edge to the customer VNet it is injected into.
func (e *enrich) databricks(ctx context.Context) error {
	p := obj(e.doc, "properties")
	setDefault(p, "public_network_access", "Enabled")
	if params, ok := p["parameters"].(map[string]any); ok {
		if v, ok := params["custom_virtual_network_id"].(map[string]any); ok {
			if id := str(v["value"]); id != "" {
				e.r.edge(e.id, id, "in_network")
			}
		}
	}
	return e.diagnostics(ctx)
}
