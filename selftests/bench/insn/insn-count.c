// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * A QEMU TCG plugin for "make bench": counts the guest instructions each
 * vCPU executes, so that a benchmark can report what a packet costs in
 * instructions, which do not depend on how busy the host is, instead of
 * in time, which under TCG on a shared machine scatters by a third.
 *
 * The guest asks for the counts by executing a marker, an 8-byte NOP
 * whose displacement spells "zec" and a command (insn-mark.c):
 *
 *   0f 1f 84 00 CMD 63 65 7a      nopl 0x7a6563CMD(%rax,%rax,1)
 *
 *   CMD 0  append "counts SEQ N0 N1 ..." (each vCPU's total so far) to
 *          the file out=
 *   CMD 1  start a profile: forget the instructions counted per
 *          translation block so far
 *   CMD 2  end it: write "VADDR INSNS" per block executed since CMD 1 to
 *          the file profile= (the guest maps kernel addresses to
 *          functions with /proc/kallsyms), then "counts ..." as CMD 0
 *
 * The files are in the directory the guest mounts from the host (run.sh's
 * zecout), and the plugin writes them before the marker's next instruction
 * runs, so the guest reads them right after. A block's instructions are
 * counted when it starts (one call per block). Counts are exact only with
 * one TCG thread (-accel tcg,thread=single): with one thread per vCPU the
 * per-block profile counters would race.
 */
#include <inttypes.h>
#include <pthread.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <qemu-plugin.h>

QEMU_PLUGIN_EXPORT int qemu_plugin_version = QEMU_PLUGIN_VERSION;

#define MARKER_LEN 8
static const uint8_t marker[MARKER_LEN] = { 0x0f, 0x1f, 0x84, 0x00, 0, 0x63, 0x65, 0x7a };
#define MARKER_CMD 4

enum { CMD_COUNTS, CMD_PROFILE_START, CMD_PROFILE_END };

#define MAX_VCPUS 64
static uint64_t insns[MAX_VCPUS];
static int n_vcpus;

/*
 * One per distinct (address, length) of a translated block: a block
 * translated again (after a TB flush) finds its old entry. The table is
 * fixed; blocks beyond it are counted, not profiled.
 */
struct block {
	uint64_t vaddr;
	uint64_t executed;
	uint32_t n_insns;
};

#define BLOCKS_BITS 21
#define BLOCKS (1u << BLOCKS_BITS)
static struct block *blocks[BLOCKS];
static struct block unprofiled_blocks[64];
static pthread_mutex_t blocks_lock = PTHREAD_MUTEX_INITIALIZER;

static FILE *counts_file;
static char *profile_path;
static uint64_t seq;

static struct block *block_get(uint64_t vaddr, uint32_t n_insns)
{
	uint64_t h = (vaddr ^ ((uint64_t)n_insns << 48)) * 0x9e3779b97f4a7c15ull;
	uint32_t i = h >> (64 - BLOCKS_BITS), probes;
	struct block *b = NULL;

	pthread_mutex_lock(&blocks_lock);
	for (probes = 0; probes < 64; probes++, i = (i + 1) & (BLOCKS - 1)) {
		b = blocks[i];
		if (!b) {
			b = calloc(1, sizeof(*b));
			if (!b)
				break;
			b->vaddr = vaddr;
			b->n_insns = n_insns;
			blocks[i] = b;
			break;
		}
		if (b->vaddr == vaddr && b->n_insns == n_insns)
			break;
		b = NULL;
	}
	pthread_mutex_unlock(&blocks_lock);
	if (!b) {
		/* Not profiled; still counted, by its length's stand-in. */
		b = &unprofiled_blocks[n_insns < 64 ? n_insns : 63];
		b->n_insns = n_insns;
	}
	return b;
}

static void block_executed(unsigned int vcpu, void *udata)
{
	struct block *b = udata;

	insns[vcpu] += b->n_insns;
	b->executed++;
}

static void write_counts(void)
{
	int i;

	fprintf(counts_file, "counts %" PRIu64, seq++);
	for (i = 0; i < n_vcpus; i++)
		fprintf(counts_file, " %" PRIu64, insns[i]);
	fputc('\n', counts_file);
	fflush(counts_file);
}

static void profile_start(void)
{
	uint32_t i;

	for (i = 0; i < BLOCKS; i++)
		if (blocks[i])
			blocks[i]->executed = 0;
}

static void profile_end(void)
{
	FILE *f = fopen(profile_path, "w");
	uint32_t i;

	if (!f) {
		qemu_plugin_outs("insn-count: cannot write the profile file\n");
		return;
	}
	for (i = 0; i < BLOCKS; i++)
		if (blocks[i] && blocks[i]->executed)
			fprintf(f, "%" PRIx64 " %" PRIu64 "\n", blocks[i]->vaddr,
				blocks[i]->executed * blocks[i]->n_insns);
	fclose(f);
}

static void marker_executed(unsigned int vcpu, void *udata)
{
	(void)vcpu;
	switch ((uintptr_t)udata) {
	case CMD_PROFILE_START:
		profile_start();
		break;
	case CMD_PROFILE_END:
		if (profile_path)
			profile_end();
		break;
	}
	write_counts();
}

static bool is_marker(const struct qemu_plugin_insn *insn, uint8_t *cmd)
{
	const uint8_t *data = qemu_plugin_insn_data(insn);

	if (qemu_plugin_insn_size(insn) != MARKER_LEN ||
	    memcmp(data, marker, MARKER_CMD) ||
	    memcmp(data + MARKER_CMD + 1, marker + MARKER_CMD + 1,
		   MARKER_LEN - MARKER_CMD - 1))
		return false;
	*cmd = data[MARKER_CMD];
	return *cmd <= CMD_PROFILE_END;
}

static void block_translated(qemu_plugin_id_t id, struct qemu_plugin_tb *tb)
{
	size_t n = qemu_plugin_tb_n_insns(tb), i;
	struct qemu_plugin_insn *insn;
	uint8_t cmd;

	(void)id;
	qemu_plugin_register_vcpu_tb_exec_cb(tb, block_executed, QEMU_PLUGIN_CB_NO_REGS,
					     block_get(qemu_plugin_tb_vaddr(tb), n));
	for (i = 0; i < n; i++) {
		insn = qemu_plugin_tb_get_insn(tb, i);
		if (is_marker(insn, &cmd))
			qemu_plugin_register_vcpu_insn_exec_cb(insn, marker_executed,
							       QEMU_PLUGIN_CB_NO_REGS,
							       (void *)(uintptr_t)cmd);
	}
}

QEMU_PLUGIN_EXPORT int qemu_plugin_install(qemu_plugin_id_t id, const qemu_info_t *info,
					   int argc, char **argv)
{
	const char *counts_path = NULL;
	int i;

	for (i = 0; i < argc; i++) {
		if (!strncmp(argv[i], "out=", 4))
			counts_path = argv[i] + 4;
		else if (!strncmp(argv[i], "profile=", 8))
			profile_path = strdup(argv[i] + 8);
		else
			break;
	}
	if (i < argc || !info->system_emulation || !counts_path) {
		fprintf(stderr, "insn-count: options out=FILE [profile=FILE], system emulation only\n");
		return -1;
	}
	n_vcpus = info->system.max_vcpus;
	if (n_vcpus > MAX_VCPUS) {
		fprintf(stderr, "insn-count: at most %d vCPUs\n", MAX_VCPUS);
		return -1;
	}
	counts_file = fopen(counts_path, "w");
	if (!counts_file) {
		perror(counts_path);
		return -1;
	}
	qemu_plugin_register_vcpu_tb_trans_cb(id, block_translated);
	return 0;
}
