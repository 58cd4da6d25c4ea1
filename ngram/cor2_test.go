package ngram

import (
	"context"
	"math"
	"strings"
	"testing"

	"github.com/hallu-dev/hallu/ngram/corpus"
	"pgregory.net/rapid"
)

// TestCorollary2 trains on Moby-Dick plus the paper's two sentences. Up to
// order 8 the model's history never reaches "She"/"He", so the instance
// cannot be separated: opt = 1/2, err = 1/2 and Theorem 3's bound is 1/2,
// however often the sentences occur. Order 9 sees the subject. With each
// sentence seen once, its top-order discount (D₁ ≈ 1 for 9-grams, nearly
// all of which are singletons) hands almost all the mass to lower orders,
// so it separates the contexts only barely: opt drops to 1/4, err stays
// near 1/2. Seen twice, the 9-gram counts carry and err falls below 0.1.
func TestCorollary2(t *testing.T) {
	for _, c := range []struct {
		repeat int
		orders []int
	}{{1, []int{3, 5, 8, 9}}, {2, []int{3, 9}}} {
		tr := NewTrainer()
		if err := tr.AddText(corpus.MobyDick()); err != nil {
			t.Fatal(err)
		}
		res, err := Corollary2(context.Background(), tr, Cor2Options{Orders: c.orders, Repeat: c.repeat})
		if err != nil {
			t.Fatal(err)
		}
		for _, r := range res {
			t.Logf("repeat %d order %d: p̂(r1|c1)=%.4f p̂(r1|c2)=%.4f err=%.4f opt=%.4f bound=%.4f",
				c.repeat, r.Order, r.Rows[0].PHat, r.Rows[3].PHat, r.Err, r.Opt, r.Bound)
			if r.Sees != (r.Order >= 9) || r.Separates != (r.Order >= 9) {
				t.Errorf("order %d: sees %v, separates %v; want both %v", r.Order, r.Sees, r.Separates, r.Order >= 9)
			}
			switch {
			case r.Order < 9:
				if r.Opt != 0.5 || r.Bound != 0.5 || math.Abs(r.Err-0.5) > 1e-12 {
					t.Errorf("repeat %d order %d: opt %v, bound %v, err %v; want 1/2 each", c.repeat, r.Order, r.Opt, r.Bound, r.Err)
				}
			case c.repeat == 1:
				if r.Opt != 0.25 || r.Rows[0].PHat <= r.Rows[3].PHat || r.Err < r.Bound {
					t.Errorf("repeat 1 order %d: opt %v, err %v, p̂(r1|c1) %v vs p̂(r1|c2) %v; want opt 1/4 and p̂(r1|c1) larger",
						r.Order, r.Opt, r.Err, r.Rows[0].PHat, r.Rows[3].PHat)
				}
			default:
				if r.Opt != 0 || r.Err >= 0.1 {
					t.Errorf("repeat %d order %d: opt %v, err %v; want 0 and below 0.1", c.repeat, r.Order, r.Opt, r.Err)
				}
			}
		}
	}
}

// TestMinThresholdError checks a hand-worked instance: p̂(r1|c1) = 0.7,
// p̂(r2|c2) = 0.4, so the errors have p̂(r2|c1) = 0.3 and p̂(r1|c2) = 0.6.
// Each pair has D-mass 1/4. t = 0 or 0.4 is wrong on two pairs (1/2); t =
// 0.3 labels 0.7, 0.4 and 0.6 positive and is wrong only on the error 0.6;
// t = 0.6 labels only 0.7 positive and is wrong only on the valid 0.4; t =
// 0.7 labels nothing positive (1/2). The minimum, 1/4, is reached for t in
// [0.3, 0.4) and in [0.6, 0.7); iiv reports the larger interval's low end.
func TestCor2Analyze(t *testing.T) {
	res, err := cor2Analyze(cor2Rows(0.7, 0.4))
	if err != nil {
		t.Fatal(err)
	}
	if opt, th := float64(res.Opt), float64(res.OptLow); math.Abs(opt-0.25) > 1e-12 || math.Abs(th-0.6) > 1e-12 {
		t.Errorf("opt = %v at t = %v, want 0.25 at 0.6", opt, th)
	}
}

func cor2Rows(a, b float64) []Cor2Row {
	return []Cor2Row{
		{Context: "c1", Mu: 0.5, Response: "r1", Label: "valid", P: 1, PHat: a},
		{Context: "c1", Mu: 0.5, Response: "r2", Label: "error", P: 0, PHat: 1 - a},
		{Context: "c2", Mu: 0.5, Response: "r2", Label: "valid", P: 1, PHat: b},
		{Context: "c2", Mu: 0.5, Response: "r1", Label: "error", P: 0, PHat: 1 - b},
	}
}

// TestTheorem4OnCor2Instances: on every two-context instance of Corollary
// 2's shape, err ≥ 2·(1 − 1/2)·min_t err_iiv(f̂_t) (Theorems 3–4, C = 2).
func TestTheorem4OnCor2Instances(t *testing.T) {
	rapid.Check(t, func(t *rapid.T) {
		a := rapid.Float64Range(0, 1).Draw(t, "a")
		b := rapid.Float64Range(0, 1).Draw(t, "b")
		rows := cor2Rows(a, b)
		err := 0.5*(1-a) + 0.5*(1-b)
		res, aerr := cor2Analyze(rows)
		if aerr != nil {
			t.Fatal(aerr)
		}
		opt := float64(res.Opt)
		if math.Abs(float64(res.Err)-err) > 1e-12 {
			t.Fatalf("iiv err %v, by hand %v", float64(res.Err), err)
		}
		if err < opt-1e-12 {
			t.Fatalf("err %v < 2(1−1/C)·opt = %v", err, opt)
		}
	})
}

func TestWriteInstance(t *testing.T) {
	var b strings.Builder
	if err := (Cor2Result{Rows: cor2Rows(0.75, 0.5)}).WriteInstance(&b); err != nil {
		t.Fatal(err)
	}
	want := `{"context":"c1","response":"r1","label":"valid","mu":0.5,"p":1,"phat":0.75}
{"context":"c1","response":"r2","label":"error","mu":0.5,"p":0,"phat":0.25}
{"context":"c2","response":"r2","label":"valid","mu":0.5,"p":1,"phat":0.5}
{"context":"c2","response":"r1","label":"error","mu":0.5,"p":0,"phat":0.5}
`
	if b.String() != want {
		t.Errorf("WriteInstance wrote\n%s\nwant\n%s", b.String(), want)
	}
}
