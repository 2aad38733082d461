#!/usr/bin/env python3
"""blind_screen_eval — the default operating point on queries made from the
lists themselves, of the three kinds a blind evaluation of border screening
uses (docs/screening.md, "Blind-style evaluation"):

  original script  listed people written in Arabic or Cyrillic (the UN
                   list's own NAME_ORIGINAL_SCRIPT), against a copy of the UN
                   list with every original-script name removed, plus OFAC;
  two variations   a listed person's name with two changes at once: a
                   spelling variant, a particle dropped, two tokens joined,
                   MRZ folding (surname first, ASCII capitals, punctuation
                   as spaces), MRZ truncation (a 30-character name field);
  namesakes        one listed person's given names with another listed
                   person's family name, same nationality, another birth
                   date — travellers who must not alert.

Every query is run through `kouan screen --query-file` with UN + OFAC SDN
loaded at the default threshold, with and without date of birth and
nationality. The generation is seeded: same lists, same queries.

usage: bench/blind_screen_eval.py [KOUAN_BIN]   (run from the project root;
BLIND_THRESHOLD=T tries another operating point, BLIND_VERBOSE=N lists N
misses and alerts, BLIND_SEED=S draws another set of queries)
"""
import csv, json, os, random, re, subprocess, sys, tempfile, unicodedata
import xml.etree.ElementTree as ET

BIN = sys.argv[1] if len(sys.argv) > 1 else 'build/kouan'
LISTS = '../shared/corpus/watchlists/lists'
UN = LISTS + '/un_sc_consolidated_2026-02-27.xml'
OFAC = LISTS + '/ofac_sdn_2024-05-03/sdn.csv'
PARTICLES = {'al', 'el', 'bin', 'ibn', 'bint', 'ben', 'ould', 'van', 'von', 'de', 'da',
             'der', 'del', 'du', 'la', 'le', 'ag', 'wuld'}
SPELLING = [('ou', 'u'), ('u', 'ou'), ('ee', 'i'), ('i', 'ee'), ('y', 'i'), ('i', 'y'),
            ('q', 'k'), ('k', 'q'), ('ph', 'f'), ('kh', 'h'), ('mm', 'm'), ('dd', 'd'),
            ('ss', 's'), ('e', 'a'), ('a', 'e'), ('oo', 'u'), ('dh', 'z'), ('j', 'dj'),
            ('sh', 'ch'), ('w', 'v'), ('v', 'w'), ('c', 'k'), ('ai', 'ay'), ('ie', 'i'),
            ('o', 'u'), ('tt', 't'), ('ll', 'l'), ('aa', 'a'), ('kh', 'k')]


def fold(s):
    """MRZ folding (ICAO 9303 part 3): apostrophes omitted, other
    punctuation as fillers, diacritics dropped, capitals."""
    s = re.sub("['\u2018\u2019\u02bc`]", '', s)
    s = unicodedata.normalize('NFKD', s)
    s = ''.join(c for c in s if not unicodedata.combining(c))
    return re.sub(r'[^A-Za-z0-9]+', ' ', s).upper().split()


def script_of(s):
    for c in s:
        if '\u0600' <= c <= '\u06ff':
            return 'arabic'
        if '\u0400' <= c <= '\u04ff':
            return 'cyrillic'
    return None


def un_people():
    out = []
    for ind in ET.parse(UN).getroot().iter('INDIVIDUAL'):
        g = lambda t: (ind.findtext(t) or '').strip()
        parts = [g(t) for t in ('FIRST_NAME', 'SECOND_NAME', 'THIRD_NAME', 'FOURTH_NAME')]
        parts = [p for p in parts if p]
        if len(parts) < 2:
            continue
        dob, rng_ = '', None
        for d in ind.iter('INDIVIDUAL_DATE_OF_BIRTH'):
            dob = (d.findtext('DATE') or d.findtext('YEAR') or '').strip()[:10]
            lo, hi = (d.findtext('FROM_YEAR') or '').strip(), (d.findtext('TO_YEAR') or '').strip()
            if not rng_ and lo.isdigit() and hi.isdigit():
                rng_ = (int(lo), int(hi))
            if dob:
                break
        nat = ''
        for n in ind.iter('NATIONALITY'):
            nat = (n.findtext('VALUE') or '').strip()
            break
        aliases = [(a.findtext('ALIAS_NAME') or '').strip() for a in ind.iter('INDIVIDUAL_ALIAS')]
        out.append({'list': 'un', 'ref': g('REFERENCE_NUMBER'), 'given': parts[:-1],
                    'family': parts[-1], 'orig': g('NAME_ORIGINAL_SCRIPT'), 'dob': dob,
                    'dob_range': rng_, 'nat': nat, 'aliases': [a for a in aliases if a]})
    return out


