#!/usr/bin/env python3
"""Generate kouan's name tables (names_tables.inc) at build time.

Inputs (read-only, never copied into the tree):
  --corpus DIR   the shared watchlist corpus (reference/ and eval/translit_*)
  --unihan DIR   Debian unicode-data's Unihan_*.txt.bz2
Output: one C include with
  kn_titles[]     titles and honorifics dropped from names
  kn_particles[]  name particles (bin, ibn, al, von, de ...)
  kn_variants[]   word -> variant group id (sorted by word)
  kn_syl[]        Chinese syllables (sorted), each with the frequent Han
                  characters it romanises (for han_equiv)
  kn_han[]        Han code point -> romanisation syllables (pinyin, its
                  Wade-Giles form, Cantonese in Hong Kong spelling)

Variant groups come from (1) rigour's person_nick / person_name_parts
groups and (2) the Latin spellings that the transliteration pair files give
for one and the same script form (Arabic, Cyrillic, Korean, Chinese), kept
only when their consonant skeletons agree, merged with a group-size cap.
The step is deterministic: same inputs, same output.
"""
import argparse, bz2, csv, os, re, sys, unicodedata

def ascii_fold(s):
    s = unicodedata.normalize('NFKD', s)
    s = ''.join(c for c in s if not unicodedata.combining(c))
    s = s.replace('ß', 'ss').replace('ø', 'o').replace('ł', 'l').replace('đ', 'd')
    s = s.replace('æ', 'ae').replace('œ', 'oe').replace('ı', 'i')
    return re.sub('[^a-z0-9 ]+', ' ', s.lower()).split()

def skeleton(w):
    """Mirror of kouan_names_skeleton's string form (names.c)."""
    out = []
    # Е opening a Russian family name (YEVTUSHENKOV, ICAO EVTUSHENKOV); Я,
    # Ю, Йо opening a name: YAN, YURI (BGN/PCGN), IAN, IURII (ICAO)
    ends = ('ov', 'ova', 'ev', 'eva', 'in', 'ina', 'sky', 'skiy', 'skii', 'skaya', 'skaia',
            'enko', 'ich', 'ovna', 'evna')
    if (len(w) >= 7 and w[:2] == 'ye' and w[2] not in 'aeiouy' and not set(w) & set('jwq')
            and w.endswith(ends)):
        w = w[1:]
    elif w[:2] in ('ia', 'io', 'iu'):
        w = 'y' + w[1:]
    w = re.sub(r'(.)\1+', r'\1', w)
    i = 0
    for dg, rep in (('kh', 'K'), ('sh', 'S'), ('ch', 'C'), ('th', 'T'), ('gh', 'G'),
                    ('dh', 'D'), ('zh', 'J'), ('ph', 'f'), ('ck', 'k'), ('dj', 'j')):
        w = w.replace(dg, rep)
    for i, c in enumerate(w):
        if c in 'aeiou': continue
        if c in 'wy' and i > 0: continue
        c = {'q': 'k', 'c': 'k', 'x': 'k', 'w': 'f', 'p': 'b', 'v': 'f'}.get(c, c)
        if out and out[-1] == c: continue
        out.append(c)
    return ''.join(out)

def edit(a, b):
    prev = list(range(len(b) + 1))
    for i, ca in enumerate(a, 1):
        cur = [i]
        for j, cb in enumerate(b, 1):
            cur.append(min(prev[j] + 1, cur[j - 1] + 1, prev[j - 1] + (ca != cb)))
        prev = cur
    return prev[-1]

def load_schema(path):
    """An iuliia transliteration schema (mapping, and the letters' forms
    after a given letter, before one and at a word's end)."""
    import json
    d = json.load(open(path, encoding='utf-8'))
    return (d['mapping'], d.get('prev_mapping') or {}, d.get('next_mapping') or {},
            d.get('ending_mapping') or {})

def translit(schema, word):
    """A lower-case Cyrillic word in an iuliia schema, folded to ASCII."""
    m, prev, nxt, end = schema
    for e, r in end.items():
        if word.endswith(e) and len(word) > len(e):
            return ''.join(ascii_fold(translit((m, prev, nxt, {}), word[:-len(e)]) + r))
    out = []
    for i, c in enumerate(word):
        p = word[i - 1] if i else ''
        n = word[i + 1] if i + 1 < len(word) else ''
        if p + c in prev: out.append(prev[p + c])
        elif c + n in nxt: out.append(nxt[c + n])
        else: out.append(m.get(c, c))
    # bgn_pcgn.json keeps the Cyrillic ё where BGN/PCGN writes ë
    return ''.join(ascii_fold(''.join(out).replace('ё', 'ë')))

