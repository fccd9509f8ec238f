package search

import (
	"fmt"
	"math/rand/v2"
	"strings"
	"time"
)

// Vocabulary for synthetic workplace chat in Chinese and English, mixed
// the way people write it ("明天review一下PR").
var (
	zhWords = strings.Fields(`项目 进度 会议 明天 下午 客户 报价单 合同 需求 评审 上线 测试 版本 发布 问题 修复 数据 报表 预算 审批
		周报 月报 计划 目标 安排 确认 反馈 方案 设计 文档 接口 服务器 部署 监控 告警 性能 优化 用户 体验 产品 运营 市场 销售
		财务 人事 招聘 培训 团队 负责 跟进 处理 完成 延期 风险 资源 协调 沟通 同步 讨论 决定 通知 提醒 注意 紧急 重要 今天 昨天
		上午 晚上 周一 周五 下周 本周 会议室 北京 上海 深圳 杭州 出差 报销 发票 邮件 电话 微信 飞书 钉钉 群里 大家 老板 经理
		同事 小王 小李 张总 请假 加班 开会 吃饭 辛苦 谢谢 收到 好的 没问题 稍等 马上 已经 还没 可以 需要 应该 一下 一起 这个 那个`)
	enWords = strings.Fields(`project deadline meeting review release deploy server client budget report design doc api bug fix
		test build merge branch PR sprint roadmap launch customer contract invoice quote sync standup demo feedback plan goal
		metrics dashboard alert latency performance migration database schema backup rollout hotfix OKR KPI Q3 Q4 email call
		please thanks ASAP EOD today tomorrow Friday Monday update check confirm follow up team lead manager design mobile web`)
	punct = []string{"，", "。", "！", "？", "、", ", ", ". ", " ", " ", "：", "~"}
)

// genText returns a message of about 40 to 120 characters of mixed
// Chinese and English from r.
func genText(r *rand.Rand) string {
	target := 40 + r.IntN(81)
	var b strings.Builder
	n := 0
	for n < target {
		var w string
		if r.IntN(3) == 0 {
			w = enWords[r.IntN(len(enWords))]
			if b.Len() > 0 {
				b.WriteByte(' ')
				n++
			}
		} else {
			w = zhWords[r.IntN(len(zhWords))]
		}
		b.WriteString(w)
		n += len([]rune(w))
		if r.IntN(5) == 0 {
			p := punct[r.IntN(len(punct))]
			b.WriteString(p)
			n += len([]rune(p))
		}
	}
	return b.String()
}

// genDocs returns n deterministic messages spread over users,
// conversations and a year of time. Each message is visible to its
// conversation's key; a few also to a department.
func genDocs(seed uint64, n, convs, users int) []Document {
	r := rand.New(rand.NewPCG(seed, seed^0x9e3779b97f4a7c15))
	base := time.Date(2025, 1, 1, 0, 0, 0, 0, time.UTC)
	docs := make([]Document, n)
	for i := range docs {
		conv := fmt.Sprintf("c%d", r.IntN(convs))
		d := Document{
			Kind:       KindMessage,
			ID:         fmt.Sprintf("m%07d", i),
			Container:  conv,
			Body:       genText(r),
			Author:     fmt.Sprintf("u%d", r.IntN(users)),
			Time:       base.Add(time.Duration(i) * 157 * time.Second),
			AccessKeys: []string{"conv:" + conv},
		}
		switch r.IntN(20) {
		case 0:
			d.Has = []string{HasLink}
		case 1:
			d.Has = []string{HasFile}
		case 2:
			d.Thread = fmt.Sprintf("m%07d", max(0, i-r.IntN(50)))
		case 3:
			d.Kind = KindTask
			d.Title = genText(r)[:12]
		}
		docs[i] = d
	}
	return docs
}
