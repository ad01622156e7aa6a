package digitalocean

import (
	"context"

	"github.com/digitalocean/godo"
)

type imageDoc struct {
	ID           int    `json:"id"`
	Name         string `json:"name"`
	Distribution string `json:"distribution"`
	Slug         string `json:"slug"`
	Public       bool   `json:"public"`
}

type netV4Doc struct {
	IPAddress string `json:"ip_address"`
	Netmask   string `json:"netmask"`
	Gateway   string `json:"gateway"`
	Type      string `json:"type"`
}

type netV6Doc struct {
	IPAddress string `json:"ip_address"`
	Netmask   int    `json:"netmask"`
	Gateway   string `json:"gateway"`
	Type      string `json:"type"`
}

type networksDoc struct {
	V4 []netV4Doc `json:"v4"`
	V6 []netV6Doc `json:"v6"`
}

type dropletDoc struct {
	ID          int         `json:"id"`
	Name        string      `json:"name"`
	Memory      int         `json:"memory"`
	Vcpus       int         `json:"vcpus"`
	Disk        int         `json:"disk"`
	Locked      bool        `json:"locked"`
	Status      string      `json:"status"`
	CreatedAt   string      `json:"created_at"`
	Features    []string    `json:"features"`
	BackupIDs   []int       `json:"backup_ids"`
	SnapshotIDs []int       `json:"snapshot_ids"`
	Image       imageDoc    `json:"image"`
	SizeSlug    string      `json:"size_slug"`
	Networks    networksDoc `json:"networks"`
	Region      regionDoc   `json:"region"`
	Tags        []string    `json:"tags"`
	VolumeIDs   []string    `json:"volume_ids"`
	VPCUUID     string      `json:"vpc_uuid"`
}

func collectDroplets(ctx context.Context, r *run) error {
	droplets, err := r.droplets()
	if err != nil {
		return r.fail(ctx, "droplets", "", "GET /v2/droplets", err)
	}
	for _, d := range droplets {
		reg, slug := regionOf(d.Region)
		doc := dropletDoc{
			ID: d.ID, Name: d.Name, Memory: d.Memory, Vcpus: d.Vcpus, Disk: d.Disk, Locked: d.Locked,
			Status: d.Status, CreatedAt: d.Created, Features: nonNil(d.Features), BackupIDs: nonNil(d.BackupIDs),
			SnapshotIDs: nonNil(d.SnapshotIDs), SizeSlug: d.SizeSlug, Region: reg, Tags: nonNil(d.Tags),
			VolumeIDs: nonNil(d.VolumeIDs), VPCUUID: d.VPCUUID,
			Networks: networksDoc{V4: []netV4Doc{}, V6: []netV6Doc{}},
		}
		if d.Image != nil {
			doc.Image = imageDoc{ID: d.Image.ID, Name: d.Image.Name, Distribution: d.Image.Distribution, Slug: d.Image.Slug, Public: d.Image.Public}
		}
		if d.Networks != nil {
			for _, n := range d.Networks.V4 {
				doc.Networks.V4 = append(doc.Networks.V4, netV4Doc{IPAddress: n.IPAddress, Netmask: n.Netmask, Gateway: n.Gateway, Type: n.Type})
			}
			for _, n := range d.Networks.V6 {
				doc.Networks.V6 = append(doc.Networks.V6, netV6Doc{IPAddress: n.IPAddress, Netmask: n.Netmask, Gateway: n.Gateway, Type: n.Type})
			}
		}
		uid := dropletUID(d.ID)
		if err := r.emit(ctx, "do_droplet", uid, slug, d.Name, d.Tags, d.Created, doc); err != nil {
			return err
		}
		for _, v := range d.VolumeIDs {
			if err := r.edge(ctx, uid, "do:volume:"+v, "attached_volume"); err != nil {
				return err
			}
		}
		if d.VPCUUID != "" {
			if err := r.edge(ctx, uid, "do:vpc:"+d.VPCUUID, "in_vpc"); err != nil {
				return err
			}
		}
	}
	return nil
}

type sourcesDoc struct {
	Addresses        []string `json:"addresses,omitempty"`
	Tags             []string `json:"tags,omitempty"`
	DropletIDs       []int    `json:"droplet_ids,omitempty"`
	LoadBalancerUIDs []string `json:"load_balancer_uids,omitempty"`
	KubernetesIDs    []string `json:"kubernetes_ids,omitempty"`
}

func sourcesOf(s *godo.Sources) sourcesDoc {
	if s == nil {
		return sourcesDoc{}
	}
	return sourcesDoc{Addresses: s.Addresses, Tags: s.Tags, DropletIDs: s.DropletIDs, LoadBalancerUIDs: s.LoadBalancerUIDs, KubernetesIDs: s.KubernetesIDs}
}

