/* SPDX-License-Identifier: MPL-2.0 */
/* expect: no-type-pun */
/* Any frame function with a void * destination and a length is a byte
 * writer: here dma_coherent_read, found from its prototype. */
#include <aster/dma.h>

struct desc { uint64_t addr; struct desc *next; };

int fetch(struct dma_coherent *ring, struct desc *d);
int fetch(struct dma_coherent *ring, struct desc *d)
{
	return dma_coherent_read(ring, 0, d, sizeof(*d));
}
