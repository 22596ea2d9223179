package cognito

import (
	"fmt"
	"net/url"
	"regexp"
	"strings"

	"github.com/cogtool/cogtool/internal/exit"
)

// A user pool id is "<region>_<id>" and the pool lives in that region.
// API reference, UserPoolType / CreateUserPoolDomain: UserPoolId
// "Pattern: [\w-]+_[0-9a-zA-Z]+", "Maximum length of 55"
// (https://docs.aws.amazon.com/cognito-user-identity-pools/latest/APIReference/API_CreateUserPoolDomain.html).
// The region part is checked more tightly than the pattern, against the
// shape every AWS region has (us-east-1, ap-south-1, us-gov-west-1), so a
// typo is caught here and not as a DNS failure.
var (
	regionRE    = regexp.MustCompile(`^[a-z]{2}(-[a-z]+)+-[0-9]+$`)
	poolSuffixR = regexp.MustCompile(`^[0-9a-zA-Z]+$`)
	// CreateUserPoolDomain, Domain: "Pattern: ^[a-z0-9](?:[a-z0-9\-]{0,61}[a-z0-9])?$"
	// (same page as above): what a prefix domain may be.
	domainPrefixRE = regexp.MustCompile(`^[a-z0-9](?:[a-z0-9\-]{0,61}[a-z0-9])?$`)
)

// CheckRegion reports whether r looks like an AWS region name.
func CheckRegion(r string) error {
	if !regionRE.MatchString(r) {
		return exit.Usagef("region %q is not an AWS region name (like us-east-1 or ap-south-1)", r)
	}
	return nil
}

// PoolRegion returns the region of a user pool id, or a usage error that
// says what is wrong with the id's shape.
func PoolRegion(poolID string) (string, error) {
	const want = "a user pool id is <region>_<id>, like us-east-1_AbC123"
	if len(poolID) > 55 {
		return "", exit.Usagef("user pool id %q is longer than 55 characters: %s", poolID, want)
	}
	region, suffix, ok := strings.Cut(poolID, "_")
	if !ok {
		return "", exit.Usagef("user pool id %q has no '_': %s", poolID, want)
	}
	if !regionRE.MatchString(region) {
		return "", exit.Usagef("user pool id %q: %q is not an AWS region name (like us-east-1): %s", poolID, region, want)
	}
	if !poolSuffixR.MatchString(suffix) {
		return "", exit.Usagef("user pool id %q: the part after '_' must be letters and digits: %s", poolID, want)
	}
	return region, nil
}

// IsGovCloud reports whether region is an AWS GovCloud (US) region, where
// Cognito has FIPS endpoints only.
func IsGovCloud(region string) bool { return strings.HasPrefix(region, "us-gov-") }

// UseFIPS reports whether the FIPS endpoints are to be used: always in
// GovCloud ("Amazon Cognito in AWS GovCloud (US) uses FIPS endpoints only",
// https://docs.aws.amazon.com/govcloud-us/latest/UserGuide/govcloud-cog.html),
// elsewhere when AWS_USE_FIPS_ENDPOINT=true (the SDKs' shared setting).
func UseFIPS(region string, getenv func(string) string) bool {
	if IsGovCloud(region) {
		return true
	}
	return getenv != nil && strings.EqualFold(strings.TrimSpace(getenv("AWS_USE_FIPS_ENDPOINT")), "true")
}

// HostedDomain turns what the console shows for a user pool domain into the
// base URL of its OAuth endpoints (no trailing slash, no path):
//
//   - a prefix ("dotnet-demo") becomes https://dotnet-demo.auth.{region}.amazoncognito.com
//     (auth-fips when fips is set; CreateUserPoolDomain: "A prefix value of
//     myprefix for a user pool in the us-east-1 Region results in a domain
//     of myprefix.auth.us-east-1.amazoncognito.com");
//   - a host name ("dotnet-demo.auth.ap-south-1.amazoncognito.com", or a custom
//     domain "auth.example.com") becomes https://{host};
//   - a URL, with or without a path such as /oauth2/token, keeps its scheme
//     and host (and any path before /oauth2/, for emulators that serve
//     several pools under one host).
//
// region is needed only for a prefix.
func HostedDomain(domain, region string, fips bool) (string, error) {
	d := domain
	if d == "" {
		return "", nil
	}
	if strings.Contains(d, "://") {
		u, err := url.Parse(d)
		if err != nil || u.Host == "" {
			return "", exit.Usagef("domain %q is not a URL, a host name or a domain prefix", domain)
		}
		if u.User != nil {
			// Not quoted back: the user info may hold a password.
			return "", exit.Usagef("the domain URL must not have user info (user:password@)")
		}
		if u.RawQuery != "" || u.Fragment != "" {
			return "", exit.Usagef("domain %q must not have a query or a fragment", domain)
		}
		p := u.Path
		if i := strings.Index(p, "/oauth2/"); i >= 0 {
			p = p[:i]
		}
		return u.Scheme + "://" + u.Host + strings.TrimRight(p, "/"), nil
	}
	host, path, _ := strings.Cut(d, "/")
	if path != "" && !strings.HasPrefix("/"+path, "/oauth2/") {
		return "", exit.Usagef("domain %q: a host name takes no path other than /oauth2/...; give a full URL for anything else", domain)
	}
	if strings.Contains(host, ".") {
		host = strings.ToLower(host)
		if strings.HasSuffix(host, ".amazoncognito.com") {
			// {prefix}.auth[-fips].{region}.amazoncognito.com: the prefix
			// must be valid, and the region must agree with the pool's.
			parts := strings.Split(host, ".")
			if len(parts) != 5 || (parts[1] != "auth" && parts[1] != "auth-fips") || !domainPrefixRE.MatchString(parts[0]) {
				return "", exit.Usagef("domain %q is not a Cognito domain of the form {prefix}.auth.{region}.amazoncognito.com", domain)
			}
			if region != "" && parts[2] != region {
				return "", exit.Usagef("domain %q is in region %s, but the user pool is in %s", domain, parts[2], region)
			}
		}
		return "https://" + host, nil
	}
	if !domainPrefixRE.MatchString(host) {
		return "", exit.Usagef("domain prefix %q is not valid: lowercase letters, digits and hyphens, 1-63 characters, no hyphen first or last (or give the full host name or URL)", domain)
	}
	if region == "" {
		return "", exit.Usagef("domain prefix %q needs a region (--region or a user pool id)", domain)
	}
	auth := "auth"
	if fips {
		auth = "auth-fips"
	}
	return fmt.Sprintf("https://%s.%s.%s.amazoncognito.com", host, auth, region), nil
}
