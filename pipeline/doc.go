// Package pipeline moves documents from the inbox to the index as stages on
// NATS JetStream, embedded in `appealdesk run` or external for `worker`s on
// other machines.
//
// # How it works
//
// A file that arrives (watched folder, `appealdesk ingest`) is hashed; its
// bytes go once into the object store BLOBS under their SHA-256, which is
// also the document id. The document is registered in the KV bucket DOCS
// (case, every path it arrived under, state per stage, error, pages) and its
// path in FILES (path hash → path, size, mtime, sha256), so a rescan skips
// unchanged files and a changed file becomes a new version. Messages carry
// only a document id (and a page number), never file bytes.
//
// Stages are durable pull consumers on one work-queue stream,
// APPEALDESK_JOBS, one subject each:
//
//	appealdesk.jobs.text     open the document, store text-layer pages in
//	                         KV PAGES, publish one OCR job per page that
//	                         needs OCR (or the extract job when none does)
//	appealdesk.jobs.ocr      one page: fetch the blob, render the page, OCR
//	                         it, store its text; whoever stores the last
//	                         missing page publishes the extract job
//	appealdesk.jobs.extract  join the pages, run the extractors, store the
//	                         extractors.Record in the object store RECORDS
//	                         (the source of truth; `reindex` rebuilds the
//	                         index from it), publish the index job
//	appealdesk.jobs.index    the single Bleve writer, inside `run` only;
//	                         many records per batch
//
// Any number of `appealdesk worker --nats URL --stages text,ocr,extract`
// processes share the same durable consumers, so any worker can OCR any
// page of any document.
//
// A process keeps the documents it opened for a short while (at most 8,
// 128 MiB together, 30 s unused), so the OCR jobs of a document's pages
// that run where its text stage ran, or after one another, open it once
// rather than fetching and parsing the blob again for every page. A job on
// any other worker fetches it as before; nothing depends on the cache.
// Likewise, a file of up to 32 MiB is read once at ingest, stored with the
// digest ingest computed (in chunks of up to 1 MiB, the server's max
// payload permitting), and its bytes are handed to the text stage of the
// same process (at most 64 files, 64 MiB, 10 s), which then does not read
// them back from BLOBS (blob.go, handoff.go). The handoff is filled only
// after the blob is stored whole, so a crash loses only the shortcut.
//
// While `run` runs, `status` answers from a tracker that follows DOCS and
// FILES (statustrack.go) instead of reading every entry on each call.
//
// # Retries and failures
//
// One place, the runner, decides what happens to a job. Success: the next
// jobs are published, then the job is acknowledged. A transient error is
// retried with NakWithDelay and exponential backoff (2s, 4s, 8s, ... up to
// 2 min). A permanent error (corrupt, encrypted, unsupported, too large: see
// Permanent), a panic, or the last of MaxAttempts deliveries (default 5)
// ends the job: the failure is recorded on the document in DOCS, a record
// with its error is still stored and indexed so search and status show it,
// and the message is terminated. A job delivered more than MaxAttempts
// times (its worker died each time) is failed the same way on its next
// delivery; the server-side MaxDeliver is unlimited so no message is ever
// stranded in the work queue. One page whose OCR fails becomes an empty
// page with a warning; the rest of the document goes on. While a job runs,
// an in-progress ack every AckWait/3 keeps a long OCR page from being
// redelivered to another worker.
//
// # Crash guarantees
//
// Every message id derives from the document id and the stage
// (<doc>.text, <doc>.ocr.page.N, <doc>.extract, <doc>.index), so a
// republished job within the stream's 10-minute duplicate window is
// dropped, and every stage is idempotent: it checks the registry first, and
// a stage that finds its work already done publishes the next jobs again
// (a crash may have come between storing its result and publishing them).
// Ingest writes FILES last, so a file whose ingest was interrupted is
// ingested again by the watcher's scan at start; at start `run` also
// re-queues every registered document that is not indexed yet, from the
// stage the registry records. A job is acknowledged only after its results
// and the next jobs are stored. The embedded store writes each message to
// its file before it acknowledges it (fsync every second), so `kill -9` at
// any moment loses nothing; after a restart every dropped file is indexed
// exactly once (the index upserts by document id). On SIGINT/SIGTERM `run`
// stops the watcher, lets in-flight jobs finish (--drain, 60s), closes the
// index, drains the connection and stops the server.
//
// # Data directory
//
// <data>/nats holds the JetStream store, <data>/index the Bleve index,
// <data>/appealdesk.sock the control socket of a running `run`; all 0700
// or 0600 (fixed at start; a data directory owned by another user is
// refused). `run` holds <data>/appealdesk.run.lock for its lifetime and
// <data>/appealdesk.lock while it embeds the server; `status`, `ingest`
// and `reindex` go through the socket when a daemon runs, and otherwise
// take the lock and open the store themselves. A file that cannot be read
// is listed by `status` with its reason (FILES keeps it).
//
// # Scaling out
//
//	appealdesk run --nats-listen 0.0.0.0:4222     # token in <data>/nats.token
//	appealdesk worker --nats nats://host:4222 --nats-token $(cat data/nats.token) --stages ocr
//
// or run a NATS server with JetStream and point `run --nats URL` and every
// worker at it (--nats-creds FILE, --nats-token, or user:pass in the URL).
// A loopback --nats-listen needs no token.
package pipeline
