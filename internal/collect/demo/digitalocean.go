package demo

// DigitalOcean part of the demo estate: one team, with Droplets, Cloud
// Firewalls, volumes, managed databases, DOKS clusters, Spaces buckets, load
// balancers and reserved IPs in nyc3, ams3 and fra1. Properties follow the API
// v2 (godo) JSON field names (see internal/collect/digitalocean/kinds.go).
// Tags are "key:value" strings, mapped into Resource.Tags by splitting on the
// first ':' as the real collector does.
//
// Planted misconfigurations in the base estate:
//   - Droplets: legacy-ftp without backups and monitoring; sandbox-sfo in
//     sfo3 (org-allowed-regions); tmp-build without an owner tag
//     (org-required-tags); db-proxy-old covered by no firewall.
//   - Firewall legacy-fw admits SSH from 0.0.0.0/0 and ::/0.
//   - Volume scratch-vol without an environment tag.
//   - Databases: analytics-mysql without trusted sources; legacy-redis
//     outside any VPC.
//   - DOKS staging-doks without auto-upgrade and without an HA control plane.
//   - Spaces: acme-public-downloads public-read; acme-backups with versioning
//     suspended; acme-logs-archive without a lifecycle rule; acme-press-kit
//     public through its bucket policy; acme-app-uploads letting any origin
//     PUT (CORS); Spaces key legacy-all with full access to every bucket.
//   - CDN endpoint shop-images.acme.example on the expiring custom
//     certificate.
//   - Company rules (cloudward.yaml): the public Spaces buckets and the
//     database without trusted sources fail org-no-public-exposure.
//   - Load balancer legacy-lb serving plain HTTP without a redirect.
//   - Reserved IP 174.138.110.20 not assigned to anything (info).
//   - Firewall debug-db-fw admits PostgreSQL (5432) from anywhere.
//   - Volume pg-dumps attached to no Droplet; legacy-redis on Redis 6, no
//     longer offered; staging-doks on a Kubernetes minor out of support.
//   - Certificate legacy-shop-cert expiring in 12 days.
//   - Domain acme-legacy.example with an A record on a released address.
//   - App legacy-admin with a database password in a plain GENERAL
//     environment variable.
//
// Fillers add clean Droplets (covered by the web firewall through their tag),
// volumes and Spaces buckets, about 2% of each planted.

import (
	"strconv"
	"strings"
	"time"

	"cloudward/internal/resource"
)

const (
	doTeam      = "3c2f8f7e-9a1b-4c5d-8e6f-0a1b2c3d4e5f"
	doAllUsers  = "http://acs.amazonaws.com/groups/global/AllUsers"
	doOwnerID   = "8912345"
	doVPCPrefix = "b7a1c2d3-0000-4e5f-8a9b-"
)

// doRegions are the regions the company allows for DigitalOcean.
var doRegions = [3]string{"nyc3", "ams3", "fra1"}

type doRegion struct {
	Slug string `json:"slug"`
	Name string `json:"name"`
}

func doRegionOf(slug string) doRegion {
	switch slug {
	case "nyc3":
		return doRegion{Slug: slug, Name: "New York 3"}
	case "ams3":
		return doRegion{Slug: slug, Name: "Amsterdam 3"}
	case "fra1":
		return doRegion{Slug: slug, Name: "Frankfurt 1"}
	case "sfo3":
		return doRegion{Slug: slug, Name: "San Francisco 3"}
	}
	return doRegion{Slug: slug, Name: slug}
}

type doTeamRef struct {
	UUID string `json:"uuid"`
	Name string `json:"name"`
}

type doAccount struct {
	UUID            string    `json:"uuid"`
	Email           string    `json:"email"`
	EmailVerified   bool      `json:"email_verified"`
	Status          string    `json:"status"`
	StatusMessage   string    `json:"status_message"`
	DropletLimit    int       `json:"droplet_limit"`
	VolumeLimit     int       `json:"volume_limit"`
	FloatingIPLimit int       `json:"floating_ip_limit"`
	Team            doTeamRef `json:"team"`
}

type doSSHKey struct {
	ID          int    `json:"id"`
	Name        string `json:"name"`
	Fingerprint string `json:"fingerprint"`
	PublicKey   string `json:"public_key"`
}

type doImage struct {
	ID           int    `json:"id"`
	Name         string `json:"name"`
	Distribution string `json:"distribution"`
	Slug         string `json:"slug"`
	Public       bool   `json:"public"`
}

type doNetV4 struct {
	IPAddress string `json:"ip_address"`
	Netmask   string `json:"netmask"`
	Gateway   string `json:"gateway"`
	Type      string `json:"type"`
}

type doNetworks struct {
	V4 []doNetV4 `json:"v4"`
	V6 []doNetV4 `json:"v6"`
}

type doDroplet struct {
	ID          int        `json:"id"`
	Name        string     `json:"name"`
	Memory      int        `json:"memory"`
	Vcpus       int        `json:"vcpus"`
	Disk        int        `json:"disk"`
	Locked      bool       `json:"locked"`
	Status      string     `json:"status"`
	CreatedAt   string     `json:"created_at"`
	Features    []string   `json:"features"`
	BackupIDs   []int      `json:"backup_ids"`
	SnapshotIDs []int      `json:"snapshot_ids"`
	Image       doImage    `json:"image"`
	SizeSlug    string     `json:"size_slug"`
	Networks    doNetworks `json:"networks"`
	Region      doRegion   `json:"region"`
	Tags        []string   `json:"tags"`
	VolumeIDs   []string   `json:"volume_ids"`
	VPCUUID     string     `json:"vpc_uuid"`
}

type doSources struct {
	Addresses  []string `json:"addresses,omitempty"`
	Tags       []string `json:"tags,omitempty"`
	DropletIDs []int    `json:"droplet_ids,omitempty"`
}

type doInbound struct {
	Protocol string    `json:"protocol"`
	Ports    string    `json:"ports,omitempty"`
	Sources  doSources `json:"sources"`
}

type doOutbound struct {
	Protocol     string    `json:"protocol"`
	Ports        string    `json:"ports,omitempty"`
	Destinations doSources `json:"destinations"`
}

type doFirewall struct {
	ID             string       `json:"id"`
	Name           string       `json:"name"`
	Status         string       `json:"status"`
	CreatedAt      string       `json:"created_at"`
	InboundRules   []doInbound  `json:"inbound_rules"`
	OutboundRules  []doOutbound `json:"outbound_rules"`
	DropletIDs     []int        `json:"droplet_ids"`
	Tags           []string     `json:"tags"`
	PendingChanges []struct{}   `json:"pending_changes"`
}

