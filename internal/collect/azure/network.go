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
