/* Unit tests for lib/names: folding, parts, skeletons, variants, Han keys. */
#include "support.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "kouan/names.h"

/* From lib/names/names_internal.h: the two edit distances. */
unsigned kouan__names_osa_dp(const char *a, size_t an, const char *b, size_t bn);
unsigned kouan__names_osa_bits(const char *a, size_t an, const char *b, size_t bn);

static void fold_is(const char *in, const char *want)
{
    kouan_buf b;
    kouan_buf_init(&b, 0);
    assert_int_equal(kouan_names_fold(in, strlen(in), &b), KOUAN_OK);
    assert_string_equal(kouan_buf_cstr(&b), want);
    kouan_buf_free(&b);
}

static void test_fold_scripts(void **state)
{
    (void)state;
    fold_is("José  MARÍA-Pérez", "jose maria perez");
    fold_is("O'Brien", "obrien");
    fold_is("Владимир Владимирович Путин", "vladimir vladimirovich putin");
    fold_is("قصي صدام حسين التكريتي", "qsy sdam hsyn al tkryty");
    fold_is("عادل عبد الله مهدي", "aadl abd allah mhdy"); /* Allah is one word */
    fold_is("الله", "allah");
    fold_is("اللهب", "al lhb"); /* a longer word: the article */
    fold_is("王小明", "wang xiao ming");
    fold_is("Βλαντιμίρ Πούτιν", "vlantimir poutin");
}

/* Greek as Greek passports write it (ELOT 743), not the classical
 * Greek-Latin (BAROUPHAKES, EUANGELOS). */
static void test_fold_greek(void **state)
{
    (void)state;
    fold_is("Βασίλης Βαρουφάκης", "vasilis varoufakis");
    fold_is("Ευάγγελος Ευθύμιος ΕΥΑΓΓΕΛΟΣ", "evangelos efthymios evangelos");
    fold_is("Γκίκας Μπακογιάννη Ντόρα", "gkikas mpakogianni ntora"); /* as passports */
    fold_is("Χρήστος Ψαρράς Ξενοφών Ταΰγετος", "christos psarras xenofon taygetos");
}

/* Hebrew as the consonants Israeli passports write (ICU's Hebrew-Latin
 * gives YWSP PRZ): vowels unwritten, so the skeleton is what meets. */
static void test_fold_hebrew(void **state)
{
    (void)state;
    fold_is("משה כהן", "msha qhn"); /* COHEN: not the digraph KH */
    fold_is("יצחק לוי", "ytzhk lvy");
    fold_is("אברהם יוסף שמעון", "avrhm yosf shmaon");
    fold_is("שָׁלוֹם שָׂרָה", "shlom sra"); /* points left out, SIN is S */
    fold_is("בצלאל סמוטריץ׳ ג'ורג'", "btzlal smotrych jorj");
}

/* Thai: one word stays one part, silent letters and the vowel carrier
 * left out. */
static void test_fold_thai(void **state)
{
    (void)state;
    fold_is("ยิ่งลักษณ์ ชินวัตร", "yinglaks chinwatr");
    fold_is("ประยุทธ์ จันทร์โอชา", "prayuth chanthocha");
    fold_is("อนุทิน แพทองธาร", "anuthin phaethongthar");
}

/* Indic scripts: a word's final inherent vowel unsaid (not in a
 * conjunct), Tamil ச S, Ś and Ṣ SH. */
static void test_fold_indic(void **state)
{
    (void)state;
    fold_is("শেখ মুজিবুর রহমান", "shekh mujibur rahaman");
    fold_is("अमित शाह नरेन्द्र", "amit shah narendra");
    fold_is("சிவராம் கணேசன் பஞ்சாட்சரம்", "sivaram kanesan pancatsaram");
}

/* Armenian as Armenian passports write it: Ծ Ձ are TS DZ, not C J; Ռ is R;
 * an aspirate before Ո does not make it VO. */
