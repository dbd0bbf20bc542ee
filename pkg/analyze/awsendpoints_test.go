package analyze

import (
	"testing"

	"github.com/cloudobs/aiops-app/pkg/incident"
)

// An AWS SDK error names its API, not its endpoint: the regional endpoint
// is told from the line's region or the pods' nodes'; without a region,
// or for a line naming no AWS API, there is none.
func TestAWSServicePeer(t *testing.T) {
	for _, tt := range []struct {
		line, nodeRegion, want string
	}{
		{"botocore.exceptions.ClientError: An error occurred (ProvisionedThroughputExceededException) when calling the UpdateItem operation", "us-east-2", "dynamodb.us-east-2.amazonaws.com"},
		{"software.amazon.awssdk.services.dynamodb.model.ProvisionedThroughputExceededException: Rate of requests exceeds the allowed throughput. (Service: DynamoDb, Status Code: 400, Request ID: X)", "eu-west-1", "dynamodb.eu-west-1.amazonaws.com"},
		{"operation error SQS: SendMessage, https response error StatusCode: 400, RequestID: x, api error ThrottlingException: Rate exceeded", "", ""},
		{"operation error SQS: SendMessage, failed to resolve region ap-southeast-2, ThrottlingException", "", "sqs.ap-southeast-2.amazonaws.com"},
		{"ThrottlingException: Rate exceeded", "eu-west-1", ""},
	} {
		b := newBundle(orderPod("order-1", healthy()))
		b.Nodes = []incident.NodeState{{Name: "node-a", Region: tt.nodeRegion}}
		recs := []logRecord{{Namespace: "shop", Pod: "order-1", Pods: []string{"order-1"}, Lines: []string{tt.line}, Count: 1}}
		got, ok := awsServicePeer(b, recs)
		if ok != (tt.want != "") || got.Name != tt.want {
			t.Errorf("awsServicePeer(%q) = %v %v, want %q", tt.line, got, ok, tt.want)
		}
	}
}
