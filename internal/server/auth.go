package server

import (
	"context"
	"crypto/rand"
	"crypto/sha256"
	"crypto/subtle"
	"encoding/base64"
	"encoding/hex"
	"errors"
	"fmt"
	"net"
	"net/http"
	"strings"
	"sync"
	"time"

	"cloudward/internal/serverstate"
)

// TokenPrefix starts every API token, so that leaked tokens are easy to
// find with secret scanners.
const TokenPrefix = "cwt_"

// sessionCookie names the dashboard's session cookie.
const sessionCookie = "cloudward_session"

func randomString(n int) string {
	b := make([]byte, n)
	rand.Read(b) // never fails (crypto/rand)
	return base64.RawURLEncoding.EncodeToString(b)
}

func hashSecret(s string) []byte {
	h := sha256.Sum256([]byte(s))
	return h[:]
}

// CreateToken makes a new API token, stores its hash and returns the secret
// (shown once, never stored) with the token record.
func CreateToken(ctx context.Context, st serverstate.State, name string, scope serverstate.Scope, now time.Time) (string, serverstate.Token, error) {
	if !scope.Valid() {
		return "", serverstate.Token{}, fmt.Errorf("create token: scope %q: want read or admin", scope)
	}
	if strings.TrimSpace(name) == "" {
		return "", serverstate.Token{}, errors.New("create token: a name is required")
	}
	idb := make([]byte, 6)
	rand.Read(idb)
	secret := TokenPrefix + randomString(32)
	t := serverstate.Token{ID: hex.EncodeToString(idb), Name: name, Scope: scope, Hash: hashSecret(secret), CreatedAt: now.UTC()}
	if err := st.CreateToken(ctx, t); err != nil {
		return "", t, err
	}
	return secret, t, nil
}

// principal is who makes a request.
type principal struct {
	token   serverstate.Token
	session *serverstate.Session // nil for bearer-token requests
}

type principalKey struct{}

func principalFrom(ctx context.Context) principal {
	p, _ := ctx.Value(principalKey{}).(principal)
	return p
}

// authenticate finds the request's principal: a bearer token, or a session
// cookie. It returns serverstate.ErrNotFound when neither is valid.
func (s *Server) authenticate(r *http.Request) (principal, error) {
	ctx := r.Context()
	if h := r.Header.Get("Authorization"); h != "" {
		secret, ok := strings.CutPrefix(h, "Bearer ")
		if !ok {
			return principal{}, serverstate.ErrNotFound
		}
		t, err := s.opts.State.TokenByHash(ctx, hashSecret(strings.TrimSpace(secret)))
		if err != nil {
			return principal{}, err
		}
		s.touch(ctx, t)
		return principal{token: t}, nil
	}
	c, err := r.Cookie(sessionCookie)
	if err != nil || c.Value == "" {
		return principal{}, serverstate.ErrNotFound
	}
	sess, t, err := s.opts.State.SessionByHash(ctx, hashSecret(c.Value), s.opts.Now())
	if err != nil {
		return principal{}, err
	}
	return principal{token: t, session: &sess}, nil
}

// touchTimeout bounds recording a token's use.
const touchTimeout = 2 * time.Second

// touch records a token's use at most once a minute.
func (s *Server) touch(ctx context.Context, t serverstate.Token) {
	now := s.opts.Now()
	if now.Sub(t.LastUsed) < time.Minute {
		return
	}
	// A database busy with a long write must not hold the request up.
	ctx, cancel := context.WithTimeout(ctx, touchTimeout)
	defer cancel()
	if err := s.opts.State.TouchToken(ctx, t.ID, now); err != nil {
		s.log.Warn("record token use", "token", t.ID, "err", err)
	}
}

// requireAuth wraps an API handler: it needs a valid token or session of
// at least scope; state-changing requests made with a session cookie also
// need the session's CSRF token in X-CSRF-Token and a same-origin Origin.
func (s *Server) requireAuth(scope serverstate.Scope, h http.HandlerFunc) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		ip := clientIP(r)
		if s.limiter.blocked(ip, s.opts.Now()) {
			s.metrics.apiThrottled.Inc()
			w.Header().Set("Retry-After", "60")
			writeError(w, http.StatusTooManyRequests, "too many failed authentication attempts; try again later")
			return
		}
		p, err := s.authenticate(r)
		if err != nil {
			if !errors.Is(err, serverstate.ErrNotFound) {
				s.log.Error("authenticate", "err", err)
				writeError(w, http.StatusInternalServerError, "internal error")
				return
			}
			s.limiter.fail(ip, s.opts.Now())
			w.Header().Set("WWW-Authenticate", `Bearer realm="cloudward"`)
			writeError(w, http.StatusUnauthorized, "authentication required: send Authorization: Bearer <token>")
			return
		}
		if p.session != nil && !safeMethod(r.Method) {
			if !sameOrigin(r) || subtle.ConstantTimeCompare([]byte(r.Header.Get("X-CSRF-Token")), []byte(p.session.CSRF)) != 1 {
				writeError(w, http.StatusForbidden, "missing or wrong CSRF token")
				return
			}
		}
		if scope == serverstate.ScopeAdmin && p.token.Scope != serverstate.ScopeAdmin {
			writeError(w, http.StatusForbidden, "this needs an admin token")
			return
		}
		h(w, r.WithContext(context.WithValue(r.Context(), principalKey{}, p)))
	}
}

