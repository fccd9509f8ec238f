// Package search is one full-text index over messages, tasks, events and
// documents, in Chinese and English, that never shows a user what they
// may not see.
//
// An [Index] holds [Document] values built by the caller: the feature
// packages know nothing of search, and search knows nothing of them. The
// index is kept up to date from the store's change log by an indexer
// that maps each change to [Op] values through a caller-supplied
// [Mapper], or fed directly with [Index.Apply].
//
//	ix, err := search.New(ctx, st, search.WithPath(dir), search.WithMapper(mapChange))
//	...
//	res, err := ix.Search(ctx, "u7", search.Request{
//		Query: `报价单 from:@alice after:2025-01-01 -draft`,
//		Keys:  keysOf("u7"), // "user:u7", "conv:c1", "group:g3", "tenant", ...
//		Sort:  search.ByNewest,
//	})
//
// # Entry point
//
// New(ctx, st, opts...) follows the house convention: ctx bounds what New
// reads and rebuilds, st is the store whose change log the indexer tails
// (WithMapper) and whose log position a Rebuild records; it may be nil
// for an index fed only through Apply. Options are func(*options) error:
// nil ones are skipped, a bad argument (WithClock(nil), WithBatchSize(0))
// fails New with an error wrapping ErrInvalid. WithPath puts the index in
// a directory; without it the index lives in memory (for tests).
// WithIDs does not exist: the index creates no ids.
//
// # Results
//
// Results, Hit and Request encode as JSON in snake_case, Sort as its name
// ("relevance", "newest", "oldest"); Results is a store.Page of hits
// (items and an opaque next cursor) with the total and the facet counts
// by kind. Each hit carries what a result list shows without a read per
// hit: its title, a highlighted snippet, the id and name of its
// conversation, calendar or folder, its author and its time. Request.Keys
// never crosses the wire: keys are the application's to compute.

// # Analysis
//
// Title and body are indexed as one text field (the title on the first
// line), which goes through bleve's unicode tokenizer (UAX #29 words,
// each Han character a token), cjk_width (full-width Latin to half-width,
// half-width katakana to full-width), lowercase, and cjk_bigram: a Han
// run "开会了" is indexed as the bigrams 开会 会了, a lone Han character
// as itself, Latin words as their lowercase form (English words with
// their stem too, below). Queries are analyzed the same way, so "开会" asks for its bigram and a Chinese word for all
// of its bigrams. A one-character query ("会") is expanded to every term
// that holds the character: the prefix 会 and the wildcard ?会, which
// finds it at the start, the end or the middle of a run. Indexing
// unigrams too would make that a single term, but cost a fifth of
// indexing throughput in measurements (8.5k against 6.8k documents per
// CPU-second); one-character queries are rare and broad anyway. Term
// vectors are kept for phrases and highlights.
//
// English words are stemmed with bleve's Snowball English (Porter2)
// stemmer, so that "deploy" finds "deployed", "deploying", "deploys" and
// "deployment", "report" finds "reports", "running" finds "run", and
// "bob" finds "bob's". The index holds each word as written and, at the
// same position, its stem when that differs; a query's words and
// phrases are reduced to their stems, so a phrase of inflected words
// finds other inflections in the same order, while a prefix ("organiz*")
// is matched against the words as written. Highlights mark the words of
// the text as written ("<mark>deployed</mark>"). Only words of ASCII
// letters (and apostrophes) are stemmed: Han characters and bigrams,
// words with digits (q3, ipv6) and words with other letters (café) are
// indexed exactly as before stemming.
//
// # Query syntax
//
//	word           every word must occur (title or body), an English
//	               word in any of its forms; a Chinese word must
//	               contain all its bigrams
//	depl*          words starting with depl as written (at least two
//	               characters)
//	"a phrase"     the terms in order, English words in any form
//	               (curly “quotes” work too; an open quote runs to
//	               the end)
//	-word -"a b"   must not occur
//	from:u7        author (from:@u7; from:me is the acting user)
//	in:c1          container: conversation, calendar, folder (in:#c1)
//	type:task      kind: message, task, event, doc or an app's own
//	has:link       has:link, has:file, has:reaction
//	is:thread      part of a thread
//	before:D       strictly before day D; after:D strictly after it;
//	on:D           during day D. D is YYYY-MM-DD, YYYY-MM, YYYY, today
//	               or yesterday, in Request.Location (default WithLocation)
//	during:D       same as on:
//
// A query of only exclusions matches everything else the user may see.
// The same modifier twice means either value (from:a from:b); modifiers
// may be negated (-in:c1). A name: prefix of letters that is not one of
// these is an error wrapping [ErrQuery]; URLs (https://...) are words.
// Queries are limited to [MaxQueryBytes] and [MaxQueryTerms].
//
// # Permissions
//
// Every Document carries access keys; every Request carries the keys of
// the user searching, which the Index trusts (an application computes
// them; it never takes them from a user). Only documents carrying one of
// them exist for the search: the filter restricts the index under the
// query rather than its results. For each segment of the index, the
// documents of each access key are read once (segments never change) and
// kept; a search unions the bitmaps of its keys, and every postings list
// the query reads is read less the documents outside that union, which
// zap subtracts as bitmaps before iterating. So the total, the facet
// counts by kind, the highlights, every page and even term statistics
// (and so scores) reflect only the documents the searcher may see, and a
// word found only in documents they cannot see costs what an absent word
// costs. The filter's cost follows the number of keys and segments, not
// the number of documents the query matches; it takes about a millisecond
// per 2,000 keys on 200,000 documents.
//
// What keys mean is the caller's choice. Keys that name who may see a
// document (its principals: "user:u7", "group:g3", "dept:d2", "tenant")
// rather than what the searcher may see ("doc:d9" for every document)
// keep a searcher's keys few however much they may see; coarse keys
// ("conv:c1" rather than one key per member) keep documents short.

