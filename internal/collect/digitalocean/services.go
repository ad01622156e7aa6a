package digitalocean

import (
	"context"
	"math"
	"regexp"
	"strings"

	"github.com/digitalocean/godo"
)

type registryDoc struct {
	Name                       string `json:"name"`
	Region                     string `json:"region"`
	CreatedAt                  string `json:"created_at"`
	StorageUsageBytes          uint64 `json:"storage_usage_bytes"`
	StorageUsageBytesUpdatedAt string `json:"storage_usage_bytes_updated_at,omitempty"`
	SubscriptionTier           string `json:"subscription_tier,omitempty"`
}

func collectRegistry(ctx context.Context, r *run) error {
	reg, _, err := r.c.api.registry.Get(ctx)
	if err != nil {
		if isNotFound(err) {
			return nil // the team has no container registry
		}
		return r.fail(ctx, "registry", "", "GET /v2/registry", err)
	}
	doc := registryDoc{Name: reg.Name, Region: reg.Region, CreatedAt: ts(reg.CreatedAt), StorageUsageBytes: reg.StorageUsageBytes,
		StorageUsageBytesUpdatedAt: ts(reg.StorageUsageBytesUpdatedAt)}
	sub, _, err := r.c.api.registry.GetSubscription(ctx)
	if err != nil {
		if err := r.fail(ctx, "registry", reg.Region, "GET /v2/registry/subscription", err); err != nil {
			return err
		}
	} else if sub.Tier != nil {
		doc.SubscriptionTier = sub.Tier.Slug
	}
	return r.emit(ctx, "do_container_registry", "do:registry:"+reg.Name, reg.Region, reg.Name, nil, doc.CreatedAt, doc)
}

type appEnvDoc struct {
	Key             string `json:"key"`
	Scope           string `json:"scope"`
	Type            string `json:"type"`
	LooksLikeSecret bool   `json:"looks_like_secret"`
}

type appComponentDoc struct {
	Kind string      `json:"kind"`
	Name string      `json:"name"`
	Envs []appEnvDoc `json:"envs"`
}

type appDoc struct {
	ID             string            `json:"id"`
	Name           string            `json:"name"`
	Region         string            `json:"region"`
	TierSlug       string            `json:"tier_slug"`
	LiveURL        string            `json:"live_url"`
	DefaultIngress string            `json:"default_ingress"`
	ProjectID      string            `json:"project_id"`
	CreatedAt      string            `json:"created_at"`
	UpdatedAt      string            `json:"updated_at"`
	Envs           []appEnvDoc       `json:"envs"`
	Components     []appComponentDoc `json:"components"`
}

// secretKey matches environment variable names that usually hold secrets.
var secretKey = regexp.MustCompile(`(?i)(secret|passw|pwd|token|api_?key|private_?key|credential|access_?key|auth|dsn|conn(ection)?_?str|signing|salt)`)

// secretValue matches values shaped like credentials: provider key formats,
// PEM blocks, URLs with a password.
var secretValue = regexp.MustCompile(`(AKIA[0-9A-Z]{16}|-----BEGIN [A-Z ]*PRIVATE KEY|dop_v1_[0-9a-f]{20,}|gh[pousr]_[A-Za-z0-9]{20,}|xox[abpr]-|sk_live_|://[^/\s:@]+:[^/\s@]+@)`)

// looksLikeSecret decides, from a variable's name and value, whether it
// probably holds a secret. The value itself is never stored.
func looksLikeSecret(key, value string) bool {
	if value == "" {
		return false
	}
	if secretValue.MatchString(value) {
		return true
	}
	if secretKey.MatchString(key) {
		return true
	}
	return len(value) >= 32 && !strings.ContainsAny(value, " /") && entropy(value) > 4.0
}

// entropy is the Shannon entropy of s in bits per byte.
func entropy(s string) float64 {
	var counts [256]int
	for i := 0; i < len(s); i++ {
		counts[s[i]]++
	}
	var h float64
	for _, c := range counts {
		if c > 0 {
			p := float64(c) / float64(len(s))
			h -= p * math.Log2(p)
		}
	}
	return h
}

// redactEnvs keeps each variable's name, scope and type and whether its
// value looks like a secret; values are dropped. Values of SECRET variables
// come back encrypted from the API and are never inspected.
func redactEnvs(envs []*godo.AppVariableDefinition) []appEnvDoc {
	out := []appEnvDoc{}
	for _, e := range envs {
		if e == nil {
			continue
		}
		typ := string(e.Type)
		if typ == "" {
			typ = string(godo.AppVariableType_General)
		}
		d := appEnvDoc{Key: e.Key, Scope: string(e.Scope), Type: typ}
		if e.Type != godo.AppVariableType_Secret {
			d.LooksLikeSecret = looksLikeSecret(e.Key, e.Value)
		}
		out = append(out, d)
	}
	return out
}

