package llm

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"slices"
	"strings"
	"sync"
	"time"

	_ "modernc.org/sqlite" // registers the "sqlite" driver
)

// cacheSchema is the cache's layout; PRAGMA user_version holds
// cacheVersion. A row is written with a NULL response when its request is
// about to be sent, and completed when the answer arrives, so that rows
// still NULL after a run are requests sent without an answer being kept.
const cacheSchema = `
CREATE TABLE IF NOT EXISTS requests (
	key         BLOB PRIMARY KEY,   -- RequestKey: SHA-256 of method, endpoint, body, draw
	endpoint    TEXT NOT NULL,      -- URL without user info or query
	request     BLOB NOT NULL,      -- the canonical JSON body sent
	response    BLOB,               -- the 2xx body received; NULL while in flight
	sends       INTEGER NOT NULL,   -- calls that sent this request, over all runs
	sent_at     INTEGER NOT NULL,   -- Unix milliseconds of the last send
	answered_at INTEGER             -- Unix milliseconds the answer was stored
);`

const cacheVersion = 1

// maxBatch bounds the writes committed in one transaction.
const maxBatch = 512

// Cache is a crash-safe store of answers, keyed by RequestKey, in one
// SQLite file (WAL mode; answers are committed with synchronous=FULL, see
// the package doc for why, and in-flight marks with NORMAL, see setFull).
// Writes are committed by one goroutine that groups every write waiting
// at that moment into one transaction, so concurrent calls share an fsync;
// each write returns only once its transaction is on disk.
//
// A Cache is safe for concurrent use, and several processes may share the
// file (SQLite locks it), though two processes may then both send a
// request neither has an answer for yet.
type Cache struct {
	db     *sql.DB
	writer *sql.Conn
	begin  *sql.Stmt
	put    *sql.Stmt

	full bool // the writer connection's synchronous setting is FULL

	mu     sync.RWMutex // guards closed against sends on ops
	closed bool
	ops    chan *writeOp
	done   chan struct{} // closed when the writer goroutine exits
}

// writeOp is one write waiting for the group commit.
type writeOp struct {
	answer   bool // store an answer (else mark the request in flight)
	key      Key
	endpoint string
	request  []byte
	response []byte
	now      int64
	sends    int64      // set for in-flight marks: sends after this one
	err      chan error // receives the commit's outcome
}

var errCacheClosed = errors.New("llm: cache is closed")

// OpenCache opens or creates the cache file at path.
func OpenCache(path string) (*Cache, error) {
	if strings.ContainsRune(path, '?') {
		return nil, fmt.Errorf("cache %s: the path may not contain '?'", path)
	}
	dsn := path + "?_pragma=busy_timeout(10000)&_pragma=journal_mode(WAL)&_pragma=synchronous(FULL)&_txlock=immediate"
	db, err := sql.Open("sqlite", dsn)
	if err != nil {
		return nil, fmt.Errorf("cache %s: %w", path, err)
	}
	c := &Cache{db: db, full: true, ops: make(chan *writeOp, maxBatch), done: make(chan struct{})}
	if err := c.init(path); err != nil {
		if c.writer != nil {
			c.writer.Close()
		}
		db.Close()
		return nil, err
	}
	go c.loop()
	return c, nil
}

func (c *Cache) init(path string) error {
	ctx := context.Background()
	w, err := c.db.Conn(ctx)
	if err != nil {
		return fmt.Errorf("cache %s: %w", path, err)
	}
	c.writer = w
	var version int
	if err := w.QueryRowContext(ctx, "PRAGMA user_version").Scan(&version); err != nil {
		return fmt.Errorf("cache %s: %w", path, err)
	}
	if version != 0 && version != cacheVersion {
		return fmt.Errorf("cache %s: schema version %d, this hallu reads %d", path, version, cacheVersion)
	}
	if _, err := w.ExecContext(ctx, cacheSchema); err != nil {
		return fmt.Errorf("cache %s: create schema: %w", path, err)
	}
	if _, err := w.ExecContext(ctx, fmt.Sprintf("PRAGMA user_version = %d", cacheVersion)); err != nil {
		return fmt.Errorf("cache %s: %w", path, err)
	}
	c.begin, err = w.PrepareContext(ctx, `INSERT INTO requests (key, endpoint, request, sends, sent_at)
		VALUES (?, ?, ?, 1, ?)
		ON CONFLICT (key) DO UPDATE SET sends = sends + 1, sent_at = excluded.sent_at
		RETURNING sends`)
	if err != nil {
		return fmt.Errorf("cache %s: %w", path, err)
	}
	c.put, err = w.PrepareContext(ctx, `INSERT INTO requests (key, endpoint, request, sends, sent_at, response, answered_at)
		VALUES (?, ?, ?, 1, ?, ?, ?)
		ON CONFLICT (key) DO UPDATE SET response = excluded.response, answered_at = excluded.answered_at`)
	if err != nil {
		return fmt.Errorf("cache %s: %w", path, err)
	}
	return nil
}

