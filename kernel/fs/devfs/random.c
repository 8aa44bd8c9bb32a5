// SPDX-License-Identifier: MPL-2.0
// A ChaCha20-based generator: a 256-bit key, rekeyed from its own output
// after every request (forward secrecy), seeded and stirred with timing
// (the TSC-based clocks jitter under TCG and on hardware).  No hardware
// RNG: frame has no API for RDRAND/RDSEED yet.
#include <aster/frame.h>
#include <aster/string.h>
#include <aster/sync.h>
#include <aster/timer.h>
#include "fs/random.h"

static uint32_t key[8];
static uint64_t counter;
static bool seeded;
static spinlock_t rng_lock = SPINLOCK_INIT;

static uint32_t rotl(uint32_t v, int c)
{
	return (v << c) | (v >> (32 - c));
}

static void quarter(uint32_t *x, int a, int b, int c, int d)
{
	x[a] += x[b]; x[d] = rotl(x[d] ^ x[a], 16);
	x[c] += x[d]; x[b] = rotl(x[b] ^ x[c], 12);
	x[a] += x[b]; x[d] = rotl(x[d] ^ x[a], 8);
	x[c] += x[d]; x[b] = rotl(x[b] ^ x[c], 7);
}

static void chacha_block(const uint32_t k[8], uint64_t ctr, uint64_t nonce, uint32_t out[16])
{
	uint32_t s[16] = { 0x61707865, 0x3320646e, 0x79622d32, 0x6b206574 };
	uint32_t x[16];

	for (int i = 0; i < 8; i++)
		s[4 + i] = k[i];
	s[12] = (uint32_t)ctr;
	s[13] = (uint32_t)(ctr >> 32);
	s[14] = (uint32_t)nonce;
	s[15] = (uint32_t)(nonce >> 32);
	memcpy(x, s, sizeof(x));
	for (int r = 0; r < 10; r++) {
		quarter(x, 0, 4, 8, 12);
		quarter(x, 1, 5, 9, 13);
		quarter(x, 2, 6, 10, 14);
		quarter(x, 3, 7, 11, 15);
		quarter(x, 0, 5, 10, 15);
		quarter(x, 1, 6, 11, 12);
		quarter(x, 2, 7, 8, 13);
		quarter(x, 3, 4, 9, 14);
	}
	for (int i = 0; i < 16; i++)
		out[i] = x[i] + s[i];
}

/* Fold data into the key (lock held). */
static void mix_locked(const void *data, size_t n)
{
	const uint8_t *p = data;
	uint32_t blk[16];

	for (size_t i = 0; i < n; i++)
		key[i % 8] ^= (uint32_t)p[i] << (8 * ((i / 8) % 4));
	chacha_block(key, counter++, 0x6d6978, blk);
	for (int i = 0; i < 8; i++)
		key[i] = blk[i];
}

static void seed_locked(void)
{
	uint64_t s[6];
	int local;

	s[0] = clock_monotonic_ns();
	s[1] = clock_realtime_ns();
	s[2] = frames_free();
	s[3] = (uint64_t)(uintptr_t)&local;
	s[4] = (uint64_t)(uintptr_t)&key;
	s[5] = clock_monotonic_ns();
	mix_locked(s, sizeof(s));
	seeded = true;
}

void random_mix(const void *data, size_t n)
{
	irqflags_t fl = spin_lock_irqsave(&rng_lock);

	mix_locked(data, n);
	spin_unlock_irqrestore(&rng_lock, fl);
}

void get_random_bytes(void *buf, size_t n)
{
	uint8_t *out = buf;
	uint32_t blk[16];
	uint64_t t = clock_monotonic_ns();
	irqflags_t fl = spin_lock_irqsave(&rng_lock);

	if (!seeded)
		seed_locked();
	mix_locked(&t, sizeof(t));
	while (n) {
		size_t c = MIN(n, sizeof(blk));

		chacha_block(key, counter++, 0, blk);
		memcpy(out, blk, c);
		out += c;
		n -= c;
	}
	/* Rekey so earlier output cannot be recomputed from the state. */
	chacha_block(key, counter++, 1, blk);
	for (int i = 0; i < 8; i++)
		key[i] = blk[i];
	memset(blk, 0, sizeof(blk));
	spin_unlock_irqrestore(&rng_lock, fl);
}
