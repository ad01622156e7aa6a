package server

import (
	"net/http"

	"github.com/prometheus/client_golang/prometheus"
	"github.com/prometheus/client_golang/prometheus/collectors"
	"github.com/prometheus/client_golang/prometheus/promhttp"
)

// metrics are the server's Prometheus metrics, in a registry of its own
// (no global state).
type metrics struct {
	reg              *prometheus.Registry
	findings         *prometheus.GaugeVec
	frameworkScore   *prometheus.GaugeVec
	latestSnapshot   prometheus.Gauge
	scanDuration     *prometheus.HistogramVec
	scans            *prometheus.CounterVec
	scanResources    *prometheus.GaugeVec
	collectionErrors *prometheus.GaugeVec
	apiRequests      *prometheus.CounterVec
	apiThrottled     prometheus.Counter
	notifications    *prometheus.CounterVec
}

func newMetrics() *metrics {
	m := &metrics{
		reg: prometheus.NewRegistry(),
		findings: prometheus.NewGaugeVec(prometheus.GaugeOpts{
			Name: "cloudward_findings", Help: "Findings of the latest snapshot by severity, status and provider.",
		}, []string{"severity", "status", "provider"}),
		frameworkScore: prometheus.NewGaugeVec(prometheus.GaugeOpts{
			Name: "cloudward_framework_score_percent", Help: "Passed / (passed + failed) requirements of each framework in the latest snapshot.",
		}, []string{"framework"}),
		latestSnapshot: prometheus.NewGauge(prometheus.GaugeOpts{
			Name: "cloudward_latest_snapshot_id", Help: "ID of the snapshot the finding and score metrics describe.",
		}),
		scanDuration: prometheus.NewHistogramVec(prometheus.HistogramOpts{
			Name: "cloudward_scan_duration_seconds", Help: "Duration of scans per scope.",
			Buckets: prometheus.ExponentialBuckets(1, 2, 14),
		}, []string{"scope"}),
		scans: prometheus.NewCounterVec(prometheus.CounterOpts{
			Name: "cloudward_scans_total", Help: "Scans run per scope and result (ok, failed).",
		}, []string{"scope", "result"}),
		scanResources: prometheus.NewGaugeVec(prometheus.GaugeOpts{
			Name: "cloudward_scan_resources", Help: "Resources collected by the last successful scan of each scope.",
		}, []string{"scope"}),
		collectionErrors: prometheus.NewGaugeVec(prometheus.GaugeOpts{
			Name: "cloudward_collection_errors", Help: "Collection errors of the last successful scan of each scope.",
		}, []string{"scope"}),
		apiRequests: prometheus.NewCounterVec(prometheus.CounterOpts{
			Name: "cloudward_api_requests_total", Help: "HTTP requests by route and status code.",
		}, []string{"route", "code"}),
		apiThrottled: prometheus.NewCounter(prometheus.CounterOpts{
			Name: "cloudward_api_throttled_total", Help: "Requests refused because their client failed to authenticate too often.",
		}),
		notifications: prometheus.NewCounterVec(prometheus.CounterOpts{
			Name: "cloudward_notifications_total", Help: "Notifications sent by target and result (ok, failed).",
		}, []string{"target", "result"}),
	}
	m.reg.MustRegister(m.findings, m.frameworkScore, m.latestSnapshot, m.scanDuration, m.scans, m.scanResources,
		m.collectionErrors, m.apiRequests, m.apiThrottled, m.notifications,
		collectors.NewGoCollector(), collectors.NewProcessCollector(collectors.ProcessCollectorOpts{}))
	return m
}

func (m *metrics) handler() http.Handler {
	return promhttp.HandlerFor(m.reg, promhttp.HandlerOpts{})
}