// Get returns the stored answer to the request with key k, if any.
func (c *Cache) Get(ctx context.Context, k Key) (response []byte, ok bool, err error) {
	err = c.db.QueryRowContext(ctx, `SELECT response FROM requests WHERE key = ? AND response IS NOT NULL`, k[:]).Scan(&response)
	switch {
	case errors.Is(err, sql.ErrNoRows):
		return nil, false, nil
	case err != nil:
		return nil, false, fmt.Errorf("cache: read %s: %w", k, err)
	}
	return response, true, nil
}

// markSent records, durably, that the request is about to be sent, and
// returns how many calls (this one included, over all runs) have sent it.
func (c *Cache) markSent(k Key, endpoint string, request []byte) (sends int64, err error) {
	op := &writeOp{key: k, endpoint: endpoint, request: request, now: time.Now().UnixMilli()}
	if err := c.submit(op); err != nil {
		return 0, fmt.Errorf("cache: record request %s as sent: %w", k, err)
	}
	return op.sends, nil
}

// store records, durably, the answer to a request.
func (c *Cache) store(k Key, endpoint string, request, response []byte) error {
	op := &writeOp{answer: true, key: k, endpoint: endpoint, request: request, response: response, now: time.Now().UnixMilli()}
	if err := c.submit(op); err != nil {
		return fmt.Errorf("cache: store answer to %s: %w", k, err)
	}
	return nil
}

// submit hands op to the writer goroutine and waits for its commit.
func (c *Cache) submit(op *writeOp) error {
	op.err = make(chan error, 1)
	c.mu.RLock()
	if c.closed {
		c.mu.RUnlock()
		return errCacheClosed
	}
	c.ops <- op
	c.mu.RUnlock()
	return <-op.err
}

// loop is the writer goroutine: it commits every write waiting when it
// wakes in one transaction.
func (c *Cache) loop() {
	defer close(c.done)
	batch := make([]*writeOp, 0, maxBatch)
	for op := range c.ops {
		batch = append(batch[:0], op)
	fill:
		for len(batch) < maxBatch {
			select {
			case op, ok := <-c.ops:
				if !ok {
					break fill
				}
				batch = append(batch, op)
			default:
				break fill
			}
		}
		c.commit(batch)
	}
}

// commit writes batch in one transaction. Should that fail, each write is
// retried in a transaction of its own, so that one bad write fails alone.
func (c *Cache) commit(batch []*writeOp) {
	err := c.commitTx(batch)
	if err != nil && len(batch) > 1 {
		for _, op := range batch {
			op.err <- c.commitTx([]*writeOp{op})
		}
		return
	}
	for _, op := range batch {
		op.err <- err
	}
}

func (c *Cache) commitTx(batch []*writeOp) (err error) {
	// Writes are not cancelled: an answer that arrived has been paid for.
	ctx := context.Background()
	if err := c.setFull(ctx, slices.ContainsFunc(batch, func(op *writeOp) bool { return op.answer })); err != nil {
		return err
	}
	tx, err := c.writer.BeginTx(ctx, nil)
	if err != nil {
		return err
	}
	defer func() {
		if err != nil {
			tx.Rollback()
		}
	}()
	begin, put := tx.StmtContext(ctx, c.begin), tx.StmtContext(ctx, c.put)
	for _, op := range batch {
		if op.answer {
			_, err = put.ExecContext(ctx, op.key[:], op.endpoint, op.request, op.now, op.response, op.now)
		} else {
			err = begin.QueryRowContext(ctx, op.key[:], op.endpoint, op.request, op.now).Scan(&op.sends)
		}
		if err != nil {
			return err
		}
	}
	return tx.Commit()
}

// setFull sets the writer's synchronous mode for the next commit: FULL
// when it stores an answer, NORMAL when it only marks requests as sent.
// Under NORMAL a WAL commit is written but not fsynced: it survives the
// process being killed, which is all an in-flight mark must survive (it
// only feeds Stats.Resent; after a power cut the count may fall short).
// The next FULL commit syncs the marks written before it.
func (c *Cache) setFull(ctx context.Context, full bool) error {
	if full == c.full {
		return nil
	}
	mode := "NORMAL"
	if full {
		mode = "FULL"
	}
	if _, err := c.writer.ExecContext(ctx, "PRAGMA synchronous = "+mode); err != nil {
		return err
	}
	c.full = full
	return nil
}

// Close waits for pending writes to commit and closes the file. Writes
// after Close fail.
func (c *Cache) Close() error {
	c.mu.Lock()
	if c.closed {
		c.mu.Unlock()
		return nil
	}
	c.closed = true
	close(c.ops)
	c.mu.Unlock()
	<-c.done
	return errors.Join(c.begin.Close(), c.put.Close(), c.writer.Close(), c.db.Close())
}