MONTHS = {m: i + 1 for i, m in enumerate(
    'Jan Feb Mar Apr May Jun Jul Aug Sep Oct Nov Dec'.split())}


def ofac_people():
    out = []
    with open(OFAC, encoding='latin-1') as f:
        for r in csv.reader(f):
            if len(r) < 12 or r[2].strip() != 'individual' or ', ' not in r[1]:
                continue
            fam, given = r[1].split(', ', 1)
            rem = r[11]
            m = re.search(r'DOB (\d{2}) (\w{3}) (\d{4})', rem)
            dob = '%s-%02d-%s' % (m.group(3), MONTHS.get(m.group(2), 1), m.group(1)) if m else ''
            if not m:
                m = re.search(r'DOB (\d{4})', rem)
                dob = m.group(1) if m else ''
            # "DOB Dec 1948", "DOB circa 1960", "DOB 1958 to 1962": the
            # years a traveller's real date lies in.
            m = re.search(r'DOB (?:\d{2} )?(?:[A-Z][a-z]{2} )?(?:circa )?(\d{4})'
                          r'(?: to (?:\d{2} )?(?:[A-Z][a-z]{2} )?(\d{4}))?', rem)
            rng_ = (int(m.group(1)), int(m.group(2) or m.group(1))) if m else None
            m = re.search(r'nationality ([A-Za-z ]+?)[;.]', rem)
            aliases = re.findall(r"a\.k\.a\. '([^']+)'", rem)
            out.append({'list': 'ofac', 'ref': r[0], 'given': given.split(), 'family': fam,
                        'orig': '', 'dob': dob, 'dob_range': rng_,
                        'nat': m.group(1) if m else '',
                        'aliases': aliases})
    return out


def t_spelling(rng, toks):
    idx = [i for i, t in enumerate(toks) if len(t) >= 4]
    rng.shuffle(idx)
    for i in idx:
        t = toks[i].lower()
        subs = [(a, b) for a, b in SPELLING if a in t[1:]]
        if subs:
            a, b = rng.choice(subs)
            k = t.find(a, 1)
            toks = list(toks)
            toks[i] = (t[:k] + b + t[k + len(a):]).upper()
            return toks
    return None


def t_particle(rng, toks):
    idx = [i for i, t in enumerate(toks) if t.lower() in PARTICLES and len(toks) > 2]
    if idx:
        i = rng.choice(idx)
        return toks[:i] + toks[i + 1:]
    idx = [i for i, t in enumerate(toks) if re.match(r'(?i)(al|el)-', t)]
    if idx:
        i = rng.choice(idx)
        return toks[:i] + [toks[i][3:]] + toks[i + 1:]
    return None


def t_join(rng, toks):
    if len(toks) < 3:
        return None
    i = rng.randrange(len(toks) - 1)
    return toks[:i] + [toks[i] + toks[i + 1]] + toks[i + 2:]


