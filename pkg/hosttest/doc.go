// Package hosttest holds the plugin-host test: it starts the backend
// binaries built into dist/ exactly as Grafana does (hashicorp/go-plugin with
// the SDK's gRPC handshake and plugin set) and calls them over gRPC. It has no
// code outside its tests; like Grafana itself it speaks the SDK's protocol,
// which is why it imports the SDK.
package hosttest
