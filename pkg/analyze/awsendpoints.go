package analyze

import (
	"regexp"
	"slices"

	"github.com/cloudobs/aiops-app/pkg/incident"
)

// awsServices are the AWS APIs whose SDK errors name the service or its
// operation but not the endpoint they called: boto3's "when calling the
// PutItem operation", the Java SDK's "(Service: DynamoDb, ..." (v2) or
// "(Service: AmazonDynamoDBv2; ..." (v1), the Go SDK's "operation error
// DynamoDB: PutItem". The endpoint is "<prefix>.<region>.amazonaws.com".
var awsServices = []struct {
	prefix string
	re     *regexp.Regexp
}{
	{"dynamodb", regexp.MustCompile(`(?i)service: (?:amazon)?dynamodb|operation error dynamodb:|calling the (?:putitem|getitem|updateitem|deleteitem|query|scan|batchwriteitem|batchgetitem|transactwriteitems|transactgetitems) operation`)},
	{"sqs", regexp.MustCompile(`(?i)service: (?:amazon)?sqs|operation error sqs:|calling the (?:sendmessage|sendmessagebatch|receivemessage|deletemessage|deletemessagebatch) operation`)},
	{"kinesis", regexp.MustCompile(`(?i)service: (?:amazon)?kinesis|operation error kinesis:|calling the (?:putrecords?|getrecords|getsharditerator) operation`)},
	{"sns", regexp.MustCompile(`(?i)service: (?:amazon)?sns|operation error sns:|calling the publish operation`)},
}

// awsRegionRe is an AWS region name in a line ("eu-central-1").
var awsRegionRe = regexp.MustCompile(`\b(?:us|eu|ap|sa|ca|me|af|il|mx)(?:-gov)?-(?:north|south|east|west|central|northeast|southeast|northwest|southwest)-\d\b`)

// awsServicePeer is the regional endpoint of the one AWS API the records'
// lines name, in the region the line names or else the one region of the
// records' pods' nodes: the SDK calls the endpoint of the region it runs in.
func awsServicePeer(b *incident.Bundle, recs []logRecord) (incident.Entity, bool) {
	var prefix, region string
	for _, r := range recs {
		for _, l := range r.Lines {
			for _, s := range awsServices {
				if !s.re.MatchString(l) {
					continue
				}
				if prefix != "" && prefix != s.prefix {
					return incident.Entity{}, false
				}
				prefix = s.prefix
				if region == "" {
					region = awsRegionRe.FindString(l)
				}
			}
		}
	}
	if prefix == "" {
		return incident.Entity{}, false
	}
	if region == "" {
		region = nodesRegion(b, recordPods(recs))
	}
	if region == "" {
		return incident.Entity{}, false
	}
	return incident.Entity{Kind: incident.KindExternal, Name: prefix + "." + region + ".amazonaws.com"}, true
}

// nodesRegion is the one region of the nodes the pods run on, "" when
// unknown or several.
func nodesRegion(b *incident.Bundle, pods []string) string {
	var regions []string
	for _, p := range b.Pods {
		if !slices.Contains(pods, p.Name) {
			continue
		}
		for _, n := range b.Nodes {
			if n.Name == p.Node && n.Region != "" && !slices.Contains(regions, n.Region) {
				regions = append(regions, n.Region)
			}
		}
	}
	if len(regions) != 1 {
		return ""
	}
	return regions[0]
}
