package users

import (
	"context"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	cip "github.com/aws/aws-sdk-go-v2/service/cognitoidentityprovider"
	"github.com/aws/aws-sdk-go-v2/service/cognitoidentityprovider/types"

	"github.com/cogtool/cogtool/internal/cognito"
	"github.com/cogtool/cogtool/internal/exit"
)

// maxPage is the largest page ListUsers, ListGroups, ListUsersInGroup and
// AdminListGroupsForUser accept (their Limit is 0..60).
const maxPage = 60

// Enable runs AdminEnableUser.
func (a *Admin) Enable(ctx context.Context, poolID, username string) error {
	_, err := a.idp.API.AdminEnableUser(ctx, &cip.AdminEnableUserInput{UserPoolId: aws.String(poolID), Username: aws.String(username)})
	return cognito.MapAWSError("AdminEnableUser", err)
}

// Disable runs AdminDisableUser.
func (a *Admin) Disable(ctx context.Context, poolID, username string) error {
	_, err := a.idp.API.AdminDisableUser(ctx, &cip.AdminDisableUserInput{UserPoolId: aws.String(poolID), Username: aws.String(username)})
	return cognito.MapAWSError("AdminDisableUser", err)
}

// UpdateAttributes runs AdminUpdateUserAttributes with set (when any),
// then AdminDeleteUserAttributes with remove (when any).
func (a *Admin) UpdateAttributes(ctx context.Context, poolID, username string, set []Attribute, remove []string) error {
	if len(set) > 0 {
		_, err := a.idp.API.AdminUpdateUserAttributes(ctx, &cip.AdminUpdateUserAttributesInput{UserPoolId: aws.String(poolID),
			Username: aws.String(username), UserAttributes: sdkAttributes(set)})
		if err != nil {
			return cognito.MapAWSError("AdminUpdateUserAttributes", err)
		}
	}
	if len(remove) > 0 {
		_, err := a.idp.API.AdminDeleteUserAttributes(ctx, &cip.AdminDeleteUserAttributesInput{UserPoolId: aws.String(poolID),
			Username: aws.String(username), UserAttributeNames: remove})
		if err != nil {
			return cognito.MapAWSError("AdminDeleteUserAttributes", err)
		}
	}
	return nil
}

// SignOut runs AdminUserGlobalSignOut: every refresh token of the user is
// revoked (access and ID tokens stay valid until they expire).
func (a *Admin) SignOut(ctx context.Context, poolID, username string) error {
	_, err := a.idp.API.AdminUserGlobalSignOut(ctx, &cip.AdminUserGlobalSignOutInput{UserPoolId: aws.String(poolID), Username: aws.String(username)})
	return cognito.MapAWSError("AdminUserGlobalSignOut", err)
}

// ResetPassword runs AdminResetUserPassword: the user's status becomes
// RESET_REQUIRED and a code goes to their verified email or phone.
func (a *Admin) ResetPassword(ctx context.Context, poolID, username string) error {
	_, err := a.idp.API.AdminResetUserPassword(ctx, &cip.AdminResetUserPasswordInput{UserPoolId: aws.String(poolID), Username: aws.String(username)})
	return cognito.MapAWSError("AdminResetUserPassword", err)
}

// ListParams are ListUsers' inputs.
type ListParams struct {
	PoolID string
	// Filter is checked with CheckFilter before it is sent.
	Filter string
	// Limit caps the users returned across all pages; 0 means all.
	Limit int
	// Attributes, when set, is AttributesToGet.
	Attributes []string
}

// List runs ListUsers page by page until Limit users are read or the
// pages end.
func (a *Admin) List(ctx context.Context, p ListParams) ([]User, error) {
	if err := CheckFilter(p.Filter); err != nil {
		return nil, err
	}
	for _, n := range p.Attributes {
		if err := CheckAttributeName(n); err != nil {
			return nil, exit.Usagef("attribute %q: %w", n, err)
		}
	}
	if p.Limit < 0 {
		return nil, exit.Usagef("limit %d: want 0 (all) or more", p.Limit)
	}
	var (
		out   []User
		token *string
	)
	for {
		in := &cip.ListUsersInput{UserPoolId: aws.String(p.PoolID), PaginationToken: token, AttributesToGet: p.Attributes}
		if p.Filter != "" {
			in.Filter = aws.String(p.Filter)
		}
		page := maxPage
		if p.Limit > 0 {
			page = min(maxPage, p.Limit-len(out))
		}
		in.Limit = aws.Int32(int32(page))
		res, err := a.idp.API.ListUsers(ctx, in)
		if err != nil {
			return nil, a.idp.MapCallError(cognito.Call{Op: "ListUsers", PoolID: p.PoolID, Filter: p.Filter}, err)
		}
		for _, u := range res.Users {
			out = append(out, userOf(u))
		}
		token = res.PaginationToken
		if aws.ToString(token) == "" || (p.Limit > 0 && len(out) >= p.Limit) {
			break
		}
	}
	if p.Limit > 0 && len(out) > p.Limit {
		out = out[:p.Limit]
	}
	return out, nil
}

func userOf(u types.UserType) User {
	return User{Username: aws.ToString(u.Username), Status: string(u.UserStatus), Enabled: u.Enabled,
		Attributes: attrMap(u.Attributes), Created: u.UserCreateDate, Modified: u.UserLastModifiedDate}
}

