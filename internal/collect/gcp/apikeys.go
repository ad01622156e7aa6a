package gcp

import (
	"context"

	apikeys "google.golang.org/api/apikeys/v2"
	essentialcontacts "google.golang.org/api/essentialcontacts/v1"
	serviceusage "google.golang.org/api/serviceusage/v1"
)

// apiKeys collects the project's API keys (keys.list: metadata and
// restrictions; the key strings are never requested).
func (s *scope) apiKeys(ctx context.Context) error {
	schema := s.r.c.kinds["gcp_apikeys_key"].Schema
	var all []*apikeys.V2Key
	err := s.call(ctx, func() error {
		return s.r.c.keys.Projects.Locations.Keys.List("projects/"+s.id+"/locations/global").Context(ctx).Pages(ctx, func(l *apikeys.V2ListKeysResponse) error {
			all = append(all, l.Keys...)
			return nil
		})
	})
	if err != nil {
		return s.fail(ctx, "", "apikeys", "apikeys.keys.list", err)
	}
	for _, k := range all {
		doc, err := shape(k, schema, paths("restrictions.browser_key_restrictions", "restrictions.server_key_restrictions",
			"restrictions.android_key_restrictions", "restrictions.ios_key_restrictions", "service_account_email"))
		if err != nil {
			return err
		}
		name := k.DisplayName
		if name == "" {
			name = k.Uid
		}
		if err := s.r.emit(ctx, "gcp_apikeys_key", "//apikeys.googleapis.com/"+k.Name, s.id, "", name, nil, k.CreateTime, doc); err != nil {
			return err
		}
	}
	return nil
}

// contactCategories are the notification categories whose contacts the
// project resource records (contacts.compute includes those inherited
// from the folders and organization above the project).
var contactCategories = []string{"ALL", "SUSPENSION", "SECURITY", "TECHNICAL", "TECHNICAL_INCIDENTS", "LEGAL", "BILLING", "PRODUCT_UPDATES"}

// essentialContacts reads the project's effective Essential Contacts for
// the project resource.
func (s *scope) essentialContacts(ctx context.Context) error {
	schema := field(s.r.c.kinds["gcp_project"].Schema, "essential_contacts").Fields
	var out []any
	err := s.call(ctx, func() error {
		return s.r.c.contacts.Projects.Contacts.Compute("projects/"+s.number).NotificationCategories(contactCategories...).Context(ctx).Pages(ctx,
			func(l *essentialcontacts.GoogleCloudEssentialcontactsV1ComputeContactsResponse) error {
				for _, c := range l.Contacts {
					m, err := shape(c, schema, nil)
					if err != nil {
						return err
					}
					out = append(out, m)
				}
				return nil
			})
	})
	if err != nil {
		return s.fail(ctx, "", "essentialcontacts", "essentialcontacts.contacts.compute", err)
	}
	if out == nil {
		out = []any{}
	}
	s.mu.Lock()
	s.extra["essential_contacts"] = out
	s.mu.Unlock()
	return nil
}

// enabledServices reads the APIs enabled in the project for the project
// resource (services.list with state:ENABLED).
func (s *scope) enabledServices(ctx context.Context) error {
	out := []any{}
	err := s.call(ctx, func() error {
		return s.r.c.usage.Services.List("projects/"+s.number).Filter("state:ENABLED").PageSize(200).Context(ctx).Pages(ctx,
			func(l *serviceusage.ListServicesResponse) error {
				for _, svc := range l.Services {
					name := last(svc.Name)
					if svc.Config != nil && svc.Config.Name != "" {
						name = svc.Config.Name
					}
					out = append(out, name)
				}
				return nil
			})
	})
	if err != nil {
		return s.fail(ctx, "", "serviceusage", "serviceusage.services.list", err)
	}
	s.mu.Lock()
	s.extra["enabled_services"] = out
	s.mu.Unlock()
	return nil
}
