/*
 * rules_support.c: which warnings of the design rules say that Microsoft
 * does not support a configuration (rules.h, qr_rules_unsupported), so that
 * `quorate plan` never recommends such a design unless the requirements
 * allow it. The others warn about robustness (a single point of failure, a
 * witness badly placed) in designs Microsoft supports.
 */
#include "check/rules.h"

#include <string.h>

/* Each with the statement of the rule's source (docs/rules.md). */
static const char *const unsupported[] = {
    "FE003", /* more than 80,000 homed users in a pool (SFB-CAP)                  */
    "FS003", /* DFS failover across data centres (SFB-FILE)                       */
    "ST002", /* stretched pool: front ends in several sites (SFB-CAP, SFB-DR)     */
    "PP003", /* pairing across editions (SFB-DR)                                  */
    "PP005", /* a physical pool paired with a virtual one (SFB-DR)                */
    "PP006", /* paired pools on different operating systems (SFB-DR)              */
    "PP011", /* a front end outside its pool's site: a stretched pool (SFB-CAP)   */
    NULL,
};

bool qr_rules_unsupported(const char *id)
{
    for (int i = 0; id && unsupported[i]; i++)
        if (strcmp(id, unsupported[i]) == 0)
            return true;
    return false;
}