func collectApps(ctx context.Context, r *run) error {
	apps, err := paginate(ctx, r.c.api.apps.List)
	if err != nil {
		return r.fail(ctx, "apps", "", "GET /v2/apps", err)
	}
	for _, a := range apps {
		doc := appDoc{ID: a.ID, TierSlug: a.TierSlug, LiveURL: a.LiveURL, DefaultIngress: a.DefaultIngress,
			ProjectID: a.ProjectID, CreatedAt: ts(a.CreatedAt), UpdatedAt: ts(a.UpdatedAt),
			Envs: []appEnvDoc{}, Components: []appComponentDoc{}}
		// The app's region slug (fra) goes in the properties; the resource's
		// region is its data center (fra1), comparable with other kinds.
		region := ""
		if a.Region != nil {
			doc.Region = a.Region.Slug
			if len(a.Region.DataCenters) > 0 {
				region = a.Region.DataCenters[0]
			}
		}
		if s := a.Spec; s != nil {
			doc.Name = s.Name
			if doc.Region == "" {
				doc.Region = s.Region
			}
			doc.Envs = redactEnvs(s.Envs)
			add := func(kind, name string, envs []*godo.AppVariableDefinition) {
				doc.Components = append(doc.Components, appComponentDoc{Kind: kind, Name: name, Envs: redactEnvs(envs)})
			}
			for _, c := range s.Services {
				add("service", c.Name, c.Envs)
			}
			for _, c := range s.Workers {
				add("worker", c.Name, c.Envs)
			}
			for _, c := range s.Jobs {
				add("job", c.Name, c.Envs)
			}
			for _, c := range s.StaticSites {
				add("static_site", c.Name, c.Envs)
			}
			for _, c := range s.Functions {
				add("functions", c.Name, c.Envs)
			}
		}
		if region == "" {
			region = doc.Region
		}
		if err := r.emit(ctx, "do_app", "do:app:"+a.ID, region, doc.Name, nil, doc.CreatedAt, doc); err != nil {
			return err
		}
	}
	return nil
}

type spacesGrantDoc struct {
	Bucket     string `json:"bucket"`
	Permission string `json:"permission"`
}

type spacesKeyDoc struct {
	Name      string           `json:"name"`
	AccessKey string           `json:"access_key"`
	Grants    []spacesGrantDoc `json:"grants"`
	CreatedAt string           `json:"created_at"`
}

func collectSpacesKeys(ctx context.Context, r *run) error {
	keys, err := paginate(ctx, r.c.api.spacesKeys.List)
	if err != nil {
		return r.fail(ctx, "spaces_keys", "", "GET /v2/spaces/keys", err)
	}
	for _, k := range keys {
		if k == nil {
			continue
		}
		// The secret key is never copied.
		doc := spacesKeyDoc{Name: k.Name, AccessKey: k.AccessKey, Grants: []spacesGrantDoc{}, CreatedAt: k.CreatedAt}
		for _, g := range k.Grants {
			if g != nil {
				doc.Grants = append(doc.Grants, spacesGrantDoc{Bucket: g.Bucket, Permission: string(g.Permission)})
			}
		}
		if err := r.emit(ctx, "do_spaces_key", "do:spaces_key:"+k.AccessKey, "", k.Name, nil, k.CreatedAt, doc); err != nil {
			return err
		}
	}
	return nil
}

type cdnDoc struct {
	ID            string `json:"id"`
	Origin        string `json:"origin"`
	Endpoint      string `json:"endpoint"`
	CreatedAt     string `json:"created_at"`
	TTL           uint32 `json:"ttl"`
	CertificateID string `json:"certificate_id,omitempty"`
	CustomDomain  string `json:"custom_domain,omitempty"`
}

func collectCDN(ctx context.Context, r *run) error {
	cdns, err := paginate(ctx, r.c.api.cdn.List)
	if err != nil {
		return r.fail(ctx, "cdn", "", "GET /v2/cdn/endpoints", err)
	}
	for _, c := range cdns {
		doc := cdnDoc{ID: c.ID, Origin: c.Origin, Endpoint: c.Endpoint, CreatedAt: ts(c.CreatedAt), TTL: c.TTL,
			CertificateID: c.CertificateID, CustomDomain: c.CustomDomain}
		uid := "do:cdn:" + c.ID
		if err := r.emit(ctx, "do_cdn_endpoint", uid, "", c.Endpoint, nil, doc.CreatedAt, doc); err != nil {
			return err
		}
		if c.CertificateID != "" {
			if err := r.edge(ctx, uid, "do:certificate:"+c.CertificateID, "uses_certificate"); err != nil {
				return err
			}
		}
	}
	return nil
}