static void test_fold_armenian(void **state)
{
    (void)state;
    fold_is("Գագիկ Ծառուկյան", "gagik tsarukyan");
    fold_is("Արամ Ձորյան", "aram dzoryan");
    fold_is("Ռոբերտ Քոչարյան Ոսկան", "robert kocharyan voskan");
    fold_is("Հովհաննիսյան Ղազարյան Երևան", "hovhannisyan ghazaryan yerevan");
}

static char *fold_of(const char *in)
{
    kouan_buf b;
    kouan_buf_init(&b, 0);
    assert_int_equal(kouan_names_fold(in, strlen(in), &b), KOUAN_OK);
    char *r = strdup(kouan_buf_cstr(&b));
    kouan_buf_free(&b);
    return r;
}

/* Each letter, between two others of its script, gives Latin letters of its
 * own: none is deleted. */
static void no_letter_lost(const char *around, const char *const *letters, size_t n)
{
    char *bare = fold_of(around);
    size_t half = strlen(around) / 2;
    for (size_t i = 0; i < n; i++) {
        char in[64];
        snprintf(in, sizeof in, "%.*s%s%s", (int)half, around, letters[i], around + half);
        char *f = fold_of(in);
        if (strlen(f) <= strlen(bare) || strchr(f, ' '))
            fail_msg("%s folds to \"%s\" (without the letter: \"%s\")", in, f, bare);
        free(f);
    }
    free(bare);
}

/* Cyrillic letters outside Russian are transliterated in the language the
 * name's letters tell (Serbian, Macedonian, Ukrainian, Kazakh ...), not
 * deleted. */
static void test_fold_cyrillic_languages(void **state)
{
    (void)state;
    fold_is("Радован Караџић", "radovan karadzic");
    fold_is("Ђорђе Ћосић", "dorde cosic");
    fold_is("Ѓорѓи Ќиро", "gorgi kiro");
    fold_is("Віталій Кличко", "vitaliy klychko");
    fold_is("Нұрсұлтан Әбішұлы", "nursultan abishuly");
    fold_is("Ҷӯраев", "jurayev");
    fold_is("Гулмурод Ҳалимов", "gulmurod khalimov"); /* Tajik Ҳ: KH, as through Russian */
    fold_is("Ҳамидов Ўткир", "hamidov utkir");      /* Uzbek, with Ў: H */
    fold_is("Жомарт Тоқаев", "zhomart toqaev"); /* Kazakh's Қ: ZH, not Kirghiz J */
    fold_is("Жанна Әлиева", "zhanna alieva");
    fold_is("Жоомарт Өтөмүшев", "joomart otomushev"); /* Ө Ү only: Kirghiz */
    /* Bulgarian (a Bulgarian given name, Ъ before a consonant, ЬО): Х is H */
    fold_is("Христо Стоичков", "hristo stoichkov");
    fold_is("ПЕТЪР ЩЕРЕВ", "petar shterev");
    fold_is("Мария Първанова", "maria parvanova");
    fold_is("Никита Хрущёв", "nikita khrushchev"); /* Russian stays KH, SHCH */
    fold_is("Подъячев Харитон", "podyachev khariton");
    fold_is("Владимир Путин", "vladimir putin"); /* Russian stays BGN/PCGN */
    static const char *const cyr[] = {"ђ", "ј", "љ", "њ", "ћ", "џ", "ѓ", "ќ", "ѕ", "і",
                                      "ї", "є", "ґ", "ў", "ә", "ө", "ү", "ұ", "қ", "ғ",
                                      "ң", "һ", "ҳ", "ҷ", "ӣ", "ӯ", "җ", "Ђ", "Ә", "Ҷ"};
    no_letter_lost("мама", cyr, sizeof cyr / sizeof cyr[0]);
}

/* Urdu and Pashto letters read as their Arabic and Persian equivalents;
 * Allah written with the Urdu HEH GOAL is one word. */
static void test_fold_urdu_pashto(void **state)
{
    (void)state;
    fold_is("ثناء اللہ غفاری", "thna allah ghfary");
    fold_is("ګلبدین", "glbdyn");
    fold_is("عامر علی چوہدری", "aamr aly chwdry"); /* CHAUDHRY */
    static const char *const ur[] = {"ہ", "ھ", "ے", "ں", "ٹ", "ڈ", "ڑ", "ګ",
                                     "څ", "ټ", "ډ", "ړ", "ڼ", "ږ", "ې", "ۍ"};
    no_letter_lost("بب", ur, sizeof ur / sizeof ur[0]);
}

