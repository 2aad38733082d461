/* LDS elementary files (Doc 9303 Part 10): EF.COM, DG1 (MRZ), DG2 (face
 * image in its ISO/IEC 19794-5 or 39794-5 container), DG14 (security infos)
 * and DG15 (active authentication key), read over views with the TLV
 * reader; nothing is allocated and nothing read outside the given bytes. */
#include "emrtd_internal.h"

#include <stdio.h>
#include <string.h>

#include <openssl/err.h>

/* The one TLV of a file with the expected outer tag (trailing bytes are
 * tolerated: chips pad files). */
static int outer(const uint8_t *p, size_t n, uint32_t tag, der_tlv *t)
{
    size_t used;
    return p && !kouan__der_read(p, n, t, &used) && t->tag == tag ? 0 : -1;
}

kouan_err kouan_emrtd_dg1_mrz(const uint8_t *p, size_t n, char *out, size_t cap,
                              size_t *out_len)
{
    der_tlv dg, mrz;
    der_iter it;
    if (cap)
        out[0] = '\0';
    *out_len = 0;
    if (outer(p, n, 0x61, &dg))
        return KOUAN_ERR_PARSE;
    der_iter_init(&it, &dg);
    int r;
    while ((r = kouan__der_next(&it, &mrz)) == 1 && mrz.tag != 0x5F1F)
        ;
    if (r != 1)
        return KOUAN_ERR_PARSE;
    size_t line;
    switch (mrz.vn) {
    case 90: line = 30; break;
    case 72: line = 36; break;
    case 88: line = 44; break;
    default: return KOUAN_ERR_PARSE;
    }
    size_t lines = mrz.vn / line;
    if (cap < mrz.vn + lines)
        return KOUAN_ERR_TOO_LARGE;
    size_t o = 0;
    for (size_t i = 0; i < lines; i++) {
        if (i)
            out[o++] = '|';
        for (size_t k = 0; k < line; k++) {
            uint8_t c = mrz.v[i * line + k];
            if (c < 0x20 || c > 0x7E)
                return KOUAN_ERR_PARSE;
            out[o++] = (char)c;
        }
    }
    out[o] = '\0';
    *out_len = o;
    return KOUAN_OK;
}

/* ---- DG2 ------------------------------------------------------------------ */

static kouan_emrtd_image_type sniff(const uint8_t *p, size_t n)
{
    static const uint8_t jp2[] = {0, 0, 0, 0x0C, 'j', 'P', ' ', ' '};
    if (n >= 3 && p[0] == 0xFF && p[1] == 0xD8 && p[2] == 0xFF)
        return KOUAN_EMRTD_IMAGE_JPEG;
    if (n >= sizeof jp2 && !memcmp(p, jp2, sizeof jp2))
        return KOUAN_EMRTD_IMAGE_JPEG2000;
    if (n >= 4 && p[0] == 0xFF && p[1] == 0x4F && p[2] == 0xFF && p[3] == 0x51)
        return KOUAN_EMRTD_IMAGE_JPEG2000;
    return KOUAN_EMRTD_IMAGE_UNKNOWN;
}

static uint32_t be(const uint8_t *p, int k)
{
    uint32_t v = 0;
    for (int i = 0; i < k; i++)
        v = (v << 8) | p[i];
    return v;
}

/* ISO/IEC 19794-5: "FAC\0" "010\0" length(4) faces(2), then per face a
 * 20-byte header, 8 bytes per feature point, a 12-byte image header and
 * the image. */
