-- wrk script: a chat completion of up to 16 tokens with 5 top logprobs each.
wrk.method = "POST"
wrk.headers["Content-Type"] = "application/json"
wrk.body = '{"model":"hallu-ngram","messages":[{"role":"user","content":"Who is Captain Ahab?"}],"max_tokens":16,"logprobs":true,"top_logprobs":5}'
