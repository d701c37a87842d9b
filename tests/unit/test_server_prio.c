/* SPDX-License-Identifier: MIT */
/*
 * SET_PRIORITY through the request server (src/server/server_prio.c), in both
 * scheduling modes: who may ask for which priority, bad requests, and the
 * client's priority as the server keeps it.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>

#include <cmocka.h>

#include "driver/hws.h"
#include "driver/job.h"
#include "npu/npu.h"
#include "server_test_util.h"
#include "empty_fw_dir.h"

#define OWNER	  4242u
#define OWNER_GID 777u

struct fx {
	int sched;
	struct npu_server_config cfg;
	struct npu_platform *plat;
	struct npu_device d;
	struct npu_server *s;
};

static void fx_open(struct fx *f)
{
	struct npu_platform_config pcfg = { .device = "sim" };
	struct npu_device_config dcfg = { .sched = f->sched };

	assert_int_equal(npu_platform_open(&pcfg, &f->plat), 0);
	assert_int_equal(drv_device_open(&f->d, f->plat, &dcfg), 0);
	f->cfg.owner_uid = OWNER;
	f->cfg.owner_gid = OWNER_GID;
	f->cfg.owner_gid_set = true;
	f->cfg.allow_gids[0] = 55;
	f->cfg.n_allow_gids = 1;
	assert_int_equal(npu_server_create(&f->d, &f->cfg, &f->s), 0);
}

static void fx_close(struct fx *f)
{
	npu_server_destroy(f->s);
	drv_device_close(&f->d);
	npu_platform_close(f->plat);
}

static int set_prio(struct tc *t, uint32_t prio, uint32_t reserved)
{
	struct npu_req_priority p = { .priority = prio, .reserved = reserved };

	tc_req(t, NPU_OP_SET_PRIORITY, &p, sizeof(p));
	return tc_status(t);
}

static void check(struct fx *f)
{
	struct npu_srv_peer user = { .uid = 3000, .gid = 3000, .groups = { 55 }, .n_groups = 1 };
	struct npu_srv_peer member = {
		.uid = 3001, .gid = 55, .groups = { 55, OWNER_GID }, .n_groups = 2
	};
	struct tc t, m, o;
	char text[160] = { 0 };
	struct npu_rsp_hdr h = { 0 };
	uint32_t one = 1;

	fx_open(f);
	assert_int_equal(drv_hws_on(&f->d), f->sched == NPU_SCHED_HWS);
	/* An allowed user: idle and normal, not focus or realtime. */
	memset(&t, 0, sizeof(t));
	assert_int_equal(npu_server_client_new(f->s, &user, tc_send, &t, &t.c), 0);
	assert_int_equal(set_prio(&t, NPU_PRIORITY_IDLE, 0), -EPROTO); /* before hello */
	assert_int_equal(tc_hello(&t, "user"), 0);
	assert_int_equal(set_prio(&t, NPU_PRIORITY_IDLE, 0), 0);
	assert_int_equal(npu_server_client_priority(t.c), NPU_PRIO_IDLE);
	assert_int_equal(set_prio(&t, NPU_PRIORITY_REALTIME, 0), -EPERM);
	tc_last(&t, &h, text, sizeof(text) - 1);
	assert_non_null(strstr(text, "realtime"));
	assert_int_equal(set_prio(&t, NPU_PRIORITY_FOCUS, 0), -EPERM);
	assert_int_equal(npu_server_client_priority(t.c), NPU_PRIO_IDLE);
	assert_int_equal(set_prio(&t, NPU_PRIORITY_DEFAULT, 0), 0);
	assert_int_equal(npu_server_client_priority(t.c), NPU_PRIO_NORMAL);
	/* Bad requests. */
	assert_int_equal(set_prio(&t, 5, 0), -EINVAL);
	assert_int_equal(set_prio(&t, NPU_PRIORITY_IDLE, 1), -EINVAL);
	tc_req(&t, NPU_OP_SET_PRIORITY, &one, sizeof(one));
	assert_int_equal(tc_status(&t), -EINVAL);
	/* A member of npud's group, and npud's own user: focus and realtime. */
	memset(&m, 0, sizeof(m));
	assert_int_equal(npu_server_client_new(f->s, &member, tc_send, &m, &m.c), 0);
	assert_int_equal(tc_hello(&m, "member"), 0);
	assert_int_equal(set_prio(&m, NPU_PRIORITY_FOCUS, 0), 0);
	assert_int_equal(npu_server_client_priority(m.c), NPU_PRIO_FOCUS);
	assert_int_equal(tc_connect(f->s, &o, OWNER), 0);
	assert_int_equal(tc_hello(&o, "owner"), 0);
	assert_int_equal(set_prio(&o, NPU_PRIORITY_REALTIME, 0), 0);
	assert_int_equal(npu_server_client_priority(o.c), NPU_PRIO_REALTIME);
	npu_server_client_gone(t.c);
	npu_server_client_gone(m.c);
	npu_server_client_gone(o.c);
	fx_close(f);
}

static void t_hws(void **state)
{
	struct fx f = { .sched = NPU_SCHED_HWS };

	(void)state;
	check(&f);
}

static void t_os(void **state)
{
	struct fx f = { .sched = NPU_SCHED_OS };

	(void)state;
	check(&f);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(t_hws),
		cmocka_unit_test(t_os),
	};

	return cmocka_run_group_tests(tests, group_setup, group_teardown);
}
