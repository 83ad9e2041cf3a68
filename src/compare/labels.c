/*
 * labels.c: unique design labels (labels.h). Quadratic in the number of
 * designs, which is the number of files on a command line.
 */
#include "compare/labels.h"

#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* Whether s is the label of a design other than skip. */
static bool taken(char **const *slots, int n, int skip, const char *s)
{
    for (int j = 0; j < n; j++)
        if (j != skip && *slots[j] && strcmp(*slots[j], s) == 0)
            return true;
    return false;
}

int qr_labels_make_unique(char **const *slots, int n)
{
    for (int i = 1; i < n; i++) {
        const char *label = *slots[i];
        if (!label)
            continue;
        int copies = 1; /* this one among the designs before it */
        for (int j = 0; j < i; j++)
            if (*slots[j] && strcmp(*slots[j], label) == 0)
                copies++;
        if (copies == 1)
            continue;
        size_t size = strlen(label) + 24;
        char *unique = malloc(size);
        if (!unique)
            return -1;
        for (int k = copies;; k++) {
            snprintf(unique, size, "%s#%d", label, k);
            if (!taken(slots, n, i, unique))
                break;
        }
        free(*slots[i]);
        *slots[i] = unique;
    }
    return 0;
}
