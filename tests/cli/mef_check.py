#!/usr/bin/env python3
"""mef_check.py: checks one `quorate export --format mef` document, and,
given SCRAM's report on it, compares SCRAM's top-event probabilities with
quorate's exact values (used by tests/cli/export.sh).

usage: mef_check.py [--paired] EXPORT.xml [SCRAM_REPORT.xml [ANALYZE.json]]

--paired: the export of a design with several pools (quorate's
qr_mef_build_pairing): a fault tree holds "home" tops (the home pool runs
and fails the users) and "backup" tops (the home pool is down and the
backup fails them), two disjoint families whose users-shares add up to 1
each (the home family may be left out when it can never happen), so a
tree's shares add up to more than 0 and at most 2; its logic has `not`
gates, so SCRAM must be run with --prime-implicants, whose products carry
complemented basic events (handled below).

Without a report: the export is well-formed XML (xml.etree), every fault
tree has the attributes feature, availability and unavailability, its top
events' users-share add up to 1, and availability + unavailability = 1.

With a report (scram --bdd --probability true --cut-off 0 --limit-order N),
for every fault tree (feature) U = sum over its top events k of
users-share_k * P(top_k) is compared with quorate's unavailability in two
ways, and one line per feature is printed:
  printed: SCRAM writes probabilities with 6 significant digits (C++ stream
    default, no option changes it), so U from the printed values must be
    within the rounding bound (half a unit in the 6th digit of each P_k);
  exact: SCRAM's minimal cut sets (from its BDD, no cut-off, no order
    limit) define the top event's Boolean function exactly; P(top_k) is
    computed from them exactly (a small BDD here, Shannon expansion over the
    basic events with the export's float probabilities), and U must agree
    with quorate's to 1e-9 relative.
With `quorate analyze --json` output as well: every fault tree's
availability attribute is the analyze report's exact_availability (the
same number, 1e-15 relative), and for every feature with a single top event
SCRAM's smallest minimal cut sets are exactly analyze's smallest cuts
(`smallest_cut.unexpected`: its k and its sets, unexpected failures being
the M9 view), an independent check of the N-k analysis.
Common-cause groups (<define-CCF-group>, analysed with `scram --ccf true`)
become one basic event per subset of members, with the probability of the
group's model computed here from the NUREG/CR-5485 formulas (beta-factor,
MGL, alpha-factor), so the exact comparison covers them too, and analyze's
smallest cuts name them ("ccf:GROUP" for the event of every member, a
member's own name for its independent event).
Exit status 0 when everything holds, 1 otherwise.
"""
import itertools
import json
import math
import re
import sys
import xml.etree.ElementTree as ET

REL_EXACT = 1e-9


def fail(msg):
    print("FAIL: " + msg)
    return 1


def comb(n, k):
    return math.comb(n, k) if 0 <= k <= n else 0


def ccf_levels(model, q, factors, m):
    """Q_k, k = 1..m, of one CCF group: an implementation of the formulas of
    NUREG/CR-5485 (beta-factor, MGL, alpha-factor with non-staggered
    testing), independent of quorate's src/model/ccf.c. factors: level ->
    value as the export writes them."""
    levels = [0.0] * (m + 1)
    if model == "beta-factor":
        beta = factors[m]
        levels[1], levels[m] = (1 - beta) * q, beta * q
    elif model == "MGL":
        top = max(factors)                     # levels 2..top
        rho = {1: 1.0}
        rho.update(factors)
        for k in range(1, top + 1):
            v = 1.0
            for j in range(1, k + 1):
                v *= rho[j]
            if k < top:
                v *= 1 - rho[k + 1]
            levels[k] = v * q / comb(m - 1, k - 1)
    elif model == "alpha-factor":
        top = max(factors)
        at = sum(k * factors[k] for k in range(1, top + 1))
        for k in range(1, top + 1):
            levels[k] = k / comb(m - 1, k - 1) * factors[k] / at * q
    else:
        raise ValueError("unknown CCF model " + model)
    return levels


CCF_MEMBERS = {}  # CCF group -> its members' event names (load_export)


def analyze_event(name):
    """An analyze cut-set element as the key of SCRAM's event: a component
    in a CCF group is that group's independent event, "ccf:GROUP" the
    group's event of every member, "ccf:GROUP{a,b}" that of a and b."""
    m = re.match(r"ccf:([^{]+)(?:\{(.*)\})?$", name)
    if m:
        group = mef_name("ccf-" + m.group(1))
        members = ([mef_name(x) for x in m.group(2).split(",")] if m.group(2)
                   else CCF_MEMBERS.get(group, []))
        return ccf_key(group, members)
    ev = mef_name(name)
    for group, members in CCF_MEMBERS.items():
        if ev in members:
            return ccf_key(group, [ev])
    return ev


