package cognito

import (
	"errors"
	"strings"
	"testing"

	"github.com/cogtool/cogtool/internal/exit"
)

func TestPoolRegion(t *testing.T) {
	for _, tc := range []struct {
		id, region, errPart string
	}{
		{"us-east-1_AbC123", "us-east-1", ""},
		{"ap-south-1_p7GD1CkXO", "ap-south-1", ""},
		{"us-gov-west-1_X1", "us-gov-west-1", ""},
		{"us-east-1-AbC", "", "has no '_'"},
		{"us-east1_AbC", "", `"us-east1" is not an AWS region name`},
		{"US-EAST-1_AbC", "", "is not an AWS region name"},
		{"us-east-1_", "", "letters and digits"},
		{"us-east-1_Ab-C", "", "letters and digits"},
		{"us-east-1_" + strings.Repeat("a", 50), "", "longer than 55"},
	} {
		got, err := PoolRegion(tc.id)
		if tc.errPart == "" {
			if err != nil || got != tc.region {
				t.Errorf("PoolRegion(%q) = %q, %v; want %q", tc.id, got, err, tc.region)
			}
			continue
		}
		var ee *exit.Error
		if err == nil || !strings.Contains(err.Error(), tc.errPart) || !errors.As(err, &ee) || ee.Code != exit.Usage {
			t.Errorf("PoolRegion(%q) error = %v; want a usage error containing %q", tc.id, err, tc.errPart)
		}
	}
}

func TestHostedDomain(t *testing.T) {
	for _, tc := range []struct {
		in, region string
		fips       bool
		want, err  string
	}{
		{"dotnet-demo", "ap-south-1", false, "https://dotnet-demo.auth.ap-south-1.amazoncognito.com", ""},
		{"dotnet-demo", "us-east-1", true, "https://dotnet-demo.auth-fips.us-east-1.amazoncognito.com", ""},
		{"dotnet-demo.auth.ap-south-1.amazoncognito.com", "ap-south-1", false, "https://dotnet-demo.auth.ap-south-1.amazoncognito.com", ""},
		{"dotnet-demo.auth.ap-south-1.amazoncognito.com/oauth2/token", "", false, "https://dotnet-demo.auth.ap-south-1.amazoncognito.com", ""},
		{"https://dotnet-demo.auth.ap-south-1.amazoncognito.com/oauth2/token", "", false, "https://dotnet-demo.auth.ap-south-1.amazoncognito.com", ""},
		{"auth.example.com", "", false, "https://auth.example.com", ""},
		{"https://auth.example.com/", "", false, "https://auth.example.com", ""},
		{"http://127.0.0.1:9229/us-east-1_X/oauth2/token", "", false, "http://127.0.0.1:9229/us-east-1_X", ""},
		{"dotnet-demo.auth.eu-west-1.amazoncognito.com", "ap-south-1", false, "", "is in region eu-west-1"},
		{"Dotnet_Demo", "us-east-1", false, "", "is not valid"},
		{"-demo", "us-east-1", false, "", "is not valid"},
		{"demo", "", false, "", "needs a region"},
		{"https://user:pw@auth.example.com", "", false, "", "user info"},
		{"auth.example.com/login", "", false, "", "takes no path"},
	} {
		got, err := HostedDomain(tc.in, tc.region, tc.fips)
		if tc.err == "" {
			if err != nil || got != tc.want {
				t.Errorf("HostedDomain(%q, %q) = %q, %v; want %q", tc.in, tc.region, got, err, tc.want)
			}
			continue
		}
		if err == nil || !strings.Contains(err.Error(), tc.err) {
			t.Errorf("HostedDomain(%q, %q) error = %v; want one containing %q", tc.in, tc.region, err, tc.err)
		}
		if strings.Contains(tc.in, "pw@") && strings.Contains(err.Error(), "pw") {
			t.Errorf("error repeats the URL's password: %v", err)
		}
	}
}

func TestUseFIPS(t *testing.T) {
	env := func(v string) func(string) string {
		return func(k string) string {
			if k == "AWS_USE_FIPS_ENDPOINT" {
				return v
			}
			return ""
		}
	}
	if !UseFIPS("us-gov-west-1", env("")) {
		t.Error("GovCloud must use FIPS endpoints")
	}
	if UseFIPS("us-east-1", env("")) || UseFIPS("us-east-1", env("false")) {
		t.Error("FIPS without AWS_USE_FIPS_ENDPOINT=true")
	}
	if !UseFIPS("us-east-1", env("true")) {
		t.Error("AWS_USE_FIPS_ENDPOINT=true ignored")
	}
}
