// Command fixedserver answers every POST with one fixed OpenAI chat
// completion: the fastest endpoint there is, so that bench/harness.sh
// measures the client (hallu run, or wrk) rather than a model.
//
//	fixedserver -addr 127.0.0.1:18181
package main

import (
	"flag"
	"io"
	"log"
	"net/http"
	"strconv"
)

const reply = `{"id":"chatcmpl-bench","object":"chat.completion","model":"fixed","choices":[{"index":0,"message":{"role":"assistant","content":"Paris"},"finish_reason":"stop"}],"usage":{"prompt_tokens":40,"completion_tokens":1,"total_tokens":41}}`

func main() {
	addr := flag.String("addr", "127.0.0.1:18181", "address to listen on")
	flag.Parse()
	length := strconv.Itoa(len(reply))
	log.Fatal(http.ListenAndServe(*addr, http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		io.Copy(io.Discard, r.Body)
		w.Header().Set("Content-Type", "application/json")
		w.Header().Set("Content-Length", length)
		io.WriteString(w, reply)
	})))
}
