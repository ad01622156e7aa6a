package aws

import "context"

// setResourcePolicy stores a resource-based policy under key: the
// normalised document, or null when the resource has none (doc is ""). A
// document that does not parse is a collection error of op and leaves key
// out, so checks that read it ERROR instead of passing.
func setResourcePolicy(ctx context.Context, s *scope, p obj, key, op, doc string) error {
	if doc == "" {
		p[key] = nil
		return nil
	}
	parsed, err := parsePolicy(doc)
	if err != nil {
		return s.fail(ctx, op, err)
	}
	p[key] = parsed
	return nil
}
