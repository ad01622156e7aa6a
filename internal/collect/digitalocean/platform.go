package digitalocean

import (
	"context"
	"slices"
	"strings"

	"github.com/digitalocean/godo"
)

type forwardingRuleDoc struct {
	EntryProtocol  string `json:"entry_protocol"`
	EntryPort      int    `json:"entry_port"`
	TargetProtocol string `json:"target_protocol"`
	TargetPort     int    `json:"target_port"`
	CertificateID  string `json:"certificate_id,omitempty"`
	TLSPassthrough bool   `json:"tls_passthrough"`
}

type healthCheckDoc struct {
	Protocol string `json:"protocol"`
	Port     int    `json:"port"`
	Path     string `json:"path"`
}

type loadBalancerDoc struct {
	ID                  string              `json:"id"`
	Name                string              `json:"name"`
	IP                  string              `json:"ip"`
	Status              string              `json:"status"`
	CreatedAt           string              `json:"created_at"`
	SizeUnit            uint32              `json:"size_unit"`
	Algorithm           string              `json:"algorithm"`
	Region              regionDoc           `json:"region"`
	ForwardingRules     []forwardingRuleDoc `json:"forwarding_rules"`
	HealthCheck         healthCheckDoc      `json:"health_check"`
	RedirectHTTPToHTTPS bool                `json:"redirect_http_to_https"`
	EnableProxyProtocol bool                `json:"enable_proxy_protocol"`
	DropletIDs          []int               `json:"droplet_ids"`
	Tag                 string              `json:"tag"`
	VPCUUID             string              `json:"vpc_uuid"`
}

func collectLoadBalancers(ctx context.Context, r *run) error {
	lbs, err := paginate(ctx, r.c.api.loadBalancers.List)
	if err != nil {
		return r.fail(ctx, "load_balancers", "", "GET /v2/load_balancers", err)
	}
	var sel []tagEdge
	for _, lb := range lbs {
		reg, slug := regionOf(lb.Region)
		doc := loadBalancerDoc{
			ID: lb.ID, Name: lb.Name, IP: lb.IP, Status: lb.Status, CreatedAt: lb.Created, SizeUnit: lb.SizeUnit,
			Algorithm: lb.Algorithm, Region: reg, ForwardingRules: []forwardingRuleDoc{},
			RedirectHTTPToHTTPS: lb.RedirectHttpToHttps, EnableProxyProtocol: lb.EnableProxyProtocol,
			DropletIDs: nonNil(lb.DropletIDs), Tag: lb.Tag, VPCUUID: lb.VPCUUID,
		}
		for _, fr := range lb.ForwardingRules {
			doc.ForwardingRules = append(doc.ForwardingRules, forwardingRuleDoc{
				EntryProtocol: fr.EntryProtocol, EntryPort: fr.EntryPort, TargetProtocol: fr.TargetProtocol,
				TargetPort: fr.TargetPort, CertificateID: fr.CertificateID, TLSPassthrough: fr.TlsPassthrough,
			})
		}
		if lb.HealthCheck != nil {
			doc.HealthCheck = healthCheckDoc{Protocol: lb.HealthCheck.Protocol, Port: lb.HealthCheck.Port, Path: lb.HealthCheck.Path}
		}
		uid := "do:loadbalancer:" + lb.ID
		if err := r.emit(ctx, "do_loadbalancer", uid, slug, lb.Name, lb.Tags, lb.Created, doc); err != nil {
			return err
		}
		for _, id := range lb.DropletIDs {
			if err := r.edge(ctx, uid, dropletUID(id), "targets"); err != nil {
				return err
			}
		}
		if lb.Tag != "" {
			sel = append(sel, tagEdge{from: uid, tag: lb.Tag, typ: "targets"})
		}
		for _, fr := range lb.ForwardingRules {
			if fr.CertificateID != "" {
				if err := r.edge(ctx, uid, "do:certificate:"+fr.CertificateID, "uses_certificate"); err != nil {
					return err
				}
			}
		}
	}
	return r.resolveTags(ctx, "load_balancers", sel)
}

type dbConnDoc struct {
	Host     string `json:"host"`
	Port     int    `json:"port"`
	Database string `json:"database,omitempty"`
	User     string `json:"user,omitempty"`
	SSL      bool   `json:"ssl"`
}

// connOf copies a connection without its password and URI.
func connOf(c *godo.DatabaseConnection, withUser bool) *dbConnDoc {
	if c == nil {
		return nil
	}
	d := &dbConnDoc{Host: c.Host, Port: c.Port, SSL: c.SSL}
	if withUser {
		d.Database, d.User = c.Database, c.User
	}
	return d
}

type maintenanceDoc struct {
	Day     string `json:"day"`
	Hour    string `json:"hour"`
	Pending bool   `json:"pending"`
}

