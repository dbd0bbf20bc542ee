package netguard

import (
	"context"
	"errors"
	"net"
	"net/http"
	"net/http/httptest"
	"net/netip"
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
