package pipeline

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"strconv"
	"time"

	"github.com/nats-io/nats.go/jetstream"
)

// Stage names. They are also the durable consumer names and the last token
// of the job subjects.
const (
	StageText    = "text"
	StageOCR     = "ocr"
	StageExtract = "extract"
	StageIndex   = "index"
)

// Stages lists every stage in pipeline order.
var Stages = []string{StageText, StageOCR, StageExtract, StageIndex}

// JetStream names.
const (
	JobsStream     = "APPEALDESK_JOBS"  // work-queue stream of stage jobs
	SubjectPrefix  = "appealdesk.jobs." // + stage name
	DocsBucket     = "DOCS"             // KV: document id → DocState
	FilesBucket    = "FILES"            // KV: hash of path → FileState
	PagesBucket    = "PAGES"            // KV: "<doc>.<page>" → PageState
	BlobsBucket    = "BLOBS"            // object store: sha256 → original bytes
	RecordsBucket  = "RECORDS"          // object store: doc id → extractors.Record JSON
	duplicateWndow = 10 * time.Minute
)

// Subject returns the job subject of a stage.
func Subject(stage string) string { return SubjectPrefix + stage }

// Job is the body of a stage message: a reference to a document (and a page
// for OCR), never file bytes.
type Job struct {
	Doc  string `json:"doc"`
	Page int    `json:"page,omitempty"`
	// Gen distinguishes deliberate re-runs (a new path for a document that
	// is already indexed) from duplicates of the same job.
	Gen int `json:"gen,omitempty"`
}

// NextJob is a job a stage asks the runner to publish.
type NextJob struct {
	Stage string
	Job   Job
}

// MsgID derives the JetStream message id of a job from the document id and
// the stage, so a republished job (a redelivery, a rescan, two workers
// finishing the last pages at once) is dropped by the stream as a duplicate.
func MsgID(stage string, j Job) string {
	id := j.Doc + "." + stage
	if j.Page > 0 {
		id += ".page." + strconv.Itoa(j.Page)
	}
	if j.Gen > 0 {
		id += ".gen." + strconv.Itoa(j.Gen)
	}
	return id
}

// BusOptions tune the streams and consumers.
type BusOptions struct {
	// AckWait is how long a delivered job may go without an ack or an
	// in-progress signal before the server redelivers it (default 60s).
	AckWait time.Duration
	// MaxAttempts is the number of deliveries after which a job is
	// recorded as failed and terminated (default 5).
	MaxAttempts int
	// KeepConsumers leaves existing consumers' settings alone (for the
	// one-shot commands, which must not reset what `run` configured).
	// Such a process runs no stage, so its Bus has no handoff to a text
	// stage (handoff.go): nobody would take what Ingest left there.
	KeepConsumers bool
}

func (o BusOptions) withDefaults() BusOptions {
	if o.AckWait <= 0 {
		o.AckWait = 60 * time.Second
	}
	if o.MaxAttempts <= 0 {
		o.MaxAttempts = 5
	}
	return o
}

// Bus holds the JetStream streams, buckets and consumers of the pipeline.
type Bus struct {
	JS      jetstream.JetStream
	Jobs    jetstream.Stream
	Docs    jetstream.KeyValue
	Files   jetstream.KeyValue
	Pages   jetstream.KeyValue
	Blobs   jetstream.ObjectStore
	Records jetstream.ObjectStore
	Opts    BusOptions

	handoff *blobHandoff // Ingest → this process's text stage; nil with KeepConsumers
}

// OpenBus creates (or updates) the jobs stream, its consumers and the
// buckets. It is idempotent: `run`, `worker`, `ingest` and `status` all
// call it.
func OpenBus(ctx context.Context, js jetstream.JetStream, opts BusOptions) (*Bus, error) {
	opts = opts.withDefaults()
	b := &Bus{JS: js, Opts: opts}
	if !opts.KeepConsumers {
		b.handoff = newBlobHandoff(handoffBytes, handoffDocs, handoffTTL)
	}
	var err error
	b.Jobs, err = js.CreateOrUpdateStream(ctx, jetstream.StreamConfig{
		Name:        JobsStream,
		Description: "appealdesk stage jobs (work queue)",
		Subjects:    []string{SubjectPrefix + ">"},
		Retention:   jetstream.WorkQueuePolicy,
		Storage:     jetstream.FileStorage,
		Duplicates:  duplicateWndow,
		Discard:     jetstream.DiscardOld,
	})
	if err != nil {
		return nil, fmt.Errorf("create stream %s: %w", JobsStream, err)
	}
	for _, st := range Stages {
		if opts.KeepConsumers {
			if _, err := js.Consumer(ctx, JobsStream, st); err == nil {
				continue
			}
		}
		if _, err := js.CreateOrUpdateConsumer(ctx, JobsStream, consumerConfig(st, opts)); err != nil {
			return nil, fmt.Errorf("create consumer %s: %w", st, err)
		}
	}
	kvs := []struct {
		dst  *jetstream.KeyValue
		name string
		desc string
	}{
		{&b.Docs, DocsBucket, "appealdesk document registry"},
		{&b.Files, FilesBucket, "appealdesk path registry"},
		{&b.Pages, PagesBucket, "appealdesk page text awaiting extraction"},
	}
	for _, k := range kvs {
		*k.dst, err = js.CreateOrUpdateKeyValue(ctx, jetstream.KeyValueConfig{
			Bucket: k.name, Description: k.desc, History: 1, Storage: jetstream.FileStorage,
		})
		if err != nil {
			return nil, fmt.Errorf("create bucket %s: %w", k.name, err)
		}
	}
	objs := []struct {
		dst  *jetstream.ObjectStore
		name string
		desc string
	}{
		{&b.Blobs, BlobsBucket, "appealdesk original documents by sha256"},
		{&b.Records, RecordsBucket, "appealdesk extraction records by document id"},
	}
	for _, o := range objs {
		obs, err := js.CreateOrUpdateObjectStore(ctx, jetstream.ObjectStoreConfig{
			Bucket: o.name, Description: o.desc, Storage: jetstream.FileStorage,
		})
		if err != nil {
			return nil, fmt.Errorf("create object store %s: %w", o.name, err)
		}
		*o.dst = cancelableObjects{obs}
	}
	return b, nil
}

