/* SPDX-License-Identifier: MIT */
/*
 * spawn.c: what tasks spawned by a case need. For now only reaping them.
 */

/* @section t_reap_children | includes: <sys/wait.h> */
/* t_reap_children: reap every exited child; a task io_uring spawned is seen only with __WALL */
static void t_reap_children(void)
{
	int status;

	while (waitpid(-1, &status, __WALL | WNOHANG) > 0)
		;
}
/* @end */
