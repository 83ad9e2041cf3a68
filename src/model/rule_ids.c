/*
 * rule_ids.c: the texts of the rule IDs of rule_ids.h, generated from the
 * same list as the enum, so the two cannot disagree.
 */
#include "model/rule_ids.h"

#include <string.h>

static const char *const id_text[] = {
#define ID_TEXT(id) #id,
    QR_RULE_IDS(ID_TEXT)
#undef ID_TEXT
};

_Static_assert(sizeof(id_text) / sizeof(id_text[0]) == QR_RULE_COUNT,
               "one text per rule ID");

const char *qr_rule_id_text(qr_rule_id id)
{
    return (int)id >= 0 && (int)id < QR_RULE_COUNT ? id_text[id] : NULL;
}

int qr_rule_id_parse(const char *text)
{
    if (!text)
        return -1;
    for (int i = 0; i < QR_RULE_COUNT; i++)
        if (strcmp(id_text[i], text) == 0)
            return i;
    return -1;
}
