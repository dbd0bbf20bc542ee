// Package netguard keeps outbound connections that an admin configures
// (Prometheus, Loki, Tempo, model endpoints) away from addresses that no
// observability upstream lives on but an attacker would love to reach: the
// cloud instance-metadata services and other link-local addresses. A URL that
// passes validation can still resolve to such an address later (DNS
// rebinding), so the check runs on every dial, against the address actually
// connected to, not on the host name.
package netguard

import (
	"context"
	"errors"
	"fmt"
	"net"
	"net/http"
	"net/netip"
	"net/url"
	"syscall"
	"time"

	"golang.org/x/net/http/httpproxy"
)

// ErrBlocked is returned (wrapped) when a dial targets a guarded address.
var ErrBlocked = errors.New("outbound address is blocked")

// Policy says which guarded ranges an admin has explicitly allowed.
type Policy struct {
	// AllowLinkLocal permits 169.254.0.0/16 and fe80::/10, including the
	// metadata addresses. Only for set-ups that really serve an upstream
	// there, such as an on-node proxy.
	AllowLinkLocal bool
}

// metadataAddrs are instance-metadata endpoints outside the link-local
// ranges: AWS's IPv6 IMDS and Alibaba Cloud's.
var metadataAddrs = []netip.Addr{
	netip.MustParseAddr("fd00:ec2::254"),
	netip.MustParseAddr("100.100.100.200"),
}

// Check reports whether a connection to addr is allowed.
func (p Policy) Check(addr netip.Addr) error {
	addr = addr.Unmap()
	if p.AllowLinkLocal {
		return nil
	}
	if addr.IsLinkLocalUnicast() || addr.IsLinkLocalMulticast() {
		return fmt.Errorf("%w: %s is link-local (cloud metadata lives there); allow it explicitly if an upstream really does", ErrBlocked, addr)
	}
	for _, m := range metadataAddrs {
		if addr == m {
			return fmt.Errorf("%w: %s is a cloud metadata endpoint", ErrBlocked, addr)
		}
	}
	return nil
}

// Control is a net.Dialer Control function enforcing the policy on the
// resolved address of every connection attempt.
func (p Policy) Control(_, address string, _ syscall.RawConn) error {
	host, _, err := net.SplitHostPort(address)
	if err != nil {
		return fmt.Errorf("netguard: %w", err)
	}
	addr, err := netip.ParseAddr(host)
	if err != nil {
		return fmt.Errorf("netguard: dialled address %q is not an IP: %w", host, err)
	}
	return p.Check(addr)
}

// Dialer returns a dialer that enforces the policy, based on base (which may
// be nil for the defaults).
func (p Policy) Dialer(base *net.Dialer) *net.Dialer {
	d := &net.Dialer{}
	if base != nil {
		copied := *base
		d = &copied
	}
	d.Control = p.Control
	return d
}

// Transport returns a clone of http.DefaultTransport (HTTP/2, idle
// pooling, a proxy from HTTPS_PROXY, HTTP_PROXY and NO_PROXY as they are
// now) whose every dial and every proxied request the policy checks.
// Redirects are covered too: each one dials anew.
func (p Policy) Transport() *http.Transport {
	t := http.DefaultTransport.(*http.Transport).Clone()
	// Read now rather than through http.ProxyFromEnvironment, which keeps
	// the first environment it saw for the process's life.
	env := httpproxy.FromEnvironment().ProxyFunc()
	t.Proxy = func(r *http.Request) (*url.URL, error) { return env(r.URL) }
	p.Apply(t)
	return t
}

// Apply makes t dial through the policy, with the default transport's
// connect timeout and keep-alive, and checks the target of every request
// t sends through a proxy. Clients that build their own transport (the
// AWS SDK's) pass theirs here.
func (p Policy) Apply(t *http.Transport) {
	t.DialContext = p.Dialer(&net.Dialer{Timeout: 30 * time.Second, KeepAlive: 30 * time.Second}).DialContext
	if next := t.Proxy; next != nil {
		t.Proxy = func(r *http.Request) (*url.URL, error) {
			proxy, err := next(r)
			if err != nil || proxy == nil {
				return proxy, err
			}
			if err := p.checkHost(r.Context(), r.URL.Hostname()); err != nil {
				return nil, err
			}
			return proxy, nil
		}
	}
}

// checkHost applies the policy to a target the proxy, not this process,
// will connect to: the dial guard only sees the proxy's address. An IP is
// checked as it is, a name by every address it resolves to here. A name
// that does not resolve here is left to the proxy's own DNS and policy:
// proxies commonly resolve names the plugin's pod cannot.
func (p Policy) checkHost(ctx context.Context, host string) error {
	if p.AllowLinkLocal {
		return nil
	}
	if addr, err := netip.ParseAddr(host); err == nil {
		return p.Check(addr)
	}
	addrs, err := net.DefaultResolver.LookupNetIP(ctx, "ip", host)
	if err != nil {
		return nil
	}
	for _, a := range addrs {
		if err := p.Check(a); err != nil {
			return fmt.Errorf("%s through the proxy: %w", host, err)
		}
	}
	return nil
}
