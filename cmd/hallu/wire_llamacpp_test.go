package main

import (
	"bytes"
	"encoding/binary"
	"fmt"
	"math"
	"net"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/hallu-dev/hallu/internal/wiretest"
	"github.com/hallu-dev/hallu/report"
)

// ggufWriter writes the little-endian GGUF v3 format that llama.cpp reads
// (ggml's docs/gguf.md: header, key-value pairs, tensor infos, data
// aligned to 32 bytes).
type ggufWriter struct{ bytes.Buffer }

func (w *ggufWriter) u32(v uint32) { binary.Write(&w.Buffer, binary.LittleEndian, v) }
func (w *ggufWriter) u64(v uint64) { binary.Write(&w.Buffer, binary.LittleEndian, v) }
func (w *ggufWriter) str(s string) { w.u64(uint64(len(s))); w.WriteString(s) }

// GGUF value types.
const (
	ggufU32    = 4
	ggufI32    = 5
	ggufF32    = 6
	ggufString = 8
	ggufArray  = 9
)

type ggufTensor struct {
	name string
	dims []uint64 // ne0 first
	data []float32
}

// tinyLlama writes a one-layer llama model of width 8 whose next-token
// distribution is the same after any prompt: every attention and FFN
// weight is 0 and every embedding row all ones, so the hidden state is
// constant, and row v of the output matrix is (logit_v / 8)·1. Token "A"
// gets logit 2, "B" 1, "C" 0, "D" −1, every other −20.
func tinyLlama(path string) error {
	const E, F = 8, 16
	tokens := []string{"<unk>", "<s>", "</s>"}
	types := []int32{2, 3, 3}
	for b := range 256 {
		tokens, types = append(tokens, fmt.Sprintf("<0x%02X>", b)), append(types, 6)
	}
	for _, t := range []string{"A", "B", "C", "D", "▁A", "▁B", "▁C", "▁D", "▁Paris", "▁Lyon", "▁Answer", "▁Question", ":", "▁the"} {
		tokens, types = append(tokens, t), append(types, 1)
	}
	V := len(tokens)
	logit := map[string]float32{"A": 2, "B": 1, "C": 0, "D": -1}
	ones := func(n int) []float32 {
		x := make([]float32, n)
		for i := range x {
			x[i] = 1
		}
		return x
	}
	out := make([]float32, 0, E*V)
	for _, t := range tokens {
		l, ok := logit[t]
		if !ok {
			l = -20
		}
		for range E {
			out = append(out, l/E)
		}
	}
	tensors := []ggufTensor{
		{"token_embd.weight", []uint64{E, uint64(V)}, ones(E * V)},
		{"output_norm.weight", []uint64{E}, ones(E)},
		{"output.weight", []uint64{E, uint64(V)}, out},
		{"blk.0.attn_norm.weight", []uint64{E}, ones(E)},
		{"blk.0.ffn_norm.weight", []uint64{E}, ones(E)},
		{"blk.0.ffn_gate.weight", []uint64{E, F}, make([]float32, E*F)},
		{"blk.0.ffn_up.weight", []uint64{E, F}, make([]float32, E*F)},
		{"blk.0.ffn_down.weight", []uint64{F, E}, make([]float32, E*F)},
	}
	for _, n := range []string{"attn_q", "attn_k", "attn_v", "attn_output"} {
		tensors = append(tensors, ggufTensor{"blk.0." + n + ".weight", []uint64{E, E}, make([]float32, E*E)})
	}
	var w ggufWriter
	w.WriteString("GGUF")
	w.u32(3)
	w.u64(uint64(len(tensors)))
	w.u64(13) // key-value pairs below
	kvU32 := func(k string, v uint32) { w.str(k); w.u32(ggufU32); w.u32(v) }
	w.str("general.architecture")
	w.u32(ggufString)
	w.str("llama")
	kvU32("llama.context_length", 2048)
	kvU32("llama.embedding_length", E)
	kvU32("llama.block_count", 1)
	kvU32("llama.feed_forward_length", F)
	kvU32("llama.attention.head_count", 2)
	w.str("llama.attention.layer_norm_rms_epsilon")
	w.u32(ggufF32)
	binary.Write(&w.Buffer, binary.LittleEndian, float32(1e-5))
	w.str("tokenizer.ggml.model")
	w.u32(ggufString)
	w.str("llama")
	w.str("tokenizer.ggml.tokens")
	w.u32(ggufArray)
	w.u32(ggufString)
	w.u64(uint64(V))
	for _, t := range tokens {
		w.str(t)
	}
	w.str("tokenizer.ggml.token_type")
	w.u32(ggufArray)
	w.u32(ggufI32)
	w.u64(uint64(V))
	for _, t := range types {
		binary.Write(&w.Buffer, binary.LittleEndian, t)
	}
	kvU32("tokenizer.ggml.unknown_token_id", 0)
	kvU32("tokenizer.ggml.bos_token_id", 1)
	kvU32("tokenizer.ggml.eos_token_id", 2)
	var offset uint64
	for _, t := range tensors {
		w.str(t.name)
		w.u32(uint32(len(t.dims)))
		for _, d := range t.dims {
			w.u64(d)
		}
		w.u32(0) // F32
		w.u64(offset)
		offset += uint64(4*len(t.data)+31) / 32 * 32
	}
	pad := func() {
		for w.Len()%32 != 0 {
			w.WriteByte(0)
		}
	}
	pad()
	for _, t := range tensors {
		binary.Write(&w.Buffer, binary.LittleEndian, t.data)
		pad()
	}
	return os.WriteFile(path, w.Bytes(), 0o644)
}