static kouan_err iso19794(const uint8_t *p, size_t n, kouan_emrtd_face *f)
{
    if (n < 14 || memcmp(p, "FAC\0", 4))
        return KOUAN_ERR_PARSE;
    if (be(p + 12, 2) == 0)
        return KOUAN_ERR_NOT_FOUND;
    const uint8_t *r = p + 14;
    size_t rn = n - 14;
    if (rn < 32)
        return KOUAN_ERR_PARSE;
    uint32_t block = be(r, 4);
    uint32_t nfp = be(r + 4, 2);
    size_t head = 20 + (size_t)nfp * 8;
    if (block > rn || block < head + 12)
        return KOUAN_ERR_PARSE;
    const uint8_t *ii = r + head;
    f->width = (int)be(ii + 2, 2);
    f->height = (int)be(ii + 4, 2);
    f->image = ii + 12;
    f->image_len = block - head - 12;
    f->type = sniff(f->image, f->image_len);
    if (f->type == KOUAN_EMRTD_IMAGE_UNKNOWN)
        f->type = ii[1] == 0 ? KOUAN_EMRTD_IMAGE_JPEG
                : ii[1] == 1 ? KOUAN_EMRTD_IMAGE_JPEG2000
                             : KOUAN_EMRTD_IMAGE_UNKNOWN;
    return f->image_len ? KOUAN_OK : KOUAN_ERR_NOT_FOUND;
}

/* ISO/IEC 39794-5 is a tagged tree: the image is the primitive that holds
 * a JPEG or JPEG 2000 signature (the first such, depth first). */
static int find_image(const der_tlv *t, int depth, kouan_emrtd_face *f)
{
    if (depth > 16)
        return 0;
    if (!t->constructed) {
        kouan_emrtd_image_type ty = sniff(t->v, t->vn);
        if (ty == KOUAN_EMRTD_IMAGE_UNKNOWN)
            return 0;
        f->image = t->v;
        f->image_len = t->vn;
        f->type = ty;
        return 1;
    }
    der_iter it;
    der_tlv c;
    der_iter_init(&it, t);
    while (kouan__der_next(&it, &c) == 1)
        if (find_image(&c, depth + 1, f))
            return 1;
    return 0;
}

kouan_err kouan_emrtd_dg2_face(const uint8_t *p, size_t n, kouan_emrtd_face *f)
{
    memset(f, 0, sizeof *f);
    if (!p)
        return KOUAN_ERR_INVALID;
    if (n >= 4 && !memcmp(p, "FAC\0", 4))
        return iso19794(p, n, f);
    der_tlv dg, grp, t, bit;
    if (outer(p, n, 0x75, &dg))
        return KOUAN_ERR_PARSE;
    der_iter it;
    der_iter_init(&it, &dg);
    if (kouan__der_next(&it, &grp) != 1 || grp.tag != 0x7F61)
        return KOUAN_ERR_PARSE;
    der_iter gi;
    der_iter_init(&gi, &grp);
    int r;
    while ((r = kouan__der_next(&gi, &bit)) == 1) {
        if (bit.tag != 0x7F60)
            continue;
        der_iter bi;
        der_iter_init(&bi, &bit);
        while (kouan__der_next(&bi, &t) == 1) {
            if (t.tag == 0x5F2E)
                return iso19794(t.v, t.vn, f);
            if (t.tag == 0x7F2E) {
                f->iso39794 = 1;
                return find_image(&t, 0, f) ? KOUAN_OK : KOUAN_ERR_NOT_FOUND;
            }
        }
        if (bi.err)
            return KOUAN_ERR_PARSE;
    }
    return r < 0 ? KOUAN_ERR_PARSE : KOUAN_ERR_NOT_FOUND;
}

const char *kouan_emrtd_image_type_name(kouan_emrtd_image_type t)
{
    switch (t) {
    case KOUAN_EMRTD_IMAGE_JPEG: return "jpeg";
    case KOUAN_EMRTD_IMAGE_JPEG2000: return "jpeg2000";
    default: return "unknown";
    }
}

/* ---- info ------------------------------------------------------------------ */

static const char *dg_tag_name(uint8_t tag)
{
    static const struct { uint8_t tag; const char *name; } tags[] = {
        {0x61, "DG1"}, {0x75, "DG2"}, {0x63, "DG3"}, {0x76, "DG4"},
        {0x65, "DG5"}, {0x66, "DG6"}, {0x67, "DG7"}, {0x68, "DG8"},
        {0x69, "DG9"}, {0x6A, "DG10"}, {0x6B, "DG11"}, {0x6C, "DG12"},
        {0x6D, "DG13"}, {0x6E, "DG14"}, {0x6F, "DG15"}, {0x70, "DG16"},
        {0x77, "SOD"},
    };
    for (size_t i = 0; i < sizeof tags / sizeof tags[0]; i++)
        if (tags[i].tag == tag)
            return tags[i].name;
    return NULL;
}

