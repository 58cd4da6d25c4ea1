package ngram

import (
	"context"
	"fmt"
	"io"
	"math"

	"github.com/hallu-dev/hallu/iiv"
)

// The two prompts and responses of Corollary 2 (arXiv:2509.04664), and the two
// sentences that complete them, which Corollary2 adds to the training text.
const (
	Cor2Context1  = "She lost it and was completely out of"
	Cor2Context2  = "He lost it and was completely out of"
	Cor2Response1 = "her mind"
	Cor2Response2 = "his mind"
)

// Cor2Options are the parameters of Corollary2.
type Cor2Options struct {
	Orders []int // the model orders to train and measure
	// Repeat is how many times each of the paper's two sentences is added
	// to the training text (at least 1).
	Repeat int
}

// A Cor2Row is one (context, response) pair of the Corollary 2 instance, in
// the row shape that `hallu bound` reads.
type Cor2Row struct {
	Context  string  `json:"context"`
	Mu       float64 `json:"mu"`            // μ(c): 1/2 for each context
	Response string  `json:"response"`      // r
	Label    string  `json:"label"`         // "valid" (r ∈ V_c) or "error" (r ∈ E_c)
	P        float64 `json:"p"`             // p(r|c): 1 for the valid response, 0 for the error
	PHat     float64 `json:"phat"`          // p̂(r|c): the model's probability, normalised over the two responses
	LogProb  float64 `json:"model_logprob"` // ln of the model's probability of r after c, before normalising
}

// A Cor2Result is Corollary 2 measured on one trained model.
type Cor2Result struct {
	Order int `json:"order"`
	// Sees is true when the model's history reaches the word where the two
	// contexts differ ("She"/"He") while it predicts the first response
	// word: Order−1 ≥ the number of words in the contexts.
	Sees bool `json:"sees_subject"`
	// Separates is true when p̂(r1|c1) ≠ p̂(r1|c2): some threshold tells
	// the contexts apart.
	Separates bool      `json:"separates"`
	Rows      []Cor2Row `json:"rows"`
	// Err is the generative error rate err = Σ_c μ(c)·p̂(E_c|c).
	Err float64 `json:"err"`
	// Opt is min over thresholds t of err_iiv(f̂_t), where f̂_t(c,r) = +
	// iff p̂(r|c) > t (Theorem 4's classifier family), and Threshold is a t
	// that attains it.
	Opt       float64 `json:"opt"`
	Threshold float64 `json:"threshold"`
	// Bound is Theorem 3's lower bound 2·(1 − 1/C)·Opt with C = 2 choices:
	// err ≥ Bound.
	Bound float64 `json:"bound"`
}

// Corollary2 measures Corollary 2 of arXiv:2509.04664 on real text: it adds the sentences
// "She lost it and was completely out of her mind." and "He lost it and was
// completely out of his mind." to tr, trains a model of each order, and for
// each builds the two-context instance c1 = Cor2Context1, c2 = Cor2Context2,
// V_c1 = E_c2 = {r1 = Cor2Response1}, V_c2 = E_c1 = {r2 = Cor2Response2},
// μ uniform, p(r|c) = 1 on the valid response.
//
// p̂(r|c) is the model's probability of continuing c with r (Model.Score,
// without a sentence end), normalised over the two candidate responses: the
// paper's X holds only these four pairs, and p̂ must be a distribution over
// each context's plausible responses for err = p̂(E) to be a rate.
//
// A model whose history misses "She"/"He" scores r1 and r2 identically
// after c1 and c2, so every threshold misclassifies one pair of each
// response (Opt = 1/2), err = 1/2 exactly, and Theorem 3 gives err ≥ 1/2:
// the trigram of the paper, and every order up to 8. The first response word
// follows the 8 words of the context, so order 9 is the lowest that can
// separate the contexts (the "a 5-gram escapes it" does not hold for
// these sentences: a 5-gram sees only "was completely out of"). Whether it
// does depends on the data: a 9-gram seen once is nearly all discounted
// (D₁ ≈ 1 at order 9), so with Repeat 1 the contexts separate only barely.
//
// The threshold search is the minimum of Theorem 4's err_iiv(f̂_t) over this
// instance; it belongs to package iiv, and is here only until that lands.
func Corollary2(ctx context.Context, tr *Trainer, opt Cor2Options) ([]Cor2Result, error) {
	if opt.Repeat < 1 {
		return nil, fmt.Errorf("ngram: corollary 2: repeat %d, want at least 1", opt.Repeat)
	}
	for range opt.Repeat {
		tr.AddSentence(Cor2Context1 + " " + Cor2Response1 + ".")
		tr.AddSentence(Cor2Context2 + " " + Cor2Response2 + ".")
	}
	var out []Cor2Result
	for _, order := range opt.Orders {
		m, err := tr.Train(ctx, order)
		if err != nil {
			return nil, err
		}
		r, err := cor2Measure(m)
		if err != nil {
			return nil, fmt.Errorf("order %d: %w", order, err)
		}
		out = append(out, r)
	}
	return out, nil
}

