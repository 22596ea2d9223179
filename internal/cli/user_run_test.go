package cli

import (
	"context"
	"testing"

	"github.com/cogtool/cogtool/internal/testpeers/strict"
	"github.com/cogtool/cogtool/internal/users"
)

// strictWithAlice is an adminCase server: the strict fake with alice in
// its pool, disabled when disabled is set.
func strictWithAlice(disabled bool) func(*testing.T) apiTarget {
	return func(t *testing.T) apiTarget {
		srv, pool, _ := newStrictRun(t)
		u, err := pool.AddUser(strict.UserConfig{Username: "alice", Email: "alice@example.com", Password: "Corr3ct-horse!", Disabled: disabled})
		if err != nil {
			t.Fatal(err)
		}
		return apiTarget{URL: srv.URL, PoolID: pool.ID, Norm: []string{u.Sub, "ALICE_SUB"}}
	}
}

func TestUserListRunTable(t *testing.T) {
	run := func(p userListOptions) func(context.Context, adminOptions) error {
		return func(ctx context.Context, o adminOptions) error {
			p.adminOptions = o
			return userListRun(ctx, &p)
		}
	}
	list := map[string]string{"ListUsers": runUsersReply}
	runAPITable(t, "user-list", []apiCase{
		{name: "users", replies: list, run: run(userListOptions{})},
		{name: "filter-attributes", replies: list, run: run(userListOptions{Filter: `email ^= "alice"`, Limit: 5, Attributes: []string{"email", "custom:dept"}})},
		{name: "none", replies: map[string]string{"ListUsers": `{"Users":[]}`}, run: run(userListOptions{})},
		{name: "bad-filter", replies: list, run: run(userListOptions{Filter: `email = alice`})},
		{name: "invalid-parameter", replies: map[string]string{"ListUsers": "!InvalidParameterException Invalid search filter."}, run: run(userListOptions{Filter: `status = "Enabled"`})},
	})
}

func TestUserGroupsRunTable(t *testing.T) {
	run := func(ctx context.Context, o adminOptions) error {
		return userGroupsRun(ctx, &userGroupsOptions{adminOptions: o, Username: "alice"})
	}
	runAPITable(t, "user-groups", []apiCase{
		{name: "groups", replies: map[string]string{"AdminListGroupsForUser": runGroupsReply}, run: run},
		{name: "none", replies: map[string]string{"AdminListGroupsForUser": `{"Groups":[]}`}, run: run},
		{name: "no-such-user", replies: map[string]string{"AdminListGroupsForUser": runNoSuchUser}, run: run},
	})
}

// TestUserEnableRun meets the strict fake, which keeps the state enable
// and disable change.
func TestUserEnableRunTable(t *testing.T) {
	run := func(name string, enable bool) func(context.Context, adminOptions) error {
		return func(ctx context.Context, o adminOptions) error {
			return userEnableRun(ctx, &userEnableOptions{adminOptions: o, Username: name, Enable: enable})
		}
	}
	runAPITable(t, "user-enable", []apiCase{
		{name: "enable", server: strictWithAlice(true), run: run("alice", true)},
		{name: "no-such-user", server: strictWithAlice(true), run: run("bob", true)},
	})
	runAPITable(t, "user-disable", []apiCase{
		{name: "disable", server: strictWithAlice(false), run: run("alice", false), drops: []string{"alice"}},
	})
}

func TestUserDeleteRunTable(t *testing.T) {
	run := func(yes bool) func(context.Context, adminOptions) error {
		return func(ctx context.Context, o adminOptions) error {
			return userDeleteRun(ctx, &userDeleteOptions{adminOptions: o, Username: "bob", Yes: yes})
		}
	}
	ok := map[string]string{"AdminDeleteUser": `{}`}
	runAPITable(t, "user-delete", []apiCase{
		{name: "yes", replies: ok, run: run(true), drops: []string{"bob"}},
		{name: "no-yes", replies: ok, run: run(false)},
		{name: "asked-yes", replies: ok, run: run(false), prompt: "yes\n", drops: []string{"bob"}},
		{name: "asked-empty", replies: ok, run: run(false), prompt: "\n"},
		{name: "no-such-user", replies: map[string]string{"AdminDeleteUser": runNoSuchUser}, run: run(true)},
	})
}

func TestUserSignOutRunTable(t *testing.T) {
	run := func(yes bool) func(context.Context, adminOptions) error {
		return func(ctx context.Context, o adminOptions) error {
			return userSignOutRun(ctx, &userSignOutOptions{adminOptions: o, Username: "alice", Yes: yes})
		}
	}
	runAPITable(t, "user-sign-out", []apiCase{
		{name: "yes", replies: map[string]string{"AdminUserGlobalSignOut": `{}`}, run: run(true), drops: []string{"alice"}},
		{name: "no-yes", replies: map[string]string{"AdminUserGlobalSignOut": `{}`}, run: run(false)},
	})
}

func TestUserResetPasswordRunTable(t *testing.T) {
	run := func(ctx context.Context, o adminOptions) error {
		return userResetPasswordRun(ctx, &userResetPasswordOptions{adminOptions: o, Username: "alice"})
	}
	runAPITable(t, "user-reset-password", []apiCase{
		{name: "reset", replies: map[string]string{"AdminResetUserPassword": `{}`}, run: run},
		{name: "no-delivery", replies: map[string]string{"AdminResetUserPassword": "!InvalidParameterException Cannot reset password for the user as there is no registered/verified email or phone_number"}, run: run},
	})
}

func TestUserUpdateRunTable(t *testing.T) {
	run := func(ctx context.Context, o adminOptions) error {
		return userUpdateRun(ctx, &userUpdateOptions{adminOptions: o, Username: "alice",
			Set: []users.Attribute{{Name: "custom:dept", Value: "ops"}, {Name: "email", Value: "alice@example.org"}}, Delete: []string{"phone_number"}})
	}
	runAPITable(t, "user-update", []apiCase{
		{name: "update", replies: map[string]string{"AdminUpdateUserAttributes": `{}`, "AdminDeleteUserAttributes": `{}`}, run: run, drops: []string{"alice"}},
		{name: "no-such-user", replies: map[string]string{"AdminUpdateUserAttributes": runNoSuchUser}, run: run},
	})
}
