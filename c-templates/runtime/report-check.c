/* SPDX-License-Identifier: MIT */
/*
 * report-check.c: the exec helpers' reports against what the spawned tasks expect of them:
 * argv, envp, cwd, and which fixture fds the exec'd program finds open. Reports are paired
 * with the tasks that exec'd, in arrival order or by trying every pairing.
 */

/* @section t_check_report | needs: t_spawn t_proc_state t_spawn_expect t_tmpdir_path t_mismatch | includes: <limits.h> <stdio.h> <string.h> <unistd.h> */
/* t_strs_text: a list of strings as ["a", "b"], cut to fit */
static const char *t_strs_text(char *buf, size_t len, const char *const *v, unsigned nr)
{
	size_t off;
	unsigned i;

	snprintf(buf, len, "[");
	for (i = 0; i < nr; i++) {
		off = strlen(buf);
		snprintf(buf + off, len - off, "%s\"%s\"", i ? ", " : "", v[i]);
	}
	off = strlen(buf);
	snprintf(buf + off, len - off, "]");
	return buf;
}

/* t_strs_bad: 1 (and maybe a mismatch line) when the helper's list differs from the expected one */
static unsigned t_strs_bad(const struct t_task_expect *t, const char *what, const struct t_str_list *w,
			   const char *const *got, unsigned nr_got, int report)
{
	char want_text[T_LINE / 2], got_text[T_LINE / 2];
	unsigned i;

	if (!w->check)
		return 0;
	for (i = 0; i < w->nr && i < nr_got && !strcmp(w->v[i], got[i]); i++)
		;
	if (i == w->nr && i == nr_got)
		return 0;
	if (report)
		t_mismatch("spawned task of user_data %llu: helper %s: expected %s, got %s", (unsigned long long)t->head,
			   what, t_strs_text(want_text, sizeof(want_text), w->v, w->nr),
			   t_strs_text(got_text, sizeof(got_text), got, nr_got));
	return 1;
}

/* t_report_has_fd: is fd among the helper's open fds? */
static int t_report_has_fd(const struct t_report *r, int fd)
{
	unsigned i;

	for (i = 0; i < r->nr_fds; i++)
		if (r->fds[i].fd == fd)
			return 1;
	return 0;
}

/* t_same_target: does fd of this process name target (readlink of /proc/self/fd/<fd>)? */
static int t_same_target(int fd, const char *target)
{
	char link[64], here[PATH_MAX];
	ssize_t len;

	snprintf(link, sizeof(link), "/proc/self/fd/%d", fd);
	len = readlink(link, here, sizeof(here) - 1);
	if (len < 0)
		return 0;
	here[len] = '\0';
	return !strcmp(here, target);
}

/*
 * t_installed_bad: count (and maybe print) fixture fds whose file the helper does not also hold under an
 * fd of its own (what FIXED_FD_INSTALL gave the task): a helper fd naming the same file (/proc/self/fd)
 * whose number is not one of the submitter's fds for that file, which the task inherited
 */
static unsigned t_installed_bad(const struct t_task_expect *t, const struct t_report *r, const struct t_fd_ref *fds,
				unsigned nr, int report)
{
	char link[64], target[PATH_MAX];
	unsigned i, j, bad = 0;
	ssize_t len;

	for (i = 0; i < nr; i++) {
		int fd = *fds[i].fd, found = 0;

		snprintf(link, sizeof(link), "/proc/self/fd/%d", fd);
		len = fd >= 0 ? readlink(link, target, sizeof(target) - 1) : -1;
		if (len >= 0) {
			target[len] = '\0';
			for (j = 0; j < r->nr_fds && !found; j++)
				found = !strcmp(r->fds[j].target, target) && !t_same_target(r->fds[j].fd, target);
		}
		if (found)
			continue;
		bad++;
		if (report)
			t_mismatch("spawned task of user_data %llu: no other fd of the helper names the file of %s (%s), expected one installed",
				   (unsigned long long)t->head, fds[i].key, len >= 0 ? target : "closed");
	}
	return bad;
}

/*
 * t_report_holds_fixture: does the helper's fd (same number) still name the file the submitter had under it
 * before the first submit? A member that closed it may have let a later open in the task reuse the number
 * (the lowest free fd) for another file: that fd is open, the fixture's is closed. Without a snapshot target
 * (not open before, or too long a link) the number alone decides.
 */
static int t_report_holds_fixture(const struct t_report *r, int fd)
{
	const struct t_fd_snap *was = t_proc_fd(&t_spawn.before, fd);
	unsigned i;

	for (i = 0; i < r->nr_fds; i++)
		if (r->fds[i].fd == fd)
			return !was || !was->target[0] || !strcmp(r->fds[i].target, was->target);
	return 0;
}

