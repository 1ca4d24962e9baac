/* SPDX-License-Identifier: MIT */
/*
 * spawn-check.c: how the reaped tasks ended, against the expectation, as a multiset; and the
 * check of the whole spawn part of an expectation.
 */

/* @section t_check_tasks | needs: t_spawn t_spawn_expect t_mismatch | includes: <signal.h> <stdio.h> <sys/wait.h> */
/* t_task_ok: did a task that ended with this wait status end as w says? */
static int t_task_ok(const struct t_task_expect *w, int status)
{
	if (w->outcome == T_TASK_EXEC)
		return WIFEXITED(status) && WEXITSTATUS(status) == w->exit;
	return WIFSIGNALED(status) && WTERMSIG(status) == SIGKILL;
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
	char want[32], got[64];

	for (i = 0; i < e->nr_tasks; i++) {
		if (e->tasks[i].outcome == T_TASK_NONE)
			continue;
		for (j = 0; j < n && (used[j] || !t_task_ok(&e->tasks[i], t_spawn.status[j])); j++)
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
			snprintf(want, sizeof(want), "exit %d", w->exit);
		else
			snprintf(want, sizeof(want), "signal %d", SIGKILL);
		if (j < n) {
			used[j] = 1;
			t_status_text(got, sizeof(got), t_spawn.status[j]);
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
	return bad;
}
/* @end */

/* @section t_check_spawn | needs: t_check_tasks t_check_reports */
/* t_check_spawn: how the spawned tasks ended, and what their exec helpers reported */
static unsigned t_check_spawn(const struct t_spawn_expect *e, int report)
{
	unsigned bad = t_check_tasks(e, report);

	return bad + t_check_reports(e, report);
}
/* @end */
