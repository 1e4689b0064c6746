// SPDX-License-Identifier: LGPL-2.1-or-later
/*
 * libFuzzer harness: raw bytes into every parser of received messages.
 */
#include <stdlib.h>
#include <string.h>

#include "../internal.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	/* a receive buffer is aligned; the fuzzer's input need not be */
	uint64_t *buf = malloc(size ? size : 1);
	struct zec_family family;
	struct zec_device dev;
	struct zec_event ev;
	struct zec_mac_list macs = { 0 };
	struct zec_vfinfo infos[4];
	char text[64];

	memcpy(buf, data, size);
	if (!zec_parse_device(buf, size, &dev))
		zec_device_free(&dev);
	zec_parse_event(buf, size, &ev);
	zec_event_clear(&ev);
	zec_parse_macs(NULL, buf, size, &macs);
	free(macs.macs);
	zec_parse_ack(buf, size, text, sizeof(text));
	zec_parse_family(buf, size, &family);
	zec_parse_vfinfo(buf, size, infos, 4);
	free(buf);
	return 0;
}
