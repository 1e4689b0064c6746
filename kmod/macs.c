// SPDX-License-Identifier: GPL-2.0-only
/*
 * Independent mode's source-MAC table: for each source MAC that zec0
 * transmits (zec0's own aside), the node whose CPUs sent it last and when.
 * With independent switch ports the fabric floods a frame back into zec0's
 * other ports; the table lets receive tell such a reflection from a frame
 * of another host, and lets a failover announce the MACs whose port moved.
 *
 * Transmit learns without a lock or an allocation: a slot is one 64-bit
 * word (the MAC and the node) and a time stamp, in buckets of
 * ZEC_MACS_WAYS slots on one cache line. Two CPUs learning different MACs
 * into the same slot at once lose one of them until its next frame; a MAC
 * that stays on its node costs a read, and a write every ZEC_MACS_TOUCH.
 * The table itself is replaced under RTNL and freed after a grace period.
 */

#include <linux/etherdevice.h>
#include <linux/hash.h>
#include <linux/jiffies.h>
#include <linux/log2.h>
#include <linux/mm.h>
#include <linux/slab.h>

#include "zec.h"

#define ZEC_MACS_WAYS		4
#define ZEC_MACS_MAC		GENMASK_ULL(47, 0)
#define ZEC_MACS_NODE_SHIFT	48
/* A MAC sent from again within this long keeps its time stamp. */
#define ZEC_MACS_TOUCH		(HZ / 10)

struct zec_mac_slot {
	atomic64_t key;			/* 0: empty; else MAC | (node + 1) << 48 */
	unsigned long seen;		/* jiffies */
};

struct zec_macs {
	struct rcu_head rcu;
	unsigned int nr_slots;		/* a power of two */
	unsigned int bucket_bits;
	struct zec_mac_slot slots[];
};

static u64 zec_macs_key(u64 mac, int node)
{
	return mac | (u64)(node + 1) << ZEC_MACS_NODE_SHIFT;
}

static struct zec_mac_slot *zec_macs_bucket(struct zec_macs *macs, u64 mac)
{
	return &macs->slots[hash_64(mac, macs->bucket_bits) * ZEC_MACS_WAYS];
}

struct zec_macs *zec_macs_alloc(u32 size)
{
	struct zec_macs *macs;
	unsigned int n = roundup_pow_of_two(max_t(u32, size, ZEC_MACS_WAYS));

	macs = kvzalloc(struct_size(macs, slots, n), GFP_KERNEL);
	if (!macs)
		return NULL;
	macs->nr_slots = n;
	macs->bucket_bits = ilog2(n / ZEC_MACS_WAYS);
	return macs;
}

void zec_macs_free(struct zec_macs *macs)
{
	if (macs)
		kvfree_rcu(macs, rcu);
}

unsigned int zec_macs_slots(const struct zec_macs *macs)
{
	return macs->nr_slots;
}

/* Transmit: @addr was sent by a CPU of @node. BH off. */
void zec_macs_learn(struct zec_macs *macs, const u8 *addr, int node)
{
	u64 mac = ether_addr_to_u64(addr), key = zec_macs_key(mac, node);
	struct zec_mac_slot *bucket = zec_macs_bucket(macs, mac);
	struct zec_mac_slot *victim = NULL;
	unsigned long now = jiffies;
	bool victim_empty = false;
	unsigned int i;

	for (i = 0; i < ZEC_MACS_WAYS; i++) {
		struct zec_mac_slot *slot = &bucket[i];
		u64 k = atomic64_read(&slot->key);

		if (k && (k & ZEC_MACS_MAC) == mac) {
			if (k != key)
				atomic64_set_release(&slot->key, key);
			if (k != key ||
			    time_after_eq(now, READ_ONCE(slot->seen) +
					  ZEC_MACS_TOUCH))
				WRITE_ONCE(slot->seen, now);
			return;
		}
		/* A new MAC takes an empty slot, else the one idle longest. */
		if (!k) {
			if (!victim_empty)
				victim = slot;
			victim_empty = true;
		} else if (!victim || (!victim_empty &&
			   time_before(READ_ONCE(slot->seen),
				       READ_ONCE(victim->seen)))) {
			victim = slot;
		}
	}
	/* A reader that sees the new key sees its time stamp too. */
	WRITE_ONCE(victim->seen, now);
	atomic64_set_release(&victim->key, key);
}

/*
 * Receive: the node whose CPUs sent from @addr less than @window jiffies
 * ago, or NUMA_NO_NODE.
 */
int zec_macs_sender(struct zec_macs *macs, const u8 *addr,
		    unsigned long window)
{
	u64 mac = ether_addr_to_u64(addr);
	struct zec_mac_slot *bucket = zec_macs_bucket(macs, mac);
	unsigned int i;

	for (i = 0; i < ZEC_MACS_WAYS; i++) {
		u64 k = atomic64_read_acquire(&bucket[i].key);

		if (k && (k & ZEC_MACS_MAC) == mac)
			return time_before(jiffies, READ_ONCE(bucket[i].seen) +
					   window) ?
			       (int)(k >> ZEC_MACS_NODE_SHIFT) - 1 :
			       NUMA_NO_NODE;
	}
	return NUMA_NO_NODE;
}

/*
 * Control path: slot @i as an entry sent from less than @ageing jiffies
 * ago; false if it holds none.
 */
bool zec_macs_entry(struct zec_macs *macs, unsigned int i,
		    unsigned long ageing, struct zec_mac_entry *entry)
{
	struct zec_mac_slot *slot = &macs->slots[i];
	u64 k = atomic64_read_acquire(&slot->key);
	unsigned long seen = READ_ONCE(slot->seen);

	if (!k || !time_before(jiffies, seen + ageing))
		return false;
	u64_to_ether_addr(k & ZEC_MACS_MAC, entry->addr);
	entry->node = (int)(k >> ZEC_MACS_NODE_SHIFT) - 1;
	entry->age = jiffies - seen;
	return true;
}

/* An announcement of slot @i's MAC counts as a frame sent from it. */
void zec_macs_touch(struct zec_macs *macs, unsigned int i)
{
	WRITE_ONCE(macs->slots[i].seen, jiffies);
}

unsigned int zec_macs_count(struct zec_macs *macs, unsigned long ageing)
{
	struct zec_mac_entry entry;
	unsigned int i, n = 0;

	for (i = 0; i < macs->nr_slots; i++)
		n += zec_macs_entry(macs, i, ageing, &entry);
	return n;
}
