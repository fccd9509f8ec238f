package search

import (
	"context"
	"errors"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/workspace-go/workspace/store"
)

// hanAttack is the query of the report: about 1,000 Han characters
// separated by Latin letters in one 4 KB "word", each character a
// wildcard over the term dictionary before terms were counted after
// analysis.
func hanAttack() string {
	han := []rune("会议项目客户报价合同需求评审上线测试版本发布问题修复数据")
	var b strings.Builder
	for i := 0; b.Len() < MaxQueryBytes-4; i++ {
		b.WriteRune(han[i%len(han)])
		b.WriteByte(byte('a' + i%26))
	}
	return b.String()
}

func TestQueryCostIsCountedAfterAnalysis(t *testing.T) {
	checkLeaks(t)
	ix := newCorpus(t)
	ctx := context.Background()
	tests := []struct {
		name  string
		query string
		ok    bool
	}{
		{"one word of a thousand Han characters between Latin letters", hanAttack(), false},
		{"a Chinese run of over 64 bigrams", strings.Repeat("报价单合同", 14), false},
		{"a phrase of over 64 terms", `"` + strings.Repeat("deck review ", 33) + `"`, false},
		{"nine single characters", "会 议 项 目 客 户 报 价 合", false},
		{"nine prefixes", "ab* bc* cd* de* ef* fg* gh* hi* ij*", false},
		{"eight single characters", "会 议 项 目 客 户 报 价", true},
		{"sixty-four terms", strings.Repeat("报价 ", 64), true},
		{"a long Chinese sentence", "明天下午三点前把报价单发给客户并抄送财务部门确认", true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			start := time.Now()
			_, err := ix.Search(ctx, "alice", Request{Query: tt.query, Keys: allKeys})
			if tt.ok && err != nil {
				t.Errorf("got %v, want no error", err)
			}
			if !tt.ok && (!errors.Is(err, ErrQuery) || !errors.Is(err, store.ErrTooLarge)) {
				t.Errorf("got %v, want an error wrapping ErrQuery and store.ErrTooLarge", err)
			}
			if d := time.Since(start); d > 5*time.Second {
				t.Errorf("took %v", d)
			}
		})
	}
}

// countdownCtx is a context whose Err reports it cancelled after n calls,
// so a test can end a search in its middle without timing.
type countdownCtx struct {
	context.Context
	n atomic.Int64
}

func (c *countdownCtx) Err() error {
	if c.n.Add(-1) < 0 {
		return context.Canceled
	}
	return nil
}

func TestSearchChecksItsContextInside(t *testing.T) {
	checkLeaks(t)
	ix := newCorpus(t)
	ctx := &countdownCtx{Context: context.Background()}
	ctx.n.Store(3) // past the checks before the search starts
	_, err := ix.Search(ctx, "alice", Request{Query: "会 议 项 目 review", Keys: allKeys})
	if !errors.Is(err, context.Canceled) {
		t.Errorf("got %v, want context.Canceled from inside the search", err)
	}
}
