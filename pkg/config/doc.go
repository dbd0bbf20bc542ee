// Package config is the app's settings: their types, their defaults (in one
// place), their validation, naming each bad field, and where the data files
// live. It knows nothing of Grafana: the plugin hands it the jsonData and
// secureJsonData Grafana stores, the CLI builds the same Settings from its
// flags, and both give them to pkg/engine. Secrets are unexported and only
// readable through accessor methods, so printing Settings never shows them.
package config
