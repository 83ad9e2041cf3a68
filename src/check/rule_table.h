/*
 * rule_table.h: what every diagnostic ID quorate can report means.
 *
 * P001-P011 come from the loaders (syntax, schema, references, a file given
 * in the place of another); the design
 * rules come from rules_*.c and are grouped by the part of the pool they
 * judge: FE (front-end pool), BE (back end), CL (Windows failover clusters),
 * FS (file store), ST (structure and placement on hosts and sites). AS001
 * is not a rule of one design: `quorate compare` reports it across the
 * designs it compares (src/model/assumption_list.h).
 *
 * IDs are stable forever: a rule that is dropped keeps its ID retired, a new
 * rule takes a new number. (The loader itself refuses dynamic quorum before
 * Windows Server 2012 and dynamic witness before 2012 R2, P004, so no
 * design rule repeats that check.) Each row is
 *
 *   X(ID, SEVERITY, name, title, rationale, source, fix)
 *
 * ID        the identifier printed in brackets after every message; it must
 *           be listed in src/model/rule_ids.h (the enum QR_RULE_<ID> the code
 *           reports it by), and every ID listed there needs exactly one row
 *           here: rules.c does not compile otherwise;
 * SEVERITY  the default (and only) severity: ERROR, WARNING or NOTE;
 * name      kebab-case short name (SARIF reportingDescriptor.name);
 * title     one line, lowercase (SARIF shortDescription);
 * rationale why it matters (SARIF fullDescription);
 * source    where the fact comes from: the behaviour rules (docs/simulate.md)
 *           and the public sources behind them, by their keys in docs/sources.md;
 * fix       how to fix it (SARIF help).
 *
 * docs/rules.md documents every row; a test checks that it does.
 */
#ifndef QR_RULE_TABLE_H
#define QR_RULE_TABLE_H

