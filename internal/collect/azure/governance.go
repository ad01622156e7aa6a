package azure

import (
	"context"
	"strings"

	"cloudward/internal/resource"
)

const apiLocks = "2020-05-01"

// lockSet holds a subscription's management locks, or nil when they could
// not be listed (then no resource gets a locks field and lock checks ERROR).
type lockSet struct {
	list []any
}

// subscriptionLocks lists every management lock in the subscription (one
// call: the list covers subscription, resource-group and resource locks).
func (r *run) subscriptionLocks(ctx context.Context, sub string) (*lockSet, error) {
	var list []any
	ok, err := r.try(ctx, sub, resource.GlobalRegion, "authorization", "Microsoft.Authorization/locks/read", func() (err error) {
		list, err = r.c.api.list(ctx, "/subscriptions/"+sub+"/providers/Microsoft.Authorization/locks", apiLocks)
		return err
	})
	if !ok || err != nil {
		return nil, err
	}
	return &lockSet{list: list}, nil
}

// lockScope returns the scope a lock ID applies to.
func lockScope(id string) string {
	i := strings.Index(strings.ToLower(id), "/providers/microsoft.authorization/locks/")
	if i < 0 {
		return ""
	}
	return id[:i]
}

// covering returns the locks, shaped onto fs, whose scope is id or one of
// its parents (resource group, subscription).
func (l *lockSet) covering(id string, fs []resource.Field) []any {
	out := []any{}
	lid := strings.ToLower(id)
	for _, el := range l.list {
		m, _ := el.(map[string]any)
		scope := strings.ToLower(lockScope(str(m["id"])))
		if scope == "" {
			continue
		}
		if lid == scope || strings.HasPrefix(lid, scope+"/") {
			if p := project(m, fs); p != nil {
				out = append(out, p)
			}
		}
	}
	return out
}
