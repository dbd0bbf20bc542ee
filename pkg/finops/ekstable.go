package finops

import "strings"

// The built-in EKS node price table: Linux on-demand list prices of the
// common instance families, $ per hour of the "large" size (2 vCPU) in
// us-east-1, scaled by size and by region. AWS prices sizes of a family
// linearly, so one figure per family is exact within us-east-1; the region
// factors are those of the m5 family and approximate other families to a
// few percent. A pricing file's instanceTypes win over this table.
var familyLargeUSEast1 = map[string]float64{
	"m5": 0.096, "m5a": 0.086, "m6i": 0.096, "m6a": 0.0864, "m7i": 0.1008, "m7a": 0.11592,
	"m6g": 0.077, "m7g": 0.0816,
	"c5": 0.085, "c5a": 0.077, "c6i": 0.085, "c6a": 0.0765, "c7i": 0.08925, "c6g": 0.068, "c7g": 0.0725,
	"r5": 0.126, "r5a": 0.113, "r6i": 0.126, "r6a": 0.1134, "r7i": 0.1323, "r6g": 0.1008, "r7g": 0.1071,
	"t3": 0.0832, "t3a": 0.0752, "t4g": 0.0672,
}

// sizeFactor is a size's price relative to "large".
var sizeFactor = map[string]float64{
	"nano": 0.0625, "micro": 0.125, "small": 0.25, "medium": 0.5, "large": 1, "xlarge": 2,
	"2xlarge": 4, "4xlarge": 8, "8xlarge": 16, "12xlarge": 24, "16xlarge": 32,
	"24xlarge": 48, "32xlarge": 64, "48xlarge": 96,
}

// regionFactor is a region's price relative to us-east-1.
var regionFactor = map[string]float64{
	"us-east-1": 1, "us-east-2": 1, "us-west-2": 1, "us-west-1": 1.167,
	"ca-central-1": 1.115, "sa-east-1": 1.594,
	"eu-west-1": 1.115, "eu-west-2": 1.156, "eu-west-3": 1.167, "eu-central-1": 1.198, "eu-north-1": 1.063,
	"ap-south-1": 1.094, "ap-southeast-1": 1.25, "ap-southeast-2": 1.25, "ap-northeast-1": 1.292,
	"ap-northeast-2": 1.229,
}

// eksOnDemand is the table's hourly price of an instance type in a region.
func eksOnDemand(instanceType, region string) (float64, bool) {
	family, size, ok := strings.Cut(instanceType, ".")
	if !ok {
		return 0, false
	}
	base, ok := familyLargeUSEast1[family]
	if !ok {
		return 0, false
	}
	sf, ok := sizeFactor[size]
	if !ok {
		return 0, false
	}
	rf, ok := regionFactor[region]
	if !ok {
		return 0, false
	}
	return base * sf * rf, true
}
