package cloudwatch

import (
	"context"
	"fmt"
	"net"
	"net/http"
	"os"
	"os/exec"
	"strconv"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/credentials"
	"github.com/aws/aws-sdk-go-v2/service/cloudwatchlogs"
	"github.com/aws/aws-sdk-go-v2/service/cloudwatchlogs/types"
)

// startMoto runs moto_server on a free loopback port for one test: a loud
// skip locally when it is missing, a failure under CI=true.
func startMoto(t testing.TB) string {
	t.Helper()
	bin, err := exec.LookPath("moto_server")
	if err != nil {
		if os.Getenv("CI") == "true" {
			t.Fatalf("CI=true and moto_server is missing (scripts/system-deps.sh installs it): %v", err)
		}
		t.Skipf("SKIP: moto_server is missing (pip install 'moto[server]'): %v", err)
	}
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	port := l.Addr().(*net.TCPAddr).Port
	l.Close()
	cmd := exec.Command(bin, "-H", "127.0.0.1", "-p", strconv.Itoa(port))
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() {
		_ = cmd.Process.Kill()
		_ = cmd.Wait()
	})
	url := "http://127.0.0.1:" + strconv.Itoa(port)
	deadline := time.Now().Add(30 * time.Second)
	for {
		resp, err := http.Get(url + "/moto-api/")
		if err == nil {
			resp.Body.Close()
			return url
		}
		if time.Now().After(deadline) {
			t.Fatalf("moto_server not up at %s: %v", url, err)
		}
		time.Sleep(100 * time.Millisecond)
	}
}

var testCreds = credentials.NewStaticCredentialsProvider("testing", "testing", "")

// seeder writes log events as Fluent Bit's cloudwatch_logs output does.
type seeder struct {
	t      testing.TB
	client *cloudwatchlogs.Client
	group  string
}

func newSeeder(t testing.TB, endpoint, group string) *seeder {
	t.Helper()
	client := cloudwatchlogs.New(cloudwatchlogs.Options{Region: "eu-west-1", Credentials: testCreds, BaseEndpoint: aws.String(endpoint)})
	if _, err := client.CreateLogGroup(context.Background(), &cloudwatchlogs.CreateLogGroupInput{LogGroupName: aws.String(group)}); err != nil {
		t.Fatal(err)
	}
	return &seeder{t: t, client: client, group: group}
}

// put writes n events "<text> i" one second apart from start.
func (s *seeder) put(stream string, start time.Time, n int, text string) {
	s.t.Helper()
	ctx := context.Background()
	if _, err := s.client.CreateLogStream(ctx, &cloudwatchlogs.CreateLogStreamInput{LogGroupName: aws.String(s.group), LogStreamName: aws.String(stream)}); err != nil {
		s.t.Fatal(err)
	}
	var events []types.InputLogEvent
	for i := range n {
		events = append(events, types.InputLogEvent{Timestamp: aws.Int64(start.Add(time.Duration(i) * time.Second).UnixMilli()),
			Message: aws.String(fmt.Sprintf(text, i))})
	}
	if _, err := s.client.PutLogEvents(ctx, &cloudwatchlogs.PutLogEventsInput{LogGroupName: aws.String(s.group), LogStreamName: aws.String(stream), LogEvents: events}); err != nil {
		s.t.Fatal(err)
	}
}
