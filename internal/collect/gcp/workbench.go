package gcp

import (
	"context"
	"fmt"

	notebooks "google.golang.org/api/notebooks/v2"
)

// workbenchSettings are the Workbench metadata keys whose values are
// settings a check reads; every other value (scripts, tokens, application
// configuration) is stored as Redacted.
var workbenchSettings = paths("notebook-disable-root", "notebook-disable-downloads", "notebook-disable-nbconvert",
	"notebook-disable-terminal", "notebook-upgrade-schedule", "idle-timeout-seconds", "proxy-mode", "enable-oslogin",
	"serial-port-enable", "install-monitoring-agent", "report-event-health", "report-dns-resolution",
	"disable-mixer", "jupyter-user", "notebook-enable-delete-to-trash", "enable-guest-attributes")

// workbenchInstances collects the project's Vertex AI Workbench instances
// in every zone (notebooks v2 instances.list on locations/-). Zones the
// API reports unreachable are recorded.
func (s *scope) workbenchInstances(ctx context.Context) error {
	schema := s.r.c.kinds["gcp_workbench_instance"].Schema
	var all []*notebooks.Instance
	var unreachable []string
	err := s.call(ctx, func() error {
		return s.r.c.nb.Projects.Locations.Instances.List("projects/"+s.id+"/locations/-").Context(ctx).Pages(ctx, func(l *notebooks.ListInstancesResponse) error {
			all = append(all, l.Instances...)
			unreachable = append(unreachable, l.Unreachable...)
			return nil
		})
	})
	if err != nil {
		return s.fail(ctx, "", "notebooks", "notebooks.instances.list", err)
	}
	for _, z := range unreachable {
		if err := s.fail(ctx, last(z), "notebooks", "notebooks.instances.list", fmt.Errorf("%s unreachable: its instances are not in the answer", z)); err != nil {
			return err
		}
	}
	for _, in := range all {
		doc, err := shape(in, schema, nil)
		if err != nil {
			return err
		}
		if gs, ok := doc["gce_setup"].(map[string]any); ok {
			if md, ok := gs["metadata"].(map[string]any); ok {
				for k := range md {
					if !workbenchSettings[k] {
						md[k] = Redacted
					}
				}
			}
		}
		zone := zoneOf(in.Name)
		uid := "//notebooks.googleapis.com/" + in.Name
		if err := s.r.emit(ctx, "gcp_workbench_instance", uid, s.id, zoneRegion(zone), last(in.Name), in.Labels, in.CreateTime, doc); err != nil {
			return err
		}
		if g := in.GceSetup; g != nil {
			for _, sa := range g.ServiceAccounts {
				s.r.saEdge(uid, sa.Email, "runs_as")
			}
			if g.BootDisk != nil {
				s.r.edge(uid, kmsKeyUID(g.BootDisk.KmsKey), "encrypted_with")
			}
			for _, d := range g.DataDisks {
				s.r.edge(uid, kmsKeyUID(d.KmsKey), "encrypted_with")
			}
			for _, n := range g.NetworkInterfaces {
				s.r.edge(uid, computeUID(n.Subnet), "in_subnetwork")
			}
		}
	}
	return nil
}

// zoneOf returns the location segment of projects/P/locations/Z/instances/N.
func zoneOf(name string) string {
	const marker = "/locations/"
	for i := 0; i+len(marker) <= len(name); i++ {
		if name[i:i+len(marker)] == marker {
			rest := name[i+len(marker):]
			for j := 0; j < len(rest); j++ {
				if rest[j] == '/' {
					return rest[:j]
				}
			}
			return rest
		}
	}
	return ""
}
