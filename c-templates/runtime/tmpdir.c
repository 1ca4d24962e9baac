/* SPDX-License-Identifier: MIT */
/*
 * tmpdir.c: the case's private temp dir. Every fixture lives in it, and it goes
 * away with everything in it at the end, on failure paths too. And the process's own
 * setup: SIGPIPE ignored.
 */

/* @section t_tmpdir_path | includes: <limits.h> */
/* absolute path of the temp dir, empty when there is none */
static char t_tmpdir[PATH_MAX];
/* @end */

/* @section t_tmpdir | needs: t_tmpdir_path t_setup_fail | includes: <ftw.h> <limits.h> <stdio.h> <stdlib.h> <unistd.h> */
/* t_tmpdir_enter: mkdtemp under $TMPDIR (else /tmp) and chdir into it */
static int t_tmpdir_enter(void)
{
	const char *base = getenv("TMPDIR");
	char path[PATH_MAX];

	snprintf(path, sizeof(path), "%s/uringspec-XXXXXX", base && *base ? base : "/tmp");
	if (!mkdtemp(path))
		return t_setup_fail(path, "mkdtemp");
	if (!chdir(path) && getcwd(t_tmpdir, sizeof(t_tmpdir)))
		return T_EXIT_PASS;
	t_setup_fail(path, "chdir");
	rmdir(path);
	return T_EXIT_FAIL;
}

/* t_rm_entry: nftw callback; FTW_DEPTH hands us children before their dir */
static int t_rm_entry(const char *path, const struct stat *st, int type, struct FTW *ftw)
{
	(void)st, (void)type, (void)ftw;
	if (remove(path))
		printf("# cleanup: remove %s failed\n", path);
	return 0;
}

/* t_tmpdir_remove: leave the temp dir and delete it; FTW_PHYS never follows a symlink out */
static void t_tmpdir_remove(void)
{
	if (t_tmpdir[0] && chdir("/"))
		printf("# cleanup: chdir / failed\n");
	if (t_tmpdir[0])
		nftw(t_tmpdir, t_rm_entry, 16, FTW_DEPTH | FTW_PHYS);
	t_tmpdir[0] = 0;
}
/* @end */

/* @section t_ignore_sigpipe | includes: <signal.h> */
/* a write to a pipe without readers fails with -EPIPE and raises SIGPIPE: ignored, as in liburing's tests (spawned tasks inherit it) */
static void t_ignore_sigpipe(void)
{
	signal(SIGPIPE, SIG_IGN);
}
/* @end */
