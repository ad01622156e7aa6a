package aws_test

import (
	"context"
	"encoding/json"
	"reflect"
	"slices"
	"strings"
	"testing"

	"cloudward/internal/collect"
	"cloudward/internal/collect/aws"
	"cloudward/internal/collect/aws/awstest"
	"cloudward/internal/resource"
)

// TestPlanAndRunJobsMatchCollect plans the standard scenario, sends every
// job through JSON (as the queue does), runs them in reverse order on a
// second collector (another process, with its own credentials and state)
// and checks that the result is exactly what Collect yields.
func TestPlanAndRunJobsMatchCollect(t *testing.T) {
	_, want := scenario(t, awstest.Options{})

	srv := awstest.New(awstest.Options{Dir: fakeDir,
		Deny:          map[string]bool{member + "/eu-west-1/*": true},
		ThrottleFirst: map[string]int{"lambda:ListFunctions": 2, "iam:GetAccountAuthorizationDetails": 1}})
	t.Cleanup(srv.Close)
	planner := newCollector(srv, aws.Options{Org: true})
	var got sink
	jobs, err := planner.Plan(context.Background(), &got)
	if err != nil {
		t.Fatalf("Plan: %v", err)
	}
	if len(got.resources) != 0 {
		t.Errorf("Plan emitted %d resources; planning must only resolve the scope", len(got.resources))
	}
	seen := map[string]bool{}
	for _, j := range jobs {
		if seen[j.String()] {
			t.Errorf("job %s planned twice", j)
		}
		seen[j.String()] = true
		if strings.Contains(string(j.Data), "secret") || strings.Contains(string(j.Data), "AKID") {
			t.Errorf("job %s carries credentials: %s", j, j.Data)
		}
	}
	raw, err := json.Marshal(jobs)
	if err != nil {
		t.Fatal(err)
	}
	var decoded []collect.Job
	if err := json.Unmarshal(raw, &decoded); err != nil {
		t.Fatal(err)
	}
	slices.Reverse(decoded)
	worker := newCollector(srv, aws.Options{})
	for _, j := range decoded {
		if err := worker.RunJob(context.Background(), j, &got); err != nil {
			t.Fatalf("RunJob %s: %v", j, err)
		}
	}
	if g, w := got.golden(), want.golden(); !reflect.DeepEqual(g, w) {
		gj, _ := json.MarshalIndent(g, "", " ")
		wj, _ := json.MarshalIndent(w, "", " ")
		t.Errorf("jobs collected %d resources, %d edges, %d errors; Collect %d, %d, %d\njobs: %.2000s\ncollect: %.2000s",
			len(g.Resources), len(g.Edges), len(g.Errors), len(w.Resources), len(w.Edges), len(w.Errors), gj, wj)
	}
}

// TestRunJobRejectsBadJobs checks that a job the collector cannot have
// planned is an error naming the job, not a panic or a silent no-op.
func TestRunJobRejectsBadJobs(t *testing.T) {
	srv := awstest.New(awstest.Options{Dir: fakeDir})
	t.Cleanup(srv.Close)
	c := newCollector(srv, aws.Options{})
	data := `{"name":"a","uid":"arn:aws:iam::111111111111:root","partition":"aws","regions":["us-east-1"]}`
	for name, tc := range map[string]struct {
		job  collect.Job
		want string
	}{
		"other provider":     {collect.Job{Provider: resource.GCP, Account: mgmt, Region: "global", Service: "iam", Data: json.RawMessage(data)}, "not an AWS job"},
		"bad data":           {collect.Job{Provider: resource.AWS, Account: mgmt, Region: "global", Service: "iam", Data: json.RawMessage(`[`)}, "decode"},
		"no partition":       {collect.Job{Provider: resource.AWS, Account: mgmt, Region: "global", Service: "iam", Data: json.RawMessage(`{"name":"a"}`)}, "missing"},
		"unknown svc":        {collect.Job{Provider: resource.AWS, Account: mgmt, Region: "us-east-1", Service: "nope", Data: json.RawMessage(data)}, "no such service"},
		"region not planned": {collect.Job{Provider: resource.AWS, Account: mgmt, Region: "eu-west-3", Service: "ec2", Data: json.RawMessage(data)}, "no such service"},
	} {
		t.Run(name, func(t *testing.T) {
			var s sink
			err := c.RunJob(context.Background(), tc.job, &s)
			if err == nil || !strings.Contains(err.Error(), tc.want) {
				t.Errorf("RunJob: %v, want an error containing %q", err, tc.want)
			}
		})
	}
}
