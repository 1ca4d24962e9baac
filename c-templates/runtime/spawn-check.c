/* SPDX-License-Identifier: MIT */
/*
 * spawn-check.c: how the reaped tasks ended, against the expectation, as a multiset; and the
 * check of the whole spawn part of an expectation.
 */

/* @section t_check_tasks | needs: t_spawn t_spawn_expect t_mismatch | includes: <signal.h> <stdio.h> <string.h> <sys/wait.h> */
/* t_task_ok: did a task that ended with this wait status, reaped this way, end as w says? */
static int t_task_ok(const struct t_task_expect *w, int status, unsigned char how)
{
	if (w->reap != T_REAP_ANY && w->reap != how)
		return 0;
	if (w->outcome == T_TASK_EXEC)
		return WIFEXITED(status) && WEXITSTATUS(status) == w->exit;
	return WIFSIGNALED(status) && WTERMSIG(status) == SIGKILL;
}

/* t_reap_text: " (a plain waitpid reaps it)" or " (only __WALL reaps it)", "" for T_REAP_ANY */
static const char *t_reap_text(unsigned char how)
{
	return how == T_REAP_PLAIN ? " (a plain waitpid reaps it)" : how == T_REAP_WALL ? " (only __WALL reaps it)" : "";
}

/* t_check_sigchld: SIGCHLD reached the submitter if and only if a task whose end sends it ended */
static unsigned t_check_sigchld(const struct t_spawn_expect *e, int report)
{
	unsigned i, known = 0;
	int want = 0;

	for (i = 0; i < e->nr_tasks; i++) {
		if (e->tasks[i].outcome == T_TASK_NONE)
			continue;
		if (e->tasks[i].sigchld < 0)
			return 0;
		known++;
		want |= e->tasks[i].sigchld;
	}
	if (!known || want == t_spawn.sigchld)
		return 0;
	if (report)
		t_mismatch("submitter: SIGCHLD %s, expected %s", t_spawn.sigchld ? "came" : "never came",
			   want ? "one from an exec'd task" : "none (exit_signal 0)");
	return 1;
}

/* t_status_text: a wait status as "exit 3" or "signal 9" */
static const char *t_status_text(char *buf, size_t len, int status)
{
	if (WIFEXITED(status))
		snprintf(buf, len, "exit %d", WEXITSTATUS(status));
	else if (WIFSIGNALED(status))
		snprintf(buf, len, "signal %d", WTERMSIG(status));
	else
		snprintf(buf, len, "status 0x%x", status);
	return buf;
}

/*
 * t_check_tasks: the reaped tasks against the exec and killed ones of e, as a multiset: first
 * every exact match, then the rest paired in order. Count (and maybe print) mismatches.
 */
static unsigned t_check_tasks(const struct t_spawn_expect *e, int report)
{
	unsigned char used[T_MAX_TASKS] = { 0 }, met[T_MAX_TASKS] = { 0 };
	unsigned i, j, bad = 0, n = t_spawn.nr_tasks < T_MAX_TASKS ? t_spawn.nr_tasks : T_MAX_TASKS;
	char want[64], got[96];
	size_t off;

	for (i = 0; i < e->nr_tasks; i++) {
		if (e->tasks[i].outcome == T_TASK_NONE)
			continue;
		for (j = 0; j < n && (used[j] || !t_task_ok(&e->tasks[i], t_spawn.status[j], t_spawn.how[j])); j++)
			;
		if (j < n)
			used[j] = met[i] = 1;
	}
	j = 0;
	for (i = 0; i < e->nr_tasks; i++) {
		const struct t_task_expect *w = &e->tasks[i];

		if (w->outcome == T_TASK_NONE || met[i])
			continue;
		bad++;
		while (j < n && used[j])
			j++;
		if (w->outcome == T_TASK_EXEC)
			snprintf(want, sizeof(want), "exit %d%s", w->exit, t_reap_text(w->reap));
		else
			snprintf(want, sizeof(want), "signal %d%s", SIGKILL, t_reap_text(w->reap));
		if (j < n) {
			used[j] = 1;
			t_status_text(got, sizeof(got), t_spawn.status[j]);
			off = strlen(got);
			if (w->reap != T_REAP_ANY)
				snprintf(got + off, sizeof(got) - off, "%s", t_reap_text(t_spawn.how[j]));
		} else {
			snprintf(got, sizeof(got), "no task ended within %u ms", t_spawn.wait_ms);
		}
		if (report)
			t_mismatch("spawned task of user_data %llu: expected %s, got %s", (unsigned long long)w->head, want, got);
	}
	for (j = 0; j < n; j++) {
		if (used[j])
			continue;
		bad++;
		if (report)
			t_mismatch("unexpected spawned task: %s", t_status_text(got, sizeof(got), t_spawn.status[j]));
	}
	if (t_spawn.nr_tasks > T_MAX_TASKS) {
		bad++;
		if (report)
			t_mismatch("%u spawned tasks, only the first %u checked", t_spawn.nr_tasks, (unsigned)T_MAX_TASKS);
	}
	return bad + t_check_sigchld(e, report);
}
/* @end */

