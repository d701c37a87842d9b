/* SPDX-License-Identifier: MIT */
/*
 * libnpu on Redox: npu_open with a path under /scheme/ uses the scheme
 * transport (src/lib/scheme_client.c), whose redox_* calls the fake kernel
 * turns into the requests npud's scheme serves. A client copies and fills
 * through it as it would through npud's socket; who may not open the scheme
 * and a scheme that is not there are told apart.
 */
#include <errno.h>

#include "npu/npu.h"
#include "scheme_fixture.h"
#include "util/json_read.h"

#define SIZE (1u << 20)

static void t_copy(void **state)
{
	struct npu_open_opts o = { .socket = "/scheme/npu", .client_name = "redox libnpu" };
	struct fx f;
	struct npu *n;
	struct npu_info info;
	struct npu_buf *src, *dst, *cmd;
	struct npu_batch *b;
	uint32_t job, status;
	uint8_t *s, *d;
	static char json[65536];
	struct npu_jv *root;
	const struct npu_jv *c;
	uint64_t v;

	(void)state;
	fx_open(&f);
	fk_client_as(1000, GROUP);
	assert_int_equal(npu_open(&o, &n), 0);
	assert_int_equal(npu_query(n, &info), 0);
	assert_string_equal(info.generation, "37xx");
	assert_string_equal(info.pci_address, "0000:00:0b.0");
	assert_int_equal(info.simulated, 0); /* the Redox backend's NPU, as far as npud knows */
	assert_int_equal(npu_buf_create(n, SIZE, 0, &src), 0);
	assert_int_equal(npu_buf_create(n, SIZE, 0, &dst), 0);
	assert_int_equal(npu_buf_create(n, npu_batch_size(n, 4, 1), 0, &cmd), 0);
	assert_int_equal(fk_client_maps(), 3);
	s = npu_buf_ptr(src);
	d = npu_buf_ptr(dst);
	for (size_t i = 0; i < SIZE; i++)
		s[i] = (uint8_t)(i * 13u + (i >> 11));
	memset(d, 0, SIZE);

	/* A copy, then a fill over the first page of the copy. */
	assert_int_equal(npu_batch_begin(cmd, 4, &b), 0);
	assert_int_equal(npu_batch_copy(b, npu_buf_va(dst), npu_buf_va(src), SIZE), 0);
	assert_int_equal(npu_batch_barrier(b), 0);
	assert_int_equal(npu_batch_fill(b, npu_buf_va(dst), 4096, 0xA5A5A5A5u), 0);
	assert_int_equal(npu_batch_end(b), 0);
	assert_int_equal(npu_submit(n, cmd, (struct npu_buf *[]){ src, dst }, 2, &job), 0);
	assert_int_equal(npu_wait(n, job, 5000, &status), 0); /* the read parks until the IRQ */
	assert_int_equal(status, 0);
	for (size_t i = 0; i < 4096; i++)
		assert_int_equal(d[i], 0xA5);
	assert_memory_equal(d + 4096, s + 4096, SIZE - 4096);

	/* STATUS through the scheme: this client, by its name, uid and pid. */
	assert_int_equal(npu_status_json(n, json, sizeof(json)), 0);
	assert_int_equal(npu_jv_parse(json, strlen(json), &root, NULL, 0), 0);
	c = npu_jv_get(root, "clients");
	assert_non_null(c);
	assert_non_null(c->kids);
	assert_string_equal(npu_jv_get_str(c->kids, "name"), "redox libnpu");
	assert_true(npu_jv_get_u64(c->kids, "uid", &v));
	assert_int_equal(v, 1000);
	assert_true(npu_jv_get_u64(c->kids, "pid", &v));
	assert_int_equal(v, 4242);
	assert_string_equal(npu_jv_get_str(c->kids, "priority"), "normal");
	npu_jv_free(root);

	/* SET_PRIORITY through the scheme: idle for anyone; realtime not for this server's users. */
	assert_int_equal(npu_set_priority(n, NPU_PRIORITY_IDLE), 0);
	assert_int_equal(npu_set_priority(n, NPU_PRIORITY_REALTIME), -EPERM);
	assert_int_equal(npu_status_json(n, json, sizeof(json)), 0);
	assert_int_equal(npu_jv_parse(json, strlen(json), &root, NULL, 0), 0);
	c = npu_jv_get(root, "clients");
	assert_non_null(c);
	assert_non_null(c->kids);
	assert_string_equal(npu_jv_get_str(c->kids, "priority"), "idle");
	npu_jv_free(root);

	npu_buf_free(src);
	assert_int_equal(fk_client_maps(), 2);
	assert_int_equal(npu_reset(n), -EPERM); /* not root */
	npu_close(n);
	assert_int_equal(fk_client_maps(), 0);
	assert_int_equal(npu_redox_scheme_handles(f.x), 0);
	assert_int_equal(npu_server_clients(f.s), 0);
	fk_client_as(0, 0);
	fx_close(&f);
}

static void t_refused(void **state)
{
	struct npu_open_opts o = { .socket = "/scheme/npu" };
	struct fx f;
	struct npu *n = (struct npu *)&f;

	(void)state;
	fx_open(&f);
	fk_client_as(2000, 2000);
	assert_int_equal(npu_open(&o, &n), -EACCES);
	assert_null(n);
	assert_non_null(strstr(npu_last_error(NULL), "no permission on /scheme/npu"));
	fk_client_as(0, 0);
	o.socket = "/scheme/npu-nothere";
	assert_int_equal(npu_open(&o, &n), -ENOENT);
	assert_non_null(strstr(npu_last_error(NULL), "no npud at /scheme/npu-nothere"));
	/* Root gets in, and may reset. */
	o.socket = "/scheme/npu";
	assert_int_equal(npu_open(&o, &n), 0);
	assert_int_equal(npu_reset(n), 0);
	npu_close(n);
	assert_int_equal(npu_redox_scheme_handles(f.x), 0);
	fx_close(&f);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(t_copy),
		cmocka_unit_test(t_refused),
	};

	return cmocka_run_group_tests(tests, group_setup, group_teardown);
}