type doVolume struct {
	ID              string   `json:"id"`
	Name            string   `json:"name"`
	Region          doRegion `json:"region"`
	DropletIDs      []int    `json:"droplet_ids"`
	SizeGigabytes   int      `json:"size_gigabytes"`
	Description     string   `json:"description"`
	CreatedAt       string   `json:"created_at"`
	FilesystemType  string   `json:"filesystem_type"`
	FilesystemLabel string   `json:"filesystem_label"`
	Tags            []string `json:"tags"`
}

type doDBConn struct {
	Host     string `json:"host"`
	Port     int    `json:"port"`
	Database string `json:"database,omitempty"`
	User     string `json:"user,omitempty"`
	SSL      bool   `json:"ssl"`
}

type doMaintenance struct {
	Day     string `json:"day"`
	Hour    string `json:"hour"`
	Pending bool   `json:"pending"`
}

type doDBRule struct {
	UUID        string `json:"uuid"`
	ClusterUUID string `json:"cluster_uuid"`
	Type        string `json:"type"`
	Value       string `json:"value"`
	CreatedAt   string `json:"created_at"`
}

type doDatabase struct {
	ID                 string        `json:"id"`
	Name               string        `json:"name"`
	Engine             string        `json:"engine"`
	Version            string        `json:"version"`
	VersionSupported   bool          `json:"version_supported"`
	NumNodes           int           `json:"num_nodes"`
	Size               string        `json:"size"`
	Region             string        `json:"region"`
	Status             string        `json:"status"`
	CreatedAt          string        `json:"created_at"`
	PrivateNetworkUUID string        `json:"private_network_uuid"`
	Tags               []string      `json:"tags"`
	Connection         doDBConn      `json:"connection"`
	PrivateConnection  *doDBConn     `json:"private_connection,omitempty"`
	MaintenanceWindow  doMaintenance `json:"maintenance_window"`
	FirewallRules      []doDBRule    `json:"firewall_rules"`
}

type doNodePool struct {
	ID        string   `json:"id"`
	Name      string   `json:"name"`
	Size      string   `json:"size"`
	Count     int      `json:"count"`
	AutoScale bool     `json:"auto_scale"`
	MinNodes  int      `json:"min_nodes"`
	MaxNodes  int      `json:"max_nodes"`
	Tags      []string `json:"tags"`
}

type doMaintPolicy struct {
	StartTime string `json:"start_time"`
	Duration  string `json:"duration"`
	Day       string `json:"day"`
}

type doK8sStatus struct {
	State string `json:"state"`
}

type doK8s struct {
	ID                string        `json:"id"`
	Name              string        `json:"name"`
	Region            string        `json:"region"`
	Version           string        `json:"version"`
	VersionSupported  bool          `json:"version_supported"`
	ClusterSubnet     string        `json:"cluster_subnet"`
	ServiceSubnet     string        `json:"service_subnet"`
	VPCUUID           string        `json:"vpc_uuid"`
	IPv4              string        `json:"ipv4"`
	Endpoint          string        `json:"endpoint"`
	Tags              []string      `json:"tags"`
	NodePools         []doNodePool  `json:"node_pools"`
	MaintenancePolicy doMaintPolicy `json:"maintenance_policy"`
	AutoUpgrade       bool          `json:"auto_upgrade"`
	SurgeUpgrade      bool          `json:"surge_upgrade"`
	HA                bool          `json:"ha"`
	RegistryEnabled   bool          `json:"registry_enabled"`
	Status            doK8sStatus   `json:"status"`
	CreatedAt         string        `json:"created_at"`
}

type doGrantee struct {
	Type string `json:"type"`
	ID   string `json:"id,omitempty"`
	URI  string `json:"uri,omitempty"`
}

type doGrant struct {
	Grantee    doGrantee `json:"grantee"`
	Permission string    `json:"permission"`
}

type doOwner struct {
	ID          string `json:"id"`
	DisplayName string `json:"display_name"`
}

type doACL struct {
	Owner  doOwner   `json:"owner"`
	Grants []doGrant `json:"grants"`
}

type doVersioning struct {
	Status string `json:"status,omitempty"`
}

type doExpiration struct {
	Days int `json:"days"`
}

type doLifecycleRule struct {
	ID         string       `json:"id"`
	Status     string       `json:"status"`
	Prefix     string       `json:"prefix"`
	Expiration doExpiration `json:"expiration"`
}

type doCORSRule struct {
	AllowedOrigins []string `json:"allowed_origins"`
	AllowedMethods []string `json:"allowed_methods"`
	AllowedHeaders []string `json:"allowed_headers"`
	MaxAgeSeconds  int      `json:"max_age_seconds"`
}

// doSpace is a bucket as the collector reads it: a configuration the bucket
// lacks is explicit (lifecycle_rules [], cors_rules [], policy null with
// policy_status none).
type doSpace struct {
	Name           string            `json:"name"`
	Region         string            `json:"region"`
	CreationDate   string            `json:"creation_date"`
	Endpoint       string            `json:"endpoint"`
	ACL            doACL             `json:"acl"`
	Versioning     doVersioning      `json:"versioning"`
	LifecycleRules []doLifecycleRule `json:"lifecycle_rules"`
	PolicyStatus   string            `json:"policy_status"`
	Policy         map[string]any    `json:"policy"`
	CORSRules      []doCORSRule      `json:"cors_rules"`
}

// doPolicyStatement is one statement of a normalised bucket policy.
func doPolicyStatement(sid string, principal []string, actions []string, resources []string, cond map[string]map[string][]string) map[string]any {
	st := map[string]any{"Sid": sid, "Effect": "Allow", "Principal": map[string][]string{"AWS": principal}, "Action": actions, "Resource": resources}
	if cond != nil {
		st["Condition"] = cond
	}
	return st
}

type doForwardingRule struct {
	EntryProtocol  string `json:"entry_protocol"`
	EntryPort      int    `json:"entry_port"`
	TargetProtocol string `json:"target_protocol"`
	TargetPort     int    `json:"target_port"`
	CertificateID  string `json:"certificate_id,omitempty"`
	TLSPassthrough bool   `json:"tls_passthrough"`
}

type doHealthCheck struct {
	Protocol string `json:"protocol"`
	Port     int    `json:"port"`
	Path     string `json:"path"`
}