def ccf_key(group, members):
    return "ccf:%s:%s" % (group, ",".join(sorted(members)))


def load_export(path):
    root = ET.parse(path).getroot()
    assert root.tag == "opsa-mef", "root element is not opsa-mef"
    events = {}
    for be in root.iter("define-basic-event"):
        f = be.find("float")
        events[be.get("name")] = float(f.get("value"))
    # CCF groups: their members' events are the group's independent and
    # common events (SCRAM --ccf true), one basic event per subset.
    CCF_MEMBERS.clear()
    for g in root.iter("define-CCF-group"):
        members = [b.get("name") for b in g.find("members").findall("basic-event")]
        CCF_MEMBERS[g.get("name")] = members
        q = float(g.find("distribution").find("float").get("value"))
        factors = {int(f.get("level")): float(f.find("float").get("value"))
                   for f in g.find("factors").findall("factor")}
        levels = ccf_levels(g.get("model"), q, factors, len(members))
        for k in range(1, len(members) + 1):
            if levels[k] <= 0:
                continue
            for sub in itertools.combinations(members, k):
                events[ccf_key(g.get("name"), sub)] = levels[k]
    trees = []
    for ft in root.findall("define-fault-tree"):
        attrs = {a.get("name"): a.get("value") for a in ft.find("attributes")}
        tops = []
        for g in ft.findall("define-gate"):
            if g.get("role") == "private":
                continue
            ga = {a.get("name"): a.get("value") for a in g.find("attributes")}
            tops.append((g.get("name"), float(ga["users-share"])))
        trees.append((ft.get("name"), attrs, tops))
    return events, trees


class Bdd:
    """A reduced ordered BDD, just enough to turn a sum of products into an
    exact probability."""

    def __init__(self, order, prob):
        self.order = order          # name -> level
        self.prob = prob            # level -> P(true)
        self.nodes = {}             # (level, lo, hi) -> id
        self.info = {0: None, 1: None}
        self.next = 2
        self.or_memo = {}

    def mk(self, level, lo, hi):
        if lo == hi:
            return lo
        key = (level, lo, hi)
        n = self.nodes.get(key)
        if n is None:
            n = self.next
            self.next += 1
            self.nodes[key] = n
            self.info[n] = key
        return n

    def product(self, names):
        """names: basic-event names, "!name" for a complemented one."""
        node = 1
        lits = sorted(((self.order[x.lstrip("!")], x.startswith("!")) for x in names),
                      reverse=True)
        for level, neg in lits:
            node = self.mk(level, node, 0) if neg else self.mk(level, 0, node)
        return node

    def bor(self, a, b):
        if a == 1 or b == 1:
            return 1
        if a == 0:
            return b
        if b == 0 or a == b:
            return a
        if a > b:
            a, b = b, a
        key = (a, b)
        r = self.or_memo.get(key)
        if r is not None:
            return r
        la, lb = self.info[a][0], self.info[b][0]
        level = min(la, lb)
        a0, a1 = (self.info[a][1], self.info[a][2]) if la == level else (a, a)
        b0, b1 = (self.info[b][1], self.info[b][2]) if lb == level else (b, b)
        r = self.mk(level, self.bor(a0, b0), self.bor(a1, b1))
        self.or_memo[key] = r
        return r

    def probability(self, root):
        memo = {0: 0.0, 1: 1.0}

        def p(n):
            if n in memo:
                return memo[n]
            level, lo, hi = self.info[n]
            q = self.prob[level]
            v = (1.0 - q) * p(lo) + q * p(hi)
            memo[n] = v
            return v

        sys.setrecursionlimit(100000)
        return p(root)


def mef_name(name):
    """A component name as quorate writes it as a MEF identifier."""
    clean = re.sub(r"[^A-Za-z0-9_]", "_", name)
    return "_" + clean if clean[:1].isdigit() else clean


