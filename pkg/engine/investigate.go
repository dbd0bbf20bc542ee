package engine

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"errors"
	"fmt"
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
		if ex, err = e.Explain(ctx, req); err != nil {
			return err
		}
		return e.kept(ctx, ex)
	})
	return ex, claimed, err
}

// InvestigateAll is Investigate for the firing alerts of one webhook
// delivery (an Alertmanager group): the group is claimed once, by its
// GroupID, and explained as ExplainAll does.
func (e *Engine) InvestigateAll(ctx context.Context, alerts []incident.Alert, req Request, lease time.Duration) (out []incident.Explanation, claimed bool, err error) {
	key := store.InvestigationKey(GroupID(alerts), time.Time{})
	claimed, err = e.investigate(ctx, key, lease, func() (err error) {
		if out, err = e.ExplainAll(ctx, alerts, req); err != nil {
			return err
		}
		return e.kept(ctx, out...)
	})
	return out, claimed, err
}

// ErrNotKept says the store could not record an investigation, its claim
// or its explanation (a full or read-only disk): the webhook delivery it
// came from must be tried again later, not marked done, or it is lost.
var ErrNotKept = errors.New("the explanation was not saved in the history")

// kept checks that the history holds each explanation. Interactive answers
// survive a failed save (it only costs the history); an investigation
// exists to be read later, so for it the save is the result.
func (e *Engine) kept(ctx context.Context, exs ...incident.Explanation) error {
	st, err := e.Store(ctx)
	if err != nil {
		return nil // no history to keep it in: the answer is the result
	}
	ctx, cancel := e.storeContext(context.WithoutCancel(ctx))
	defer cancel()
	for _, ex := range exs {
		if _, err := st.Get(ctx, ex.ID); err != nil {
			return fmt.Errorf("%w: %s: %v", ErrNotKept, ex.ID, err)
		}
	}
	return nil
}

// investigate runs explain when this engine claims key, and reports whether
// it did.
func (e *Engine) investigate(ctx context.Context, key string, lease time.Duration, explain func() error) (bool, error) {
	st, serr := e.Store(ctx)
	if serr != nil {
		return true, explain()
	}
	ok, err := st.ClaimInvestigation(ctx, key, e.Owner(), lease)
	if err != nil {
		return false, fmt.Errorf("%w: claim: %v", ErrNotKept, err)
	}
	if !ok {
		return false, nil
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
