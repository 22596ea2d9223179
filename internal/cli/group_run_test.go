package cli

import (
	"context"
	"testing"
)

// Replies of the user-pool API shared by the group and user tables.
const (
	// 2030-01-01T00:00:00Z and 2030-01-02T02:04:05Z (an hour before runNow).
	runGroupsReply = `{"Groups":[{"GroupName":"admins","UserPoolId":"us-east-1_RunTables","Description":"can change anything","Precedence":1,"CreationDate":1893456000,"LastModifiedDate":1893549845},` +
		`{"GroupName":"readers","UserPoolId":"us-east-1_RunTables","CreationDate":1893456000,"LastModifiedDate":1893456000}]}`
	runUsersReply = `{"Users":[{"Username":"alice","Attributes":[{"Name":"sub","Value":"5f0c1e2a-1111-4222-8333-444455556666"},{"Name":"email","Value":"alice@example.com"}],"UserStatus":"CONFIRMED","Enabled":true,"UserCreateDate":1893456000,"UserLastModifiedDate":1893549845},` +
		`{"Username":"bob","Attributes":[{"Name":"custom:dept","Value":"ops"}],"UserStatus":"FORCE_CHANGE_PASSWORD","Enabled":false,"UserCreateDate":1893549845,"UserLastModifiedDate":1893549845}]}`
	runNoSuchGroup = "!ResourceNotFoundException Group not found."
	runNoSuchUser  = "!UserNotFoundException User does not exist."
	runDenied      = "!AccessDeniedException User: arn:aws:iam::123456789012:user/dev is not authorized to perform: cognito-idp:ListGroups on resource: arn:aws:cognito-idp:us-east-1:123456789012:userpool/us-east-1_RunTables"
)

func TestGroupListRunTable(t *testing.T) {
	run := func(ctx context.Context, o adminOptions) error {
		return groupListRun(ctx, &groupListOptions{adminOptions: o})
	}
	runAPITable(t, "group-list", []apiCase{
		{name: "groups", replies: map[string]string{"ListGroups": runGroupsReply}, run: run},
		{name: "none", replies: map[string]string{"ListGroups": `{"Groups":[]}`}, run: run},
		{name: "access-denied", replies: map[string]string{"ListGroups": runDenied}, run: run},
	})
}

func TestGroupMembersRunTable(t *testing.T) {
	run := func(ctx context.Context, o adminOptions) error {
		return groupMembersRun(ctx, &groupMembersOptions{adminOptions: o, Group: "admins"})
	}
	runAPITable(t, "group-members", []apiCase{
		{name: "members", replies: map[string]string{"ListUsersInGroup": runUsersReply}, run: run},
		{name: "none", replies: map[string]string{"ListUsersInGroup": `{"Users":[]}`}, run: run},
		{name: "no-such-group", replies: map[string]string{"ListUsersInGroup": runNoSuchGroup}, run: run},
	})
}

func TestGroupCreateRunTable(t *testing.T) {
	prec := int32(1)
	run := func(ctx context.Context, o adminOptions) error {
		return groupCreateRun(ctx, &groupCreateOptions{adminOptions: o, Name: "admins", Description: "can change anything", Precedence: &prec})
	}
	runAPITable(t, "group-create", []apiCase{
		{name: "created", replies: map[string]string{"CreateGroup": `{"Group":{"GroupName":"admins","UserPoolId":"us-east-1_RunTables","Description":"can change anything","Precedence":1,"CreationDate":1893553445,"LastModifiedDate":1893553445}}`}, run: run},
		{name: "exists", replies: map[string]string{"CreateGroup": "!GroupExistsException A group with the name admins already exists."}, run: run},
	})
}

func TestGroupDeleteRunTable(t *testing.T) {
	run := func(yes bool) func(context.Context, adminOptions) error {
		return func(ctx context.Context, o adminOptions) error {
			return groupDeleteRun(ctx, &groupDeleteOptions{adminOptions: o, Name: "readers", Yes: yes})
		}
	}
	ok := map[string]string{"DeleteGroup": `{}`}
	runAPITable(t, "group-delete", []apiCase{
		{name: "yes", replies: ok, run: run(true)},
		{name: "no-yes", replies: ok, run: run(false)},
		{name: "asked-y", replies: ok, run: run(false), prompt: "y\n"},
		{name: "asked-n", replies: ok, run: run(false), prompt: "n\n"},
		{name: "no-such-group", replies: map[string]string{"DeleteGroup": runNoSuchGroup}, run: run(true)},
	})
}

func TestGroupAddRunTable(t *testing.T) {
	run := func(remove bool) func(context.Context, adminOptions) error {
		return func(ctx context.Context, o adminOptions) error {
			return groupAddRun(ctx, &groupAddOptions{adminOptions: o, Group: "admins", Users: []string{"alice", "bob"}, Remove: remove})
		}
	}
	runAPITable(t, "group-add", []apiCase{
		{name: "add", replies: map[string]string{"AdminAddUserToGroup": `{}`}, run: run(false), drops: []string{"alice", "bob"}},
		{name: "no-such-user", replies: map[string]string{"AdminAddUserToGroup": runNoSuchUser}, run: run(false)},
	})
	runAPITable(t, "group-remove", []apiCase{
		{name: "remove", replies: map[string]string{"AdminRemoveUserFromGroup": `{}`}, run: run(true), drops: []string{"alice", "bob"}},
	})
}