// # Indexing from the change log
//
// With WithMapper, New starts the indexer: it reads the log from the
// checkpoint stored inside the index, maps a batch of changes, and
// indexes the operations the Mapper emits in bleve batches of at most
// WithBatchSize operations, each with the position of the last change it
// completes (SetInternal), so one change may emit any number of
// operations (a permission change on a folder of a million documents). After a crash it resumes from the last batch that
// reached the disk: nothing is lost, and replaying is harmless because
// upserts and deletes are idempotent. [Index.WaitFor] and [Index.Sync]
// block until the index has caught up with a position. [Index.Rebuild]
// builds a new index from an [Enumerator] (all current documents) beside
// the old one and swaps it in; WithRebuildIfLost does that in New when
// the index is missing or corrupt.
//
// # Faults
//
// The indexer follows the house fault model for followers of the change
// log. A transient error (one wrapping store.ErrUnavailable: a lost
// connection, a restarted database, a timeout), whether from the store's
// Changes or Wait or from the Mapper, is retried with capped exponential
// backoff and jitter (WithBackoff) from the last durable position: a
// failed read is read again from the checkpoint, and a Mapper call that
// failed is made again for the same record, so no change is skipped and
// none that was mapped is mapped twice. Sync and WaitFor keep waiting
// meanwhile. Any other error stops the indexer; Err, Sync and WaitFor
// then return it, wrapping ErrIndexerStopped.
//
// # Upgrades
//
// The index records the version of its analysis (version 5 added English
// stemming). New opens an index written with another version by
// rebuilding it before it returns, so an upgrade needs nothing from the
// application and no search ever reads terms analyzed the old way: from
// WithRebuildIfLost's Enumerator when given, otherwise by replaying the
// store's change log from its start through the Mapper into a new index
// beside the old one, which then replaces it. That takes as long as
// indexing the whole log (roughly 10,000 to 15,000 documents a second);
// the old index stays until the new one is complete, so a failed or
// interrupted upgrade is retried by the next New. An index with neither
// an Enumerator nor a Mapper to rebuild it from fails with [ErrCorrupt].
//
// # Concurrency
//
// An Index is safe for concurrent use. Searches run in parallel with each
// other and with indexing; writers (the indexer, Apply, Rebuild) take
// turns. The indexer goroutine, the only goroutine the package starts,
// lives from New to Close, or until a permanent error stops it (reported
// by Err, Sync and WaitFor; the Mapper's errors included). A directory is locked while
// an Index has it open; a second opener, in this process or another,
// fails with [ErrLocked] after WithLockTimeout instead of hanging.
//
// # Caveats
//
//   - Text that is not valid UTF-8 is indexed with U+FFFD in place of the
//     bad bytes; kinds and ids must be valid UTF-8.
//   - Times are indexed at nanosecond precision for sorting and at
//     15-minute precision for date modifiers (exact for every time zone in
//     use today); times outside 1678..2262 are refused, a zero time is
//     indexed as 1970-01-01.
//   - A pagination cursor is valid for the same query, keys and sort; if
//     the index changes between pages, a page may repeat or skip a
//     document whose position moved.
//   - Stemming follows Porter2's rules, not a dictionary: irregular
//     forms are not joined ("ran" does not find "run"), prefixes are kept
//     ("redeploy" does not find "deploy"), and distinct words may share a
//     stem ("university" finds "universe"). Excluding a word (-deployed)
//     excludes all its forms. Non-English words of ASCII letters are
//     stemmed by the same rules, at query and index time alike.
//   - A lone Han character at the start or end of a phrase ("了 review")
//     is required anywhere in the text rather than at its place, since in
//     a document it may be the end of a longer run, indexed only inside a
//     bigram. Highlights of a one-character query mark the bigrams that
//     hold the character.
//   - Title and body are one field: a phrase may run from the end of the
//     title into the body, and highlights show both.
//   - A query matching most of the index (one common character, only a
//     date) costs time in proportion to the matches the searcher may see.
//     One-character words are unscored: a query of one character alone
//     ranks its matches by id under ByRelevance.
//   - A permanent store or Mapper error stops the indexer: Err, Sync and
//     WaitFor report it, and indexing resumes from the checkpoint when
//     the Index is opened again. Transient errors never stop it (see
//     Faults).
//   - An index created empty replays the whole change log, and so does an
//     upgrade without an Enumerator; if the log was trimmed, use
//     WithRebuildIfLost or Rebuild.
package search
