package resource

import "fmt"

// ErrorKind classifies a collection error.
type ErrorKind string

// Error kinds, from the provider's error codes.
const (
	Denied     ErrorKind = "denied"      // AccessDenied, 403, missing permission
	NotEnabled ErrorKind = "not_enabled" // API disabled, region opted out, service not subscribed
	Throttled  ErrorKind = "throttled"   // still throttled after retries
	OtherError ErrorKind = "other"
)

// CollectionError is a failure to collect part of the scope. It is data: it
// is stored with the snapshot and shown in reports, and the rest of the scan
// goes on. Message must never hold credentials.
type CollectionError struct {
	Provider Provider `json:"provider"`
	Account  string   `json:"account"`
	Region   string   `json:"region"`
	Service  string   `json:"service"`
	// Op is the API operation that failed, e.g. "s3:GetBucketPolicy".
	Op      string    `json:"op"`
	Kind    ErrorKind `json:"kind"`
	Message string    `json:"message"`
}

// Error implements error.
func (e CollectionError) Error() string {
	return fmt.Sprintf("%s %s %s %s %s: %s: %s", e.Provider, e.Account, e.Region, e.Service, e.Op, e.Kind, e.Message)
}