/* Latin letters without a decomposition fold alike in both cases and are
 * not deleted. */
static void test_fold_latin_letters(void **state)
{
    (void)state;
    fold_is("Əhməd Əsədov", "ahmad asadov");
    fold_is("ƏHMƏD ƏSƏDOV", "ahmad asadov");
    fold_is("Ɓello Ɗangote Ƙano Ƴusuf", "bello dangote kano yusuf");
    fold_is("ƁELLO ƊANGOTE ƘANO ƳUSUF", "bello dangote kano yusuf");
    fold_is("Sɛkyɛrɛ SƐKYƐRƐ", "sekyere sekyere");
    fold_is("Ŋama ŊAMA Ɔkon ƆKON Ŧom ŦOM", "ngama ngama okon okon tom tom");
    fold_is("Sǿren Mǽr", "soren maer");
    char *a = fold_of("Երևան"), *b = fold_of("ԵՐԵՎԱՆ"); /* ech-yiwn is ev in both */
    assert_string_equal(a, b);
    free(a);
    free(b);
}

/* One set of apostrophes, all joining; Arabic vowel marks and alef wasla
 * do not stop the article being split; format characters are deleted. */
static void test_fold_marks(void **state)
{
    (void)state;
    static const char *const ap[] = {"'", "`", "\u2019", "\u2018", "\u00B4", "\uFF07", "\u02BC"};
    for (size_t i = 0; i < sizeof ap / sizeof ap[0]; i++) {
        char in[64];
        snprintf(in, sizeof in, "O%sBrien", ap[i]);
        fold_is(in, "obrien");
        snprintf(in, sizeof in, "José O%sBrien", ap[i]); /* with another non-ASCII letter */
        fold_is(in, "jose obrien");
    }
    fold_is("قصي صدام حسين ٱلتكريتي", "qsy sdam hsyn al tkryty");
    fold_is("اَلتكريتي", "al tkryty");
    fold_is("عَبْد", "abd");
    fold_is("عَبْدُ اللّٰه", "abd allah");
    fold_is("Ka\u00ADra\u00ADdzic", "karadzic");
    fold_is("Kara\u200Bdzic Kara\u2060dzic \uFEFFKaradzic Kara\u200Ddzic",
            "karadzic karadzic karadzic karadzic");
}

/* Each Hangul syllable block is a part of its own, as lists romanise a
 * Korean name syllable by syllable (KIM JONG UN) and as Han characters are:
 * its parts then have the Korean syllable keys of the Latin spelling. */
static void test_fold_hangul(void **state)
{
    (void)state;
    fold_is("김정은", "gim jeong eun");
    fold_is("최룡해", "choe lyong hae");
    kouan_name x, y;
    const char *s = "김정은";
    assert_int_equal(kouan_name_parse(s, strlen(s), &x), KOUAN_OK);
    assert_int_equal(kouan_name_parse("GIM JEONG EUN", 13, &y), KOUAN_OK);
    assert_int_equal(x.n, 3);
    for (size_t i = 0; i < 3; i++) {
        char kx[8], ky[8];
        assert_true(kouan_names_korean_key(x.parts[i].text, x.parts[i].len, kx) > 0);
        assert_true(kouan_names_korean_key(y.parts[i].text, y.parts[i].len, ky) > 0);
        assert_string_equal(kx, ky);
    }
}