def variations(rng, p):
    """Two changes at once; None when fewer than two apply."""
    toks = p['given'] + [p['family']]
    toks = [t for x in toks for t in x.split()]
    kinds = ['spelling', 'particle', 'join', 'mrz', 'truncate']
    rng.shuffle(kinds)
    done, mrz, trunc = [], False, False
    for k in kinds:
        if len(done) == 2:
            break
        if k == 'spelling':
            n = t_spelling(rng, toks)
        elif k == 'particle':
            n = t_particle(rng, toks)
        elif k == 'join':
            n = t_join(rng, toks)
        elif k == 'mrz':
            mrz, n = True, toks
        else:
            full = ' '.join(fold(' '.join(toks)))
            if len(full) <= 30:
                continue
            trunc, n = True, toks
        if n is None:
            continue
        toks = n
        done.append(k)
    if len(done) < 2:
        return None, None
    if mrz or trunc:
        fam = fold(toks[-1])
        giv = fold(' '.join(toks[:-1]))
        s = ' '.join(fam) + '  ' + ' '.join(giv)  # SURNAME<<GIVEN as text
        if trunc:
            s = s[:30].rstrip()
        name = ' '.join(s.split())
    else:
        name = ' '.join(toks)
    return name, '+'.join(sorted(done))


def variation_queries(rng, people, per_person):
    """per_person tries at a two-variation name of each person; each query
    carries the person's reference, birth date and nationality, and in
    own_dob the date a traveller would give."""
    base = []
    for p in people:
        for _ in range(per_person):
            name, kinds = variations(rng, p)
            if name:
                base.append({'name': name, 'kinds': kinds, 'list': p['list'], 'ref': p['ref'],
                             'dob': p['dob'], 'dob_range': p.get('dob_range'),
                             'nat': p['nat']})
    # A traveller's passport always has a birth date. Where the list gives
    # only years ("between 1973 and 1974", "circa 1960"), the real date is
    # one of them; where it gives none, the query carries one the list
    # cannot confirm.
    for q in base:
        lo, hi = q['dob_range'] or (1940, 2004)
        q['own_dob'] = q['dob'] or '%d-%02d-%02d' % (rng.randrange(lo, hi + 1),
                                                    rng.randrange(1, 13), rng.randrange(1, 29))
    return base


def run(queries, lists):
    with tempfile.NamedTemporaryFile('w', suffix='.csv', delete=False) as f:
        w = csv.writer(f)
        w.writerow(['id', 'name', 'dob', 'nationality'])
        for q in queries:
            w.writerow([q['id'], q['name'], q.get('dob', ''), q.get('nat', '')])
        path = f.name
    args = [BIN, 'screen', '--query-file', path]
    if os.environ.get('BLIND_THRESHOLD'):
        args += ['--threshold', os.environ['BLIND_THRESHOLD']]
    for l in lists:
        args += ['--list', l]
    out = subprocess.run(args, capture_output=True, text=True)
    if os.environ.get('BLIND_KEEP'):
        os.replace(path, '%s/%s.csv' % (os.environ['BLIND_KEEP'], queries[0]['id'][0]))
        with open('%s/%s.out' % (os.environ['BLIND_KEEP'], queries[0]['id'][0]), 'w') as f:
            f.write(out.stdout)
    else:
        os.unlink(path)
    if out.returncode != 0:
        sys.exit('kouan screen failed: ' + out.stderr[-500:])
    hits = {}
    for line in out.stdout.splitlines():
        o = json.loads(line)
        hits[o['id']] = [(h['list'], h['entity_id']) for h in o['hits']]
    return hits


def recall(label, queries, hits):
    n = len(queries)
    found = sum((q['list'], q['ref']) in hits.get(q['id'], []) for q in queries)
    print('%-44s n=%-5d recall=%.3f' % (label, n, found / max(n, 1)))
    return [q for q in queries if (q['list'], q['ref']) not in hits.get(q['id'], [])]


