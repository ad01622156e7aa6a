// Package cellib is the CEL environment checks are written in: the variables
// a condition sees (properties, tags, resource, now, org) and cloudward's
// functions (account_resources, region_resources, related, is_public_cidr,
// cidr_contains, days_since, port_in_range, policy_allows_public,
// public_policy_statements), packaged as one cel.Lib.
//
// The functions that depend on the resource being evaluated
// (account_resources, region_resources, related, days_since) are macros
// that rewrite a call such as account_resources("aws_cloudtrail_trail") to
// __account_resources(__scope, "aws_cloudtrail_trail"), where __scope is a
// hidden variable holding a *Scope for the current evaluation. The kind
// argument of the three lookup functions must be a string literal, so the
// engine knows before evaluation which kinds to index.
package cellib

import (
	"fmt"
	"net/netip"
	"reflect"
	"strings"
	"time"

	"github.com/google/cel-go/cel"
	"github.com/google/cel-go/common/ast"
	"github.com/google/cel-go/common/types"
	"github.com/google/cel-go/common/types/ref"
)

// Variable names a condition sees.
const (
	VarProperties = "properties"
	VarTags       = "tags"
	VarResource   = "resource"
	VarNow        = "now"
	VarOrg        = "org"
	// VarScope is the hidden variable the context-dependent macros read.
	VarScope = "__scope"
)

// Names of the internal functions the macros expand to. The engine walks
// checked expressions for calls to the three lookup functions to learn
// which kinds to index.
const (
	FnAccountResources = "__account_resources"
	FnRegionResources  = "__region_resources"
	FnRelated          = "__related"
	FnDaysSince        = "__days_since"
)

// LookupFunctions lists the internal functions whose second argument is a
// kind that must be indexed.
var LookupFunctions = [...]string{FnAccountResources, FnRegionResources, FnRelated}

// ScopeType is the CEL type of the hidden __scope variable.
var ScopeType = cel.OpaqueType("cloudward.Scope")

// Lookup answers the cross-resource functions. Implementations must be safe
// for concurrent reads and return CEL lists of resource maps.
type Lookup interface {
	// Resources returns the resources of kind in provider's account; an
	// empty region means every region.
	Resources(provider, account, region, kind string) ref.Val
	// Related returns the resources of kind linked to uid by an edge, in
	// either direction.
	Related(uid, kind string) ref.Val
}

// Scope is the context of one evaluation: the subject resource's identity,
// the scan time and the index. It is a CEL value of type ScopeType.
type Scope struct {
	Now      time.Time
	UID      string
	Provider string
	Account  string
	Region   string
	// Lookup may be nil: the lookup functions then return empty lists.
	Lookup Lookup
}

// ConvertToNative implements ref.Val.
func (s *Scope) ConvertToNative(typeDesc reflect.Type) (any, error) {
	if typeDesc != nil && reflect.TypeOf(s).AssignableTo(typeDesc) {
		return s, nil
	}
	return nil, fmt.Errorf("type conversion error from scope to %v", typeDesc)
}

// ConvertToType implements ref.Val.
func (s *Scope) ConvertToType(t ref.Type) ref.Val {
	if t == types.TypeType {
		return ScopeType
	}
	return types.NewErr("type conversion error from scope to %v", t)
}

// Equal implements ref.Val.
func (s *Scope) Equal(other ref.Val) ref.Val { return types.Bool(s == other) }

// Type implements ref.Val.
func (s *Scope) Type() ref.Type { return ScopeType }

// Value implements ref.Val.
func (s *Scope) Value() any { return s }

var emptyList = types.NewRefValList(types.DefaultTypeAdapter, nil)

// Library returns the cel.Lib of cloudward checks.
func Library() cel.EnvOption { return cel.Lib(library{}) }

type library struct{}

// LibraryName implements cel.SingletonLibrary.
func (library) LibraryName() string { return "cloudward.checks" }

