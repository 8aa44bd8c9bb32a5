// SPDX-License-Identifier: MPL-2.0
// IPv4 reassembly (RFC 791 3.2, RFC 815) in bounded memory: at most
// REASM_QUEUES datagrams in progress and REASM_MEM bytes of fragments
// (past either, the oldest datagram is given up), each given up after
// REASM_TIMEOUT (Linux's ipfrag_time).  A fragment that overlaps another,
// runs past 65535 bytes, or is not the last and not a multiple of 8 bytes
// drops its whole datagram, as Linux does since overlapping fragments
// became an attack (RFC 5722's rule, which Linux applies to IPv4 too).
// Each failure counts in ReasmFails.  Only the receive task (and ktests)
// call it, under reasm_lock.
#include <aster/errno.h>
#include <aster/heap.h>
#include <aster/string.h>
#include <aster/timer.h>
#include "net/ipv4/ipv4.h"

#define REASM_QUEUES	16
#define REASM_MEM	(256 * 1024)
#define REASM_TIMEOUT	(30 * NSEC_PER_SEC)

struct frag {
	struct list_node node;		/* by offset */
	struct pkt *p;			/* the fragment, its IP header in front */
	uint32_t hlen, off, len;	/* header length; payload offset and length */
};

struct fq {
	bool used;
	uint32_t saddr, daddr;
	uint16_t id;
	uint8_t proto;
	uint64_t born;
	uint32_t total;			/* payload length once the last fragment came; 0 before */
	uint32_t have;			/* payload bytes held */
	uint32_t mem;
	struct list_node frags;
};

static struct mutex reasm_lock = MUTEX_INIT;
static struct fq fqs[REASM_QUEUES];
static uint32_t reasm_mem;

static void fq_kill(struct fq *q)
{
	while (!list_empty(&q->frags)) {
		struct frag *f = list_entry(q->frags.next, struct frag, node);

		list_del(&f->node);
		pkt_free(f->p);
		kfree(f);
	}
	reasm_mem -= q->mem;
	q->used = false;
}

static struct fq *fq_oldest(void)
{
	struct fq *old = NULL;

	for (int i = 0; i < REASM_QUEUES; i++) {
		if (fqs[i].used && (!old || fqs[i].born < old->born))
			old = &fqs[i];
	}
	return old;
}

/* Give up datagrams past their time, and the oldest while over the memory bound. */
static void fq_evict(uint32_t incoming)
{
	uint64_t now = clock_monotonic_ns();
	struct fq *q;

	for (int i = 0; i < REASM_QUEUES; i++) {
		if (fqs[i].used && now - fqs[i].born > REASM_TIMEOUT) {
			fq_kill(&fqs[i]);
			ip_mib.reasm_fails++;
		}
	}
	while (reasm_mem + incoming > REASM_MEM && (q = fq_oldest())) {
		fq_kill(q);
		ip_mib.reasm_fails++;
	}
}

static struct fq *fq_find(const struct ip_info *ip, uint16_t id)
{
	struct fq *free = NULL;

	for (int i = 0; i < REASM_QUEUES; i++) {
		struct fq *q = &fqs[i];

		if (q->used && q->saddr == ip->saddr && q->daddr == ip->daddr && q->id == id &&
		    q->proto == ip->proto)
			return q;
		if (!q->used && !free)
			free = q;
	}
	if (!free) {
		/* Every queue is in use: the oldest datagram gives way. */
		free = &fqs[0];
		for (int i = 1; i < REASM_QUEUES; i++)
			if (fqs[i].born < free->born)
				free = &fqs[i];
		fq_kill(free);
		ip_mib.reasm_fails++;
	}
	*free = (struct fq){ .used = true, .saddr = ip->saddr, .daddr = ip->daddr, .id = id,
			     .proto = ip->proto, .born = clock_monotonic_ns() };
	list_init(&free->frags);
	return free;
}

/* Put f in q's list by offset: false when it overlaps a neighbour. */
static bool fq_insert(struct fq *q, struct frag *f)
{
	struct list_node *pos = &q->frags;
	struct frag *g;

	list_for_each_entry(g, &q->frags, node) {
		if (g->off >= f->off) {
			pos = &g->node;
			break;
		}
	}
	if (pos != &q->frags) {
		g = list_entry(pos, struct frag, node);
		if (f->off + f->len > g->off)
			return false;
	}
	if (pos->prev != &q->frags) {
		g = list_entry(pos->prev, struct frag, node);
		if (g->off + g->len > f->off)
			return false;
	}
	list_insert_between(&f->node, pos->prev, pos);
	return true;
}

/* The whole datagram of a complete q (its fragments freed), or NULL without memory. */
static struct pkt *fq_join(struct fq *q)
{
	struct frag *first = list_entry(q->frags.next, struct frag, node), *f;
	uint32_t hlen = first->hlen;
	struct pkt *p = pkt_alloc(0, hlen + q->total);
	uint8_t *d;

	if (p) {
		d = pkt_data(p);
		p->dev = first->p->dev;
		p->broadcast = first->p->broadcast;
		memcpy(d, pkt_data(first->p), hlen);
		list_for_each_entry(f, &q->frags, node)
			memcpy(d + hlen + f->off, pkt_data(f->p) + f->hlen, f->len);
		put_be16(d + 2, (uint16_t)(hlen + q->total));
		put_be16(d + 6, 0);
		put_be16(d + 10, 0);
		put_be16(d + 10, inet_csum(d, hlen, 0));
	}
	fq_kill(q);
	return p;
}

struct pkt *ip_defrag(struct pkt *p, const struct ip_info *ip)
{
	const uint8_t *h = pkt_data(p);
	uint16_t field = get_be16(h + 6);
	bool more = field & IP_MF;
	struct frag *f = kzalloc(sizeof(*f));
	struct pkt *whole = NULL;
	struct fq *q;

	if (!f) {
		pkt_free(p);
		return NULL;
	}
	*f = (struct frag){ .p = p, .hlen = ip->hdr_len, .off = (uint32_t)(field & IP_OFFMASK) * 8,
			    .len = p->len - ip->hdr_len };
	mutex_lock(&reasm_lock);
	fq_evict(p->cap);
	q = fq_find(ip, get_be16(h + 4));
	if ((more && (f->len & 7)) || f->off + f->len + ip->hdr_len > IP_MAX_LEN || !f->len ||
	    (!more && q->total) || (q->total && f->off + f->len > q->total) ||
	    (!more && q->have > f->off + f->len) || !fq_insert(q, f)) {
		fq_kill(q);
		ip_mib.reasm_fails++;
		pkt_free(p);
		kfree(f);
	} else {
		if (!more)
			q->total = f->off + f->len;
		q->have += f->len;
		q->mem += p->cap;
		reasm_mem += p->cap;
		if (q->total && q->have == q->total)
			whole = fq_join(q);
	}
	mutex_unlock(&reasm_lock);
	return whole;
}