#define QR_RULE_TABLE(X)                                                                      \
    /* ---- loader (src/model/loader*.c) ---- */                                                   \
    X(P001, ERROR, "yaml-syntax", "YAML syntax error",                                      \
      "The file is not well-formed YAML, so none of it can be read reliably.",              \
      "YAML 1.1 (libyaml); docs/topology-format.md",                                        \
      "Fix the syntax at the position shown: indentation, an unclosed quote or bracket, a " \
      "tab used for indentation.")                                                           \
    X(P002, ERROR, "unknown-key", "unknown key",                                            \
      "A misspelt key would otherwise be ignored and its default silently used instead.",   \
      "docs/topology-format.md",                                                             \
      "Correct the spelling (a suggestion is given when a known key is close) or remove "   \
      "the key.")                                                                            \
    X(P003, ERROR, "wrong-type", "value of the wrong type",                                 \
      "A scalar where a list or mapping is expected (or the reverse) cannot be read as "    \
      "the design intends.",                                                                 \
      "docs/topology-format.md",                                                             \
      "Write the value in the form the format gives for that key.")                          \
    X(P004, ERROR, "bad-value", "bad value (unit, number, enum or range)",                  \
      "A duration without a unit, a number out of range or an unknown enum value would "    \
      "give the model a meaningless parameter.",                                             \
      "docs/topology-format.md (Values)",                                                    \
      "Give the value with its unit (90s, 15m, 4h, 30d, 6mo, 1y) or one of the listed "     \
      "choices, inside the allowed range.")                                                  \
    X(P005, ERROR, "missing-key", "missing required key",                                   \
      "The design is incomplete without it: every pool needs a version, front ends, a "     \
      "back end and a file store.",                                                          \
      "docs/topology-format.md",                                                             \
      "Add the key named in the message.")                                                   \
    X(P006, ERROR, "duplicate-key", "duplicate key in a mapping",                           \
      "YAML parsers keep only one of two equal keys; which one is lost depends on the "     \
      "tool, so the design is ambiguous.",                                                   \
      "YAML 1.1 (mapping keys are unique); docs/topology-format.md",                        \
      "Remove or merge one of the two keys.")                                                \
    X(P007, ERROR, "duplicate-name", "duplicate component or cluster name",                 \
      "Names are how components refer to each other; two with one name make every "        \
      "reference ambiguous.",                                                                \
      "docs/topology-format.md (Values: name)",                                              \
      "Rename one of them; names are unique among all components and clusters.")           \
    X(P008, ERROR, "undefined-reference", "reference to an undefined or wrong-kind component", \
      "A role must run on a component that exists and is of the right kind (a server, a "   \
      "site, a storage, a cluster).",                                                        \
      "docs/topology-format.md",                                                             \
      "Declare the component, correct the name, or name one of the right kind.")            \
    X(P009, ERROR, "conflicting-roles", "roles that cannot share a server",                 \
      "Some roles exist only to survive the loss of another: a SQL mirror on its own "      \
      "principal's server, or a cluster node listed twice, protects against nothing.",      \
      "SQL Server: quorum in database mirroring (SQL-MIRQUORUM); Windows Server: configure " \
      "and manage the quorum (WS-QUORUM)",                                                  \
      "Put each of these roles on its own server.")                                          \
    X(P010, ERROR, "input-limit", "input over a limit",                                     \
      "Files over 1 MiB, nested over 64 levels, with runaway alias expansion, empty or not " \
      "text are refused before they can exhaust memory or time.",                            \
      "docs/topology-format.md",                                                             \
      "Keep the topology file a plain UTF-8 YAML document under the limits.")               \
    X(P011, ERROR, "wrong-input-kind", "a requirements, assumptions or topology file in the "  \
      "wrong place",                                                                         \
      "A planner's requirements file given to `check`, an assumptions file given as a "     \
      "design or a topology given to `plan` or --assume would otherwise give one "          \
      "unknown-key error per top-level key, none of which says what is wrong.",             \
      "docs/topology-format.md, docs/plan.md, docs/assumptions.md (their top-level keys)",  \
      "Give the file where it belongs: a topology as a design FILE, requirements to "       \
      "`quorate plan`, assumptions with --assume FILE.")                                    \
    /* ---- FE: the Front End pool (src/check/rules_pool.c) ---- */                               \
    X(FE001, ERROR, "too-many-frontends", "more front ends than the product version allows", \
      "A pool holds at most 12 Front End Servers (16 with Skype for Business Server 2019).", \
      "Microsoft: Skype for Business Server user models (SFB-CAP), Front "                  \
      "End Pool high availability (SFB-FEHA)",                                               \
      "Split the users over two pools, or use sfb2019 for up to 16 front ends.")            \
    X(FE002, ERROR, "two-frontends-sfb2019", "a Skype for Business Server 2019 pool of two front ends", \
      "Skype for Business Server 2019 does not allow a two-Front-End Enterprise pool: "     \
      "Topology Builder will not publish it.",                                               \
      "Microsoft: Front End Pool high availability (SFB-FEHA)",                             \
      "Use three or more front ends, or two paired Standard Edition servers.")              \
    X(FE003, WARNING, "pool-user-limit", "more users than one pool supports",               \
      "A pool is supported for at most 80,000 homed users.",                                \
      "Microsoft: Skype for Business Server user models (SFB-CAP)",                         \
      "Home the extra users in another pool.")                                               \
    X(FE004, WARNING, "frontend-sizing", "too few front ends for the users with N-1 headroom", \
      "Microsoft sizes one Front End per 6,660 users and plans one more, so that the pool " \
      "carries its users with one server down (30,000 users: 6 front ends, not 5).",        \
      "Microsoft: Skype for Business Server user models (SFB-CAP)",                         \
      "Add front ends: ceil(users / 6660) + 1 of them.")                                    \
    X(FE005, WARNING, "two-frontend-pool", "a pool of two front ends",                      \
      "Microsoft: a two-Front-End pool is not as robust as a larger pool and needs extra "  \
      "care in managing; with an even seed count the Back End is the tie-breaking vote, so " \
      "a Back End outage is likely to take the pool down, and when front ends and SQL "     \
      "share servers the unexpected loss of the server holding the principal leaves one "   \
      "vote of three and needs a soft reset (Reset-CsPoolRegistrarState).",                 \
      "behaviour rules M1.2, M1.8 (docs/simulate.md); the field write-up on two-server "    \
      "pools (FIELD); Microsoft: Front End Pool high availability (SFB-FEHA), Lync Server " \
      "2013 Front End topologies (L13-FETOPO)",                                             \
      "Use three front ends (Microsoft's recommended minimum); with two, keep the Back End " \
      "highly available and shut servers down gracefully.")                                 \
    X(FE006, WARNING, "single-frontend", "a pool of one front end",                         \
      "With one Front End Server every failure or patch reboot of it stops the pool; "      \
      "Microsoft recommends at least three front ends in every Enterprise pool.",           \
      "Microsoft: Front End Pool high availability (SFB-FEHA), Lync Server 2013 Front End " \
      "topologies (L13-FETOPO)",                                                            \
      "Add front ends (three is the recommended minimum).")                                 \
    X(FE007, WARNING, "tiebreaker-without-failover", "even seed count and a Back End that cannot fail over automatically", \
      "With an even number of seed front ends the primary SQL database is the tie-breaking " \
      "vote of pool quorum; a Back End without automatic failover (standalone SQL, "        \
      "mirroring without a witness) loses that vote for as long as its primary is down, "   \
      "so the pool then stops on one more front-end loss.",                                  \
      "behaviour rules M1.1, M1.2, M3.4 (docs/simulate.md); Microsoft: Front End Pool high " \
      "availability (SFB-FEHA), Lync Server 2013 Front End topologies (L13-FETOPO), "       \
      "database mirroring operating modes (SQL-MIRMODES)",                                  \
      "Make the seed count odd (add a front end) or give the Back End automatic failover "  \
      "(a mirroring witness, AlwaysOn).")                                                    \
    X(FE008, NOTE, "backend-tiebreaker", "even seed count: the Back End is the tie-breaking vote", \
      "With an even number of seed front ends pool quorum counts the primary SQL database " \
      "as one more vote; the pool then depends on the Back End for quorum.",                \
      "behaviour rules M1.1, M1.2 (docs/simulate.md); Microsoft: Front End Pool high "      \
      "availability (SFB-FEHA), Lync Server 2013 Front End topologies (L13-FETOPO)",        \
      "Nothing to fix; an odd seed count removes the dependence.")                          \
    /* ---- BE: the Back End (src/check/rules_backend.c) ---- */                                  \
    X(BE001, WARNING, "standalone-backend", "a standalone SQL Back End",                   \
      "Back End high availability is optional but recommended: with one database server, " \
      "its loss stops every persistent change and after 30 minutes puts users in "          \
      "resiliency mode, and can lose significant data.",                                     \
      "behaviour rules M3.5, M3.6 (docs/simulate.md); Microsoft: Back End Server high "     \
      "availability (SFB-BE), Lync Server 2013 Back End high availability (L13-BE)",        \
      "Use SQL mirroring with a witness (sfb2015, lync2013) or an AlwaysOn availability "   \
      "group (sfb2015, sfb2019).")                                                           \
    X(BE002, WARNING, "mirroring-without-witness", "SQL mirroring without a witness",      \
      "Automatic failover needs high-safety mode and a witness; without one the loss of "   \
      "the principal needs a manual failover (Invoke-CsDatabaseFailover).",                 \
      "behaviour rule M3.4 (docs/simulate.md); Microsoft: database mirroring witness "      \
      "(SQL-MIRWIT), Back End Server high availability (SFB-BE), Invoke-CsDatabaseFailover " \
      "(PS-DBFAILOVER)",                                                                    \
      "Add a witness on a third server, ideally on its own host.")                          \
    X(BE003, WARNING, "mirroring-witness-host", "mirroring witness on the host of a partner", \
      "The Back End serves while two of principal, mirror and witness see each other; a "   \
      "host that runs the witness and a partner takes two of the three with it.",           \
      "behaviour rules M0.2, M3.2, M9 (docs/simulate.md); Microsoft: quorum in database "   \
      "mirroring (SQL-MIRQUORUM)",                                                          \
      "Move the witness to a host (or physical server) that runs neither partner.")         \
    X(BE004, WARNING, "mirroring-witness-site", "mirroring witness in a partner's site",    \
      "With the partners in two sites, a witness in one of them makes that site's loss "    \
      "take two of the three mirroring votes: the Back End stops instead of failing over.", \
      "behaviour rules M0.2, M3.2 (docs/simulate.md); Microsoft: quorum in database "       \
      "mirroring (SQL-MIRQUORUM), cluster quorum multisite guidance (WS-QUORUM)",           \
      "Put the witness in a third site.")                                                    \
    X(BE005, WARNING, "backend-one-host", "all Back End replicas on one host",              \
      "Mirroring partners (or availability-group replicas) on one host are lost together " \
      "with it: the redundancy protects against server faults only.",                       \
      "behaviour rule M0.2 (docs/simulate.md); Microsoft: Back End Server high availability " \
      "(SFB-BE)",                                                                           \
      "Place the partners (replicas) on different hosts.")                                  \
    X(BE006, ERROR, "mirroring-sfb2019", "SQL mirroring on Skype for Business Server 2019", \
      "Database mirroring is not supported as Back End high availability in Skype for "     \
      "Business Server 2019.",                                                               \
      "Microsoft: Back End Server high availability (SFB-BE)",                              \
      "Use an AlwaysOn availability group or a failover cluster instance.")                 \
    X(BE007, ERROR, "alwayson-lync2013", "AlwaysOn availability group on Lync Server 2013", \
      "Lync Server 2013 supports synchronous SQL mirroring and SQL failover clustering "    \
      "for its Back End, not availability groups.",                                          \
      "Microsoft: Lync Server 2013 Back End high availability (L13-BE), database software " \
      "support (L13-DBSW, Gg398990)",                                                       \
      "Use mirroring or a failover cluster instance (fci), or move to sfb2015.")            \
    X(BE008, WARNING, "alwayson-single-replica", "availability group with one automatic-failover replica", \
      "Automatic failover needs a synchronous-commit, automatic-failover secondary; with "  \
      "one replica listed, the loss of its node stops the Back End until an operator acts.", \
      "behaviour rule M4.6 (docs/simulate.md); Microsoft: AlwaysOn availability group for " \
      "Skype for Business (SFB-AG), AG failover modes (SQL-AGFAIL)",                        \
      "List two or more synchronous automatic-failover replicas, on different nodes.")      \
    /* ---- CL: Windows failover clusters (src/check/rules_cluster.c) ---- */                     \
    X(CL001, WARNING, "cluster-even-votes", "cluster with an even vote count and no witness", \
      "Microsoft: aim for an odd number of votes and add a witness when the voting nodes "  \
      "are even; a two-node cluster without one survives an unexpected node loss only half " \
      "of the time.",                                                                        \
      "behaviour rules M4.1, M4.3 (docs/simulate.md); Microsoft: configure and manage the " \
      "quorum (WS-QUORUM), understand quorum (WS-UQ)",                                      \
      "Add a witness (file share in a third place, disk, or cloud).")                       \
    X(CL002, WARNING, "witness-on-node-host", "file share witness on the host of a cluster node", \
      "A witness exists to outvote a failed node; on the host of a voting node it fails " \
      "together with that node, and both votes go at once. (On the node's own server it is P009.)", \
      "behaviour rules M0.2, M4.1 (docs/simulate.md); Microsoft: configure and manage the " \
      "quorum (WS-QUORUM), file share witness (WS-FSW)",                                    \
      "Put the file share witness on a server whose host runs no node of the cluster.")     \
    X(CL003, ERROR, "witness-on-dfs", "file share witness on DFS",                          \
      "DFS and other replicated storage are not supported for a file share witness: "       \
      "replication lets partitioned nodes each see a witness (partition in space and time).", \
      "behaviour rule M5.2 (docs/simulate.md); Microsoft: deploy a file share witness "     \
      "(WS-FSW)",                                                                           \
      "Use a plain SMB share on one server, a disk witness or a cloud witness.")            \
    X(CL004, WARNING, "witness-in-node-site", "cluster witness in one of its two node sites", \
      "With nodes in exactly two sites, a witness in one of them makes that site the "      \
      "primary: losing it loses the cluster; Microsoft puts the witness in a third site "   \
      "for automatic failover.",                                                             \
      "Microsoft: configure and manage the quorum (WS-QUORUM), file share witness "         \
      "(WS-FSW)",                                                                           \
      "Put the witness in a third site, or use a cloud witness.")                           \
    X(CL005, ERROR, "cloud-witness-windows", "cloud witness before Windows Server 2016",   \
      "A cloud witness (Azure blob) is available from Windows Server 2016.",                \
      "Microsoft: deploy a cloud witness (WS-CLOUD)",                                       \
      "Use windows: 2016 or later, or a file share or disk witness.")                       \
    X(CL006, WARNING, "cluster-one-host", "all nodes of a cluster on one host",             \
      "Nodes on one host are lost together with it, and the cluster with them.",           \
      "behaviour rules M0.2, M4.1 (docs/simulate.md); Microsoft: configure and manage the " \
      "quorum (WS-QUORUM)",                                                                 \
      "Place the nodes on different hosts.")                                                 \
    X(CL007, WARNING, "dynamic-quorum-off", "dynamic quorum turned off",                  \
      "Dynamic quorum recomputes the votes after each orderly membership change, so the "   \
      "cluster survives one node loss after another down to the last node; Microsoft "     \
      "strongly recommends leaving it on (Windows Server 2016 removed the option to turn "  \
      "it off from the wizard).",                                                            \
      "behaviour rule M4.2 (docs/simulate.md); Microsoft: configure and manage the quorum " \
      "(WS-QUORUM), DynamicQuorum property (WS-DYNQ)",                                      \
      "Remove dynamic_quorum: false.")                                                       \
    X(CL008, WARNING, "votes-removed-no-witness", "node votes removed instead of a witness", \
      "Microsoft does not recommend removing node votes just to reach an odd count; use a " \
      "witness instead. Removing votes is meant for nodes of a disaster-recovery site, and " \
      "this cluster's nodes are all in one site.",                                           \
      "behaviour rule M4.1 (docs/simulate.md); Microsoft: configure and manage the quorum " \
      "(WS-QUORUM)",                                                                        \
      "Give every node its vote (weight 1) and add a witness.")                              \
    /* ---- FS: the file store (src/check/rules_store.c) ---- */                                  \
    X(FS001, WARNING, "file-store-share", "file store on one share",                        \
      "A share on one server is a single point of failure: while it is down new meeting "   \
      "content and Address Book downloads fail; Microsoft recommends DFS.",                 \
      "behaviour rules M5.1, M6 (docs/simulate.md); Microsoft: file sharing high "          \
      "availability (SFB-FILE), Lync Server 2013 file storage support (L13-FILE), web "     \
      "conferencing requirements (L13-WEBCONF)",                                            \
      "Use DFS replicas on two servers (or a file-share cluster).")                         \
    X(FS002, WARNING, "file-store-one-host", "DFS replicas all on one host",                \
      "DFS protects the file store only when its replicas fail independently: replicas on " \
      "one host (or a single replica) are lost together.",                                  \
      "behaviour rules M0.2, M5.1 (docs/simulate.md); Microsoft: file sharing high "        \
      "availability (SFB-FILE)",                                                            \
      "Add a replica on another host.")                                                      \
    X(FS003, WARNING, "dfs-across-sites", "DFS replicas in more than one site",             \
      "Microsoft supports DFS failover between file servers within the same data centre "   \
      "only; replication lag across sites can stop users continuing work after a failover.", \
      "Microsoft: file sharing high availability (SFB-FILE)",                               \
      "Keep the pool's DFS replicas in the pool's site; use pool pairing across sites.")    \
    /* ---- ST: structure and placement (src/check/rules_store.c) ---- */                         \
    X(ST001, WARNING, "host-stops-pool", "a host whose loss stops the pool",                \
      "A host takes all its servers down with it; when they hold enough seed front ends "   \
      "(and maybe the primary SQL database) the survivors are not a quorum and the pool "   \
      "stops, the very outage a pool of several front ends is meant to survive.",           \
      "behaviour rules M0.2, M1.1, M1.2, M1.5 (docs/simulate.md); Microsoft: Front End "    \
      "Pool high availability (SFB-FEHA), Lync Server 2013 Front End topologies "           \
      "(L13-FETOPO)",                                                                       \
      "Spread the seed front ends over hosts so that no host holds half of the votes.")     \
    X(ST002, WARNING, "stretched-pool", "front ends in more than one site",                 \
      "Stretched pools are not supported for Front End Servers; disaster recovery across "  \
      "sites is done by pairing two pools.",                                                 \
      "Microsoft: Skype for Business Server user models (SFB-CAP), "                        \
      "disaster recovery (SFB-DR)",                                                          \
      "Keep a pool's front ends in one site; pair it with a pool in the other site.")   \
    /* ---- CC: common-cause groups (src/check/rules_ccf.c) ---- */                         \
    X(CC001, ERROR, "ccf-too-few-members", "a common-cause group with fewer than two members", \
      "A common cause is a failure that takes several components down at once; a group of " \
      "one (or a role with one server, such as `backend` on a standalone SQL) defines none.", \
      "NUREG/CR-5485 (NUREG-5485: common cause component groups); docs/topology-format.md", \
      "List two or more members, or remove the group.")                                     \
    X(CC002, ERROR, "ccf-levels", "common-cause factors that do not fit the group",         \
      "MGL factors (beta, gamma, delta) and alpha factors are given per number of members " \
      "failing together: a level above the member count, or alpha factors that are all 0, " \
      "define no model (SCRAM refuses such a group too).",                                  \
      "NUREG/CR-5485 (NUREG-5485: MGL and alpha-factor models); docs/topology-format.md",   \
      "Give at most m - 1 MGL factors and at most m alpha factors for m members, not all 0.") \
    X(CC003, ERROR, "ccf-member-in-two-groups", "a component in two common-cause groups",   \
      "A member's failures split into its independent part and its group's common events; " \
      "in two groups the split would be made twice and the member's unavailability counted " \
      "twice (an Open-PSA MEF basic event belongs to one CCF group).",                      \
      "NUREG/CR-5485 (NUREG-5485); Open-PSA Model Exchange Format (OPSA-MEF, CCF groups)",  \
      "Put the component in one group: merge the groups, or keep the cause that matters.")  \
    X(CC004, WARNING, "ccf-members-differ", "common-cause members with different figures",  \
      "The parametric models give every member of a group the same total unavailability Q; " \
      "quorate uses the first member's, so another member's own figures are not used.",     \
      "NUREG/CR-5485 (NUREG-5485: a common cause component group is of like components)",   \
      "Group components of the same kind and figures, or give them the same MTBF and MTTR.") \
    X(CC005, WARNING, "ccf-stops-pool", "a common cause that stops the pool",               \
      "One common failure takes so many seed front ends down at once (they stay counted, "  \
      "M1.4) that the votes left are not a majority (M1.2): the pool stops (M1.5) however " \
      "many front ends it has, so the common event is a single point of failure.",          \
      "behaviour rules M1.1, M1.2, M1.5 (docs/simulate.md); Microsoft: Front End Pool high " \
      "availability (SFB-FEHA); NUREG/CR-5485 (NUREG-5485)",                                \
      "Stagger what the members share: patch and update the front ends in separate groups, " \
      "verify each before the next, keep a pool paired for disaster recovery (SFB-DR).")    \
    X(CC006, WARNING, "ccf-factor-high", "a common-cause share far above generic values",   \
      "Published generic beta factors are 0.5% to 5% for logic and 1% to 10% for sensors "  \
      "and final elements (IEC 61508-6 Annex D); more than 30% says most failures of a "    \
      "member are common, which is worth a source.",                                        \
      "IEC 61508-6:2010 Annex D (IEC-61508-6); NUREG/CR-5485 (NUREG-5485)",                 \
      "Check the figure; give its source (`source:` in an assumptions file).")              \
    X(CC007, WARNING, "ccf-no-effect", "a common-cause group without effect",               \
      "A group whose first member never fails (the group's Q is 0) or whose factors give no " \
      "common event changes nothing, which is probably not what was meant.",                \
      "docs/topology-format.md (common_cause)",                                             \
      "Give the members a failure rate, or a factor above 0, or remove the group.")         \
    /* ---- VM: virtual machines on hosts (src/check/rules_vm.c) ---- */                     \
    X(VM001, WARNING, "seeds-may-share-host", "two seed front ends can share a host",       \
      "A host takes its VMs down together (M0.2); two seeds on one host, or free to meet "  \
      "there once HA restart moves VMs (M0.4), lose two votes with one host.",              \
      "behaviour rules M0.2, M0.4, M0.5, M1.1 (docs/simulate.md); VMware vSphere HA and "   \
      "VM-VM anti-affinity rules (VSPHERE-HA, VSPHERE-DRS), failover cluster anti-affinity " \
      "(WS-ANTIAFF)",                                                                        \
      "Put the seed front ends on different hosts and in one anti-affinity group.")          \
    X(VM002, WARNING, "sql-partners-may-share-host", "SQL partners can share a host after an HA restart", \
      "Once HA restart moves VMs (M0.4), only an anti-affinity group keeps the principal "  \
      "and the mirror (or the availability-group replicas) apart; on one host they are "    \
      "lost together.",                                                                      \
      "behaviour rules M0.4, M0.5, M3 (docs/simulate.md); VSPHERE-HA, VSPHERE-DRS, WS-ANTIAFF",           \
      "Put the SQL partners in one anti-affinity group.")                                    \
    X(VM003, WARNING, "witness-may-share-host", "a witness can share a host with what it witnesses", \
      "A witness on the host of a partner (or a cluster node) is lost with it and cannot "  \
      "break the tie; once HA restart moves VMs (M0.4) only an anti-affinity group keeps "  \
      "them apart.",                                                                         \
      "behaviour rules M0.4, M0.5, M3.3, M4.1 (docs/simulate.md); SQL-MIRQUORUM, WS-QUORUM, " \
      "VSPHERE-HA, VSPHERE-DRS, WS-ANTIAFF",                                                              \
      "Put the witness in one anti-affinity group with the servers it witnesses.")           \
    X(VM004, WARNING, "no-room-for-restart", "a host's VMs find no host for an HA restart",   \
      "HA restart (M0.4) needs another host of the site with room and without a member of " \
      "the VM's anti-affinity groups; without one the VM waits for its host's repair, as "  \
      "if there were no HA.",                                                                \
      "behaviour rules M0.4, M0.5 (docs/simulate.md); VSPHERE-HA (admission control), "      \
      "WS-ANTIAFF",                                                                          \
      "Add a host (or capacity) in the site, or make the groups smaller than the hosts.")    \
    X(VM005, ERROR, "anti-affinity-violated", "an anti-affinity group shares a host",        \
      "The design places two members of one anti-affinity group on one host, which the "    \
      "group forbids.",                                                                      \
      "behaviour rule M0.5 (docs/simulate.md); VSPHERE-HA, VSPHERE-DRS, WS-ANTIAFF",                      \
      "Move one of them to another host, or take it out of the group.")                      \
    X(VM006, ERROR, "host-over-capacity", "a host runs more VMs than its capacity",          \
      "A host's capacity is the number of VMs it can run; a placement above it cannot run.", \
      "behaviour rule M0.4 (docs/simulate.md)",                                              \
      "Raise the host's capacity or move VMs to other hosts.")                               \
    X(VM007, WARNING, "live-migration-unsupported", "live migration of Skype for Business servers", \
      "Microsoft does not support migrating a running Skype for Business Server VM (live "  \
      "migration, vMotion) nor VM portability; the model can still move VMs without an "    \
      "outage (M7.6) to show what it would buy.",                                            \
      "behaviour rule M7.6 (docs/simulate.md); Microsoft: virtualization support for Skype " \
      "for Business Server 2019 (SFB-VIRT)",                                                 \
      "Set virtualization.live_migration: false (host maintenance then shuts its VMs down " \
      "gracefully, M7.7).")                                                                  \
    /* ---- LF: latent faults (M7.3-M7.5) ---- */                                            \
    X(LF001, WARNING, "latent-fault-patch-night", "a common latent fault on every front end, " \
      "patched without verification",                                                        \
      "A change that lands on every front end at once (a sub-CA in the Trusted Root store, " \
      "a bad update) shows at each one's next start; a patch night reboots them one after "  \
      "the other, and without a check after each reboot it breaks the fault's features (or " \
      "servers) for every user.",                                                            \
      "behaviour rules M7.1, M7.3, M7.5 (docs/simulate.md); FIELD; Microsoft KB2795828",     \
      "Verify each server after its patch reboot (patching.verify_after_reboot: true), or "  \
      "audit for the fault (operations.health_audit).")                                      \
    /* ---- PP: pool pairing, several pools (src/check/rules_pairing.c) ---- */               \
    X(PP001, ERROR, "pairing-not-symmetric", "a pool pairing that is not 1:1 and symmetric", \
      "Each Front End pool backs up exactly one other pool, which backs it up in turn: a "  \
      "pool named as the backup of a pool that is not its own backup breaks the pairing, "  \
      "and the simulation of pool failover (M10) cannot run it.",                           \
      "behaviour rules M10 (docs/simulate.md); Microsoft: Front End pool disaster "         \
      "recovery (SFB-DR)",                                                                   \
      "Give both pools of a pair 'paired_with' naming each other.")                          \
    X(PP002, WARNING, "unpaired-pool", "a pool with no backup pool",                        \
      "A pool of a multi-pool design with no partner has no disaster recovery: losing its " \
      "site or its quorum leaves its users without sign-in until it is back.",              \
      "behaviour rules M10.2 (docs/simulate.md); Microsoft: Front End pool disaster "       \
      "recovery (SFB-DR)",                                                                   \
      "Pair it with a pool in another site ('paired_with').")                                \
    X(PP003, WARNING, "pairing-edition", "a pair that is not Enterprise with Enterprise",   \
      "Microsoft supports pairing Enterprise Edition pools only with Enterprise Edition "   \
      "pools (Standard Edition with Standard Edition); Topology Builder does not block "    \
      "other pairings.",                                                                     \
      "Microsoft: Front End pool disaster recovery (SFB-DR)",                               \
      "Pair pools of the same edition.")                                                     \
    X(PP004, WARNING, "pairing-backend-type", "paired pools with different Back End HA",    \
      "Microsoft recommends the same Back End high-availability technology (mirroring, "    \
      "AlwaysOn, failover cluster instance) in both pools of a pair.",                      \
      "Microsoft: Back End Server high availability (SFB-BE, L13-BE)",                       \
      "Use the same Back End form in both pools.")                                           \
    X(PP005, WARNING, "pairing-physical-virtual", "a physical pool paired with a virtual one", \
      "Microsoft supports pairing physical pools with physical pools and virtual pools "    \
      "with virtual pools only.",                                                            \
      "Microsoft: Front End pool disaster recovery (SFB-DR)",                               \
      "Run both pools' front ends on hosts, or both on physical servers.")                   \
    X(PP006, WARNING, "pairing-os", "paired pools on different operating systems",          \
      "Microsoft supports pairing pools that run the same operating system only.",          \
      "Microsoft: Front End pool disaster recovery (SFB-DR)",                               \
      "Give both pools the same 'os'.")                                                      \
    X(PP007, WARNING, "pairing-sizing", "a pool that cannot carry both pools' users",       \
      "After a pool failover one pool serves the users of both: Microsoft sizes each pool " \
      "of a pair for both pools' users, at most 40,000 users per pool so that the pair "    \
      "stays within the 80,000 users of one pool, with one front end per 6,660 users and "  \
      "one more for N-1 headroom.",                                                          \
      "behaviour rule M10.3 (docs/simulate.md); Microsoft: user models (SFB-CAP), Front "   \
      "End pool disaster recovery (SFB-DR)",                                                 \
      "Add front ends to ceil(users of both / 6660) + 1, or move users to another pair.")   \
    X(PP008, WARNING, "pairing-same-site", "paired pools in the same site",                 \
      "The pair is meant to survive the loss of a data centre; two pools in one site are "  \
      "lost together and the backup pool backs up nothing then.",                           \
      "behaviour rules M0.2, M10.2 (docs/simulate.md); Microsoft: Front End pool disaster " \
      "recovery (SFB-DR)",                                                                   \
      "Put the pools of a pair in two sites.")                                               \
    X(PP009, ERROR, "cms-pools", "more than one pool holds the Central Management store",   \
      "A deployment has one Central Management store, homed in one pool's Back End; it "    \
      "fails over on its own, before the pool (M10.4).",                                    \
      "behaviour rule M10.4 (docs/simulate.md); Microsoft: Front End pool disaster "        \
      "recovery (SFB-DR)",                                                                   \
      "Give 'cms: true' to one pool only.")                                                  \
    X(PP010, NOTE, "cms-home", "no pool holds the Central Management store",                \
      "The Central Management store lives in one pool's Back End (or on a Standard Edition " \
      "server outside the design); with no pool marked, the simulation fails no CMS over "  \
      "before a pool failover (M10.4).",                                                    \
      "behaviour rule M10.4 (docs/simulate.md); Microsoft: Front End pool disaster "        \
      "recovery (SFB-DR)",                                                                   \
      "Give 'cms: true' to the pool whose Back End holds the Central Management store.")     \
    X(PP011, WARNING, "pool-site", "a front end outside its pool's site",                   \
      "A pool of a pair belongs to one site ('site', or its first front end's); a front "   \
      "end elsewhere is a stretched pool, which Microsoft does not support, and is lost "   \
      "or kept apart from the rest of the pool when a site is lost.",                        \
      "Microsoft: user models (SFB-CAP), Front End pool disaster recovery (SFB-DR)",        \
      "Keep every front end in its pool's site.")                                            \
    X(PP012, ERROR, "server-in-two-pools", "a server with roles in two pools",              \
      "A front end belongs to one pool, and each pool of a pair has its own Back End and "  \
      "file store: a server shared by two pools' front ends, Back Ends or file stores "     \
      "ties the pools' fates together, which pairing is meant to undo. (A mirroring "       \
      "witness may serve both pools.)",                                                      \
      "Microsoft: Front End pool disaster recovery (SFB-DR), Back End Server high "         \
      "availability (SFB-BE)",                                                               \
      "Give each pool its own front ends, Back End servers and file store.")                 \
    X(PP013, ERROR, "fault-across-pools", "a common-cause group or latent fault across pools", \
      "Each pool of a pair is simulated as an engine of its own (M10), which carries the "  \
      "common-cause groups and latent faults whose members it holds; a group or fault "     \
      "naming one pool's server and another pool's cannot be carried, so `simulate` "       \
      "refuses the design. Pairing is meant to keep the two pools' fates apart: a "         \
      "common build or update across both is what it cannot protect against.",              \
      "behaviour rules M7.3, M10 (docs/simulate.md); NUREG/CR-5485 (common-cause "          \
      "failure groups); Microsoft: Front End pool disaster recovery (SFB-DR)",               \
      "Give each pool a group or fault of its own, or name the members by role in an "      \
      "assumptions file (`members: frontends`), which is resolved for each pool.")          \
    /* ---- AS: assumptions across the designs of `quorate compare` ---- */                  \
    X(AS001, WARNING, "assumption-mismatch", "an assumption differs between compared designs", \
      "A failure figure, patch schedule or timing that is not a design choice (how often a " \
      "site fails, how soon an operator acts) set differently in two designs makes the "     \
      "comparison rank the assumptions rather than the designs.",                            \
      "docs/assumptions.md",                                                                 \
      "Give every design the same value, or compare them under one assumptions file "        \
      "(quorate compare --assume FILE).")

#endif
