package task

import (
	"testing"
)

// extractBenchMessages are typical 30-80 character chat messages, tasks
// and chatter mixed.
var extractBenchMessages = []string{
	"@小王 明天下午3点前把报价单发给客户",
	"@李雷 @韩梅梅 下周五之前整理一下Q3的投放数据，紧急",
	"@bob please send the deck by Friday EOD",
	"大家月底前提交报销单，财务那边催得比较紧",
	"Can someone review PR 42 tomorrow? It blocks the release",
	"谢谢大家，辛苦了，今天的发布很顺利",
	"Meeting notes are in the shared folder, have a look when you can",
	"@alice can you update the campaign budget sheet by tomorrow 3pm?",
}

// BenchmarkExtract measures Extract over a mix of typical messages on one
// core and reports messages per second.
//
// msgs/s is per wall-clock second; msgs/cpu-s divides by the CPU time the
// process used instead (GC included), which is what one core achieves
// when the machine is shared with other work.
func BenchmarkExtract(b *testing.B) {
	b.ReportAllocs()
	n := 0
	cpu0, ok := extractCPUTime()
	for b.Loop() {
		Extract(extractBenchMessages[n%len(extractBenchMessages)], extractOpts)
		n++
	}
	b.ReportMetric(float64(n)/b.Elapsed().Seconds(), "msgs/s")
	if cpu1, ok1 := extractCPUTime(); ok && ok1 && cpu1 > cpu0 {
		b.ReportMetric(float64(n)/(cpu1-cpu0).Seconds(), "msgs/cpu-s")
	}
}

// BenchmarkExtractNoCue measures a message with no task cue, the common
// case in a busy group; the target is zero allocations.
func BenchmarkExtractNoCue(b *testing.B) {
	b.ReportAllocs()
	msg := "哈哈，这个表情包太好笑了 lol that is so funny"
	n := 0
	cpu0, ok := extractCPUTime()
	for b.Loop() {
		Extract(msg, extractOpts)
		n++
	}
	b.ReportMetric(float64(n)/b.Elapsed().Seconds(), "msgs/s")
	if cpu1, ok1 := extractCPUTime(); ok && ok1 && cpu1 > cpu0 {
		b.ReportMetric(float64(n)/(cpu1-cpu0).Seconds(), "msgs/cpu-s")
	}
}

// BenchmarkExtractParallel runs Extract on every core.
func BenchmarkExtractParallel(b *testing.B) {
	b.ReportAllocs()
	b.RunParallel(func(pb *testing.PB) {
		n := 0
		for pb.Next() {
			Extract(extractBenchMessages[n%len(extractBenchMessages)], extractOpts)
			n++
		}
	})
}
