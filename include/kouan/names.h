/* Person names for matching: any script in, comparable Latin parts out.
 *
 * Pipeline (kouan_name_parse):
 *   UTF-8 → words → each word: pure ASCII as is; Latin script decomposed
 *   with the marks dropped; other scripts through the ICU transform of
 *   their script (Cyrillic by BGN/PCGN); Han characters through kouan's own
 *   Unihan tables, one syllable per character → lower-case ASCII letters
 *   and digits → parts. Each part is classified: a title (dropped), a
 *   particle (bin, ibn, al, von, de ... kept with no weight), an initial,
 *   or a name word. Words also get their variant group (Mohammed/Muhammad
 *   ..., from tables generated at build time out of kouan's reference
 *   data), a phonetic skeleton and their Chinese syllable information.
 *
 * All functions are thread-safe: the tables are read-only; each thread has
 * its own ICU transforms and a cache of words already folded (freed when
 * the thread exits). No function here does I/O.
 */
#ifndef KOUAN_NAMES_H
#define KOUAN_NAMES_H

#include <stddef.h>
#include <stdint.h>

#include "kouan/buf.h"
#include "kouan/err.h"

#define KOUAN_NAME_MAX_TOKENS 16   /* parts kept from one name */
#define KOUAN_NAME_MAX_TOKEN 32    /* bytes of one part (longer are cut) */
#define KOUAN_NAME_MAX_INPUT 4096  /* bytes of input read from one name */

typedef enum kouan_name_part_kind {
    KOUAN_PART_WORD = 0,
    KOUAN_PART_PARTICLE, /* bin, ibn, al, el, abu, von, van, de, da ... */
    KOUAN_PART_INITIAL,  /* a single letter */
} kouan_name_part_kind;

typedef struct kouan_name_part {
    char text[KOUAN_NAME_MAX_TOKEN + 1]; /* lower-case ASCII a-z0-9 */
    uint8_t len;
    uint8_t kind;        /* kouan_name_part_kind */
    uint8_t han;         /* 1: came from a Han character (a syllable) */
    uint32_t cp;         /* that character's code point (0 otherwise) */
    uint16_t syl;        /* Chinese syllable id + 1 when the word is one, else 0 */
    uint8_t cut;         /* where it splits into two syllables, 0 when not */
    uint16_t cut_syl[2]; /* the two syllables' ids + 1 when cut */
    uint32_t variant;    /* variant group id, 0 when none */
    uint8_t skel_len;
    char skel[KOUAN_NAME_MAX_TOKEN + 1]; /* phonetic skeleton (see below) */
    uint64_t skeleton;   /* hash of skel from kouan_name_parse (0 if empty);
                            comparisons use skel itself */
} kouan_name_part;

typedef struct kouan_name {
    size_t n;
    kouan_name_part parts[KOUAN_NAME_MAX_TOKENS];
    int script_latin;    /* 1 when the input had no letters outside Latin */
    int truncated;       /* 1 when parts or bytes were cut at a cap */
} kouan_name;

/* Parse a UTF-8 name (n bytes, need not be NUL-terminated). Invalid UTF-8
 * bytes are treated as separators. Titles (Mr, Dr, Sheikh, General ...) and
 * the placeholders of an unknown given name (FNU, NFN, UNKNOWN, XXX ...) are
 * dropped, unless nothing else is left. Returns KOUAN_ERR_INVALID when no part remains (*out is then
 * empty but valid), KOUAN_ERR_NOMEM. Inputs above KOUAN_NAME_MAX_INPUT are
 * read up to that many bytes and flagged truncated. */
kouan_err kouan_name_parse(const char *s, size_t n, kouan_name *out);

/* The same name (s, n bytes, parsed into nm) read with the Persian,
 * Pashto and Urdu values of four Arabic letters: THEH as S, THAL, DAD and
 * ZAH as Z. Transliteration gives them their Arabic values (TH, DH, D,
 * Z), but Afghan, Pakistani and Iranian names are written in Latin
 * letters with the others: وثيق is WASIQ, نذير NAZIR, فضل FAZAL. Pashto's
 * DZE, which transliteration reads as D, is read as Z too: ځدران is
 * ZADRAN. Returns 1
 * when the name holds any of them and *alt has as many parts as nm, part
 * for part; 0 otherwise (*alt is then not to be read). */
int kouan_name_parse_persian(const char *s, size_t n, const kouan_name *nm, kouan_name *alt);

/* Fill one part from a lower-case ASCII word (kind, variant, skeleton,
 * syllable information), as kouan_name_parse does for each word. */
void kouan_name_part_init(kouan_name_part *p, const char *w, size_t n, int han);

/* Create the calling thread's transliterators now (each costs milliseconds
 * on first use); a server calls it when a worker thread starts so that no
 * traveller's query pays for it. Optional. */
