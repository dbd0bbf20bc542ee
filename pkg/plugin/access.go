package plugin

import (
	"context"
	"net/http"
	"strings"

	"github.com/grafana/grafana-plugin-sdk-go/backend"
	"github.com/grafana/grafana-plugin-sdk-go/backend/resource/httpadapter"
)

// Grafana organisation roles, weakest first.
const (
	RoleViewer = "Viewer"
	RoleEditor = "Editor"
	RoleAdmin  = "Admin"
)

// roleRank orders the roles; "None" and unknown roles rank 0 and are refused
// everything.
func roleRank(role string) int {
	switch role {
	case RoleViewer:
		return 1
	case RoleEditor:
		return 2
	case RoleAdmin:
		return 3
	default:
		return 0
	}
}

// hasRole reports whether u holds at least role.
func hasRole(u *backend.User, role string) bool {
	return u != nil && roleRank(u.Role) >= roleRank(role) && roleRank(role) > 0
}

// userName is what history records as the asker: the login, which is
// stable, else the e-mail.
func userName(u *backend.User) string {
	if u == nil {
		return ""
	}
	if u.Login != "" {
		return u.Login
	}
	return u.Email
}

// requestUser is the Grafana user behind a resource call, from the plugin
// context the SDK's httpadapter put into the request.
func requestUser(ctx context.Context) *backend.User {
	if u := httpadapter.UserFromContext(ctx); u != nil {
		return u
	}
	return backend.PluginConfigFromContext(ctx).User
}

// require wraps a handler so that it runs only for users holding role.
// role is read per request through minRole so that the configured
// minRoleExplain applies.
func (a *App) require(minRole func() string, h apiHandler) apiHandler {
	return func(w http.ResponseWriter, r *http.Request) error {
		u := requestUser(r.Context())
		role := minRole()
		if u == nil {
			return Errorf(http.StatusUnauthorized, "sign in to Grafana to use this")
		}
		if !hasRole(u, role) {
			return Errorf(http.StatusForbidden, "this needs the %s role or higher in this organisation; yours is %s", role, orNone(u.Role))
		}
		return h(w, r)
	}
}

func orNone(role string) string {
	if strings.TrimSpace(role) == "" {
		return "None"
	}
	return role
}

// explainRole is the configured minimum role for explaining and history.
func (a *App) explainRole() string { return a.settings.MinRoleExplain }

func adminRole() string { return RoleAdmin }
