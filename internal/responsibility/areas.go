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

// Title returns the area's display name.
func (a Area) Title() string {
	if d, ok := areaWords[a]; ok {
		return d.title
	}
	return string(a)
}

// Words says in plain words what the owner does for the area: what the
// customer does when they own it, what the provider does when it does.
func (a Area) Words(o Owner) string {
	d, ok := areaWords[a]
	if !ok {
		return ""
	}
	switch o {
	case Customer:
		return d.customer
	case Provider:
		return d.provider
	case Shared:
		return d.provider + "; you: " + d.customer
	}
	return ""
}

type areaText struct{ title, customer, provider string }

var areaWords = map[Area]areaText{
	Physical: {"Physical hosts, network and data centre",
		"secure the buildings, hardware and cabling",
		"the provider secures the data centres, hardware and physical network"},
	HostInfrastructure: {"Host OS and virtualisation",
		"patch and harden the hypervisor and host operating system",
		"the provider patches and isolates the hosts and hypervisor"},
	NetworkControls: {"Network controls",
		"write the firewall rules, security groups and private access, and decide what is reachable from the internet",
		"the provider runs the network edge and the service's own network"},
	GuestOS: {"Guest OS and patching",
		"patch and harden the operating system inside the machine",
		"the provider patches the operating system and runtime"},
	Applications: {"Applications",
		"secure and update your code, its dependencies and its settings (TLS, secrets)",
		"the provider runs and updates the application software"},
	IdentityInfrastructure: {"Identity and directory infrastructure",
		"set up the directory: federation, conditional access, security defaults",
		"the provider runs the identity service itself"},
	AccountsIdentities: {"Accounts and identities",
		"manage users, service accounts, keys, passwords and MFA",
		"the provider offers the identity features"},
	AccessManagement: {"Access management",
		"grant least privilege: roles, policies and bindings",
		"the provider enforces the policies you write"},
	Endpoints: {"Endpoints and devices",
		"secure the devices and endpoints that reach your resources, and what you expose as an endpoint",
		"the provider secures its own endpoints"},
	DataProtection: {"Data classification and protection",
		"classify data, keep it private, back it up and keep it where it may be",
		"the provider keeps stored data durable"},
	Encryption: {"Encryption",
		"turn on encryption, choose customer-managed keys, rotate them and require TLS",
		"the provider encrypts storage and its internal traffic by default"},
	LoggingMonitoring: {"Logging and monitoring",
		"turn on audit and flow logs, keep them, and watch the alerts",
		"the provider logs and monitors its infrastructure and offers the logging services"},
	Configuration: {"Configuration",
		"configure your resources securely and keep them within policy",
		"the provider configures its own infrastructure securely"},
}