type doLB struct {
	ID                  string             `json:"id"`
	Name                string             `json:"name"`
	IP                  string             `json:"ip"`
	Status              string             `json:"status"`
	CreatedAt           string             `json:"created_at"`
	SizeUnit            int                `json:"size_unit"`
	Algorithm           string             `json:"algorithm"`
	Region              doRegion           `json:"region"`
	ForwardingRules     []doForwardingRule `json:"forwarding_rules"`
	HealthCheck         doHealthCheck      `json:"health_check"`
	RedirectHTTPToHTTPS bool               `json:"redirect_http_to_https"`
	EnableProxyProtocol bool               `json:"enable_proxy_protocol"`
	DropletIDs          []int              `json:"droplet_ids"`
	Tag                 string             `json:"tag"`
	VPCUUID             string             `json:"vpc_uuid"`
}

type doDropletRef struct {
	ID   int    `json:"id"`
	Name string `json:"name"`
}

type doReservedIP struct {
	IP        string        `json:"ip"`
	Region    doRegion      `json:"region"`
	Droplet   *doDropletRef `json:"droplet"`
	Locked    bool          `json:"locked"`
	ProjectID string        `json:"project_id"`
}

// doTags maps DigitalOcean tag strings to Resource.Tags by splitting each on
// its first ':'.
func doTags(tags []string) map[string]string {
	if len(tags) == 0 {
		return nil
	}
	m := make(map[string]string, len(tags))
	for _, t := range tags {
		k, v, _ := strings.Cut(t, ":")
		m[k] = v
	}
	return m
}

// doAdd emits one DigitalOcean resource.
func (e *estate) doAdd(kind, uid, region, name string, tags []string, age time.Duration, props any) {
	e.add(resource.Resource{
		UID: uid, Provider: resource.DigitalOcean, Account: doTeam, Region: region, Kind: kind,
		Name: name, Tags: doTags(tags), CreatedAt: e.now.Add(-age).UTC(),
	}, props)
}

// doUUID returns a stable UUID-shaped ID for a seed.
func doUUID(prefix string, seed int) string {
	s := strconv.FormatInt(int64(seed)+0x1000000000000, 16)
	return prefix + "-4a1e-8b2c-9d3f-" + s[len(s)-12:]
}

// doVPC returns the default VPC of a region.
func doVPC(region string) string {
	switch region {
	case "nyc3":
		return doVPCPrefix + "0000000000a1"
	case "ams3":
		return doVPCPrefix + "0000000000a2"
	case "fra1":
		return doVPCPrefix + "0000000000a3"
	}
	return doVPCPrefix + "0000000000a4"
}

// doDropletProps returns a clean Droplet: backups, monitoring, private
// networking, tagged for the company rules and the web firewall.
func (e *estate) doDropletProps(id int, name, region string, tags []string, age time.Duration) doDroplet {
	return doDroplet{
		ID: id, Name: name, Memory: 4096, Vcpus: 2, Disk: 80, Status: "active", CreatedAt: e.ago(age),
		Features:  []string{"backups", "monitoring", "private_networking", "droplet_agent"},
		BackupIDs: []int{190000000 + id%1000000}, SnapshotIDs: []int{},
		Image:    doImage{ID: 160000000, Name: "24.04 (LTS) x64", Distribution: "Ubuntu", Slug: "ubuntu-24-04-x64", Public: true},
		SizeSlug: "s-2vcpu-4gb",
		Networks: doNetworks{V4: []doNetV4{
			{IPAddress: "10.110." + strconv.Itoa(id/250%250) + "." + strconv.Itoa(2+id%250), Netmask: "255.255.240.0", Gateway: "10.110.0.1", Type: "private"},
			{IPAddress: "159.203." + strconv.Itoa(id/250%250) + "." + strconv.Itoa(2+id%250), Netmask: "255.255.240.0", Gateway: "159.203.0.1", Type: "public"},
		}, V6: []doNetV4{}},
		Region: doRegionOf(region), Tags: tags, VolumeIDs: []string{}, VPCUUID: doVPC(region),
	}
}

