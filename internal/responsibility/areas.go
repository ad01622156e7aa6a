// Package responsibility describes the customer's side of the cloud
// shared-responsibility model: the areas of responsibility and, per service
// model, who owns each.
package responsibility

// Area is one area of responsibility. Every check names the area it covers.
type Area string

// The areas. Physical, host and network-infrastructure areas are the
// provider's in every model; checks only ever cover customer or shared areas.
const (
	Physical               Area = "physical"
	HostInfrastructure     Area = "host-infrastructure"
	NetworkControls        Area = "network-controls"
	GuestOS                Area = "guest-os"
	Applications           Area = "applications"
	IdentityInfrastructure Area = "identity-infrastructure"
	AccountsIdentities     Area = "accounts-identities"
	AccessManagement       Area = "access-management"
	Endpoints              Area = "endpoints"
	DataProtection         Area = "data-protection"
	Encryption             Area = "encryption"
	LoggingMonitoring      Area = "logging-monitoring"
	Configuration          Area = "configuration"
)

// Areas lists every area in display order.
var Areas = []Area{
	Physical, HostInfrastructure, NetworkControls, GuestOS, Applications,
	IdentityInfrastructure, AccountsIdentities, AccessManagement, Endpoints,
	DataProtection, Encryption, LoggingMonitoring, Configuration,
}

// Valid reports whether a is a known area.
func (a Area) Valid() bool {
	for _, b := range Areas {
		if a == b {
			return true
		}
	}
	return false
}
