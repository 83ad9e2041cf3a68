/*
 * suggest.c: edit distance and the closest-candidate search behind the
 * loader's "(did you mean 'mirroring'?)". Three rolling rows of the
 * dynamic-programming table are enough for the adjacent-swap case.
 */
#include "util/suggest.h"

#include <ctype.h>
#include <stdlib.h>
#include <string.h>

#define MAX_LEN 256

static int fold(char c)
{
    return tolower((unsigned char)c);
}

static int min3(int a, int b, int c)
{
    int m = a < b ? a : b;
    return m < c ? m : c;
}

int qr_suggest_distance(const char *a, const char *b)
{
    size_t n = strlen(a), m = strlen(b);
    if (n > MAX_LEN || m > MAX_LEN)
        return -1;
    int *rows = malloc(3 * (m + 1) * sizeof(*rows));
    if (!rows)
        return -1;
    int *prev2 = rows, *prev = rows + (m + 1), *cur = rows + 2 * (m + 1);
    for (size_t j = 0; j <= m; j++)
        prev[j] = (int)j;
    for (size_t i = 1; i <= n; i++) {
        cur[0] = (int)i;
        for (size_t j = 1; j <= m; j++) {
            int cost = fold(a[i - 1]) == fold(b[j - 1]) ? 0 : 1;
            int d = min3(prev[j] + 1, cur[j - 1] + 1, prev[j - 1] + cost);
            if (i > 1 && j > 1 && fold(a[i - 1]) == fold(b[j - 2]) &&
                fold(a[i - 2]) == fold(b[j - 1]) && prev2[j - 2] + 1 < d)
                d = prev2[j - 2] + 1;
            cur[j] = d;
        }
        int *t = prev2;
        prev2 = prev;
        prev = cur;
        cur = t;
    }
    int result = prev[m];
    free(rows);
    return result;
}

static int is_prefix(const char *p, const char *s)
{
    for (; *p; p++, s++)
        if (fold(*p) != fold(*s))
            return 0;
    return 1;
}

const char *qr_suggest(const char *word, const char *const *candidates,
                       size_t n)
{
    size_t wlen = strlen(word);
    const char *best = NULL;
    /* One- and two-character words are too short to guess from: 's9'
     * is as close to 's1' as to 's2'. */
    if (wlen < 3)
        return NULL;
    int best_d = 0;
    for (size_t i = 0; i < n; i++) {
        const char *c = candidates[i];
        if (!c)
            continue;
        int d = qr_suggest_distance(word, c);
        if (d < 0)
            continue;
        size_t clen = strlen(c);
        size_t longer = wlen > clen ? wlen : clen;
        int close = (size_t)d * 2 <= longer && (size_t)d < wlen;
        int prefix = (is_prefix(word, c) || is_prefix(c, word));
        if (!close && !prefix)
            continue;
        if (!best || d < best_d) {
            best = c;
            best_d = d;
        }
    }
    return best;
}