// CompileOptions implements cel.Library.
func (library) CompileOptions() []cel.EnvOption {
	opts := []cel.EnvOption{
		cel.OptionalTypes(),
		cel.Variable(VarProperties, cel.MapType(cel.StringType, cel.DynType)),
		cel.Variable(VarTags, cel.MapType(cel.StringType, cel.StringType)),
		cel.Variable(VarResource, cel.MapType(cel.StringType, cel.DynType)),
		cel.Variable(VarNow, cel.TimestampType),
		cel.Variable(VarOrg, cel.MapType(cel.StringType, cel.DynType)),
		cel.Variable(VarScope, ScopeType),
		cel.Macros(
			scopedMacro("account_resources", FnAccountResources, true),
			scopedMacro("region_resources", FnRegionResources, true),
			scopedMacro("related", FnRelated, true),
			scopedMacro("days_since", FnDaysSince, false),
		),
		cel.Function(FnAccountResources,
			cel.Overload("cloudward_account_resources", []*cel.Type{ScopeType, cel.StringType}, cel.ListType(cel.DynType),
				cel.BinaryBinding(func(s, kind ref.Val) ref.Val {
					sc := s.(*Scope)
					if sc.Lookup == nil {
						return emptyList
					}
					return sc.Lookup.Resources(sc.Provider, sc.Account, "", string(kind.(types.String)))
				}))),
		cel.Function(FnRegionResources,
			cel.Overload("cloudward_region_resources", []*cel.Type{ScopeType, cel.StringType}, cel.ListType(cel.DynType),
				cel.BinaryBinding(func(s, kind ref.Val) ref.Val {
					sc := s.(*Scope)
					if sc.Lookup == nil {
						return emptyList
					}
					return sc.Lookup.Resources(sc.Provider, sc.Account, sc.Region, string(kind.(types.String)))
				}))),
		cel.Function(FnRelated,
			cel.Overload("cloudward_related", []*cel.Type{ScopeType, cel.StringType}, cel.ListType(cel.DynType),
				cel.BinaryBinding(func(s, kind ref.Val) ref.Val {
					sc := s.(*Scope)
					if sc.Lookup == nil {
						return emptyList
					}
					return sc.Lookup.Related(sc.UID, string(kind.(types.String)))
				}))),
		cel.Function(FnDaysSince,
			cel.Overload("cloudward_days_since_string", []*cel.Type{ScopeType, cel.StringType}, cel.IntType,
				cel.BinaryBinding(func(s, v ref.Val) ref.Val {
					t, err := time.Parse(time.RFC3339, string(v.(types.String)))
					if err != nil {
						return types.NewErr("days_since: %q is not an RFC 3339 timestamp", string(v.(types.String)))
					}
					return types.Int(DaysBetween(t, s.(*Scope).Now))
				})),
			cel.Overload("cloudward_days_since_timestamp", []*cel.Type{ScopeType, cel.TimestampType}, cel.IntType,
				cel.BinaryBinding(func(s, v ref.Val) ref.Val {
					return types.Int(DaysBetween(v.(types.Timestamp).Time, s.(*Scope).Now))
				}))),
		cel.Function("is_public_cidr",
			cel.Overload("cloudward_is_public_cidr_string", []*cel.Type{cel.StringType}, cel.BoolType,
				cel.UnaryBinding(func(v ref.Val) ref.Val {
					return types.Bool(IsPublicCIDR(string(v.(types.String))))
				}))),
		cel.Function("cidr_contains",
			cel.Overload("cloudward_cidr_contains_string_string", []*cel.Type{cel.StringType, cel.StringType}, cel.BoolType,
				cel.BinaryBinding(func(n, a ref.Val) ref.Val {
					ok, err := CIDRContains(string(n.(types.String)), string(a.(types.String)))
					if err != nil {
						return types.WrapErr(err)
					}
					return types.Bool(ok)
				}))),
		cel.Function("port_in_range",
			cel.Overload("cloudward_port_in_range_int_int_int", []*cel.Type{cel.IntType, cel.IntType, cel.IntType}, cel.BoolType,
				cel.FunctionBinding(func(args ...ref.Val) ref.Val {
					return types.Bool(PortInRange(int64(args[0].(types.Int)), int64(args[1].(types.Int)), int64(args[2].(types.Int))))
				}))),
	}
	return append(opts, policyFunctions()...)
}

// ProgramOptions implements cel.Library.
func (library) ProgramOptions() []cel.ProgramOption { return nil }

// scopedMacro rewrites name(x) to fn(__scope, x). When literal is set, x
// must be a string literal (a kind name).
func scopedMacro(name, fn string, literal bool) cel.Macro {
	return cel.GlobalMacro(name, 1, func(eh cel.MacroExprFactory, _ ast.Expr, args []ast.Expr) (ast.Expr, *cel.Error) {
		if literal {
			arg := args[0]
			if arg.Kind() != ast.LiteralKind || arg.AsLiteral().Type() != types.StringType {
				return nil, eh.NewError(arg.ID(), fmt.Sprintf("%s: the kind must be a string literal, such as %s(\"aws_cloudtrail_trail\")", name, name))
			}
		}
		return eh.NewCall(fn, eh.NewIdent(VarScope), args[0]), nil
	})
}

// DaysBetween returns the whole days from t to now (negative when t is
// after now).
func DaysBetween(t, now time.Time) int64 {
	return int64(now.Sub(t) / (24 * time.Hour))
}

// IsPublicCIDR reports whether s denotes the whole internet: 0.0.0.0/0,
// ::/0, or the words Azure and DigitalOcean use (*, Internet, any).
func IsPublicCIDR(s string) bool {
	s = strings.TrimSpace(s)
	switch strings.ToLower(s) {
	case "*", "internet", "any", "0.0.0.0/0", "::/0":
		return true
	}
	p, err := netip.ParsePrefix(s)
	return err == nil && p.Bits() == 0
}

// CIDRContains reports whether the network cidr holds addr. cidr may be a
// bare address (a single host); addr may be an address or a prefix, in
// which case the whole prefix must lie inside cidr.
func CIDRContains(cidr, addr string) (bool, error) {
	n, err := parsePrefix(cidr)
	if err != nil {
		return false, fmt.Errorf("cidr_contains: %w", err)
	}
	p, err := parsePrefix(addr)
	if err != nil {
		return false, fmt.Errorf("cidr_contains: %w", err)
	}
	return p.Bits() >= n.Bits() && n.Contains(p.Addr()), nil
}

func parsePrefix(s string) (netip.Prefix, error) {
	if strings.Contains(s, "/") {
		p, err := netip.ParsePrefix(s)
		if err != nil {
			return netip.Prefix{}, fmt.Errorf("%q is not a CIDR", s)
		}
		return p.Masked(), nil
	}
	a, err := netip.ParseAddr(s)
	if err != nil {
		return netip.Prefix{}, fmt.Errorf("%q is not an IP address", s)
	}
	a = a.Unmap()
	return netip.PrefixFrom(a, a.BitLen()), nil
}

// PortInRange reports whether from <= port <= to. A range of -1/-1 (as AWS
// writes "all traffic") or 0/65535 holds every port.
func PortInRange(port, from, to int64) bool {
	if from == -1 && to == -1 {
		return true
	}
	if from == 0 && to == 65535 {
		return true
	}
	return from <= port && port <= to
}
