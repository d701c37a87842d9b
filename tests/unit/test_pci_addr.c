/* SPDX-License-Identifier: MIT */
/* PCI address parsing and formatting, and the sysfs path helpers of pci_scan.h. */
#include <errno.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#include <cmocka.h>

#include "platform/pci_scan.h"

static void test_addr_parse(void **state)
{
	static const char *const bad[] = {
		"",
		"0000:00:0b",
		"000:00:0b.0",
		"000000000:00:0b.0",
		"0000:0:0b.0",
		"0000:00:0b.00",
		"0000:00:20.0",
		"0000:00:0b.8",
		"0000:00:0b.0 ",
		"0000-00-0b.0",
		"0000:00:0b:0.0",
		"g000:00:0b.0",
	};
	struct npu_pci_addr a, b;
	char buf[32];

	(void)state;
	assert_int_equal(npu_pci_addr_parse("0000:00:0b.0", &a), 0);
	assert_int_equal(a.domain, 0);
	assert_int_equal(a.bus, 0);
	assert_int_equal(a.dev, 0x0b);
	assert_int_equal(a.fn, 0);
	assert_int_equal(npu_pci_addr_parse("1000a:E1:1f.7", &b), 0);
	assert_int_equal(b.domain, 0x1000a);
	assert_int_equal(b.bus, 0xe1);
	assert_int_equal(b.dev, 0x1f);
	assert_int_equal(b.fn, 7);
	assert_true(npu_pci_addr_format(&b, buf, sizeof(buf)));
	assert_string_equal(buf, "1000a:e1:1f.7");
	assert_false(npu_pci_addr_format(&b, buf, 8));
	assert_true(npu_pci_addr_cmp(&a, &b) < 0);
	assert_true(npu_pci_addr_cmp(&b, &a) > 0);
	assert_int_equal(npu_pci_addr_cmp(&a, &a), 0);
	assert_int_equal(npu_pci_addr_parse("80:0b.1", &a), 0);
	assert_int_equal(a.domain, 0);
	assert_int_equal(a.bus, 0x80);
	assert_int_equal(a.fn, 1);
	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		if (npu_pci_addr_parse(bad[i], &a) != -EINVAL)
			fail_msg("'%s' parsed as a PCI address", bad[i]);
	}
	assert_int_equal(npu_pci_addr_parse(NULL, &a), -EINVAL);
}

static void test_devices_path(void **state)
{
	char buf[64];

	(void)state;
	assert_int_equal(npu_pci_devices_path(NULL, buf, sizeof(buf)), 0);
	assert_string_equal(buf, "/sys/bus/pci/devices");
	assert_int_equal(npu_pci_devices_path("", buf, sizeof(buf)), 0);
	assert_string_equal(buf, "/sys/bus/pci/devices");
	assert_int_equal(npu_pci_devices_path("/tmp/x//", buf, sizeof(buf)), 0);
	assert_string_equal(buf, "/tmp/x/bus/pci/devices");
	assert_int_equal(npu_pci_devices_path("/", buf, sizeof(buf)), 0);
	assert_string_equal(buf, "/bus/pci/devices");
	assert_int_equal(npu_pci_devices_path("/a/very/long/root", buf, 16), -ENAMETOOLONG);
	assert_string_equal(npu_pci_bar_type(0), "unknown");
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_addr_parse),
		cmocka_unit_test(test_devices_path),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