// WriteInstance writes the instance of r as JSON Lines in the row format of
// `hallu bound` (iiv.Write), one (context, response) pair per line:
//
//	{"context":"She lost it …","response":"her mind","label":"valid","mu":0.5,"p":1,"phat":0.0355}
func (r Cor2Result) WriteInstance(w io.Writer) error {
	rows, err := cor2IIVRows(r.Rows)
	if err != nil {
		return err
	}
	return iiv.Write(w, rows)
}

// cor2Measure builds the instance from m and computes err, opt and the bound.
func cor2Measure(m *Model) (Cor2Result, error) {
	res := Cor2Result{
		Order: m.Order(),
		Sees:  m.Order()-1 >= len(Tokenize(Cor2Context1)),
	}
	for _, c := range []struct{ context, valid, wrong string }{
		{Cor2Context1, Cor2Response1, Cor2Response2},
		{Cor2Context2, Cor2Response2, Cor2Response1},
	} {
		lv := m.Score(c.context, " "+c.valid).LogProb
		le := m.Score(c.context, " "+c.wrong).LogProb
		top := max(lv, le)
		z := math.Exp(lv-top) + math.Exp(le-top)
		res.Rows = append(res.Rows,
			Cor2Row{Context: c.context, Mu: 0.5, Response: c.valid, Label: "valid", P: 1, PHat: math.Exp(lv-top) / z, LogProb: lv},
			Cor2Row{Context: c.context, Mu: 0.5, Response: c.wrong, Label: "error", P: 0, PHat: math.Exp(le-top) / z, LogProb: le},
		)
	}
	// Rows: (c1,r1) valid, (c1,r2) error, (c2,r2) valid, (c2,r1) error.
	res.Separates = res.Rows[0].PHat != res.Rows[3].PHat
	a, err := cor2Analyze(res.Rows)
	if err != nil {
		return res, err
	}
	res.Err, res.Opt, res.Threshold, res.Bound = float64(a.Err), float64(a.Opt), float64(a.OptLow), float64(a.MCBound)
	return res, nil
}

// cor2Analyze computes err, the best threshold's err_iiv and Theorem 3's
// bound 2(1 − 1/C)·opt (C = 2) with package iiv, the one implementation of
// those quantities.
func cor2Analyze(rows []Cor2Row) (iiv.Result[iiv.Float], error) {
	ivRows, err := cor2IIVRows(rows)
	if err != nil {
		return iiv.Result[iiv.Float]{}, err
	}
	var acc iiv.Accumulator[iiv.Float]
	for _, row := range ivRows {
		if err := acc.Add(row); err != nil {
			return iiv.Result[iiv.Float]{}, err
		}
	}
	return acc.Result()
}

// cor2IIVRows converts the instance's rows to package iiv's rows.
func cor2IIVRows(rows []Cor2Row) ([]iiv.Row[iiv.Float], error) {
	out := make([]iiv.Row[iiv.Float], len(rows))
	for i, r := range rows {
		label, err := iiv.ParseLabel(r.Label)
		if err != nil {
			return nil, err
		}
		out[i] = iiv.Row[iiv.Float]{Context: r.Context, Response: r.Response, Label: label,
			Mu: iiv.Float(r.Mu), HasMu: true, P: iiv.Float(r.P), HasP: true, Phat: iiv.Float(r.PHat), Line: i + 1}
	}
	return out, nil
}
