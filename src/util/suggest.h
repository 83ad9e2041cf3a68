/*
 * suggest.h: "did you mean" for misspelt keys and names. The distance is
 * the optimal-string-alignment form of Damerau-Levenshtein (insert, delete,
 * substitute, swap two adjacent characters), compared case-insensitively.
 */
#ifndef QR_SUGGEST_H
#define QR_SUGGEST_H

#include <stddef.h>

/* Edit distance between a and b (OSA Damerau-Levenshtein, ASCII case
 * folded). Returns -1 when out of memory or when either string is longer
 * than 256 bytes (nobody misspells a key that long). */
int qr_suggest_distance(const char *a, const char *b);

/* The candidate closest to `word`, or NULL when none is close enough or
 * `word` is shorter than 3 characters: a candidate qualifies when its
 * distance d is at most half the length of the longer of the two and
 * smaller than the length of `word`, or when one string is a prefix of the
 * other. Ties go to the earlier candidate; NULL entries are skipped.
 * The result points into `candidates` (not copied). O(n * |word| * |c|). */
const char *qr_suggest(const char *word, const char *const *candidates,
                       size_t n);

#endif
