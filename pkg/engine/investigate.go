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
	st, serr := e.Store(ctx)
	if serr != nil {
		ex, err = e.Explain(ctx, req)
		return ex, true, err
	}
	key := store.InvestigationKey(req.Alert.Fingerprint, req.Alert.StartsAt)
	ok, err := st.ClaimInvestigation(ctx, key, e.owner(), lease)
	if err != nil || !ok {
		return incident.Explanation{}, false, err
	}
	ex, err = e.Explain(ctx, req)
	if err != nil {
		// Leave the lease to run out, so that another delivery may retry.
		return ex, true, err
	}
	if ferr := st.FinishInvestigation(context.WithoutCancel(ctx), key, e.owner()); ferr != nil && !errors.Is(ferr, store.ErrNotClaimed) {
		e.opt.Logger.Warn("Marking an investigation finished failed", "error", ferr)
	}
	return ex, true, nil
}

// owner names this engine in investigation claims: the host and a random
// part, so that two instances on one host are told apart.
func (e *Engine) owner() string {
	e.ownerOnce.Do(func() {
		host, _ := os.Hostname()
		var b [6]byte
		_, _ = rand.Read(b[:])
		e.ownerID = clip(host, 200) + "/" + hex.EncodeToString(b[:])
	})
	return e.ownerID
}
