package iiv

import (
	"math"
	"testing"

	"pgregory.net/rapid"
)

// crossEntropy is the p-weighted cross-entropy of the rescaled model p̂_s
// (Section 3.1, Eq. (3) and Section 3.2 of arXiv:2509.04664, with the weight p(r|c) that v1 omits from the printed prompted loss): rows with p̂ > z are multiplied by
// s and each context is renormalised by Z_c(s) = 1 + (s−1)·p̂(A_c|c), where
// the context's unlisted mass stays below the threshold. Written from the
// definition, independently of the package.
func crossEntropy(rows []Row[Float], z, s float64) float64 {
	contexts := map[string]bool{}
	mu := map[string]float64{}
	inA := map[string]float64{}
	for _, r := range rows {
		contexts[r.Context] = true
		if r.HasMu {
			mu[r.Context] = float64(r.Mu)
		}
		if float64(r.Phat) > z {
			inA[r.Context] += float64(r.Phat)
		}
	}
	L := 0.0
	for _, r := range rows {
		if !r.Label.isValid() || r.P == 0 {
			continue
		}
		m, ok := mu[r.Context]
		if !ok {
			m = 1 / float64(len(contexts))
		}
		q := float64(r.Phat)
		if q > z {
			q *= s
		}
		q /= 1 + (s-1)*inA[r.Context]
		L -= m * float64(r.P) * math.Log(q)
	}
	return L
}

// TestDeltaIsRescalingDerivative checks Section 3.1, Eq. (3) of arXiv:2509.04664's claim
// δ = |d/ds L(p̂_s)| at s = 1 by central finite differences of the loss.
func TestDeltaIsRescalingDerivative(t *testing.T) {
	rapid.Check(t, func(t *rapid.T) {
		rows := genInstance(t, false)
		frows := make([]Row[Float], 0, len(rows))
		for _, r := range rows {
			// The loss is finite only if every valid response has p̂ > 0.
			if r.Label.isValid() && r.Phat.Sign() == 0 {
				t.Skip("a valid response with p̂ = 0 makes the loss infinite")
			}
			frows = append(frows, Row[Float]{Context: r.Context, Response: r.Response, Label: r.Label,
				Mu: Float(r.Mu.Float64()), HasMu: r.HasMu, P: Float(r.P.Float64()), HasP: r.HasP, Phat: Float(r.Phat.Float64())})
		}
		res, err := analyzeRows(frows)
		if err != nil {
			t.Fatal(err)
		}
		z := float64(res.Paper.Z)
		const h = 1e-5
		fd := (crossEntropy(frows, z, 1+h) - crossEntropy(frows, z, 1-h)) / (2 * h)
		if d := math.Abs(math.Abs(fd) - float64(res.DeltaRescale)); d > 1e-6 {
			t.Fatalf("finite-difference |dL/ds| = %g, DeltaRescale = %g, δ = %g", math.Abs(fd), float64(res.DeltaRescale), float64(res.Paper.Delta))
		}
		// The sign: dL/ds = p̂(A) − p(A).
		if want := float64(res.Paper.PhatA - res.Paper.PA); math.Abs(fd-want) > 1e-6 {
			t.Fatalf("dL/ds = %g, p̂(A) − p(A) = %g", fd, want)
		}
	})
}