// Group is a user-pool group.
type Group struct {
	Name        string     `json:"name"`
	Description string     `json:"description,omitempty"`
	Precedence  *int32     `json:"precedence,omitempty"`
	RoleARN     string     `json:"role_arn,omitempty"`
	Created     *time.Time `json:"created,omitempty"`
	Modified    *time.Time `json:"modified,omitempty"`
}

func groupOf(g *types.GroupType) Group {
	return Group{Name: aws.ToString(g.GroupName), Description: aws.ToString(g.Description), Precedence: g.Precedence,
		RoleARN: aws.ToString(g.RoleArn), Created: g.CreationDate, Modified: g.LastModifiedDate}
}

// GroupsOf runs AdminListGroupsForUser, all pages.
func (a *Admin) GroupsOf(ctx context.Context, poolID, username string) ([]Group, error) {
	return allPages("AdminListGroupsForUser", func(token *string) ([]Group, *string, error) {
		res, err := a.idp.API.AdminListGroupsForUser(ctx, &cip.AdminListGroupsForUserInput{UserPoolId: aws.String(poolID),
			Username: aws.String(username), NextToken: token, Limit: aws.Int32(maxPage)})
		if err != nil {
			return nil, nil, err
		}
		return groupsOf(res.Groups), res.NextToken, nil
	})
}

// Groups runs ListGroups, all pages.
func (a *Admin) Groups(ctx context.Context, poolID string) ([]Group, error) {
	return allPages("ListGroups", func(token *string) ([]Group, *string, error) {
		res, err := a.idp.API.ListGroups(ctx, &cip.ListGroupsInput{UserPoolId: aws.String(poolID), NextToken: token, Limit: aws.Int32(maxPage)})
		if err != nil {
			return nil, nil, err
		}
		return groupsOf(res.Groups), res.NextToken, nil
	})
}

func groupsOf(gs []types.GroupType) []Group {
	out := make([]Group, len(gs))
	for i := range gs {
		out[i] = groupOf(&gs[i])
	}
	return out
}

// allPages gathers every page of a list call: page sends one request with
// the token the page before returned (nil for the first) and returns its
// items and the next token, empty after the last page.
func allPages[T any](op string, page func(token *string) ([]T, *string, error)) ([]T, error) {
	var (
		out   []T
		token *string
	)
	for {
		items, next, err := page(token)
		if err != nil {
			return nil, cognito.MapAWSError(op, err)
		}
		out = append(out, items...)
		if token = next; aws.ToString(token) == "" {
			return out, nil
		}
	}
}

// GroupParams are CreateGroup's inputs.
type GroupParams struct {
	PoolID, Name, Description string
	Precedence                *int32
}

// CreateGroup runs CreateGroup.
func (a *Admin) CreateGroup(ctx context.Context, p GroupParams) (*Group, error) {
	in := &cip.CreateGroupInput{UserPoolId: aws.String(p.PoolID), GroupName: aws.String(p.Name), Precedence: p.Precedence}
	if p.Description != "" {
		in.Description = aws.String(p.Description)
	}
	res, err := a.idp.API.CreateGroup(ctx, in)
	if err != nil {
		return nil, cognito.MapAWSError("CreateGroup", err)
	}
	if res.Group == nil {
		return nil, exit.Networkf("CreateGroup: malformed reply: no group")
	}
	g := groupOf(res.Group)
	return &g, nil
}

// DeleteGroup runs DeleteGroup.
func (a *Admin) DeleteGroup(ctx context.Context, poolID, name string) error {
	_, err := a.idp.API.DeleteGroup(ctx, &cip.DeleteGroupInput{UserPoolId: aws.String(poolID), GroupName: aws.String(name)})
	return cognito.MapAWSError("DeleteGroup", err)
}

// AddToGroup runs AdminAddUserToGroup.
func (a *Admin) AddToGroup(ctx context.Context, poolID, group, username string) error {
	_, err := a.idp.API.AdminAddUserToGroup(ctx, &cip.AdminAddUserToGroupInput{UserPoolId: aws.String(poolID),
		GroupName: aws.String(group), Username: aws.String(username)})
	return cognito.MapAWSError("AdminAddUserToGroup", err)
}

// RemoveFromGroup runs AdminRemoveUserFromGroup.
func (a *Admin) RemoveFromGroup(ctx context.Context, poolID, group, username string) error {
	_, err := a.idp.API.AdminRemoveUserFromGroup(ctx, &cip.AdminRemoveUserFromGroupInput{UserPoolId: aws.String(poolID),
		GroupName: aws.String(group), Username: aws.String(username)})
	return cognito.MapAWSError("AdminRemoveUserFromGroup", err)
}

// Members runs ListUsersInGroup, all pages.
func (a *Admin) Members(ctx context.Context, poolID, group string) ([]User, error) {
	return allPages("ListUsersInGroup", func(token *string) ([]User, *string, error) {
		res, err := a.idp.API.ListUsersInGroup(ctx, &cip.ListUsersInGroupInput{UserPoolId: aws.String(poolID),
			GroupName: aws.String(group), NextToken: token, Limit: aws.Int32(maxPage)})
		if err != nil {
			return nil, nil, err
		}
		users := make([]User, len(res.Users))
		for i, u := range res.Users {
			users[i] = userOf(u)
		}
		return users, res.NextToken, nil
	})
}

// API is the signed user-pool API client, for the read-only Describe
// calls of doctor and config init.
func (a *Admin) API() *cip.Client { return a.idp.API }