type dbRuleDoc struct {
	UUID        string `json:"uuid"`
	ClusterUUID string `json:"cluster_uuid"`
	Type        string `json:"type"`
	Value       string `json:"value"`
	CreatedAt   string `json:"created_at"`
}

type databaseDoc struct {
	ID                 string          `json:"id"`
	Name               string          `json:"name"`
	Engine             string          `json:"engine"`
	Version            string          `json:"version"`
	VersionSupported   *bool           `json:"version_supported,omitempty"`
	NumNodes           int             `json:"num_nodes"`
	Size               string          `json:"size"`
	Region             string          `json:"region"`
	Status             string          `json:"status"`
	CreatedAt          string          `json:"created_at"`
	PrivateNetworkUUID string          `json:"private_network_uuid"`
	Tags               []string        `json:"tags"`
	Connection         *dbConnDoc      `json:"connection,omitempty"`
	PrivateConnection  *dbConnDoc      `json:"private_connection,omitempty"`
	MaintenanceWindow  *maintenanceDoc `json:"maintenance_window,omitempty"`
	FirewallRules      []dbRuleDoc     `json:"firewall_rules,omitempty"`
}

// engineVersions returns the versions DigitalOcean offers for an engine.
func engineVersions(o *godo.DatabaseOptions, engine string) []string {
	if o == nil {
		return nil
	}
	switch engine {
	case "pg":
		return o.PostgresSQLOptions.Versions
	case "mysql":
		return o.MySQLOptions.Versions
	case "redis":
		return o.RedisOptions.Versions
	case "valkey":
		return o.ValkeyOptions.Versions
	case "mongodb":
		return o.MongoDBOptions.Versions
	case "kafka":
		return o.KafkaOptions.Versions
	case "opensearch":
		return o.OpensearchOptions.Versions
	}
	return nil
}

func collectDatabases(ctx context.Context, r *run) error {
	dbs, err := paginate(ctx, r.c.api.databases.List)
	if err != nil {
		return r.fail(ctx, "databases", "", "GET /v2/databases", err)
	}
	if len(dbs) == 0 {
		return nil
	}
	opts, _, err := r.c.api.databases.ListOptions(ctx)
	if err != nil {
		if err := r.fail(ctx, "databases", "", "GET /v2/databases/options", err); err != nil {
			return err
		}
		opts = nil
	}
	var sel []tagEdge
	for _, db := range dbs {
		doc := databaseDoc{
			ID: db.ID, Name: db.Name, Engine: db.EngineSlug, Version: db.VersionSlug, NumNodes: db.NumNodes,
			Size: db.SizeSlug, Region: db.RegionSlug, Status: db.Status, CreatedAt: ts(db.CreatedAt),
			PrivateNetworkUUID: db.PrivateNetworkUUID, Tags: nonNil(db.Tags),
			Connection: connOf(db.Connection, true), PrivateConnection: connOf(db.PrivateConnection, false),
		}
		if opts != nil {
			if vs := engineVersions(opts, db.EngineSlug); len(vs) > 0 {
				ok := slices.Contains(vs, db.VersionSlug)
				doc.VersionSupported = &ok
			}
		}
		if w := db.MaintenanceWindow; w != nil {
			doc.MaintenanceWindow = &maintenanceDoc{Day: w.Day, Hour: w.Hour, Pending: w.Pending}
		}
		uid := "do:dbaas:" + db.ID
		rules, _, err := r.c.api.databases.GetFirewallRules(ctx, db.ID)
		if err != nil {
			// Leave firewall_rules absent: checks on it then report ERROR,
			// not a false "no trusted sources".
			if err := r.fail(ctx, "databases", db.RegionSlug, "GET /v2/databases/"+db.ID+"/firewall", err); err != nil {
				return err
			}
		} else {
			doc.FirewallRules = []dbRuleDoc{}
			for _, fr := range rules {
				doc.FirewallRules = append(doc.FirewallRules, dbRuleDoc{
					UUID: fr.UUID, ClusterUUID: fr.ClusterUUID, Type: fr.Type, Value: fr.Value, CreatedAt: ts(fr.CreatedAt),
				})
			}
		}
		if err := r.emit(ctx, "do_database_cluster", uid, db.RegionSlug, db.Name, db.Tags, doc.CreatedAt, doc); err != nil {
			return err
		}
		for _, fr := range rules {
			to := ""
			switch fr.Type {
			case "droplet":
				to = "do:droplet:" + fr.Value
			case "k8s":
				to = "do:kubernetes:" + fr.Value
			case "app":
				to = "do:app:" + fr.Value
			case "tag":
				sel = append(sel, tagEdge{from: uid, tag: fr.Value, typ: "trusts"})
			}
			if to != "" {
				if err := r.edge(ctx, uid, to, "trusts"); err != nil {
					return err
				}
			}
		}
		if db.PrivateNetworkUUID != "" {
			if err := r.edge(ctx, uid, "do:vpc:"+db.PrivateNetworkUUID, "in_vpc"); err != nil {
				return err
			}
		}
	}
	return r.resolveTags(ctx, "databases", sel)
}

