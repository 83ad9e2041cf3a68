/*
 * rule_ids.h: the ID of every diagnostic quorate can report, as an enum,
 * so that a misspelt ID is a compile error rather than a wrong line in a
 * report: qr_diag_add (model/diag.h), the loader's ld_error and the design
 * rules' rules_emit all take a qr_rule_id (QR_RULE_P004, QR_RULE_BE002).
 *
 * The list is pure data and lives here, in the model layer, because the
 * loader reports the P rules itself; what each rule means (severity, name,
 * title, rationale, source, fix) is the design rules' business and lives
 * in src/check/rule_table.h, one row per ID: rules.c fails to compile when
 * an ID here has no row there, or two, or a row names an ID not listed
 * here. The order here is the table order (`quorate check --list-rules`,
 * the SARIF ruleIndex). IDs are stable forever: a new rule takes a new
 * number at the end of its group, a dropped one stays listed.
 */
#ifndef QR_RULE_IDS_H
#define QR_RULE_IDS_H

// clang-format off
#define QR_RULE_IDS(X)                                                     \
    /* loaders (src/model/loader*.c, input_kind.c): syntax, schema, refs */ \
    X(P001) X(P002) X(P003) X(P004) X(P005)                                \
    X(P006) X(P007) X(P008) X(P009) X(P010) X(P011)                        \
    /* the Front End pool (src/check/rules_pool.c) */                      \
    X(FE001) X(FE002) X(FE003) X(FE004) X(FE005) X(FE006) X(FE007) X(FE008) \
    /* the Back End (src/check/rules_backend.c) */                         \
    X(BE001) X(BE002) X(BE003) X(BE004) X(BE005) X(BE006) X(BE007) X(BE008) \
    /* Windows failover clusters (src/check/rules_cluster.c) */            \
    X(CL001) X(CL002) X(CL003) X(CL004) X(CL005) X(CL006) X(CL007) X(CL008) \
    /* the file store; structure and placement (src/check/rules_store.c) */ \
    X(FS001) X(FS002) X(FS003)                                             \
    X(ST001) X(ST002)                                                      \
    /* common-cause groups (src/check/rules_ccf.c) */                      \
    X(CC001) X(CC002) X(CC003) X(CC004) X(CC005) X(CC006) X(CC007)         \
    /* virtual machines on hosts (src/check/rules_vm.c) */                 \
    X(VM001) X(VM002) X(VM003) X(VM004) X(VM005) X(VM006) X(VM007)         \
    /* latent faults (src/check/rules_latent.c) */                         \
    X(LF001)                                                               \
    /* pool pairing, several pools in one design (src/check/rules_pairing.c) */ \
    X(PP001) X(PP002) X(PP003) X(PP004) X(PP005) X(PP006) X(PP007) X(PP008) \
    X(PP009) X(PP010) X(PP011) X(PP012) X(PP013)                           \
    /* across designs (quorate compare, src/model/assumption_list.h) */    \
    X(AS001)
// clang-format on

typedef enum {
#define QR_RULE_ID_ENUM(id) QR_RULE_##id,
    QR_RULE_IDS(QR_RULE_ID_ENUM)
#undef QR_RULE_ID_ENUM
    QR_RULE_COUNT /* not an ID: the number of IDs */
} qr_rule_id;

/* The ID as printed ("P004", "BE002"); static. NULL for a value that is
 * no ID (QR_RULE_COUNT or beyond, negative). */
const char *qr_rule_id_text(qr_rule_id id);

/* The ID whose text is `text` (exact, case-sensitive), or -1 when there is
 * none or text is NULL. */
int qr_rule_id_parse(const char *text);

#endif
