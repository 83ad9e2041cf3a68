/*
 * rng.h: the simulator's random numbers: xoshiro256** (Blackman & Vigna),
 * seeded through splitmix64, one independent stream per (seed, stream).
 *
 * A generator is a plain value (four words) owned by the caller and passed to
 * every draw; there is no global state, so each replication or thread holds
 * its own and results do not depend on scheduling. The same (seed, stream)
 * always gives the same numbers on every platform.
 */
#ifndef SIM_RNG_H
#define SIM_RNG_H

#include <stdint.h>

typedef struct {
    uint64_t s[4]; /* xoshiro256** state, never all zero */
} sim_rng;

/* Seed *r for stream `stream` of master seed `seed` (e.g. stream = the
 * replication index). The 256-bit state is four consecutive splitmix64
 * outputs from the starting point mix(mix(seed) XOR stream), mix() being the
 * splitmix64 output function (rng.c explains the choice). Distinct (seed, stream) pairs give statistically
 * independent streams. */
void sim_rng_seed(sim_rng *r, uint64_t seed, uint64_t stream);

/* A stable 64-bit stream key for the strings parts[0..n-1] (for example a
 * component's kind, its name and what the stream is drawn for): FNV-1a 64
 * over the bytes of each part followed by a 0 byte, then the splitmix64
 * output function. It depends only on the strings, never on positions or
 * addresses, so the same names give the same key in every design, version
 * and platform; distinct lists give distinct keys but for a ~2^-64 chance. */
uint64_t sim_rng_key(const char *const *parts, int n);

static inline uint64_t sim_rng_rotl_(uint64_t x, int k)
{
    return (x << k) | (x >> (64 - k));
}

/* Next 64 random bits (xoshiro256** 1.0, the reference code). Inline: it
 * is on the simulator's hot path. */
static inline uint64_t sim_rng_next(sim_rng *r)
{
    uint64_t *s = r->s;
    uint64_t result = sim_rng_rotl_(s[1] * 5, 7) * 9;
    uint64_t t = s[1] << 17;
    s[2] ^= s[0];
    s[3] ^= s[1];
    s[1] ^= s[2];
    s[0] ^= s[3];
    s[2] ^= t;
    s[3] = sim_rng_rotl_(s[3], 45);
    return result;
}

/* A uniform double in the open interval (0, 1): the top 53 bits of one or
 * more draws times 2^-53, a zero draw being drawn again (probability 2^-53),
 * so log(u) and 1/u are always finite. */
static inline double sim_rng_uniform(sim_rng *r)
{
    uint64_t k;
    do
        k = sim_rng_next(r) >> 11;
    while (k == 0);
    return (double)k * 0x1.0p-53;
}

#endif