/* Security info protocols (Doc 9303 Part 11 section 9, BSI TR-03110). */
static const struct { const char *prefix; const char *name; } protocols[] = {
    {"0.4.0.127.0.7.2.2.1.1", "chip_authentication_public_key_dh"},
    {"0.4.0.127.0.7.2.2.1.2", "chip_authentication_public_key_ecdh"},
    {"0.4.0.127.0.7.2.2.3.1", "chip_authentication_dh"},
    {"0.4.0.127.0.7.2.2.3.2", "chip_authentication_ecdh"},
    {"0.4.0.127.0.7.2.2.2", "terminal_authentication"},
    {"0.4.0.127.0.7.2.2.4.1", "pace_dh_gm"},
    {"0.4.0.127.0.7.2.2.4.2", "pace_ecdh_gm"},
    {"0.4.0.127.0.7.2.2.4.3", "pace_dh_im"},
    {"0.4.0.127.0.7.2.2.4.4", "pace_ecdh_im"},
    {"0.4.0.127.0.7.2.2.4.6", "pace_ecdh_cam"},
    {"0.4.0.127.0.7.2.2.6", "card_info_locator"},
    {"2.23.136.1.1.5", "active_authentication"},
    {"2.23.136.1.1.6", "lds_ef_dir"},
    {"2.23.136.1.1.9", "lds2"},
};

static const char *protocol_name(const char *oid)
{
    for (size_t i = 0; i < sizeof protocols / sizeof protocols[0]; i++) {
        size_t l = strlen(protocols[i].prefix);
        if (!strncmp(oid, protocols[i].prefix, l) && (oid[l] == '\0' || oid[l] == '.'))
            return protocols[i].name;
    }
    return NULL;
}

static void com_json(const uint8_t *p, size_t n, kouan_buf *b)
{
    der_tlv com, t;
    if (outer(p, n, 0x60, &com)) {
        kouan_buf_puts(b, "{\"error\":\"EF.COM is not a 0x60 template\"}");
        return;
    }
    int first = 1;
    der_iter it;
    der_iter_init(&it, &com);
    kouan_buf_putc(b, '{');
    while (kouan__der_next(&it, &t) == 1) {
        if (t.tag == 0x5F01 || t.tag == 0x5F36) {
            kouan_json_key(b, &first, t.tag == 0x5F01 ? "lds_version" : "unicode_version");
            kouan_json_str(b, (const char *)t.v, t.vn);
        } else if (t.tag == 0x5C) {
            kouan_json_key(b, &first, "data_groups");
            kouan_buf_putc(b, '[');
            int f2 = 1;
            for (size_t i = 0; i < t.vn; i++) {
                const char *nm = dg_tag_name(t.v[i]);
                if (!f2)
                    kouan_buf_putc(b, ',');
                f2 = 0;
                if (nm)
                    kouan_json_cstr(b, nm);
                else
                    kouan_buf_printf(b, "\"tag 0x%02X\"", t.v[i]);
            }
            kouan_buf_putc(b, ']');
        }
    }
    if (it.err) {
        kouan_json_key(b, &first, "error");
        kouan_json_cstr(b, "EF.COM is malformed");
    }
    kouan_buf_putc(b, '}');
}

