package engine

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"errors"
	"os"
	"time"

	"github.com/cloudobs/aiops-app/pkg/incident"
	"github.com/cloudobs/aiops-app/pkg/store"
)

// Investigate explains a webhook alert unless another replica sharing the
// store already does: Alertmanager delivers a webhook to every Grafana
// replica behind its URL, and each firing should be investigated (and paid
// for) once. The claim is a lease in the store; a replica that dies
// mid-investigation lets another take over once the lease runs out. Without
// a store there is nothing to share, and the alert is explained.
func (e *Engine) Investigate(ctx context.Context, req Request, lease time.Duration) (ex incident.Explanation, claimed bool, err error) {
	key := store.InvestigationKey(req.Alert.Fingerprint, req.Alert.StartsAt)
	claimed, err = e.investigate(ctx, key, lease, func() (err error) {
		ex, err = e.Explain(ctx, req)
		return err
	})
	return ex, claimed, err
}

// InvestigateAll is Investigate for the firing alerts of one webhook
// delivery (an Alertmanager group): the group is claimed once, by its
// GroupID, and explained as ExplainAll does.
func (e *Engine) InvestigateAll(ctx context.Context, alerts []incident.Alert, req Request, lease time.Duration) (out []incident.Explanation, claimed bool, err error) {
	key := store.InvestigationKey(GroupID(alerts), time.Time{})
	claimed, err = e.investigate(ctx, key, lease, func() (err error) {
		out, err = e.ExplainAll(ctx, alerts, req)
		return err
	})
	return out, claimed, err
}

// investigate runs explain when this engine claims key, and reports whether
// it did.
func (e *Engine) investigate(ctx context.Context, key string, lease time.Duration, explain func() error) (bool, error) {
	st, serr := e.Store(ctx)
	if serr != nil {
		return true, explain()
	}
	ok, err := st.ClaimInvestigation(ctx, key, e.Owner(), lease)
	if err != nil || !ok {
		return false, err
	}
	if err := explain(); err != nil {
		// Leave the lease to run out, so that another delivery may retry
		// later, unless the caller stopped it (the instance is shutting
		// down): then the queue that resumes it must find the claim free.
		if errors.Is(ctx.Err(), context.Canceled) {
			if rerr := st.ReleaseInvestigation(context.WithoutCancel(ctx), key, e.Owner()); rerr != nil {
				e.opt.Logger.Warn("Releasing a stopped investigation failed", "error", rerr)
			}
		}
		return true, err
	}
	if ferr := st.FinishInvestigation(context.WithoutCancel(ctx), key, e.Owner()); ferr != nil && !errors.Is(ferr, store.ErrNotClaimed) {
		e.opt.Logger.Warn("Marking an investigation finished failed", "error", ferr)
	}
	return true, nil
}

// Owner names this engine in investigation claims and webhook queue leases: the host and a random
// part, so that two instances on one host are told apart.
func (e *Engine) Owner() string {
	e.ownerOnce.Do(func() {
		host, _ := os.Hostname()
		var b [6]byte
		_, _ = rand.Read(b[:])
		e.ownerID = clip(host, 200) + "/" + hex.EncodeToString(b[:])
	})
	return e.ownerID
}