static void test_parse_parts(void **state)
{
    (void)state;
    kouan_name n;
    const char *s = "Dr. Mohammed bin Abdullah AL-TIKRITI";
    assert_int_equal(kouan_name_parse(s, strlen(s), &n), KOUAN_OK);
    assert_int_equal(n.n, 5); /* title dropped */
    assert_string_equal(n.parts[0].text, "mohammed");
    assert_int_equal(n.parts[1].kind, KOUAN_PART_PARTICLE);
    assert_int_equal(n.parts[3].kind, KOUAN_PART_PARTICLE); /* al */
    assert_string_equal(n.parts[4].text, "tikriti");
    assert_true(n.script_latin);
    /* Consonant-only words typed in Latin are initials; transliterated from
     * Arabic they are words (فضل "fdl"). */
    assert_int_equal(kouan_name_parse("JC Smith", 8, &n), KOUAN_OK);
    assert_int_equal(n.n, 3);
    assert_int_equal(n.parts[0].kind, KOUAN_PART_INITIAL);
    /* ... but Mc written apart is the start of a Gaelic name. */
    assert_int_equal(kouan_name_parse("Ronan MC DONALD", 15, &n), KOUAN_OK);
    assert_int_equal(n.n, 3);
    assert_string_equal(n.parts[1].text, "mc");
    assert_int_equal(n.parts[1].kind, KOUAN_PART_WORD);
    /* The Persian values of THEH, THAL, DAD and ZAH: part for part. */
    kouan_name alt;
    s = "عبد الحق وثيق";
    assert_int_equal(kouan_name_parse(s, strlen(s), &n), KOUAN_OK);
    assert_true(kouan_name_parse_persian(s, strlen(s), &n, &alt));
    assert_int_equal(alt.n, n.n);
    assert_string_equal(n.parts[n.n - 1].text, "wthyq");
    assert_string_equal(alt.parts[n.n - 1].text, "wsyq");
    assert_string_equal(alt.parts[0].text, n.parts[0].text);
    s = "محمد عمر ځدران"; /* Pashto DZE is Z in the Latin spelling */
    assert_int_equal(kouan_name_parse(s, strlen(s), &n), KOUAN_OK);
    assert_true(kouan_name_parse_persian(s, strlen(s), &n, &alt));
    assert_string_equal(n.parts[2].text, "zdran");
    assert_string_equal(alt.parts[2].text, "zdran");
    s = "محمد يونس";
    assert_int_equal(kouan_name_parse(s, strlen(s), &n), KOUAN_OK);
    assert_false(kouan_name_parse_persian(s, strlen(s), &n, &alt)); /* none of the four */
    s = "فضل رحيم";
    assert_int_equal(kouan_name_parse(s, strlen(s), &n), KOUAN_OK);
    assert_int_equal(n.n, 2);
    assert_string_equal(n.parts[0].text, "fdl");
    assert_int_equal(n.parts[0].kind, KOUAN_PART_WORD);
    assert_false(n.script_latin);
    /* Religious honorifics in the spellings lists and passports use. */
    s = "Mullah HADJI Abdul Manan";
    assert_int_equal(kouan_name_parse(s, strlen(s), &n), KOUAN_OK);
    assert_int_equal(n.n, 2);
    assert_string_equal(n.parts[0].text, "abdul");
    s = "Maulavi Alhaj Mohammad Omar";
    assert_int_equal(kouan_name_parse(s, strlen(s), &n), KOUAN_OK);
    assert_int_equal(n.n, 2);
    assert_string_equal(n.parts[1].text, "omar");
    /* An honorific behind the name, after the article, is a family name;
     * before the name (even after an article) it is a title. */
    s = "OMAR ALI EL SHEIKH";
    assert_int_equal(kouan_name_parse(s, strlen(s), &n), KOUAN_OK);
    assert_int_equal(n.n, 4);
    assert_string_equal(n.parts[3].text, "sheikh");
    assert_int_equal(n.parts[3].kind, KOUAN_PART_WORD);
    s = "Al Haji Mohammad Omar";
    assert_int_equal(kouan_name_parse(s, strlen(s), &n), KOUAN_OK);
    assert_int_equal(n.n, 3);
    assert_string_equal(n.parts[1].text, "mohammad");
    s = "Omar Ali Sheikh";
    assert_int_equal(kouan_name_parse(s, strlen(s), &n), KOUAN_OK);
    assert_int_equal(n.n, 2);
    /* A given name written where none is known (FNU, NFN, UNKNOWN, XXX) is
     * dropped as a title is; a lone X stays an initial. */
    static const char *const unknown[] = {"FNU SUHARTO", "NFN<SUHARTO", "SUHARTO<<UNKNOWN",
                                          "XXX Suharto", "LNU, Suharto"};
    for (size_t i = 0; i < sizeof unknown / sizeof unknown[0]; i++) {
        assert_int_equal(kouan_name_parse(unknown[i], strlen(unknown[i]), &n), KOUAN_OK);
        assert_int_equal(n.n, 1);
        assert_string_equal(n.parts[0].text, "suharto");
    }
    assert_int_equal(kouan_name_parse("Malcolm X", 9, &n), KOUAN_OK);
    assert_int_equal(n.n, 2);
    assert_int_equal(kouan_name_parse("FNU", 3, &n), KOUAN_OK);
    assert_int_equal(n.n, 1);
    /* Only a title: kept rather than leaving nothing. */
    assert_int_equal(kouan_name_parse("General", 7, &n), KOUAN_OK);
    assert_int_equal(n.n, 1);
    assert_int_equal(kouan_name_parse(" -- ", 4, &n), KOUAN_ERR_INVALID);
    assert_int_equal(n.n, 0);
}