def yaml_lists(path, section):
    """Tiny reader for the two-level 'key:\\n  - item' YAML of rigour."""
    groups, cur, on = {}, None, False
    for line in open(path, encoding='utf-8'):
        line = line.rstrip('\n')
        if not line.strip() or line.lstrip().startswith('#'): continue
        if not line.startswith(' '):
            on = line.split(':')[0] == section
            continue
        if not on: continue
        m = re.match(r'^  ([^ -].*?):\s*$', line)
        if m:
            cur = m.group(1).strip('"\''); groups[cur] = []; continue
        m = re.match(r'^\s*- (.*)$', line)
        if m and cur is not None:
            v = m.group(1).split(' #')[0].strip().strip('"\'')
            groups[cur].append(v)
    return groups

def yaml_top_list(path, section):
    out, on = [], False
    for line in open(path, encoding='utf-8'):
        line = line.rstrip('\n')
        if not line.strip() or line.lstrip().startswith('#'): continue
        if not line.startswith(' '):
            on = line.split(':')[0] == section; continue
        m = re.match(r'^\s*- (.*)$', line)
        if on and m:
            out.append(m.group(1).split(' #')[0].strip().strip('"\''))
    return out

# ---------------------------------------------------------------- Chinese
WG_INIT = [('zh', 'ch'), ('ch', 'ch'), ('sh', 'sh'), ('z', 'ts'), ('c', 'ts'),
           ('s', 's'), ('j', 'ch'), ('q', 'ch'), ('x', 'hs'), ('r', 'j'),
           ('b', 'p'), ('p', 'p'), ('d', 't'), ('t', 't'), ('g', 'k'), ('k', 'k'),
           ('h', 'h'), ('m', 'm'), ('f', 'f'), ('n', 'n'), ('l', 'l'),
           ('y', 'y'), ('w', 'w'), ('', '')]

def wade_giles(p):
    special = {'zhi': 'chih', 'chi': 'chih', 'shi': 'shih', 'ri': 'jih', 'zi': 'tzu',
               'ci': 'tzu', 'si': 'ssu', 'you': 'yu', 'yan': 'yen', 'yi': 'i',
               'ye': 'yeh', 'yong': 'yung', 'er': 'erh', 'e': 'o'}
    if p in special: return special[p]
    for a, b in WG_INIT:
        if p.startswith(a):
            ini, fin = b, p[len(a):]
            break
    if a in ('j', 'q', 'x', 'y') and fin.startswith('u'): fin = 'u' + fin[1:]
    fin = {'ong': 'ung', 'ian': 'ien', 'ie': 'ieh', 'ui': 'uei', 'ue': 'ueh',
           'uo': 'o' if a not in ('g', 'k', 'h', 'sh') else 'uo',
           'e': 'o' if a in ('g', 'k', 'h') else 'e', 'iong': 'iung'}.get(fin, fin)
    return ini + fin

HK_INIT = [('gw', ['kw']), ('kw', ['kw']), ('ng', ['ng']), ('b', ['p', 'b']), ('p', ['p']),
           ('m', ['m']), ('f', ['f']), ('d', ['t']), ('t', ['t']), ('n', ['n']),
           ('l', ['l']), ('g', ['k']), ('k', ['k']), ('h', ['h']), ('w', ['w']),
           ('z', ['ch', 'ts']), ('c', ['ch', 'ts']), ('s', ['s', 'sh']), ('j', ['y']), ('', [''])]
