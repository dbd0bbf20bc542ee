package alert

import "github.com/prometheus/common/model"

// Fingerprint identifies an alert by its label set: the same labels always
// give the same 16 hex digits, whatever their order. It is the hash
// Alertmanager itself reports, so an alert that arrives once with and once
// without its fingerprint is recognised as the same one.
func Fingerprint(labels map[string]string) string {
	ls := make(model.LabelSet, len(labels))
	for k, v := range labels {
		ls[model.LabelName(k)] = model.LabelValue(v)
	}
	return ls.Fingerprint().String()
}
