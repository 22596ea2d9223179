package cli

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"net/http"
	"net/url"
	"strings"

	"github.com/aws/aws-sdk-go-v2/aws"
	v4 "github.com/aws/aws-sdk-go-v2/aws/signer/v4"

	"github.com/cogtool/cogtool/internal/cognito"
	"github.com/cogtool/cogtool/internal/exit"
)

// regionFromHost finds the region in an AWS endpoint's host name
// (abc123.execute-api.eu-west-1.amazonaws.com), or "".
func regionFromHost(host string) string {
	for _, label := range strings.Split(strings.ToLower(host), ".") {
		if cognito.CheckRegion(label) == nil {
			return label
		}
	}
	return ""
}

// callSigV4 is call --sigv4: the request is signed with SigV4 using the
// identity pool's credentials, for APIs behind IAM authorization.
func callSigV4(ctx context.Context, o *callOptions, u *url.URL, hdr http.Header, body []byte) error {
	if o.tokenSet {
		return exit.Usagef("--sigv4 signs with AWS credentials; it does not send --token")
	}
	if strings.ContainsAny(o.SigV4, " /:") {
		return exit.Usagef("--sigv4 %q: want a service signing name such as execute-api", o.SigV4)
	}
	tf := &tokenFlags{Which: "id", NoCache: o.NoCache, MinTTL: o.MinTTL}
	// As before the options took this shape, the sign-in behind --sigv4
	// answers challenges with an answerer of its own: the answer flags and
	// --password-stdin given to call are not passed on.
	in := flowInput{Flow: o.Sources.Settings.Flow, Answer: &answerer{in: o.auth.Answer.in}}
	cr, err := awsCredentials(ctx, o.Sources, &o.AWS, in, tf)
	if err != nil {
		return err
	}
	region := firstNonEmpty(regionFromHost(u.Hostname()), o.Sources.Settings.Region, cr.Region)
	creds := aws.Credentials{AccessKeyID: cr.AccessKeyID, SecretAccessKey: cr.SecretAccessKey, SessionToken: cr.SessionToken}
	signer := v4.NewSigner()
	o.sign = func(req *http.Request, body []byte) error {
		sum := sha256.Sum256(body)
		if err := signer.SignHTTP(req.Context(), creds, req, hex.EncodeToString(sum[:]), o.SigV4, region, o.Now()); err != nil {
			return exit.New(exit.Unexpected, "sign the request: %w", err)
		}
		return nil
	}
	resp, elapsed, err := doCall(ctx, o.SigV4HTTPClient(), o, u.String(), hdr, body, "")
	if err != nil {
		return err
	}
	defer resp.Body.Close()
	return printResponse(o, resp, elapsed)
}