HK_FIN = {'aa': ['a', 'ah'], 'aai': ['ai'], 'aau': ['au'], 'aam': ['am', 'um'], 'aan': ['an'],
          'aang': ['ang'], 'aap': ['ap'], 'aat': ['at'], 'aak': ['ak'], 'ai': ['ai'],
          'au': ['au', 'ow'], 'am': ['am', 'um'], 'an': ['an', 'un'], 'ang': ['ang'], 'e': ['e'],
          'ei': ['ei', 'ee', 'ay'], 'eng': ['eng'], 'i': ['i', 'ee'], 'iu': ['iu'],
          'im': ['im'], 'in': ['in'], 'ing': ['ing', 'eng'], 'o': ['o', 'oh', 'or', 'aw'],
          'oi': ['oi', 'oy'], 'ou': ['o', 'ou', 'oe'], 'on': ['on'], 'ong': ['ong'], 'oe': ['oe'],
          'oeng': ['eung'], 'oek': ['euk'], 'eoi': ['ui', 'eui'], 'eon': ['un', 'eun'],
          'u': ['u', 'oo'], 'ui': ['ui', 'ooi'], 'un': ['un', 'oon'], 'ung': ['ung', 'oong'],
          'yu': ['u', 'yu', 'ue'], 'yun': ['uen', 'yun'], 'ok': ['ok'], 'uk': ['uk'],
          'ik': ['ik'], 'ek': ['ek'], 'ak': ['ak'], 'ip': ['ip'], 'it': ['it'], 'at': ['at', 'ut'], 'ap': ['ap', 'up'],
          'eot': ['ut'], 'ut': ['ut'], 'yut': ['uet'], 'ot': ['ot'], 'up': ['up'],
          'eu': ['eu'], 'm': ['m'], 'ng': ['ng'], 'em': ['em'], 'ep': ['ep'],
          'et': ['et'], 'en': ['en']}

# Romanisation keys kept per character (pinyin, Wade-Giles, then the Hong
# Kong spellings of its Cantonese reading).
KEYS_MAX = 16

def hk_forms(j):
    if j in ('m', 'ng'): return [j]
    for a, reps in HK_INIT:
        if j.startswith(a) and j[len(a):] in HK_FIN:
            fin = HK_FIN[j[len(a):]]
            out = []
            if a in ('s', 'z', 'c') and j[len(a):] == 'i':
                fin = fin + ['ze', 'z']  # 史 si → Sze, 子 zi → Tsz
            for r in reps:
                for f in fin:
                    if r == 'y' and f.startswith('y'): f = f[1:]
                    if r == '' and f.startswith('u') and a == '': f = 'y' + f if not f.startswith('yu') else f
                    out.append(r + f)
            return out
    return []

def strip_tone(p):
    p = unicodedata.normalize('NFD', p)
    p = ''.join(c for c in p if not unicodedata.combining(c))
    return p.replace('ü', 'u').lower()

def load_unihan(d):
    mand, cant, freq, simp = {}, {}, {}, {}
    with bz2.open(os.path.join(d, 'Unihan_Readings.txt.bz2'), 'rt', encoding='utf-8') as f:
        for line in f:
            if line.startswith('#') or not line.strip(): continue
            cp, k, v = line.rstrip('\n').split('\t', 2)
            cp = int(cp[2:], 16)
            if k == 'kMandarin': mand[cp] = strip_tone(v.split()[0])
            elif k == 'kCantonese': cant[cp] = re.sub(r'\d', '', v.split()[0])
    with bz2.open(os.path.join(d, 'Unihan_DictionaryLikeData.txt.bz2'), 'rt', encoding='utf-8') as f:
        for line in f:
            if line.startswith('#') or not line.strip(): continue
            cp, k, v = line.rstrip('\n').split('\t', 2)
            if k == 'kFrequency': freq[int(cp[2:], 16)] = int(v)
    # Characters of GB 2312 (kGB0) are common enough to tie romanisations
    # together: they hold nearly every Chinese surname.
    with bz2.open(os.path.join(d, 'Unihan_OtherMappings.txt.bz2'), 'rt', encoding='utf-8') as f:
        for line in f:
            if line.startswith('#') or not line.strip(): continue
            cp, k, v = line.rstrip('\n').split('\t', 2)
            if k in ('kGB0', 'kBigFive'):
                c = int(cp[2:], 16)
                freq.setdefault(c, 5 if k == 'kGB0' else 6)
    with bz2.open(os.path.join(d, 'Unihan_Variants.txt.bz2'), 'rt', encoding='utf-8') as f:
        for line in f:
            if line.startswith('#') or not line.strip(): continue
            cp, k, v = line.rstrip('\n').split('\t', 2)
            if k in ('kSimplifiedVariant', 'kTraditionalVariant'):
                a = int(cp[2:], 16)
                for t in v.split():
                    simp.setdefault(a, set()).add(int(t[2:], 16))
    return mand, cant, freq, simp