static void test_skeleton_variants(void **state)
{
    (void)state;
    char a[40], b[40];
    kouan_names_skeleton_str("mohammed", 8, a, sizeof a);
    kouan_names_skeleton_str("muhammad", 8, b, sizeof b);
    assert_string_equal(a, b);
    kouan_names_skeleton_str("mhmd", 4, b, sizeof b); /* Arabic script transliterated */
    assert_string_equal(a, b);
    assert_int_equal(kouan_names_skeleton("hussein", 7), kouan_names_skeleton("husayn", 6));
    assert_int_equal(kouan_names_skeleton("yusuf", 5), kouan_names_skeleton("youssef", 7));
    assert_int_equal(kouan_names_skeleton("djamel", 6), kouan_names_skeleton("jamal", 5));
    assert_int_not_equal(kouan_names_skeleton("smith", 5), kouan_names_skeleton("jones", 5));
    assert_true(kouan_names_is_particle("ibn", 3));
    assert_true(kouan_names_is_title("sheikh", 6));
    assert_false(kouan_names_is_particle("putin", 5));
}

static void test_compare(void **state)
{
    (void)state;
    kouan_name x, y;
    assert_int_equal(kouan_name_parse("Youssef", 7, &x), KOUAN_OK);
    assert_int_equal(kouan_name_parse("Yusuf", 5, &y), KOUAN_OK);
    kouan_part_match m = kouan_names_part_compare(&x.parts[0], &y.parts[0]);
    assert_true(m.sim >= 0.85);
    assert_int_equal(kouan_name_parse("Smith", 5, &y), KOUAN_OK);
    m = kouan_names_part_compare(&x.parts[0], &y.parts[0]);
    assert_true(m.sim < 0.5);
    /* Equal skeletons: other vowels, or none (a transliteration), but not
     * a word more than twice as long as the other. */
    assert_int_equal(kouan_name_parse("Gon", 3, &x), KOUAN_OK);
    assert_int_equal(kouan_name_parse("Gunawan", 7, &y), KOUAN_OK);
    m = kouan_names_part_compare(&x.parts[0], &y.parts[0]);
    assert_true(m.sim < 0.8);
    assert_int_equal(kouan_name_parse("Hsn", 3, &x), KOUAN_OK);
    assert_int_equal(kouan_name_parse("Hussein", 7, &y), KOUAN_OK);
    m = kouan_names_part_compare(&x.parts[0], &y.parts[0]);
    assert_true(m.sim >= 0.85);
    assert_true(kouan_names_edit_sim("abc", 3, "abc", 3) == 1.0);
    assert_true(kouan_names_edit_sim("abcd", 4, "abdc", 4) >= 0.74); /* transposition */
}

static double part_sim(const char *a, const char *b)
{
    kouan_name x, y;
    assert_int_equal(kouan_name_parse(a, strlen(a), &x), KOUAN_OK);
    assert_int_equal(kouan_name_parse(b, strlen(b), &y), KOUAN_OK);
    return kouan_names_part_compare(&x.parts[0], &y.parts[0]).sim;
}

