-- wrk script: sample up to 16 tokens with their log-probabilities.
wrk.method = "POST"
wrk.headers["Content-Type"] = "application/json"
wrk.body = '{"model":"hallu-ngram","prompt":"Call me Ishmael.","max_tokens":16,"temperature":1,"logprobs":1}'