type nodePoolDoc struct {
	ID        string   `json:"id"`
	Name      string   `json:"name"`
	Size      string   `json:"size"`
	Count     int      `json:"count"`
	AutoScale bool     `json:"auto_scale"`
	MinNodes  int      `json:"min_nodes"`
	MaxNodes  int      `json:"max_nodes"`
	Tags      []string `json:"tags"`
}

type maintPolicyDoc struct {
	StartTime string `json:"start_time"`
	Duration  string `json:"duration"`
	Day       string `json:"day"`
}

type k8sStatusDoc struct {
	State   string `json:"state"`
	Message string `json:"message,omitempty"`
}

type kubernetesDoc struct {
	ID                string          `json:"id"`
	Name              string          `json:"name"`
	Region            string          `json:"region"`
	Version           string          `json:"version"`
	VersionSupported  *bool           `json:"version_supported,omitempty"`
	ClusterSubnet     string          `json:"cluster_subnet"`
	ServiceSubnet     string          `json:"service_subnet"`
	VPCUUID           string          `json:"vpc_uuid"`
	IPv4              string          `json:"ipv4"`
	Endpoint          string          `json:"endpoint"`
	Tags              []string        `json:"tags"`
	NodePools         []nodePoolDoc   `json:"node_pools"`
	MaintenancePolicy *maintPolicyDoc `json:"maintenance_policy,omitempty"`
	AutoUpgrade       bool            `json:"auto_upgrade"`
	SurgeUpgrade      bool            `json:"surge_upgrade"`
	HA                bool            `json:"ha"`
	RegistryEnabled   bool            `json:"registry_enabled"`
	Status            k8sStatusDoc    `json:"status"`
	CreatedAt         string          `json:"created_at"`
}

// k8sMinor returns the "1.31" part of a DOKS version slug ("1.31.1-do.4").
func k8sMinor(slug string) string {
	parts := strings.SplitN(slug, ".", 3)
	if len(parts) < 2 {
		return slug
	}
	return parts[0] + "." + parts[1]
}

func collectKubernetes(ctx context.Context, r *run) error {
	clusters, err := paginate(ctx, r.c.api.kubernetes.List)
	if err != nil {
		return r.fail(ctx, "kubernetes", "", "GET /v2/kubernetes/clusters", err)
	}
	if len(clusters) == 0 {
		return nil
	}
	var minors []string
	opts, _, err := r.c.api.kubernetes.GetOptions(ctx)
	if err != nil {
		if err := r.fail(ctx, "kubernetes", "", "GET /v2/kubernetes/options", err); err != nil {
			return err
		}
	} else {
		for _, v := range opts.Versions {
			minors = append(minors, k8sMinor(v.Slug))
		}
	}
	for _, c := range clusters {
		doc := kubernetesDoc{
			ID: c.ID, Name: c.Name, Region: c.RegionSlug, Version: c.VersionSlug, ClusterSubnet: c.ClusterSubnet,
			ServiceSubnet: c.ServiceSubnet, VPCUUID: c.VPCUUID, IPv4: c.IPv4, Endpoint: c.Endpoint, Tags: nonNil(c.Tags),
			NodePools: []nodePoolDoc{}, AutoUpgrade: c.AutoUpgrade, SurgeUpgrade: c.SurgeUpgrade, HA: c.HA,
			RegistryEnabled: c.RegistryEnabled, CreatedAt: ts(c.CreatedAt),
		}
		if len(minors) > 0 {
			ok := slices.Contains(minors, k8sMinor(c.VersionSlug))
			doc.VersionSupported = &ok
		}
		for _, p := range c.NodePools {
			doc.NodePools = append(doc.NodePools, nodePoolDoc{ID: p.ID, Name: p.Name, Size: p.Size, Count: p.Count,
				AutoScale: p.AutoScale, MinNodes: p.MinNodes, MaxNodes: p.MaxNodes, Tags: nonNil(p.Tags)})
		}
		if m := c.MaintenancePolicy; m != nil {
			doc.MaintenancePolicy = &maintPolicyDoc{StartTime: m.StartTime, Duration: m.Duration, Day: m.Day.String()}
		}
		if c.Status != nil {
			doc.Status = k8sStatusDoc{State: string(c.Status.State), Message: c.Status.Message}
		}
		uid := "do:kubernetes:" + c.ID
		if err := r.emit(ctx, "do_kubernetes_cluster", uid, c.RegionSlug, c.Name, c.Tags, doc.CreatedAt, doc); err != nil {
			return err
		}
		if c.VPCUUID != "" {
			if err := r.edge(ctx, uid, "do:vpc:"+c.VPCUUID, "in_vpc"); err != nil {
				return err
			}
		}
	}
	return nil
}
