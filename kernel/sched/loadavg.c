// SPDX-License-Identifier: MPL-2.0
// Load averages (sysinfo, /proc/loadavg): every 5 seconds the number of
// tasks running or waiting for the CPU is folded into exponentially
// decaying 1-, 5- and 15-minute averages, in Linux's fixed point (11
// fractional bits) with its decay factors, so the figures read the same.
#include <aster/boot.h>
#include <aster/task.h>
#include <aster/timer.h>
#include "sched/sched.h"

#define FSHIFT		11
#define FIXED_1		(1ULL << FSHIFT)
#define EXP_1		1884	/* FIXED_1 / exp(5 s / 1 min) */
#define EXP_5		2014	/* FIXED_1 / exp(5 s / 5 min) */
#define EXP_15		2037	/* FIXED_1 / exp(5 s / 15 min) */
#define LOAD_FREQ_NS	5000000000ULL

static uint64_t avenrun[3];

static uint64_t calc_load(uint64_t load, uint64_t exp, uint64_t active)
{
	uint64_t next = load * exp + active * (FIXED_1 - exp);

	/* Round up while rising, so a constant load is eventually reached. */
	if (active >= load)
		next += FIXED_1 - 1;
	return next / FIXED_1;
}

/* The periodic timer: runs in interrupt context, the sampled task is current. */
static void loadavg_sample(void *arg)
{
	uint64_t active = (uint64_t)sched_nr_running() * FIXED_1;

	(void)arg;
	avenrun[0] = calc_load(avenrun[0], EXP_1, active);
	avenrun[1] = calc_load(avenrun[1], EXP_5, active);
	avenrun[2] = calc_load(avenrun[2], EXP_15, active);
}

void loadavg_get(uint64_t loads[3], unsigned int shift)
{
	for (int i = 0; i < 3; i++)
		loads[i] = shift >= FSHIFT ? avenrun[i] << (shift - FSHIFT) :
					     avenrun[i] >> (FSHIFT - shift);
}

static int loadavg_init(void)
{
	timer_id_t id = timer_add(LOAD_FREQ_NS, true, loadavg_sample, NULL);

	return id < 0 ? (int)id : 0;
}
KERNEL_INIT(loadavg_init);
