// SPDX-License-Identifier: MIT
/* Description: report whether io_uring works here and which opcodes the kernel's probe lists. */
#include <errno.h>
#include <stdio.h>
#include <liburing.h>

int main(void)
{
	struct io_uring_probe *probe;
	struct io_uring ring;
	int ret, i, first = 1;

	ret = io_uring_queue_init(4, &ring, 0);
	if (ret) {
		FILE *f = fopen("/proc/sys/kernel/io_uring_disabled", "r");
		int disabled = -1;

		if (f) {
			if (fscanf(f, "%d", &disabled) != 1)
				disabled = -1;
			fclose(f);
		}
		printf("{\"error\":%d,\"io_uring_disabled\":%d}\n", ret, disabled);
		return 0;
	}
	probe = io_uring_get_probe_ring(&ring);
	if (!probe) {
		printf("{\"error\":%d,\"io_uring_disabled\":0}\n", -EOPNOTSUPP);
		return 0;
	}
	printf("{\"last_op\":%d,\"ops\":[", probe->last_op);
	for (i = 0; i < probe->ops_len; i++) {
		if (!(probe->ops[i].flags & IO_URING_OP_SUPPORTED))
			continue;
		printf("%s%d", first ? "" : ",", i);
		first = 0;
	}
	printf("]}\n");
	io_uring_free_probe(probe);
	io_uring_queue_exit(&ring);
	return 0;
}
