package netguard

import (
	"context"
	"errors"
	"fmt"
	"io"
	"net"
	"net/http"
	"net/http/httptest"
	"net/netip"
	"sync"
	"testing"
)

func TestCheck(t *testing.T) {
	cases := []struct {
		addr    string
		policy  Policy
		blocked bool
	}{
		{"169.254.169.254", Policy{}, true},
		{"169.254.170.2", Policy{}, true}, // ECS task metadata
		{"fe80::1", Policy{}, true},
		{"fd00:ec2::254", Policy{}, true},
		{"100.100.100.200", Policy{}, true},
		{"::ffff:169.254.169.254", Policy{}, true},
		{"169.254.169.254", Policy{AllowLinkLocal: true}, false},
		{"127.0.0.1", Policy{}, false},
		{"10.0.3.7", Policy{}, false},
		{"192.168.1.10", Policy{}, false},
		{"2001:db8::1", Policy{}, false},
	}
	for _, c := range cases {
		err := c.policy.Check(netip.MustParseAddr(c.addr))
		if got := errors.Is(err, ErrBlocked); got != c.blocked {
			t.Errorf("Check(%s, %+v) blocked=%v, want %v (err %v)", c.addr, c.policy, got, c.blocked, err)
		}
	}
}

func TestDialerRefusesMetadataButReachesLoopback(t *testing.T) {
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, _ *http.Request) {
		_, _ = w.Write([]byte("ok"))
	}))
	defer srv.Close()

	d := Policy{}.Dialer(nil)
	client := &http.Client{Transport: &http.Transport{DialContext: d.DialContext}}

	resp, err := client.Get(srv.URL)
	if err != nil {
		t.Fatalf("loopback upstream refused: %v", err)
	}
	_ = resp.Body.Close()

	// The dial is refused before any packet leaves, so this needs no network.
	_, err = d.DialContext(context.Background(), "tcp", "169.254.169.254:80")
	if !errors.Is(err, ErrBlocked) {
		t.Fatalf("dial to the metadata address: err = %v, want ErrBlocked", err)
	}
	var opErr *net.OpError
	if !errors.As(err, &opErr) {
		t.Fatalf("want a *net.OpError naming the dial, got %T", err)
	}
}

func TestControlRejectsNonIP(t *testing.T) {
	if err := (Policy{}).Control("tcp", "metadata.google.internal:80", nil); err == nil {
		t.Fatal("Control accepted an unresolved host name")
	}
}

func TestTransportFollowsNoRedirectToMetadata(t *testing.T) {
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.URL.Path == "/hop" {
			http.Redirect(w, r, "http://169.254.169.254/latest/meta-data/", http.StatusFound)
			return
		}
		_, _ = w.Write([]byte("ok"))
	}))
	defer srv.Close()
	client := &http.Client{Transport: Policy{}.Transport()}
	resp, err := client.Get(srv.URL + "/ok")
	if err != nil {
		t.Fatalf("loopback upstream refused: %v", err)
	}
	_ = resp.Body.Close()
	_, err = client.Get(srv.URL + "/hop")
	if !errors.Is(err, ErrBlocked) {
		t.Fatalf("redirect to the metadata address: err = %v, want ErrBlocked", err)
	}
}

// TestProxyFromTheEnvironmentCannotReachMetadata: with HTTPS_PROXY and
// HTTP_PROXY set, the dial guard sees only the proxy's address, so the
// target of every proxied request is checked before it is sent: metadata
// addresses are refused, and never reach the proxy, while other targets
// still go through it.
func TestProxyFromTheEnvironmentCannotReachMetadata(t *testing.T) {
	var proxied []string
	var mu sync.Mutex
	proxy := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		mu.Lock()
		proxied = append(proxied, r.URL.String())
		mu.Unlock()
		fmt.Fprint(w, "from the proxy")
	}))
	t.Cleanup(proxy.Close)
	t.Setenv("HTTP_PROXY", proxy.URL)
	t.Setenv("HTTPS_PROXY", proxy.URL)
	t.Setenv("NO_PROXY", "")
	client := &http.Client{Transport: Policy{}.Transport()}
	for _, target := range []string{"http://169.254.169.254/latest/meta-data/iam/", "http://[fd00:ec2::254]/latest/api/token",
		"http://100.100.100.200/latest/meta-data/", "http://169.254.170.2/v2/credentials"} {
		resp, err := client.Get(target)
		if err == nil {
			resp.Body.Close()
			t.Errorf("%s was fetched through the proxy", target)
			continue
		}
		if !errors.Is(err, ErrBlocked) {
			t.Errorf("%s: %v, want ErrBlocked", target, err)
		}
	}
	mu.Lock()
	if len(proxied) != 0 {
		t.Errorf("the proxy was asked for %v", proxied)
	}
	mu.Unlock()

	resp, err := client.Get("http://prometheus.invalid:9090/api/v1/query")
	if err != nil {
		t.Fatalf("an allowed target must still go through the proxy: %v", err)
	}
	body, _ := io.ReadAll(resp.Body)
	resp.Body.Close()
	if string(body) != "from the proxy" {
		t.Errorf("answer %q did not come from the proxy", body)
	}
	allowed := &http.Client{Transport: Policy{AllowLinkLocal: true}.Transport()}
	resp, err = allowed.Get("http://169.254.169.254/latest/meta-data/")
	if err != nil {
		t.Fatalf("allowLinkLocalUpstreams must also allow it through the proxy: %v", err)
	}
	resp.Body.Close()
}