func safeMethod(m string) bool {
	return m == http.MethodGet || m == http.MethodHead || m == http.MethodOptions
}

// sameOrigin accepts requests whose Origin (or, without one, Referer)
// names this host; browsers send Origin on every cross-site POST.
func sameOrigin(r *http.Request) bool {
	o := r.Header.Get("Origin")
	if o == "" {
		o = r.Header.Get("Referer")
	}
	if o == "" {
		return false
	}
	rest, ok := strings.CutPrefix(o, "http://")
	if !ok {
		if rest, ok = strings.CutPrefix(o, "https://"); !ok {
			return false
		}
	}
	host, _, _ := strings.Cut(rest, "/")
	return host == r.Host
}

func clientIP(r *http.Request) string {
	host, _, err := net.SplitHostPort(r.RemoteAddr)
	if err != nil {
		return r.RemoteAddr
	}
	return host
}

// failLimiter blocks a client address after max failed authentications
// within window.
type failLimiter struct {
	mu     sync.Mutex
	max    int
	window time.Duration
	fails  map[string][]time.Time
}

func newFailLimiter(max int, window time.Duration) *failLimiter {
	return &failLimiter{max: max, window: window, fails: map[string][]time.Time{}}
}

func (l *failLimiter) prune(ip string, now time.Time) []time.Time {
	fs := l.fails[ip]
	i := 0
	for i < len(fs) && now.Sub(fs[i]) >= l.window {
		i++
	}
	fs = fs[i:]
	if len(fs) == 0 {
		delete(l.fails, ip)
	} else {
		l.fails[ip] = fs
	}
	return fs
}

func (l *failLimiter) blocked(ip string, now time.Time) bool {
	l.mu.Lock()
	defer l.mu.Unlock()
	return len(l.prune(ip, now)) >= l.max
}

func (l *failLimiter) fail(ip string, now time.Time) {
	l.mu.Lock()
	defer l.mu.Unlock()
	if len(l.fails) > 10000 { // bound memory under a spray of addresses
		clear(l.fails)
	}
	l.fails[ip] = append(l.prune(ip, now), now)
}

// handleLogin exchanges an API token for a session cookie.
func (s *Server) handleLogin(w http.ResponseWriter, r *http.Request) {
	ip := clientIP(r)
	if s.limiter.blocked(ip, s.opts.Now()) {
		s.metrics.apiThrottled.Inc()
		w.Header().Set("Retry-After", "60")
		writeError(w, http.StatusTooManyRequests, "too many failed authentication attempts; try again later")
		return
	}
	if !sameOrigin(r) {
		writeError(w, http.StatusForbidden, "cross-origin login refused")
		return
	}
	var in struct {
		Token string `json:"token"`
	}
	if !readJSON(w, r, &in) {
		return
	}
	t, err := s.opts.State.TokenByHash(r.Context(), hashSecret(strings.TrimSpace(in.Token)))
	if err != nil {
		if errors.Is(err, serverstate.ErrNotFound) {
			s.limiter.fail(ip, s.opts.Now())
			writeError(w, http.StatusUnauthorized, "unknown or revoked token")
			return
		}
		s.serverError(w, err)
		return
	}
	now := s.opts.Now()
	secret := randomString(32)
	sess := serverstate.Session{Hash: hashSecret(secret), TokenID: t.ID, CSRF: randomString(24), CreatedAt: now, ExpiresAt: now.Add(s.opts.SessionTTL)}
	if err := s.opts.State.CreateSession(r.Context(), sess); err != nil {
		s.serverError(w, err)
		return
	}
	s.touch(r.Context(), t)
	http.SetCookie(w, &http.Cookie{
		Name: sessionCookie, Value: secret, Path: "/", Expires: sess.ExpiresAt,
		HttpOnly: true, Secure: s.opts.SecureCookies, SameSite: http.SameSiteStrictMode,
	})
	writeJSON(w, http.StatusOK, sessionInfo(t, sess))
}

type sessionJSON struct {
	Name      string            `json:"name"`
	Scope     serverstate.Scope `json:"scope"`
	CSRFToken string            `json:"csrf_token,omitempty"`
	ExpiresAt time.Time         `json:"expires_at,omitzero"`
}

func sessionInfo(t serverstate.Token, s serverstate.Session) sessionJSON {
	return sessionJSON{Name: t.Name, Scope: t.Scope, CSRFToken: s.CSRF, ExpiresAt: s.ExpiresAt}
}

// handleSession tells the dashboard who is logged in and its CSRF token.
func (s *Server) handleSession(w http.ResponseWriter, r *http.Request) {
	p := principalFrom(r.Context())
	if p.session == nil {
		writeJSON(w, http.StatusOK, sessionJSON{Name: p.token.Name, Scope: p.token.Scope})
		return
	}
	writeJSON(w, http.StatusOK, sessionInfo(p.token, *p.session))
}

// handleLogout ends the session.
func (s *Server) handleLogout(w http.ResponseWriter, r *http.Request) {
	p := principalFrom(r.Context())
	if p.session != nil {
		if err := s.opts.State.DeleteSession(r.Context(), p.session.Hash); err != nil {
			s.serverError(w, err)
			return
		}
	}
	http.SetCookie(w, &http.Cookie{Name: sessionCookie, Value: "", Path: "/", MaxAge: -1,
		HttpOnly: true, Secure: s.opts.SecureCookies, SameSite: http.SameSiteStrictMode})
	w.WriteHeader(http.StatusNoContent)
}