func (e *estate) doBase() {
	e.doAdd("do_account", "do:account:"+doTeam, resource.GlobalRegion, "acme", nil, days(1500), doAccount{
		UUID: "f2c8a3b4-1d2e-4f5a-9b8c-7d6e5f4a3b2c", Email: "cloud-admins@acme.example", EmailVerified: true,
		Status: "active", DropletLimit: 100, VolumeLimit: 100, FloatingIPLimit: 10,
		Team: doTeamRef{UUID: doTeam, Name: "Acme"},
	})
	for n, k := range []string{"alice-laptop", "ci-deploy", "bob-workstation"} {
		id := 41230001 + n*977
		e.doAdd("do_ssh_key", "do:ssh_key:"+strconv.Itoa(id), resource.GlobalRegion, k, nil, days(400), doSSHKey{
			ID: id, Name: k, Fingerprint: "3b:16:bf:e4:8b:00:8b:b8:59:8c:a9:d3:f0:19:45:f" + strconv.Itoa(n),
			PublicKey: "ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIG" + strconv.Itoa(id) + "q8x0Zk4Vx7m1a9h2J3 " + k,
		})
	}

	// Droplets.
	type dropletSpec struct {
		id           int
		name, region string
		tags         []string
		noBackups    bool
		plants       [][2]string
	}
	std := func(owner, env string, extra ...string) []string {
		return append([]string{"owner:" + owner, "environment:" + env}, extra...)
	}
	droplets := []dropletSpec{
		{id: 316449101, name: "web-01", region: "nyc3", tags: std("web-team", "production", "web")},
		{id: 316449102, name: "web-02", region: "nyc3", tags: std("web-team", "production", "web")},
		{id: 316449103, name: "api-01", region: "ams3", tags: std("api-team", "production", "api")},
		{id: 316449104, name: "worker-01", region: "fra1", tags: std("api-team", "production", "api")},
		{id: 316449105, name: "legacy-ftp", region: "nyc3", tags: std("it-ops", "production"), noBackups: true,
			plants: [][2]string{
				{"do-droplet-backups-enabled", "backups never turned on for an old file server"},
				{"do-droplet-monitoring-enabled", "created before the metrics agent was standard"},
			}},
		{id: 316449106, name: "sandbox-sfo", region: "sfo3", tags: std("alice", "development", "web"),
			plants: [][2]string{{"org-allowed-regions", "sandbox created in sfo3, outside the allowed regions"}}},
		{id: 316449107, name: "tmp-build", region: "fra1", tags: []string{"environment:ci", "web"},
			plants: [][2]string{{"org-required-tags", "no owner tag"}}},
		{id: 316449108, name: "db-proxy-old", region: "ams3", tags: std("data-team", "production"),
			plants: [][2]string{{"do-droplet-firewall-attached", "no Cloud Firewall covers it by ID or tag"}}},
	}
	dropletUID := map[string]string{}
	for n, d := range droplets {
		props := e.doDropletProps(d.id, d.name, d.region, d.tags, days(500-40*n))
		if d.noBackups {
			props.Features = []string{"private_networking"}
			props.BackupIDs = []int{}
		}
		uid := "do:droplet:" + strconv.Itoa(d.id)
		dropletUID[d.name] = uid
		e.doAdd("do_droplet", uid, d.region, d.name, d.tags, days(500-40*n), props)
		for _, pl := range d.plants {
			e.plant(uid, pl[0], pl[1])
		}
	}

	// Cloud Firewalls.
	allOut := []doOutbound{
		{Protocol: "tcp", Ports: "0", Destinations: doSources{Addresses: []string{"0.0.0.0/0", "::/0"}}},
		{Protocol: "udp", Ports: "0", Destinations: doSources{Addresses: []string{"0.0.0.0/0", "::/0"}}},
		{Protocol: "icmp", Destinations: doSources{Addresses: []string{"0.0.0.0/0", "::/0"}}},
	}
	fws := []struct {
		name       string
		inbound    []doInbound
		dropletIDs []int
		tags       []string
		plant      string
		check      string
	}{
		{name: "web-fw", tags: []string{"web"}, dropletIDs: []int{}, inbound: []doInbound{
			{Protocol: "tcp", Ports: "443", Sources: doSources{Addresses: []string{"0.0.0.0/0", "::/0"}}},
			{Protocol: "tcp", Ports: "80", Sources: doSources{Addresses: []string{"0.0.0.0/0", "::/0"}}},
			{Protocol: "tcp", Ports: "22", Sources: doSources{Addresses: []string{"203.0.113.0/24"}}},
		}},
		{name: "api-fw", tags: []string{"api"}, dropletIDs: []int{}, inbound: []doInbound{
			{Protocol: "tcp", Ports: "8080-8090", Sources: doSources{Tags: []string{"web"}}},
			{Protocol: "tcp", Ports: "22", Sources: doSources{Addresses: []string{"203.0.113.0/24", "10.110.0.0/16"}}},
			{Protocol: "icmp", Sources: doSources{Addresses: []string{"0.0.0.0/0", "::/0"}}},
		}},
		{name: "legacy-fw", tags: []string{}, dropletIDs: []int{316449105}, inbound: []doInbound{
			{Protocol: "tcp", Ports: "21", Sources: doSources{Addresses: []string{"198.51.100.0/24"}}},
			{Protocol: "tcp", Ports: "22", Sources: doSources{Addresses: []string{"0.0.0.0/0", "::/0"}}},
		}, plant: "SSH open to 0.0.0.0/0 and ::/0 for a vendor without a fixed address", check: "do-firewall-no-public-ssh"},
		{name: "debug-db-fw", tags: []string{}, dropletIDs: []int{}, inbound: []doInbound{
			{Protocol: "tcp", Ports: "5432", Sources: doSources{Addresses: []string{"0.0.0.0/0"}}},
		}, plant: "PostgreSQL opened to the internet while debugging a migration, never closed", check: "do-firewall-no-public-admin-ports"},
	}
	for n, fw := range fws {
		uid := "do:firewall:" + doUUID("e1f2a3b4", 700+n)
		e.doAdd("do_firewall", uid, resource.GlobalRegion, fw.name, nil, days(450-60*n), doFirewall{
			ID: doUUID("e1f2a3b4", 700+n), Name: fw.name, Status: "succeeded", CreatedAt: e.ago(days(450 - 60*n)),
			InboundRules: fw.inbound, OutboundRules: allOut, DropletIDs: fw.dropletIDs, Tags: fw.tags, PendingChanges: []struct{}{},
		})
		if fw.plant != "" {
			e.plant(uid, fw.check, fw.plant)
		}
		for _, id := range fw.dropletIDs {
			e.edge(uid, "do:droplet:"+strconv.Itoa(id), "protects")
		}
	}

	// Volumes.
	vols := []struct {
		name, region, droplet string
		dropletID             int
		tags                  []string
		plant, check          string
	}{
		{name: "web-01-data", region: "nyc3", droplet: "web-01", dropletID: 316449101, tags: std("web-team", "production")},
		{name: "worker-01-scratch", region: "fra1", droplet: "worker-01", dropletID: 316449104, tags: std("api-team", "production")},
		{name: "pg-dumps", region: "ams3", tags: std("data-team", "production"), check: "do-volume-attached", plant: "detached after the old database host was deleted"},
		{name: "scratch-vol", region: "nyc3", dropletID: 316449102, droplet: "web-02", tags: []string{"owner:alice"}, check: "org-required-tags", plant: "no environment tag"},
	}
	for n, v := range vols {
		id := doUUID("5a6b7c8d", 800+n)
		ids := []int{}
		if v.dropletID != 0 {
			ids = []int{v.dropletID}
		}
		uid := "do:volume:" + id
		e.doAdd("do_volume", uid, v.region, v.name, v.tags, days(300-30*n), doVolume{
			ID: id, Name: v.name, Region: doRegionOf(v.region), DropletIDs: ids, SizeGigabytes: 100 * (n + 1),
			Description: "Block storage for " + v.name, CreatedAt: e.ago(days(300 - 30*n)), FilesystemType: "ext4",
			FilesystemLabel: v.name, Tags: v.tags,
		})
		if v.droplet != "" {
			e.edge(dropletUID[v.droplet], uid, "attached_volume")
		}
		if v.plant != "" {
			e.plant(uid, v.check, v.plant)
		}
	}

	// Managed databases.
	dbs := []struct {
		name, engine, version, region string
		rules                         []string
		noVPC                         bool
		plant, why                    string
	}{
		{name: "prod-pg", engine: "pg", version: "16", region: "nyc3", rules: []string{"tag:web", "k8s:" + doUUID("c0ffee00", 900)}},
		{name: "cache-redis", engine: "redis", version: "7", region: "ams3", rules: []string{"ip_addr:10.110.0.0/16"}},
		{name: "analytics-mysql", engine: "mysql", version: "8", region: "fra1",
			plant: "do-database-trusted-sources", why: "no trusted sources: reachable from any address with the password"},
		{name: "legacy-redis", engine: "redis", version: "6", region: "nyc3", rules: []string{"droplet:316449105"}, noVPC: true,
			plant: "do-database-in-vpc", why: "created before VPCs and never migrated"},
	}
	for n, db := range dbs {
		id := doUUID("9d8c7b6a", 850+n)
		rules := []doDBRule{}
		for m, r := range db.rules {
			t, v, _ := strings.Cut(r, ":")
			rules = append(rules, doDBRule{UUID: doUUID("aa11bb22", 860+10*n+m), ClusterUUID: id, Type: t, Value: v, CreatedAt: e.ago(days(200))})
		}
		tags := std("data-team", "production")
		port := map[string]int{"pg": 25060, "mysql": 25060, "redis": 25061}[db.engine]
		props := doDatabase{
			ID: id, Name: db.name, Engine: db.engine, Version: db.version, NumNodes: 2, Size: "db-s-2vcpu-4gb",
			VersionSupported: db.version != "6",
			Region:           db.region, Status: "online", CreatedAt: e.ago(days(600 - 90*n)), PrivateNetworkUUID: doVPC(db.region),
			Tags:       tags,
			Connection: doDBConn{Host: db.name + "-do-user-8912345-0.b.db.ondigitalocean.com", Port: port, Database: "defaultdb", User: "doadmin", SSL: true},
			PrivateConnection: &doDBConn{
				Host: "private-" + db.name + "-do-user-8912345-0.b.db.ondigitalocean.com", Port: port, SSL: true,
			},
			MaintenanceWindow: doMaintenance{Day: "sunday", Hour: "03:00:00"},
			FirewallRules:     rules,
		}
		if db.noVPC {
			props.PrivateNetworkUUID, props.PrivateConnection = "", nil
		}
		uid := "do:dbaas:" + id
		e.doAdd("do_database_cluster", uid, db.region, db.name, tags, days(600-90*n), props)
		if len(rules) == 0 {
			e.plant(uid, "org-no-public-exposure", "cloudward.yaml forbids public databases; no trusted sources makes it reachable from anywhere")
		}
		if db.plant != "" {
			e.plant(uid, db.plant, db.why)
		}
		if !props.VersionSupported {
			e.plant(uid, "do-database-version-supported", "Redis 6 is no longer offered; the cluster waits for a forced upgrade")
		}
	}

	// Kubernetes.
	for n, c := range []struct {
		name, region string
		bad          bool
	}{{"prod-doks", "nyc3", false}, {"staging-doks", "ams3", true}} {
		id := doUUID("c0ffee00", 900+n)
		env := "production"
		if c.bad {
			env = "staging"
		}
		tags := []string{"k8s", "k8s:" + id, "owner:platform-team", "environment:" + env}
		version := "1.33.1-do.0"
		if c.bad {
			version = "1.29.9-do.3"
		}
		props := doK8s{
			ID: id, Name: c.name, Region: c.region, Version: version, ClusterSubnet: "10.244.0.0/16", ServiceSubnet: "10.245.0.0/16",
			VPCUUID: doVPC(c.region), IPv4: "164.90.210." + strconv.Itoa(10+n), Endpoint: "https://" + id + ".k8s.ondigitalocean.com",
			Tags: tags,
			NodePools: []doNodePool{{
				ID: doUUID("0b0b0b0b", 950+n), Name: "pool-main", Size: "s-4vcpu-8gb", Count: 3, AutoScale: true, MinNodes: 3, MaxNodes: 6,
				Tags: []string{"k8s", "k8s:" + id, "k8s:worker"},
			}},
			MaintenancePolicy: doMaintPolicy{StartTime: "04:00", Duration: "4h0m0s", Day: "sunday"},
			VersionSupported:  !c.bad,
			AutoUpgrade:       !c.bad, SurgeUpgrade: true, HA: !c.bad, RegistryEnabled: true,
			Status: doK8sStatus{State: "running"}, CreatedAt: e.ago(days(365 - 100*n)),
		}
		uid := "do:kubernetes:" + id
		e.doAdd("do_kubernetes_cluster", uid, c.region, c.name, tags, days(365-100*n), props)
		if c.bad {
			e.plant(uid, "do-kubernetes-auto-upgrade", "staging cluster pinned to its version")
			e.plant(uid, "do-kubernetes-ha-control-plane", "staging cluster created without the HA control plane")
			e.plant(uid, "do-kubernetes-version-supported", "pinned to a minor version that left support")
		}
	}

	// Spaces. acme-assets serves the web site's assets: anyone may GET them
	// (CORS) and the policy lets the office network read them; the press
	// kit is published with a public policy, listing included; the upload
	// bucket lets any origin PUT.
	spaces := []struct {
		name, region              string
		public, noVersioning, noL bool
		edit                      func(*doSpace)
		plant, why                string
		orgPublic                 bool // public: fails org-no-public-exposure too
	}{
		{name: "acme-assets", region: "nyc3", edit: func(d *doSpace) {
			d.CORSRules = []doCORSRule{{AllowedOrigins: []string{"*"}, AllowedMethods: []string{"GET", "HEAD"}, AllowedHeaders: []string{"*"}, MaxAgeSeconds: 3000}}
			d.PolicyStatus = "present"
			d.Policy = map[string]any{"Version": "2012-10-17", "Statement": []map[string]any{
				doPolicyStatement("OfficeRead", []string{"*"}, []string{"s3:GetObject"}, []string{"arn:aws:s3:::acme-assets/*"},
					map[string]map[string][]string{"IpAddress": {"aws:SourceIp": {"203.0.113.0/24"}}}),
			}}
		}},
		{name: "acme-app-uploads", region: "fra1", edit: func(d *doSpace) {
			d.CORSRules = []doCORSRule{{AllowedOrigins: []string{"*"}, AllowedMethods: []string{"GET", "PUT", "POST"}, AllowedHeaders: []string{"*"}, MaxAgeSeconds: 3000}}
		}, plant: "do-spaces-bucket-cors-restricted", why: "browser uploads allowed from any origin instead of the app's"},
		{name: "acme-public-downloads", region: "nyc3", public: true,
			plant: "do-spaces-bucket-not-public", why: "public-read ACL for customer downloads, listing included", orgPublic: true},
		{name: "acme-backups", region: "fra1", noVersioning: true,
			plant: "do-spaces-bucket-versioning", why: "versioning suspended to cut storage costs"},
		{name: "acme-logs-archive", region: "nyc3", noL: true,
			plant: "do-spaces-bucket-lifecycle", why: "logs kept forever: no lifecycle rule"},
		{name: "acme-press-kit", region: "nyc3", edit: func(d *doSpace) {
			d.PolicyStatus = "present"
			d.Policy = map[string]any{"Version": "2012-10-17", "Statement": []map[string]any{
				doPolicyStatement("PublicRead", []string{"*"}, []string{"s3:GetObject", "s3:ListBucket"}, []string{"arn:aws:s3:::acme-press-kit", "arn:aws:s3:::acme-press-kit/*"}, nil),
			}}
		}, plant: "do-spaces-bucket-policy-not-public", why: "bucket policy lets anyone list and download the press kit, drafts included", orgPublic: true},
	}
	for n, s := range spaces {
		props := e.doSpaceProps(s.name, s.region, days(700-100*n), s.public, s.noVersioning, s.noL)
		if s.edit != nil {
			s.edit(&props)
		}
		e.doAdd("do_spaces_bucket", "do:space:"+s.region+":"+s.name, s.region, s.name, nil, days(700-100*n), props)
		if s.plant != "" {
			e.plant("do:space:"+s.region+":"+s.name, s.plant, s.why)
		}
		if s.orgPublic {
			e.plant("do:space:"+s.region+":"+s.name, "org-no-public-exposure", "cloudward.yaml forbids public Spaces buckets")
		}
	}

	// Load balancers.
	for n, lb := range []struct {
		name, region string
		bad          bool
	}{{"web-lb", "nyc3", false}, {"legacy-lb", "fra1", true}} {
		id := doUUID("1b2c3d4e", 980+n)
		rules := []doForwardingRule{
			{EntryProtocol: "https", EntryPort: 443, TargetProtocol: "http", TargetPort: 80, CertificateID: doUUID("ce7ce7ce", 990)},
			{EntryProtocol: "http", EntryPort: 80, TargetProtocol: "http", TargetPort: 80},
		}
		if lb.bad {
			rules = rules[1:]
		}
		uid := "do:loadbalancer:" + id
		e.doAdd("do_loadbalancer", uid, lb.region, lb.name, nil, days(250-50*n), doLB{
			ID: id, Name: lb.name, IP: "138.197.40." + strconv.Itoa(20+n), Status: "active", CreatedAt: e.ago(days(250 - 50*n)),
			SizeUnit: 2, Algorithm: "round_robin", Region: doRegionOf(lb.region), ForwardingRules: rules,
			HealthCheck:         doHealthCheck{Protocol: "http", Port: 80, Path: "/healthz"},
			RedirectHTTPToHTTPS: !lb.bad, DropletIDs: []int{}, Tag: "web", VPCUUID: doVPC(lb.region),
		})
		if lb.bad {
			e.plant(uid, "do-loadbalancer-https-redirect", "plain HTTP only, no redirect to HTTPS")
		}
	}

	// Reserved IPs.
	assigned := &doDropletRef{ID: 316449101, Name: "web-01"}
	for n, ip := range []string{"174.138.110.10", "174.138.110.20"} {
		props := doReservedIP{IP: ip, Region: doRegionOf("nyc3"), Locked: false, ProjectID: doUUID("7e7e7e7e", 995)}
		if n == 0 {
			props.Droplet = assigned
		}
		uid := "do:reserved_ip:" + ip
		e.doAdd("do_reserved_ip", uid, "nyc3", ip, nil, days(200), props)
		if n == 0 {
			e.edge(uid, dropletUID["web-01"], "assigned_to")
		} else {
			e.plant(uid, "do-reserved-ip-assigned", "kept after a migration, assigned to nothing")
		}
	}

	e.collectionError(resource.CollectionError{
		Provider: resource.DigitalOcean, Account: doTeam, Region: resource.GlobalRegion, Service: "functions",
		Op: "GET /v2/functions/namespaces", Kind: resource.Denied,
		Message: "403 Forbidden: You are not authorized to perform this operation (token lacks the function:read scope)",
	})
	e.doBaseMore(dropletUID)
	e.orgRulePlants()
}