type certificateDoc struct {
	ID              string   `json:"id"`
	Name            string   `json:"name"`
	DNSNames        []string `json:"dns_names"`
	NotAfter        string   `json:"not_after"`
	SHA1Fingerprint string   `json:"sha1_fingerprint"`
	CreatedAt       string   `json:"created_at"`
	State           string   `json:"state"`
	Type            string   `json:"type"`
}

func collectCertificates(ctx context.Context, r *run) error {
	certs, err := paginate(ctx, r.c.api.certificates.List)
	if err != nil {
		return r.fail(ctx, "certificates", "", "GET /v2/certificates", err)
	}
	for _, c := range certs {
		doc := certificateDoc{ID: c.ID, Name: c.Name, DNSNames: nonNil(c.DNSNames), NotAfter: c.NotAfter,
			SHA1Fingerprint: c.SHA1Fingerprint, CreatedAt: c.Created, State: c.State, Type: c.Type}
		if err := r.emit(ctx, "do_certificate", "do:certificate:"+c.ID, "", c.Name, nil, c.Created, doc); err != nil {
			return err
		}
	}
	return nil
}

type domainRecordDoc struct {
	ID       int    `json:"id"`
	Type     string `json:"type"`
	Name     string `json:"name"`
	Data     string `json:"data"`
	Priority int    `json:"priority"`
	Port     int    `json:"port"`
	TTL      int    `json:"ttl"`
	Weight   int    `json:"weight"`
	Flags    int    `json:"flags"`
	Tag      string `json:"tag,omitempty"`
}

type domainDoc struct {
	Name    string            `json:"name"`
	TTL     int               `json:"ttl"`
	Records []domainRecordDoc `json:"records,omitempty"`
}

func collectDomains(ctx context.Context, r *run) error {
	domains, err := paginate(ctx, r.c.api.domains.List)
	if err != nil {
		return r.fail(ctx, "domains", "", "GET /v2/domains", err)
	}
	for _, d := range domains {
		doc := domainDoc{Name: d.Name, TTL: d.TTL}
		recs, err := paginate(ctx, func(ctx context.Context, opt *godo.ListOptions) ([]godo.DomainRecord, *godo.Response, error) {
			return r.c.api.domains.Records(ctx, d.Name, opt)
		})
		if err != nil {
			// records stays absent: record checks report ERROR.
			if err := r.fail(ctx, "domains", "", "GET /v2/domains/"+d.Name+"/records", err); err != nil {
				return err
			}
		} else {
			doc.Records = []domainRecordDoc{}
			for _, rec := range recs {
				doc.Records = append(doc.Records, domainRecordDoc{ID: rec.ID, Type: rec.Type, Name: rec.Name, Data: rec.Data,
					Priority: rec.Priority, Port: rec.Port, TTL: rec.TTL, Weight: rec.Weight, Flags: rec.Flags, Tag: rec.Tag})
			}
		}
		if err := r.emit(ctx, "do_domain", "do:domain:"+d.Name, "", d.Name, nil, "", doc); err != nil {
			return err
		}
	}
	return nil
}

type functionsNamespaceDoc struct {
	UUID      string `json:"uuid"`
	Namespace string `json:"namespace"`
	Label     string `json:"label"`
	Region    string `json:"region"`
	APIHost   string `json:"api_host"`
	CreatedAt string `json:"created_at"`
	UpdatedAt string `json:"updated_at"`
}

func collectFunctions(ctx context.Context, r *run) error {
	nss, _, err := r.c.api.functions.ListNamespaces(ctx)
	if err != nil {
		return r.fail(ctx, "functions", "", "GET /v2/functions/namespaces", err)
	}
	for _, ns := range nss {
		// The namespace key is never copied.
		doc := functionsNamespaceDoc{UUID: ns.UUID, Namespace: ns.Namespace, Label: ns.Label, Region: ns.Region,
			APIHost: ns.ApiHost, CreatedAt: ts(ns.CreatedAt), UpdatedAt: ts(ns.UpdatedAt)}
		if err := r.emit(ctx, "do_functions_namespace", "do:functions_namespace:"+ns.Namespace, ns.Region, ns.Label, nil, doc.CreatedAt, doc); err != nil {
			return err
		}
	}
	return nil
}
