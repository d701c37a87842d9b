/* SPDX-License-Identifier: MIT */
/*
 * Private to src/platform/: the backends npu_platform_open() chooses from.
 */
#ifndef NPU_PLATFORM_BACKENDS_H
#define NPU_PLATFORM_BACKENDS_H

#include "platform/platform.h"

/*
 * Opens the simulated NPU of generation gen (37xx or 40xx) with the fault and
 * firmware ROM of cfg. Returns 0, -EOPNOTSUPP for another generation, -ENOMEM,
 * or an error of npu_sim_create.
 */
int npu_platform_sim_open(const struct npu_platform_config *cfg, enum npu_gen gen,
			  struct npu_platform **out);

/*
 * The device model behind a simulated platform, NULL for any other backend.
 * For white-box tests that inspect the model's state; the driver never uses it.
 */
struct npu_sim;
struct npu_sim *npu_platform_sim_model(struct npu_platform *p);

#endif
