package gcp

import (
	"context"
	"strings"

	monitoring "google.golang.org/api/monitoring/v3"
)

// alertPolicies collects the project's Cloud Monitoring alert policies
// (projects.alertPolicies.list) and links each to the log-based metrics its
// conditions watch.
func (s *scope) alertPolicies(ctx context.Context) error {
	schema := s.r.c.kinds["gcp_monitoring_alert_policy"].Schema
	var all []*monitoring.AlertPolicy
	err := s.call(ctx, func() error {
		return s.r.c.mon.Projects.AlertPolicies.List("projects/"+s.id).Context(ctx).Pages(ctx, func(l *monitoring.ListAlertPoliciesResponse) error {
			all = append(all, l.AlertPolicies...)
			return nil
		})
	})
	if err != nil {
		return s.fail(ctx, "", "monitoring", "monitoring.alertPolicies.list", err)
	}
	for _, p := range all {
		doc, err := shape(p, schema, alertOptional)
		if err != nil {
			return err
		}
		var created string
		if p.CreationRecord != nil {
			created = p.CreationRecord.MutateTime
		}
		uid := "//monitoring.googleapis.com/" + p.Name
		if err := s.r.emit(ctx, "gcp_monitoring_alert_policy", uid, s.id, "", p.DisplayName, p.UserLabels, created, doc); err != nil {
			return err
		}
		for _, c := range p.Conditions {
			for _, m := range logMetricsIn(conditionText(c)) {
				s.r.edge(uid, "//logging.googleapis.com/projects/"+s.id+"/metrics/"+m, "watches")
			}
		}
	}
	return nil
}

// alertOptional are the condition variants: each condition holds one.
var alertOptional = paths("conditions.condition_threshold", "conditions.condition_absent",
	"conditions.condition_matched_log", "conditions.condition_monitoring_query_language",
	"conditions.condition_prometheus_query_language", "documentation", "creation_record", "mutation_record")

// conditionText is the filter or query of a condition.
func conditionText(c *monitoring.Condition) string {
	switch {
	case c.ConditionThreshold != nil:
		return c.ConditionThreshold.Filter
	case c.ConditionAbsent != nil:
		return c.ConditionAbsent.Filter
	case c.ConditionMonitoringQueryLanguage != nil:
		return c.ConditionMonitoringQueryLanguage.Query
	case c.ConditionPrometheusQueryLanguage != nil:
		return c.ConditionPrometheusQueryLanguage.Query
	}
	return ""
}

// logMetricsIn returns the names of the user log-based metrics a filter or
// query names (logging.googleapis.com/user/NAME, or logging_googleapis_com:user_NAME in PromQL).
func logMetricsIn(text string) []string {
	var out []string
	for _, prefix := range []string{"logging.googleapis.com/user/", "logging_googleapis_com:user_"} {
		rest := text
		for {
			i := strings.Index(rest, prefix)
			if i < 0 {
				break
			}
			rest = rest[i+len(prefix):]
			end := strings.IndexFunc(rest, func(r rune) bool {
				return !(r == '_' || r == '-' || r == '.' || r == '/' || r >= '0' && r <= '9' || r >= 'a' && r <= 'z' || r >= 'A' && r <= 'Z')
			})
			if end < 0 {
				end = len(rest)
			}
			if end > 0 {
				out = append(out, rest[:end])
			}
		}
	}
	return out
}