// cancelableObjects makes object reads return when their context ends.
// jetstream's object reader waits for each chunk until the context's
// deadline and does not notice a cancellation, so a read whose chunks were
// lost with the NATS connection held a job (and the index batch behind it)
// for its whole timeout, minutes, after the runner had cancelled it.
type cancelableObjects struct{ jetstream.ObjectStore }

// GetBytes reads an object whole. The read runs in a goroutine that is
// abandoned when ctx ends; its own deadline (objectReadTimeout) bounds how
// long it lingers.
func (o cancelableObjects) GetBytes(ctx context.Context, name string, opts ...jetstream.GetObjectOpt) ([]byte, error) {
	return readObject(ctx, o.ObjectStore, name, 0)
}

// objectReadTimeout bounds one object read: a floor for the requests, plus
// the object's size at a pace far below any disk's.
func objectReadTimeout(size uint64) time.Duration {
	return 30*time.Second + time.Duration(size/(4<<20))*time.Second
}

// readObject reads a whole object; max > 0 refuses a larger one (ErrTooLarge,
// permanent) before reading it.
func readObject(ctx context.Context, obs jetstream.ObjectStore, name string, max int64) ([]byte, error) {
	info, err := obs.GetInfo(ctx, name)
	if err != nil {
		return nil, err
	}
	if max > 0 && int64(info.Size) > max {
		return nil, Permanent(fmt.Errorf("%w: %d bytes, limit %d", ErrTooLarge, info.Size, max))
	}
	type result struct {
		b   []byte
		err error
	}
	done := make(chan result, 1)
	rctx, cancel := context.WithTimeout(context.WithoutCancel(ctx), objectReadTimeout(info.Size))
	go func() {
		defer cancel()
		r, err := obs.Get(rctx, name)
		if err != nil {
			done <- result{err: err}
			return
		}
		defer r.Close()
		// One buffer of the object's size: io.ReadAll's doubling held up
		// to twice a large file in memory at once.
		b := make([]byte, info.Size)
		if _, err := io.ReadFull(r, b); err != nil {
			done <- result{err: err}
			return
		}
		// Reading past the end checks the digest.
		if n, err := r.Read(make([]byte, 1)); n != 0 || (err != nil && err != io.EOF) {
			done <- result{err: fmt.Errorf("object changed while read: %v", err)}
			return
		}
		done <- result{b: b}
	}()
	select {
	case r := <-done:
		return r.b, r.err
	case <-ctx.Done():
		return nil, context.Cause(ctx)
	}
}

// consumerConfig is the durable pull consumer of a stage. MaxDeliver is
// unlimited on the server: the runner counts deliveries itself and records
// the document as failed when they exceed MaxAttempts, because a message
// that reaches the server's MaxDeliver stays in a work-queue stream and its
// advisory is lost when nobody listens (libraries.md §3 pitfall 1).
func consumerConfig(stage string, opts BusOptions) jetstream.ConsumerConfig {
	return jetstream.ConsumerConfig{
		Durable:       stage,
		Description:   "appealdesk " + stage + " stage",
		FilterSubject: Subject(stage),
		AckPolicy:     jetstream.AckExplicitPolicy,
		AckWait:       opts.AckWait,
		MaxDeliver:    -1,
		MaxAckPending: 10000,
		DeliverPolicy: jetstream.DeliverAllPolicy,
	}
}

// Consumer returns the durable consumer of a stage.
func (b *Bus) Consumer(ctx context.Context, stage string) (jetstream.Consumer, error) {
	c, err := b.JS.Consumer(ctx, JobsStream, stage)
	if err != nil {
		return nil, fmt.Errorf("consumer %s: %w", stage, err)
	}
	return c, nil
}

// Publish sends a job to a stage, with its derived message id.
func (b *Bus) Publish(ctx context.Context, stage string, j Job) error {
	body, err := json.Marshal(j)
	if err != nil {
		return fmt.Errorf("publish %s job: %w", stage, err)
	}
	if _, err := b.JS.Publish(ctx, Subject(stage), body, jetstream.WithMsgID(MsgID(stage, j))); err != nil {
		return fmt.Errorf("publish %s job: %w", stage, err)
	}
	return nil
}

// kvGetJSON reads key into v; found is false when the key does not exist.
func kvGetJSON(ctx context.Context, kv jetstream.KeyValue, key string, v any) (rev uint64, found bool, err error) {
	e, err := kv.Get(ctx, key)
	if err != nil {
		if errors.Is(err, jetstream.ErrKeyNotFound) {
			return 0, false, nil
		}
		return 0, false, err
	}
	if err := json.Unmarshal(e.Value(), v); err != nil {
		return 0, false, fmt.Errorf("decode %s/%s: %w", kv.Bucket(), key, err)
	}
	return e.Revision(), true, nil
}
