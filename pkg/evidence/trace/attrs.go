package trace

import (
	"net"
	"net/url"
	"strings"
)

// maxAttrLen bounds any attribute value kept from a backend's answer.
const maxAttrLen = 512

// attrs are a span's attributes (OTLP) or tags (Jaeger) as strings.
type attrs map[string]string

func (a attrs) first(keys ...string) string {
	for _, k := range keys {
		if v := a[k]; v != "" {
			return v
		}
	}
	return ""
}

// peer is the host[:port] a client span called, from the current semantic
// conventions or the older ones, else from the URL.
func (a attrs) peer() string {
	host := a.first("server.address", "net.peer.name", "peer.hostname", "net.sock.peer.addr", "network.peer.address", "db.connection_string")
	port := a.first("server.port", "net.peer.port", "network.peer.port")
	if host == "" {
		if raw := a.first("url.full", "http.url"); raw != "" {
			if u, err := url.Parse(raw); err == nil {
				host, port = u.Hostname(), u.Port()
			}
		}
	}
	if host == "" {
		host = a.first("peer.service", "db.system")
	}
	if host == "" {
		return ""
	}
	if port != "" {
		return clip(net.JoinHostPort(host, port))
	}
	return clip(host)
}

// status is why the span failed: its status message, else the HTTP code.
func (a attrs) status(message string) string {
	if message != "" {
		return clip(message)
	}
	if c := a.first("http.response.status_code", "http.status_code", "rpc.grpc.status_code"); c != "" {
		return "status " + clip(c)
	}
	return clip(a.first("exception.message", "error.type", "error.message"))
}

func clip(s string) string {
	s = strings.Join(strings.Fields(s), " ")
	if len(s) > maxAttrLen {
		s = strings.ToValidUTF8(s[:maxAttrLen], "") + "…"
	}
	return s
}
