/* SPDX-License-Identifier: MIT */
/* Option parsing for subcommands that take values. */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "cli.h"

int npuctl_parse_opts(const struct npuctl_cmd *cmd, int argc, char **argv,
		      const struct npuctl_opt *opts, const char **pos, int max_pos, int *n_pos,
		      int *exit_code)
{
	bool only_pos = false;

	*n_pos = 0;
	for (int i = 0; i < argc; i++) {
		const char *a = argv[i];
		const struct npuctl_opt *o = NULL;
		size_t n = 0;

		if (!only_pos && strcmp(a, "--") == 0) {
			only_pos = true;
			continue;
		}
		if (only_pos || a[0] != '-' || a[1] == '\0') {
			if (*n_pos >= max_pos) {
				*exit_code = npuctl_usage_err(cmd, "%s: unexpected argument '%s'",
							      cmd->name, a);
				return 1;
			}
			pos[(*n_pos)++] = a;
			continue;
		}
		if (strcmp(a, "--help") == 0 || strcmp(a, "-h") == 0) {
			npuctl_cmd_help(cmd, stdout);
			*exit_code = NPUCTL_EXIT_OK;
			return 1;
		}
		for (const struct npuctl_opt *k = opts; k && k->name; k++) {
			n = strlen(k->name);
			if (strncmp(a, k->name, n) == 0 && (a[n] == '\0' || a[n] == '=')) {
				o = k;
				break;
			}
		}
		if (!o) {
			*exit_code = npuctl_usage_err(cmd, "%s: unknown option '%s'", cmd->name, a);
			return 1;
		}
		if (o->flag) {
			if (a[n] == '=') {
				*exit_code = npuctl_usage_err(cmd, "%s: option '%s' takes no value",
							      cmd->name, o->name);
				return 1;
			}
			*o->flag = true;
		} else if (a[n] == '=') {
			*o->value = a + n + 1;
		} else if (i + 1 < argc) {
			*o->value = argv[++i];
		} else {
			*exit_code = npuctl_usage_err(cmd, "%s: option '%s' needs a value",
						      cmd->name, o->name);
			return 1;
		}
	}
	return 0;
}

int npuctl_parse_size(const char *s, uint64_t *out)
{
	char *end;
	unsigned long long v;
	unsigned shift = 0;

	if (!s || !*s || *s == '-')
		return -EINVAL;
	errno = 0;
	v = strtoull(s, &end, 0);
	if (errno || end == s)
		return -EINVAL;
	switch (*end) {
	case '\0':
		break;
	case 'K':
	case 'k':
		shift = 10;
		break;
	case 'M':
	case 'm':
		shift = 20;
		break;
	case 'G':
	case 'g':
		shift = 30;
		break;
	default:
		return -EINVAL;
	}
	if (*end && end[1] != '\0' && strcmp(end + 1, "iB") != 0 && strcmp(end + 1, "B") != 0)
		return -EINVAL;
	if (shift && v > (UINT64_MAX >> shift))
		return -ERANGE;
	*out = (uint64_t)v << shift;
	return 0;
}
