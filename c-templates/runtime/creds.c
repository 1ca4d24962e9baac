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

/* @section t_fixture_personality | needs: t_fixture t_ring_setup t_skip t_setup_fail | includes: <errno.h> <grp.h> <limits.h> <sys/stat.h> <unistd.h> */
/*
 * t_fixture_personality: register a personality of uid/gid (the only group): take them as real and
 * effective ids, keeping the saved ids 0 so that the program can turn back to root afterwards
 */
static int t_fixture_personality(struct t_fixture *f, const char *name, uid_t uid, gid_t gid)
{
	gid_t groups[NGROUPS_MAX];
	int nr_groups, id;

	if (geteuid() != 0) {
		t_skip("%s: a personality of uid %u needs root", name, (unsigned)uid);
		return T_EXIT_SKIP;
	}
	/* the personality's requests look names up from here: root's temp dir, searchable by others */
	if (chmod(".", 0755))
		return t_setup_fail(name, "chmod of the temp dir");
	nr_groups = getgroups(NGROUPS_MAX, groups);
	if (nr_groups < 0)
		return t_setup_fail(name, "getgroups");
	if (setgroups(1, &gid) || setresgid(gid, gid, 0) || setresuid(uid, uid, 0))
		return t_setup_fail(name, "taking the personality's ids");
	id = io_uring_register_personality(t_setup_ring);
	/* back to root before anything else can fail */
	if (setresuid(0, 0, 0) || setresgid(0, 0, 0) || setgroups(nr_groups, groups))
		return t_setup_fail(name, "turning back to root");
	if (id < 0) {
		errno = -id;
		return t_setup_fail(name, "io_uring_register_personality");
	}
	f->fd = id;
	f->not_fd = 1;
	return T_EXIT_PASS;
}
/* @end */
