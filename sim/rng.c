/*
 * rng.c: xoshiro256** and its seeding (rng.h).
 *
 * The generator is the reference xoshiro256** 1.0 of Blackman & Vigna
 * (prng.di.unimi.it), period 2^256 - 1. Seeding runs splitmix64 from a 64-bit
 * starting point and takes four consecutive outputs as the state, as the
 * authors recommend. Streams: the starting point is
 *     x0 = mix(mix(seed) XOR stream)
 * where mix() is the splitmix64 output function, a bijection of 64-bit words.
 * For one seed, distinct streams thus get distinct, unrelated starting points
 * (no two share a splitmix64 run unless a 2^-60-ish coincidence happens), and
 * so unrelated points of the xoshiro period; the chance that two streams of
 * one run overlap within the lengths a simulation uses is negligible, as for
 * randomly drawn 256-bit states. This costs O(1) per stream, unlike calling
 * the jump function `stream` times (O(stream) each).
 * Four consecutive splitmix64 outputs are distinct (mix is a bijection of
 * four distinct inputs), so the state is never all zero. The generator
 * itself (sim_rng_next, sim_rng_uniform) is inline in rng.h.
 *
 * Stream keys (sim_rng_key) turn names into stream numbers, so that a
 * stream can follow a component by its name rather than its position: the
 * simulator's common random numbers across designs (sim/engine.c).
 */
#include "sim/rng.h"

#define GOLDEN 0x9E3779B97F4A7C15u

/* The splitmix64 output function (Steele, Lea & Flood; Vigna's constants). */
static uint64_t mix(uint64_t z)
{
    z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9u;
    z = (z ^ (z >> 27)) * 0x94D049BB133111EBu;
    return z ^ (z >> 31);
}

static uint64_t splitmix64_next(uint64_t *x)
{
    *x += GOLDEN;
    return mix(*x);
}

void sim_rng_seed(sim_rng *r, uint64_t seed, uint64_t stream)
{
    uint64_t x = mix(mix(seed) ^ stream);
    for (int i = 0; i < 4; i++)
        r->s[i] = splitmix64_next(&x);
}

uint64_t sim_rng_key(const char *const *parts, int n)
{
    uint64_t h = 0xCBF29CE484222325u; /* FNV-1a 64 offset basis */
    for (int k = 0; k < n; k++) {
        for (const unsigned char *p = (const unsigned char *)parts[k]; p && *p; p++) {
            h ^= *p;
            h *= 0x100000001B3u; /* FNV-1a 64 prime */
        }
        h *= 0x100000001B3u; /* the 0 byte ending each part: XOR 0, multiply */
    }
    return mix(h);
}
