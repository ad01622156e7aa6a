package config

import "strings"

// Glob is a compiled pattern over IDs, UIDs, accounts and regions. `*`
// matches any run of characters, "/" and ":" included (so
// "arn:aws:s3:::logs-*" and "/subscriptions/s/resourceGroups/rg/*" do what
// they say); `?` matches exactly one character; every other character
// matches itself. The empty pattern and "*" match everything.
//
// Compiling splits the pattern once, so matching a pattern without `?` is a
// few prefix, suffix and substring searches and never allocates.
type Glob struct {
	pattern string
	all     bool     // "" or "*"
	literal bool     // no metacharacter: compare whole strings
	parts   []string // literal runs between *s; used when there is no ?
	hasQ    bool
}

// CompileGlob compiles pattern. Every string is a valid pattern.
func CompileGlob(pattern string) Glob {
	g := Glob{pattern: pattern}
	switch {
	case pattern == "" || strings.Trim(pattern, "*") == "":
		g.all = true
	case !strings.ContainsAny(pattern, "*?"):
		g.literal = true
	default:
		g.hasQ = strings.Contains(pattern, "?")
		g.parts = strings.Split(pattern, "*")
	}
	return g
}

// String returns the pattern.
func (g Glob) String() string { return g.pattern }

// MatchesAll reports whether the pattern matches every string.
func (g Glob) MatchesAll() bool { return g.all }

// IsLiteral reports whether the pattern has no metacharacter, so it matches
// only itself.
func (g Glob) IsLiteral() bool { return g.literal }

// Match reports whether s matches the whole pattern.
func (g Glob) Match(s string) bool {
	switch {
	case g.all:
		return true
	case g.literal:
		return s == g.pattern
	case g.hasQ:
		return matchQ(g.pattern, s)
	}
	first, last := g.parts[0], g.parts[len(g.parts)-1]
	if len(s) < len(first)+len(last) || !strings.HasPrefix(s, first) || !strings.HasSuffix(s, last) {
		return false
	}
	s = s[len(first) : len(s)-len(last)]
	for _, p := range g.parts[1 : len(g.parts)-1] {
		i := strings.Index(s, p)
		if i < 0 {
			return false
		}
		s = s[i+len(p):]
	}
	return true
}

// matchQ matches a pattern with ? (and maybe *), byte-wise with the usual
// backtracking to the last star: linear for one star, O(n·m) at worst.
func matchQ(p, s string) bool {
	pi, si := 0, 0
	star, mark := -1, 0
	for si < len(s) {
		switch {
		case pi < len(p) && (p[pi] == '?' || p[pi] == s[si]):
			pi++
			si++
		case pi < len(p) && p[pi] == '*':
			star, mark = pi, si
			pi++
		case star >= 0:
			pi = star + 1
			mark++
			si = mark
		default:
			return false
		}
	}
	for pi < len(p) && p[pi] == '*' {
		pi++
	}
	return pi == len(p)
}