type inboundDoc struct {
	Protocol string     `json:"protocol"`
	Ports    string     `json:"ports,omitempty"`
	Sources  sourcesDoc `json:"sources"`
}

type destinationsDoc struct {
	Addresses        []string `json:"addresses,omitempty"`
	Tags             []string `json:"tags,omitempty"`
	DropletIDs       []int    `json:"droplet_ids,omitempty"`
	LoadBalancerUIDs []string `json:"load_balancer_uids,omitempty"`
}

type outboundDoc struct {
	Protocol     string          `json:"protocol"`
	Ports        string          `json:"ports,omitempty"`
	Destinations destinationsDoc `json:"destinations"`
}

type pendingDoc struct {
	DropletID int    `json:"droplet_id"`
	Removing  bool   `json:"removing"`
	Status    string `json:"status"`
}

type firewallDoc struct {
	ID             string        `json:"id"`
	Name           string        `json:"name"`
	Status         string        `json:"status"`
	CreatedAt      string        `json:"created_at"`
	InboundRules   []inboundDoc  `json:"inbound_rules"`
	OutboundRules  []outboundDoc `json:"outbound_rules"`
	DropletIDs     []int         `json:"droplet_ids"`
	Tags           []string      `json:"tags"`
	PendingChanges []pendingDoc  `json:"pending_changes"`
}

func collectFirewalls(ctx context.Context, r *run) error {
	fws, err := paginate(ctx, r.c.api.firewalls.List)
	if err != nil {
		return r.fail(ctx, "firewalls", "", "GET /v2/firewalls", err)
	}
	var sel []tagEdge
	for _, fw := range fws {
		doc := firewallDoc{
			ID: fw.ID, Name: fw.Name, Status: fw.Status, CreatedAt: fw.Created,
			InboundRules: []inboundDoc{}, OutboundRules: []outboundDoc{}, DropletIDs: nonNil(fw.DropletIDs),
			Tags: nonNil(fw.Tags), PendingChanges: []pendingDoc{},
		}
		for _, in := range fw.InboundRules {
			doc.InboundRules = append(doc.InboundRules, inboundDoc{Protocol: in.Protocol, Ports: in.PortRange, Sources: sourcesOf(in.Sources)})
		}
		for _, out := range fw.OutboundRules {
			d := destinationsDoc{}
			if out.Destinations != nil {
				d = destinationsDoc{Addresses: out.Destinations.Addresses, Tags: out.Destinations.Tags,
					DropletIDs: out.Destinations.DropletIDs, LoadBalancerUIDs: out.Destinations.LoadBalancerUIDs}
			}
			doc.OutboundRules = append(doc.OutboundRules, outboundDoc{Protocol: out.Protocol, Ports: out.PortRange, Destinations: d})
		}
		for _, p := range fw.PendingChanges {
			doc.PendingChanges = append(doc.PendingChanges, pendingDoc{DropletID: p.DropletID, Removing: p.Removing, Status: p.Status})
		}
		// Firewalls are global; their tags are Droplet selectors, not labels.
		uid := "do:firewall:" + fw.ID
		if err := r.emit(ctx, "do_firewall", uid, "", fw.Name, nil, fw.Created, doc); err != nil {
			return err
		}
		for _, id := range fw.DropletIDs {
			if err := r.edge(ctx, uid, dropletUID(id), "protects"); err != nil {
				return err
			}
		}
		for _, t := range fw.Tags {
			sel = append(sel, tagEdge{from: uid, tag: t, typ: "protects"})
		}
	}
	return r.resolveTags(ctx, "firewalls", sel)
}

type volumeDoc struct {
	ID              string    `json:"id"`
	Name            string    `json:"name"`
	Region          regionDoc `json:"region"`
	DropletIDs      []int     `json:"droplet_ids"`
	SizeGigabytes   int64     `json:"size_gigabytes"`
	Description     string    `json:"description"`
	CreatedAt       string    `json:"created_at"`
	FilesystemType  string    `json:"filesystem_type"`
	FilesystemLabel string    `json:"filesystem_label"`
	Tags            []string  `json:"tags"`
}