def main():
    rng = random.Random(int(os.environ.get('BLIND_SEED', '2396')))
    un, ofac = un_people(), ofac_people()
    full = [UN + ':un-xml', OFAC + ':ofac-csv']

    # Original script against a Latin-only UN list.
    tmp = tempfile.mkdtemp()
    latin = os.path.join(tmp, 'un_latin.xml')
    with open(UN, encoding='utf-8') as i, open(latin, 'w', encoding='utf-8') as o:
        o.writelines(l for l in i if 'NAME_ORIGINAL_SCRIPT' not in l)
    for with_ev in (True, False):
        qs = []
        for p in un:
            if script_of(p['orig']):
                qs.append({'id': 'o%d' % len(qs), 'name': p['orig'], 'list': 'un',
                           'ref': p['ref'], 'dob': p['dob'] if with_ev else '',
                           'nat': p['nat'] if with_ev else ''})
        h = run(qs, [latin + ':un-xml', OFAC + ':ofac-csv'])
        recall('original script%s' % (' +dob+nat' if with_ev else ', name only'), qs, h)
    os.unlink(latin)
    os.rmdir(tmp)

    # Two variations at once.
    people = un + ofac
    base = variation_queries(rng, people, 2)
    for with_ev in (True, False):
        qs = [dict(q, id='v%d' % i, dob=q['own_dob'] if with_ev else '',
                   nat=q['nat'] if with_ev else '') for i, q in enumerate(base)]
        h = run(qs, full)
        miss = recall('two variations%s' % (' +dob+nat' if with_ev else ', name only'), qs, h)
        by = {}
        for q in qs:
            by.setdefault(q['kinds'], [0, 0])[0] += 1
        for q in miss:
            by[q['kinds']][1] += 1
        for k in sorted(by):
            print('    %-28s n=%-5d recall=%.3f' % (k, by[k][0], 1 - by[k][1] / by[k][0]))
        if os.environ.get('BLIND_VERBOSE'):
            for q in miss[:int(os.environ.get("BLIND_VERBOSE"))]:
                print('      missed %s %s:%s (%s)' % (q['name'], q['list'], q['ref'], q['kinds']))

    # Namesakes: given names of one, family name of another, same country.
    # A made-up name that is (in any order) a listed name or alias is that
    # listed person's namesake in full, not a made-up one.
    listed = listed_names(people)
    for src, pool in (('UN', un), ('UN + OFAC', people)):
        namesakes(rng, src, pool, listed, full)


def namesake_queries(rng, people, listed, n, prefix):
    """Up to n namesake travellers: one listed person's given names with
    another's family name, same nationality, a birth year at least three
    years from both."""
    by_nat = {}
    for p in people:
        if p['nat'] and p['given']:
            by_nat.setdefault(p['nat'], []).append(p)
    qs, seen = [], set()
    nats = sorted(n for n, ps in by_nat.items() if len(ps) >= 2)
    tries = 0
    while len(qs) < n and nats and tries < 400000:
        tries += 1
        ps = by_nat[rng.choice(nats)]
        a, b = rng.sample(ps, 2)
        if fold(a['family']) == fold(b['family']):
            continue
        name = ' '.join(a['given'] + [b['family']])
        key = tuple(sorted(fold(name)))
        if key in listed or key in seen:
            continue
        seen.add(key)
        years = {int(x['dob'][:4]) for x in (a, b) if x['dob'][:4].isdigit()}
        for x in (a, b):  # listed as years only: none of them either
            lo, hi = x.get('dob_range') or (0, -1)
            years.update(range(lo, hi + 1))
        y = rng.randrange(1940, 2005)
        while any(abs(y - x) <= 2 for x in years):
            y = rng.randrange(1940, 2005)
        qs.append({'id': prefix + str(len(qs)), 'name': name, 'dob': '%d-%02d-%02d' % (
            y, rng.randrange(1, 13), rng.randrange(1, 29)), 'nat': a['nat']})
    return qs


def listed_names(people):
    """Every listed name and alias, as its sorted folded tokens."""
    return {tuple(sorted(fold(n))) for p in people
            for n in [' '.join(p['given'] + [p['family']])] + p['aliases']}


def namesakes(rng, src, people, listed, full):
    qs = namesake_queries(rng, people, listed, 4000, 'u' if src == 'UN' else 'n')
    h = run(qs, full)
    alerts = [q for q in qs if h.get(q['id'])]
    print('%-44s n=%-5d alerts per 1,000=%.2f' % ('namesakes from %s (same country, other dob)' % src,
                                                   len(qs), 1000 * len(alerts) / len(qs)))
    if os.environ.get('BLIND_VERBOSE'):
        for q in alerts[:40]:
            print('      alerted %s (%s, %s) -> %s' % (q['name'], q['dob'], q['nat'], h[q['id']][:2]))


if __name__ == '__main__':
    main()
