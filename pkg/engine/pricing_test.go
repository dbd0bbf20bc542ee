package engine

import (
	"strings"
	"testing"

	"github.com/cloudobs/aiops-app/pkg/config"
	"github.com/cloudobs/aiops-app/pkg/finops"
)

func TestPricingOverrides(t *testing.T) {
	s, err := config.ParseSettings([]byte(`{"finops":{"cpuPerCoreHour":0.04,"spotDiscount":0.6,"region":"eu-west-1",
		"customOnly":true,"instanceTypes":{"m7g.large":{"onDemand":0.0816,"spot":0.03}}}}`), nil)
	if err != nil {
		t.Fatal(err)
	}
	p, err := Pricing(s)
	if err != nil {
		t.Fatal(err)
	}
	def := finops.DefaultPricing()
	if p.CPUPerCoreHour != 0.04 || p.RAMPerGiBHour != def.RAMPerGiBHour || p.SpotDiscount != 0.6 || p.Region != "eu-west-1" ||
		!p.CustomOnly || p.InstanceTypes["m7g.large"] != (finops.InstancePrice{OnDemand: 0.0816, Spot: 0.03}) {
		t.Errorf("pricing = %+v", p)
	}
	if p, _ := Pricing(config.DefaultSettings()); p.CPUPerCoreHour != def.CPUPerCoreHour || p.CustomOnly {
		t.Errorf("default pricing = %+v", p)
	}
	_, err = config.ParseSettings([]byte(`{"finops":{"cpuPerCoreHour":-1,"spotDiscount":1,"instanceTypes":{"m5.large":{"onDemand":5000}}}}`), nil)
	for _, field := range []string{"finops.cpuPerCoreHour", "finops.spotDiscount", "finops.instanceTypes.m5.large.onDemand"} {
		if err == nil || !strings.Contains(err.Error(), field) {
			t.Errorf("invalid %s not named: %v", field, err)
		}
	}
}