/* @section t_check_submitter | needs: t_spawn t_spawn_expect t_mismatch | includes: <stdio.h> <string.h> */
/* t_fd_closed_key: the key of a fixture fd the expectation says the submitter closed, or NULL */
static const char *t_fd_closed_key(const struct t_submitter_expect *u, int fd)
{
	unsigned i;

	for (i = 0; i < u->nr_fds_closed; i++)
		if (*u->fds_closed[i].fd == fd)
			return u->fds_closed[i].key;
	return NULL;
}

/* t_fds_bad: the fd table after the chain against the one before and what the submitter's own requests did */
static unsigned t_submitter_fds_bad(const struct t_submitter_expect *u, int report)
{
	const struct t_proc_state *b = &t_spawn.before, *a = &t_spawn.after;
	unsigned i, bad = 0, opened = 0;
	int first_new = -1;

	for (i = 0; i < b->nr_fds; i++) {
		const struct t_fd_snap *was = &b->fds[i], *now = t_proc_fd(a, was->fd);
		const char *closed = t_fd_closed_key(u, was->fd);

		/* the report pipe's write end is the runtime's own to close */
		if (was->fd == T_REPORT_FD || (closed && !now))
			continue;
		if (closed) {
			/* its number taken again: one of the new fds, if the submitter opened any */
			opened++;
			if (first_new < 0)
				first_new = was->fd;
			continue;
		}
		if (now && now->dev == was->dev && now->ino == was->ino)
			continue;
		bad++;
		if (report && !now)
			t_mismatch("submitter: fd %d was closed by the chain, expected it open", was->fd);
		else if (report)
			t_mismatch("submitter: fd %d names another file after the chain (dev %llu ino %llu, was %llu %llu)", was->fd,
				   (unsigned long long)now->dev, (unsigned long long)now->ino,
				   (unsigned long long)was->dev, (unsigned long long)was->ino);
	}
	for (i = 0; i < a->nr_fds; i++) {
		if (t_proc_fd(b, a->fds[i].fd))
			continue;
		opened++;
		if (first_new < 0)
			first_new = a->fds[i].fd;
	}
	if (opened < u->opened_min || opened > u->opened_max) {
		bad++;
		if (report)
			t_mismatch("submitter: %u new fds after the chain (fd %d first), expected %u to %u", opened, first_new,
				   u->opened_min, u->opened_max);
	}
	return bad;
}

