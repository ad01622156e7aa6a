package aws

import (
	"context"
	"errors"
	"net"
	"net/http"
	"strings"

	"github.com/aws/aws-sdk-go-v2/aws/ratelimit"
	"github.com/aws/aws-sdk-go-v2/aws/retry"
	awshttp "github.com/aws/aws-sdk-go-v2/aws/transport/http"
	"github.com/aws/smithy-go"

	"cloudward/internal/resource"
)

// classify maps an SDK error to a collection error kind and a message
// without credentials: the API error code and message, or the transport
// error.
func classify(err error) (resource.ErrorKind, string) {
	msg := err.Error()
	var apiErr smithy.APIError
	if errors.As(err, &apiErr) {
		code := apiErr.ErrorCode()
		msg = code + ": " + apiErr.ErrorMessage()
		if k, ok := classifyCode(code); ok {
			return k, msg
		}
		var re *awshttp.ResponseError
		if errors.As(err, &re) {
			switch re.HTTPStatusCode() {
			case http.StatusForbidden, http.StatusUnauthorized:
				return resource.Denied, msg
			case http.StatusTooManyRequests:
				return resource.Throttled, msg
			}
		}
		return resource.OtherError, msg
	}
	var quota ratelimit.QuotaExceededError
	if errors.As(err, &quota) {
		return resource.Throttled, "retry quota exhausted: " + msg
	}
	var maxAttempts *retry.MaxAttemptsError
	if errors.As(err, &maxAttempts) {
		return resource.Throttled, msg
	}
	var netErr net.Error
	if errors.Is(err, context.DeadlineExceeded) || (errors.As(err, &netErr) && netErr.Timeout()) {
		return resource.OtherError, "timed out: " + msg
	}
	return resource.OtherError, msg
}

// classifyCode maps the AWS error codes the collector meets.
func classifyCode(code string) (resource.ErrorKind, bool) {
	switch code {
	case "AccessDenied", "AccessDeniedException", "UnauthorizedOperation", "AuthorizationError",
		"AuthFailure", "Forbidden", "InvalidClientTokenId", "UnrecognizedClientException",
		"AuthorizationErrorException", "UnauthorizedAccess", "AllAccessDisabled", "ExpiredToken",
		"ExpiredTokenException", "SignatureDoesNotMatch", "InvalidAccessKeyId":
		return resource.Denied, true
	case "OptInRequired", "SubscriptionRequiredException", "InvalidAccessException",
		"AWSOrganizationsNotInUseException", "NotSubscribed", "OptInRequiredException":
		return resource.NotEnabled, true
	case "Throttling", "ThrottlingException", "ThrottledException", "RequestLimitExceeded",
		"TooManyRequestsException", "SlowDown", "RequestThrottled", "RequestThrottledException",
		"ProvisionedThroughputExceededException", "LimitExceededException", "BandwidthLimitExceeded",
		"EC2ThrottledException", "PriorRequestNotComplete":
		return resource.Throttled, true
	}
	if strings.HasSuffix(code, "NotEnabled") || strings.HasSuffix(code, "NotEnabledException") {
		return resource.NotEnabled, true
	}
	return "", false
}

// errorCode returns the AWS error code of err, or "".
func errorCode(err error) string {
	var apiErr smithy.APIError
	if errors.As(err, &apiErr) {
		return apiErr.ErrorCode()
	}
	return ""
}

// isCode reports whether err is an API error with one of codes.
func isCode(err error, codes ...string) bool {
	c := errorCode(err)
	for _, want := range codes {
		if c == want {
			return true
		}
	}
	return false
}