kouan_err kouan_names_thread_init(void);

/* Fold a UTF-8 string to lower-case ASCII words separated by one space
 * (transliterating any script); the text that kouan_name_parse tokenises.
 * Appends to b. */
kouan_err kouan_names_fold(const char *s, size_t n, kouan_buf *b);

/* 1 when the UTF-8 text holds a letter outside the Latin script. */
int kouan_names_is_non_latin(const char *s, size_t n);

/* Similarity of two parts in [0,1] and how it was reached: one of
 * "exact", "variant", "han" (same Chinese character romanised two ways),
 * "phonetic", "edit", "initial", "prefix" or "none". */
typedef struct kouan_part_match {
    double sim;
    const char *how;
} kouan_part_match;
kouan_part_match kouan_names_part_compare(const kouan_name_part *a,
                                          const kouan_name_part *b);

/* Variant group of a lower-case ASCII word; 0 when it belongs to none. */
uint32_t kouan_names_variant(const char *w, size_t n);
/* Phonetic skeleton of a lower-case ASCII word: doubled letters folded,
 * digraphs (kh sh ch th gh dh zh ph) as one sound, vowels and inner w/y/
 * dropped, q c x → k, p → b, v w → f (Arabic script has no p or v).
 * Mohammed, Muhammad and the Arabic-script
 * spelling's transliteration "mhmd" share "mhmd". Writes at most cap-1
 * bytes and a NUL into out; returns the length. */
size_t kouan_names_skeleton_str(const char *w, size_t n, char *out, size_t cap);
/* 64-bit hash of the skeleton (0 for an empty one). */
uint64_t kouan_names_skeleton(const char *w, size_t n);
/* FNV-1a 64 of bytes, the hash used for name keys. */
uint64_t kouan_names_hash(const void *p, size_t n);
/* 1 when the lower-case ASCII word is a name particle. */
int kouan_names_is_particle(const char *w, size_t n);
/* 1 when the lower-case ASCII word is a title or honorific to drop. */
int kouan_names_is_title(const char *w, size_t n);

/* Chinese: up to `max` romanisation keys of one Han code point (Mandarin
 * pinyin without tones, its Wade-Giles form, Cantonese in Hong Kong
 * spelling), simplified and traditional forms folded. Returns how many were
 * written; each key is a NUL-terminated lower-case ASCII string. */
size_t kouan_names_han_keys(uint32_t cp, const char **keys, size_t max);
/* 1 when the two lower-case ASCII syllables are romanisations of one common
 * Han character (e.g. "wang" and "wong"). */
int kouan_names_han_equiv(const char *a, size_t an, const char *b, size_t bn);

/* The most common Han character both syllables romanise, as an id that
 * grows as the character gets rarer (1 = most common); 0 when none. */
uint32_t kouan_names_han_common(const char *a, size_t an, const char *b, size_t bn);
/* Candidate classes of a syllable: the Mandarin readings of the common Han
 * characters it romanises, as ids, commonest first ("wong" → wang, huang).
 * Returns how many were written (at most max). */
size_t kouan_names_han_classes(const char *w, size_t n, uint32_t *out, size_t max);

/* The same classes for a syllable given as its id + 1 (kouan_name_part's
 * syl and cut_syl); 0 when none. */
size_t kouan_names_syl_classes(uint16_t syl, uint32_t *out, size_t max);

/* Where a word splits into two Chinese syllables ("sima" → si|ma): writes
 * up to max cut positions, returns how many. */
size_t kouan_names_han_splits(const char *w, size_t n, size_t *cuts, size_t max);

/* Korean: the key of a word read as one romanised Hangul syllable, its
 * romanisations folded (PAK, BAK and PARK; JONG, JEONG and JUNG; RI, YI
 * and LEE) and its blocks kept apart (PAK and PAEK, JANG and JONG, YONG and
 * JONG). Writes at most 3 bytes and a NUL; returns the length, 0 when the
 * word is not one syllable's shape. */
size_t kouan_names_korean_key(const char *w, size_t n, char out[8]);
/* 1 when two romanised Korean syllables write their vowel alike, spelling
 * variants aside (PARK and PAK, JEONG and JONG, YOON and YUN; not KU and KO,
 * SUNG and SONG, nor RYONG and YONG, whose initial fell away). */
int kouan_names_korean_vowels_alike(const char *a, size_t an, const char *b, size_t bn);

/* Normalised edit similarity in [0,1] (Damerau-Levenshtein based). */
double kouan_names_edit_sim(const char *a, size_t an, const char *b, size_t bn);
/* The same similarity when it is at least min_sim; 0.0 when it is below
 * (found sooner: the distance stops once it cannot stay within the bar). */
double kouan_names_edit_sim_min(const char *a, size_t an, const char *b, size_t bn,
                                double min_sim);

#endif
