package server

import (
	"context"
	"embed"
	"encoding/json"
	"errors"
	"io/fs"
	"net/http"
	"strconv"
	"time"

	"cloudward/internal/serverstate"
)

//go:embed web
var webFiles embed.FS

// maxBody bounds request bodies; the API takes small JSON documents only.
const maxBody = 64 << 10

// requestTimeout bounds one API request's work.
const requestTimeout = 30 * time.Second

// contentSecurityPolicy allows the dashboard's own scripts, styles and
// API calls only: no inline script or style, no framing, no other origin.
const contentSecurityPolicy = "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self' data:; " +
	"connect-src 'self'; base-uri 'none'; form-action 'self'; frame-ancestors 'none'"

func (s *Server) routes() http.Handler {
	mux := http.NewServeMux()
	read := func(h http.HandlerFunc) http.HandlerFunc { return s.requireAuth(serverstate.ScopeRead, h) }
	admin := func(h http.HandlerFunc) http.HandlerFunc { return s.requireAuth(serverstate.ScopeAdmin, h) }
	handle := func(pattern string, h http.HandlerFunc) {
		mux.Handle(pattern, s.count(pattern, h))
	}

	handle("GET /healthz", func(w http.ResponseWriter, r *http.Request) {
		writeJSON(w, http.StatusOK, map[string]string{"status": "ok"})
	})
	handle("GET /metrics", read(s.metrics.handler().ServeHTTP))

	handle("POST /api/v1/login", s.handleLogin)
	handle("POST /api/v1/logout", read(s.handleLogout))
	handle("GET /api/v1/session", read(s.handleSession))
	handle("GET /api/v1/snapshots", read(s.handleSnapshots))
	handle("GET /api/v1/overview", read(s.handleOverview))
	handle("GET /api/v1/facets", read(s.handleFacets))
	handle("GET /api/v1/resources", read(s.handleResources))
	handle("GET /api/v1/resource", read(s.handleResource))
	handle("GET /api/v1/resource/history", read(s.handleResourceHistory))
	handle("GET /api/v1/ai", read(s.handleAI))
	handle("GET /api/v1/findings", read(s.handleFindings))
	handle("GET /api/v1/finding", read(s.handleFinding))
	handle("GET /api/v1/frameworks", read(s.handleFrameworks))
	handle("GET /api/v1/frameworks/{id}", read(s.handleFramework))
	handle("GET /api/v1/responsibility", read(s.handleResponsibility))
	handle("GET /api/v1/collection-errors", read(s.handleCollectionErrors))
	handle("GET /api/v1/trend", read(s.handleTrend))
	handle("GET /api/v1/diff", read(s.handleDiff))
	handle("GET /api/v1/mutes", read(s.handleMutes))
	handle("POST /api/v1/mutes", admin(s.handleAddMute))
	handle("POST /api/v1/mutes/{id}/expire", admin(s.handleExpireMute))
	handle("GET /api/v1/mutes/changes", read(s.handleMuteChanges))
	handle("GET /api/v1/scans", read(s.handleScans))
	handle("POST /api/v1/scans", admin(s.handleScanNow))
	handle("/api/", func(w http.ResponseWriter, r *http.Request) {
		writeError(w, http.StatusNotFound, "no such API endpoint")
	})

	static, _ := fs.Sub(webFiles, "web")
	files := http.FileServerFS(static)
	handle("/", func(w http.ResponseWriter, r *http.Request) {
		if r.Method != http.MethodGet && r.Method != http.MethodHead {
			writeError(w, http.StatusMethodNotAllowed, "method not allowed")
			return
		}
		if r.URL.Path != "/" && r.URL.Path != "/app.js" && r.URL.Path != "/app.css" && r.URL.Path != "/favicon.svg" {
			http.NotFound(w, r)
			return
		}
		w.Header().Set("Cache-Control", "no-cache")
		files.ServeHTTP(w, r)
	})
	return s.secure(mux)
}

// secure sets the security headers, bounds the body and the time of every
// request.
func (s *Server) secure(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		h := w.Header()
		h.Set("Content-Security-Policy", contentSecurityPolicy)
		h.Set("X-Content-Type-Options", "nosniff")
		h.Set("X-Frame-Options", "DENY")
		h.Set("Referrer-Policy", "no-referrer")
		h.Set("Cross-Origin-Opener-Policy", "same-origin")
		h.Set("Cross-Origin-Resource-Policy", "same-origin")
		h.Set("Permissions-Policy", "camera=(), microphone=(), geolocation=()")
		if s.opts.TLS {
			h.Set("Strict-Transport-Security", "max-age=63072000")
		}
		r.Body = http.MaxBytesReader(w, r.Body, maxBody)
		ctx, cancel := context.WithTimeout(r.Context(), requestTimeout)
		defer cancel()
		next.ServeHTTP(w, r.WithContext(ctx))
	})
}

type statusWriter struct {
	http.ResponseWriter
	code int
}

func (w *statusWriter) WriteHeader(code int) {
	if w.code == 0 {
		w.code = code
	}
	w.ResponseWriter.WriteHeader(code)
}

func (w *statusWriter) Write(b []byte) (int, error) {
	if w.code == 0 {
		w.code = http.StatusOK
	}
	return w.ResponseWriter.Write(b)
}

// count counts requests by route pattern (never by raw path, which would
// let clients create unbounded label values) and status code.
func (s *Server) count(route string, h http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		sw := &statusWriter{ResponseWriter: w}
		h.ServeHTTP(sw, r)
		if sw.code == 0 {
			sw.code = http.StatusOK
		}
		s.metrics.apiRequests.WithLabelValues(route, strconv.Itoa(sw.code)).Inc()
	})
}

type errorJSON struct {
	Error string `json:"error"`
}

func writeJSON(w http.ResponseWriter, code int, v any) {
	w.Header().Set("Content-Type", "application/json")
	w.Header().Set("Cache-Control", "no-store")
	w.WriteHeader(code)
	enc := json.NewEncoder(w)
	enc.SetEscapeHTML(true)
	enc.Encode(v)
}

func writeError(w http.ResponseWriter, code int, msg string) {
	writeJSON(w, code, errorJSON{Error: msg})
}

// serverError logs err and answers 500 without details: errors may name
// paths or database URLs.
func (s *Server) serverError(w http.ResponseWriter, err error) {
	if errors.Is(err, context.DeadlineExceeded) {
		writeError(w, http.StatusServiceUnavailable, "the request took too long; narrow it with filters")
		return
	}
	s.log.Error("api request failed", "err", err)
	writeError(w, http.StatusInternalServerError, "internal error")
}

// readJSON decodes a JSON request body into v, answering 400 or 413 itself.
func readJSON(w http.ResponseWriter, r *http.Request, v any) bool {
	dec := json.NewDecoder(r.Body)
	dec.DisallowUnknownFields()
	if err := dec.Decode(v); err != nil {
		var mbe *http.MaxBytesError
		if errors.As(err, &mbe) {
			writeError(w, http.StatusRequestEntityTooLarge, "request body too large")
			return false
		}
		writeError(w, http.StatusBadRequest, "bad JSON body: "+err.Error())
		return false
	}
	return true
}
