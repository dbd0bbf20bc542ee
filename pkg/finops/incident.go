package finops

import (
	"fmt"
	"time"

	"github.com/cloudobs/aiops-app/pkg/incident"
)

// IncidentCost is what an incident has cost so far: the compute the
// examined pods requested while it lasted, at the pricing's custom rates
// (the bundle does not say what each node costs), plus what explaining it
// cost in model calls.
func IncidentCost(b *incident.Bundle, p Pricing, llmUSD float64) incident.IncidentCost {
	out := incident.IncidentCost{LLMUSD: llmUSD, CPUPerCoreHour: p.CPUPerCoreHour, RAMPerGiBHour: p.RAMPerGiBHour}
	if b == nil {
		out.TotalUSD = llmUSD
		return out
	}
	start, end := b.Alert.StartsAt, b.Now
	if !b.Alert.EndsAt.IsZero() && b.Alert.EndsAt.Before(end) && !b.Alert.EndsAt.Before(start) {
		end = b.Alert.EndsAt
	}
	if !start.IsZero() && end.After(start) {
		out.Since = start
		for _, pod := range b.Pods {
			// A pod that is not running reserves nothing on a node.
			if pod.Phase != "Running" {
				continue
			}
			from := start
			if pod.StartTime.After(from) {
				from = pod.StartTime
			}
			hours := end.Sub(from).Hours()
			if hours <= 0 {
				continue
			}
			var cores, gibs float64
			for _, c := range pod.Containers {
				if c.Init {
					continue
				}
				cores += float64(c.Requests.CPUMilli) / 1000
				gibs += float64(c.Requests.MemoryBytes) / gib
			}
			out.Pods++
			out.CPUCoreHours += cores * hours
			out.RAMGiBHours += gibs * hours
		}
		out.Hours = end.Sub(start).Hours()
	}
	out.ComputeUSD = out.CPUCoreHours*p.CPUPerCoreHour + out.RAMGiBHours*p.RAMPerGiBHour
	out.TotalUSD = out.ComputeUSD + out.LLMUSD
	out.Basis = fmt.Sprintf("requests of %d running pods over %s at $%g per core-hour and $%g per GiB-hour, plus the model calls",
		out.Pods, time.Duration(out.Hours*float64(time.Hour)).Round(time.Minute), p.CPUPerCoreHour, p.RAMPerGiBHour)
	return out
}