func collectVolumes(ctx context.Context, r *run) error {
	vols, err := paginate(ctx, func(ctx context.Context, opt *godo.ListOptions) ([]godo.Volume, *godo.Response, error) {
		return r.c.api.storage.ListVolumes(ctx, &godo.ListVolumeParams{ListOptions: opt})
	})
	if err != nil {
		return r.fail(ctx, "volumes", "", "GET /v2/volumes", err)
	}
	for _, v := range vols {
		reg, slug := regionOf(v.Region)
		doc := volumeDoc{
			ID: v.ID, Name: v.Name, Region: reg, DropletIDs: nonNil(v.DropletIDs), SizeGigabytes: v.SizeGigaBytes,
			Description: v.Description, CreatedAt: ts(v.CreatedAt), FilesystemType: v.FilesystemType,
			FilesystemLabel: v.FilesystemLabel, Tags: nonNil(v.Tags),
		}
		if err := r.emit(ctx, "do_volume", "do:volume:"+v.ID, slug, v.Name, v.Tags, doc.CreatedAt, doc); err != nil {
			return err
		}
	}
	return nil
}

type snapshotDoc struct {
	ID            string   `json:"id"`
	Name          string   `json:"name"`
	ResourceID    string   `json:"resource_id"`
	ResourceType  string   `json:"resource_type"`
	Regions       []string `json:"regions"`
	MinDiskSize   int      `json:"min_disk_size"`
	SizeGigabytes float64  `json:"size_gigabytes"`
	CreatedAt     string   `json:"created_at"`
	Tags          []string `json:"tags"`
}

func collectSnapshots(ctx context.Context, r *run) error {
	snaps, err := paginate(ctx, r.c.api.snapshots.List)
	if err != nil {
		return r.fail(ctx, "snapshots", "", "GET /v2/snapshots", err)
	}
	for _, s := range snaps {
		doc := snapshotDoc{
			ID: s.ID, Name: s.Name, ResourceID: s.ResourceID, ResourceType: s.ResourceType, Regions: nonNil(s.Regions),
			MinDiskSize: s.MinDiskSize, SizeGigabytes: s.SizeGigaBytes, CreatedAt: s.Created, Tags: nonNil(s.Tags),
		}
		uid := "do:snapshot:" + s.ID
		if err := r.emit(ctx, "do_snapshot", uid, "", s.Name, s.Tags, s.Created, doc); err != nil {
			return err
		}
		if s.ResourceID != "" && (s.ResourceType == "droplet" || s.ResourceType == "volume") {
			if err := r.edge(ctx, uid, "do:"+s.ResourceType+":"+s.ResourceID, "snapshot_of"); err != nil {
				return err
			}
		}
	}
	return nil
}

type vpcDoc struct {
	ID          string `json:"id"`
	URN         string `json:"urn"`
	Name        string `json:"name"`
	Description string `json:"description"`
	IPRange     string `json:"ip_range"`
	Region      string `json:"region"`
	CreatedAt   string `json:"created_at"`
	Default     bool   `json:"default"`
}

func collectVPCs(ctx context.Context, r *run) error {
	vpcs, err := paginate(ctx, r.c.api.vpcs.List)
	if err != nil {
		return r.fail(ctx, "vpc", "", "GET /v2/vpcs", err)
	}
	for _, v := range vpcs {
		doc := vpcDoc{ID: v.ID, URN: v.URN, Name: v.Name, Description: v.Description, IPRange: v.IPRange,
			Region: v.RegionSlug, CreatedAt: ts(v.CreatedAt), Default: v.Default}
		if err := r.emit(ctx, "do_vpc", "do:vpc:"+v.ID, v.RegionSlug, v.Name, nil, doc.CreatedAt, doc); err != nil {
			return err
		}
	}
	return nil
}

type dropletRefDoc struct {
	ID   int    `json:"id"`
	Name string `json:"name"`
}

type reservedIPDoc struct {
	IP        string         `json:"ip"`
	Region    regionDoc      `json:"region"`
	Droplet   *dropletRefDoc `json:"droplet"`
	Locked    bool           `json:"locked"`
	ProjectID string         `json:"project_id"`
}

func collectReservedIPs(ctx context.Context, r *run) error {
	ips, err := paginate(ctx, r.c.api.reservedIPs.List)
	if err != nil {
		return r.fail(ctx, "reserved_ips", "", "GET /v2/reserved_ips", err)
	}
	for _, ip := range ips {
		reg, slug := regionOf(ip.Region)
		doc := reservedIPDoc{IP: ip.IP, Region: reg, Locked: ip.Locked, ProjectID: ip.ProjectID}
		uid := "do:reserved_ip:" + ip.IP
		if ip.Droplet != nil {
			doc.Droplet = &dropletRefDoc{ID: ip.Droplet.ID, Name: ip.Droplet.Name}
		}
		if err := r.emit(ctx, "do_reserved_ip", uid, slug, ip.IP, nil, "", doc); err != nil {
			return err
		}
		if ip.Droplet != nil {
			if err := r.edge(ctx, uid, dropletUID(ip.Droplet.ID), "assigned_to"); err != nil {
				return err
			}
		}
	}
	return nil
}
