package config

import (
	"strings"
	"testing"
	"time"
)

func TestWatchSettings(t *testing.T) {
	s, err := ParseSettings([]byte(`{}`), nil)
	if err != nil || s.Watch.Enabled || time.Duration(s.Watch.Interval) != 30*time.Second {
		t.Fatalf("default watch %+v, %v", s.Watch, err)
	}
	s, err = ParseSettings([]byte(`{"kubernetes":{"mode":"incluster"},"watch":{"enabled":true,"namespaces":[" shop ",""],"selector":" app=web ","interval":"1m"}}`), nil)
	if err != nil || len(s.Watch.Namespaces) != 1 || s.Watch.Namespaces[0] != "shop" || s.Watch.Selector != "app=web" || time.Duration(s.Watch.Interval) != time.Minute {
		t.Fatalf("watch %+v, %v", s.Watch, err)
	}
	for _, tc := range []struct{ json, want string }{
		{`{"kubernetes":{"mode":"incluster"},"watch":{"enabled":true}}`, "watch.namespaces: at least one namespace"},
		{`{"watch":{"enabled":true,"namespaces":["shop"]}}`, "watch.enabled: the log watch reads pods through Kubernetes"},
		{`{"watch":{"interval":"1s"}}`, "watch.interval: 1s is outside 5s..1h0m0s"},
		{`{"watch":{"namespaces":["Shop_1"]}}`, `watch.namespaces: "Shop_1" is not a namespace name`},
		{`{"watch":{"namespaces":["a","b","c","d","e","f","g","h","i","j","k","l","m","n","o","p","q","r","s","t","u"]}}`, "more than 20 namespaces"},
		{`{"watch":{"selector":"` + strings.Repeat("x", maxTextFieldLength+1) + `"}}`, "watch.selector: longer than"},
	} {
		if _, err := ParseSettings([]byte(tc.json), nil); err == nil || !strings.Contains(err.Error(), tc.want) {
			t.Errorf("%.80s: error %v, want %q", tc.json, err, tc.want)
		}
	}
}