/* t_fds_bad: count (and maybe print) fixture fds that are not open, or not closed, in the helper as wanted */
static unsigned t_fds_bad(const struct t_task_expect *t, const struct t_report *r, const struct t_fd_ref *fds,
			  unsigned nr, int want_open, int report)
{
	unsigned i, bad = 0;

	for (i = 0; i < nr; i++) {
		int fd = *fds[i].fd;

		/* open: the number is open (what it names is t_installed_bad's and the oracle's business); closed: not the fixture's file */
		if ((fd >= 0 && (want_open ? t_report_has_fd(r, fd) : t_report_holds_fixture(r, fd))) == want_open)
			continue;
		bad++;
		if (report)
			t_mismatch("spawned task of user_data %llu: fd %s (%d) is %s in the helper, expected %s",
				   (unsigned long long)t->head, fds[i].key, fd, want_open ? "closed" : "open",
				   want_open ? "open" : "closed");
	}
	return bad;
}

/* T_RING_TARGET: what /proc/self/fd shows for an io_uring fd */
#define T_RING_TARGET "anon_inode:[io_uring]"

/* t_task_state_bad: the helper's task flags, exit_signal, parent, umask, signals and ring fd against t's expectation */
static unsigned t_task_state_bad(const struct t_task_expect *t, const struct t_report *r, int report)
{
	const struct t_report_expect *w = t->report;
	const struct t_proc_state *sub = &t_spawn.before;
	unsigned long long head = (unsigned long long)t->head, blk;
	unsigned i, bad = 0;

	if (w->ring_fd_closed) {
		for (i = 0; i < r->nr_fds; i++) {
			if (strcmp(r->fds[i].target, T_RING_TARGET))
				continue;
			bad++;
			if (report)
				t_mismatch("spawned task of user_data %llu: fd %d of the helper is an io_uring, expected the ring fd closed", head, r->fds[i].fd);
		}
	}
	if ((w->check_flags || w->exit_signal >= 0) && !r->has_task) {
		if (report)
			t_mismatch("spawned task of user_data %llu: helper report has no task line", head);
		return bad + 1;
	}
	if (w->check_flags && ((r->flags & w->flags_clear) || (r->flags & w->flags_set) != w->flags_set)) {
		bad++;
		if (report)
			t_mismatch("spawned task of user_data %llu: helper task flags 0x%llx: expected none of 0x%llx and all of 0x%llx",
				   head, r->flags, w->flags_clear, w->flags_set);
	}
	if (w->exit_signal >= 0 && r->exit_signal != w->exit_signal) {
		bad++;
		if (report)
			t_mismatch("spawned task of user_data %llu: helper exit_signal %d, expected %d", head, r->exit_signal, w->exit_signal);
	}
	if (w->parent_is_submitter && r->ppid != (long)t_spawn.pid) {
		bad++;
		if (report)
			t_mismatch("spawned task of user_data %llu: helper parent pid %ld, expected the submitter (%ld)", head, r->ppid, (long)t_spawn.pid);
	}
	if (w->uid >= 0 && (r->uid != w->uid || r->gid != w->gid)) {
		bad++;
		if (report)
			t_mismatch("spawned task of user_data %llu: helper uid/gid %ld/%ld, expected %d/%d", head, r->uid, r->gid, w->uid, w->gid);
	}
	if (w->umask_of_submitter && r->umask != sub->umask) {
		bad++;
		if (report)
			t_mismatch("spawned task of user_data %llu: helper umask %03o, expected the submitter's %03o", head, r->umask, sub->umask);
	}
	if ((w->sigign_of_submitter || w->sigblk != T_ANY) && (!r->has_sig || !sub->have_sig)) {
		if (report)
			t_mismatch("spawned task of user_data %llu: no signal masks to compare (/proc/self/status)", head);
		return bad + 1;
	}
	if (w->sigign_of_submitter && r->sigign != sub->sigign) {
		bad++;
		if (report)
			t_mismatch("spawned task of user_data %llu: helper ignores signals %llx, expected the submitter's %llx", head, r->sigign, sub->sigign);
	}
	blk = w->sigblk == T_MASK ? w->sigblk_mask : sub->sigblk;
	if (w->sigblk != T_ANY && r->sigblk != blk) {
		bad++;
		if (report)
			t_mismatch("spawned task of user_data %llu: helper blocks signals %llx, expected %llx%s", head, r->sigblk, blk,
				   w->sigblk == T_MASK ? "" : " (the submitter's)");
	}
	return bad;
}

/* t_report_bad: count (and maybe print) how report r (NULL: none came) differs from task t's expectation */
static unsigned t_report_bad(const struct t_task_expect *t, const struct t_report *r, int report)
{
	const struct t_report_expect *w = t->report;
	unsigned long long head = (unsigned long long)t->head;
	const char *cwd;
	unsigned bad = 0;

	if (!r) {
		/* a task with no report expectation may have exec'd something else */
		if (report && w)
			t_mismatch("spawned task of user_data %llu: no report from the exec helper", head);
		return w ? 1 : 0;
	}
	if (r->error) {
		bad++;
		if (report)
			t_mismatch("spawned task of user_data %llu: helper report: %s", head, r->error);
	}
	if (!w)
		return bad;
	bad += t_strs_bad(t, "argv", &w->argv, r->argv, r->nr_argv, report);
	bad += t_strs_bad(t, "envp", &w->envp, r->envp, r->nr_envp, report);
	cwd = w->cwd && !strcmp(w->cwd, ".") ? t_tmpdir : w->cwd;
	if (cwd && (!r->cwd || strcmp(cwd, r->cwd))) {
		bad++;
		if (report)
			t_mismatch("spawned task of user_data %llu: helper cwd: expected %s, got %s", head, cwd,
				   r->cwd ? r->cwd : "none");
	}
	bad += t_fds_bad(t, r, w->fds_open, w->nr_fds_open, 1, report);
	bad += t_fds_bad(t, r, w->fds_closed, w->nr_fds_closed, 0, report);
	bad += t_installed_bad(t, r, w->fds_installed, w->nr_fds_installed, report);
	return bad + t_task_state_bad(t, r, report);
}
/* @end */

