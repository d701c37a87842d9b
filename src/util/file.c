/* SPDX-License-Identifier: MIT */
#include "util/file.h"

#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <sys/stat.h>
#include <unistd.h>

int npu_read_file(const char *path, size_t max_size, uint8_t **data, size_t *size)
{
	struct stat st;
	uint8_t *buf;
	size_t len, done = 0;
	int fd = open(path, O_RDONLY | O_CLOEXEC);
	int ret = 0;

	if (fd < 0)
		return -errno;
	if (fstat(fd, &st) != 0) {
		ret = -errno;
		goto out_close;
	}
	if (!S_ISREG(st.st_mode)) {
		ret = -EINVAL;
		goto out_close;
	}
	if (st.st_size < 0 || (uint64_t)st.st_size > max_size) {
		ret = -EFBIG;
		goto out_close;
	}
	len = (size_t)st.st_size;
	buf = malloc(len ? len : 1);
	if (!buf) {
		ret = -ENOMEM;
		goto out_close;
	}
	while (done < len) {
		ssize_t n = read(fd, buf + done, len - done);

		if (n < 0 && errno == EINTR)
			continue;
		if (n <= 0) {
			/* A file that shrank under us is an I/O error, not a short image. */
			ret = n < 0 ? -errno : -EIO;
			free(buf);
			goto out_close;
		}
		done += (size_t)n;
	}
	*data = buf;
	*size = len;
out_close:
	close(fd);
	return ret;
}
