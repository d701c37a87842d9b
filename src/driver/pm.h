/* SPDX-License-Identifier: MIT */
/* Runtime power management: D0i3 suspend and Lunar Lake duty-cycle requests (pm.c). */
#ifndef NPU_DRIVER_PM_H
#define NPU_DRIVER_PM_H

struct npu_device;

/*
 * Answers a pending DCT request (Lunar Lake and later): DCT_ENABLE with the default
 * 30 % of the 35300 us period, or DCT_DISABLE, then the status in PCODE_MAILBOX_STATUS, as
 * Linux ivpu_pm_irq_dct_work_fn. 0, or the error of the JSM request (status not written).
 */
int drv_pm_dct_service(struct npu_device *d);

/*
 * Runtime suspend as Linux ivpu_pm_runtime_suspend_cb: with the NPU idle,
 * PWR_D0I3_ENTER (when the firmware takes it) and a wait for the buttress's IDLE, then the
 * power-down, keeping the firmware memory; the next drv_device_boot is warm when the NPU
 * was idle, the message succeeded and the firmware wrote its restore entry, else cold.
 * -EBUSY (nothing done) while jobs are queued; else as drv_device_power_down.
 */
int drv_device_suspend(struct npu_device *d);

#endif
