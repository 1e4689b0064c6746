/* SPDX-License-Identifier: GPL-2.0-only */
#ifndef ZEC_DEVICE_H
#define ZEC_DEVICE_H

int zec_device_init(void);
void zec_device_exit(void);

#endif