// startLlamaServer runs the llama-server unpacked under root (by
// scripts/wire-llamacpp.sh) on model, on a free loopback port, until the
// test ends, and returns its API root.
func startLlamaServer(t *testing.T, root, model string) string {
	t.Helper()
	lib := filepath.Join(root, "usr/lib/x86_64-linux-gnu")
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	port := l.Addr().(*net.TCPAddr).Port
	l.Close()
	cmd := exec.Command(filepath.Join(lib, "ld-linux-x86-64.so.2"), "--library-path", lib+":"+filepath.Join(lib, "llama"),
		filepath.Join(root, "usr/bin/llama-server"), "-m", model, "--host", "127.0.0.1", "--port", fmt.Sprint(port),
		"-c", "2048", "-t", "1", "--no-webui", "--offline")
	cmd.Dir = filepath.Join(lib, "ggml/backends0") // ggml loads its CPU backend from here
	var logs bytes.Buffer
	cmd.Stdout, cmd.Stderr = &logs, &logs
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { cmd.Process.Kill(); cmd.Wait() })
	base := fmt.Sprintf("http://127.0.0.1:%d", port)
	for deadline := time.Now().Add(20 * time.Second); time.Now().Before(deadline); time.Sleep(50 * time.Millisecond) {
		if resp, err := http.Get(base + "/health"); err == nil {
			resp.Body.Close()
			if resp.StatusCode == http.StatusOK {
				return base + "/v1"
			}
		}
	}
	t.Fatalf("llama-server did not become healthy:\n%s", logs.String())
	return ""
}

// TestRealLlamaServer runs hallu probe and delta --choices against a real
// llama.cpp server on a model the test writes, whose letter probabilities
// are softmax(2, 1, 0, −1) up to the −20 logits of the other tokens. It
// needs HALLU_LLAMA_SERVER_ROOT (see scripts/wire-llamacpp.sh) and skips
// without it.
func TestRealLlamaServer(t *testing.T) {
	root := os.Getenv("HALLU_LLAMA_SERVER_ROOT")
	if root == "" {
		t.Skip("HALLU_LLAMA_SERVER_ROOT is not set (scripts/wire-llamacpp.sh unpacks a llama-server)")
	}
	if _, err := os.Stat(filepath.Join(root, "usr/bin/llama-server")); err != nil {
		t.Skipf("no llama-server under %s: %v", root, err)
	}
	dir := t.TempDir()
	model := filepath.Join(dir, "tiny.gguf")
	if err := tinyLlama(model); err != nil {
		t.Fatal(err)
	}
	base := startLlamaServer(t, root, model)

	want, err := wiretest.Load("llamacpp")
	if err != nil {
		t.Fatal(err)
	}
	var probe report.Probe
	runJSON(t, []string{"probe", "--base-url", base, "--json"}, &probe)
	for _, f := range probe.Findings {
		if w := want.Expect[string(f.Capability)]; f.Supported != w || !f.Known {
			t.Errorf("probe %s: supported %v known %v, the llama.cpp profile says %v (%s)", f.Capability, f.Supported, f.Known, w, f.Detail)
		}
		if f.Capability == "chat top_logprobs" && f.TopLogprobs != 20 {
			t.Errorf("top_logprobs %d, want 20", f.TopLogprobs)
		}
	}
	if probe.Server != "llamacpp" {
		t.Errorf("server %q, want llamacpp", probe.Server)
	}

	mc := filepath.Join(dir, "mc.jsonl")
	if err := os.WriteFile(mc, []byte(mcItems), 0o644); err != nil {
		t.Fatal(err)
	}
	var d report.DeltaChoices
	runJSON(t, []string{"delta", "--choices", mc, "--threshold", "1/4", "--base-url", base, "--model", "tiny", "--no-cache", "--concurrency", "1", "--json"}, &d)
	if d.Method != "letters" {
		t.Fatalf("method %q, want letters (llama.cpp has no echo)", d.Method)
	}
	z := math.Exp(2) + math.Exp(1) + 1 + math.Exp(-1)
	p := map[string]float64{"A": math.Exp(2) / z, "B": math.Exp(1) / z, "C": 1 / z, "D": math.Exp(-1) / z}
	checkLetterDelta(t, &d, p, 1e-4)
	if d.Choices.OutsideMax > 1e-5 {
		t.Errorf("outside mass %v, want about 269·e^−20/z", d.Choices.OutsideMax)
	}
	if !strings.Contains(strings.Join(d.Notes, " "), "letters") {
		t.Errorf("notes do not say letters were chosen: %q", d.Notes)
	}
}
