/* SPDX-License-Identifier: MPL-2.0 */
/* expect: no-volatile */
/* A volatile flag shared with an interrupt handler. */
static volatile int irq_seen;

int poll_irq(void);
int poll_irq(void)
{
	return irq_seen;
}
