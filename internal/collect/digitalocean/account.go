package digitalocean

import (
	"context"
	"strconv"

	"github.com/digitalocean/godo"

	"cloudward/internal/resource"
)

type regionDoc struct {
	Slug string `json:"slug"`
	Name string `json:"name"`
}

func regionOf(r *godo.Region) (regionDoc, string) {
	if r == nil {
		return regionDoc{}, ""
	}
	return regionDoc{Slug: r.Slug, Name: r.Name}, r.Slug
}

type teamDoc struct {
	UUID string `json:"uuid"`
	Name string `json:"name"`
}

type accountDoc struct {
	UUID            string  `json:"uuid"`
	Email           string  `json:"email"`
	EmailVerified   bool    `json:"email_verified"`
	Status          string  `json:"status"`
	StatusMessage   string  `json:"status_message"`
	DropletLimit    int     `json:"droplet_limit"`
	VolumeLimit     int     `json:"volume_limit"`
	FloatingIPLimit int     `json:"floating_ip_limit"`
	Team            teamDoc `json:"team"`
}

// collectAccount is the account job: the do_account resource of the team
// (from the account read at the start of the run) and its SSH keys.
func collectAccount(ctx context.Context, r *run) error {
	if err := r.emitAccount(ctx, r.acct); err != nil {
		return err
	}
	return collectSSHKeys(ctx, r)
}

// emitAccount emits the do_account resource for the team.
func (r *run) emitAccount(ctx context.Context, a *godo.Account) error {
	doc := accountDoc{
		UUID: a.UUID, Email: a.Email, EmailVerified: a.EmailVerified, Status: a.Status,
		StatusMessage: a.StatusMessage, DropletLimit: a.DropletLimit, VolumeLimit: a.VolumeLimit,
		FloatingIPLimit: a.FloatingIPLimit,
	}
	name := a.Email
	if a.Team != nil {
		doc.Team = teamDoc{UUID: a.Team.UUID, Name: a.Team.Name}
		if a.Team.Name != "" {
			name = a.Team.Name
		}
	}
	return r.emit(ctx, "do_account", "do:account:"+r.account, resource.GlobalRegion, name, nil, "", doc)
}

type sshKeyDoc struct {
	ID          int    `json:"id"`
	Name        string `json:"name"`
	Fingerprint string `json:"fingerprint"`
	PublicKey   string `json:"public_key"`
}

func collectSSHKeys(ctx context.Context, r *run) error {
	keys, err := paginate(ctx, r.c.api.keys.List)
	if err != nil {
		return r.fail(ctx, "account", "", "GET /v2/account/keys", err)
	}
	for _, k := range keys {
		doc := sshKeyDoc{ID: k.ID, Name: k.Name, Fingerprint: k.Fingerprint, PublicKey: k.PublicKey}
		if err := r.emit(ctx, "do_ssh_key", "do:ssh_key:"+strconv.Itoa(k.ID), "", k.Name, nil, "", doc); err != nil {
			return err
		}
	}
	return nil
}

type projectDoc struct {
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

func collectProjects(ctx context.Context, r *run) error {
	projects, err := paginate(ctx, r.c.api.projects.List)
	if err != nil {
		return r.fail(ctx, "projects", "", "GET /v2/projects", err)
	}
	for _, p := range projects {
		doc := projectDoc{
			ID: p.ID, Name: p.Name, Description: p.Description, Purpose: p.Purpose, Environment: p.Environment,
			IsDefault: p.IsDefault, OwnerUUID: p.OwnerUUID, CreatedAt: p.CreatedAt, UpdatedAt: p.UpdatedAt,
			Resources: []string{},
		}
		res, err := paginate(ctx, func(ctx context.Context, opt *godo.ListOptions) ([]godo.ProjectResource, *godo.Response, error) {
			return r.c.api.projects.ListResources(ctx, p.ID, opt)
		})
		if err != nil {
			if err := r.fail(ctx, "projects", "", "GET /v2/projects/"+p.ID+"/resources", err); err != nil {
				return err
			}
		}
		for _, pr := range res {
			doc.Resources = append(doc.Resources, pr.URN)
		}
		uid := "do:project:" + p.ID
		if err := r.emit(ctx, "do_project", uid, "", p.Name, nil, p.CreatedAt, doc); err != nil {
			return err
		}
		// Resource URNs (do:droplet:ID, do:volume:UUID, …) are the
		// collector's UIDs for most kinds.
		for _, urn := range doc.Resources {
			if err := r.edge(ctx, uid, urn, "contains"); err != nil {
				return err
			}
		}
	}
	return nil
}
