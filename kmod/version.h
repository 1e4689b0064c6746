/* SPDX-License-Identifier: GPL-2.0-only */
#ifndef ZEC_VERSION_H
#define ZEC_VERSION_H

#define ZEC_VERSION "0.1.0"

#endif