def check_analyze(path, trees, results):
    bad = 0
    with open(path) as f:
        features = {x["name"]: x for x in json.load(f)["features"]}
    for name, attrs, tops in trees:
        feat = features.get(attrs.get("feature"))
        if feat is None:
            bad |= fail("%s: not in quorate analyze's features" % name)
            continue
        ours, theirs = float(attrs["availability"]), feat["exact_availability"]
        if abs(ours - theirs) > 1e-15 * theirs:
            bad |= fail("%s: availability %r, quorate analyze says %r" % (name, ours, theirs))
        cut = feat["smallest_cut"]["unexpected"]
        if len(tops) != 1 or not cut or cut.get("k") is None:
            continue
        products = results[tops[0][0]][1]
        if not products:
            bad |= fail("%s: SCRAM finds no cut set, analyze finds %r" % (name, cut))
            continue
        k = min(len(p) for p in products)
        smallest = {p for p in products if len(p) == k}
        want = {frozenset(analyze_event(c) for c in s) for s in cut["sets"]}
        if k != cut["k"] or (len(want) == cut["count"] and smallest != want):
            bad |= fail("%s: SCRAM's smallest cut sets (order %d, %d of them) are not "
                        "analyze's (k %d, %d)" % (name, k, len(smallest), cut["k"], cut["count"]))
        else:
            print("%-20s smallest cut sets: order %d, %d, the same as quorate analyze's"
                  % (name, k, len(smallest)))
    return bad


def half_unit_6(x):
    """Half a unit in the 6th significant digit of x (SCRAM's rounding)."""
    if x == 0:
        return 0.0
    return 0.5 * 10.0 ** (math.floor(math.log10(abs(x))) - 5)


def main(argv):
    paired = len(argv) > 1 and argv[1] == "--paired"
    if paired:
        argv = argv[:1] + argv[2:]
    if len(argv) < 2:
        print(__doc__)
        return 2
    bad = 0
    events, trees = load_export(argv[1])
    if not trees:
        bad |= fail("no fault tree in the export")
    for name, attrs, tops in trees:
        for key in ("feature", "availability", "unavailability"):
            if key not in attrs:
                bad |= fail("%s: attribute %s missing" % (name, key))
        share = sum(s for _, s in tops)
        if paired:
            if not tops or not (0 < share <= 2.0 + 1e-12):
                bad |= fail("%s: users-share of the top events add up to %r" % (name, share))
        elif not tops or abs(share - 1.0) > 1e-12:
            bad |= fail("%s: users-share of the top events add up to %r" % (name, share))
        if "availability" in attrs and "unavailability" in attrs:
            a, u = float(attrs["availability"]), float(attrs["unavailability"])
            if abs(a + u - 1.0) > 1e-12:
                bad |= fail("%s: availability %r + unavailability %r != 1" % (name, a, u))
    if len(argv) < 3 or bad:
        return bad

    report = ET.parse(argv[2]).getroot()
    results = {}
    for sop in report.iter("sum-of-products"):
        products = [frozenset([b.get("name") for b in p.findall("basic-event")] +
                              [ccf_key(c.get("ccf-group"),
                                       [b.get("name") for b in c.findall("basic-event")])
                               for c in p.findall("ccf-event")] +
                              ["!" + b.get("name") for b in p.findall("not/basic-event")])
                    for p in sop.findall("product")]
        results[sop.get("name")] = (float(sop.get("probability")), products)

    names = sorted(events)
    order = {n: i for i, n in enumerate(names)}
    bdd = Bdd(order, [events[n] for n in names])
    for name, attrs, tops in trees:
        ours = float(attrs["unavailability"])
        printed = exact = bound = 0.0
        for top, share in tops:
            if top not in results:
                bad |= fail("%s: SCRAM reports no top event %s" % (name, top))
                continue
            p_printed, products = results[top]
            root = 0
            for prod in products:
                root = bdd.bor(root, bdd.product(prod))
            p_exact = bdd.probability(root)
            printed += share * p_printed
            bound += share * half_unit_6(p_printed)
            exact += share * p_exact
        rel = abs(exact - ours) / ours if ours > 0 else abs(exact)
        rel_printed = abs(printed - ours) / ours if ours > 0 else abs(printed)
        print("%-20s tops %2d  quorate %.12e  scram printed %.6e (rel %.1e)  "
              "scram cut sets %.12e (rel %.1e)"
              % (name, len(tops), ours, printed, rel_printed, exact, rel))
        if not (abs(printed - ours) <= bound * 1.000001 + 1e-300):
            bad |= fail("%s: SCRAM's printed %.6e is not %.12e rounded (bound %.3e)"
                        % (name, printed, ours, bound))
        if not (rel <= REL_EXACT):
            bad |= fail("%s: SCRAM's exact %.15e differs from quorate's %.15e by %.3e relative"
                        % (name, exact, ours, rel))
    if len(argv) > 3:
        bad |= check_analyze(argv[3], trees, results)
    return bad


if __name__ == "__main__":
    sys.exit(main(sys.argv))
