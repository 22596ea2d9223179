package users

import (
	"encoding/json"
	"fmt"
	"net/http"
	"net/http/httptest"
	"strconv"
	"testing"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/credentials"
	cip "github.com/aws/aws-sdk-go-v2/service/cognitoidentityprovider"

	"github.com/cogtool/cogtool/internal/cognito"
	"github.com/cogtool/cogtool/internal/exit"
)

// pagedUsers serves ListUsers from n users, honouring Limit and
// PaginationToken, and records each request's Limit.
func pagedUsers(t *testing.T, n int, limits *[]int) *Admin {
	t.Helper()
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.Header.Get("X-Amz-Target") != "AWSCognitoIdentityProviderService.ListUsers" {
			http.Error(w, "unexpected target", 400)
			return
		}
		var in struct {
			Limit           int
			PaginationToken string
		}
		if err := json.NewDecoder(r.Body).Decode(&in); err != nil {
			http.Error(w, err.Error(), 400)
			return
		}
		*limits = append(*limits, in.Limit)
		start, _ := strconv.Atoi(in.PaginationToken)
		end := min(n, start+in.Limit)
		users := []map[string]any{}
		for i := start; i < end; i++ {
			users = append(users, map[string]any{"Username": fmt.Sprintf("u%03d", i), "UserStatus": "CONFIRMED", "Enabled": true})
		}
		out := map[string]any{"Users": users}
		if end < n {
			out["PaginationToken"] = strconv.Itoa(end)
		}
		w.Header().Set("Content-Type", "application/x-amz-json-1.1")
		json.NewEncoder(w).Encode(out)
	}))
	t.Cleanup(srv.Close)
	return NewAdmin(&cognito.Client{API: cip.New(cip.Options{Region: "us-east-1", BaseEndpoint: aws.String(srv.URL),
		Credentials: credentials.NewStaticCredentialsProvider("test", "test", "")})})
}

func TestListPagesAndLimit(t *testing.T) {
	for _, tc := range []struct {
		users, limit, want int
		limits             []int
	}{
		{users: 150, limit: 0, want: 150, limits: []int{60, 60, 60}},
		{users: 150, limit: 70, want: 70, limits: []int{60, 10}},
		{users: 150, limit: 60, want: 60, limits: []int{60}},
		{users: 5, limit: 70, want: 5, limits: []int{60}},
		{users: 0, limit: 0, want: 0, limits: []int{60}},
	} {
		var limits []int
		a := pagedUsers(t, tc.users, &limits)
		got, err := a.List(t.Context(), ListParams{PoolID: "us-east-1_X", Limit: tc.limit})
		if err != nil {
			t.Fatal(err)
		}
		if len(got) != tc.want || fmt.Sprint(limits) != fmt.Sprint(tc.limits) {
			t.Errorf("%d users, limit %d: got %d users with page limits %v; want %d with %v", tc.users, tc.limit, len(got), limits, tc.want, tc.limits)
		}
		if len(got) > 0 && got[len(got)-1].Username != fmt.Sprintf("u%03d", len(got)-1) {
			t.Errorf("users out of order: last %q", got[len(got)-1].Username)
		}
	}
}

func TestListChecksBeforeSending(t *testing.T) {
	var limits []int
	a := pagedUsers(t, 3, &limits)
	for _, p := range []ListParams{
		{Filter: "email = a"},
		{Attributes: []string{"e mail"}},
		{Limit: -1},
	} {
		if _, err := a.List(t.Context(), p); exit.CodeOf(err) != exit.Usage {
			t.Errorf("List(%+v): err = %v, want a usage error", p, err)
		}
	}
	if len(limits) != 0 {
		t.Fatalf("%d requests sent for bad input", len(limits))
	}
}