// doSpaceProps returns a Spaces bucket: private, versioned, with a lifecycle
// rule unless told otherwise.
func (e *estate) doSpaceProps(name, region string, age time.Duration, public, noVersioning, noLifecycle bool) doSpace {
	s := doSpace{
		Name: name, Region: region, CreationDate: e.ago(age), Endpoint: name + "." + region + ".digitaloceanspaces.com",
		ACL: doACL{Owner: doOwner{ID: doOwnerID, DisplayName: doOwnerID}, Grants: []doGrant{
			{Grantee: doGrantee{Type: "CanonicalUser", ID: doOwnerID}, Permission: "FULL_CONTROL"},
		}},
		Versioning: doVersioning{Status: "Enabled"},
		LifecycleRules: []doLifecycleRule{
			{ID: "expire-old-versions", Status: "Enabled", Prefix: "", Expiration: doExpiration{Days: 365}},
		},
		PolicyStatus: "none", CORSRules: []doCORSRule{},
	}
	if public {
		s.ACL.Grants = append(s.ACL.Grants, doGrant{Grantee: doGrantee{Type: "Group", URI: doAllUsers}, Permission: "READ"})
	}
	if noVersioning {
		s.Versioning.Status = "Suspended"
	}
	if noLifecycle {
		s.LifecycleRules = []doLifecycleRule{}
	}
	return s
}

