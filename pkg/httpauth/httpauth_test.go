package httpauth

import (
	"errors"
	"net/http"
	"net/http/httptest"
	"testing"
)

func TestEveryRequestCarriesTheCredentials(t *testing.T) {
	var got http.Header
	srv := httptest.NewServer(http.HandlerFunc(func(_ http.ResponseWriter, r *http.Request) { got = r.Header.Clone() }))
	defer srv.Close()
	for _, tc := range []struct {
		name string
		c    Credentials
		want map[string]string
	}{
		{"basic and tenant", Credentials{BasicUser: "u", BasicPassword: "p", TenantID: "team-a"},
			map[string]string{"Authorization": "Basic dTpw", TenantHeader: "team-a"}},
		{"bearer and headers", Credentials{BearerToken: "tok", Headers: map[string]string{"X-Gateway": "gw"}},
			map[string]string{"Authorization": "Bearer tok", "X-Gateway": "gw"}},
		{"nothing", Credentials{}, map[string]string{"Authorization": "", TenantHeader: ""}},
	} {
		req, _ := http.NewRequest(http.MethodGet, srv.URL, nil)
		resp, err := Client(tc.c, nil).Do(req)
		if err != nil {
			t.Fatal(err)
		}
		resp.Body.Close()
		for k, v := range tc.want {
			if got.Get(k) != v {
				t.Errorf("%s: %s = %q, want %q", tc.name, k, got.Get(k), v)
			}
		}
		if req.Header.Get("Authorization") != "" {
			t.Errorf("%s: the caller's request was changed", tc.name)
		}
	}
}

func TestBothSchemesAreRefused(t *testing.T) {
	if err := (Credentials{BasicUser: "u", BearerToken: "t"}).Validate(); !errors.Is(err, ErrBasicAndBearer) {
		t.Errorf("validate: %v", err)
	}
}

func TestClientLeavesTheBaseAlone(t *testing.T) {
	base := &http.Client{}
	c := Client(Credentials{BearerToken: "t"}, base)
	if base.Transport != nil || c.Transport == nil || c == base {
		t.Error("the base client was changed")
	}
}