def main():
    ap = argparse.ArgumentParser()
    ap.add_argument('--corpus', required=True)
    ap.add_argument('--unihan', required=True)
    ap.add_argument('--out', required=True)
    a = ap.parse_args()
    ref = os.path.join(a.corpus, 'reference')
    ev = os.path.join(a.corpus, 'eval')

    titles = set()
    for t in yaml_top_list(os.path.join(ref, 'rigour_names_stopwords.yml'), 'PERSON_NAME_PREFIXES'):
        w = ascii_fold(t)
        if len(w) == 1 and len(w[0]) > 1: titles.add(w[0])
    sym = yaml_lists(os.path.join(ref, 'rigour_names_symbols.yml'), 'person_symbols')
    particles = set()
    for key in ('bin', 'ben', 'bint', 'ould', 'abu', 'abul', 'abdul', 'umm', 'von', 'van',
                'al', 'el', 'de', 'da', 'di', 'du', 'del', 'della', 'der', 'den', 'dos', 'das', 'le', 'la'):
        for v in sym.get(key, []):
            w = ascii_fold(v)
            for x in w:
                if len(x) <= 4 and x not in ('zu', 'und'): particles.add(x)
    for k in ('sheikh', 'haji', 'dr', 'prof', 'jr', 'sr', 'esq'):
        for v in sym.get(k, []):
            w = ascii_fold(v)
            if len(w) == 1 and len(w[0]) > 1: titles.add(w[0])
    # Religious honorifics as lists and travel documents write them in
    # Latin letters, beyond the symbol table's haji and sheikh spellings
    # (the UN list: Mullah, Maulavi, Mawlawi, Hadji, Alhaj).
    titles |= {'hadji', 'hadj', 'hajee', 'hadjee', 'alhaji', 'alhaj', 'alhajji', 'elhaj',
               'mullah', 'mulla', 'molla', 'maulavi', 'mawlawi', 'maulvi', 'moulavi',
               'mawlavi', 'maulana', 'mawlana'}
    # Particles the symbol table spells only in context ("abd al", "ibn al").
    particles |= {'al', 'el', 'ad', 'ar', 'as', 'ash', 'at', 'az', 'ibn', 'bin', 'bint',
                  'ben', 'binti', 'bte', 'bt', 'ould', 'uld', 'abu', 'abou', 'van',
                  'von', 'der', 'den', 'de', 'del', 'della', 'di', 'da', 'do', 'dos',
                  'das', 'du', 'la', 'le', 'mac', 'ter', 'ten', 'y', 'e'}
    particles -= {'abdul', 'abd'}  # part of the name they belong to
    # The same particles in Arabic letters, as the Arabic-Latin transform
    # writes them without their vowels: ابن abn, بن bn, بنت bnt, ابو and
    # أبو abw, ولد wld (ould). Without them a name written in Arabic script
    # counts its particles as words of the name.
    particles |= {'abn', 'bn', 'bnt', 'abw', 'wld'}
    # Two particles written as one word: DELA CRUZ (the Philippines' way of
    # writing DE LA CRUZ), VANDER BERG, VANDEN BERGH, DELOS SANTOS.
    particles |= {'dela', 'delas', 'delos', 'vander', 'vanden', 'vonder'}
    # Words the symbol table lists as particles that are, far more often,
    # family names in their own right: Le (Vietnamese Lê, the third
    # commonest), Do (Đỗ), Du (Chinese 杜), Mac (Vietnamese Mạc). Written
    # onto the next word (LEPEN, MACDONALD) they meet it as two words joined.
    particles -= {'le', 'do', 'du', 'mac'}
    titles -= particles

    # Variant groups.
    parent = {}
    size = {}
    def find(x):
        while parent[x] != x:
            parent[x] = parent[parent[x]]; x = parent[x]
        return x
    def union(x, y, cap=12):
        for z in (x, y):
            if z not in parent: parent[z] = z; size[z] = 1
        rx, ry = find(x), find(y)
        if rx == ry or size[rx] + size[ry] > cap: return
        if rx > ry: rx, ry = ry, rx
        parent[ry] = rx; size[rx] += size[ry]
    def ok_word(w): return len(w) >= 3 and w.isalpha() and w not in particles and w not in titles
    for sec in ('person_nick', 'person_name_parts'):
        for k, vs in yaml_lists(os.path.join(ref, 'rigour_names_symbols.yml'), sec).items():
            ws = [x for v in vs for x in [ascii_fold(v)] if len(x) == 1 and ok_word(x[0])]
            ws = sorted(set(w[0] for w in ws))
            for w in ws[1:]: union(ws[0], w, cap=40)
    def fold_ar(s):
        s = re.sub('[\u064B-\u0652\u0640\u0670]', '', s)
        s = re.sub('[أإآٱ]', 'ا', s)
        return s.replace('ة', 'ه').replace('ى', 'ي')
    by_script = {}
    def add(key, latin):
        w = ascii_fold(latin)
        if len(w) == 1 and ok_word(w[0]): by_script.setdefault(key, set()).add(w[0])
    p = os.path.join(ev, 'translit_ar2en_google_shared.tsv')
    if os.path.exists(p):
        for r in csv.reader(open(p, encoding='utf-8'), delimiter='\t'):
            if len(r) >= 2: add('ar:' + fold_ar(r[0]), r[1])
    for fn, pre in (('translit_wikidata_en_arabic_shared.tsv', 'ar:'),
                    ('translit_wikidata_en_russian_shared.tsv', 'ru:'),
                    ('translit_wikidata_en_korean_shared.tsv', 'ko:'),
                    ('translit_wikidata_en_chinese_shared.tsv', 'zh:')):
        p = os.path.join(ev, fn)
        if not os.path.exists(p): continue
        rows = list(csv.reader(open(p, encoding='utf-8'), delimiter='\t'))[1:]
        for r in rows:
            if len(r) >= 2:
                k = r[1].lower()
                add(pre + (fold_ar(k) if pre == 'ar:' else k), r[0])
    # A Russian name's two romanisations, BGN/PCGN as lists write it
    # (YEVGENIY, YEKATERINA) and ICAO Doc 9303 as passports do (EVGENII,
    # EKATERINA): one variant group, whatever their skeletons.
    schemas = os.path.join(ref, 'iuliia_cyrillic_schemas')
    if os.path.exists(os.path.join(schemas, 'icao_doc_9303.json')):
        icao = load_schema(os.path.join(schemas, 'icao_doc_9303.json'))
        bgn = load_schema(os.path.join(schemas, 'bgn_pcgn.json'))
        for key in sorted(k for k in by_script if k.startswith('ru:')):
            cyr = key[3:]
            if len(cyr) < 3 or not re.fullmatch('[а-яё]+', cyr): continue
            f1, f2 = translit(icao, cyr), translit(bgn, cyr)
            if f1 == f2 or not ok_word(f1) or not ok_word(f2): continue
            forms = {f1, f2}
            if cyr.endswith(('ий', 'ый')):  # and the popular EVGENY, YEVGENI
                forms |= {f[:-2] + e for f in (f1, f2) for e in ('y', 'i')}
            forms = sorted(f for f in forms if ok_word(f))
            by_script[key] |= set(forms)
            for f in forms[1:]: union(forms[0], f, cap=40)
    for key in sorted(by_script):
        ws = sorted(by_script[key])
        for i in range(len(ws)):
            for j in range(i + 1, len(ws)):
                sa, sb = skeleton(ws[i]), skeleton(ws[j])
                if not sa or not sb or sa[0] != sb[0] and ws[i][0] != ws[j][0]: continue
                if edit(sa, sb) <= max(1, min(len(sa), len(sb)) // 3):
                    union(ws[i], ws[j])
    # ICAO Doc 9303 writes Е as E where BGN/PCGN writes YE (EGOR, YEGOR):
    # a grouped name opening with E and a consonant has the Y form too,
    # when that is no word of another group.
    for w in sorted(parent):
        if len(w) >= 4 and w[0] == 'e' and w[1] not in 'aeiouy' and 'y' + w not in parent:
            union(w, 'y' + w, cap=41)
    groups = {}
    for w in parent:
        groups.setdefault(find(w), []).append(w)
    groups = {r: sorted(m) for r, m in groups.items() if len(m) > 1}
    gid = {r: i + 1 for i, r in enumerate(sorted(groups))}
    variants = sorted((w, gid[r]) for r, m in groups.items() for w in m)

    # Chinese.
    mand, cant, freq, simp = load_unihan(a.unihan)
    for c, vs in simp.items():
        for v in vs:
            if c not in mand and v in mand: mand[c] = mand[v]
            if c not in cant and v in cant: cant[c] = cant[v]
            if c not in freq and v in freq: freq[c] = freq[v]
    syl_set = set()
    han = []
    for cp in sorted(mand):
        p = mand[cp]
        if not re.fullmatch('[a-z]+', p): continue
        keys = [p]
        wg = wade_giles(p)
        if wg not in keys: keys.append(wg)
        if cp in cant:
            for h in hk_forms(cant[cp]):
                if h and h not in keys: keys.append(h)
        keys = keys[:KEYS_MAX]
        syl_set.update(keys)
        han.append((cp, keys))
    syls = sorted(syl_set)
    sid = {s: i for i, s in enumerate(syls)}
    # Frequent characters tie syllables together (王: wang ~ wong).
    # Ids in order of frequency, so a syllable's first ids are its most
    # common characters (the candidate keys use the first few).
    syl_chars = {s: [] for s in syls}
    common = sorted((freq[cp], cp, keys) for cp, keys in han if freq.get(cp, 9) <= 6)
    mand_set = set(k[0] for _, _, k in common)
    for freq_idx, (_, cp, keys) in enumerate(common, 1):
        for k in keys: syl_chars[k].append(freq_idx)

    # Candidate classes: the Mandarin readings a syllable can stand for,
    # commonest first ("to" → du, tao, duo ...); a pinyin syllable is its own
    # first class.
    syl_py = {}
    for _, cp, keys in common:
        for k in keys:
            lst = syl_py.setdefault(k, [k] if k in mand_set else [])
            if keys[0] not in lst: lst.append(keys[0])

    with open(a.out + '.tmp', 'w', encoding='utf-8') as o:
        o.write('/* Generated by lib/names/gen_names.py: do not edit. */\n')
        def strlist(name, items):
            o.write('static const char *const %s[] = {\n' % name)
            for s in items: o.write('    "%s",\n' % s)
            o.write('};\n')
        strlist('kn_titles', sorted(titles))
        strlist('kn_particles', sorted(particles))
        o.write('static const struct kn_variant { const char *w; uint32_t g; } kn_variants[] = {\n')
        for w, g in variants: o.write('    {"%s", %d},\n' % (w, g))
        o.write('};\n')
        o.write('static const uint32_t kn_syl_chars[] = {\n')
        offs = []
        n = 0
        for s in syls:
            offs.append((n, len(syl_chars[s])))
            for c in syl_chars[s]:
                o.write('%d,' % c); n += 1
            o.write('\n') if syl_chars[s] else None
        o.write('0};\n')
        o.write('static const struct kn_syl { const char *s; uint32_t off, n; } kn_syl[] = {\n')
        for s, (off, cnt) in zip(syls, offs): o.write('    {"%s", %d, %d},\n' % (s, off, cnt))
        o.write('};\n')
        o.write('static const uint16_t kn_syl_py[] = {\n')
        pyoff = []
        n = 0
        for s_ in syls:
            lst = [sid[x] for x in syl_py.get(s_, [])][:16]
            pyoff.append((n, len(lst)))
            if lst: o.write(','.join(map(str, lst)) + ',\n')
            n += len(lst)
        o.write('0};\n')
        o.write('static const struct kn_sylpy { uint32_t off, n; } kn_sylpy[] = {\n')
        for off, cnt in pyoff: o.write('    {%d, %d},\n' % (off, cnt))
        o.write('};\n')
        kmax = max(len(keys) for _, keys in han)
        o.write('static const struct kn_han { uint32_t cp; uint16_t k[%d]; uint8_t n; } kn_han[] = {\n' % kmax)
        for cp, keys in han:
            ks = [sid[k] for k in keys] + [0] * (kmax - len(keys))
            o.write('    {0x%X, {%s}, %d},\n' % (cp, ','.join(map(str, ks)), len(keys)))
        o.write('};\n')
    os.replace(a.out + '.tmp', a.out)
    print('names tables: %d titles, %d particles, %d variant words in %d groups, %d Han, %d syllables'
          % (len(titles), len(particles), len(variants), len(groups), len(han), len(syls)))

if __name__ == '__main__':
    main()
