package pipeline

import (
	"github.com/apache/beam/sdks/v2/go/pkg/beam"
	"github.com/apache/beam/sdks/v2/go/pkg/beam/core/metrics"
)

// Shuffle is what a run of Audit sent into its CombinePerKey over prompt
// keys, from the pipeline's metrics: one element per record, of Bytes
// encoded key and value bytes in all.
type Shuffle struct {
	Records int64
	Bytes   int64
}

// PerRecord returns the mean encoded bytes per record, 0 without records.
func (s Shuffle) PerRecord() float64 {
	if s.Records == 0 {
		return 0
	}
	return float64(s.Bytes) / float64(s.Records)
}

// ShuffleOf reads the Shuffle of a finished run from its metrics (the
// committed values where the runner reports them, else the attempted).
func ShuffleOf(r beam.PipelineResult) Shuffle {
	var s Shuffle
	q := r.Metrics().Query(func(m metrics.SingleResult) bool { return m.Namespace() == Namespace })
	for _, c := range q.Counters() {
		switch c.Name() {
		case RecordsMetric:
			s.Records += c.Result()
		case ShuffleMetric:
			s.Bytes += c.Result()
		}
	}
	return s
}