/* Each pair's part similarity lies in [lo, hi). */
static void sims_within(const char *const (*pairs)[2], size_t n, double lo, double hi)
{
    for (size_t i = 0; i < n; i++) {
        double v = part_sim(pairs[i][0], pairs[i][1]);
        if (v < lo || v >= hi)
            fail_msg("%s ~ %s: %.3f", pairs[i][0], pairs[i][1], v);
    }
}

/* ICAO Doc 9303 writes Ü, Ö, Ä, Å as UE, OE, AE, AA: the same letter as
 * the list's diacritic (folded away) or its plain letter, not a phonetic
 * likeness. Chinese syllables (XUE, XU) and short Korean ones (CHOE, CHO;
 * BAEK, BAK) that differ so are other names. */
static const char *const icao_same[][2] = {
    {"MUELLER", "Müller"},    {"JUERGEN", "JURGEN"}, {"OEBERG", "Öberg"}, {"AASA", "Åsa"},
    {"AAKE", "Åke"},          {"STROEM", "Ström"},   {"RAESAENEN", "Räsänen"},
    {"PAEIVI", "Päivi"},      {"OEMER", "Ömer"},     {"OEZDEMIR", "OZDEMIR"}};
static const char *const icao_other[][2] = {
    {"XUE", "XU"}, {"YUE", "YU"}, {"CHOE", "CHO"}, {"BAEK", "BAK"}, {"PAEK", "PAK"}};

static void test_icao_transcriptions(void **state)
{
    (void)state;
    sims_within(icao_same, sizeof icao_same / sizeof icao_same[0], 0.98, 1.01);
    sims_within(icao_other, sizeof icao_other / sizeof icao_other[0], 0.0, 0.98);
}

/* A Russian name in the ICAO Doc 9303 spelling of passports (Е as E, Ю as
 * IU, Я as IA, Й as I) meets the BGN/PCGN spelling of the lists (YE, YU,
 * YA, Y) and the popular one between them: as one part, in its skeleton
 * (the key a listed name is found by) and in its variant group. */
static void test_russian_romanisations(void **state)
{
    (void)state;
    static const char *const pairs[][2] = {
        {"Evgenii", "Yevgeniy"}, {"Evgeny", "Yevgeniy"}, {"Elena", "Yelena"},
        {"Iurii", "Yuriy"},      {"Iurii", "Yuri"},      {"Iuliia", "Yuliya"},
        {"Tatiana", "Tatyana"},  {"Egor", "Yegor"},      {"Ekaterina", "Yekaterina"},
        {"Sergeevich", "Sergeyevich"}, {"Evtushenkov", "Yevtushenkov"}, {"Petr", "Pyotr"},
        {"Chaika", "Chayka"},    {"Ian", "Yan"},
    };
    sims_within(pairs, sizeof pairs / sizeof pairs[0], 0.9, 1.01);
    char x[40], y[40];
    kouan_names_skeleton_str("iurii", 5, x, sizeof x);
    kouan_names_skeleton_str("yuriy", 5, y, sizeof y);
    assert_string_equal(x, y);
    kouan_names_skeleton_str("evtushenkov", 11, x, sizeof x);
    kouan_names_skeleton_str("yevtushenkov", 12, y, sizeof y);
    assert_string_equal(x, y);
    assert_int_not_equal(kouan_names_variant("evgenii", 7), 0);
    assert_int_equal(kouan_names_variant("evgenii", 7), kouan_names_variant("yevgeniy", 8));
    assert_int_equal(kouan_names_variant("egor", 4), kouan_names_variant("yegor", 5));
    /* Other names keep their Y: YEZID is YAZID (one skeleton), not EZID; a
     * Korean YEJIN is not EJIN. */
    kouan_names_skeleton_str("yezid", 5, x, sizeof x);
    kouan_names_skeleton_str("yazid", 5, y, sizeof y);
    assert_string_equal(x, y);
    assert_true(part_sim("Yejin", "Ejin") < 0.9);
    assert_true(part_sim("Yusuf", "Asif") < 0.8);
}