/* @section t_check_reports | needs: t_check_report | includes: <string.h> */
/* how many exec tasks (and reports) t_check_reports pairs by trying every pairing */
#define T_MAX_PAIRED 8

/* the cheapest pairing of exec tasks with reports found so far, and the one being built */
struct t_pairing {
	const struct t_task_expect *tasks[T_MAX_TASKS];
	unsigned nr_tasks, nr_reports;
	unsigned cost[T_MAX_PAIRED][T_MAX_PAIRED + 1];	/* [task][report], the last column for none */
	int cur[T_MAX_PAIRED], best[T_MAX_TASKS];	/* report index of each task, -1 for none */
	unsigned char taken[T_MAX_PAIRED];
	unsigned best_cost;
};

/* t_pair: give tasks i.. a report each, or none, keeping the cheapest pairing; a report left over costs 1 */
static void t_pair(struct t_pairing *p, unsigned i, unsigned cost, unsigned paired)
{
	unsigned j;

	if (cost >= p->best_cost)
		return;
	if (i == p->nr_tasks) {
		if (cost + p->nr_reports - paired < p->best_cost) {
			p->best_cost = cost + p->nr_reports - paired;
			memcpy(p->best, p->cur, sizeof(p->cur));
		}
		return;
	}
	for (j = 0; j < p->nr_reports; j++) {
		if (p->taken[j])
			continue;
		p->taken[j] = 1;
		p->cur[i] = (int)j;
		t_pair(p, i + 1, cost + p->cost[i][j], paired + 1);
		p->taken[j] = 0;
	}
	p->cur[i] = -1;
	t_pair(p, i + 1, cost + p->cost[i][T_MAX_PAIRED], paired);
}

/*
 * t_check_reports: each exec task with a report expectation takes one report, one without may
 * take one, and every report must be taken. Tasks that all expect the same take the reports in
 * the order they came; otherwise every pairing is tried and the one with the fewest mismatches
 * is reported. Count (and maybe print) mismatches.
 */
static unsigned t_check_reports(const struct t_spawn_expect *e, int report)
{
	static struct t_pairing p;
	unsigned i, j, bad = 0, same = 1;
	unsigned char used[T_MAX_REPORTS] = { 0 };

	memset(&p, 0, sizeof(p));
	for (i = 0; i < e->nr_tasks; i++)
		if (e->tasks[i].outcome == T_TASK_EXEC && p.nr_tasks < T_MAX_TASKS)
			p.tasks[p.nr_tasks++] = &e->tasks[i];
	p.nr_reports = t_spawn.nr_reports < T_MAX_REPORTS ? t_spawn.nr_reports : T_MAX_REPORTS;
	for (i = 1; i < p.nr_tasks; i++)
		same &= p.tasks[i]->report == p.tasks[0]->report;
	for (i = 0; i < p.nr_tasks; i++)
		p.best[i] = i < p.nr_reports ? (int)i : -1;
	if (!same && p.nr_tasks <= T_MAX_PAIRED && p.nr_reports <= T_MAX_PAIRED) {
		for (i = 0; i < p.nr_tasks; i++) {
			for (j = 0; j < p.nr_reports; j++)
				p.cost[i][j] = t_report_bad(p.tasks[i], &t_spawn.reports[j], 0);
			p.cost[i][T_MAX_PAIRED] = t_report_bad(p.tasks[i], NULL, 0);
		}
		p.best_cost = ~0u;
		t_pair(&p, 0, 0, 0);
	}
	for (i = 0; i < p.nr_tasks; i++) {
		bad += t_report_bad(p.tasks[i], p.best[i] < 0 ? NULL : &t_spawn.reports[p.best[i]], report);
		if (p.best[i] >= 0)
			used[p.best[i]] = 1;
	}
	for (j = 0; j < p.nr_reports; j++) {
		if (used[j])
			continue;
		bad++;
		if (report)
			t_mismatch("unexpected report from the exec helper, argv[0] \"%s\"",
				   t_spawn.reports[j].nr_argv ? t_spawn.reports[j].argv[0] : "");
	}
	if (t_spawn.nr_reports > T_MAX_REPORTS || t_spawn.overflow) {
		bad++;
		if (report)
			t_mismatch("more exec helper reports than the %u (%u bytes) checked", (unsigned)T_MAX_REPORTS,
				   (unsigned)T_REPORT_BUF);
	}
	return bad;
}

/* @end */
