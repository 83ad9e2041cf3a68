/*
 * labels.h: the labels that name designs in compare and sensitivity (a
 * file's base name without .yaml), made unique when two files give the same
 * one: the same file given twice, or x.yaml in two folders.
 *
 * Each label is a malloc'd string owned by the caller's record (a
 * scorecard, a sensitivity design); the function replaces one in place.
 */
#ifndef QR_LABELS_H
#define QR_LABELS_H

/* Make *slots[0..n-1] unique, in order: the first of equal labels keeps
 * its text, the k-th (k >= 2) becomes "LABEL#k", or "LABEL#k+1", ... when
 * that is already a label. A replaced string is freed. Returns 0, or -1
 * when out of memory (every label then still valid, some not yet unique). */
int qr_labels_make_unique(char **const *slots, int n);

#endif