/* The bit-parallel edit distance equals the row-by-row one: on random
 * words over small alphabets (many repeats, transpositions, shared letters)
 * of every length up to a part's maximum, and the bounded similarity is
 * exact at and above its bar, 0 below it. */
static void test_edit_distance_agree(void **state)
{
    (void)state;
    unsigned long x = 12345;
    char a[KOUAN_NAME_MAX_TOKEN], b[KOUAN_NAME_MAX_TOKEN];
    for (int t = 0; t < 200000; t++) {
        x = x * 6364136223846793005ul + 1442695040888963407ul;
        size_t an = (x >> 33) % (KOUAN_NAME_MAX_TOKEN + 1);
        size_t bn = (x >> 45) % (KOUAN_NAME_MAX_TOKEN + 1);
        if (t % 3 == 0 && an > 12)
            an %= 12, bn %= 12; /* mostly name-sized */
        size_t alpha = 2 + (x >> 20) % 5;
        for (size_t i = 0; i < an; i++) {
            x = x * 6364136223846793005ul + 1442695040888963407ul;
            a[i] = (char)('a' + (x >> 40) % alpha);
        }
        for (size_t i = 0; i < bn; i++) {
            x = x * 6364136223846793005ul + 1442695040888963407ul;
            b[i] = (char)('a' + (x >> 40) % alpha);
        }
        if (t % 2 && an == bn && an > 1) { /* b: a with one swap */
            memcpy(b, a, an);
            size_t k = (x >> 7) % (an - 1);
            char c = b[k];
            b[k] = b[k + 1];
            b[k + 1] = c;
        }
        unsigned d = kouan__names_osa_dp(a, an, b, bn);
        assert_int_equal(kouan__names_osa_bits(a, an, b, bn), d);
        size_t m = an > bn ? an : bn;
        if (m == 0)
            continue;
        double sim = kouan_names_edit_sim(a, an, b, bn);
        double bar = 0.5 + (double)(t % 5) * 0.08;
        double bounded = kouan_names_edit_sim_min(a, an, b, bn, bar);
        if (sim >= bar)
            assert_true(bounded == sim);
        else
            assert_true(bounded < bar);
    }
    assert_int_equal(kouan__names_osa_bits("abcd", 4, "abdc", 4), 1);
    assert_int_equal(kouan__names_osa_bits("ca", 2, "abc", 3), 3); /* OSA, not full Damerau */
    assert_int_equal(kouan__names_osa_bits("", 0, "abc", 3), 3);
}

static void test_han(void **state)
{
    (void)state;
    const char *k[6];
    size_t n = kouan_names_han_keys(0x738B, k, 6); /* 王 */
    assert_true(n >= 2);
    assert_string_equal(k[0], "wang");
    int wong = 0;
    for (size_t i = 0; i < n; i++)
        wong |= !strcmp(k[i], "wong");
    assert_true(wong);
    assert_true(kouan_names_han_equiv("wang", 4, "wong", 4));
    assert_true(kouan_names_han_equiv("zhang", 5, "cheung", 6));
    assert_true(kouan_names_han_equiv("chen", 4, "chan", 4));
    /* Traditional and simplified forms read the same. */
    const char *a[6], *b[6];
    assert_true(kouan_names_han_keys(0x9648, a, 6) > 0); /* 陈 */
    assert_true(kouan_names_han_keys(0x9673, b, 6) > 0); /* 陳 */
    assert_string_equal(a[0], b[0]);
}

/* Korean syllables: one block's romanisations share a key, other blocks
 * (family names PAK and PAEK, JANG and JONG) do not; words that are not one
 * syllable have none. */
static int kkey_eq(const char *a, const char *b)
{
    char ka[8], kb[8];
    assert_true(kouan_names_korean_key(a, strlen(a), ka) > 0);
    assert_true(kouan_names_korean_key(b, strlen(b), kb) > 0);
    return strcmp(ka, kb) == 0;
}

