package netguard

import (
	"github.com/aws/aws-sdk-go-v2/aws"
	awshttp "github.com/aws/aws-sdk-go-v2/aws/transport/http"
)

// AWSClient guards the service calls of an AWS SDK client whose endpoint
// an admin may override (Bedrock, CloudWatch Logs). Pass the loaded
// config's HTTPClient and set the result on the config after loading: the
// credential chain keeps the client it was built with, so instance roles
// and EKS Pod Identity still reach their link-local endpoints. A client
// that is not the SDK's buildable one was supplied by the caller and is
// returned as it is.
func (p Policy) AWSClient(c aws.HTTPClient) aws.HTTPClient {
	if bc, ok := c.(*awshttp.BuildableClient); ok {
		return bc.WithTransportOptions(p.Apply)
	}
	return c
}
