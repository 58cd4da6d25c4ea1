-- wrk script: score a response given a context, as hallu delta does
-- (completions with echo, max_tokens 0, logprobs 0).
wrk.method = "POST"
wrk.headers["Content-Type"] = "application/json"
wrk.body = '{"model":"hallu-ngram","prompt":"She lost it and was completely out of her mind.","echo":true,"max_tokens":0,"logprobs":0}'