static void dg14_json(const uint8_t *p, size_t n, kouan_buf *b)
{
    der_tlv dg, set, si;
    der_iter it;
    size_t used;
    if (outer(p, n, 0x6E, &dg) || kouan__der_read(dg.v, dg.vn, &set, &used) ||
        set.tag != TAG_SET) {
        kouan_buf_puts(b, "{\"error\":\"DG14 is not a 0x6E SecurityInfos SET\"}");
        return;
    }
    der_iter_init(&it, &set);
    kouan_buf_puts(b, "{\"security_infos\":[");
    int count = 0;
    while (kouan__der_next(&it, &si) == 1 && count < 64) {
        der_iter fi;
        der_tlv oid, data;
        char text[96] = "";
        der_iter_init(&fi, &si);
        if (si.tag != TAG_SEQ || kouan__der_next(&fi, &oid) != 1 || oid.tag != TAG_OID ||
            kouan__der_oid_text(oid.v, oid.vn, text, sizeof text))
            continue;
        if (count++)
            kouan_buf_putc(b, ',');
        int first = 1;
        kouan_buf_putc(b, '{');
        kouan_json_key(b, &first, "oid");
        kouan_json_cstr(b, text);
        kouan_json_key(b, &first, "protocol");
        kouan_json_cstr(b, protocol_name(text));
        long v;
        if (kouan__der_next(&fi, &data) == 1) {
            if (data.tag == TAG_INTEGER && !kouan__der_int(&data, &v)) {
                kouan_json_key(b, &first, "version");
                kouan_json_int(b, v);
            } else if (data.tag == TAG_SEQ) {
                kouan_json_key(b, &first, "public_key_bytes");
                kouan_json_int(b, (long long)data.rawn);
            }
            der_tlv extra;
            while (kouan__der_next(&fi, &extra) == 1) {
                char o2[96];
                if (extra.tag == TAG_OID && !kouan__der_oid_text(extra.v, extra.vn, o2, sizeof o2)) {
                    kouan_json_key(b, &first, "algorithm");
                    kouan_json_cstr(b, o2);
                } else if (extra.tag == TAG_INTEGER && !kouan__der_int(&extra, &v)) {
                    kouan_json_key(b, &first, "key_id");
                    kouan_json_int(b, v);
                }
            }
        }
        kouan_buf_putc(b, '}');
    }
    kouan_buf_puts(b, "]}");
}

/* The DG15 SubjectPublicKeyInfo (0x6F wrapper optional). */
EVP_PKEY *kouan__dg15_key(const uint8_t *p, size_t n)
{
    der_tlv t, spki;
    size_t used;
    if (!p || kouan__der_read(p, n, &t, &used))
        return NULL;
    if (t.tag == 0x6F) {
        if (kouan__der_read(t.v, t.vn, &spki, &used))
            return NULL;
    } else {
        spki = t;
    }
    const unsigned char *q = spki.raw;
    EVP_PKEY *k = d2i_PUBKEY(NULL, &q, (long)spki.rawn);
    ERR_clear_error();
    return k;
}

static void dg15_json(const uint8_t *p, size_t n, kouan_buf *b)
{
    EVP_PKEY *k = kouan__dg15_key(p, n);
    if (!k) {
        kouan_buf_puts(b, "{\"error\":\"DG15 does not hold a readable public key\"}");
        return;
    }
    int first = 1;
    kouan_buf_putc(b, '{');
    kouan_json_key(b, &first, "key_type");
    int id = EVP_PKEY_get_base_id(k);
    kouan_json_cstr(b, id == EVP_PKEY_RSA ? "rsa" : id == EVP_PKEY_EC ? "ec" : "other");
    kouan_json_key(b, &first, "bits");
    kouan_json_int(b, EVP_PKEY_get_bits(k));
    if (id == EVP_PKEY_EC) {
        char g[64];
        size_t gl = 0;
        kouan_json_key(b, &first, "curve");
        if (EVP_PKEY_get_utf8_string_param(k, "group", g, sizeof g, &gl) == 1)
            kouan_json_cstr(b, g);
        else
            kouan_json_cstr(b, "explicit");
    }
    kouan_buf_putc(b, '}');
    EVP_PKEY_free(k);
    ERR_clear_error();
}

