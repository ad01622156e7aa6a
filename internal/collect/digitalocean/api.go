package digitalocean

import (
	"context"

	"github.com/digitalocean/godo"
)

// The collector sees godo through these narrow interfaces, which list only
// the read (List*/Get*) operations it calls: it cannot create, change or
// delete anything. TestClientInterfacesAreReadOnly proves it.

type accountAPI interface {
	Get(ctx context.Context) (*godo.Account, *godo.Response, error)
}

type keysAPI interface {
	List(ctx context.Context, opt *godo.ListOptions) ([]godo.Key, *godo.Response, error)
}

type projectsAPI interface {
	List(ctx context.Context, opt *godo.ListOptions) ([]godo.Project, *godo.Response, error)
	ListResources(ctx context.Context, projectID string, opt *godo.ListOptions) ([]godo.ProjectResource, *godo.Response, error)
}

type dropletsAPI interface {
	List(ctx context.Context, opt *godo.ListOptions) ([]godo.Droplet, *godo.Response, error)
	// ListByTag is GET /v2/droplets?tag_name=T: a job that resolves a
	// tag selector on its own lists only the Droplets it needs.
	ListByTag(ctx context.Context, tag string, opt *godo.ListOptions) ([]godo.Droplet, *godo.Response, error)
}

type firewallsAPI interface {
	List(ctx context.Context, opt *godo.ListOptions) ([]godo.Firewall, *godo.Response, error)
}

type storageAPI interface {
	ListVolumes(ctx context.Context, params *godo.ListVolumeParams) ([]godo.Volume, *godo.Response, error)
}

type snapshotsAPI interface {
	List(ctx context.Context, opt *godo.ListOptions) ([]godo.Snapshot, *godo.Response, error)
}

type vpcsAPI interface {
	List(ctx context.Context, opt *godo.ListOptions) ([]*godo.VPC, *godo.Response, error)
}

type loadBalancersAPI interface {
	List(ctx context.Context, opt *godo.ListOptions) ([]godo.LoadBalancer, *godo.Response, error)
}

type databasesAPI interface {
	List(ctx context.Context, opt *godo.ListOptions) ([]godo.Database, *godo.Response, error)
	GetFirewallRules(ctx context.Context, databaseID string) ([]godo.DatabaseFirewallRule, *godo.Response, error)
	ListOptions(ctx context.Context) (*godo.DatabaseOptions, *godo.Response, error)
}

type kubernetesAPI interface {
	List(ctx context.Context, opt *godo.ListOptions) ([]*godo.KubernetesCluster, *godo.Response, error)
	GetOptions(ctx context.Context) (*godo.KubernetesOptions, *godo.Response, error)
}

type registryAPI interface {
	Get(ctx context.Context) (*godo.Registry, *godo.Response, error)
	GetSubscription(ctx context.Context) (*godo.RegistrySubscription, *godo.Response, error)
}

type appsAPI interface {
	List(ctx context.Context, opt *godo.ListOptions) ([]*godo.App, *godo.Response, error)
}

type spacesKeysAPI interface {
	List(ctx context.Context, opt *godo.ListOptions) ([]*godo.SpacesKey, *godo.Response, error)
}

type cdnAPI interface {
	List(ctx context.Context, opt *godo.ListOptions) ([]godo.CDN, *godo.Response, error)
}

type certificatesAPI interface {
	List(ctx context.Context, opt *godo.ListOptions) ([]godo.Certificate, *godo.Response, error)
}

// domainsAPI's Records is GET /v2/domains/{name}/records (godo names the
// list call without a List prefix).
type domainsAPI interface {
	List(ctx context.Context, opt *godo.ListOptions) ([]godo.Domain, *godo.Response, error)
	Records(ctx context.Context, domain string, opt *godo.ListOptions) ([]godo.DomainRecord, *godo.Response, error)
}

type reservedIPsAPI interface {
	List(ctx context.Context, opt *godo.ListOptions) ([]godo.ReservedIP, *godo.Response, error)
}

type functionsAPI interface {
	ListNamespaces(ctx context.Context) ([]godo.FunctionsNamespace, *godo.Response, error)
}

// api is every godo service the collector uses.
type api struct {
	account       accountAPI
	keys          keysAPI
	projects      projectsAPI
	droplets      dropletsAPI
	firewalls     firewallsAPI
	storage       storageAPI
	snapshots     snapshotsAPI
	vpcs          vpcsAPI
	loadBalancers loadBalancersAPI
	databases     databasesAPI
	kubernetes    kubernetesAPI
	registry      registryAPI
	apps          appsAPI
	spacesKeys    spacesKeysAPI
	cdn           cdnAPI
	certificates  certificatesAPI
	domains       domainsAPI
	reservedIPs   reservedIPsAPI
	functions     functionsAPI
}

func newAPI(c *godo.Client) api {
	return api{
		account: c.Account, keys: c.Keys, projects: c.Projects, droplets: c.Droplets,
		firewalls: c.Firewalls, storage: c.Storage, snapshots: c.Snapshots, vpcs: c.VPCs,
		loadBalancers: c.LoadBalancers, databases: c.Databases, kubernetes: c.Kubernetes,
		registry: c.Registry, apps: c.Apps, spacesKeys: c.SpacesKeys, cdn: c.CDNs,
		certificates: c.Certificates, domains: c.Domains, reservedIPs: c.ReservedIPs,
		functions: c.Functions,
	}
}