// doFill emits one clean filler resource (about 2% planted), cycling through
// Droplets, their volumes and Spaces buckets.
func (e *estate) doFill(i int) {
	j := i / 3
	region := doRegions[j%3]
	planted := j%50 == 29
	js := strconv.Itoa(j)
	age := days(1 + j%900)
	owner := [...]string{"web-team", "api-team", "data-team"}[j%3]
	dropletID := 400000000 + j
	switch i % 3 {
	case 0:
		tags := []string{"owner:" + owner, "environment:production", "web"}
		props := e.doDropletProps(dropletID, "fill-"+js, region, tags, age)
		props.VolumeIDs = []string{doUUID("f111f111", j)}
		if planted {
			props.Features = []string{"monitoring", "private_networking", "droplet_agent"}
			props.BackupIDs = []int{}
		}
		uid := "do:droplet:" + strconv.Itoa(dropletID)
		e.doAdd("do_droplet", uid, region, "fill-"+js, tags, age, props)
		if planted {
			e.plant(uid, "do-droplet-backups-enabled", "filler Droplet without backups")
		}
	case 1:
		tags := []string{"owner:" + owner, "environment:production"}
		if planted {
			tags = tags[:1]
		}
		id := doUUID("f111f111", j)
		uid := "do:volume:" + id
		e.doAdd("do_volume", uid, region, "fill-"+js+"-data", tags, age, doVolume{
			ID: id, Name: "fill-" + js + "-data", Region: doRegionOf(region), DropletIDs: []int{dropletID}, SizeGigabytes: 50,
			Description: "Data volume", CreatedAt: e.ago(age), FilesystemType: "ext4", FilesystemLabel: "data", Tags: tags,
		})
		e.edge("do:droplet:"+strconv.Itoa(dropletID), uid, "attached_volume")
		if planted {
			e.plant(uid, "org-required-tags", "filler volume without an environment tag")
		}
	default:
		name := "acme-fill-" + js
		uid := "do:space:" + region + ":" + name
		e.doAdd("do_spaces_bucket", uid, region, name, nil, age, e.doSpaceProps(name, region, age, planted, false, false))
		if planted {
			e.plant(uid, "do-spaces-bucket-not-public", "filler bucket with a public-read ACL")
			e.plant(uid, "org-no-public-exposure", "cloudward.yaml forbids public Spaces buckets")
		}
	}
}

