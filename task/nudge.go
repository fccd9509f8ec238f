package task

import (
	"context"
	"fmt"
)

// Nudge (催办) reminds the assignees of task id who have not completed
// their part. It records an ActNudged entry naming them and appends a
// TaskNudged record (Users: them) for the application to deliver, and
// returns that entry.
//
// The creator and followers may nudge; assignees may not (they are the
// ones nudged). At most one nudge per task per nudge interval
// (WithNudgeInterval, default 5 minutes), whoever sends it: a nudge
// sooner gives ErrTooSoon. A closed task gives ErrDone, one with no
// assignee left to finish gives ErrNoOneToNudge.
func (s *Service) Nudge(ctx context.Context, actor, id string) (Activity, error) {
	if err := s.checkActor(ctx, actor); err != nil {
		return Activity{}, err
	}
	now := s.now()
	var acts []Activity
	_, err := s.mutate(ctx, "nudge", actor, id, now, func(r *record) (step, error) {
		if r.Creator != actor && !r.IsFollower(actor) {
			return step{}, fmt.Errorf("task: %s may not nudge %q: only its creator and followers may: %w", actor, id, ErrPermission)
		}
		if !r.Status.Open() {
			return step{}, fmt.Errorf("task: nudge %q: %w", id, ErrDone)
		}
		pending := r.Pending()
		if len(pending) == 0 {
			return step{}, fmt.Errorf("task: nudge %q: %w", id, ErrNoOneToNudge)
		}
		if !r.Nudged.IsZero() && now.Sub(r.Nudged) < s.opts.nudgeGap {
			next := r.Nudged.Add(s.opts.nudgeGap)
			return step{}, fmt.Errorf("task: nudge %q: last nudge at %s, next allowed at %s: %w",
				id, r.Nudged.Format("15:04:05"), next.Format("15:04:05"), ErrTooSoon)
		}
		r.Nudged = now
		r.Nudges++
		for i := range r.Assignees {
			if !r.Assignees[i].Done {
				r.Assignees[i].Nudges++
			}
		}
		acts = []Activity{{Type: ActNudged, Actor: actor, Users: pending}}
		return step{typ: TaskNudged, users: pending, acts: acts}, nil
	})
	if err != nil {
		return Activity{}, err
	}
	return acts[0], nil
}