static void sod_json(const uint8_t *p, size_t n, kouan_buf *b)
{
    kouan_sod s;
    kouan_emrtd_msgs dev, err;
    memset(&dev, 0, sizeof dev);
    memset(&err, 0, sizeof err);
    kouan__sod_parse(p, n, 1, &s, &dev, &err);
    int first = 1;
    kouan_buf_putc(b, '{');
    kouan_json_key(b, &first, "hash_algorithm");
    kouan_json_cstr(b, s.dg_hash ? s.dg_hash->name : NULL);
    kouan_json_key(b, &first, "lds_security_object_version");
    kouan_json_int(b, s.lds_version);
    if (s.lds_info[0]) {
        kouan_json_key(b, &first, "lds_version_info");
        kouan_json_cstr(b, s.lds_info);
    }
    kouan_json_key(b, &first, "data_groups_listed");
    kouan_buf_putc(b, '[');
    for (int i = 0; i < s.n_hashes; i++)
        kouan_buf_printf(b, "%s\"DG%d\"", i ? "," : "", s.hashes[i].dg);
    kouan_buf_putc(b, ']');
    kouan_json_key(b, &first, "certificates");
    kouan_json_int(b, s.n_certs);
    if (s.n_certs) {
        const unsigned char *q = s.certs[0].raw;
        X509 *x = d2i_X509(NULL, &q, (long)s.certs[0].rawn);
        if (x) {
            char nm[KOUAN_EMRTD_NAME_LEN];
            kouan__name_text(X509_get_subject_name(x), nm, sizeof nm);
            kouan_json_key(b, &first, "signer");
            kouan_json_cstr(b, nm);
            kouan__name_text(X509_get_issuer_name(x), nm, sizeof nm);
            kouan_json_key(b, &first, "signer_issuer");
            kouan_json_cstr(b, nm);
            X509_free(x);
        }
        ERR_clear_error();
    }
    if (s.signing_time) {
        char d[11];
        kouan_date_format(kouan_date_from_days((long)(s.signing_time / 86400)), d);
        kouan_json_key(b, &first, "signing_date");
        kouan_json_cstr(b, d);
    }
    kouan_json_key(b, &first, "errors");
    kouan_buf_putc(b, '[');
    for (int i = 0; i < err.n; i++) {
        if (i)
            kouan_buf_putc(b, ',');
        kouan_json_cstr(b, err.m[i].text);
    }
    kouan_buf_putc(b, ']');
    kouan_buf_putc(b, '}');
    kouan__sod_free(&s);
}

/* DG11 (additional personal details) and DG12 (additional document
 * details): text fields by tag; images and nested templates by size. */
static const struct { uint32_t tag; const char *name; } detail_tags[] = {
    {0x5F0E, "full_name"}, {0x5F0F, "other_names"}, {0x5F10, "personal_number"},
    {0x5F2B, "date_of_birth"}, {0x5F11, "place_of_birth"}, {0x5F42, "address"},
    {0x5F12, "telephone"}, {0x5F13, "profession"}, {0x5F14, "title"},
    {0x5F15, "personal_summary"}, {0x5F16, "proof_of_citizenship"},
    {0x5F17, "other_travel_documents"}, {0x5F18, "custody_information"},
    {0x5F19, "issuing_authority"}, {0x5F26, "date_of_issue"},
    {0x5F1A, "other_persons"}, {0x5F1B, "endorsements"},
    {0x5F1C, "tax_exit_requirements"}, {0x5F1D, "image_front"},
    {0x5F1E, "image_rear"}, {0x5F55, "personalization_time"},
    {0x5F56, "personalization_device"},
};

static int printable(const uint8_t *p, size_t n)
{
    for (size_t i = 0; i < n; i++)
        if (p[i] < 0x20 && p[i] != '\n' && p[i] != '\r' && p[i] != '\t')
            return 0;
    return 1;
}

