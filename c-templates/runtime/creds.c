/*
 * creds.c: running the case as another user, for rules that depend on credentials or rlimits.
 */

/* @section t_drop_credentials | needs: t_skip t_setup_fail | includes: <grp.h> <sys/resource.h> <sys/stat.h> <unistd.h> */
/* t_drop_credentials: become uid/gid under RLIMIT_NPROC nproc (0: unchanged), keeping the temp dir usable */
static int t_drop_credentials(uid_t uid, gid_t gid, unsigned long nproc)
{
	struct rlimit rl = { nproc, nproc };

	if (geteuid() != 0) {
		t_skip("running as uid %u needs root", (unsigned)uid);
		return T_EXIT_SKIP;
	}
	if (chmod(".", 0777))
		return t_setup_fail(".", "chmod");
	if (nproc && setrlimit(RLIMIT_NPROC, &rl))
		return t_setup_fail("RLIMIT_NPROC", "setrlimit");
	if (setgroups(0, NULL) || setgid(gid) || setuid(uid))
		return t_setup_fail("credentials", "setuid");
	return 0;
}
/* @end */