type doVPCDoc struct {
	ID          string `json:"id"`
	URN         string `json:"urn"`
	Name        string `json:"name"`
	Description string `json:"description"`
	IPRange     string `json:"ip_range"`
	Region      string `json:"region"`
	CreatedAt   string `json:"created_at"`
	Default     bool   `json:"default"`
}

type doProject struct {
	ID          string   `json:"id"`
	Name        string   `json:"name"`
	Description string   `json:"description"`
	Purpose     string   `json:"purpose"`
	Environment string   `json:"environment"`
	IsDefault   bool     `json:"is_default"`
	OwnerUUID   string   `json:"owner_uuid"`
	CreatedAt   string   `json:"created_at"`
	UpdatedAt   string   `json:"updated_at"`
	Resources   []string `json:"resources"`
}

type doCertificate struct {
	ID              string   `json:"id"`
	Name            string   `json:"name"`
	DNSNames        []string `json:"dns_names"`
	NotAfter        string   `json:"not_after"`
	SHA1Fingerprint string   `json:"sha1_fingerprint"`
	CreatedAt       string   `json:"created_at"`
	State           string   `json:"state"`
	Type            string   `json:"type"`
}

type doRecord struct {
	ID       int    `json:"id"`
	Type     string `json:"type"`
	Name     string `json:"name"`
	Data     string `json:"data"`
	Priority int    `json:"priority"`
	Port     int    `json:"port"`
	TTL      int    `json:"ttl"`
	Weight   int    `json:"weight"`
	Flags    int    `json:"flags"`
}

type doDomain struct {
	Name    string     `json:"name"`
	TTL     int        `json:"ttl"`
	Records []doRecord `json:"records"`
}

type doAppEnv struct {
	Key             string `json:"key"`
	Scope           string `json:"scope"`
	Type            string `json:"type"`
	LooksLikeSecret bool   `json:"looks_like_secret"`
}

type doAppComponent struct {
	Kind string     `json:"kind"`
	Name string     `json:"name"`
	Envs []doAppEnv `json:"envs"`
}

type doApp struct {
	ID             string           `json:"id"`
	Name           string           `json:"name"`
	Region         string           `json:"region"`
	TierSlug       string           `json:"tier_slug"`
	LiveURL        string           `json:"live_url"`
	DefaultIngress string           `json:"default_ingress"`
	ProjectID      string           `json:"project_id"`
	CreatedAt      string           `json:"created_at"`
	UpdatedAt      string           `json:"updated_at"`
	Envs           []doAppEnv       `json:"envs"`
	Components     []doAppComponent `json:"components"`
}

type doRegistry struct {
	Name              string `json:"name"`
	Region            string `json:"region"`
	CreatedAt         string `json:"created_at"`
	StorageUsageBytes int    `json:"storage_usage_bytes"`
	SubscriptionTier  string `json:"subscription_tier"`
}

type doSpacesGrant struct {
	Bucket     string `json:"bucket"`
	Permission string `json:"permission"`
}

type doSpacesKey struct {
	Name      string          `json:"name"`
	AccessKey string          `json:"access_key"`
	Grants    []doSpacesGrant `json:"grants"`
	CreatedAt string          `json:"created_at"`
}

type doCDN struct {
	ID            string `json:"id"`
	Origin        string `json:"origin"`
	Endpoint      string `json:"endpoint"`
	CreatedAt     string `json:"created_at"`
	TTL           int    `json:"ttl"`
	CertificateID string `json:"certificate_id,omitempty"`
	CustomDomain  string `json:"custom_domain,omitempty"`
}