/* t_fs_bad: cwd, root and umask as before the chain */
static unsigned t_fs_bad(int report)
{
	const struct t_proc_state *b = &t_spawn.before, *a = &t_spawn.after;
	unsigned bad = 0;

	if (b->have_fs && (!a->have_fs || a->cwd.st_dev != b->cwd.st_dev || a->cwd.st_ino != b->cwd.st_ino)) {
		bad++;
		if (report)
			t_mismatch("submitter: its cwd changed during the chain");
	}
	if (b->have_fs && (!a->have_fs || a->root.st_dev != b->root.st_dev || a->root.st_ino != b->root.st_ino)) {
		bad++;
		if (report)
			t_mismatch("submitter: its root changed during the chain");
	}
	if (a->umask != b->umask) {
		bad++;
		if (report)
			t_mismatch("submitter: umask %03o after the chain, was %03o", a->umask, b->umask);
	}
	return bad;
}

/* t_buf_bad: a buffer holds its runs of bytes, then zeros; 1 (and maybe a mismatch line) at the first byte that differs */
static unsigned t_buf_bad(const struct t_buf_expect *w, int report)
{
	unsigned char want, got;
	size_t at = 0, k;
	unsigned r;

	for (r = 0; r <= w->nr_runs; r++) {
		size_t len = r < w->nr_runs ? w->runs[r].len : (at < w->size ? w->size - at : 0);

		for (k = 0; k < len; k++, at++) {
			want = r == w->nr_runs ? 0 : t_run_byte(&w->runs[r], k);
			got = at < w->size ? (unsigned char)w->buf[at] : 0;
			if (at < w->size && got == want)
				continue;
			if (report && at >= w->size)
				t_mismatch("submitter: buffer of user_data %llu: %zu bytes expected, it has %zu",
					   (unsigned long long)w->user_data, at + len - k, w->size);
			else if (report)
				t_mismatch("submitter: buffer of user_data %llu, byte %zu: expected 0x%02x, got 0x%02x",
					   (unsigned long long)w->user_data, at, want, got);
			return 1;
		}
	}
	return 0;
}

/* t_check_submitter: the submitter's fds, fs, memory and children after the chain */
static unsigned t_check_submitter(const struct t_spawn_expect *e, int report)
{
	const struct t_submitter_expect *u = e->submitter;
	unsigned i, bad, waited = 0, blocked = 0;

	if (!u)
		return 0;
	bad = t_submitter_fds_bad(u, report);
	if (u->fs_kept)
		bad += t_fs_bad(report);
	for (i = 0; i < u->nr_bufs; i++)
		bad += t_buf_bad(&u->bufs[i], report);
	for (i = 0; i < e->nr_tasks; i++)
		e->tasks[i].outcome == T_TASK_NONE ? blocked++ : waited++;
	if (u->check_after && (t_spawn.after_state != T_AFTER_DONE || t_spawn.after_res != u->after_res)) {
		bad++;
		if (report && t_spawn.after_state == T_AFTER_DONE)
			t_mismatch("ring after the chain: the next request completed with %d, expected %d", t_spawn.after_res, u->after_res);
		else if (report)
			t_mismatch("ring after the chain: the next request %s", t_spawn.after_state == T_AFTER_NO_SQE ? "got no SQE"
				   : t_spawn.after_state == T_AFTER_SUBMIT_FAILED ? "was not submitted"
				   : t_spawn.after_state == T_AFTER_NO_CQE ? "never completed" : "was never made");
	}
	/* only once every awaited task ended: one that did not is reported as such */
	if (u->no_stray && !blocked && t_spawn.nr_tasks >= waited && t_spawn.children_left) {
		bad++;
		if (report)
			t_mismatch("submitter: a child is still alive after the chain, beyond the tasks it expects");
	}
	return bad;
}
/* @end */

/* @section t_check_spawn | needs: t_check_submitter */
/*
 * t_check_spawn: how the spawned tasks ended, what their exec helpers reported, and the submitter after them.
 * A case whose expectation has no spawn part (only the submitter's state after a chain that spawns nothing) slices no task checks.
 */
static unsigned t_check_spawn(const struct t_spawn_expect *e, int report)
{
	unsigned bad = 0;

/* @if t_check_tasks */
	bad += t_check_tasks(e, report);
	bad += t_check_reports(e, report);
/* @endif */
	return bad + t_check_submitter(e, report);
}
/* @end */