static void test_korean(void **state)
{
    (void)state;
    static const char *same[][2] = {
        {"pak", "bak"},   {"pak", "park"},  {"paek", "baek"}, {"paek", "paik"},
        {"jong", "jeong"}, {"jong", "jung"}, {"jong", "chong"}, {"ri", "yi"},
        {"ri", "lee"},    {"rim", "im"},    {"ryu", "yu"},    {"ro", "no"},
        {"hyok", "hyeok"}, {"kim", "gim"},  {"yun", "yoon"},  {"choe", "choi"},
        {"song", "sung"}, {"il", "eel"},    {"noh", "no"},    {"kyu", "gyu"},
    };
    static const char *other[][2] = {
        {"pak", "paek"}, {"jang", "jong"}, {"yong", "jong"}, {"kim", "kang"},
        {"han", "hyon"}, {"il", "kil"},    {"sik", "suk"},   {"kwak", "kak"},
        {"ri", "ro"},    {"myong", "yong"},
    };
    for (size_t i = 0; i < sizeof same / sizeof same[0]; i++)
        if (!kkey_eq(same[i][0], same[i][1]))
            fail_msg("%s and %s should share a key", same[i][0], same[i][1]);
    for (size_t i = 0; i < sizeof other / sizeof other[0]; i++)
        if (kkey_eq(other[i][0], other[i][1]))
            fail_msg("%s and %s should not share a key", other[i][0], other[i][1]);
    char k[8];
    static const char *not_one[] = {"khan", "ali", "omar", "mohammed", "abdul", "smith", ""};
    for (size_t i = 0; i < sizeof not_one / sizeof not_one[0]; i++)
        assert_int_equal(kouan_names_korean_key(not_one[i], strlen(not_one[i]), k), 0);
    assert_int_equal(kouan_names_korean_key(NULL, 3, k), 0);
    /* Within one key: the vowel written alike, or not. */
    static const struct { const char *a, *b; int alike; } v[] = {
        {"park", "pak", 1}, {"jeong", "jong", 1}, {"yoon", "yun", 1}, {"paik", "paek", 1},
        {"ku", "ko", 0},    {"sung", "song", 0},  {"ryong", "yong", 0}, {"jung", "jong", 0},
    };
    for (size_t i = 0; i < sizeof v / sizeof v[0]; i++)
        if (kouan_names_korean_vowels_alike(v[i].a, strlen(v[i].a), v[i].b, strlen(v[i].b)) !=
            v[i].alike)
            fail_msg("%s and %s: vowels alike should be %d", v[i].a, v[i].b, v[i].alike);
}

static void test_bad_input(void **state)
{
    (void)state;
    kouan_name n;
    size_t big = 100 * 1024;
    char *s = malloc(big);
    for (size_t i = 0; i < big; i++)
        s[i] = (char)("ab \xd0\xb6\xff"[i % 6]);
    assert_true(kouan_name_parse(s, big, &n) == KOUAN_OK);
    assert_true(n.truncated);
    assert_true(n.n <= KOUAN_NAME_MAX_TOKENS);
    const char bad[] = "\xc3\x28 \xe2\x82 abc \xf0\x90\x28\xbc";
    assert_int_equal(kouan_name_parse(bad, sizeof bad - 1, &n), KOUAN_OK);
    assert_string_equal(n.parts[n.n - 1].text, "abc");
    free(s);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_fold_scripts), cmocka_unit_test(test_fold_cyrillic_languages),
        cmocka_unit_test(test_fold_greek), cmocka_unit_test(test_fold_armenian),
        cmocka_unit_test(test_fold_hebrew), cmocka_unit_test(test_fold_thai),
        cmocka_unit_test(test_fold_indic),
        cmocka_unit_test(test_fold_urdu_pashto), cmocka_unit_test(test_fold_latin_letters),
        cmocka_unit_test(test_fold_marks), cmocka_unit_test(test_fold_hangul),
        cmocka_unit_test(test_parse_parts),
        cmocka_unit_test(test_skeleton_variants), cmocka_unit_test(test_compare),
        cmocka_unit_test(test_icao_transcriptions),
        cmocka_unit_test(test_russian_romanisations),
        cmocka_unit_test(test_edit_distance_agree),
        cmocka_unit_test(test_han), cmocka_unit_test(test_korean),
        cmocka_unit_test(test_bad_input),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