static void details_json(const uint8_t *p, size_t n, uint32_t tag, kouan_buf *b)
{
    der_tlv dg, t;
    if (outer(p, n, tag, &dg)) {
        kouan_buf_printf(b, "{\"error\":\"not a 0x%X template\"}", (unsigned)tag);
        return;
    }
    int first = 1;
    der_iter it;
    der_iter_init(&it, &dg);
    kouan_buf_putc(b, '{');
    while (kouan__der_next(&it, &t) == 1) {
        const char *nm = NULL;
        for (size_t i = 0; i < sizeof detail_tags / sizeof detail_tags[0]; i++)
            if (detail_tags[i].tag == t.tag)
                nm = detail_tags[i].name;
        if (!nm)
            continue; /* the tag list (0x5C) and unknown tags */
        kouan_json_key(b, &first, nm);
        if (!t.constructed && printable(t.v, t.vn) && t.vn < 4096)
            kouan_json_str(b, (const char *)t.v, t.vn);
        else
            kouan_buf_printf(b, "{\"bytes\":%zu}", t.vn);
    }
    if (it.err) {
        kouan_json_key(b, &first, "error");
        kouan_json_cstr(b, "malformed");
    }
    kouan_buf_putc(b, '}');
}

static void dg1_json(const uint8_t *p, size_t n, kouan_buf *b)
{
    char mrz[128];
    size_t len;
    if (kouan_emrtd_dg1_mrz(p, n, mrz, sizeof mrz, &len)) {
        kouan_buf_puts(b, "{\"error\":\"DG1 does not hold a readable MRZ\"}");
        return;
    }
    kouan_mrz m;
    kouan_mrz_parse(mrz, len, NULL, &m);
    kouan_buf_puts(b, "{\"mrz\":");
    kouan_json_str(b, mrz, len);
    kouan_buf_puts(b, ",\"document\":");
    kouan_mrz_to_json(&m, b);
    kouan_buf_putc(b, '}');
}

static void dg2_json(const uint8_t *p, size_t n, kouan_buf *b)
{
    kouan_emrtd_face f;
    kouan_err e = kouan_emrtd_dg2_face(p, n, &f);
    if (e) {
        kouan_buf_printf(b, "{\"error\":\"%s\"}",
                         e == KOUAN_ERR_NOT_FOUND ? "no face image" : "not a readable biometric template");
        return;
    }
    kouan_buf_printf(b, "{\"image_type\":\"%s\",\"image_bytes\":%zu,\"width\":%d,"
                        "\"height\":%d,\"encoding\":\"%s\"}",
                     kouan_emrtd_image_type_name(f.type), f.image_len, f.width, f.height,
                     f.iso39794 ? "iso39794-5" : "iso19794-5");
}

kouan_err kouan_emrtd_info_json(const uint8_t *com, size_t com_len,
                                const kouan_emrtd_input *in, kouan_buf *b)
{
    int first = 1;
    kouan_buf_putc(b, '{');
    if (com) {
        kouan_json_key(b, &first, "ef_com");
        com_json(com, com_len, b);
    }
    if (in && in->sod) {
        kouan_json_key(b, &first, "ef_sod");
        sod_json(in->sod, in->sod_len, b);
    }
    for (int dg = 1; in && dg <= KOUAN_EMRTD_MAX_DG; dg++) {
        const uint8_t *p = in->dg[dg];
        size_t n = in->dg_len[dg];
        if (!p)
            continue;
        char key[8];
        snprintf(key, sizeof key, "dg%d", dg);
        kouan_json_key(b, &first, key);
        switch (dg) {
        case 1: dg1_json(p, n, b); break;
        case 2: dg2_json(p, n, b); break;
        case 11: details_json(p, n, 0x6B, b); break;
        case 12: details_json(p, n, 0x6C, b); break;
        case 14: dg14_json(p, n, b); break;
        case 15: dg15_json(p, n, b); break;
        default: {
            der_tlv t;
            size_t used;
            if (kouan__der_read(p, n, &t, &used))
                kouan_buf_puts(b, "{\"error\":\"not a TLV\"}");
            else
                kouan_buf_printf(b, "{\"tag\":\"%X\",\"bytes\":%zu}", (unsigned)t.tag, n);
        }
        }
    }
    return kouan_buf_putc(b, '}');
}