type doSnapshot struct {
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

// doBaseMore adds the team's VPCs, project, certificates, DNS, apps,
// registry, Spaces key, CDN endpoint and a snapshot.
func (e *estate) doBaseMore(dropletUID map[string]string) {
	for n, region := range doRegions {
		id := doVPC(region)
		e.doAdd("do_vpc", "do:vpc:"+id, region, "default-"+region, nil, days(1400-n), doVPCDoc{
			ID: id, URN: "do:vpc:" + id, Name: "default-" + region, IPRange: "10.110." + strconv.Itoa(16*n) + ".0/20",
			Region: region, CreatedAt: e.ago(days(1400 - n)), Default: true,
		})
	}
	project := doUUID("7e7e7e7e", 995)
	e.doAdd("do_project", "do:project:"+project, resource.GlobalRegion, "acme-production", nil, days(1300), doProject{
		ID: project, Name: "acme-production", Description: "Production workloads", Purpose: "Web Application",
		Environment: "Production", IsDefault: true, OwnerUUID: "f2c8a3b4-1d2e-4f5a-9b8c-7d6e5f4a3b2c",
		CreatedAt: e.ago(days(1300)), UpdatedAt: e.ago(days(30)),
		Resources: []string{dropletUID["web-01"], dropletUID["web-02"], dropletUID["api-01"]},
	})
	for _, name := range []string{"web-01", "web-02", "api-01"} {
		e.edge("do:project:"+project, dropletUID[name], "contains")
	}

	// Certificates: the web load balancer's, and a forgotten custom one.
	for _, c := range []struct {
		seed       int
		name, typ  string
		validUntil time.Duration
		names      []string
		plant      string
	}{
		{990, "acme-web", "lets_encrypt", days(70), []string{"acme.example", "www.acme.example", "assets.acme.example"}, ""},
		{991, "legacy-shop-cert", "custom", days(12), []string{"shop.acme.example"}, "custom certificate bought for three years, renewal never scheduled"},
	} {
		id := doUUID("ce7ce7ce", c.seed)
		uid := "do:certificate:" + id
		e.doAdd("do_certificate", uid, resource.GlobalRegion, c.name, nil, days(20), doCertificate{
			ID: id, Name: c.name, DNSNames: c.names, NotAfter: e.now.Add(c.validUntil).UTC().Format(time.RFC3339),
			SHA1Fingerprint: "dfcc9f57d86bf58e321c2c6c31c7a971be244a" + strconv.Itoa(c.seed), CreatedAt: e.ago(days(20)),
			State: "verified", Type: c.typ,
		})
		if c.plant != "" {
			e.plant(uid, "do-certificate-not-expiring", c.plant)
		} else {
			e.edge("do:loadbalancer:"+doUUID("1b2c3d4e", 980), uid, "uses_certificate")
		}
	}

	// DNS: acme.example points at the web load balancer and the reserved
	// IP; acme-legacy.example still points at a released Droplet address.
	for n, d := range []struct {
		name    string
		records []doRecord
		plant   string
	}{
		{"acme.example", []doRecord{
			{Type: "NS", Name: "@", Data: "ns1.digitalocean.com"},
			{Type: "A", Name: "@", Data: "138.197.40.20"},
			{Type: "A", Name: "www", Data: "174.138.110.10"},
			{Type: "CNAME", Name: "shop", Data: "acme-shop.ondigitalocean.app."},
			{Type: "MX", Name: "@", Data: "mx.acme.example.", Priority: 10},
		}, ""},
		{"acme-legacy.example", []doRecord{
			{Type: "NS", Name: "@", Data: "ns1.digitalocean.com"},
			{Type: "A", Name: "@", Data: "138.197.40.20"},
			{Type: "A", Name: "old-api", Data: "159.203.99.99"},
		}, "old-api still points at the address of a Droplet deleted last year"},
	} {
		for i := range d.records {
			d.records[i].ID = 28448400 + 10*n + i
			d.records[i].TTL = 1800
		}
		uid := "do:domain:" + d.name
		e.doAdd("do_domain", uid, resource.GlobalRegion, d.name, nil, days(900), doDomain{Name: d.name, TTL: 1800, Records: d.records})
		if d.plant != "" {
			e.plant(uid, "do-dns-record-not-dangling", d.plant)
		}
	}

	// App Platform.
	for n, a := range []struct {
		name  string
		envs  []doAppEnv
		plant string
	}{
		{"acme-shop", []doAppEnv{
			{Key: "LOG_LEVEL", Scope: "RUN_AND_BUILD_TIME", Type: "GENERAL"},
			{Key: "STRIPE_SECRET_KEY", Scope: "RUN_TIME", Type: "SECRET"},
			{Key: "DATABASE_URL", Scope: "RUN_TIME", Type: "SECRET"},
		}, ""},
		{"legacy-admin", []doAppEnv{
			{Key: "NODE_ENV", Scope: "RUN_TIME", Type: "GENERAL"},
			{Key: "DATABASE_PASSWORD", Scope: "RUN_TIME", Type: "GENERAL", LooksLikeSecret: true},
		}, "database password pasted as a plain variable"},
	} {
		id := doUUID("a0a0a0a0", 970+n)
		uid := "do:app:" + id
		e.doAdd("do_app", uid, "fra1", a.name, nil, days(300-100*n), doApp{
			ID: id, Name: a.name, Region: "fra", TierSlug: "basic", LiveURL: "https://" + a.name + ".acme.example",
			DefaultIngress: "https://" + a.name + "-x7k2p.ondigitalocean.app", ProjectID: project,
			CreatedAt: e.ago(days(300 - 100*n)), UpdatedAt: e.ago(days(10)),
			Envs:       []doAppEnv{},
			Components: []doAppComponent{{Kind: "service", Name: "web", Envs: a.envs}},
		})
		if a.plant != "" {
			e.plant(uid, "do-app-env-secrets-encrypted", a.plant)
		}
	}

	e.doAdd("do_container_registry", "do:registry:acme", "fra1", "acme", nil, days(800), doRegistry{
		Name: "acme", Region: "fra1", CreatedAt: e.ago(days(800)), StorageUsageBytes: 734003200, SubscriptionTier: "basic",
	})
	e.doAdd("do_spaces_key", "do:spaces_key:DO00ACME0CI0UPLOADS1", resource.GlobalRegion, "ci-uploads", nil, days(200), doSpacesKey{
		Name: "ci-uploads", AccessKey: "DO00ACME0CI0UPLOADS1", Grants: []doSpacesGrant{{Bucket: "acme-app-uploads", Permission: "readwrite"}},
		CreatedAt: e.ago(days(200)),
	})
	e.doAdd("do_spaces_key", "do:spaces_key:DO00ACME0LEGACY0ALL1", resource.GlobalRegion, "legacy-all", nil, days(1100), doSpacesKey{
		Name: "legacy-all", AccessKey: "DO00ACME0LEGACY0ALL1", Grants: []doSpacesGrant{{Bucket: "", Permission: "fullaccess"}},
		CreatedAt: e.ago(days(1100)),
	})
	e.plant("do:spaces_key:DO00ACME0LEGACY0ALL1", "do-spaces-key-not-full-access", "old deploy key with full access to every bucket, still in a CI secret")

	// CDN: the default endpoint of the assets bucket, the assets on a
	// custom domain with the web certificate, and the shop's images on the
	// custom certificate about to expire.
	for _, c := range []struct {
		seed           int
		bucket, domain string
		cert           int
		plant          string
	}{
		{960, "acme-assets", "", 0, ""},
		{961, "acme-assets", "assets.acme.example", 990, ""},
		{962, "acme-public-downloads", "shop-images.acme.example", 991, "custom domain served with the shop certificate that expires in 12 days"},
	} {
		id := doUUID("cd0cd0cd", c.seed)
		uid := "do:cdn:" + id
		props := doCDN{
			ID: id, Origin: c.bucket + ".nyc3.digitaloceanspaces.com", Endpoint: c.bucket + ".nyc3.cdn.digitaloceanspaces.com",
			CreatedAt: e.ago(days(600 - c.seed + 960)), TTL: 3600, CustomDomain: c.domain,
		}
		if c.cert != 0 {
			props.CertificateID = doUUID("ce7ce7ce", c.cert)
		}
		name := props.Endpoint
		if c.domain != "" {
			name = c.domain
		}
		e.doAdd("do_cdn_endpoint", uid, resource.GlobalRegion, name, nil, days(600-c.seed+960), props)
		if c.cert != 0 {
			e.edge(uid, "do:certificate:"+props.CertificateID, "uses_certificate")
		}
		if c.plant != "" {
			e.plant(uid, "do-cdn-custom-domain-certificate", c.plant)
		}
	}
	e.doAdd("do_snapshot", "do:snapshot:161000001", resource.GlobalRegion, "db-proxy-old before upgrade", []string{"owner:data-team", "environment:production"}, days(400), doSnapshot{
		ID: "161000001", Name: "db-proxy-old before upgrade", ResourceID: "316449108", ResourceType: "droplet",
		Regions: []string{"ams3"}, MinDiskSize: 25, SizeGigabytes: 4.21, CreatedAt: e.ago(days(400)), Tags: []string{"owner:data-team", "environment:production"},
	})
	e.edge("do:snapshot:161000001", dropletUID["db-proxy-old"], "snapshot_of")
}
